/**
 * The L4 part of the graph, read from the simulated cluster: Services and their ports, the
 * EndpointSlices the controller made, the pods behind them (all pods, grouped by node), and the
 * external entry points kube-proxy opens (`pkg/proxy/iptables/proxier.go`: NodePort on every
 * node, LoadBalancer ingress IPs, externalIPs), each with its precomputed trace.
 */
import { isApiServerService } from '../engine/controllers/kubernetes-service';
import type { EndpointSliceInfo, PodInfo, ServiceInfo, ServicePortInfo } from '../engine/model';
import type { GraphBuilder } from './builder';
import { externalClientFor, ids, TraceRecorder } from './traces';

/** `http 80/TCP -> http` and `nodePort 30080` when set. */
export function portLabel(p: ServicePortInfo): string {
  const name = p.name ? `${p.name} ` : '';
  const node = p.nodePort !== undefined ? ` (node ${p.nodePort})` : '';
  return `${name}${p.port}/${p.protocol} -> ${p.targetPort}${node}`;
}

function selectorText(selector: Readonly<Record<string, string>> | undefined): string {
  if (!selector) return 'none (endpoints managed by hand)';
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(', ') : '{} (selects nothing)';
}

function serviceSublabel(svc: ServiceInfo): string {
  if (svc.type === 'ExternalName') return `ExternalName -> ${svc.externalName ?? '?'}`;
  if (svc.headless) return `${svc.type} headless`;
  return `${svc.type} ${svc.clusterIPs.join(', ')}`;
}

function serviceDetails(svc: ServiceInfo, slices: readonly EndpointSliceInfo[]): [string, string][] {
  const rows: [string, string][] = [['type', svc.type + (svc.headless ? ' (headless: clusterIP None)' : '')]];
  if (svc.type === 'ExternalName') rows.push(['externalName', svc.externalName ?? '']);
  if (svc.clusterIPs.length > 0) rows.push(['clusterIPs', svc.clusterIPs.join(', ')]);
  if (svc.type !== 'ExternalName') rows.push(['selector', selectorText(svc.selector)]);
  if (svc.loadBalancerIPs.length > 0) rows.push(['load balancer', svc.loadBalancerIPs.join(', ')]);
  if (svc.externalIPs.length > 0) rows.push(['externalIPs', svc.externalIPs.join(', ')]);
  if (svc.loadBalancerSourceRanges.length > 0) rows.push(['source ranges', svc.loadBalancerSourceRanges.join(', ')]);
  if (svc.type === 'NodePort' || svc.type === 'LoadBalancer' || svc.externalIPs.length > 0) rows.push(['externalTrafficPolicy', svc.externalTrafficPolicy]);
  if (svc.internalTrafficPolicy !== 'Cluster') rows.push(['internalTrafficPolicy', svc.internalTrafficPolicy]);
  if (svc.sessionAffinity === 'ClientIP') rows.push(['sessionAffinity', `ClientIP (${svc.sessionAffinityTimeoutSeconds ?? 10800}s)`]);
  if (svc.publishNotReadyAddresses) rows.push(['publishNotReadyAddresses', 'true']);
  if (svc.trafficDistribution) rows.push(['trafficDistribution', svc.trafficDistribution]);
  if (svc.type !== 'ExternalName' && svc.selector) {
    const eps = slices.flatMap((s) => s.endpoints);
    rows.push(['endpoints', `${eps.filter((e) => e.conditions.ready).length} ready of ${eps.length}`]);
  }
  if (svc.source) rows.push(['source', `${svc.source.file}:${svc.source.line}`]);
  return rows;
}

function podDetails(pod: PodInfo): [string, string][] {
  const rows: [string, string][] = [
    ['IP', pod.ip],
    ['node', `${pod.nodeName} (${pod.zone})`],
    ['ready', pod.terminating ? `${pod.ready} (terminating)` : String(pod.ready)],
    ['labels', Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '-'],
    ['container ports', pod.containerPorts.map((c) => `${c.name ? `${c.name} ` : ''}${c.containerPort}/${c.protocol}`).join(', ') || '-'],
  ];
  if (pod.owner) rows.push(['owner', `${pod.owner.kind} ${pod.owner.name}`]);
  if (pod.hostname) rows.push(['hostname', pod.subdomain ? `${pod.hostname}.${pod.subdomain}` : pod.hostname]);
  return rows;
}

/**
 * The workload objects a pod stands for: the pod, its owner, and for a ReplicaSet named
 * `<deployment>-<pod-template-hash>` the Deployment (the name the Deployment controller gives
 * its ReplicaSets, `pkg/controller/deployment/sync.go`).
 */
function podRefs(pod: PodInfo): { kind: string; namespace: string; name: string }[] {
  const refs = [{ kind: 'Pod', namespace: pod.namespace, name: pod.name }];
  const owner = pod.owner;
  if (owner) {
    refs.push({ kind: owner.kind, namespace: owner.namespace ?? pod.namespace, name: owner.name });
    const hash = pod.labels['pod-template-hash'];
    if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
      refs.push({ kind: 'Deployment', namespace: owner.namespace ?? pod.namespace, name: owner.name.slice(0, -hash.length - 1) });
    }
  }
  return refs;
}

/** Adds Services, slices, pods and L4 entry points (with traces) to `b`. */
export function addL4(b: GraphBuilder, recorder: TraceRecorder = new TraceRecorder(b.state)): void {
  const state = b.state;
  for (const pod of [...state.pods.values()].sort((x, y) => (`${x.namespace}/${x.name}` < `${y.namespace}/${y.name}` ? -1 : 1))) {
    b.addNode({
      id: ids.pod(`${pod.namespace}/${pod.name}`), kind: 'pod', namespace: pod.namespace, label: pod.name, sublabel: pod.ip,
      refs: podRefs(pod), details: podDetails(pod), clusterNode: pod.nodeName, ready: pod.ready,
    });
  }
  const nodes = [...state.nodes.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  for (const key of [...state.services.keys()].sort()) {
    const svc = state.services.get(key);
    // The graph draws the manifests: kube-apiserver's own default/kubernetes is left out.
    if (!svc || isApiServerService(svc)) continue;
    const slices = state.endpointSlices.get(key) ?? [];
    const svcId = ids.service(key);
    b.addNode({
      id: svcId, kind: 'service', namespace: svc.namespace, label: svc.name, sublabel: serviceSublabel(svc),
      refs: [{ kind: 'Service', namespace: svc.namespace, name: svc.name }, { kind: 'Endpoints', namespace: svc.namespace, name: svc.name }],
      details: serviceDetails(svc, slices),
      ports: svc.ports.map((p, i) => ({ id: ids.port(key, i), label: portLabel(p) })),
    });
    addSlices(b, svc, slices);

    // In-cluster: a pod connects to the Service's DNS name on each port.
    const client = recorder.clientFor(svc.namespace);
    const dnsName = `${svc.name}.${svc.namespace}`;
    if (client) {
      // A client whose resolver is not cluster DNS (host network, dnsPolicy Default) dials the ClusterIP.
      const target = !recorder.resolvesClusterNames(client) && svc.clusterIPs.length > 0 ? svc.clusterIPs[0] : dnsName;
      svc.ports.forEach((p, i) => {
        const portId = ids.port(key, i);
        b.addTrace(portId, recorder.record(`trace:${portId}`, { from: client, to: target, port: p.port, protocol: p.protocol }));
      });
      if (svc.ports.length === 0 && svc.type === 'ExternalName') {
        b.addTrace(svcId, recorder.record(`trace:${svcId}`, { from: client, to: dnsName }));
      }
    }

    // External entry points, as kube-proxy opens them.
    svc.ports.forEach((p, i) => {
      const portId = ids.port(key, i);
      const entries: { id: string; label: string; sublabel: string; ip: string; port: number; via: string }[] = [];
      if (p.nodePort !== undefined && nodes.length > 0) {
        // With externalTrafficPolicy Local only nodes with a local endpoint answer: trace through one of those.
        const local = new Set((svc.externalTrafficPolicy === 'Local' ? slices.flatMap((s) => s.endpoints).filter((e) => e.conditions.ready) : []).map((e) => e.nodeName));
        const node = nodes.find((n) => local.has(n.name)) ?? nodes[0];
        entries.push({ id: `entry:nodeport:${key}#${i}`, label: `NodePort :${p.nodePort}/${p.protocol}`, sublabel: `every node -> ${svc.name}`, ip: node.internalIP, port: p.nodePort, via: `node ${node.name}` });
      }
      for (const ip of svc.loadBalancerIPs) {
        entries.push({ id: `entry:lb:${key}#${i}@${ip}`, label: `LB ${ip}:${p.port}/${p.protocol}`, sublabel: `LoadBalancer -> ${svc.name}`, ip, port: p.port, via: 'the load balancer' });
      }
      for (const ip of svc.externalIPs) {
        entries.push({ id: `entry:extip:${key}#${i}@${ip}`, label: `${ip}:${p.port}/${p.protocol}`, sublabel: `externalIP -> ${svc.name}`, ip, port: p.port, via: 'an externalIP route' });
      }
      for (const e of entries) {
        const clientIP = externalClientFor(svc, e.ip);
        const details: [string, string][] = [
          ['Service', key], ['port', portLabel(p)], ['address', `${e.ip}:${e.port}/${p.protocol}`],
          ['traced from', `external ${clientIP} via ${e.via}`],
          ['externalTrafficPolicy', svc.externalTrafficPolicy],
        ];
        if (svc.loadBalancerSourceRanges.length > 0) details.push(['source ranges', svc.loadBalancerSourceRanges.join(', ')]);
        if (e.id.startsWith('entry:nodeport:')) details.push(['nodes', nodes.map((n) => n.internalIP).join(', ')]);
        b.addNode({ id: e.id, kind: 'entry', layer: 'L4', namespace: svc.namespace, label: e.label, sublabel: e.sublabel, details });
        b.addEdge({ from: e.id, to: svcId, toPort: portId, kind: 'entry' });
        b.addTrace(e.id, recorder.record(`trace:${e.id}`, { from: { external: clientIP }, to: e.ip, port: e.port, protocol: p.protocol }, [e.id]));
      }
    });
  }
}

function addSlices(b: GraphBuilder, svc: ServiceInfo, slices: readonly EndpointSliceInfo[]): void {
  const svcId = ids.service(`${svc.namespace}/${svc.name}`);
  for (const slice of slices) {
    const sliceId = ids.slice(slice.namespace, slice.name);
    const ready = slice.endpoints.filter((e) => e.conditions.ready).length;
    const ports = slice.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol}`).join(' ');
    b.addNode({
      id: sliceId, kind: 'slice', namespace: slice.namespace, label: slice.name,
      sublabel: `${slice.addressType} ${ready}/${slice.endpoints.length} ready`,
      refs: [{ kind: 'EndpointSlice', namespace: slice.namespace, name: slice.name }],
      details: [
        ['Service', `${svc.namespace}/${svc.name}`], ['addressType', slice.addressType], ['ports', ports || '-'],
        ['endpoints', `${ready} ready of ${slice.endpoints.length}`],
      ],
    });
    b.addEdge({ from: svcId, to: sliceId, kind: 'slice', label: ports });
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0] ?? '';
      const podKey = ep.targetRef.kind === 'Pod' ? `${ep.targetRef.namespace ?? slice.namespace}/${ep.targetRef.name}` : undefined;
      let target = podKey ? ids.pod(podKey) : ids.address(ip);
      if (!b.hasNode(target)) {
        // An address that is no pod of the simulation (hand-written slices, selector-less Services).
        target = ids.address(ip);
        b.addNode({
          id: target, kind: 'pod', namespace: slice.namespace, label: ip, sublabel: ep.targetRef.kind ? `${ep.targetRef.kind} ${ep.targetRef.name}` : 'address',
          details: [['address', ep.addresses.join(', ')], ['node', ep.nodeName || '-']],
          clusterNode: ep.nodeName || '', ready: ep.conditions.ready,
        });
      }
      b.addEdge({ from: sliceId, to: target, kind: 'endpoint', ready: ep.conditions.ready });
    }
  }
}

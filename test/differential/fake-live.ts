/**
 * Test support: the engine's state dressed up as a live cluster, the way a real one differs from
 * it without being wrong: other ReplicaSet hashes and pod-name suffixes, random-looking slice
 * names, endpoints in another order, Kubernetes JSON defaults. The unit tests feed this to the
 * comparisons, which must find nothing; then perturb it, and they must find exactly that.
 */
import { obj } from '../../lib/apply/json';
import type { KubeObject } from '../../lib/apply/types';
import type { Cluster } from '../../lib/engine/cluster';
import { endpointSliceToJSON, endpointsToJSON } from '../../lib/engine/serialize';
import type { LiveSnapshot } from './compare';

type Json = Record<string, unknown>;

/** Options of {@link engineAsLive}. */
export interface FakeLiveOptions {
  /** Rename ReplicaSet-owned pods as a real cluster would (another hash, other suffixes). @default true */
  readonly renamePods?: boolean;
  /** Give controller-made slices other names. @default true */
  readonly renameSlices?: boolean;
}

function kube(o: Json): KubeObject {
  return o as unknown as KubeObject;
}

/** A different but stable 5-letter suffix for a name. */
function otherSuffix(name: string): string {
  let h = 7;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) { out += alphabet[h % alphabet.length]; h = Math.floor(h / alphabet.length) + 13 * i; }
  return out;
}

/** A Service's non-empty selector from its manifest. */
function selectorOf(c: Cluster, namespace: string, name: string): Json | undefined {
  const selector = obj(obj(obj(c.objects.get(`Service/${namespace}/${name}`)?.raw).spec).selector);
  return Object.keys(selector).length > 0 ? selector : undefined;
}

/** The engine's state as the objects a real cluster would list. */
export function engineAsLive(c: Cluster, opts: FakeLiveOptions = {}): LiveSnapshot {
  const rename = new Map<string, string>();
  const rsRename = new Map<string, string>();
  const pods: KubeObject[] = [];
  for (const [key, p] of c.pods) {
    let name = p.name;
    let owner = p.owner;
    let labels: Record<string, string> = { ...p.labels };
    const hash = p.labels['pod-template-hash'];
    if (opts.renamePods !== false && owner?.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
      const deploy = owner.name.slice(0, -hash.length - 1);
      const newHash = `x${hash.slice(1)}`;
      const rs = `${deploy}-${newHash}`;
      rsRename.set(owner.name, rs);
      name = `${rs}-${otherSuffix(p.name)}`;
      owner = { ...owner, name: rs };
      labels = { ...labels, 'pod-template-hash': newHash };
    }
    rename.set(key, name);
    pods.push(kube({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: p.namespace, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, controller: true }] } : {}), ...(p.terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
      spec: {
        nodeName: p.nodeName, ...(p.hostNetwork ? { hostNetwork: true } : {}), ...(p.hostname ? { hostname: p.hostname } : {}), ...(p.subdomain ? { subdomain: p.subdomain } : {}),
        containers: [{ name: 'app', ports: p.containerPorts.map((cp) => ({ ...(cp.name ? { name: cp.name } : {}), containerPort: cp.containerPort, protocol: cp.protocol })) }],
      },
      status: { phase: 'Running', podIP: p.ip, ...(p.ips ? { podIPs: p.ips.map((ip) => ({ ip })) } : {}), conditions: [{ type: 'Ready', status: p.serving ? 'True' : 'False' }] },
    }));
  }
  const renameRef = (ref: unknown): void => {
    const r = ref as Json | undefined;
    if (!r || r.kind !== 'Pod') return;
    const to = rename.get(`${String(r.namespace)}/${String(r.name)}`);
    if (to) r.name = to;
    delete r.uid;
  };
  const endpoints = [...c.endpoints.values()].map((e) => {
    const j = endpointsToJSON(e) as Json;
    for (const s of (j.subsets as Json[] | undefined) ?? []) {
      for (const a of [...((s.addresses as Json[] | undefined) ?? []), ...((s.notReadyAddresses as Json[] | undefined) ?? [])]) renameRef(a.targetRef);
      // The API server's order is its own (by IP and UID): reverse ours.
      if (Array.isArray(s.addresses)) s.addresses.reverse();
    }
    return kube(j);
  });
  let n = 0;
  const endpointSlices = [...c.endpointSlices.values()].flat().map((s) => {
    const j = endpointSliceToJSON(s) as Json & { metadata: Json; endpoints: Json[] };
    // Controller-made slices get generated names; hand-written ones keep theirs.
    const managedBy = s.labels['endpointslice.kubernetes.io/managed-by'];
    if (opts.renameSlices !== false && (managedBy === 'endpointslice-controller.k8s.io' || managedBy === 'endpointslicemirroring-controller.k8s.io')) {
      j.metadata.name = `${s.serviceName}-live${++n}`;
    }
    for (const e of j.endpoints) renameRef(e.targetRef);
    j.endpoints.reverse();
    return kube(j);
  });
  const services = [...c.services.values()].map((s) => ({ s, selector: selectorOf(c, s.namespace, s.name) })).map(({ s, selector }) => kube({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace },
    spec: {
      type: s.type,
      ...(s.type !== 'ExternalName' ? { clusterIP: s.headless ? 'None' : s.clusterIPs[0], sessionAffinity: s.sessionAffinity, internalTrafficPolicy: s.internalTrafficPolicy } : { externalName: s.externalName }),
      ...(s.ipFamilies ? { ipFamilies: s.ipFamilies, ipFamilyPolicy: s.ipFamilyPolicy, clusterIPs: s.headless ? ['None'] : s.clusterIPs } : {}),
      // The selector as the API server stores it: the manifest's (the engine keeps none for ExternalName).
      ...(selector ? { selector } : {}),
      ...(s.ports.length > 0 ? { ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, targetPort: p.targetPort, ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })) } : {}),
      ...(s.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
      ...(s.trafficDistribution ? { trafficDistribution: s.trafficDistribution } : {}),
    },
  }));
  const nodes = [...c.nodes.values()].map((nd) => kube({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: nd.name, labels: { ...nd.labels, 'topology.kubernetes.io/zone': nd.zone } },
    spec: { podCIDR: nd.podCIDR },
    status: { addresses: [{ type: 'InternalIP', address: nd.internalIP }], conditions: [{ type: 'Ready', status: nd.ready ? 'True' : 'False' }] },
  }));
  return { services, endpoints, endpointSlices, pods, nodes };
}

/**
 * The Service side of `netkit diff`: per Service, type and exposure (NodePorts, LoadBalancer,
 * externalIPs, source ranges), ports, the container ports they reach, ready and not-ready
 * endpoints per owning workload, and the kind of DNS answer its name gets. Services that are the
 * same with the same endpoints on both sides ({@link quietServices}) are skipped by both.
 */
import type { Cluster } from '../engine/cluster';
import { DnsModel } from '../engine/dns';
import type { EndpointInfo, EndpointSliceInfo, PodInfo, ServiceInfo } from '../engine/model';
import type { DiffChange, DiffImpact } from './change';
import { sameJson } from './same-json';

/**
 * Ready and not-ready endpoint counts per owning workload. Pod names and IPs are left out: a
 * template change renames every pod (new ReplicaSet hash) without changing where traffic goes.
 */
function endpointsOf(cluster: Cluster, key: string, ids: Map<string, string>): Map<string, { ready: number; notReady: number }> {
  const out = new Map<string, { ready: number; notReady: number }>();
  const slices: readonly EndpointSliceInfo[] = cluster.endpointSlices.get(key) ?? [];
  for (const s of slices) {
    for (const e of s.endpoints) {
      const ref = e.targetRef;
      const o = podOwner(cluster, ref);
      // A ReplicaSet named <deployment>-<pod-template-hash> stands for its Deployment.
      let id: string;
      if (!o) id = `pod ${ref.name}`;
      else if (o.kind !== 'ReplicaSet') id = `${o.kind} ${o.name}`;
      else {
        // Once per ReplicaSet, not per pod (ids: this comparison's memo).
        id = ids.get(o.name) ?? `Deployment ${o.name.replace(/-[a-z0-9]+$/, '')}`;
        ids.set(o.name, id);
      }
      const c = out.get(id) ?? { ready: 0, notReady: 0 };
      if (e.conditions.ready) c.ready++; else c.notReady++;
      out.set(id, c);
    }
  }
  return out;
}

/** The owner of the pod an endpoint points to (undefined for a bare Pod, or no pod). */
function podOwner(cluster: Cluster, ref: EndpointInfo['targetRef']): PodInfo['owner'] {
  return cluster.pods.get(`${ref.namespace ?? ''}/${ref.name}`)?.owner;
}

/** Slice ports per name: the resolved container port a Service port reaches. */
function slicePorts(cluster: Cluster, key: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of cluster.endpointSlices.get(key) ?? []) for (const p of s.ports) out.set(p.name, `${p.port}/${p.protocol}`);
  return out;
}

function portText(p: ServiceInfo['ports'][number]): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol} -> ${p.targetPort}`;
}

function setDiff<T>(a: Iterable<T>, b: Iterable<T>): { gained: T[]; lost: T[] } {
  const sa = new Set(a); const sb = new Set(b);
  return { gained: [...sb].filter((x) => !sa.has(x)).sort(), lost: [...sa].filter((x) => !sb.has(x)).sort() };
}

/**
 * Keys of the Services that neither comparison below can report: simulated the same (`same`,
 * {@link sameServiceKeys}) and with slices that match endpoint for endpoint in everything both
 * read: the slice's address type and ports; per endpoint the number of addresses, the
 * conditions, the hostname, the pod's name and its owner. Pod IPs may differ (an allocation that
 * shifts is no change). Anything else takes the full comparison.
 */
export function quietServices(a: Cluster, b: Cluster, same: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const key of same) if (sameSlices(a, b, a.endpointSlices.get(key) ?? [], b.endpointSlices.get(key) ?? [])) out.add(key);
  return out;
}

/** {@link quietServices}' test of one Service's slices on both sides. */
function sameSlices(a: Cluster, b: Cluster, xs: readonly EndpointSliceInfo[], ys: readonly EndpointSliceInfo[]): boolean {
  if (xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]; const y = ys[i];
    if (x.addressType !== y.addressType || x.endpoints.length !== y.endpoints.length || !sameJson(x.ports, y.ports)) return false;
    for (let j = 0; j < x.endpoints.length; j++) {
      const e = x.endpoints[j]; const f = y.endpoints[j];
      if (e.addresses.length !== f.addresses.length || e.hostname !== f.hostname || !sameJson(e.conditions, f.conditions) ||
        !sameJson(e.targetRef, f.targetRef)) return false;
      const oa = podOwner(a, e.targetRef); const ob = podOwner(b, f.targetRef);
      if (oa?.kind !== ob?.kind || oa?.name !== ob?.name) return false;
    }
  }
  return true;
}

export function diffServices(a: Cluster, b: Cluster, quiet: ReadonlySet<string>): DiffChange[] {
  const out: DiffChange[] = [];
  const ids = new Map<string, string>();
  const keys = [...new Set([...a.services.keys(), ...b.services.keys()])].sort();
  for (const key of keys) {
    if (quiet.has(key)) continue;
    const sa = a.services.get(key); const sb = b.services.get(key);
    const svc = (sa ?? sb) as ServiceInfo;
    const ns = svc.namespace; const subject = `Service ${ns}/${svc.name}`;
    const add = (impact: DiffImpact, message: string) => out.push({ impact, namespace: ns, subject, message });
    if (!sa || !sb) {
      add(sb && sb.type !== 'ClusterIP' && sb.type !== 'ExternalName' ? 'exposure' : 'routing', `${sb ? 'added' : 'removed'} (${svc.type})`);
      continue;
    }
    // Exposure: what reaches the Service from outside the cluster (kube-proxy's NodePort,
    // LoadBalancer and externalIPs rules, pkg/proxy/nftables/proxier.go).
    if (sa.type !== sb.type) add(sa.type === 'ClusterIP' || sb.type === 'LoadBalancer' ? 'exposure' : 'routing', `type ${sa.type} -> ${sb.type}`);
    const np = setDiff(sa.ports.filter((p) => p.nodePort !== undefined).map((p) => `${p.nodePort}/${p.protocol}`),
      sb.ports.filter((p) => p.nodePort !== undefined).map((p) => `${p.nodePort}/${p.protocol}`));
    // Auto-allocated NodePorts move when ports are reordered; report opening/closing, not the number, when the count is unchanged.
    if (np.gained.length > 0 && np.lost.length === 0) add('exposure', `NodePort opened: ${np.gained.join(', ')}`);
    if (np.lost.length > 0 && np.gained.length === 0) add('exposure', `NodePort closed: ${np.lost.join(', ')}`);
    const lb = sa.type === 'LoadBalancer'; const lbb = sb.type === 'LoadBalancer';
    if (lb !== lbb) add('exposure', `LoadBalancer ${lbb ? 'added' : 'removed'}`);
    const eip = setDiff(sa.externalIPs, sb.externalIPs);
    if (eip.gained.length) add('exposure', `externalIPs added: ${eip.gained.join(', ')}`);
    if (eip.lost.length) add('exposure', `externalIPs removed: ${eip.lost.join(', ')}`);
    // An empty loadBalancerSourceRanges allows everyone: going to or from empty is widening/narrowing to all.
    const sr = setDiff(sa.loadBalancerSourceRanges, sb.loadBalancerSourceRanges);
    if (sr.gained.length || sr.lost.length) {
      const widened = sb.loadBalancerSourceRanges.length === 0 || (sr.gained.length > 0 && sa.loadBalancerSourceRanges.length > 0);
      add('exposure', `loadBalancerSourceRanges ${widened ? 'widened' : 'narrowed'}: ${sa.loadBalancerSourceRanges.join(', ') || 'any'} -> ${sb.loadBalancerSourceRanges.join(', ') || 'any'}`);
    }
    if (sa.externalTrafficPolicy !== sb.externalTrafficPolicy) add('routing', `externalTrafficPolicy ${sa.externalTrafficPolicy} -> ${sb.externalTrafficPolicy}`);
    if (sa.internalTrafficPolicy !== sb.internalTrafficPolicy) add('routing', `internalTrafficPolicy ${sa.internalTrafficPolicy} -> ${sb.internalTrafficPolicy}`);
    if (sa.sessionAffinity !== sb.sessionAffinity) add('routing', `sessionAffinity ${sa.sessionAffinity} -> ${sb.sessionAffinity}`);
    if (sa.externalName !== sb.externalName) add('routing', `externalName ${sa.externalName ?? '-'} -> ${sb.externalName ?? '-'}`);
    const ports = setDiff(sa.ports.map(portText), sb.ports.map(portText));
    for (const p of ports.lost) add('routing', `port removed: ${p}`);
    for (const p of ports.gained) add('routing', `port added: ${p}`);
    // Where the traffic lands: the container port each Service port resolves to (a renamed
    // container port a named targetPort no longer finds drops the slice port).
    // Only when both sides have endpoints: a slice with none carries no ports, which the endpoint lines already say.
    const both = (cluster: Cluster) => (cluster.endpointSlices.get(key) ?? []).some((x) => x.endpoints.length > 0);
    const tp = !both(a) || !both(b) ? { gained: [], lost: [] } : setDiff([...slicePorts(a, key)].map(([n, p]) => `${n || '(unnamed)'} -> ${p}`), [...slicePorts(b, key)].map(([n, p]) => `${n || '(unnamed)'} -> ${p}`));
    for (const p of tp.lost) add('routing', `target port no longer resolved: ${p}`);
    for (const p of tp.gained) add('routing', `target port now resolved: ${p}`);
    const ea = endpointsOf(a, key, ids); const eb = endpointsOf(b, key, ids);
    for (const id of [...new Set([...ea.keys(), ...eb.keys()])].sort()) {
      const x = ea.get(id) ?? { ready: 0, notReady: 0 }; const y = eb.get(id) ?? { ready: 0, notReady: 0 };
      if (x.ready !== y.ready) add('endpoints', `ready endpoints from ${id}: ${x.ready} -> ${y.ready}`);
      if (x.notReady !== y.notReady) add('endpoints', `not-ready endpoints from ${id}: ${x.notReady} -> ${y.notReady}`);
    }
  }
  return out;
}

/**
 * What CoreDNS answers for a Service name (lib/engine/dns.ts, the kubernetes plugin), reduced to
 * what survives a re-simulation: addresses are named by what they are (the ClusterIP, ready pod
 * addresses), not by value, so an allocation that shifts is no change and a replica count is
 * an endpoints change, not a DNS one.
 */
function dnsAnswer(dns: DnsModel, svc: ServiceInfo): string {
  const fqdn = `${svc.name}.${svc.namespace}.svc.${dns.domain}`;
  const a = dns.query(fqdn, 'A');
  if (a.rcode !== 'NOERROR') return a.rcode === 'NODATA' ? 'no address (NODATA)' : a.rcode;
  const cname = a.records.find((r) => r.type === 'CNAME');
  if (cname) return `CNAME ${cname.value}`;
  const ips = a.records.filter((r) => r.type === 'A').map((r) => r.value);
  if (ips.length > 0 && ips.every((ip) => svc.clusterIPs.includes(ip))) return 'A the ClusterIP';
  return 'A the ready pod addresses (headless)';
}

/** DNS answers per Service name that change kind (ClusterIP, pod addresses, CNAME, NODATA, NXDOMAIN). */
export function diffDns(a: Cluster, b: Cluster, quiet: ReadonlySet<string>): DiffChange[] {
  const da = new DnsModel(a); const db = new DnsModel(b);
  const out: DiffChange[] = [];
  for (const [key, sa] of a.services) {
    // The same Service with the same ready endpoints gets the same kind of answer (serviceQuery reads nothing else).
    if (quiet.has(key)) continue;
    const sb = b.services.get(key);
    // Added, removed or ExternalName changes are said by the Service lines already.
    if (!sb || sa.externalName !== sb.externalName) continue;
    const x = dnsAnswer(da, sa); const y = dnsAnswer(db, sb);
    if (x !== y) out.push({ impact: 'routing', namespace: sa.namespace, subject: `Service ${sa.namespace}/${sa.name}`, message: `DNS ${sa.name}.${sa.namespace}.svc.${da.domain}: ${x} -> ${y}` });
  }
  return out;
}

/**
 * Behaviour diff of two simulated clusters (issue 20, first cut): build both sides with the same
 * profile, then compare what the cluster does — per Service endpoints (by workload and pod),
 * readiness, ports, type and exposure — and the validator findings introduced and fixed. Text of
 * the manifests is never compared: a reordered or reformatted manifest is "no change".
 */
import type { ManifestObject } from '../manifest';
import { Cluster } from '../engine/cluster';
import { sizedProfile } from '../engine/profile';
import { DnsModel } from '../engine/dns';
import { PolicyModel } from '../engine/policy/evaluate';
import { reachMatrix, reachWorkloads } from '../engine/policy/matrix';
import type { ClusterProfileInfo, EndpointSliceInfo, ServiceInfo } from '../engine/model';
import type { SimulationBudget } from '../engine/budget';
import { runRules } from '../rules/runner';
import type { Violation } from '../rules/types';
import type { L7Options } from '../engine/l7/types';
import { compareWitnesses, WitnessSide, type WitnessComparison } from './witness';
import { identicalObjects, unchangedWitnesses } from './reuse';

/** How much a change matters, most consequential first when sorted. */
export type DiffImpact = 'exposure' | 'reachability' | 'routing' | 'endpoints' | 'finding';

/** One behaviour change. */
export interface DiffChange {
  readonly impact: DiffImpact;
  readonly namespace: string;
  /** What changed, e.g. `Service shop/cart`. */
  readonly subject: string;
  /** One line, e.g. `ready endpoints from Deployment web: 3 -> 2`. */
  readonly message: string;
  /**
   * L7 changes: every witness request with this same change (the subject is the first). Requests
   * whose outcome changed the same way are one change, so a weight edit is one line, not one per path.
   */
  readonly requests?: readonly string[];
}

/** The result of {@link diffManifests}. */
export interface DiffResult {
  readonly changes: readonly DiffChange[];
  /** How many witness requests were routed on both sides (see docs/diff.md). */
  readonly witnesses: number;
  /** What could not be compared or depends on something the manifests leave open: read them with the changes. */
  readonly notes: readonly string[];
}

/** Options of {@link diffManifests}. */
export interface DiffOptions {
  readonly profile?: ClusterProfileInfo;
  readonly budget?: SimulationBudget;
  /** L7 options for both sides (Ingress profile, mesh injection). @default per IngressClass, `assume` */
  readonly l7?: L7Options;
}

const IMPACT_ORDER: Readonly<Record<DiffImpact, number>> = { exposure: 0, reachability: 1, routing: 2, endpoints: 3, finding: 4 };

/** Above this many workload pairs the policy matrix is not compared (said in the notes). */
const MAX_REACH_PAIRS = 250_000;

/** Simulate both sides with the same profile and list what behaves differently. */
export function diffManifests(before: readonly ManifestObject[], after: readonly ManifestObject[], options: DiffOptions = {}): DiffResult {
  const profile = options.profile ?? sharedProfile(before, after);
  const build = (objects: readonly ManifestObject[]) => Cluster.build(objects, profile, { budget: options.budget });
  const a = build(before);
  const b = build(after);
  const changes: DiffChange[] = [...diffServices(a, b), ...diffDns(a, b)];
  const sa = new WitnessSide(a, options.l7); const sb = new WitnessSide(b, options.l7);
  const same = identicalObjects(before, after);
  // Both sides share the profile and the L7 options: a witness that reads nothing that changed is not routed.
  const l7 = compareWitnesses(sa, sb, { unchanged: unchangedWitnesses({ cluster: a, model: sa.model }, { cluster: b, model: sb.model }, same) });
  changes.push(...l7Changes(l7));
  const ma = PolicyModel.build({ state: a, objects: a.objects.values() });
  const mb = PolicyModel.build({ state: b, objects: b.objects.values() });
  const reach = diffReachability(a, b, ma, mb);
  changes.push(...reach.changes);
  // The rules query the same simulation (and the same L7 model when built with the default
  // options, and the same policy model: the one RuleContext would build).
  const shared = (side: WitnessSide) => (options.l7 === undefined ? side.model : undefined);
  const ra = runRules(before, { profile, budget: options.budget, cluster: a, l7: shared(sa), policy: ma });
  // Rules that look at each object alone check only the objects that changed on the after side.
  const rb = runRules(after, { profile, budget: options.budget, cluster: b, l7: shared(sb), policy: mb, reuse: { previous: ra, unchanged: same } });
  changes.push(...diffFindings(ra.violations, rb.violations));
  changes.sort((x, y) => x.namespace.localeCompare(y.namespace) || IMPACT_ORDER[x.impact] - IMPACT_ORDER[y.impact] ||
    x.subject.localeCompare(y.subject) || x.message.localeCompare(y.message));
  return { changes, witnesses: l7.witnesses, notes: [...l7Notes(l7), ...reach.notes] };
}

/**
 * Without a profile, large inputs get more nodes (lib/engine/profile.ts sizedProfile) so their
 * pods are not Pending for lack of room; both sides get the larger of the two, so a scale-up
 * is an endpoints change and not a change of cluster.
 */
export function sharedProfile(before: readonly ManifestObject[], after: readonly ManifestObject[]): ClusterProfileInfo | undefined {
  const pa = sizedProfile(before); const pb = sizedProfile(after);
  if (!pa || !pb) return pa ?? pb;
  return pb.nodes.length > pa.nodes.length ? pb : pa;
}

/** Witness differences grouped: one change per namespace and identical before -> after. */
function l7Changes(l7: WitnessComparison): DiffChange[] {
  const groups = new Map<string, { namespace: string; before: string; after: string; requests: string[] }>();
  for (const d of l7.differences) {
    const key = `${d.witness.namespace}\0${d.before.text}\0${d.after.text}`;
    const g = groups.get(key) ?? { namespace: d.witness.namespace, before: d.before.text, after: d.after.text, requests: [] };
    g.requests.push(d.request);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    impact: 'routing' as const, namespace: g.namespace, subject: g.requests[0], message: `${g.before} -> ${g.after}`, requests: g.requests,
  }));
}

/** Notes on the L7 comparison: rows not covered exactly, and changed requests whose outcome is open on a side. */
function l7Notes(l7: WitnessComparison): string[] {
  const notes = [...l7.notes];
  for (const d of l7.ambiguous) {
    const a = d.before.ambiguities.join('; '); const b = d.after.ambiguities.join('; ');
    if (d.before.key === d.after.key && a === b) continue;
    notes.push(`${d.request}: the outcome depends on something the manifests leave open: ${[a && `before: ${a}`, b && `after: ${b}`].filter(Boolean).join('; ')}`);
  }
  return notes;
}

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
      const pod = cluster.pods.get(`${ref.namespace ?? ''}/${ref.name}`);
      const o = pod?.owner;
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

function diffServices(a: Cluster, b: Cluster): DiffChange[] {
  const out: DiffChange[] = [];
  const ids = new Map<string, string>();
  const keys = [...new Set([...a.services.keys(), ...b.services.keys()])].sort();
  for (const key of keys) {
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
function diffDns(a: Cluster, b: Cluster): DiffChange[] {
  const da = new DnsModel(a); const db = new DnsModel(b);
  const out: DiffChange[] = [];
  for (const [key, sa] of a.services) {
    const sb = b.services.get(key);
    // Added, removed or ExternalName changes are said by the Service lines already.
    if (!sb || sa.externalName !== sb.externalName) continue;
    const x = dnsAnswer(da, sa); const y = dnsAnswer(db, sb);
    if (x !== y) out.push({ impact: 'routing', namespace: sa.namespace, subject: `Service ${sa.namespace}/${sa.name}`, message: `DNS ${sa.name}.${sa.namespace}.svc.${da.domain}: ${x} -> ${y}` });
  }
  return out;
}

/**
 * Policy decisions (lib/engine/policy: NetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy)
 * that flip, per source workload -> destination workload and declared port, as `netkit reach`
 * computes them. Only pairs that exist on both sides: a new workload is not a policy change.
 * Skipped when neither side has a policy (everything is allowed on both).
 */
function diffReachability(a: Cluster, b: Cluster, ma: PolicyModel, mb: PolicyModel): { changes: DiffChange[]; notes: string[] } {
  const count = (m: PolicyModel) => m.networkPolicies.length + m.clusterPolicies.length + m.authorizationPolicies.length;
  if (count(ma) === 0 && count(mb) === 0) return { changes: [], notes: [] };
  const wa = reachWorkloads(a).length; const wb = reachWorkloads(b).length;
  if (Math.max(wa, wb) ** 2 > MAX_REACH_PAIRS) {
    return { changes: [], notes: [`reachability not compared: ${Math.max(wa, wb)} workloads make over ${MAX_REACH_PAIRS} pairs (use netkit reach --focus per workload)`] };
  }
  const cells = (m: PolicyModel, c: Cluster) => new Map(reachMatrix(m, c).cells.map((x) => [`${x.from} -> ${x.to}:${x.port}/${x.protocol}`, x]));
  const ca = cells(ma, a); const cb = cells(mb, b);
  // One change per destination port and direction of the flip, naming every source workload.
  const groups = new Map<string, { to: string; port: string; flip: string; from: string[] }>();
  for (const [k, x] of ca) {
    const y = cb.get(k);
    if (!y || x.allowed === y.allowed) continue;
    const flip = `${x.allowed ? 'allowed' : 'denied'} -> ${y.allowed ? 'allowed' : 'denied'}`;
    const port = `${x.port}/${x.protocol}`;
    const g = groups.get(`${x.to} ${port} ${flip}`) ?? { to: x.to, port, flip, from: [] };
    g.from.push(x.from);
    groups.set(`${x.to} ${port} ${flip}`, g);
  }
  const out: DiffChange[] = [...groups.values()].map((g) => ({
    impact: 'reachability' as const, namespace: g.to.split('/')[0], subject: `${g.to}:${g.port}`,
    message: `${g.flip} from ${g.from.length} workload${g.from.length === 1 ? '' : 's'}: ${g.from.join(', ')}`,
  }));
  const notes = [...new Set([...reachMatrixNotes(ma), ...reachMatrixNotes(mb)])];
  return { changes: out, notes };
}

function reachMatrixNotes(m: PolicyModel): string[] {
  return m.problems.map((p) => `policy not modelled in full: ${p.ref.kind} ${p.ref.namespace ? `${p.ref.namespace}/` : ''}${p.ref.name} ${p.path}: ${p.message}`);
}

function findingKey(v: Violation): string {
  return `${v.ruleId} ${v.object.kind} ${v.object.namespace ?? ''}/${v.object.name} ${v.path} ${v.message}`;
}

function diffFindings(a: readonly Violation[], b: readonly Violation[]): DiffChange[] {
  const ka = new Map(a.map((v) => [findingKey(v), v])); const kb = new Map(b.map((v) => [findingKey(v), v]));
  const out: DiffChange[] = [];
  const one = (v: Violation, verb: string) => out.push({
    impact: 'finding', namespace: v.object.namespace ?? '', subject: `${v.object.kind} ${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}`,
    message: `${verb} ${v.severity} [${v.ruleId}] ${v.message}`,
  });
  for (const [k, v] of kb) if (!ka.has(k)) one(v, 'finding introduced:');
  for (const [k, v] of ka) if (!kb.has(k)) one(v, 'finding fixed:');
  return out;
}

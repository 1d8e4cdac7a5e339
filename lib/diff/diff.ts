/**
 * Behaviour diff of two simulated clusters (issue 20, first cut): build both sides with the same
 * profile, then compare what the cluster does — per Service endpoints (by workload and pod),
 * readiness, ports, type and exposure — and the validator findings introduced and fixed. Text of
 * the manifests is never compared: a reordered or reformatted manifest is "no change".
 */
import type { ManifestObject } from '../manifest';
import { Cluster } from '../engine/cluster';
import { sizedProfile } from '../engine/profile';
import { PolicyModel } from '../engine/policy/evaluate';
import { reachMatrix, reachWorkloads } from '../engine/policy/matrix';
import type { ClusterProfileInfo } from '../engine/model';
import type { SimulationBudget } from '../engine/budget';
import { runRules } from '../rules/runner';
import type { Violation } from '../rules/types';
import type { L7Options } from '../engine/l7/types';
import { ShadowProbes } from '../rules/l7/shadow';
import { compareWitnesses, WitnessSide, type WitnessComparison } from './witness';
import { identicalObjects, sameServiceKeys, unchangedRequest, unchangedWitnesses } from './reuse';
import { diffDns, diffServices, quietServices } from './services';
import type { DiffChange, DiffImpact } from './change';

export type { DiffChange, DiffImpact } from './change';

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
  // Services simulated the same with the same endpoints on both sides say nothing (the fast path of both comparisons).
  const sameServices = sameServiceKeys(a, b);
  const quiet = quietServices(a, b, sameServices);
  const changes: DiffChange[] = [...diffServices(a, b, quiet), ...diffDns(a, b, quiet)];
  const sa = new WitnessSide(a, options.l7); const sb = new WitnessSide(b, options.l7);
  const same = identicalObjects(before, after);
  // Both sides share the profile and the L7 options: a witness that reads nothing that changed is not routed.
  const unchanged = unchangedWitnesses({ cluster: a, model: sa.model }, { cluster: b, model: sb.model }, same, sameServices);
  const l7 = compareWitnesses(sa, sb, { unchanged });
  changes.push(...l7Changes(l7));
  const ma = PolicyModel.build({ state: a, objects: a.objects.values() });
  const mb = PolicyModel.build({ state: b, objects: b.objects.values() });
  const reach = diffReachability(a, b, ma, mb);
  changes.push(...reach.changes);
  // The rules query the same simulation (and the same L7 model when built with the default
  // options, and the same policy model: the one RuleContext would build).
  const shared = (side: WitnessSide) => (options.l7 === undefined ? side.model : undefined);
  // The shadowing rule's probes of requests that route the same on both sides are not routed again on the after side.
  const probes = options.l7 === undefined ? new ShadowProbes() : undefined;
  const ra = runRules(before, { profile, budget: options.budget, cluster: a, l7: shared(sa), policy: ma, shadowProbes: probes });
  // Rules that look at each object alone check only the objects that changed on the after side.
  const rb = runRules(after, { profile, budget: options.budget, cluster: b, l7: shared(sb), policy: mb, reuse: { previous: ra, unchanged: same },
    shadowProbes: unchanged && probes?.reusedFor((r) => unchangedRequest(unchanged, r)) });
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

/**
 * Running one differential scenario: apply it to the real control plane, let the controllers
 * settle, do the same through the engine, compare at every checkpoint (after the initial apply
 * and after each step). See compare.ts for what each comparison covers.
 *
 * Why workloads go first and Services second: the EndpointSlice controller packs endpoints into
 * slices as they arrive, so when pods start one batch at a time the split into slices depends
 * on the batches. With every pod already running when the Service is created, the controller
 * sees the whole set in one sync, which is the case a one-shot engine build describes.
 */
import type { ObjectResult } from '../../lib/apply/apply';
import type { Difference } from '../../lib/apply/compare';
import type { Diagnostic } from '../../lib/engine/diagnostics';
import { profileFromNodes } from '../../lib/apply/live';
import type { KubeObject } from '../../lib/apply/types';
import type { ClusterChange } from '../../lib/engine/changes';
import { Cluster } from '../../lib/engine/cluster';
import { matchesMap } from '../../lib/engine/controllers/label-selector';
import { syntheticNode } from '../../lib/engine/profile';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';
import { nodeObject } from '../cluster/profile';
import type { LiveCluster } from './cluster';
import {
  compareHandWritten, compareKubernetesService, comparePodsByOwner, comparePredicted, compareReplayed, compareShapes, engineShape, liveConsistency, liveShape, pairLivePods, replayCluster,
  replayReconciler, sliceInvariants, type LiveSnapshot,
} from './compare';
import { EXTRA_NODE_TAINT, workloadSelector, type PodPick, type Scenario, type Step } from './scenarios';
import { replicasOf, settle } from './settle';

/** `--max-endpoints-per-slice` of the local kube-controller-manager (test/cluster/up) and the engine default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** Prefix of the extra nodes a scenario adds (removed again after it). */
export const EXTRA_NODE_PREFIX = 'nkd-node-';

/** The comparisons of one checkpoint; each list empty when it matched. */
export interface CheckpointResult {
  readonly scenario: string;
  readonly label: string;
  /** Live pods in the namespace. */
  readonly pods: number;
  /** Live Endpoints addresses: ready / not ready, over every Service of the scenario. */
  readonly addresses: { readonly ready: number; readonly notReady: number };
  /** Live EndpointSlices. */
  readonly slices: number;
  /** Until the last change the controllers made (ms). */
  readonly settleMs: number;
  /** How long the engine took for the same state (build, or applying the step), ms. */
  readonly engineMs: number;
  /** Non-empty when the wait timed out. */
  readonly pending: readonly string[];
  readonly predict: readonly Difference[];
  readonly replay: readonly Difference[];
  /** Slice counts and sizes (while the slice history is one build), plus invariants. */
  readonly shape: readonly Difference[];
  /** Undefined when the step added endpoints (the reconciler replay does not apply). */
  readonly reconciler?: readonly Difference[];
  /** Live self-consistency (nodeName, zone, pod IP in node CIDR). */
  readonly consistency: readonly Difference[];
  /** Objects the API server refused against those the engine rejects (an error diagnostic on the object). */
  readonly rejections: readonly Difference[];
  /** Engine diagnostics at error severity (other than the rejections the live cluster made too). */
  readonly engineErrors: readonly string[];
  /** Objects the API server refused or admitted unlike the engine (`Scenario.rejected`). */
  readonly admission?: readonly Difference[];
}

/** True when nothing in the checkpoint differs. */
export function passed(r: CheckpointResult): boolean {
  return r.pending.length === 0 && r.predict.length === 0 && r.replay.length === 0 && r.shape.length === 0 &&
    (r.reconciler?.length ?? 0) === 0 && r.consistency.length === 0 && r.rejections.length === 0 && r.engineErrors.length === 0 && (r.admission?.length ?? 0) === 0;
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Leave the namespace (and extra nodes) in place afterwards. */
  readonly keep?: boolean;
  readonly log: (line: string) => void;
}

function loadObjects(objects: readonly JsonObject[]): ReturnType<typeof fromObjects>['objects'] {
  const r = fromObjects(objects, '<scenario>');
  if (r.errors.length > 0) throw new Error(`scenario manifests do not load: ${r.errors.map(String).join('; ')}`);
  return r.objects;
}

/**
 * Extra nodes as test/cluster/profile.ts registers nodes, tainted, with pod CIDRs 10.2.201.0/24
 * and up, each allocating 250 pods (a /24 holds 254) so scenarios past 1,000 endpoints fit.
 */
export function extraNodes(count: number): KubeObject[] {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  return Array.from({ length: count }, (_, i) => {
    const base = syntheticNode(201 + i, zones[i % zones.length]);
    const n = nodeObject({ ...base, allocatablePods: EXTRA_NODE_PODS, name: `${EXTRA_NODE_PREFIX}${i + 1}`, labels: { ...base.labels, 'kubernetes.io/hostname': `${EXTRA_NODE_PREFIX}${i + 1}` } }) as KubeObject;
    return { ...n, spec: { ...(n.spec as object), taints: [{ ...EXTRA_NODE_TAINT }] } };
  });
}

/** The profile the engine simulates the live cluster on: its nodes, and its API server as test/cluster/up runs it. */
export function engineProfile(live: LiveCluster, nodes: readonly KubeObject[]): ReturnType<typeof profileFromNodes> {
  return { ...profileFromNodes(nodes), apiServer: live.apiServer() };
}

/** Allocatable pods of each extra node. */
export const EXTRA_NODE_PODS = 250;

const ENDPOINT_KINDS = new Set(['Service', 'Endpoints', 'EndpointSlice']);

function withReplicas(objects: readonly JsonObject[], kind: string, name: string, replicas: number): JsonObject[] {
  return objects.map((o) => (o.kind === kind && (o.metadata as { name: string }).name === name ? { ...o, spec: { ...(o.spec as object), replicas } } : o));
}

/** A `terminate` step's pods given by name (bare pods) rather than picked from a workload. */
export function isPodNames(pods: readonly string[] | PodPick): pods is readonly string[] {
  return Array.isArray(pods);
}

/** The live pods a step names (see {@link PodPick}). */
export function pickPods(objects: readonly JsonObject[], snap: LiveSnapshot, pick: PodPick): KubeObject[] {
  if (pick.workload.kind === 'Pod') return snap.pods.filter((p) => p.metadata.name === pick.workload.name);
  const w = objects.find((o) => o.kind === pick.workload.kind && (o.metadata as { name: string }).name === pick.workload.name);
  if (!w) throw new Error(`step names ${pick.workload.kind} ${pick.workload.name}, which the scenario does not have`);
  const selector = workloadSelector(w);
  const pods = snap.pods.filter((p) => !p.metadata.deletionTimestamp && matchesMap(selector, p.metadata.labels ?? {}))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return pick.indexes.map((i) => {
    const p = pods[i];
    if (!p) throw new Error(`step picks pod ${i} of ${pick.workload.kind} ${pick.workload.name}, which has ${pods.length}`);
    return p;
  });
}

function endpointKeys(slices: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const s of slices) {
    for (const e of (s.endpoints as { addresses?: string[]; targetRef?: { name?: string } }[] | undefined) ?? []) {
      out.add(`${s.metadata.labels?.['kubernetes.io/service-name']}/${e.targetRef?.name ?? ''}/${e.addresses?.[0] ?? ''}`);
    }
  }
  return out;
}

function addressCounts(endpoints: readonly KubeObject[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const e of endpoints) {
    for (const s of (e.subsets as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] | undefined) ?? []) {
      ready += s.addresses?.length ?? 0;
      notReady += s.notReadyAddresses?.length ?? 0;
    }
  }
  return { ready, notReady };
}

/** Do one step on the cluster and on the engine; returns the manifests as they now are and the engine's time. */
async function doStep(live: LiveCluster, ns: string, step: Step, objects: JsonObject[], snap: LiveSnapshot, engine: Cluster): Promise<{ objects: JsonObject[]; engineMs: number }> {
  const changes: ClusterChange[] = [];
  switch (step.type) {
    case 'scale': {
      objects = withReplicas(objects, step.workload.kind, step.workload.name, step.replicas);
      const w = objects.find((o) => o.kind === step.workload.kind && (o.metadata as { name: string }).name === step.workload.name) as JsonObject;
      await live.apply([w]);
      changes.push({ type: 'scale', workload: { kind: step.workload.kind, namespace: ns, name: step.workload.name }, replicas: step.replicas });
      break;
    }
    case 'setReady': {
      const pods = pickPods(objects, snap, step.pods);
      // The engine's pods are paired with the live ones within each workload (generated names differ).
      const pairs = pairLivePods(engine, snap.pods);
      for (const p of pods) {
        await live.setPodReady(ns, p.metadata.name, step.ready);
        const enginePod = pairs.get(`${ns}/${p.metadata.name}`);
        if (!enginePod) throw new Error(`live pod ${ns}/${p.metadata.name} pairs with no engine pod`);
        changes.push({ type: 'setPodReady', pod: enginePod, ready: step.ready });
      }
      break;
    }
    case 'terminate': {
      if (isPodNames(step.pods)) {
        for (const name of step.pods) {
          await live.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name }, { dryRun: false });
          changes.push({ type: 'setPodTerminating', pod: `${ns}/${name}` });
        }
        break;
      }
      const pairs = pairLivePods(engine, snap.pods);
      for (const p of pickPods(objects, snap, step.pods)) {
        const enginePod = pairs.get(`${ns}/${p.metadata.name}`);
        if (!enginePod) throw new Error(`live pod ${ns}/${p.metadata.name} pairs with no engine pod`);
        await live.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: p.metadata.name }, { dryRun: false });
        changes.push({ type: 'setPodTerminating', pod: enginePod });
      }
      break;
    }
  }
  const t0 = performance.now();
  for (const c of changes) engine.apply(c);
  return { objects, engineMs: performance.now() - t0 };
}

/**
 * The objects the API server refused (`rejected`, from the runner's apply) against the objects
 * the engine rejects: an error diagnostic naming the object, in namespace `ns`. Returns the
 * differences and the engine's other errors.
 */
export function compareRejections(ns: string, rejected: readonly ObjectResult[], diagnostics: readonly Diagnostic[]): { differences: Difference[]; otherErrors: string[] } {
  const live = new Map(rejected.map((r) => [`${r.ref.kind} ${ns}/${r.ref.name}`, r.error?.message ?? r.outcome]));
  const engine = new Map<string, string>();
  const otherErrors: string[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const k = d.object && (d.object.namespace ?? 'default') === ns ? `${d.object.kind} ${ns}/${d.object.name}` : undefined;
    if (k) engine.set(k, `${d.code}: ${d.message}`);
    else otherErrors.push(`${d.code}: ${d.message}`);
  }
  const differences: Difference[] = [];
  for (const k of [...new Set([...live.keys(), ...engine.keys()])].sort()) {
    if (live.has(k) && engine.has(k)) continue;
    differences.push({ object: k, field: 'rejected when applied', expected: engine.get(k) ?? null, live: live.get(k) ?? null, kind: 'service' });
  }
  return { differences, otherErrors };
}

/** Run one scenario; returns one result per checkpoint. Throws only for problems of the run itself (API errors, timeouts creating namespaces). */
export async function runScenario(live: LiveCluster, sc: Scenario, opts: RunOptions): Promise<CheckpointResult[]> {
  const ns = `nkd-${sc.id}`;
  const timeoutMs = sc.settleTimeoutMs ?? 120_000;
  const results: CheckpointResult[] = [];
  const extra = extraNodes(sc.extraNodes ?? 0);
  const log = (s: string): void => opts.log(`[${sc.id}] ${s}`);
  if (extra.length > 0) {
    log(`adding ${extra.length} tainted nodes (${extra.map((n) => n.metadata.name).join(', ')})`);
    await live.createNodes(extra);
  }
  try {
    await live.freshNamespace(ns);
    let objects = sc.objects(ns);
    const rejected: ObjectResult[] = [];
    let replicas = replicasOf(objects);
    const first = objects.filter((o) => !ENDPOINT_KINDS.has(String(o.kind)));
    const onPending = (p: readonly string[]): void => log(`waiting: ${p.slice(0, 3).join('; ')}`);
    if (first.length > 0) {
      const startedAt = Date.now();
      await live.apply(first, undefined, rejected);
      const s = await settle(live, { namespace: ns, objects: first, replicas, timeoutMs, onPending, startedAt });
      if (s.pending.length > 0) throw new Error(`workloads did not start: ${s.pending.join('; ')}`);
      log(`${s.snap.pods.length} pods running after ${(s.ms / 1000).toFixed(1)}s`);
    }
    let startedAt = Date.now();
    await live.apply(objects.filter((o) => ENDPOINT_KINDS.has(String(o.kind))), undefined, rejected);
    let settled = await settle(live, { namespace: ns, objects, replicas, timeoutMs, onPending, startedAt });
    // The engine simulates the cluster's own nodes (names, zones, pod CIDRs).
    const t0 = performance.now();
    const engine = Cluster.build(loadObjects(objects), engineProfile(live, settled.snap.nodes));
    const buildMs = performance.now() - t0;
    // Objects the API server refused must be the ones the engine rejects (creation order, issue 16 point 4).
    const rej = compareRejections(ns, rejected, engine.diagnostics);
    const engineErrors = rej.otherErrors;
    const rejections = rej.differences;
    if (rejected.length > 0) log(`rejected by the API server: ${rejected.map((r) => `${r.ref.kind} ${r.ref.name} (${r.error?.reason ?? '?'})`).join(', ')}`);
    let fresh = true;
    // Services the scenario says the API server refuses for their IP families: the engine words
    // those refusals as the API server does (service-ip-family-*), so its message must be inside
    // the API server's. Other refusals (allocation conflicts) are compared by object above.
    const refusals = new Map<string, string | undefined>();
    const familyRefusal = (name: string): boolean => engine.diagnostics.some((d) => d.code.startsWith('service-ip-family') && d.object?.kind === 'Service' && d.object.name === name && (d.object.namespace ?? 'default') === ns);
    for (const entry of sc.rejected ?? []) {
      if (!entry.startsWith('Service/')) continue;
      const name = entry.slice('Service/'.length);
      if (!familyRefusal(name)) continue;
      refusals.set(name, rejected.find((r) => r.ref.kind === 'Service' && r.ref.name === name)?.error?.message);
    }
    const admission = compareAdmission(ns, refusals, engine);
    results.push({ ...checkpoint(sc.id, 'initial', objects, settled, engine, buildMs, undefined, fresh, engineErrors, rejections), admission });
    if (sc.kubernetesService) {
      const [service, endpoints, endpointSlices] = await Promise.all([
        live.client.get({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'kubernetes' }),
        live.client.list('v1', 'Endpoints', { namespace: 'default' }),
        live.client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' }),
      ]);
      const first = results[results.length - 1];
      const extra = compareKubernetesService(engine, { service, endpoints: endpoints.filter((e) => e.metadata.name === 'kubernetes'), endpointSlices });
      results[results.length - 1] = { ...first, predict: [...first.predict, ...extra] };
    }
    log(`initial: ${summary(results[results.length - 1])}`);
    for (const step of sc.steps ?? []) {
      const before = settled.snap;
      startedAt = Date.now();
      const r = await doStep(live, ns, step, objects, before, engine);
      objects = r.objects;
      replicas = replicasOf(objects);
      settled = await settle(live, { namespace: ns, objects, replicas, timeoutMs, onPending, startedAt });
      const keysBefore = endpointKeys(before.endpointSlices);
      const added = [...endpointKeys(settled.snap.endpointSlices)].some((k) => !keysBefore.has(k));
      const removed = [...keysBefore].some((k) => !endpointKeys(settled.snap.endpointSlices).has(k));
      // Once endpoints came or went, the slice split depends on the controller's history.
      if (added || removed) fresh = false;
      results.push(checkpoint(sc.id, step.label, objects, settled, engine, r.engineMs, added ? undefined : before, fresh, engineErrors, rejections));
      log(`${step.label}: ${summary(results[results.length - 1])}`);
    }
  } finally {
    if (!opts.keep) {
      await live.deleteNamespace(ns);
      if (extra.length > 0) await live.deleteNodes(extra.map((n) => n.metadata.name));
    }
  }
  return results;
}

/**
 * The API server's refusals against the engine's: each Service of `Scenario.rejected` must be
 * refused by both, with the engine's message (`Service "x" is invalid: ...`) inside the API
 * server's, and absent from the engine's Services.
 */
function compareAdmission(ns: string, refusals: ReadonlyMap<string, string | undefined>, engine: Cluster): Difference[] {
  const out: Difference[] = [];
  for (const [name, liveMessage] of refusals) {
    const object = `Service ${ns}/${name}`;
    const diag = engine.diagnostics.find((d) => d.severity === 'error' && d.object?.kind === 'Service' && d.object.name === name && (d.object.namespace ?? 'default') === ns);
    const simulated = engine.services.has(`${ns}/${name}`);
    // Listed as refused, but the API server took it: the scenario (or the engine, when it refused too) is wrong.
    if (liveMessage === undefined) out.push({ object, field: '(admission)', expected: `refused (Scenario.rejected)${diag ? `; engine: ${diag.message}` : ''}`, live: 'admitted', kind: 'service' });
    else if (!diag || simulated) out.push({ object, field: '(admission)', expected: simulated ? 'admitted' : 'refused without a diagnostic', live: liveMessage, kind: 'service' });
    else if (!liveMessage.includes(diag.message)) out.push({ object, field: '(admission message)', expected: diag.message, live: liveMessage, kind: 'service' });
  }
  return out;
}

function summary(r: CheckpointResult): string {
  const n = (r.admission?.length ?? 0) + r.predict.length + r.replay.length + r.shape.length + (r.reconciler?.length ?? 0) + r.consistency.length + r.pending.length + r.rejections.length;
  return `${r.pods} pods, ${r.slices} slices, settled in ${(r.settleMs / 1000).toFixed(1)}s: ${n === 0 ? 'match' : `${n} difference(s)`}`;
}

function checkpoint(
  scenario: string, label: string, objects: readonly JsonObject[], settled: { snap: LiveSnapshot; ms: number; pending: readonly string[] },
  engine: Cluster, engineMs: number, before: LiveSnapshot | undefined, fresh: boolean, engineErrors: readonly string[],
  rejections: readonly Difference[],
): CheckpointResult {
  const snap = settled.snap;
  const replay = replayCluster(objects, snap);
  const shape = [
    ...(fresh ? compareShapes(engineShape(engine.endpointSlices), liveShape(snap.endpointSlices)) : []),
    ...sliceInvariants(snap.endpointSlices, MAX_ENDPOINTS_PER_SLICE),
  ];
  return {
    scenario, label,
    pods: snap.pods.length,
    addresses: addressCounts(snap.endpoints),
    slices: snap.endpointSlices.length,
    settleMs: settled.ms,
    engineMs,
    pending: settled.pending,
    predict: [...comparePredicted(engine, snap, fresh).differences, ...comparePodsByOwner(engine, snap, `nkd-${scenario}`), ...compareHandWritten(engine, snap, `nkd-${scenario}`, objects)],
    replay: compareReplayed(replay, snap, fresh).differences,
    shape,
    ...(before ? { reconciler: replayReconciler(before.endpointSlices, snap.endpointSlices, replay, snap.services, MAX_ENDPOINTS_PER_SLICE) } : {}),
    consistency: liveConsistency(snap),
    rejections,
    engineErrors,
  };
}

/**
 * Waiting until Kubernetes' controllers are done: the workloads have their pods, every pod has
 * been started by KWOK (Running, with an IP), every selector Service's EndpointSlices hold as
 * many (ready) endpoints as the live pods call for, and nothing in the namespace changed for a
 * quiet period. "As many as the live pods call for" is the engine replaying the live pods,
 * compared through `lib/apply/wait.ts` (the counts `netkit apply --wait` uses); if the engine
 * were wrong there, the wait ends at its timeout and the comparison shows the difference.
 */
import { readLive } from '../../lib/apply/live';
import type { KubeObject } from '../../lib/apply/types';
import { liveEndpointCounts, pendingServices, predictEndpoints } from '../../lib/apply/wait';
import { matchesMap } from '../../lib/engine/controllers/label-selector';
import type { JsonObject } from '../../lib/manifest/objects';
import type { LiveCluster } from './cluster';
import { sleep } from './poll';
import { workloadSelector } from './scenarios';
import { replayCluster, type LiveSnapshot } from './compare';

/** Read everything the comparison needs from one namespace (plus the nodes). */
export async function snapshot(live: LiveCluster, namespace: string): Promise<LiveSnapshot> {
  const [state, nodes] = await Promise.all([readLive(live.client, [namespace]), live.client.list('v1', 'Node')]);
  return { ...state, nodes };
}

type Json = Record<string, unknown>;

/** The replicas each replicated workload of the objects asks for (its spec, 1 when unset), keyed `Kind/name`: what {@link podsPending} counts against. */
export function replicasOf(objects: readonly JsonObject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet' && o.kind !== 'ReplicationController') continue;
    out.set(`${String(o.kind)}/${String((o.metadata as { name: string }).name)}`, Number((o.spec as { replicas?: number }).replicas ?? 1));
  }
  return out;
}

/** Why the pods of the namespace are not all up yet (empty when they are). */
export function podsPending(objects: readonly JsonObject[], snap: LiveSnapshot, replicas: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  const alive = snap.pods.filter((p) => !p.metadata.deletionTimestamp);
  for (const o of objects) {
    const kind = String(o.kind);
    const name = String((o.metadata as Json).name);
    if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicationController') {
      const selector = workloadSelector(o);
      const want = replicas.get(`${kind}/${name}`) ?? 0;
      const have = alive.filter((p) => matchesMap(selector, p.metadata.labels ?? {})).length;
      if (have !== want) out.push(`${kind} ${name}: ${have} of ${want} pods`);
    } else if (kind === 'Job') {
      // Settled once the Job's expected pods all finished (KWOK's pod-complete stage).
      const want = expectedJobPods(o);
      const done = snap.pods.filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === name && (p.status as Json | undefined)?.phase === 'Succeeded').length;
      if (done !== want) out.push(`Job ${name}: ${done} of ${want} pods Succeeded`);
    } else if (kind === 'Pod' && !snap.pods.some((p) => p.metadata.name === name)) {
      out.push(`Pod ${name}: not created`);
    }
  }
  const notStarted = snap.pods.filter((p) => !isStarted(p));
  if (notStarted.length > 0) out.push(`${notStarted.length} pod(s) not Running with an IP yet (e.g. ${notStarted[0].metadata.name})`);
  return out;
}

function isStarted(p: KubeObject): boolean {
  const status = (p.status ?? {}) as Json;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return true;
  return (status.phase === 'Running' && typeof status.podIP === 'string' && status.podIP !== '') || isUnschedulable(p);
}

/**
 * Pods a Job ends with when every pod succeeds (`manageJob` in `pkg/controller/job`): the
 * completions, or parallelism pods for a work queue; none when suspended. Computed here from the
 * manifest, independently of the engine, so that a wrong engine shows as a difference.
 */
export function expectedJobPods(job: JsonObject): number {
  const spec = (job.spec ?? {}) as { completions?: number; parallelism?: number; suspend?: boolean };
  if (spec.suspend === true) return 0;
  const parallelism = spec.parallelism ?? 1;
  if (spec.completions === undefined) return spec.parallelism === undefined ? 1 : parallelism;
  return parallelism === 0 ? 0 : spec.completions;
}

/** Pending with `PodScheduled=False, reason Unschedulable`: the scheduler found no node, a settled state. */
export function isUnschedulable(p: KubeObject): boolean {
  const conditions = ((p.status ?? {}) as { conditions?: { type?: string; status?: string; reason?: string }[] }).conditions ?? [];
  return conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
}

/** A digest of what the controllers write: pods' IP and readiness, Endpoints and slices by resourceVersion. */
export function fingerprint(snap: LiveSnapshot): string {
  const rv = (list: readonly KubeObject[]): string => list.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`).sort().join(',');
  return [rv(snap.pods), rv(snap.endpoints), rv(snap.endpointSlices), rv(snap.services)].join('|');
}

/** Options of {@link settle}. */
export interface SettleOptions {
  readonly namespace: string;
  /** The scenario's manifests as applied so far (the Services, workloads and pods to wait for). */
  readonly objects: readonly JsonObject[];
  /** Current replica count per `Kind/name` workload. */
  readonly replicas: ReadonlyMap<string, number>;
  readonly timeoutMs: number;
  /** Nothing may change for this long. @default 1000 */
  readonly quietMs?: number;
  /** Called now and then with what is pending. */
  readonly onPending?: (pending: readonly string[]) => void;
  /** When the change being waited for was sent (Date.now()); settle times count from it. @default the call */
  readonly startedAt?: number;
}

/** The settled state and how long it took; `pending` is non-empty when the timeout ended the wait. */
export interface Settled {
  readonly snap: LiveSnapshot;
  /** From `startedAt` to the last change seen (or to the timeout). */
  readonly ms: number;
  readonly pending: readonly string[];
}

/** Poll until settled (see the module comment) or the timeout. */
export async function settle(live: LiveCluster, o: SettleOptions): Promise<Settled> {
  const start = o.startedAt ?? Date.now();
  const quietMs = o.quietMs ?? 1000;
  let last = '';
  let since = Date.now();
  let lastReport = since;
  for (;;) {
    const snap = await snapshot(live, o.namespace);
    const now = Date.now();
    const fp = fingerprint(snap);
    if (fp !== last) { last = fp; since = now; }
    const pending = podsPending(o.objects, snap, o.replicas);
    if (pending.length === 0 && o.objects.some((x) => x.kind === 'Service')) {
      const replay = replayCluster(o.objects, snap);
      pending.push(...pendingServices(predictEndpoints(replay), liveEndpointCounts(snap.endpointSlices)));
    }
    // Settled: everything there and nothing moved for the quiet period. Settled-at is when
    // the last change was seen, not when we noticed the quiet.
    if (pending.length === 0 && now - since >= quietMs) return { snap, ms: since - start, pending };
    if (now - start > o.timeoutMs) {
      return { snap, ms: now - start, pending: pending.length > 0 ? pending : [`still changing after ${Math.round(o.timeoutMs / 1000)}s`] };
    }
    if (o.onPending && pending.length > 0 && now - lastReport > 10_000) { o.onPending(pending); lastReport = now; }
    await sleep(250);
  }
}

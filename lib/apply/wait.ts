/**
 * `netkit apply --wait`: what "settled" means, as pure checks over live objects, plus the poll
 * loop. Settled is (1) every applied workload rolled out, with the conditions `kubectl rollout
 * status` uses (kubectl `pkg/polymorphichelpers/rollout_status.go`), and (2) every applied
 * Service with a selector has, in its live EndpointSlices, as many endpoints and ready endpoints
 * as the runtime predicts for the same manifests.
 */
import type { ClusterStateView } from '../engine/model';
import { explainWorkloads, type WorkloadExplanation } from './explain';
import { forEachInOrder } from './pool';
import type { KubeClient, KubeObject } from './types';
import { describeRef, refOf } from './types';

/** Endpoint counts of one Service. */
export interface EndpointCounts {
  readonly total: number;
  readonly ready: number;
}

/** What the runtime predicts for one Service. */
export interface ServicePrediction extends EndpointCounts {
  readonly namespace: string;
  readonly name: string;
}

/** The runtime's endpoint counts for the Services with a selector (`namespace/name` keys). */
export function predictEndpoints(state: ClusterStateView, serviceKeys?: ReadonlySet<string>): ServicePrediction[] {
  const out: ServicePrediction[] = [];
  for (const [key, svc] of state.services) {
    if (serviceKeys && !serviceKeys.has(key)) continue;
    if (svc.selector === undefined || svc.type === 'ExternalName') continue;
    const seen = new Map<string, boolean>();
    for (const s of state.endpointSlices.get(key) ?? []) {
      for (const e of s.endpoints) seen.set(`${s.addressType}/${e.addresses[0]}`, e.conditions.ready);
    }
    out.push({ namespace: svc.namespace, name: svc.name, total: seen.size, ready: [...seen.values()].filter((r) => r).length });
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

interface SliceJson {
  readonly addressType?: string;
  readonly endpoints?: readonly { readonly addresses?: readonly string[]; readonly conditions?: { readonly ready?: boolean } }[];
}

/**
 * Live endpoint counts per Service (`namespace/name`) from EndpointSlices (label
 * `kubernetes.io/service-name`). An endpoint listed in two slices (mid-update) counts once;
 * `ready` unset counts as ready, as the API documents for consumers.
 */
export function liveEndpointCounts(slices: readonly KubeObject[]): Map<string, EndpointCounts> {
  const seen = new Map<string, Map<string, boolean>>();
  for (const s of slices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${s.metadata.namespace ?? 'default'}/${svc}`;
    let m = seen.get(key);
    if (!m) seen.set(key, (m = new Map()));
    const body = s as unknown as SliceJson;
    for (const e of body.endpoints ?? []) {
      const addr = e.addresses?.[0];
      if (addr === undefined) continue;
      m.set(`${body.addressType ?? ''}/${addr}`, e.conditions?.ready !== false);
    }
  }
  const out = new Map<string, EndpointCounts>();
  for (const [k, m] of seen) out.set(k, { total: m.size, ready: [...m.values()].filter((r) => r).length });
  return out;
}

/** Services whose live counts differ from the prediction, each as one line. */
export function pendingServices(predictions: readonly ServicePrediction[], live: ReadonlyMap<string, EndpointCounts>): string[] {
  const out: string[] = [];
  for (const p of predictions) {
    const l = live.get(`${p.namespace}/${p.name}`) ?? { total: 0, ready: 0 };
    if (l.total === p.total && l.ready === p.ready) continue;
    out.push(`Service ${p.namespace}/${p.name}: ${l.ready} of ${l.total} endpoints ready, the runtime predicts ${p.ready} of ${p.total}`);
  }
  return out;
}

type Json = Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Kinds {@link rolloutPending} understands. */
export const ROLLOUT_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * Why a live workload has not finished rolling out, or undefined when it has (the checks of
 * `kubectl rollout status`). A Deployment past its progress deadline is reported as such.
 */
export function rolloutPending(o: KubeObject): string | undefined {
  const spec = (o.spec ?? {}) as Json;
  const status = (o.status ?? {}) as Json;
  const generation = o.metadata.generation ?? 0;
  const observed = num(status.observedGeneration);
  const who = describeRef(refOf(o));
  if (observed < generation || (o.kind === 'StatefulSet' && observed === 0)) return `${who}: the controller has not seen the latest spec yet`;
  switch (o.kind) {
    case 'Deployment': {
      const conditions = (status.conditions ?? []) as { type?: string; reason?: string }[];
      if (conditions.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) return `${who}: exceeded its progress deadline`;
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      const updated = num(status.updatedReplicas);
      if (updated < want) return `${who}: ${updated} of ${want} new replicas updated`;
      if (num(status.replicas) > updated) return `${who}: ${num(status.replicas) - updated} old replicas pending termination`;
      if (num(status.availableReplicas) < updated) return `${who}: ${num(status.availableReplicas)} of ${updated} updated replicas available`;
      return undefined;
    }
    case 'StatefulSet': {
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      if (num(status.readyReplicas) < want) return `${who}: ${num(status.readyReplicas)} of ${want} pods ready`;
      const strategy = (spec.updateStrategy ?? {}) as { type?: string; rollingUpdate?: { partition?: number } };
      if (strategy.type === 'OnDelete') return undefined;
      const partition = num(strategy.rollingUpdate?.partition);
      if (partition > 0) {
        const need = want - partition;
        return num(status.updatedReplicas) < need ? `${who}: ${num(status.updatedReplicas)} of ${need} pods updated (partition ${partition})` : undefined;
      }
      if (status.updateRevision !== status.currentRevision) return `${who}: rolling update to revision ${String(status.updateRevision)} not complete`;
      return undefined;
    }
    case 'DaemonSet': {
      const desired = num(status.desiredNumberScheduled);
      if (num(status.updatedNumberScheduled) < desired) return `${who}: ${num(status.updatedNumberScheduled)} of ${desired} pods updated`;
      if (num(status.numberAvailable) < desired) return `${who}: ${num(status.numberAvailable)} of ${desired} pods available`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** What to wait for. */
export interface WaitTargets {
  /** Applied workloads (Deployment, StatefulSet, DaemonSet). */
  readonly workloads: readonly { readonly apiVersion: string; readonly kind: string; readonly namespace: string; readonly name: string }[];
  /** The runtime's predictions for the applied Services with a selector. */
  readonly services: readonly ServicePrediction[];
}

/** Options of {@link waitUntilSettled}. */
export interface WaitOptions {
  readonly timeoutMs: number;
  /** @default 500 */
  readonly intervalMs?: number;
  /** Called with the pending list after every poll that is not settled. */
  readonly onPoll?: (pending: readonly string[]) => void;
  /**
   * Explain why the pending workloads are not ready (their pods: scheduling, claims, images,
   * readiness; see `explain.ts`) at most this often while waiting, and always at the deadline.
   */
  readonly explainEveryMs?: number;
  /** Called with each explanation made while waiting. */
  readonly onExplain?: (explained: readonly WorkloadExplanation[]) => void;
  /** Clock and sleep (tests). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The outcome of a wait: settled, or what was still pending at the deadline. */
export interface WaitResult {
  readonly settled: boolean;
  readonly elapsedMs: number;
  readonly pending: readonly string[];
  /** Why the pending workloads were not ready at the end (with `explainEveryMs`). */
  readonly explained?: readonly WorkloadExplanation[];
}

/** How many reads one poll has in flight at most. */
const POLL_CONCURRENCY = 8;

type WorkloadRef = WaitTargets['workloads'][number];

function workloadKey(w: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${w.apiVersion}/${w.kind}/${w.namespace ?? ''}/${w.name}`;
}

/**
 * One poll: what is pending now, in the order of the targets. Reads, concurrently: one LIST of
 * EndpointSlices per namespace; the workloads with one LIST per kind and namespace where several
 * share them, else one GET each.
 */
export async function pendingNow(client: KubeClient, targets: WaitTargets): Promise<string[]> {
  return (await poll(client, targets)).pending;
}

/** One poll: the pending lines and the live workloads that are not rolled out. */
async function poll(client: KubeClient, targets: WaitTargets): Promise<{ pending: string[]; workloads: KubeObject[] }> {
  const groups = new Map<string, WorkloadRef[]>();
  for (const w of targets.workloads) {
    const k = `${w.apiVersion}/${w.kind}/${w.namespace}`;
    groups.set(k, [...(groups.get(k) ?? []), w]);
  }
  type Read = { readonly workloads: readonly WorkloadRef[] } | { readonly slicesOf: string };
  const reads: Read[] = [
    ...[...groups.values()].map((workloads) => ({ workloads })),
    ...[...new Set(targets.services.map((s) => s.namespace))].sort().map((slicesOf) => ({ slicesOf })),
  ];
  const live = new Map<string, KubeObject>();
  const slices: KubeObject[] = [];
  await forEachInOrder(reads, POLL_CONCURRENCY, async (r): Promise<KubeObject[]> => {
    if ('slicesOf' in r) return client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: r.slicesOf });
    const [w] = r.workloads;
    if (r.workloads.length > 1) return client.list(w.apiVersion, w.kind, { namespace: w.namespace });
    const o = await client.get({ apiVersion: w.apiVersion, kind: w.kind, namespace: w.namespace, name: w.name });
    return o ? [o] : [];
  }, (objects, r) => {
    if ('slicesOf' in r) slices.push(...objects);
    else for (const o of objects) live.set(workloadKey({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }), o);
  });
  const pending: string[] = [];
  const workloads: KubeObject[] = [];
  for (const w of targets.workloads) {
    const o = live.get(workloadKey(w));
    if (!o) { pending.push(`${w.kind} ${w.namespace}/${w.name}: not found`); continue; }
    const why = rolloutPending(o);
    if (why) {
      pending.push(why);
      workloads.push(o);
    }
  }
  pending.push(...pendingServices(targets.services, liveEndpointCounts(slices)));
  return { pending, workloads };
}

/** Poll until nothing is pending or the timeout passes. API errors propagate. */
export async function waitUntilSettled(client: KubeClient, targets: WaitTargets, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = now();
  let lastExplained = start;
  for (;;) {
    const { pending, workloads } = await poll(client, targets);
    const elapsedMs = now() - start;
    if (pending.length === 0) return { settled: true, elapsedMs, pending };
    if (elapsedMs >= options.timeoutMs) {
      if (options.explainEveryMs === undefined) return { settled: false, elapsedMs, pending };
      return { settled: false, elapsedMs, pending, explained: await explainWorkloads(client, workloads) };
    }
    options.onPoll?.(pending);
    if (options.explainEveryMs !== undefined && workloads.length > 0 && now() - lastExplained >= options.explainEveryMs) {
      lastExplained = now();
      options.onExplain?.(await explainWorkloads(client, workloads));
    }
    await sleep(Math.min(options.intervalMs ?? 500, Math.max(0, options.timeoutMs - elapsedMs)));
  }
}

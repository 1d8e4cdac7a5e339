/**
 * Why a workload is not ready yet, for `netkit apply --wait`: read its pods and say, per distinct
 * reason, what holds them back, as `kubectl describe` would show it:
 *
 * - not scheduled: the scheduler's `PodScheduled=False` condition (reason `Unschedulable`) with
 *   its message (`0/3 nodes are available: ...`), set by kube-scheduler
 *   (`pkg/scheduler/schedule_one.go` handleSchedulingFailure);
 * - a PersistentVolumeClaim that is Pending: no StorageClass named and no default class
 *   (`storageclass.kubernetes.io/is-default-class`), a class that does not exist, or waiting for
 *   the class's provisioner (the PV controller, `pkg/controller/volume/persistentvolume`);
 * - containers waiting: image pulls (`ErrImagePull`, `ImagePullBackOff`), crash loops and config
 *   errors, with the kubelet's message;
 * - running but not ready: readiness failing;
 * - no pods at all: the workload's own failure condition (`ReplicaFailure` for Deployments).
 */
import { forEachInOrder } from './pool';
import { KubeApiError, describeRef, refOf, type KubeClient, type KubeObject } from './types';

type Json = Record<string, unknown>;

interface Condition { readonly type?: string; readonly status?: string; readonly reason?: string; readonly message?: string }
interface ContainerStatus {
  readonly name?: string;
  readonly ready?: boolean;
  readonly state?: { readonly waiting?: { readonly reason?: string; readonly message?: string }; readonly running?: Json; readonly terminated?: { readonly reason?: string; readonly exitCode?: number } };
}

/** The explanation of one workload. */
export interface WorkloadExplanation {
  /** `StatefulSet data/postgres`. */
  readonly workload: string;
  /** One line per distinct reason, e.g. `3 pods: not scheduled: 0/3 nodes are available: ...`. */
  readonly reasons: readonly string[];
}

/** `matchLabels` as a label selector (`matchExpressions` are left out: a superset of pods, filtered by owner below). */
function selectorOf(o: KubeObject): string | undefined {
  const sel = ((o.spec as Json | undefined)?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** Reasons one pod is not ready (empty when it is). */
export function podReasons(pod: KubeObject): string[] {
  const status = (pod.status ?? {}) as { conditions?: Condition[]; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; phase?: string };
  const conditions = status.conditions ?? [];
  if (pod.metadata.deletionTimestamp) return ['terminating'];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return [`not scheduled (${scheduled.reason ?? 'Unschedulable'}): ${scheduled.message ?? 'no message from the scheduler'}`];
  if (!scheduled && !(pod.spec as Json | undefined)?.nodeName) return ['not scheduled yet (the scheduler has not decided)'];
  if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return [];
  const out: string[] = [];
  for (const [kind, list] of [['init container', status.initContainerStatuses ?? []], ['container', status.containerStatuses ?? []]] as const) {
    for (const c of list) {
      const waiting = c.state?.waiting;
      if (waiting?.reason && waiting.reason !== 'PodInitializing' && waiting.reason !== 'ContainerCreating') {
        const what = IMAGE_REASONS.has(waiting.reason) ? 'image pull failing' : waiting.reason === 'CrashLoopBackOff' ? 'crash-looping' : 'waiting';
        out.push(`${kind} ${c.name ?? '?'} ${what} (${waiting.reason})${waiting.message ? `: ${waiting.message}` : ''}`);
      } else if (waiting) {
        out.push(`${kind} ${c.name ?? '?'} starting (${waiting.reason})`);
      } else if (c.state?.terminated && kind === 'container') {
        out.push(`container ${c.name ?? '?'} terminated (${c.state.terminated.reason ?? 'exit'} ${c.state.terminated.exitCode ?? ''})`.trim());
      } else if (c.state?.running && c.ready === false && kind === 'container') {
        out.push(`container ${c.name ?? '?'} running but not ready (readiness probe failing)`);
      }
    }
  }
  if (out.length === 0) {
    const ready = conditions.find((c) => c.type === 'Ready');
    out.push(ready?.message ? `not ready: ${ready.message}` : `not ready yet (phase ${status.phase ?? 'unknown'})`);
  }
  return out;
}

/** The claims a pod mounts. */
function claimsOf(pod: KubeObject): string[] {
  const volumes = ((pod.spec as Json | undefined)?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[];
  return volumes.map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => typeof n === 'string');
}

/** Why a Pending claim is not bound, given the StorageClasses of the cluster (undefined: cannot list them). */
export function claimReason(pvc: KubeObject, classes: readonly KubeObject[] | undefined): string | undefined {
  const status = (pvc.status ?? {}) as { phase?: string };
  if (status.phase !== 'Pending') return undefined;
  const who = `PersistentVolumeClaim ${pvc.metadata.namespace}/${pvc.metadata.name} is Pending`;
  const spec = (pvc.spec ?? {}) as { storageClassName?: string | null; volumeName?: string };
  if (spec.volumeName) return `${who}: waiting to bind PersistentVolume ${spec.volumeName}`;
  const cls = spec.storageClassName;
  if (cls === '') return `${who}: storageClassName "" asks for a pre-made PersistentVolume and none matches it (fix: create a matching PersistentVolume)`;
  if (!classes) return `${who}${cls ? `: StorageClass ${cls}` : ''} (the StorageClasses cannot be read to say more)`;
  if (cls === undefined || cls === null) {
    const def = classes.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    if (!def) return `${who}: it names no StorageClass, the cluster has no default StorageClass, and no PersistentVolume matches it (fix: set storageClassName to a class with a provisioner, mark one as default, or create a matching PersistentVolume)`;
    return `${who}: waiting for the default StorageClass ${def.metadata.name} (provisioner ${String((def as Json).provisioner ?? '?')})`;
  }
  const named = classes.find((c) => c.metadata.name === cls);
  if (!named) return `${who}: StorageClass ${cls} does not exist (fix: create it or use one of: ${classes.map((c) => c.metadata.name).join(', ') || 'none exist'})`;
  const mode = String((named as Json).volumeBindingMode ?? 'Immediate');
  return `${who}: waiting for provisioner ${String((named as Json).provisioner ?? '?')} of StorageClass ${cls}${mode === 'WaitForFirstConsumer' ? ' (binds once a pod using it is scheduled)' : ''}`;
}

/** Explain why each of `workloads` (live objects that are not rolled out) is not ready. */
export async function explainWorkloads(client: KubeClient, workloads: readonly KubeObject[]): Promise<WorkloadExplanation[]> {
  let classes: KubeObject[] | undefined | null = null;
  const storageClasses = async (): Promise<KubeObject[] | undefined> => {
    if (classes === null) {
      try {
        classes = await client.list('storage.k8s.io/v1', 'StorageClass');
      } catch (e) {
        if (!(e instanceof KubeApiError)) throw e;
        classes = undefined;
      }
    }
    return classes;
  };
  const out: WorkloadExplanation[] = [];
  await forEachInOrder(workloads, 4, async (w) => explainOne(client, w, storageClasses), (e) => out.push(e));
  return out;
}

async function explainOne(client: KubeClient, w: KubeObject, storageClasses: () => Promise<KubeObject[] | undefined>): Promise<WorkloadExplanation> {
  const workload = describeRef(refOf(w));
  const selector = selectorOf(w);
  const ns = w.metadata.namespace;
  if (!selector || ns === undefined) return { workload, reasons: [] };
  let pods: KubeObject[];
  try {
    pods = await client.list('v1', 'Pod', { namespace: ns, labelSelector: selector });
  } catch (e) {
    if (!(e instanceof KubeApiError)) throw e;
    return { workload, reasons: [`cannot read its pods: ${e.describe()}`] };
  }
  const conditions = ((w.status as Json | undefined)?.conditions ?? []) as Condition[];
  const failure = conditions.find((c) => (c.type === 'ReplicaFailure' && c.status === 'True') || (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded'));
  if (pods.length === 0) return { workload, reasons: [failure?.message ? `no pods: ${failure.message}` : 'no pods created yet'] };
  // Group pods by reason: "2 pods: not scheduled: ..." instead of one line per pod.
  const byReason = new Map<string, string[]>();
  const claims = new Set<string>();
  for (const pod of pods) {
    const reasons = podReasons(pod);
    for (const r of reasons) byReason.set(r, [...(byReason.get(r) ?? []), pod.metadata.name]);
    if (reasons.length > 0) for (const c of claimsOf(pod)) claims.add(c);
  }
  const reasons = [...byReason.entries()].map(([r, names]) => `${names.length === 1 ? `pod ${names[0]}` : `${names.length} pods (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`}: ${r}`);
  if (failure?.message) reasons.push(failure.message);
  for (const name of [...claims].sort()) {
    let pvc: KubeObject | undefined;
    try {
      pvc = await client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name });
    } catch (e) {
      if (!(e instanceof KubeApiError)) throw e;
      continue;
    }
    if (!pvc) {
      reasons.push(`PersistentVolumeClaim ${ns}/${name} does not exist`);
      continue;
    }
    const why = claimReason(pvc, await storageClasses());
    if (why) reasons.push(why);
  }
  return { workload, reasons };
}

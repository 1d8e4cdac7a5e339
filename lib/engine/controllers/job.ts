/**
 * Job and CronJob controllers (kubernetes `pkg/controller/job/job_controller.go`,
 * `pkg/controller/cronjob/cronjob_controllerv2.go`), modelled at the state a cluster settles in.
 *
 * Job: `manageJob` keeps `min(parallelism, completions - succeeded)` pods active until
 * `completions` pods have succeeded; without `completions` (a work queue) it starts `parallelism`
 * pods and stops creating once one succeeded. The engine models every pod as succeeding (what the
 * local control plane's KWOK nodes do: their default `pod-complete` stage moves Job-owned Running
 * pods to Succeeded at once), so a Job ends with `completions` (or `parallelism`) Succeeded pods,
 * none when `suspend: true` or parallelism 0. Succeeded pods are no endpoints and hold no node
 * capacity, so they are kept as {@link FinishedPodInfo}, not as running pods. Pods are named
 * `<job>-` + 5 characters (Indexed: `<job>-<index>-` + 5, hostname `<job>-<index>`, label and
 * annotation `batch.kubernetes.io/job-completion-index`) and carry the labels the API server adds
 * when it generates the selector (`pkg/registry/batch/job/strategy.go` generateSelector):
 * `job-name`, `batch.kubernetes.io/job-name`, `controller-uid`, `batch.kubernetes.io/controller-uid`.
 * Not simulated (and said so with an info diagnostic when a Service selects the pods): pods
 * while they run (a Service selecting them has endpoints until they finish), failures and
 * `backoffLimit`, `activeDeadlineSeconds`, `ttlSecondsAfterFinished`.
 *
 * CronJob: nothing exists until the schedule fires (`syncCronJob` creates a Job only at a
 * scheduled time), so right after apply there are no Jobs and no pods. The Jobs it makes later
 * are not simulated; a Service selecting their pods gets an info diagnostic.
 */
import { ManifestObject, refKey } from '../../manifest/objects';
import { DiagnosticSink } from '../diagnostics';
import { nameSuffix } from '../hash';
import { FinishedPodInfo, ObjectRef } from '../model';
import { simulatedUID } from '../serialize';
import { ClusterStore, ObjectController, SyncQueue } from '../store';
import { matchesSelector } from './label-selector';
import { dig, intField, jsonObject, rawTemplate } from './raw-template';
import type { LabelSelectorManifest } from '../../manifest/types';

/** Labels the API server adds to a Job's pod template when it generates the selector. */
export const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;
export const JOB_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'] as const;
/** The completion index label of an Indexed Job's pods. */
export const JOB_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

/** The pods a batch/v1 Job leaves behind once it completed; undefined when the API server rejects it. */
export function jobPods(obj: ManifestObject, sink: DiagnosticSink): FinishedPodInfo[] | undefined {
  if (obj.apiVersion !== 'batch/v1') return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const name = `Job ${namespace}/${obj.ref.name}`;
  const template = rawTemplate(obj, ['spec', 'template'], sink);
  if (!template) return undefined;
  // ValidateJobSpec: the pod template's restartPolicy must be OnFailure or Never.
  const restart = dig(obj.raw, 'spec', 'template', 'spec', 'restartPolicy');
  if (restart !== 'Never' && restart !== 'OnFailure') {
    sink.add({ severity: 'error', code: 'job-restart-policy', message: `${name}: spec.template.spec.restartPolicy must be Never or OnFailure (it is ${restart === undefined ? 'unset, defaulted to Always' : String(restart)}); the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.template.spec.restartPolicy', hint: 'set restartPolicy: Never or OnFailure' });
    return undefined;
  }
  const parallelism = intField(obj, ['spec', 'parallelism'], 1, sink);
  // SetDefaults_Job: both unset means one completion; parallelism alone leaves completions nil (a work queue).
  const completions = intField(obj, ['spec', 'completions'], dig(obj.raw, 'spec', 'parallelism') === undefined ? 1 : undefined, sink);
  if (parallelism === null || parallelism === undefined || completions === null) return undefined;
  const indexed = dig(obj.raw, 'spec', 'completionMode') === 'Indexed';
  if (indexed && completions === undefined) {
    sink.add({ severity: 'error', code: 'job-indexed-completions', message: `${name}: completionMode Indexed needs spec.completions; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.completions' });
    return undefined;
  }
  const uid = simulatedUID(obj.ref);
  const labels: Record<string, string> = { ...template.labels };
  const manual = dig(obj.raw, 'spec', 'manualSelector') === true;
  if (!manual) {
    for (const k of JOB_NAME_LABELS) labels[k] ??= obj.ref.name;
    for (const k of JOB_UID_LABELS) labels[k] ??= uid;
  } else {
    const selector = jsonObject(dig(obj.raw, 'spec', 'selector')) as LabelSelectorManifest | undefined;
    if (!selector || !matchesSelector(selector, labels)) {
      sink.add({ severity: 'error', code: 'workload-selector-mismatch', message: `${name}: manualSelector needs a spec.selector that matches the template labels; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.selector' });
      return undefined;
    }
  }
  if (dig(obj.raw, 'spec', 'suspend') === true) return [];
  const total = completions === undefined ? parallelism : parallelism === 0 ? 0 : completions;
  const owner: ObjectRef = { kind: 'Job', namespace, name: obj.ref.name };
  const out: FinishedPodInfo[] = [];
  for (let i = 0; i < total; i++) {
    const base = indexed ? `${obj.ref.name}-${i}` : obj.ref.name;
    out.push({
      namespace, name: `${base}-${nameSuffix(`${namespace}/${obj.ref.name}/${i}`)}`,
      labels: indexed ? { ...labels, [JOB_INDEX_LABEL]: String(i) } : labels,
      phase: 'Succeeded', owner,
      ...(indexed ? { completionIndex: i, hostname: base } : {}),
    });
  }
  return out;
}

/** Keeps the finished pods of every Job; CronJobs make nothing until their schedule fires. */
export class JobController implements ObjectController {
  public readonly kinds: readonly string[] = ['Job', 'CronJob'];
  /** Job key (`Job/ns/name`) -> its Succeeded pods. */
  public readonly finished = new Map<string, FinishedPodInfo[]>();

  constructor(private readonly store: ClusterStore) {}

  /** A Job or CronJob at build time (after the Services were admitted). */
  public add(o: ManifestObject): void {
    if (o.ref.kind === 'CronJob') { this.noteSelected(o, ['spec', 'jobTemplate', 'spec', 'template'], 'CronJob makes no pods until its schedule fires; while the pods of its Jobs run they are endpoints of'); return; }
    if (o.ref.kind !== 'Job') return;
    const pods = jobPods(o, this.store.sink);
    if (!pods) return;
    this.finished.set(refKey(o.ref), pods);
    if (pods.length > 0) this.noteSelected(o, ['spec', 'template'], `Job pods are simulated as completed (Succeeded, no endpoints); while they run they are endpoints of`, pods[0].labels);
  }

  public upsert(obj: ManifestObject): void {
    this.finished.delete(refKey(obj.ref));
    this.add(obj);
  }

  public remove(ref: ObjectRef, _obj: ManifestObject | undefined, _q: SyncQueue): void {
    this.finished.delete(refKey(ref));
  }

  /** Say so when Services select the pods this object makes (their endpoints depend on timing the engine does not model). */
  private noteSelected(o: ManifestObject, at: readonly string[], what: string, podLabels?: Readonly<Record<string, string>>): void {
    const t = jsonObject(dig(o.raw, ...at));
    const labels = podLabels ?? (jsonObject(dig(t, 'metadata', 'labels')) as Record<string, string> | undefined) ?? {};
    if (Object.keys(labels).length === 0) return;
    const ns = o.ref.namespace ?? 'default';
    const svcs = this.store.serviceIndex.servicesFor(ns, labels);
    if (svcs.length === 0) return;
    this.store.sink.add({ severity: 'info', code: 'job-pods-timing', message: `${o.ref.kind} ${ns}/${o.ref.name}: ${what} Service(s) ${[...svcs].sort().join(', ')}`, object: o.ref, source: o.source });
  }
}

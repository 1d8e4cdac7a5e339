/** Where a loaded object carries a pod spec (Pod, workload templates, CronJob's job template). */
import { asObject, asStringMap, dig } from '../core/json';
import type { ManifestObject } from './objects';

/** A pod spec inside some object, with where it is. */
export interface PodTemplateRef {
  readonly object: ManifestObject;
  /** JSON path of the pod spec, e.g. `spec.template.spec`. */
  readonly at: string;
  /** The raw pod spec. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Pod labels (template labels, or a Pod's own labels). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Kinds whose pod template is at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/**
 * Pod specs found so far, per loaded object (`null`: the object has none). Several rules and the
 * profile sizing ask for the same object's template; objects are not changed after loading.
 */
const templateCache = new WeakMap<ManifestObject, PodTemplateRef | null>();

/** The pod spec an object carries, if any (Pod, workloads, Job, CronJob). */
export function podTemplateOf(o: ManifestObject): PodTemplateRef | undefined {
  let t = templateCache.get(o);
  if (t === undefined) {
    t = readPodTemplate(o) ?? null;
    templateCache.set(o, t);
  }
  return t ?? undefined;
}

/**
 * The apiVersion at which each kind's pod spec is schema-checked by the loader (`schemas.ts`,
 * and the Job/CronJob/ReplicationController templates in `objects.ts`). Only those are read:
 * rules see typed, checked pod specs, never a CRD's or an unserved version's.
 */
const CHECKED_AT: Readonly<Record<string, string>> = {
  Pod: 'v1', Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', ReplicationController: 'v1',
};

function readPodTemplate(o: ManifestObject): PodTemplateRef | undefined {
  if (!Object.prototype.hasOwnProperty.call(CHECKED_AT, o.ref.kind) || CHECKED_AT[o.ref.kind] !== o.apiVersion) return undefined;
  let template: unknown;
  let at: string;
  if (o.ref.kind === 'Pod') {
    const spec = asObject(dig(o.raw, 'spec'));
    return spec ? { object: o, at: 'spec', spec, labels: asStringMap(dig(o.raw, 'metadata', 'labels')) } : undefined;
  }
  if (TEMPLATE_KINDS.has(o.ref.kind)) {
    template = dig(o.raw, 'spec', 'template');
    at = 'spec.template.spec';
  } else if (o.ref.kind === 'CronJob') {
    template = dig(o.raw, 'spec', 'jobTemplate', 'spec', 'template');
    at = 'spec.jobTemplate.spec.template.spec';
  } else {
    return undefined;
  }
  const spec = asObject(dig(template, 'spec'));
  return spec ? { object: o, at, spec, labels: asStringMap(dig(template, 'metadata', 'labels')) } : undefined;
}


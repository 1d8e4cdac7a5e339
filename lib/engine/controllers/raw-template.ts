/**
 * Pod templates of workload kinds the loader does not type (ReplicationController, Job, CronJob,
 * Argo Rollout): read from the raw object with the same schema the loader checks Deployment
 * templates with (`manifest/schemas.ts` podTemplateSchema; `objects.ts` already rejected wrong
 * types at load for the built-in kinds).
 */
import { ManifestObject } from '../../manifest/objects';
import { podTemplateSchema } from '../../manifest/schemas';
import type { PodSpecManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { TemplateParts } from './workload';

type Json = Record<string, unknown>;

/** A plain JSON object, or undefined. */
export function jsonObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : undefined;
}

/** The value at `path` of a raw object. */
export function dig(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = jsonObject(cur)?.[k];
  return cur;
}

/** A non-negative integer field, the default when absent; undefined (reported) when it is something else. */
export function intField(obj: ManifestObject, path: string[], dflt: number | undefined, sink: DiagnosticSink): number | undefined | null {
  const v = dig(obj.raw, ...path);
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  sink.add({ severity: 'error', code: 'workload-invalid-field', message: `${obj.ref.kind} ${obj.ref.namespace ?? 'default'}/${obj.ref.name}: ${path.join('.')} must be a non-negative integer; the API server rejects it`, object: obj.ref, source: obj.source, path: path.join('.') });
  return null;
}

/** The pod template at `path` (labels and spec), or undefined (reported) when there is none or it does not parse. */
export function rawTemplate(obj: ManifestObject, path: readonly string[], sink: DiagnosticSink): TemplateParts | undefined {
  const at = path.join('.');
  const t = dig(obj.raw, ...path);
  const parsed = podTemplateSchema.safeParse(t);
  if (t === undefined || !parsed.success || !parsed.data.spec) {
    sink.add({ severity: 'error', code: 'workload-template-missing', message: `${obj.ref.kind} ${obj.ref.namespace ?? 'default'}/${obj.ref.name} has no valid ${at}; it makes no pods`, object: obj.ref, source: obj.source, path: at });
    return undefined;
  }
  return { labels: parsed.data.metadata?.labels ?? {}, spec: parsed.data.spec as PodSpecManifest };
}

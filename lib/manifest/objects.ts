/**
 * Object identity and validation: one plain JSON object in, a {@link ManifestObject} or
 * {@link ManifestError}s out. Shared by the YAML loader and the in-memory entry point.
 */
import type { ObjectRef, SourceLocation } from '../core/refs';
import * as ipaddr from 'ipaddr.js';
import { ManifestError, formatPath } from './errors';
import { type QuickCheck, compileCheck } from './fast-check';
import type { FieldLocator } from './locate';
import { SCHEMAS, podTemplateSchema } from './schemas';
import type { TypedManifest } from './types';

/** A plain JSON object as written in a manifest. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** One loaded Kubernetes object. */
export interface ManifestObject {
  /** Kind, name and namespace (`default` filled in for namespaced kinds that leave it out). */
  readonly ref: ObjectRef;
  readonly apiVersion: string;
  /** The object as written. */
  readonly raw: JsonObject;
  /** The typed view for kinds the engine reads (see `schemas.ts`); undefined for other kinds. */
  readonly typed?: TypedManifest;
  /** File and line of the object's first line. */
  readonly source?: SourceLocation;
  /** Finds the line and column of a field (objects read from YAML or JSON files). */
  readonly locator?: FieldLocator;
}

/** What every loader returns: the objects that are valid and the errors found, never a throw. */
export interface LoadResult {
  readonly objects: ManifestObject[];
  readonly errors: ManifestError[];
}

/** Kinds without a namespace (the common built-ins and the networking CRDs we know of). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'IngressClass', 'GatewayClass', 'PriorityClass', 'RuntimeClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'CSIDriver',
  'ClusterIssuer', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'IPAddress', 'ServiceCIDR', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
]);

/** True for kinds that live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** `Kind/namespace/name` or `Kind/name`: the identity used for duplicate detection. */
export function refKey(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * The key an object is stored and de-duplicated under: {@link refKey}, with the kind qualified by
 * its API group (`Gateway.networking.istio.io/ns/name`) for groups outside Kubernetes' own
 * (`*.k8s.io` and the core groups), so kinds that share a name across projects (Istio's and
 * Gateway API's `Gateway`) are different objects, as the API server keeps them.
 */
export function manifestKey(o: { readonly ref: ObjectRef; readonly apiVersion: string }): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  if (group === '' || !group.includes('.') || group.endsWith('.k8s.io')) return refKey(o.ref);
  return refKey({ ...o.ref, kind: `${o.ref.kind}.${group}` });
}

/** Where an object is written: its first line, and a locator for its fields when it has a source text. */
export interface ObjectPlace {
  readonly line: number;
  readonly locator?: FieldLocator;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validate one object. `place.locator` gives lines for field paths in errors (YAML sources);
 * in-memory objects have none, and their errors carry `place.line` (the object's index + 1).
 */
export function toManifestObject(
  value: unknown,
  file: string,
  place: ObjectPlace,
): { object?: ManifestObject; errors: ManifestError[] } {
  const docLine = place.line;
  const locate = (path: readonly PropertyKey[]): number => (place.locator ? place.locator.locate(path).line : docLine);
  if (!isObject(value)) {
    return { errors: [new ManifestError('not-an-object', file, docLine, '', `a document must be a mapping (an object), got ${Array.isArray(value) ? 'a list' : typeof value}`, 'write one Kubernetes object per document, separated by `---`')] };
  }
  const errors: ManifestError[] = [];
  const kind = value.kind;
  const apiVersion = value.apiVersion;
  if (typeof kind !== 'string' || kind === '') {
    errors.push(new ManifestError('missing-kind', file, locate(['kind']), 'kind', 'the object has no `kind`', 'add `kind:` (e.g. `kind: Service`)'));
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    errors.push(new ManifestError('missing-kind', file, locate(['apiVersion']), 'apiVersion', 'the object has no `apiVersion`', 'add `apiVersion:` (e.g. `apiVersion: v1`)'));
  }
  const meta = value.metadata;
  const name = isObject(meta) ? meta.name : undefined;
  if (typeof name !== 'string' || name === '') {
    errors.push(new ManifestError('missing-name', file, locate(['metadata', 'name']), 'metadata.name', 'the object has no `metadata.name`', 'add `metadata: {name: ...}`; generateName is not supported in manifests'));
  }
  if (errors.length > 0 || typeof kind !== 'string' || typeof apiVersion !== 'string' || typeof name !== 'string') {
    return { errors };
  }
  const ns = isObject(meta) && typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const ref: ObjectRef = isClusterScoped(kind) ? { kind, name } : { kind, name, namespace: ns ?? 'default' };
  const source: SourceLocation = { file, line: docLine };
  const located = place.locator ? { locator: place.locator } : {};

  const entry = SCHEMAS[kind];
  if (!entry || !entry.apiVersions.includes(apiVersion)) {
    const templateErrors = checkOtherTemplate(value, kind, apiVersion, file, locate);
    if (templateErrors.length > 0) return { errors: templateErrors };
    return { object: { ref, apiVersion, raw: value, source, ...located }, errors };
  }
  // Most objects are valid: a quick check derived from the schema takes them as they are (no
  // copy); the rest go through zod for its exact issues.
  if (quickCheckOf(kind)?.(value)) {
    const beyond = beyondSchema(kind, value, file, locate);
    if (beyond) return { errors: [beyond] };
    return { object: { ref, apiVersion, raw: value, typed: value as unknown as TypedManifest, source, ...located }, errors };
  }
  const parsed = entry.schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path;
      errors.push(new ManifestError('invalid-field', file, locate(path), formatPath(path), issue.message, fixHint(issue.code, formatPath(path))));
    }
    return { errors };
  }
  const beyond = beyondSchema(kind, value, file, locate);
  if (beyond) return { errors: [beyond] };
  return { object: { ref, apiVersion, raw: value, typed: parsed.data, source, ...located }, errors };
}

/**
 * What the API server checks that the schemas leave out, so their quick path stays complete:
 * a Node's `spec.podCIDR` must be a CIDR (`ValidateNode`).
 */
function beyondSchema(kind: string, value: Record<string, unknown>, file: string, locate: (path: readonly PropertyKey[]) => number): ManifestError | undefined {
  if (kind !== 'Node' || !isObject(value.spec) || typeof value.spec.podCIDR !== 'string') return undefined;
  if (ipaddr.isValidCIDR(value.spec.podCIDR)) return undefined;
  const path = ['spec', 'podCIDR'];
  return new ManifestError('invalid-field', file, locate(path), formatPath(path), 'must be a valid CIDR such as 10.244.1.0/24', fixHint('custom', formatPath(path)));
}

/**
 * Pod templates of workload kinds the engine does not simulate (Jobs, CronJobs,
 * ReplicationControllers): rules read their pod specs (ports, probes), so the templates are
 * checked with the same schema as Deployments', and wrong types are load errors, not crashes.
 */
const OTHER_TEMPLATES: Readonly<Record<string, { readonly apiVersion: string; readonly at: readonly string[] }>> = {
  Job: { apiVersion: 'batch/v1', at: ['spec', 'template'] },
  CronJob: { apiVersion: 'batch/v1', at: ['spec', 'jobTemplate', 'spec', 'template'] },
  ReplicationController: { apiVersion: 'v1', at: ['spec', 'template'] },
};

function checkOtherTemplate(value: Record<string, unknown>, kind: string, apiVersion: string, file: string, locate: (path: readonly PropertyKey[]) => number): ManifestError[] {
  const entry = Object.prototype.hasOwnProperty.call(OTHER_TEMPLATES, kind) ? OTHER_TEMPLATES[kind] : undefined;
  if (!entry || entry.apiVersion !== apiVersion) return [];
  let template: unknown = value;
  for (const seg of entry.at) template = isObject(template) ? template[seg] : undefined;
  if (template === undefined) return [];
  const parsed = podTemplateSchema.safeParse(template);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = [...entry.at, ...issue.path];
    return new ManifestError('invalid-field', file, locate(path), formatPath(path), issue.message, fixHint(issue.code, formatPath(path)));
  });
}

const quickChecks = new Map<string, QuickCheck | null>();

/** The quick check of a kind's schema, compiled on first use; undefined when zod must decide. */
function quickCheckOf(kind: string): QuickCheck | undefined {
  let c = quickChecks.get(kind);
  if (c === undefined) {
    const entry = SCHEMAS[kind];
    c = (entry && compileCheck(entry.schema)) ?? null;
    quickChecks.set(kind, c);
  }
  return c ?? undefined;
}

function fixHint(code: string, path: string): string {
  switch (code) {
    case 'invalid_type': return `give \`${path}\` the type the Kubernetes API expects (quote label values, write ports as numbers)`;
    case 'too_small':
    case 'too_big': return `use a value in the allowed range for \`${path}\``;
    case 'invalid_value': return `use one of the allowed values for \`${path}\``;
    default: return `check \`${path}\` against the Kubernetes API reference`;
  }
}

/**
 * Flag objects with the same kind/namespace/name. The first one wins; later ones are dropped
 * with an error pointing at both places.
 */
export function dropDuplicates(objects: readonly ManifestObject[]): LoadResult {
  const seen = new Map<string, ManifestObject>();
  const out: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  for (const o of objects) {
    const key = manifestKey(o);
    const first = seen.get(key);
    if (first) {
      const firstAt = first.source ? `${first.source.file}:${first.source.line}` : 'an earlier object';
      errors.push(new ManifestError('duplicate', o.source?.file ?? '<memory>', o.source?.line ?? 0, 'metadata.name',
        `duplicate ${key} (first defined at ${firstAt})`, 'rename one of the objects or remove the copy'));
      continue;
    }
    seen.set(key, o);
    out.push(o);
  }
  return { objects: out, errors };
}

/** Expand `kind: List` (and `*List`) objects into their items. */
export function isListObject(value: unknown): value is { kind: string; items: unknown[] } {
  return isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/**
 * In-memory objects, e.g. from cdk8s `Testing.synth(chart)` or `app.synthYaml()` parsed.
 * `label` names the source in errors (default `<memory>`); lines are the object's index + 1.
 */
export function fromObjects(objs: readonly unknown[], label = '<memory>'): LoadResult {
  const loaded: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  let index = 0;
  const visit = (value: unknown): void => {
    index++;
    if (isListObject(value)) {
      for (const item of value.items) visit(item);
      return;
    }
    const line = index;
    const r = toManifestObject(value, label, { line });
    for (const e of r.errors) errors.push(e);
    if (r.object) loaded.push(r.object);
  };
  for (const o of objs) visit(o);
  const deduped = dropDuplicates(loaded);
  for (const e of deduped.errors) errors.push(e);
  return { objects: deduped.objects, errors };
}

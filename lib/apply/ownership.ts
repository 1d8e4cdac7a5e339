/**
 * Ownership: the labels `netkit apply` puts on every object it applies, and the test `--prune`
 * uses before deleting anything. An object is ours to prune only when it carries both labels
 * with this apply set's name *and* its managedFields show our field manager applied it (labels
 * alone are not proof: the Endpoints and EndpointSlice controllers copy a Service's labels onto
 * the objects they create).
 */
import type { KubeObject } from './types';

/** Field manager of every apply request (`metadata.managedFields[].manager`). */
export const FIELD_MANAGER = 'netkit';
/** The well-known label naming the tool that manages an object. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Its value on objects netkit applied. */
export const MANAGED_BY_VALUE = 'netkit';
/** The apply set an object belongs to (`--apply-set`, default {@link DEFAULT_APPLY_SET}). */
export const APPLY_SET_LABEL = 'netkit.io/apply-set';
/** The apply set used when `--apply-set` is not given. */
export const DEFAULT_APPLY_SET = 'default';

/** Label keys apply adds (verify ignores them when comparing copied Service labels). */
export const OWNERSHIP_LABELS: readonly string[] = [MANAGED_BY_LABEL, APPLY_SET_LABEL];

/** Kinds `--prune` never deletes: deleting them deletes everything in them. */
export const NEVER_PRUNED: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition']);

/** A label value (`ValidateLabelValue`): at most 63 characters, alphanumerics with `-_.` inside. */
export function applySetNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
    return `--apply-set ${JSON.stringify(name)}: must be 1-63 characters, letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes the ${APPLY_SET_LABEL} label value)`;
  }
  return undefined;
}

/** The label selector that finds this apply set's objects. */
export function applySetSelector(applySet: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${APPLY_SET_LABEL}=${applySet}`;
}

/** `raw` with the ownership labels added (a copy; the user's own labels are kept). */
export function withOwnership(raw: Readonly<Record<string, unknown>>, applySet: string): Record<string, unknown> {
  const meta = (raw.metadata ?? {}) as Record<string, unknown>;
  const labels = { ...((meta.labels ?? {}) as Record<string, string>), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [APPLY_SET_LABEL]: applySet };
  return { ...raw, metadata: { ...meta, labels } };
}

/** True when our field manager applied this object (server-side apply records `operation: Apply`). */
export function appliedByUs(o: KubeObject): boolean {
  return (o.metadata.managedFields ?? []).some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply');
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/**
 * Version-independent identity `group/Kind/namespace/name` (an object applied as
 * `networking.k8s.io/v1` and listed under another version is the same object).
 */
export function identity(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${name}`;
}

/** Why an object listed under our labels is (not) pruned. */
export type PruneDecision =
  | { readonly prune: true }
  | { readonly prune: false; readonly why: string };

/**
 * Decide about one object that carries our apply set's labels: prune it only when it is no
 * longer in the manifests, is not a Namespace or CRD, is not owned by a controller and was
 * applied by our field manager.
 */
export function pruneDecision(o: KubeObject, desired: ReadonlySet<string>): PruneDecision {
  if (desired.has(identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name))) return { prune: false, why: 'still in the manifests' };
  if (NEVER_PRUNED.has(o.kind)) return { prune: false, why: `${o.kind}s are never pruned (deleting one deletes everything in it); delete it yourself if you mean to` };
  if ((o.metadata.ownerReferences ?? []).some((r) => r.controller)) return { prune: false, why: 'owned by a controller' };
  if (o.metadata.deletionTimestamp) return { prune: false, why: 'already being deleted' };
  if (!appliedByUs(o)) return { prune: false, why: `carries the labels but was not applied by field manager ${FIELD_MANAGER}` };
  return { prune: true };
}

/**
 * Ownership: which objects `--prune` may delete. Membership is the ApplySet label
 * (`applyset.kubernetes.io/part-of`, see `applyset.ts`), as kubectl reads it; on top of that,
 * netkit deletes a member only when its managedFields show our field manager applied it, it is not
 * owned by a controller and it is not a Namespace or CRD (deleting one deletes everything in it).
 */
import { APPLYSET_PART_OF_LABEL } from './applyset';
import { groupOf, type KubeObject } from './types';

export { groupOf };

/** Field manager of every apply request (`metadata.managedFields[].manager`). */
export const FIELD_MANAGER = 'netkit';

/**
 * Label keys apply adds (verify ignores them when comparing copied Service labels: the
 * EndpointSlice controller copies a Service's labels onto its slices).
 */
export const OWNERSHIP_LABELS: readonly string[] = [APPLYSET_PART_OF_LABEL];

/**
 * The labels netkit used before ApplySets (`netkit.io/apply-set`, `app.kubernetes.io/managed-by=netkit`).
 * Only for the migration note in the docs and for tests: nothing selects by them any more.
 */
export const LEGACY_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'netkit', 'netkit.io/apply-set': '<name>' };

/** Kinds `--prune` never deletes: deleting them deletes everything in them. */
export const NEVER_PRUNED: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition']);

/** True when our field manager applied this object (server-side apply records `operation: Apply`). */
export function appliedByUs(o: KubeObject): boolean {
  return (o.metadata.managedFields ?? []).some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply');
}

/**
 * Version-independent identity `group/Kind/namespace/name` (an object applied as
 * `networking.k8s.io/v1` and listed under another version is the same object).
 */
export function identity(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${name}`;
}

/** Why a member of the set is (not) pruned. */
export type PruneDecision =
  | { readonly prune: true }
  | { readonly prune: false; readonly why: string };

/**
 * Decide about one member of the set (listed by its part-of label): prune it only when it is no
 * longer in the manifests (by identity, resolved with discovery, or by the uid this run's apply
 * returned), is not a Namespace or CRD, is not owned by a controller and was applied by our field
 * manager.
 */
export function pruneDecision(o: KubeObject, desired: ReadonlySet<string>, appliedUids: ReadonlySet<string> = new Set()): PruneDecision {
  if (desired.has(identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name))) return { prune: false, why: 'still in the manifests' };
  if (o.metadata.uid !== undefined && appliedUids.has(o.metadata.uid)) return { prune: false, why: 'applied by this run' };
  if (NEVER_PRUNED.has(o.kind)) return { prune: false, why: `${o.kind}s are never pruned (deleting one deletes everything in it); delete it yourself if you mean to` };
  if ((o.metadata.ownerReferences ?? []).some((r) => r.controller)) return { prune: false, why: 'owned by a controller' };
  if (o.metadata.deletionTimestamp) return { prune: false, why: 'already being deleted' };
  if (!appliedByUs(o)) return { prune: false, why: `carries the set's label but was not applied by field manager ${FIELD_MANAGER}` };
  return { prune: true };
}

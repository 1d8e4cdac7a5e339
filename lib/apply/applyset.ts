/**
 * ApplySet (KEP-3659, "kubectl apply --prune" redesign): the parent object that records a set of
 * applied objects, and the labels and annotations that tie members to it. Follows the
 * specification and kubectl's implementation (`staging/src/k8s.io/kubectl/pkg/cmd/apply/
 * applyset.go` in kubernetes), so that kubectl and netkit compute the same ids, read each other's
 * parents and agree on membership:
 *
 * - the parent is a Secret (the default, as in kubectl) or a ConfigMap, named by `--applyset
 *   [RESOURCE[.GROUP]/]NAME`, in the namespace given with `--namespace`;
 * - its label `applyset.kubernetes.io/id` is `applyset-<base64url(sha256(name.namespace.Kind.group))>-v1`;
 *   every member carries the same value in `applyset.kubernetes.io/part-of`;
 * - its annotations: `applyset.kubernetes.io/tooling` (`netkit/<version>`; a tool refuses to
 *   change a set another tool manages), `applyset.kubernetes.io/contains-group-kinds` (the sorted
 *   `Kind.group` list prune looks through) and `applyset.kubernetes.io/additional-namespaces`
 *   (namespaces of members other than the parent's own);
 * - before applying, the parent is updated to the union of what it recorded and what this run
 *   applies (an interrupted run leaks nothing); after a complete prune, to exactly this run's set.
 */
import { createHash } from 'crypto';
import { KubeApiError, describeRef, groupOf, type KubeClient, type KubeObject } from './types';

/** Label on the parent: the set's id. */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
/** Label on every member: the id of the set it belongs to. */
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
/** Annotation on the parent: `<tool>/<version>` of the tool that manages the set. */
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
/** Annotation on the parent: the group-kinds that may have members (`Kind.group`, sorted, comma-separated). */
export const APPLYSET_GKS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
/** Deprecated predecessor of {@link APPLYSET_GKS_ANNOTATION} (`resource.group`), read when the new one is missing. */
export const APPLYSET_GRS_ANNOTATION = 'applyset.kubernetes.io/contains-group-resources';
/** Annotation on the parent: namespaces of members other than the parent's. */
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
/** Our tool name in the tooling annotation. */
export const TOOL_NAME = 'netkit';
/** Field manager of parent updates (kubectl uses `<tool>-applyset`). */
export const PARENT_FIELD_MANAGER = `${TOOL_NAME}-applyset`;

/** The parent kinds netkit creates and updates (kubectl's built-in parent types). */
const PARENT_KINDS: Readonly<Record<string, { readonly kind: string; readonly apiVersion: string }>> = {
  secrets: { kind: 'Secret', apiVersion: 'v1' },
  secret: { kind: 'Secret', apiVersion: 'v1' },
  configmaps: { kind: 'ConfigMap', apiVersion: 'v1' },
  configmap: { kind: 'ConfigMap', apiVersion: 'v1' },
};

/** Where an apply set's parent lives. */
export interface ApplySetParent {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** A group-kind as written in the annotation: `Kind` (core) or `Kind.group`. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** `Kind.group`, or `Kind` for the core group (apimachinery `GroupKind.String`). */
export function formatGroupKind(gk: GroupKind): string {
  return gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`;
}

/** The inverse of {@link formatGroupKind} (apimachinery `ParseGroupKind`: up to the first dot). */
export function parseGroupKind(text: string): GroupKind {
  const i = text.indexOf('.');
  return i < 0 ? { kind: text, group: '' } : { kind: text.slice(0, i), group: text.slice(i + 1) };
}

/**
 * Parse `--applyset`: `NAME` (a Secret, kubectl's default), `secrets/NAME` or `configmaps/NAME`
 * (kubectl's `[RESOURCE][.GROUP]/NAME`). Custom-resource parents (CRDs labelled
 * `applyset.kubernetes.io/is-parent-type`) are not supported: they cannot be created
 * automatically, and netkit only manages the built-in kinds.
 */
export function parseApplySetFlag(value: string, namespace: string): ApplySetParent | { readonly problem: string } {
  const slash = value.indexOf('/');
  const resource = slash < 0 ? 'secrets' : value.slice(0, slash);
  const name = slash < 0 ? value : value.slice(slash + 1);
  const parent = PARENT_KINDS[resource.toLowerCase()];
  if (!parent) {
    return { problem: `--applyset ${JSON.stringify(value)}: the parent must be secrets/NAME or configmaps/NAME (or just NAME, a Secret); custom-resource parents are not supported` };
  }
  // A Secret or ConfigMap name is a DNS subdomain.
  if (name.length === 0 || name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    return { problem: `--applyset ${JSON.stringify(value)}: the name must be a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)` };
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    return { problem: `--namespace ${JSON.stringify(namespace)}: not a valid namespace name` };
  }
  return { ...parent, name, namespace };
}

/** `secrets/NAME` in namespace NS: how messages name the parent. */
export function describeParent(p: ApplySetParent): string {
  return `${p.kind === 'Secret' ? 'secrets' : 'configmaps'}/${p.name} (namespace ${p.namespace})`;
}

/**
 * The set's id, computed as kubectl computes it (`ApplySet.ID` in applyset.go):
 * `applyset-` + base64url without padding of sha256(`<name>.<namespace>.<kind>.<group>`) + `-v1`.
 */
export function applySetId(p: { readonly name: string; readonly namespace: string; readonly kind: string; readonly apiVersion: string }): string {
  const digest = createHash('sha256').update([p.name, p.namespace, p.kind, groupOf(p.apiVersion)].join('.')).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** The label selector of a set's members. */
export function memberSelector(id: string): string {
  return `${APPLYSET_PART_OF_LABEL}=${id}`;
}

/** What the parent recorded (before this run). */
export interface RecordedSet {
  /** The parent existed. */
  readonly exists: boolean;
  readonly groupKinds: readonly GroupKind[];
  /** Namespaces to look in for namespaced kinds: the additional ones plus the parent's. */
  readonly namespaces: readonly string[];
}

/** The parent exists but is not ours to change (another tool, a wrong id): nothing may be applied. */
export class ApplySetConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplySetConflict';
  }
}

/** Resolves a group-kind to its preferred version and scope (discovery), or undefined when not served. */
export type GroupKindResolver = (gk: GroupKind) => Promise<{ readonly apiVersion: string; readonly namespaced: boolean } | undefined>;

/**
 * Read the parent: missing is an empty set; present, it must carry our tooling (any version of
 * netkit) and the id this name computes to, else {@link ApplySetConflict} (kubectl `fetchParent`).
 */
export async function readParent(client: KubeClient, parent: ApplySetParent, resolveResource?: (resource: string) => Promise<GroupKind | undefined>): Promise<RecordedSet> {
  const live = await client.get({ apiVersion: parent.apiVersion, kind: parent.kind, namespace: parent.namespace, name: parent.name });
  if (!live) return { exists: false, groupKinds: [], namespaces: [parent.namespace] };
  const where = describeParent(parent);
  const annotations = live.metadata.annotations ?? {};
  const labels = live.metadata.labels ?? {};
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === undefined) {
    throw new ApplySetConflict(`${where} exists but is not an apply set parent (no ${APPLYSET_TOOLING_ANNOTATION} annotation); choose another --applyset name`);
  }
  const tool = toolingBaseName(tooling);
  if (tool !== TOOL_NAME) {
    throw new ApplySetConflict(`${where} is an apply set managed by ${JSON.stringify(tooling)}, not netkit; tools must not change each other's sets (use that tool, or another --applyset name)`);
  }
  const want = applySetId(parent);
  if (labels[APPLYSET_ID_LABEL] !== want) {
    throw new ApplySetConflict(`${where} has ${APPLYSET_ID_LABEL}=${JSON.stringify(labels[APPLYSET_ID_LABEL] ?? '')}, expected ${want}; it was not made for this name and namespace`);
  }
  let groupKinds: GroupKind[];
  const gks = annotations[APPLYSET_GKS_ANNOTATION];
  if (gks !== undefined) {
    groupKinds = gks === '' ? [] : gks.split(',').map(parseGroupKind);
  } else if (annotations[APPLYSET_GRS_ANNOTATION] !== undefined && resolveResource) {
    groupKinds = [];
    for (const gr of annotations[APPLYSET_GRS_ANNOTATION].split(',').filter((s) => s !== '')) {
      const gk = await resolveResource(gr);
      if (!gk) throw new ApplySetConflict(`${where}: ${APPLYSET_GRS_ANNOTATION} names ${gr}, which the server does not serve; cannot tell what the set contains`);
      groupKinds.push(gk);
    }
  } else {
    throw new ApplySetConflict(`${where} has no ${APPLYSET_GKS_ANNOTATION} annotation; cannot tell which kinds the set contains`);
  }
  const extra = (annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').filter((s) => s !== '');
  return { exists: true, groupKinds, namespaces: [...new Set([parent.namespace, ...extra])].sort() };
}

/** `kubectl/v1.36` -> `kubectl`; a value without `/` is the name (kubectl `toolingBaseName`). */
export function toolingBaseName(tooling: string): string {
  const parts = tooling.split('/');
  return parts.length >= 2 ? parts.slice(0, -1).join('/') : tooling;
}

/** The parent as server-side applied: only the fields the tool owns (kubectl `buildParentPatch`). */
export function parentBody(parent: ApplySetParent, toolVersion: string, groupKinds: readonly GroupKind[], namespaces: readonly string[]): KubeObject {
  const gks = [...new Set(groupKinds.map(formatGroupKind))].sort().join(',');
  const extra = [...new Set(namespaces)].filter((n) => n !== parent.namespace).sort().join(',');
  return {
    apiVersion: parent.apiVersion,
    kind: parent.kind,
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: `${TOOL_NAME}/${toolVersion}`,
        [APPLYSET_GKS_ANNOTATION]: gks,
        [APPLYSET_NAMESPACES_ANNOTATION]: extra,
      },
    },
  };
}

/**
 * Write the parent. A conflict on the parent's fields is retried with force, as kubectl does:
 * these annotations belong to whoever manages the set, and we checked it is us.
 */
export async function writeParent(client: KubeClient, body: KubeObject, dryRun: boolean): Promise<void> {
  try {
    await client.apply(body, { fieldManager: PARENT_FIELD_MANAGER, force: false, dryRun });
  } catch (e) {
    if (!(e instanceof KubeApiError && e.status === 409)) throw e;
    await client.apply(body, { fieldManager: PARENT_FIELD_MANAGER, force: true, dryRun });
  }
}

/** `raw` with the member label added (a copy). Refuses input that sets the label itself, as kubectl does. */
export function withMemberLabel(raw: Readonly<Record<string, unknown>>, id: string): Record<string, unknown> {
  const meta = (raw.metadata ?? {}) as Record<string, unknown>;
  const labels = { ...((meta.labels ?? {}) as Record<string, string>) };
  labels[APPLYSET_PART_OF_LABEL] = id;
  return { ...raw, metadata: { ...meta, labels } };
}

/** Input objects that set the part-of label themselves (kubectl: "ApplySet label already set in input data"). */
export function presetMemberLabel(o: KubeObject): string | undefined {
  const v = o.metadata.labels?.[APPLYSET_PART_OF_LABEL];
  return v === undefined ? undefined : `${describeRef(o.metadata.namespace ? { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name } : { kind: o.kind, name: o.metadata.name })} sets ${APPLYSET_PART_OF_LABEL} itself; remove it (apply adds it for the --applyset given)`;
}

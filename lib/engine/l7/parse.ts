/**
 * Loaded manifests -> typed L7 objects. Reads `ManifestObject.raw` (the manifest loader does not
 * type these kinds), keeps the two `Gateway` kinds apart by apiVersion, applies the API defaults
 * through the zod views in `schemas.ts`, and reports objects it cannot read as problems instead
 * of throwing.
 */
import type { ManifestObject } from '../../manifest/objects';
import { formatPath } from '../../manifest/errors';
import { L7_SCHEMAS } from './schemas';
import type { L7Kind, L7KindMap } from './kinds';
import type { L7ObjectRef, L7Problem } from './types';

/** One parsed L7 object. */
export interface L7Object<K extends L7Kind = L7Kind> {
  /** The view key (`IstioGateway` for `networking.istio.io` Gateways). */
  readonly key: K;
  readonly ref: L7ObjectRef;
  /** Empty for cluster-scoped kinds (IngressClass, GatewayClass). */
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `metadata.creationTimestamp` when the manifest sets it (synthesized manifests don't). */
  readonly created?: string;
  /** Position in load order: the stand-in for creation order when there is no timestamp. */
  readonly order: number;
  readonly spec: L7KindMap[K]['spec'];
}

/** All L7 objects of a cluster, by kind, in load order. */
export interface L7Objects {
  readonly byKind: { readonly [K in L7Kind]: readonly L7Object<K>[] };
  readonly problems: readonly L7Problem[];
}

const BY_KIND = new Map<string, (typeof L7_SCHEMAS)[number][]>();
for (const entry of L7_SCHEMAS) {
  const list = BY_KIND.get(entry.kind) ?? [];
  list.push(entry);
  BY_KIND.set(entry.kind, list);
}

/** True when the object is one of the kinds the L7 model reads. */
export function isL7Object(o: ManifestObject): boolean {
  return (BY_KIND.get(o.ref.kind) ?? []).some((e) => e.apiVersions.includes(o.apiVersion));
}

/** Parse every L7 object among `objects` (others are skipped). */
export function parseL7Objects(objects: Iterable<ManifestObject>): L7Objects {
  const byKind: { [K in L7Kind]: L7Object<K>[] } = {
    Ingress: [], IngressClass: [], GatewayClass: [], Gateway: [], HTTPRoute: [], ReferenceGrant: [],
    VirtualService: [], DestinationRule: [], IstioGateway: [], ServiceEntry: [],
  };
  const problems: L7Problem[] = [];
  let order = 0;
  for (const o of objects) {
    const entry = (BY_KIND.get(o.ref.kind) ?? []).find((e) => e.apiVersions.includes(o.apiVersion));
    if (!entry) continue;
    order++;
    const ref: L7ObjectRef = { kind: o.ref.kind, namespace: o.ref.namespace, name: o.ref.name, apiVersion: o.apiVersion, source: o.source };
    const parsed = entry.schema.safeParse(o.raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) {
        problems.push({
          code: 'invalid-object', severity: 'error', object: ref, path: formatPath(issue.path),
          message: `${o.ref.kind} ${label(ref)}: ${formatPath(issue.path) || '(object)'}: ${issue.message}; the object is left out of L7 routing`,
        });
      }
      continue;
    }
    const data = parsed.data as { metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string }; spec: unknown };
    const obj = {
      key: entry.key,
      ref,
      namespace: o.ref.namespace ?? '',
      name: o.ref.name,
      labels: data.metadata.labels ?? {},
      annotations: data.metadata.annotations ?? {},
      created: data.metadata.creationTimestamp,
      order,
      spec: data.spec,
    };
    (byKind[entry.key] as L7Object[]).push(obj as L7Object);
  }
  return { byKind, problems };
}

/** Append `v` to the list under `k`. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

/** `ns/name` or `name` for cluster-scoped objects. */
export function label(ref: { readonly namespace?: string; readonly name: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** `Kind ns/name`. */
export function describeRef(ref: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${ref.kind} ${label(ref)}`;
}

/**
 * Creation order of two objects: by `creationTimestamp` when both have one, else by load order.
 * `byTimestamp` is false when the manifests leave the order open (then say so in the trace).
 */
export function compareAge(a: L7Object, b: L7Object): { readonly cmp: number; readonly byTimestamp: boolean } {
  if (a.created && b.created && a.created !== b.created) {
    const ta = Date.parse(a.created);
    const tb = Date.parse(b.created);
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return { cmp: ta - tb, byTimestamp: true };
  }
  return { cmp: a.order - b.order, byTimestamp: false };
}

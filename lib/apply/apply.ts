/**
 * `netkit apply`: send manifests to a cluster with server-side apply, in dependency order, and
 * report per object what happened. Talks to the server only through {@link KubeClient}, so the
 * whole flow runs against an in-memory fake in the unit tests.
 *
 * - Server-side apply with field manager `netkit` (kubectl `--server-side` semantics): the
 *   request body is the whole intent, the server merges and tracks field ownership; conflicts
 *   with other managers fail unless `forceConflicts`.
 * - created / configured / unchanged: created when the object did not exist before; unchanged
 *   when its resourceVersion did not move (the API server skips the write of a no-op apply, see
 *   apiserver `pkg/endpoints/handlers/patch.go`); in a dry run, when the returned object equals
 *   the stored one (managedFields aside).
 * - Namespaces the manifests use but do not declare are created (labelled as ours) unless
 *   `createNamespaces` is off; existing ones are left alone.
 * - Order: one step of the apply order (see `order.ts`) after the other; the objects of a step
 *   (one kind) go out concurrently, at most `concurrency` requests in flight. Results and progress
 *   lines are kept in the apply order (each line is printed once it and every line before it
 *   are known), so the output is the same whichever answer arrives first.
 * - A failed object does not stop the others; a connection failure does: the requests in flight
 *   finish, nothing more is sent, and every object not yet sent is reported as not applied.
 */
import type { SourceLocation } from '../engine/model';
import type { ManifestObject } from '../manifest/objects';
import { applySteps, deleteOrder, isFirstPhase } from './order';
import { forEachInOrder } from './pool';
import { FIELD_MANAGER, applySetSelector, identity, pruneDecision, withOwnership } from './ownership';
import { KubeApiError, KubeConnectionError, describeRef, refOf, type KubeClient, type KubeObject, type KubeRef, type StatusCause } from './types';

/** What happened to one object. */
export type Outcome = 'created' | 'configured' | 'unchanged' | 'failed' | 'skipped' | 'not-applied' | 'pruned' | 'prune-failed';

/** The server's error for one object. */
export interface ObjectError {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
  readonly causes?: readonly StatusCause[];
}

/** One line of the report. */
export interface ObjectResult {
  readonly ref: KubeRef;
  readonly outcome: Outcome;
  /** Extra words: why skipped, that a namespace was implied, a CRD that never became Established. */
  readonly detail?: string;
  readonly error?: ObjectError;
  readonly source?: SourceLocation;
}

/** Options of {@link applyObjects}. */
export interface ApplyOptions {
  /** Value of the `netkit.io/apply-set` label. */
  readonly applySet: string;
  /** Server-side dry run (`dryRun=All`): validated and admitted, nothing persisted. */
  readonly dryRun: boolean;
  /** Take over fields other field managers own (`force=true`). */
  readonly forceConflicts: boolean;
  /** Create namespaces the manifests use but do not declare. @default true */
  readonly createNamespaces?: boolean;
  /** Delete objects of this apply set that are no longer in the manifests. */
  readonly prune: boolean;
  /** How long to wait for each applied CustomResourceDefinition to be Established. @default 60000 */
  readonly crdTimeoutMs?: number;
  /** One progress line per object (the CLI writes them to stderr). */
  readonly log: (line: string) => void;
  /**
   * How many requests may be in flight at once. Objects of one step of the apply order (one
   * kind) are sent concurrently; progress lines and results stay in the apply order.
   * @default 8
   */
  readonly concurrency?: number;
  /** Sleep between CRD polls (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Everything one apply did. */
export interface ApplyReport {
  readonly dryRun: boolean;
  readonly applySet: string;
  /** Applied objects (and created namespaces) in the order they were sent. */
  readonly results: readonly ObjectResult[];
  /** Objects `--prune` deleted or failed to delete. */
  readonly pruned: readonly ObjectResult[];
  /** Why prune did not run although asked (failures during apply). */
  readonly pruneSkipped?: string;
  /** Set when a connection failure stopped the run. */
  readonly aborted?: string;
}

/** Counts per outcome. */
export function countOutcomes(results: readonly ObjectResult[]): Record<Outcome, number> {
  const c: Record<Outcome, number> = { created: 0, configured: 0, unchanged: 0, failed: 0, skipped: 0, 'not-applied': 0, pruned: 0, 'prune-failed': 0 };
  for (const r of results) c[r.outcome]++;
  return c;
}

function errorOf(e: KubeApiError): ObjectError {
  return { status: e.status, reason: e.reason, message: e.message, ...(e.causes.length > 0 ? { causes: e.causes } : {}) };
}

/** Deep equality of JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The object without the server's bookkeeping: `metadata.managedFields` (a dry-run no-op may
 * answer them re-encoded, a custom resource's `f:spec` without its `.` entry, although nothing
 * would be written) and `metadata.resourceVersion`.
 */
function withoutBookkeeping(o: KubeObject): KubeObject {
  const meta: Record<string, unknown> = { ...o.metadata };
  delete meta.managedFields;
  delete meta.resourceVersion;
  return { ...o, metadata: meta as unknown as KubeObject['metadata'] };
}

/**
 * What `outcome` an apply had, from the object before and the server's answer: unchanged when
 * the resourceVersion did not move (the server skipped the write), or when it moved but the
 * object reads the same. The latter happens on the first apply after creating a custom resource
 * whose CRD has defaults (seen with the Gateway API CRDs on Kubernetes 1.36: the write goes
 * through, the object is unchanged). In a dry run nothing moves: content only.
 */
export function classify(before: KubeObject | undefined, after: KubeObject, dryRun: boolean): 'created' | 'configured' | 'unchanged' {
  if (!before) return 'created';
  if (!dryRun && before.metadata.resourceVersion !== undefined && before.metadata.resourceVersion === after.metadata.resourceVersion) return 'unchanged';
  return sameJson(withoutBookkeeping(before), withoutBookkeeping(after)) ? 'unchanged' : 'configured';
}

/** One progress line: `Service web/web configured`, `... failed: 422 Invalid: ...`. */
export function formatResult(r: ObjectResult, dryRun: boolean): string {
  const what = describeRef(r.ref);
  const dry = dryRun && r.outcome !== 'failed' && r.outcome !== 'skipped' && r.outcome !== 'not-applied' ? ' (server dry run)' : '';
  const at = r.source ? ` (${r.source.file}:${r.source.line})` : '';
  if (r.error) {
    const causes = (r.error.causes ?? []).filter((c) => c.field || c.message).map((c) => `\n    ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).join('');
    return `${what} ${r.outcome}: ${r.error.status} ${r.error.reason}: ${r.error.message}${at}${causes}`;
  }
  return `${what} ${r.outcome}${dry}${r.detail ? ` (${r.detail})` : ''}`;
}

interface Desired {
  readonly object: KubeObject;
  readonly source?: SourceLocation;
}

/**
 * How many requests {@link applyObjects} has in flight at most, by default. On the local control
 * plane (`npm run bench:live`, 2 cores) 8 gave the shortest apply-until-settled time: more
 * requests at once made the apply itself no faster and left the controllers further behind.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Apply `objects` (loaded manifests) in order; never throws for the server's sake. */
export async function applyObjects(objects: readonly ManifestObject[], client: KubeClient, options: ApplyOptions): Promise<ApplyReport> {
  const results: ObjectResult[] = [];
  const record = (r: ObjectResult): void => {
    results.push(r);
    options.log(formatResult(r, options.dryRun));
  };
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const desired: Desired[] = objects.map((o) => {
    const raw = withOwnership(o.raw, options.applySet) as { metadata: Record<string, unknown> };
    // The loader fills in `default` for namespaced kinds; send it explicitly so the server's
    // context namespace never decides where an object lands. Cluster-scoped kinds have none.
    if (o.ref.namespace !== undefined) raw.metadata = { ...raw.metadata, namespace: o.ref.namespace };
    return { object: raw as unknown as KubeObject, ...(o.source ? { source: o.source } : {}) };
  });
  let aborted: string | undefined;
  const notSent = (d: Desired, detail: string): ObjectResult => ({ ref: refOf(d.object), outcome: 'not-applied', detail, ...(d.source ? { source: d.source } : {}) });

  // Namespaces: which exist (one GET each), and create the implied ones.
  const namespaceExists = new Map<string, boolean>();
  const declared = new Set(desired.filter((d) => d.object.kind === 'Namespace' && d.object.apiVersion === 'v1').map((d) => d.object.metadata.name));
  const used = new Map<string, number>();
  for (const o of objects) if (o.ref.namespace !== undefined) used.set(o.ref.namespace, (used.get(o.ref.namespace) ?? 0) + 1);
  const ensureNamespace = async (ns: string): Promise<ObjectResult | undefined> => {
    if (aborted !== undefined) return undefined;
    try {
      namespaceExists.set(ns, (await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) !== undefined);
      if (namespaceExists.get(ns) || declared.has(ns) || options.createNamespaces === false) return undefined;
      const obj = withOwnership({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, options.applySet) as unknown as KubeObject;
      const detail = `implied: ${used.get(ns)} object${used.get(ns) === 1 ? '' : 's'} use it`;
      try {
        const r = await client.apply(obj, { fieldManager: FIELD_MANAGER, force: options.forceConflicts, dryRun: options.dryRun });
        if (!options.dryRun) namespaceExists.set(ns, true);
        return { ref: refOf(obj), outcome: classify(undefined, r.object, options.dryRun), detail };
      } catch (e) {
        if (!(e instanceof KubeApiError)) throw e;
        return { ref: refOf(obj), outcome: 'failed', error: errorOf(e), detail };
      }
    } catch (e) {
      if (!(e instanceof KubeConnectionError)) throw e;
      aborted ??= e.message;
      return undefined;
    }
  };
  await forEachInOrder([...used.keys()].sort(), limit, ensureNamespace, (r) => { if (r) record(r); });

  // The objects, one step of the apply order after the other, each step's objects concurrently.
  const crds: KubeObject[] = [];
  let known: Existing = { listed: new Set(), objects: new Map() };
  const applyStep = async (d: Desired): Promise<ObjectResult> => {
    if (aborted !== undefined) return notSent(d, 'stopped before sending it');
    try {
      return await applyOne(client, d, options, namespaceExists, known);
    } catch (e) {
      if (!(e instanceof KubeConnectionError)) throw e;
      aborted ??= e.message;
      return notSent(d, `the connection failed while applying it: ${e.message}`);
    }
  };
  for (const step of applySteps(desired.map((d) => ({ kind: d.object.kind, d }))).map((xs) => xs.map((x) => x.d))) {
    // Phase boundary: CRDs must be Established before anything that may be one of their kinds.
    if (aborted === undefined && !isFirstPhase(step[0].object.kind) && crds.length > 0) {
      try {
        await waitEstablished(client, crds.splice(0), options, record);
      } catch (e) {
        if (!(e instanceof KubeConnectionError)) throw e;
        aborted = e.message;
      }
    }
    if (aborted === undefined) {
      try {
        known = await listExisting(client, step, options, namespaceExists, limit);
      } catch (e) {
        if (!(e instanceof KubeConnectionError)) throw e;
        aborted = e.message;
      }
    }
    // Bookkeeping in the apply order (CRDs are waited for, and reported, in that order).
    await forEachInOrder(step, limit, applyStep, (r, d) => {
      record(r);
      if (options.dryRun || r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'not-applied') return;
      if (d.object.kind === 'CustomResourceDefinition') crds.push(d.object);
      if (d.object.kind === 'Namespace' && d.object.apiVersion === 'v1') namespaceExists.set(d.object.metadata.name, true);
    });
  }

  const report = { dryRun: options.dryRun, applySet: options.applySet, results, pruned: [] as ObjectResult[] };
  if (aborted !== undefined) return { ...report, aborted };
  if (!options.prune) return report;
  const failed = results.filter((r) => r.outcome === 'failed').length;
  if (failed > 0) {
    const why = `${failed} object${failed === 1 ? '' : 's'} failed; prune only runs after a complete apply`;
    options.log(`prune skipped: ${why}`);
    return { ...report, pruneSkipped: why };
  }
  try {
    const pruned = await prune(client, desired.map((d) => d.object), options);
    return { ...report, pruned };
  } catch (e) {
    if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
    const msg = e instanceof KubeApiError ? e.describe() : e.message;
    options.log(`prune stopped: ${msg}`);
    return { ...report, aborted: `prune: ${msg}` };
  }
}

/** The objects of this apply set that exist, for the kinds and namespaces of a step that were listed. */
interface Existing {
  /** {@link groupKey}s listed. */
  readonly listed: ReadonlySet<string>;
  /** By {@link identity}. */
  readonly objects: ReadonlyMap<string, KubeObject>;
}

/** The kind and namespace an object is listed under. */
function groupKey(o: KubeObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}`;
}

/**
 * What `created` / `configured` / `unchanged` needs to know about the objects before they are
 * applied, for a whole step: one LIST by this apply set's label per kind and namespace that has
 * two or more objects in the step, instead of a GET each (half the requests; the rest still get a
 * GET). An existing object the LIST does not return lacks our apply-set label, so applying it
 * changes it at least there (configured); one that does not exist is answered with 201 Created.
 * A LIST the server refuses (RBAC, an unserved kind) leaves its objects to GET.
 */
async function listExisting(client: KubeClient, step: readonly Desired[], options: ApplyOptions, namespaceExists: ReadonlyMap<string, boolean>, limit: number): Promise<Existing> {
  const counts = new Map<string, { readonly object: KubeObject; n: number }>();
  for (const d of step) {
    const k = groupKey(d.object);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { object: d.object, n: 1 });
  }
  const groups = [...counts.values()].filter((c) => c.n > 1 && !(c.object.metadata.namespace !== undefined && namespaceExists.get(c.object.metadata.namespace) === false));
  const listed = new Set<string>();
  const objects = new Map<string, KubeObject>();
  const selector = applySetSelector(options.applySet);
  await forEachInOrder(groups, limit, async ({ object: o }) => {
    try {
      return await client.list(o.apiVersion, o.kind, { ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}), labelSelector: selector });
    } catch (e) {
      if (e instanceof KubeApiError) return undefined;
      throw e;
    }
  }, (list, { object: o }) => {
    if (!list) return;
    listed.add(groupKey(o));
    for (const x of list) objects.set(identity(x.apiVersion, x.kind, x.metadata.namespace, x.metadata.name), x);
  });
  return { listed, objects };
}

async function applyOne(client: KubeClient, d: Desired, options: ApplyOptions, namespaceExists: Map<string, boolean>, known: Existing): Promise<ObjectResult> {
  const ref = refOf(d.object);
  const src = d.source ? { source: d.source } : {};
  try {
    const res = await client.resource(ref.apiVersion, ref.kind);
    if (!res) {
      return { ref, outcome: 'failed', ...src, error: { status: 404, reason: 'NotFound', message: `the server does not serve ${ref.apiVersion} ${ref.kind} (check apiVersion and kind; for a custom resource, apply its CustomResourceDefinition first)` } };
    }
    let object = d.object;
    if (!res.namespaced && object.metadata.namespace !== undefined) {
      // A kind our loader took for namespaced is cluster-scoped on this server: send no namespace.
      const meta: Record<string, unknown> = { ...object.metadata };
      delete meta.namespace;
      object = { ...object, metadata: meta as unknown as KubeObject['metadata'] };
    }
    const target = refOf(object);
    if (options.dryRun && res.namespaced && target.namespace !== undefined && namespaceExists.get(target.namespace) === false) {
      return { ref: target, outcome: 'skipped', ...src, detail: `namespace ${target.namespace} does not exist yet, and a server dry run cannot check objects in it` };
    }
    const listed = known.listed.has(groupKey(d.object));
    const before = listed ? known.objects.get(identity(target.apiVersion, target.kind, target.namespace, target.name)) : await client.get(target);
    const r = await client.apply(object, { fieldManager: FIELD_MANAGER, force: options.forceConflicts, dryRun: options.dryRun });
    const outcome = before || !listed ? classify(before, r.object, options.dryRun) : r.status === 201 ? 'created' : 'configured';
    return { ref: target, outcome, ...src };
  } catch (e) {
    if (e instanceof KubeApiError) return { ref, outcome: 'failed', ...src, error: errorOf(e) };
    throw e;
  }
}

/** Poll CRDs until their `Established` condition is True (apiextensions-apiserver sets it once the kind is served). */
async function waitEstablished(client: KubeClient, crds: readonly KubeObject[], options: ApplyOptions, record: (r: ObjectResult) => void): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (options.crdTimeoutMs ?? 60_000);
  for (const crd of crds) {
    for (;;) {
      const live = await client.get(refOf(crd));
      const conditions = ((live?.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions) ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() >= deadline) {
        record({ ref: refOf(crd), outcome: 'failed', error: { status: 0, reason: 'NotEstablished', message: `not Established after ${Math.round((options.crdTimeoutMs ?? 60_000) / 1000)}s; its custom resources will fail` } });
        break;
      }
      await sleep(250);
    }
  }
}

/** Delete this apply set's objects that are no longer wanted (see {@link pruneDecision}). */
async function prune(client: KubeClient, desiredObjects: readonly KubeObject[], options: ApplyOptions): Promise<ObjectResult[]> {
  const desired = new Set(desiredObjects.map((o) => identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
  const selector = applySetSelector(options.applySet);
  const kinds = await client.listableKinds();
  const found = new Map<string, KubeObject>();
  // The kinds are listed concurrently, and collected in discovery order.
  await forEachInOrder(kinds, options.concurrency ?? DEFAULT_CONCURRENCY, (k) => client.list(k.apiVersion, k.kind, { labelSelector: selector }), (list) => {
    for (const o of list) found.set(o.metadata.uid ?? identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name), o);
  });
  const doomed: KubeObject[] = [];
  for (const o of found.values()) {
    const d = pruneDecision(o, desired);
    if (d.prune) doomed.push(o);
    else if (!desired.has(identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)) && !d.why.startsWith('owned by')) {
      options.log(`${describeRef(refOf(o))} kept: ${d.why}`);
    }
  }
  const out: ObjectResult[] = [];
  for (const o of deleteOrder(doomed)) {
    const ref = refOf(o);
    let r: ObjectResult;
    try {
      await client.delete(ref, { dryRun: options.dryRun });
      r = { ref, outcome: 'pruned' };
    } catch (e) {
      if (!(e instanceof KubeApiError)) throw e;
      r = e.status === 404 ? { ref, outcome: 'pruned', detail: 'already gone' } : { ref, outcome: 'prune-failed', error: errorOf(e) };
    }
    out.push(r);
    options.log(formatResult(r, options.dryRun));
  }
  return out;
}

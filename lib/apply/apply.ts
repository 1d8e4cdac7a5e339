/**
 * `netkit apply`: send manifests to a cluster with server-side apply, in dependency order, and
 * report per object what happened. Talks to the server only through {@link KubeClient}, so the
 * whole flow runs against an in-memory fake in the unit tests.
 *
 * - Server-side apply with field manager `netkit` (kubectl `--server-side` semantics): the
 *   request body is the whole intent, the server merges and tracks field ownership; conflicts
 *   with other managers fail unless `forceConflicts`.
 * - Whether a kind is namespaced comes from API discovery (or, for a kind a CRD in the same
 *   manifests defines, from that CRD's `spec.scope`), never from a list: a cluster-scoped kind the
 *   loader does not know is sent, and later recognised by prune, without a namespace.
 * - Kinds the server does not serve (and no CRD in the manifests defines) are reported once per
 *   kind, with the CRD to install; none of their objects is sent.
 * - Membership: with an apply set (KEP-3659, `applyset.ts`), every object gets the set's
 *   `applyset.kubernetes.io/part-of` label, and the parent records the union of the kinds and
 *   namespaces before anything is sent, so an interrupted run leaks nothing from the set.
 * - Outcomes: created / configured / unchanged from the answer (created when the object did not
 *   exist before; unchanged when its resourceVersion did not move: the API server skips the write
 *   of a no-op apply, apiserver `pkg/endpoints/handlers/patch.go`; in a dry run, when the returned
 *   object equals the stored one, managedFields aside); failed with the server's error, or when
 *   it was never sent; unknown when the answer was lost and a re-read cannot tell.
 * - A request whose answer was lost is re-read from the server: if the live object holds what was
 *   sent, it was applied; if it did not change, it was not; otherwise unknown. When the re-read
 *   fails too, the server is gone: nothing more is sent, the rest is reported as not sent.
 * - Order: one step of the apply order (see `order.ts`) after the other; the objects of a step
 *   (one kind) go out concurrently, at most `concurrency` requests in flight, except Services
 *   that ask for a clusterIP or nodePort, sent one at a time in file order (the first wins a clash). Results and progress
 *   lines are kept in the apply order, so the output is the same whichever answer arrives first.
 * - Prune (only after a complete apply): lists the recorded group-kinds in the recorded namespaces
 *   by the part-of label, deletes members not in the manifests (see `ownership.ts`); each delete
 *   whose answer is lost is re-read, so an interrupted prune reports what is really gone.
 */
import type { SourceLocation } from '../engine/model';
import type { ManifestObject } from '../manifest/objects';
import {
  applySetId, describeParent, formatGroupKind, memberSelector, parentBody, presetMemberLabel, readParent, withMemberLabel, writeParent,
  ApplySetConflict, type ApplySetParent, type GroupKind, type RecordedSet,
} from './applyset';
import { applySteps, deleteOrder, isFirstPhase, pinsAllocation } from './order';
import { forEachInOrder } from './pool';
import { FIELD_MANAGER, identity, pruneDecision } from './ownership';
import { KubeApiError, KubeConnectionError, describeRef, groupOf, refOf, type KubeClient, type KubeObject, type KubeRef, type StatusCause } from './types';

/** What happened to one object. */
export type Outcome = 'created' | 'configured' | 'unchanged' | 'failed' | 'unknown' | 'pruned';

/** Every outcome, in report order. */
export const OUTCOMES: readonly Outcome[] = ['created', 'configured', 'unchanged', 'failed', 'unknown', 'pruned'];

/** The server's error for one object (status 0: no answer from the server, e.g. never sent). */
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
  /** Extra words: that a namespace was implied, that an answer was lost and re-read, why unknown. */
  readonly detail?: string;
  readonly error?: ObjectError;
  readonly source?: SourceLocation;
}

/** The apply set of a run: where its parent lives, and our version for the tooling annotation. */
export interface ApplySetOptions {
  readonly parent: ApplySetParent;
  /** `<version>` in `applyset.kubernetes.io/tooling: netkit/<version>`. */
  readonly toolVersion: string;
}

/** Options of {@link applyObjects}. */
export interface ApplyOptions {
  /** The apply set the objects join; required for `prune`. Without one, objects get no membership label. */
  readonly applySet?: ApplySetOptions;
  /** Server-side dry run (`dryRun=All`): validated and admitted, nothing persisted. */
  readonly dryRun: boolean;
  /** Take over fields other field managers own (`force=true`). */
  readonly forceConflicts: boolean;
  /** Create namespaces the manifests use but do not declare. @default true */
  readonly createNamespaces?: boolean;
  /** Delete members of the apply set that are no longer in the manifests. */
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

/** A kind the server does not serve: none of its objects was sent. */
export interface UnservedKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly objects: number;
  /** The CustomResourceDefinition that would serve it (its name as Kubernetes requires it: `<plural>.<group>`, plural guessed). */
  readonly crd: string;
  /** The project that ships it, when the group is a well-known one. */
  readonly project?: string;
}

/** A kind and namespace prune could not look through (members there were not pruned). */
export interface NotListed {
  readonly groupKind: string;
  readonly namespace?: string;
  readonly why: string;
}

/** Everything one apply did. */
export interface ApplyReport {
  readonly dryRun: boolean;
  /** The apply set: its parent and id. */
  readonly applySet?: { readonly parent: string; readonly id: string };
  /** Applied objects (and created namespaces) in the order they were sent. */
  readonly results: readonly ObjectResult[];
  /** Kinds the server does not serve (their objects are in `results` as failed, not sent). */
  readonly unserved: readonly UnservedKind[];
  /** Objects `--prune` deleted (pruned), could not delete (failed), or may have deleted (unknown). */
  readonly pruned: readonly ObjectResult[];
  /** Kinds and namespaces prune could not list. */
  readonly pruneNotListed?: readonly NotListed[];
  /** Why prune did not run although asked (failures during apply). */
  readonly pruneSkipped?: string;
  /** Set when the run stopped early: the connection failed, or the apply set is not ours. */
  readonly aborted?: string;
}

/** Counts per outcome. */
export function countOutcomes(results: readonly ObjectResult[]): Record<Outcome, number> {
  const c: Record<Outcome, number> = { created: 0, configured: 0, unchanged: 0, failed: 0, unknown: 0, pruned: 0 };
  for (const r of results) c[r.outcome]++;
  return c;
}

function errorOf(e: KubeApiError): ObjectError {
  return { status: e.status, reason: e.reason, message: e.message, ...(e.causes.length > 0 ? { causes: e.causes } : {}) };
}

/** The error of an object that was never sent. */
function notSentError(why: string): ObjectError {
  return { status: 0, reason: 'NotSent', message: why };
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
 * True when `live` holds every field of `intent` with the same value (objects: each key of the
 * intent; lists: same length, element by element). Used to tell, after a lost answer, whether an
 * apply landed. The server's defaults only add fields, so they do not matter; a value the server
 * normalises (a quantity written as `0.5`) reads as "not held", which makes the answer unknown,
 * never wrong.
 */
export function holdsIntent(live: unknown, intent: unknown): boolean {
  if (intent === null || typeof intent !== 'object') return live === intent;
  if (live === null || typeof live !== 'object' || Array.isArray(live) !== Array.isArray(intent)) return false;
  if (Array.isArray(intent)) {
    const l = live as unknown[];
    return l.length === intent.length && intent.every((x, i) => holdsIntent(l[i], x));
  }
  return Object.entries(intent as Record<string, unknown>).every(([k, v]) => holdsIntent((live as Record<string, unknown>)[k], v));
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
  const dry = dryRun && r.outcome !== 'failed' && r.outcome !== 'unknown' ? ' (server dry run)' : '';
  const at = r.source ? ` (${r.source.file}:${r.source.line})` : '';
  if (r.error) {
    const causes = (r.error.causes ?? []).filter((c) => c.field || c.message).map((c) => `\n    ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).join('');
    const status = r.error.status === 0 ? (r.error.reason === 'NotSent' ? 'not sent' : r.error.reason) : `${r.error.status} ${r.error.reason}`;
    return `${what} ${r.outcome}: ${status}: ${r.error.message}${at}${r.detail ? ` (${r.detail})` : ''}${causes}`;
  }
  return `${what} ${r.outcome}${dry}${r.detail ? ` (${r.detail})` : ''}`;
}

/** One line for an unserved kind. */
export function formatUnserved(u: UnservedKind): string {
  return `${u.apiVersion} ${u.kind}: the server does not serve this kind; ${u.objects} object${u.objects === 1 ? '' : 's'} not sent ` +
    `(fix: install its CustomResourceDefinition${u.project ? ` from ${u.project}` : ''}, ${u.crd}, or add it to the manifests)`;
}

interface Desired {
  /** The object as it will be sent: namespace per discovery, membership label added. */
  readonly object: KubeObject;
  readonly source?: SourceLocation;
  /** Why it is not sent at all (an unserved kind, a preset membership label). */
  readonly blocked?: ObjectError;
  /** A note for the result line (a namespace dropped from a cluster-scoped kind). */
  readonly note?: string;
}

/**
 * How many requests {@link applyObjects} has in flight at most, by default. On the local control
 * plane (`npm run bench:live`, 2 cores) 8 gave the shortest apply-until-settled time: more
 * requests at once made the apply itself no faster and left the controllers further behind.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Projects that ship the CRDs of well-known API groups (for the unserved-kind hint). */
const CRD_PROJECTS: readonly [RegExp, string][] = [
  [/(^|\.)istio\.io$/, 'Istio'],
  [/^gateway\.networking\.k8s\.io$|^gateway\.networking\.x-k8s\.io$/, 'Gateway API (gateway-api release)'],
  [/^policy\.networking\.k8s\.io$/, 'network-policy-api'],
  [/^cert-manager\.io$|^acme\.cert-manager\.io$/, 'cert-manager'],
  [/^monitoring\.coreos\.com$/, 'Prometheus Operator'],
  [/(^|\.)projectcalico\.org$/, 'Calico'],
  [/(^|\.)cilium\.io$/, 'Cilium'],
  [/(^|\.)kyverno\.io$/, 'Kyverno'],
  [/(^|\.)linkerd\.io$/, 'Linkerd'],
  [/^traefik\.(io|containo\.us)$/, 'Traefik'],
];

/**
 * The resource name kubectl would guess for a kind (apimachinery `UnsafeGuessKindToResource`):
 * lower case, `-s`/`-x`/`-z`/`-ch`/`-sh` get `es`, consonant + `y` becomes `ies`, else `s`.
 */
export function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Scope of the kinds the manifests' own CRDs define, by `group/version/Kind`. */
function crdScopes(objects: readonly ManifestObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects) {
    if (o.ref.kind !== 'CustomResourceDefinition') continue;
    const spec = (o.raw.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string }; versions?: { name?: string }[] };
    if (!spec.group || !spec.names?.kind) continue;
    for (const v of spec.versions ?? []) if (v.name) out.set(`${spec.group}/${v.name}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return out;
}

/** Apply `objects` (loaded manifests) in order; never throws for the server's sake. */
export async function applyObjects(objects: readonly ManifestObject[], client: KubeClient, options: ApplyOptions): Promise<ApplyReport> {
  const results: ObjectResult[] = [];
  const record = (r: ObjectResult, quiet = false): void => {
    results.push(r);
    if (!quiet) options.log(formatResult(r, options.dryRun));
  };
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const set = options.applySet;
  const id = set ? applySetId(set.parent) : undefined;
  const base = { dryRun: options.dryRun, unserved: [] as UnservedKind[], pruned: [] as ObjectResult[], ...(set && id ? { applySet: { parent: describeParent(set.parent), id } } : {}) };
  let aborted: string | undefined;
  const srcOf = (o: ManifestObject): { source?: SourceLocation } => (o.source ? { source: o.source } : {});
  const stopAll = (why: string): ApplyReport => {
    for (const o of objects) record({ ref: refOf(o.raw as unknown as KubeObject), outcome: 'failed', error: notSentError(why), ...srcOf(o) }, true);
    return { ...base, results, aborted: why };
  };

  // Discovery: which kinds are served and whether they are namespaced (one request per group version).
  const scopes = new Map<string, boolean | undefined>();
  const fromCrds = crdScopes(objects);
  try {
    await forEachInOrder([...new Set(objects.map((o) => `${o.apiVersion}\n${o.ref.kind}`))], limit, async (k) => {
      const [apiVersion, kind] = k.split('\n');
      const r = await client.resource(apiVersion, kind);
      return r ? r.namespaced : fromCrds.get(`${groupOf(apiVersion)}/${apiVersion.slice(apiVersion.indexOf('/') + 1)}/${kind}`);
    }, (namespaced, k) => scopes.set(k, namespaced));
  } catch (e) {
    if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
    return stopAll(`API discovery failed: ${e instanceof KubeApiError ? e.describe() : e.message}`);
  }
  const unserved = new Map<string, UnservedKind>();
  const desired: Desired[] = objects.map((o) => {
    const key = `${o.apiVersion}\n${o.ref.kind}`;
    const namespaced = scopes.get(key);
    const meta = { ...((o.raw.metadata ?? {}) as Record<string, unknown>) };
    let note: string | undefined;
    if (namespaced === true) meta.namespace = o.ref.namespace ?? 'default';
    else if (namespaced === false && meta.namespace !== undefined) {
      note = `cluster-scoped: metadata.namespace ${JSON.stringify(meta.namespace)} ignored`;
      delete meta.namespace;
    } else if (namespaced === false) delete meta.namespace;
    const raw = { ...o.raw, metadata: meta };
    const object = (id ? withMemberLabel(raw, id) : raw) as unknown as KubeObject;
    const src = o.source ? { source: o.source } : {};
    if (namespaced === undefined) {
      const group = groupOf(o.apiVersion);
      const u = unserved.get(key) ?? { apiVersion: o.apiVersion, kind: o.ref.kind, objects: 0, crd: `${guessPlural(o.ref.kind)}.${group || 'core'}`, ...(CRD_PROJECTS.find(([re]) => re.test(group)) ? { project: CRD_PROJECTS.find(([re]) => re.test(group))?.[1] } : {}) };
      unserved.set(key, { ...u, objects: u.objects + 1 });
      return { object, ...src, blocked: { status: 404, reason: 'NotServed', message: `the server does not serve ${o.apiVersion} ${o.ref.kind}` } };
    }
    const preset = id ? presetMemberLabel(o.raw as unknown as KubeObject) : undefined;
    if (preset) return { object, ...src, blocked: notSentError(preset) };
    return { object, ...src, ...(note ? { note } : {}) };
  });
  for (const u of unserved.values()) options.log(`error: ${formatUnserved(u)}`);
  const report = { ...base, unserved: [...unserved.values()] };
  const sendable = desired.filter((d) => !d.blocked);

  // The apply set's parent: ours (or not there yet), then recorded as the union before anything is sent.
  let recorded: RecordedSet | undefined;
  const thisRun = set ? runScope(sendable, set.parent) : undefined;
  if (set) {
    try {
      recorded = await readParent(client, set.parent);
    } catch (e) {
      if (e instanceof ApplySetConflict) {
        options.log(`error: ${e.message}`);
        return { ...stopAll(e.message), unserved: report.unserved };
      }
      if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
      const why = `cannot read the apply set parent ${describeParent(set.parent)}: ${e instanceof KubeApiError ? e.describe() : e.message}`;
      options.log(`error: ${why}`);
      return { ...stopAll(why), unserved: report.unserved };
    }
  }

  // Namespaces: which exist (one GET each), and create the implied ones (the parent's too).
  const namespaceExists = new Map<string, boolean>();
  const declared = new Set(sendable.filter((d) => d.object.kind === 'Namespace' && d.object.apiVersion === 'v1').map((d) => d.object.metadata.name));
  const used = new Map<string, number>();
  for (const d of sendable) if (d.object.metadata.namespace !== undefined) used.set(d.object.metadata.namespace, (used.get(d.object.metadata.namespace) ?? 0) + 1);
  if (set && !used.has(set.parent.namespace)) used.set(set.parent.namespace, 0);
  const ensureNamespace = async (ns: string): Promise<ObjectResult | undefined> => {
    if (aborted !== undefined) return undefined;
    try {
      namespaceExists.set(ns, (await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) !== undefined);
      if (namespaceExists.get(ns) || declared.has(ns) || options.createNamespaces === false) return undefined;
      // Not a member of the set: it is not in the manifests (and namespaces are never pruned).
      const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
      const n = used.get(ns) ?? 0;
      const detail = n === 0 ? 'implied: the apply set parent lives in it' : `implied: ${n} object${n === 1 ? '' : 's'} use it`;
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

  // Record the union in the parent before any member is sent (kubectl `BeforeApply`).
  if (set && recorded && thisRun && aborted === undefined) {
    const union = mergeScope(recorded, thisRun);
    const parentNsMissing = namespaceExists.get(set.parent.namespace) === false && (options.dryRun || options.createNamespaces === false);
    if (parentNsMissing && !options.dryRun) {
      aborted = `the apply set parent's namespace ${set.parent.namespace} does not exist (create it, or drop --no-create-namespaces)`;
    } else if (!parentNsMissing) {
      try {
        await writeParent(client, parentBody(set.parent, set.toolVersion, union.groupKinds, union.namespaces), options.dryRun);
      } catch (e) {
        if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
        aborted = `cannot record the apply set in ${describeParent(set.parent)}: ${e instanceof KubeApiError ? e.describe() : e.message}`;
      }
    }
    if (aborted !== undefined) options.log(`error: ${aborted}`);
  }

  // The objects, one step of the apply order after the other, each step's objects concurrently.
  const crds: KubeObject[] = [];
  const appliedUids = new Set<string>();
  let known: Existing = { listed: new Set(), objects: new Map() };
  const applyStep = async (d: Desired): Promise<ObjectResult> => {
    if (d.blocked) return { ref: refOf(d.object), outcome: 'failed', error: d.blocked, ...(d.source ? { source: d.source } : {}) };
    if (aborted !== undefined) return { ref: refOf(d.object), outcome: 'failed', error: notSentError(`stopped before sending it: ${aborted}`), ...(d.source ? { source: d.source } : {}) };
    const r = await applyOne(client, d, options, namespaceExists, known, appliedUids);
    if (r.stop !== undefined) aborted ??= r.stop;
    return r.result;
  };
  for (const step of applySteps(desired.map((d) => ({ kind: d.object.kind, d })), (x) => pinsAllocation(x.d.object)).map((xs) => xs.map((x) => x.d))) {
    // Phase boundary: CRDs must be Established before anything that may be one of their kinds.
    if (aborted === undefined && !isFirstPhase(step[0].object.kind) && crds.length > 0) {
      try {
        await waitEstablished(client, crds.splice(0), options, record);
      } catch (e) {
        if (!(e instanceof KubeConnectionError)) throw e;
        aborted = e.message;
      }
    }
    if (aborted === undefined && id !== undefined) {
      try {
        known = await listExisting(client, step.filter((d) => !d.blocked), id, namespaceExists, limit);
      } catch (e) {
        if (!(e instanceof KubeConnectionError)) throw e;
        aborted = e.message;
      }
    }
    // Bookkeeping in the apply order (CRDs are waited for, and reported, in that order).
    await forEachInOrder(step, limit, applyStep, (r, d) => {
      // Unserved kinds were reported once per kind above.
      record(r, d.blocked?.reason === 'NotServed');
      if (options.dryRun || r.outcome === 'failed' || r.outcome === 'unknown') return;
      if (d.object.kind === 'CustomResourceDefinition') crds.push(d.object);
      if (d.object.kind === 'Namespace' && d.object.apiVersion === 'v1') namespaceExists.set(d.object.metadata.name, true);
    });
  }

  if (aborted !== undefined) return { ...report, results, aborted };
  if (!options.prune || !set || !recorded || !thisRun) return { ...report, results };
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown').length;
  if (failed > 0) {
    const why = `${failed} object${failed === 1 ? '' : 's'} failed or ended unknown; prune only runs after a complete apply`;
    options.log(`prune skipped: ${why}`);
    return { ...report, results, pruneSkipped: why };
  }
  const union = mergeScope(recorded, thisRun);
  const outcome = await prune(client, sendable.map((d) => d.object), appliedUids, union, id as string, options);
  const complete = outcome.stopped === undefined && outcome.notListed.length === 0 && outcome.pruned.every((r) => r.outcome === 'pruned');
  let stopped = outcome.stopped;
  if (complete) {
    // Everything the set no longer has is gone: shrink the record to this run's (kubectl `updateParent(latest)`).
    try {
      await writeParent(client, parentBody(set.parent, set.toolVersion, thisRun.groupKinds, thisRun.namespaces), options.dryRun);
    } catch (e) {
      if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
      stopped = `apply and prune succeeded, but updating ${describeParent(set.parent)} failed (it still lists the earlier kinds, which is safe): ${e instanceof KubeApiError ? e.describe() : e.message}`;
      options.log(`error: ${stopped}`);
    }
  }
  return { ...report, results, pruned: outcome.pruned, ...(outcome.notListed.length > 0 ? { pruneNotListed: outcome.notListed } : {}), ...(stopped !== undefined ? { aborted: `prune: ${stopped}` } : {}) };
}

/** The group-kinds and namespaces of what a run sends. */
function runScope(sendable: readonly Desired[], parent: ApplySetParent): { groupKinds: GroupKind[]; namespaces: string[] } {
  const gks = new Map<string, GroupKind>();
  const namespaces = new Set<string>([parent.namespace]);
  for (const d of sendable) {
    const gk = { group: groupOf(d.object.apiVersion), kind: d.object.kind };
    gks.set(formatGroupKind(gk), gk);
    if (d.object.metadata.namespace !== undefined) namespaces.add(d.object.metadata.namespace);
  }
  return { groupKinds: [...gks.values()], namespaces: [...namespaces].sort() };
}

function mergeScope(a: { readonly groupKinds: readonly GroupKind[]; readonly namespaces: readonly string[] }, b: { readonly groupKinds: readonly GroupKind[]; readonly namespaces: readonly string[] }): { groupKinds: GroupKind[]; namespaces: string[] } {
  const gks = new Map<string, GroupKind>();
  for (const gk of [...a.groupKinds, ...b.groupKinds]) gks.set(formatGroupKind(gk), gk);
  return { groupKinds: [...gks.values()], namespaces: [...new Set([...a.namespaces, ...b.namespaces])].sort() };
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
 * applied, for a whole step: one LIST by the set's label per kind and namespace that has two or
 * more objects in the step, instead of a GET each (half the requests; the rest still get a GET).
 * An existing object the LIST does not return is not yet a member, so applying it changes it at
 * least there (configured); one that does not exist is answered with 201 Created. A LIST the
 * server refuses (RBAC, an unserved kind) leaves its objects to GET.
 */
async function listExisting(client: KubeClient, step: readonly Desired[], id: string, namespaceExists: ReadonlyMap<string, boolean>, limit: number): Promise<Existing> {
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
  await forEachInOrder(groups, limit, async ({ object: o }) => {
    try {
      return await client.list(o.apiVersion, o.kind, { ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}), labelSelector: memberSelector(id) });
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

/** One object's result, and whether the run must stop (the server is unreachable). */
interface StepResult {
  readonly result: ObjectResult;
  readonly stop?: string;
}

async function applyOne(client: KubeClient, d: Desired, options: ApplyOptions, namespaceExists: Map<string, boolean>, known: Existing, appliedUids: Set<string>): Promise<StepResult> {
  const object = d.object;
  const ref = refOf(object);
  const src = d.source ? { source: d.source } : {};
  const note = d.note ? { detail: d.note } : {};
  if (options.dryRun && ref.namespace !== undefined && namespaceExists.get(ref.namespace) === false) {
    return { result: { ref, outcome: 'unknown', ...src, detail: `namespace ${ref.namespace} does not exist yet, and a server dry run cannot check objects in it` } };
  }
  let before: KubeObject | undefined;
  try {
    const listed = known.listed.has(groupKey(object));
    before = listed ? known.objects.get(identity(ref.apiVersion, ref.kind, ref.namespace, ref.name)) : await client.get(ref);
    const r = await client.apply(object, { fieldManager: FIELD_MANAGER, force: options.forceConflicts, dryRun: options.dryRun });
    if (r.object.metadata.uid && !options.dryRun) appliedUids.add(r.object.metadata.uid);
    const outcome = before || !listed ? classify(before, r.object, options.dryRun) : r.status === 201 ? 'created' : 'configured';
    return { result: { ref, outcome, ...src, ...note } };
  } catch (e) {
    if (e instanceof KubeApiError) return { result: { ref, outcome: 'failed', ...src, ...note, error: errorOf(e) } };
    if (!(e instanceof KubeConnectionError)) throw e;
    return recoverLostApply(client, object, before, e.message, options.dryRun, src, appliedUids);
  }
}

/**
 * The answer to an apply was lost (connection reset, timeout): read the object again. Holding what
 * was sent, it was applied (created when it did not exist before, unchanged when its
 * resourceVersion did not move); unchanged from before and not holding it, it was not applied;
 * anything else is unknown. When the read fails too, the server is unreachable: unknown, and stop.
 */
async function recoverLostApply(client: KubeClient, object: KubeObject, before: KubeObject | undefined, lost: string, dryRun: boolean, src: { source?: SourceLocation }, appliedUids: Set<string>): Promise<StepResult> {
  const ref = refOf(object);
  if (dryRun) return { result: { ref, outcome: 'unknown', ...src, detail: `the answer to the dry run was lost: ${lost}` } };
  let live: KubeObject | undefined;
  try {
    live = await client.get(ref);
  } catch (e) {
    if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
    const why = e instanceof KubeApiError ? e.describe() : e.message;
    return { result: { ref, outcome: 'unknown', ...src, detail: `the answer was lost (${lost}) and the server could not be asked again (${why}); it may or may not have been applied` }, stop: lost };
  }
  const reread = `the answer was lost (${lost}); re-read from the server`;
  if (live && holdsIntent(live, object)) {
    if (live.metadata.uid) appliedUids.add(live.metadata.uid);
    const outcome = !before ? 'created' : before.metadata.resourceVersion === live.metadata.resourceVersion ? 'unchanged' : 'configured';
    return { result: { ref, outcome, ...src, detail: reread } };
  }
  if (!live && !before) return { result: { ref, outcome: 'failed', ...src, error: { status: 0, reason: 'AnswerLost', message: `${reread}: it does not exist, so it was not applied` } } };
  if (live && before && live.metadata.resourceVersion === before.metadata.resourceVersion) {
    return { result: { ref, outcome: 'failed', ...src, error: { status: 0, reason: 'AnswerLost', message: `${reread}: unchanged since before the request, so it was not applied` } } };
  }
  return { result: { ref, outcome: 'unknown', ...src, detail: `${reread}, but it neither holds what was sent nor is it as before; someone else may have changed it` } };
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

/** What prune did: its per-object results, what it could not list, and why it stopped early. */
interface PruneOutcome {
  readonly pruned: ObjectResult[];
  readonly notListed: NotListed[];
  readonly stopped?: string;
}

/**
 * Delete members of the set that are no longer wanted (see {@link pruneDecision}): list each
 * recorded group-kind by the part-of label, in each recorded namespace when namespaced (kubectl
 * `FindAllObjectsToPrune`), resolve kinds to their preferred version by discovery.
 */
async function prune(client: KubeClient, sent: readonly KubeObject[], appliedUids: ReadonlySet<string>, scope: { readonly groupKinds: readonly GroupKind[]; readonly namespaces: readonly string[] }, id: string, options: ApplyOptions): Promise<PruneOutcome> {
  const desired = new Set(sent.map((o) => identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
  const notListed: NotListed[] = [];
  const pruned: ObjectResult[] = [];
  let served: Map<string, { apiVersion: string; namespaced: boolean }>;
  try {
    served = new Map((await client.listableKinds()).map((k) => [formatGroupKind({ group: groupOf(k.apiVersion), kind: k.kind }), { apiVersion: k.apiVersion, namespaced: k.namespaced }]));
  } catch (e) {
    if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
    const why = `API discovery failed: ${e instanceof KubeApiError ? e.describe() : e.message}; nothing was pruned`;
    options.log(`prune stopped: ${why}`);
    return { pruned, notListed, stopped: why };
  }
  type Task = { readonly gk: string; readonly apiVersion: string; readonly kind: string; readonly namespace?: string };
  const tasks: Task[] = [];
  for (const gk of scope.groupKinds) {
    const name = formatGroupKind(gk);
    const s = served.get(name);
    if (!s) {
      notListed.push({ groupKind: name, why: 'the server no longer serves this kind (or it cannot be listed and deleted)' });
      continue;
    }
    if (s.namespaced) for (const ns of scope.namespaces) tasks.push({ gk: name, apiVersion: s.apiVersion, kind: gk.kind, namespace: ns });
    else tasks.push({ gk: name, apiVersion: s.apiVersion, kind: gk.kind });
  }
  const found = new Map<string, KubeObject>();
  try {
    await forEachInOrder(tasks, options.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
      try {
        return await client.list(t.apiVersion, t.kind, { ...(t.namespace !== undefined ? { namespace: t.namespace } : {}), labelSelector: memberSelector(id) });
      } catch (e) {
        if (!(e instanceof KubeApiError)) throw e;
        return e;
      }
    }, (list, t) => {
      if (list instanceof KubeApiError) {
        notListed.push({ groupKind: t.gk, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}), why: list.describe() });
        return;
      }
      for (const o of list) found.set(o.metadata.uid ?? identity(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name), o);
    });
  } catch (e) {
    if (!(e instanceof KubeConnectionError)) throw e;
    options.log(`prune stopped: ${e.message}`);
    return { pruned, notListed, stopped: `${e.message}; nothing was pruned` };
  }
  for (const n of notListed) options.log(`prune: could not list ${n.groupKind}${n.namespace !== undefined ? ` in namespace ${n.namespace}` : ''}: ${n.why}; its members there were not pruned`);
  const doomed: KubeObject[] = [];
  for (const o of found.values()) {
    const d = pruneDecision(o, desired, appliedUids);
    if (d.prune) doomed.push(o);
    else if (d.why !== 'still in the manifests' && d.why !== 'applied by this run' && !d.why.startsWith('owned by')) options.log(`${describeRef(refOf(o))} kept: ${d.why}`);
  }
  let stopped: string | undefined;
  for (const o of deleteOrder(doomed)) {
    const ref = refOf(o);
    let r: ObjectResult;
    if (stopped !== undefined) {
      r = { ref, outcome: 'failed', error: notSentError(`not deleted: prune stopped (${stopped})`) };
    } else {
      try {
        await client.delete(ref, { dryRun: options.dryRun });
        r = { ref, outcome: 'pruned' };
      } catch (e) {
        if (e instanceof KubeApiError) {
          r = e.status === 404 ? { ref, outcome: 'pruned', detail: 'already gone' } : { ref, outcome: 'failed', error: errorOf(e) };
        } else if (e instanceof KubeConnectionError) {
          const recovered = await recoverLostDelete(client, o, e.message, options.dryRun);
          r = recovered.result;
          stopped = recovered.stop;
        } else throw e;
      }
    }
    pruned.push(r);
    options.log(formatResult(r, options.dryRun));
  }
  return { pruned, notListed, ...(stopped !== undefined ? { stopped } : {}) };
}

/** The answer to a DELETE was lost: gone (or being deleted) means pruned; there means not; no answer means unknown, and stop. */
async function recoverLostDelete(client: KubeClient, o: KubeObject, lost: string, dryRun: boolean): Promise<StepResult> {
  const ref = refOf(o);
  if (dryRun) return { result: { ref, outcome: 'unknown', detail: `the answer to the dry run was lost: ${lost}` } };
  try {
    const live = await client.get(ref);
    const reread = `the answer was lost (${lost}); re-read from the server`;
    if (!live || (o.metadata.uid !== undefined && live.metadata.uid !== o.metadata.uid)) return { result: { ref, outcome: 'pruned', detail: `${reread}: it is gone` } };
    if (live.metadata.deletionTimestamp) return { result: { ref, outcome: 'pruned', detail: `${reread}: it is being deleted` } };
    return { result: { ref, outcome: 'failed', error: { status: 0, reason: 'AnswerLost', message: `${reread}: it still exists, so it was not deleted` } } };
  } catch (e) {
    if (!(e instanceof KubeConnectionError || e instanceof KubeApiError)) throw e;
    const why = e instanceof KubeApiError ? e.describe() : e.message;
    return { result: { ref, outcome: 'unknown', detail: `the answer was lost (${lost}) and the server could not be asked again (${why}); it may or may not be deleted` }, stop: lost };
  }
}

/**
 * The validator against the API server: every manifest of the rule corpus
 * (test/rules/corpus/<rule>/fail-*.yaml must raise <rule>, pass-*.yaml is its near miss) is
 * sent to the real kube-apiserver with server-side apply `dryRun=All`, object by object in
 * `netkit apply`'s order.
 *
 * - A must-fail manifest the server rejects must be flagged by our validator (the rule of its
 *   folder). One the server accepts is fine: most rules are about routing or exposure, which
 *   the server does not judge.
 * - No must-pass manifest may be rejected by the server (a near miss has to be valid).
 * - Informational: must-fail manifests of `api-server` family rules the server accepts (the
 *   rule says the server would reject them; for CRDs whose validation lives in a webhook, such
 *   as Istio's, a bare API server cannot).
 *
 * Objects of one file depend on each other (two Services asking for one ClusterIP or NodePort
 * conflict only when the first exists, and a dry run allocates neither), so an object the dry
 * run accepts is then applied for real before the next is tried (a rejection there counts
 * too), in namespaces private to the file (`nkd-c<N>-<namespace>`); everything is deleted
 * afterwards. A file asking for a NodePort or ClusterIP that a Service outside the suite already
 * holds is not checked. Custom resource kinds the server does not serve get their CRDs from
 * `NETKIT_CRDS` or `../shared/crds` when that directory exists; otherwise the file is counted
 * as not checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyOrder } from '../../lib/apply/order';
import { KubeApiError, type KubeObject, type KubeRef } from '../../lib/apply/types';
import { loadManifests } from '../../lib/manifest';
import type { ManifestObject } from '../../lib/manifest/objects';
import { RULES, validateObjects } from '../../lib/rules';
import { APPLY_SET, type LiveCluster } from './cluster';
import { pollUntil } from './poll';

const ROOT = path.join(__dirname, '..', '..');
/** The corpus the rule tests use. */
export const CORPUS_DIR = path.join(ROOT, 'test', 'rules', 'corpus');

/** One corpus file. */
export interface CorpusCase {
  readonly rule: string;
  readonly file: string;
  readonly expect: 'fail' | 'pass';
}

/** What the server and the validator said about one file. */
export interface CorpusResult {
  readonly case: CorpusCase;
  /** Set when the file could not be checked (a kind the server does not serve). */
  readonly notChecked?: string;
  /** The server's rejections, one per rejected object (`Kind name: reason`). */
  readonly rejections: readonly string[];
  /** The folder's rule fired. */
  readonly flagged: boolean;
}

/** Every corpus file, sorted. */
export function corpusCases(dir: string = CORPUS_DIR): CorpusCase[] {
  return fs.readdirSync(dir).sort().flatMap((rule) => fs.readdirSync(path.join(dir, rule)).filter((f) => /\.ya?ml$/.test(f)).sort().map((file) => ({
    rule, file: path.join(dir, rule, file), expect: file.startsWith('fail') ? 'fail' as const : 'pass' as const,
  })));
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The file's objects with each valid namespace name `ns` replaced by `nkd-c<index>-<ns>` (an
 * invalid namespace name is kept: it is what such a file tests).
 */
export function privateNamespaces(objects: readonly ManifestObject[], index: number): { objects: KubeObject[]; namespaces: string[] } {
  const map = new Map<string, string>();
  const rename = (ns: string): string => {
    if (!DNS_LABEL.test(ns)) return ns;
    let to = map.get(ns);
    if (!to) map.set(ns, (to = `nkd-c${index}-${ns}`.slice(0, 63).replace(/-+$/, '')));
    return to;
  };
  const out = objects.map((o) => {
    const raw = JSON.parse(JSON.stringify(o.raw)) as { metadata: Record<string, unknown> };
    if (o.ref.kind === 'Namespace' && o.apiVersion === 'v1') raw.metadata.name = rename(o.ref.name);
    else if (o.ref.namespace !== undefined) raw.metadata.namespace = rename(o.ref.namespace);
    return raw as unknown as KubeObject;
  });
  return { objects: out, namespaces: [...new Set(map.values())] };
}

function describe(o: KubeObject): string {
  return `${o.kind} ${o.metadata.name}`;
}

function refOfObject(o: KubeObject, namespaced: boolean): KubeRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(namespaced && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

const CRD_API = 'apiextensions.k8s.io/v1';

/**
 * Install the vendored CRDs (Gateway API, Istio) that the cluster does not have yet, if a
 * directory with them exists; returns the names installed (removed again after the run).
 */
async function installCrds(live: LiveCluster, log: (s: string) => void): Promise<string[]> {
  const dir = process.env.NETKIT_CRDS ?? path.join(ROOT, '..', 'shared', 'crds');
  if (!fs.existsSync(dir)) return [];
  const loaded = loadManifests([dir]);
  const crds: ManifestObject[] = [];
  for (const o of loaded.objects) {
    if (o.ref.kind !== 'CustomResourceDefinition') continue;
    if (!(await live.client.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name: o.ref.name }))) crds.push(o);
  }
  log(`installing ${crds.length} CRDs from ${dir} for the custom resources in the corpus`);
  for (const c of crds) {
    await live.client.apply(c.raw as unknown as KubeObject, { fieldManager: APPLY_SET, force: true, dryRun: false });
  }
  await pollUntil('CRDs to be Established', 60_000, async () => {
    for (const c of crds) {
      const got = await live.client.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name: c.ref.name });
      const conds = ((got?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
      if (!conds.some((x) => x.type === 'Established' && x.status === 'True')) return false;
    }
    return true;
  }, 500);
  return crds.map((c) => c.ref.name);
}

/**
 * Explicit NodePorts and ClusterIPs of the file that Services outside the suite's namespaces
 * already hold (say, examples applied to the same cluster): the server would reject the file for
 * a reason that is not in it, so it is not checked.
 */
async function takenByOthers(live: LiveCluster, objects: readonly KubeObject[]): Promise<string[]> {
  type Spec = { clusterIP?: string; ports?: { nodePort?: number }[] };
  const wanted = objects.filter((o) => o.kind === 'Service').map((o) => (o.spec ?? {}) as Spec);
  if (!wanted.some((s) => s.clusterIP || s.ports?.some((p) => p.nodePort))) return [];
  const held = new Map<string, string>();
  for (const s of await live.client.list('v1', 'Service')) {
    if (/^nkd-c\d+-/.test(s.metadata.namespace ?? '')) continue;
    const spec = (s.spec ?? {}) as Spec;
    const who = `${s.metadata.namespace}/${s.metadata.name}`;
    if (spec.clusterIP && spec.clusterIP !== 'None') held.set(`clusterIP ${spec.clusterIP}`, who);
    for (const p of spec.ports ?? []) if (p.nodePort) held.set(`nodePort ${p.nodePort}`, who);
  }
  const out: string[] = [];
  for (const s of wanted) {
    for (const k of [s.clusterIP ? `clusterIP ${s.clusterIP}` : '', ...(s.ports ?? []).map((p) => (p.nodePort ? `nodePort ${p.nodePort}` : ''))]) {
      const who = held.get(k);
      if (k && who) out.push(`${k} (Service ${who})`);
    }
  }
  return [...new Set(out)];
}

/** Check one file against the server. */
async function checkFile(live: LiveCluster, c: CorpusCase, index: number, crds: { tried: boolean; installed: string[] }, log: (s: string) => void): Promise<CorpusResult> {
  const loaded = loadManifests([c.file]);
  if (loaded.errors.length > 0) return { case: c, notChecked: `does not load: ${loaded.errors.map(String).join('; ')}`, rejections: [], flagged: false };
  const flagged = validateObjects(loaded.objects).some((v) => v.ruleId === c.rule);
  const { objects, namespaces } = privateNamespaces(loaded.objects, index);
  // Kinds the server serves (custom resources need their CRDs).
  const served = new Map<string, boolean>();
  for (const o of objects) {
    const k = `${o.apiVersion}/${o.kind}`;
    if (served.has(k)) continue;
    let r = await live.client.resource(o.apiVersion, o.kind);
    if (!r && !crds.tried) {
      crds.tried = true;
      crds.installed = await installCrds(live, log);
      if (crds.installed.length > 0) r = await live.client.resource(o.apiVersion, o.kind);
    }
    served.set(k, r !== undefined);
    if (r) served.set(`${k}#namespaced`, r.namespaced);
  }
  const missing = [...served.entries()].filter(([k, v]) => !k.includes('#') && !v).map(([k]) => k);
  if (missing.length > 0) return { case: c, notChecked: `the server does not serve ${missing.join(', ')}`, rejections: [], flagged };

  const taken = await takenByOthers(live, objects);
  if (taken.length > 0) return { case: c, notChecked: `the cluster already holds ${taken.join(', ')}`, rejections: [], flagged };

  const declared = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  for (const ns of namespaces) if (!declared.has(ns)) await live.freshNamespace(ns);
  const applied: { ref: KubeRef; kind: string }[] = [];
  const rejections: string[] = [];
  try {
    for (const o of applyOrder(objects)) {
      const namespaced = served.get(`${o.apiVersion}/${o.kind}#namespaced`) === true;
      const body = namespaced ? o : { ...o, metadata: Object.fromEntries(Object.entries(o.metadata).filter(([k]) => k !== 'namespace')) } as KubeObject;
      try {
        await live.client.apply(body, { fieldManager: APPLY_SET, force: true, dryRun: true });
      } catch (e) {
        if (!(e instanceof KubeApiError)) throw e;
        rejections.push(`${describe(o)}: ${e.describe()}`);
        continue;
      }
      // Accepted: make it real, so the file's next objects meet it (conflicts need both). A
      // dry run allocates no ClusterIP or NodePort, so a conflict only shows here.
      try {
        await live.client.apply(body, { fieldManager: APPLY_SET, force: true, dryRun: false });
      } catch (e) {
        if (!(e instanceof KubeApiError)) throw e;
        rejections.push(`${describe(o)}: ${e.describe()} (when applied; the dry run passed)`);
        continue;
      }
      applied.push({ ref: refOfObject(body, namespaced), kind: o.kind });
    }
  } finally {
    for (const a of applied.reverse()) await live.client.delete(a.ref, { dryRun: false }).catch(() => undefined);
    for (const ns of namespaces) await live.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }, { dryRun: false }).catch(() => undefined);
  }
  return { case: c, rejections, flagged };
}

/** The counts the suite prints. */
export interface CorpusSummary {
  readonly mustFail: number;
  readonly mustPass: number;
  readonly notChecked: number;
  /** Must-fail files the server rejects. */
  readonly rejectedByServer: number;
  /** Must-fail files our validator flags. */
  readonly flaggedByUs: number;
  /** Must-fail files the server rejects and we do not flag. */
  readonly missedByUs: CorpusResult[];
  /** Must-pass files the server rejects. */
  readonly rejectedNearMisses: CorpusResult[];
  /** Must-fail files of api-server rules the server accepts (informational). */
  readonly acceptedApiServerCases: CorpusResult[];
}

/** Count the results. */
export function summarize(results: readonly CorpusResult[]): CorpusSummary {
  const apiServerRules = new Set(RULES.filter((r) => r.family === 'api-server').map((r) => r.id));
  const checked = results.filter((r) => !r.notChecked);
  const fail = checked.filter((r) => r.case.expect === 'fail');
  return {
    mustFail: fail.length,
    mustPass: checked.length - fail.length,
    notChecked: results.length - checked.length,
    rejectedByServer: fail.filter((r) => r.rejections.length > 0).length,
    flaggedByUs: fail.filter((r) => r.flagged).length,
    missedByUs: fail.filter((r) => r.rejections.length > 0 && !r.flagged),
    rejectedNearMisses: checked.filter((r) => r.case.expect === 'pass' && r.rejections.length > 0),
    acceptedApiServerCases: fail.filter((r) => r.rejections.length === 0 && apiServerRules.has(r.case.rule)),
  };
}

/** Run the whole corpus. */
export async function checkCorpus(live: LiveCluster, log: (s: string) => void, cases: readonly CorpusCase[] = corpusCases()): Promise<CorpusResult[]> {
  const out: CorpusResult[] = [];
  const crds = { tried: false, installed: [] as string[] };
  let i = 0;
  try {
    for (const c of cases) out.push(await checkFile(live, c, ++i, crds, log));
  } finally {
    // Leave the cluster as found: the private namespaces gone, the CRDs we added removed.
    await pollUntil('corpus namespaces to be deleted', 180_000, async () =>
      (await live.client.list('v1', 'Namespace')).every((n) => !/^nkd-c\d+-/.test(n.metadata.name)), 500);
    for (const name of crds.installed) await live.client.delete({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name }, { dryRun: false }).catch(() => undefined);
    await pollUntil('installed CRDs to be deleted', 120_000, async () => {
      for (const name of crds.installed) if (await live.client.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name })) return false;
      return true;
    }, 500);
  }
  return out;
}

/** The corpus report: counts, then each mismatch with the server's words. */
export function corpusReport(results: readonly CorpusResult[]): string {
  const s = summarize(results);
  const rel = (f: string): string => path.relative(ROOT, f);
  const lines = [
    `validator corpus vs kube-apiserver (server-side apply, dryRun=All): ${results.length} files`,
    `  must-fail: ${s.mustFail} checked, rejected by the API server: ${s.rejectedByServer}, flagged by us: ${s.flaggedByUs}, rejected but not flagged: ${s.missedByUs.length}`,
    `  must-pass (near misses): ${s.mustPass} checked, rejected by the API server: ${s.rejectedNearMisses.length}`,
    `  not checked: ${s.notChecked}`,
  ];
  const rejectedRules = [...new Set(results.filter((r) => r.case.expect === 'fail' && r.rejections.length > 0).map((r) => r.case.rule))];
  if (rejectedRules.length > 0) lines.push(`  rules whose must-fail files the server rejects: ${rejectedRules.join(', ')}`);
  for (const r of s.missedByUs) lines.push(`  MISMATCH ${rel(r.case.file)}: the server rejects it, rule ${r.case.rule} does not fire\n      ${r.rejections.join('\n      ')}`);
  for (const r of s.rejectedNearMisses) lines.push(`  MISMATCH ${rel(r.case.file)}: a near miss the server rejects\n      ${r.rejections.join('\n      ')}`);
  if (s.acceptedApiServerCases.length > 0) {
    lines.push(`  note: ${s.acceptedApiServerCases.length} must-fail file(s) of api-server rules the server accepts (checks that live in an admission webhook, such as istiod's, are not part of a bare API server):`);
    for (const r of s.acceptedApiServerCases) lines.push(`    ${rel(r.case.file)}`);
  }
  for (const r of results.filter((x) => x.notChecked)) lines.push(`  not checked: ${rel(r.case.file)}: ${r.notChecked}`);
  return lines.join('\n');
}

/** True when the corpus check passes (see the module comment). */
export function corpusPassed(results: readonly CorpusResult[]): boolean {
  const s = summarize(results);
  return s.missedByUs.length === 0 && s.rejectedNearMisses.length === 0;
}

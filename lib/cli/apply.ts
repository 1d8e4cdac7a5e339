/**
 * `netkit apply <paths...>`: validate, then server-side apply the manifests to a cluster,
 * optionally wait until the Services have the endpoints the runtime predicts, and prune what
 * this apply set no longer contains. Progress on stderr, the summary (or JSON) on stdout.
 * Exit 0 all applied (and settled), 2 some object failed / validator errors / wait timed out,
 * 1 usage, kubeconfig or connection problems.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_CONCURRENCY, applyObjects, countOutcomes, formatUnserved, type ApplyReport, type ObjectResult } from '../apply/apply';
import { parseApplySetFlag } from '../apply/applyset';
import type { WorkloadExplanation } from '../apply/explain';
import { liveProfile } from '../apply/live';
import { defaultConnector, openCommandSession, type Connector } from '../apply/session';
import { describeRef, type KubeClient } from '../apply/types';
import { ROLLOUT_KINDS, predictEndpoints, waitUntilSettled, type WaitResult } from '../apply/wait';
import { Cluster } from '../engine/cluster';
import type { ClusterProfileInfo } from '../engine/model';
import type { ManifestObject } from '../manifest';
import { runRules } from '../rules/runner';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatData, type CliIO } from './io';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';
import { escapeText } from '../report/text';

/** Options of `netkit apply` as commander parses them. */
export interface ApplyCommandOptions extends InputCommandOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** `server` for a server-side dry run. */
  readonly dryRun?: string;
  /** Apply even when the validator reports errors. */
  readonly force?: boolean;
  readonly forceConflicts?: boolean;
  readonly wait?: boolean;
  /** Wait timeout: `90s`, `5m`, `1m30s`, `500ms` or seconds. */
  readonly timeout?: string;
  readonly prune?: boolean;
  /** `[secrets/|configmaps/]NAME`: the apply set's parent (required). */
  readonly applyset?: string;
  /** The parent's namespace (default: the kubeconfig context's namespace, else `default`). */
  readonly namespace?: string;
  /** The removed `--apply-set` flag: a usage error that explains the move to `--applyset`. */
  readonly applySet?: string;
  /** Commander's `--no-create-namespaces`. */
  readonly createNamespaces?: boolean;
  readonly profile?: string;
  /** How many requests at once: `1`..`200` (default 8). */
  readonly concurrency?: string;
  readonly output?: 'text' | 'json' | 'yaml';
}

/** The largest `--concurrency` (the API server's default --max-mutating-requests-inflight is 200). */
const MAX_CONCURRENCY = 200;

/** Parse `90s`, `5m`, `1m30s`, `500ms`, `1h` or a bare number of seconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(t)) !== null) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    total += Number(m[1]) * unit;
    end = re.lastIndex;
  }
  return end === t.length && end > 0 ? Math.round(total) : undefined;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The runtime's build of the manifests for `--wait`: with `--profile`, else the live Nodes. */
async function waitProfile(client: KubeClient, profile: ClusterProfileInfo | undefined, log: (s: string) => void): Promise<ClusterProfileInfo | undefined> {
  if (profile) return profile;
  try {
    const { profile: live } = liveProfile(await client.list('v1', 'Node'));
    return live;
  } catch {
    log('note: cannot list Nodes; predicting endpoints with the default profile (3 nodes)');
    return undefined;
  }
}

/** netkit's version, for the apply set's tooling annotation (`netkit/<version>`). */
export function toolVersion(): string {
  // From the package.json next to lib/ (ts-node) or build/lib/ (compiled).
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-netkit' && pkg.version) return `v${pkg.version}`;
    } catch {
      // not ours
    }
  }
  return 'v0.0.0';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The explanation lines of workloads, indented under their name. */
export function formatExplanations(explained: readonly WorkloadExplanation[], indent = '  '): string[] {
  const lines: string[] = [];
  for (const e of explained) {
    if (e.reasons.length === 0) continue;
    lines.push(`${indent}${e.workload}:`);
    for (const r of e.reasons) lines.push(`${indent}  ${r}`);
  }
  return lines;
}

/** The summary for humans, including what was and was not applied when something failed. */
export function formatSummary(report: ApplyReport, wait: WaitResult | undefined): string {
  const c = countOutcomes(report.results);
  const lines: string[] = [];
  const dry = report.dryRun ? ' (server dry run: nothing was persisted)' : '';
  lines.push(`${c.created} created, ${c.configured} configured, ${c.unchanged} unchanged, ${c.failed} failed${c.unknown > 0 ? `, ${c.unknown} unknown` : ''}${dry}`);
  for (const u of report.unserved) lines.push(`not served: ${formatUnserved(u)}`);
  const notApplied = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown');
  if (notApplied.length > 0 || report.aborted) {
    const applied = report.results.filter((r) => !notApplied.includes(r));
    const shown = applied.slice(0, 10).map((r) => describeRef(r.ref)).join(', ');
    lines.push(`applied (${applied.length}): ${shown || 'none'}${applied.length > 10 ? `, and ${applied.length - 10} more (each listed above)` : ''}`);
    const failed = notApplied.filter((r) => r.outcome === 'failed');
    const unknown = notApplied.filter((r) => r.outcome === 'unknown');
    if (failed.length > 0) lines.push(`not applied (${failed.length}): ${failed.map((r: ObjectResult) => describeRef(r.ref)).join(', ')}`);
    if (unknown.length > 0) lines.push(`unknown, check them (${unknown.length}): ${unknown.map((r: ObjectResult) => describeRef(r.ref)).join(', ')}`);
  }
  if (report.aborted) lines.push(`stopped: ${report.aborted}`);
  const pc = countOutcomes(report.pruned);
  if (report.pruneSkipped) lines.push(`prune skipped: ${report.pruneSkipped}`);
  else if (report.pruned.length > 0 || (report.pruneNotListed ?? []).length > 0) {
    lines.push(`pruned ${pc.pruned}${pc.failed > 0 ? `, ${pc.failed} not deleted` : ''}${pc.unknown > 0 ? `, ${pc.unknown} unknown (check them)` : ''}${dry}`);
    for (const r of report.pruned.filter((x) => x.outcome !== 'pruned')) lines.push(`  ${describeRef(r.ref)} ${r.outcome}${r.error ? `: ${r.error.message}` : r.detail ? `: ${r.detail}` : ''}`);
    for (const n of report.pruneNotListed ?? []) lines.push(`  not looked through: ${n.groupKind}${n.namespace !== undefined ? ` in namespace ${n.namespace}` : ''}: ${n.why}`);
  }
  if (wait) {
    if (wait.settled) lines.push(`settled after ${seconds(wait.elapsedMs)}: workloads rolled out and every Service has the endpoints the runtime predicts`);
    else {
      lines.push(`timed out after ${seconds(wait.elapsedMs)}; still pending:`);
      lines.push(...wait.pending.map((p) => `  ${p}`));
      const why = formatExplanations(wait.explained ?? []);
      if (why.length > 0) lines.push('why:', ...why);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Run `netkit apply`; returns the exit code. */
export async function runApply(paths: readonly string[], opts: ApplyCommandOptions, io: CliIO, connector: Connector = defaultConnector): Promise<number> {
  const problems: string[] = [];
  if (opts.dryRun !== undefined && opts.dryRun !== 'server') problems.push(`--dry-run ${opts.dryRun}: only --dry-run=server is supported (the API server validates and admits, nothing is persisted)`);
  if (opts.applySet !== undefined) {
    problems.push(`--apply-set was replaced by --applyset (ApplySet, as kubectl apply --prune --applyset): pass --applyset ${opts.applySet}; objects applied with the old netkit.io/apply-set label are adopted on the first run (see docs/apply.md, "Moving from --apply-set")`);
  } else if (opts.applyset === undefined) {
    problems.push('--applyset NAME is required: it names the apply set these objects belong to (a Secret NAME in --namespace that records the set, as kubectl apply --applyset); use one name per project, so --prune never touches another project\'s objects');
  } else {
    const parsed = parseApplySetFlag(opts.applyset, opts.namespace ?? 'default');
    if ('problem' in parsed) problems.push(parsed.problem);
  }
  const timeoutMs = parseDuration(opts.timeout ?? '5m');
  if (timeoutMs === undefined) problems.push(`--timeout ${opts.timeout}: expected a duration such as 90s, 5m or 1m30s`);
  const concurrency = opts.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    problems.push(`--concurrency ${opts.concurrency}: expected a whole number from 1 to ${MAX_CONCURRENCY} (requests in flight at once; 1 sends one object at a time)`);
  }
  const loaded = loadInputs(paths, opts.profile, inputOptions(opts, io));
  for (const p of loaded.problems) problems.push(p);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`error: ${p}\n`);
    return EXIT_ERROR;
  }
  const profile = loaded.profile;
  const objects: readonly ManifestObject[] = loaded.objects;

  // The validator first: refuse what it reports as errors unless --force.
  const validation = runRules(objects, { profile, budget: loaded.budget });
  const errors = validation.violations.filter((v) => v.severity === 'error');
  const warnings = validation.violations.length - errors.length;
  for (const v of errors) {
    io.stderr.write(`${escapeText(`${v.source ? `${v.source.file}:${v.source.line} ` : ''}${v.object.kind} ${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}${v.path ? ` ${v.path}` : ''}: error [${v.ruleId}] ${v.message}`)}\n    fix: ${escapeText(v.fix)}\n`);
  }
  if (errors.length > 0 && !opts.force) {
    io.stderr.write(`refusing to apply: the validator found ${errors.length} error${errors.length === 1 ? '' : 's'} (fix them, or pass --force to apply anyway)\n`);
    return EXIT_FINDINGS;
  }
  if (errors.length > 0) io.stderr.write(`applying despite ${errors.length} validator error${errors.length === 1 ? '' : 's'} (--force)\n`);
  if (warnings > 0) io.stderr.write(`validator: ${warnings} warning${warnings === 1 ? '' : 's'} (see netkit validate)\n`);

  const session = await openCommandSession(connector, { kubeconfig: opts.kubeconfig, context: opts.context }, io);
  if (!session) return EXIT_ERROR;
  const { connection: { client }, err, out } = session;
  const parent = parseApplySetFlag(opts.applyset as string, opts.namespace ?? session.connection.namespace ?? 'default');
  if ('problem' in parent) {
    err.write(`error: ${parent.problem}\n`);
    return EXIT_ERROR;
  }
  const dryRun = opts.dryRun === 'server';
  err.write(`applying ${objects.length} objects to ${client.target.server} (context ${client.target.context}, Kubernetes ${session.serverVersion})${dryRun ? ', server dry run' : ''}, apply set ${parent.kind === 'Secret' ? 'secrets' : 'configmaps'}/${parent.name} in namespace ${parent.namespace}\n`);

  const report = await applyObjects(objects, client, {
    applySet: { parent, toolVersion: toolVersion() }, dryRun, forceConflicts: opts.forceConflicts === true, createNamespaces: opts.createNamespaces !== false,
    prune: opts.prune === true, concurrency, log: (line) => err.write(`${line}\n`),
  });

  let wait: WaitResult | undefined;
  if (opts.wait && dryRun) err.write('note: --wait has nothing to wait for in a dry run\n');
  if (opts.wait && !dryRun && !report.aborted) {
    const applied = new Set(report.results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'unknown')
      .map((r) => `${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`));
    const cluster = Cluster.build(objects, await waitProfile(client, profile, (s) => err.write(`${s}\n`)));
    const serviceKeys = new Set([...cluster.services.values()].filter((s) => applied.has(`Service/${s.namespace}/${s.name}`)).map((s) => `${s.namespace}/${s.name}`));
    const workloads = objects.filter((o) => ROLLOUT_KINDS.has(o.ref.kind) && applied.has(`${o.ref.kind}/${o.ref.namespace ?? ''}/${o.ref.name}`))
      .map((o) => ({ apiVersion: o.apiVersion, kind: o.ref.kind, namespace: o.ref.namespace ?? 'default', name: o.ref.name }));
    const services = predictEndpoints(cluster, serviceKeys);
    err.write(`waiting up to ${seconds(timeoutMs as number)} for ${plural(workloads.length, 'workload')} and ${plural(services.length, 'Service')}\n`);
    let lastLog = Date.now();
    try {
      wait = await waitUntilSettled(client, { workloads, services }, {
        timeoutMs: timeoutMs as number,
        explainEveryMs: 15_000,
        onPoll: (pending) => {
          if (Date.now() - lastLog < 5000) return;
          lastLog = Date.now();
          err.write(`still waiting for ${pending.length}: ${pending[0]}${pending.length > 1 ? ', ...' : ''}\n`);
        },
        onExplain: (explained) => {
          const lines = formatExplanations(explained);
          if (lines.length > 0) err.write(`why they are not ready yet:\n${lines.join('\n')}\n`);
        },
      });
    } catch (e) {
      err.write(`error: waiting failed: ${(e as Error).message}\n`);
      out.write(formatSummary(report, undefined));
      return EXIT_ERROR;
    }
  }

  if (opts.output === 'json' || opts.output === 'yaml') {
    out.write(formatData({ ...report, summary: countOutcomes(report.results), pruneSummary: countOutcomes(report.pruned), ...(wait ? { wait } : {}) }, opts.output));
  } else out.write(formatSummary(report, wait));

  if (report.aborted) return EXIT_ERROR;
  const c = countOutcomes(report.results);
  const p = countOutcomes(report.pruned);
  if (c.failed > 0 || c.unknown > 0 || p.failed > 0 || p.unknown > 0 || (report.pruneNotListed ?? []).length > 0) return EXIT_FINDINGS;
  if (wait && !wait.settled) return EXIT_FINDINGS;
  return EXIT_OK;
}

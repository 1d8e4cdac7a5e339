/**
 * `npm run test:differential`: the engine against a real control plane (test/cluster/up).
 *
 *   ts-node --transpile-only test/differential/run.ts [--only id,id] [--skip-corpus] [--corpus-only] [--keep] [--kubeconfig FILE]
 *
 * The cluster is the one test/cluster/up started (its kubeconfig under .cluster/), unless
 * --kubeconfig or NETKIT_DIFFERENTIAL_KUBECONFIG names another throwaway cluster.
 *
 * 1. Every scenario of scenarios.ts: applied in its own namespace, settled, compared with the
 *    engine at each checkpoint (compare.ts); one table row per checkpoint, then the differences.
 * 2. The validator's rule corpus against the API server (corpus.ts), with its counts.
 *
 * Exit 0 when everything matches, 2 on any mismatch, 1 when the cluster is not reachable or the
 * run itself fails. Progress goes to stderr, the report to stdout.
 */
import { profileFromNodes } from '../../lib/apply/live';
import { KubeApiError } from '../../lib/apply/types';
import { connectLive, kubeconfigPath, type LiveCluster } from './cluster';
import { checkCorpus, corpusPassed, corpusReport } from './corpus';
import { failureDetails, resultTable } from './report';
import { EXTRA_NODE_PREFIX, passed, runScenario, type CheckpointResult } from './scenario-run';
import { SCENARIOS } from './scenarios';

interface Args {
  only?: Set<string>;
  corpus: boolean;
  scenarios: boolean;
  keep: boolean;
  kubeconfig: string;
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { corpus: true, scenarios: true, keep: false, kubeconfig: kubeconfigPath() };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--only') {
      const v = argv[++i];
      if (!v) return '--only needs a comma-separated list of scenario ids';
      a.only = new Set(v.split(','));
      const unknown = [...a.only].filter((id) => !SCENARIOS.some((s) => s.id === id));
      if (unknown.length > 0) return `unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`;
    } else if (x === '--skip-corpus') a.corpus = false;
    else if (x === '--corpus-only') a.scenarios = false;
    else if (x === '--keep') a.keep = true;
    else if (x === '--kubeconfig') {
      const v = argv[++i];
      if (!v) return '--kubeconfig needs a file';
      a.kubeconfig = v;
    } else return `unknown argument ${x} (use --only id,id, --skip-corpus, --corpus-only, --keep, --kubeconfig FILE)`;
  }
  return a;
}

/** Nodes an interrupted earlier run left behind would change every placement: remove them. */
async function removeLeftoverNodes(live: LiveCluster): Promise<void> {
  const left = (await live.client.list('v1', 'Node')).map((n) => n.metadata.name).filter((n) => n.startsWith(EXTRA_NODE_PREFIX));
  if (left.length > 0) await live.deleteNodes(left);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`error: ${args}\n`);
    return 1;
  }
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  const c = await connectLive(args.kubeconfig);
  if (!c.ok) {
    process.stderr.write(`error: no cluster to test against: ${c.problem}\n`);
    return 1;
  }
  const live = c.live;
  log(`differential tests against Kubernetes ${live.serverVersion}`);
  let ok = true;
  if (args.scenarios) {
    await removeLeftoverNodes(live);
    const results: CheckpointResult[] = [];
    const t0 = Date.now();
    // The cluster's IP families, from its nodes' pod ranges (test/cluster: NETKIT_CLUSTER_IP_FAMILIES).
    const families = profileFromNodes(await live.client.list('v1', 'Node')).ipFamilies ?? ['IPv4'];
    for (const sc of SCENARIOS.filter((s) => !args.only || args.only.has(s.id))) {
      if (sc.ipFamilies && sc.ipFamilies.join(',') !== families.join(',')) {
        log(`[${sc.id}] skipped: needs a ${sc.ipFamilies.join(' + ')} cluster, this one is ${families.join(' + ')} (test/cluster/up: NETKIT_CLUSTER_IP_FAMILIES=${sc.ipFamilies.length > 1 ? 'dual' : 'ipv4'})`);
        continue;
      }
      log(`[${sc.id}] ${sc.title}`);
      results.push(...await runScenario(live, sc, { keep: args.keep, log }));
    }
    const failed = results.filter((r) => !passed(r));
    process.stdout.write(`${resultTable(results)}\n`);
    if (failed.length > 0) process.stdout.write(`${failureDetails(results)}\n`);
    process.stdout.write(`\n${results.length} checkpoints in ${new Set(results.map((r) => r.scenario)).size} scenarios: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - t0) / 1000).toFixed(0)}s)\n`);
    ok = failed.length === 0;
  }
  if (args.corpus) {
    const corpus = await checkCorpus(live, log);
    process.stdout.write(`\n${corpusReport(corpus)}\n`);
    ok = ok && corpusPassed(corpus);
  }
  return ok ? 0 : 2;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  const msg = e instanceof KubeApiError ? e.describe() : e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: the differential run failed: ${msg}\n`);
  process.exitCode = 1;
});

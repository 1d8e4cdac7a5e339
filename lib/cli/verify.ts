/**
 * `netkit verify --live <paths...>`: simulate the manifests on a profile made from the live
 * cluster's Nodes, read the live Services, Endpoints, EndpointSlices and Pods of the namespaces
 * involved, and print every difference (see `lib/apply/compare.ts` for what is normalized).
 * Exit 0 no differences, 2 differences, 1 usage, kubeconfig or connection problems.
 */
import { compareLive, type Comparison, type Difference } from '../apply/compare';
import { liveProfile, readLive } from '../apply/live';
import { defaultConnector, openCommandSession, type Connector } from '../apply/session';
import { KubeApiError } from '../apply/types';
import { Cluster } from '../engine/cluster';
import type { ClusterProfileInfo } from '../engine/model';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatData, type CliIO } from './io';
import { escapeText } from '../report/text';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';

/** Options of `netkit verify` as commander parses them. */
export interface VerifyCommandOptions extends InputCommandOptions {
  readonly live?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly profile?: string;
  readonly ignorePlacement?: boolean;
  /** Compare only this namespace's Services, Endpoints, EndpointSlices and workloads (`-n`). */
  readonly namespace?: string;
  readonly output?: 'text' | 'json' | 'yaml';
}

function show(v: unknown): string {
  return v === null || v === undefined ? '(none)' : JSON.stringify(v);
}

/** One line per difference. */
export function formatDifference(d: Difference): string {
  return `${d.object} ${d.field}: expected ${show(d.expected)}, live ${show(d.live)}${d.kind === 'placement' ? ' [placement]' : ''}`;
}

/** The text report: every difference, then what was compared. */
export function formatComparison(c: Comparison, target: string): string {
  const lines = c.differences.map(formatDifference);
  const n = c.differences.length;
  lines.push(`${c.compared.services} Services, ${c.compared.endpoints} Endpoints, ${c.compared.endpointSliceGroups} EndpointSlice groups${c.compared.workloads > 0 ? ` and the placement of ${c.compared.workloads} workloads` : ''} compared with ${target}: ` +
    `${n === 0 ? 'no differences' : `${n} difference${n === 1 ? '' : 's'}`}`);
  return `${lines.join('\n')}\n`;
}

/** Run `netkit verify`; returns the exit code. */
export async function runVerify(paths: readonly string[], opts: VerifyCommandOptions, io: CliIO, connector: Connector = defaultConnector): Promise<number> {
  const problems: string[] = [];
  if (!opts.live) problems.push('verify compares the manifests with a running cluster: pass --live (and --kubeconfig/--context to choose it)');
  const loaded = loadInputs(paths, opts.profile, inputOptions(opts, io));
  for (const p of loaded.problems) problems.push(p);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`error: ${p}\n`);
    return EXIT_ERROR;
  }
  let profile: ClusterProfileInfo | undefined = loaded.profile;
  const session = await openCommandSession(connector, { kubeconfig: opts.kubeconfig, context: opts.context }, io);
  if (!session) return EXIT_ERROR;
  const { connection: { client }, err, out } = session;
  const target = `context ${client.target.context} (${client.target.server})`;
  let comparison: Comparison;
  try {
    if (!profile) {
      const nodes = await client.list('v1', 'Node');
      const fromNodes = liveProfile(nodes);
      profile = fromNodes.profile;
      err.write(`simulating on the cluster's ${nodes.length} nodes${nodes.length === 0 ? ' (none: using the default profile)' : ''}` +
        `${fromNodes.tainted.length > 0 ? ` (${fromNodes.tainted.length} tainted: ${fromNodes.tainted.join(', ')}; pods without a matching toleration are not placed there)` : ''}\n`);
    }
    const cluster = Cluster.build(loaded.objects, profile);
    const ns = opts.namespace;
    const namespaces = new Set([...cluster.services.values()].map((s) => s.namespace).filter((n) => ns === undefined || n === ns));
    if (ns !== undefined && namespaces.size === 0) err.write(`note: no Service in namespace ${escapeText(ns)} in the manifests\n`);
    const live = await readLive(client, namespaces);
    comparison = compareLive(cluster, live, { ignorePlacement: opts.ignorePlacement === true, namespace: ns });
  } catch (e) {
    const msg = e instanceof KubeApiError ? e.describe() : (e as Error).message;
    err.write(`error: reading the cluster failed: ${msg}\n`);
    return EXIT_ERROR;
  }
  if (opts.output === 'json' || opts.output === 'yaml') {
    out.write(formatData({ target: { context: client.target.context, server: client.target.server }, compared: comparison.compared, differences: comparison.differences }, opts.output));
  } else {
    out.write(formatComparison(comparison, target));
  }
  return comparison.differences.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

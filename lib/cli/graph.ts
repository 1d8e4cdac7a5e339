/**
 * `netkit graph <paths...> --html out.html`: the routing graph as one self-contained page, or
 * as JSON on stdout (`--output json`). Exit 0 when written (findings are drawn, not failed on),
 * 1 for usage errors, unreadable or invalid input, or a file that can't be written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { graphFromObjects } from '../graph/build';
import { renderGraphHtml } from '../graph/html';
import type { RoutingGraph } from '../graph/model';
import { graphForNamespace } from '../graph/namespace';
import { DEFAULT_DENIED_LIMIT } from '../graph/policy';
import { escapeText } from '../report/text';
import { EXIT_ERROR, EXIT_OK, formatData, type CliIO } from './io';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';
import { parseRuleSettings } from './validate';

/** Options of {@link runGraph}. */
export interface GraphCommandOptions extends InputCommandOptions {
  /** Where to write the page; `-` for stdout. */
  readonly html?: string;
  /** `json` prints the graph model to stdout. */
  readonly output?: 'json' | 'yaml';
  readonly profile?: string;
  /** `id=off|error|warning|info` validator settings. */
  readonly rule?: readonly string[];
  /** Denied edges drawn at most (a non-negative integer, as typed). */
  readonly deniedLimit?: string;
  /** Draw only this namespace and what leads to it (`-n`). */
  readonly namespace?: string;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line about what the graph holds, for stderr. */
export function graphSummaryLine(graph: RoutingGraph): string {
  const s = graph.summary;
  const f = s.findings;
  return `${count(s.services, 'Service')}, ${count(s.endpointSlices, 'EndpointSlice')}, ${count(s.pods, 'pod')}, ${count(s.entryPoints, 'entry point')}` +
    `${s.routes > 0 ? `, ${count(s.routes, 'route')}` : ''}` +
    `${s.denied.pairs > 0 ? `, ${count(s.denied.pairs, 'denied pair')}${s.denied.drawn < s.denied.pairs ? ` (${s.denied.drawn} drawn)` : ''}` : ''}; validator: ${count(f.error, 'error')}, ${count(f.warning, 'warning')}, ${f.info} info`;
}

/** Run the command; returns the exit code. */
export function runGraph(paths: readonly string[], opts: GraphCommandOptions, io: CliIO): number {
  const problems: string[] = [];
  if (opts.html === undefined && opts.output === undefined) {
    problems.push('nothing to write: pass --html out.html (the page) or --output json (the graph model on stdout)');
  }
  if (opts.html === '-' && opts.output !== undefined) problems.push(`--html - and --output ${opts.output} both write to stdout; choose one`);
  const deniedLimit = opts.deniedLimit === undefined ? undefined : Number(opts.deniedLimit);
  if (deniedLimit !== undefined && !(Number.isInteger(deniedLimit) && deniedLimit >= 0)) {
    problems.push(`--denied-limit ${opts.deniedLimit}: not a whole number of edges (fix: --denied-limit 0 draws none, 2000 is the default)`);
  }
  const { rules, problems: ruleProblems } = parseRuleSettings(opts.rule ?? []);
  problems.push(...ruleProblems);
  if (problems.length > 0) return fail(io, problems);

  const inputs = loadInputs(paths, opts.profile, inputOptions(opts, io));
  if (inputs.problems.length > 0) return fail(io, inputs.problems);

  const ns = opts.namespace;
  // With -n every denied pair is found first, so the namespace's own count and limit are exact.
  const built = graphFromObjects(inputs.objects, { profile: inputs.profile, rules, budget: inputs.budget, deniedLimit: ns === undefined ? deniedLimit : Number.POSITIVE_INFINITY }).graph;
  const graph = ns === undefined ? built : graphForNamespace(built, ns, deniedLimit ?? DEFAULT_DENIED_LIMIT);
  if (ns !== undefined && !built.nodes.some((n) => n.namespace === ns)) io.stderr.write(`note: nothing to draw in namespace ${escapeText(ns)}\n`);
  if (opts.html !== undefined) {
    const page = renderGraphHtml(graph, { title: `netkit graph: ${paths.join(' ')}${ns !== undefined ? ` -n ${ns}` : ''}` });
    if (opts.html === '-') {
      io.stdout.write(page);
    } else {
      try {
        fs.mkdirSync(path.dirname(path.resolve(opts.html)), { recursive: true });
        fs.writeFileSync(opts.html, page);
      } catch (e) {
        return fail(io, [`${opts.html}: can't write the page: ${(e as Error).message} (fix: pass a writable path to --html)`]);
      }
      io.stderr.write(`wrote ${opts.html} (${Math.round(page.length / 1024)} KiB): ${graphSummaryLine(graph)}\n`);
    }
  }
  if (opts.output !== undefined) io.stdout.write(formatData(graph, opts.output));
  return EXIT_OK;
}

function fail(io: CliIO, problems: readonly string[]): number {
  for (const p of problems) io.stderr.write(`error: ${p}\n`);
  return EXIT_ERROR;
}

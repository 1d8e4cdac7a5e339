/**
 * The property the fuzzer checks, over generated manifests (plausible objects, objects with
 * wrong fields, and raw text): loader -> budget -> engine -> rules -> routes -> trace (L4 and
 * HTTP) -> graph never throws, never reports a rule crash, never takes more than the time
 * limit, names the file and line of every input error, and prints no control character in
 * text output. `fuzzCases` runs a batch and reports failures by kind and the slowest case.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseManifestText } from '../../lib/manifest/parse';
import { checkBudget } from '../../lib/engine/budget';
import { Cluster } from '../../lib/engine/cluster';
import { defaultProfile } from '../../lib/engine/profile';
import { connect } from '../../lib/engine/trace';
import { L7Model } from '../../lib/engine/l7/model';
import { runRules } from '../../lib/rules/runner';
import { formatText } from '../../lib/cli/validate';
import { formatRoutes, routeRows } from '../../lib/report/routes';
import { formatTrace } from '../../lib/report/trace-format';
import { formatL7Trace } from '../../lib/report/l7-format';
import { formatL7Section, l7Routes } from '../../lib/report/l7-routes';
import { aggregateDiagnostics } from '../../lib/cli/load';
import { graphFromObjects } from '../../lib/graph/build';
import { UNSAFE_OUTPUT } from './harness';
import { manifestText } from './generators';

/** One case's input: the text of one manifest file. */
export interface FuzzInput {
  readonly text: string;
  readonly json: boolean;
}

/** Thrown for a property violation (as opposed to an exception from the code under test). */
export class PropertyFailure extends Error {
  constructor(public readonly kind: string, message: string) {
    super(message);
  }
}

function checkSafe(stage: string, text: string): void {
  const m = UNSAFE_OUTPUT.exec(text);
  if (m) throw new PropertyFailure('unescaped-output', `${stage} printed U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Run one input through every stage; throws on a property violation or an exception. */
export function runPipeline(input: FuzzInput): void {
  const file = input.json ? 'fuzz.json' : 'fuzz.yaml';
  const loaded = parseManifestText(input.text, file, { json: input.json });
  for (const e of loaded.errors) {
    if (e.file !== file) throw new PropertyFailure('error-without-file', e.toString());
    // Syntax and field errors point at a line; only whole-file problems may lack one.
    if (e.line <= 0 && e.code !== 'duplicate') throw new PropertyFailure('error-without-line', e.toString());
    checkSafe('load error', e.toString().replace(/[\n\r\t]/g, ' '));
  }
  if (loaded.errors.length > 0 || loaded.objects.length === 0) return;
  const profile = defaultProfile();
  if (checkBudget(loaded.objects, profile).length > 0) return;
  const cluster = Cluster.build(loaded.objects, profile);
  const result = runRules(loaded.objects, { profile });
  if (result.crashes.length > 0) throw new PropertyFailure('rule-crash', result.crashes.map((c) => `${c.ruleId}: ${c.message}`).join('; '));
  checkSafe('validate', formatText(result, loaded.objects.length));
  checkSafe('warnings', aggregateDiagnostics(cluster.diagnostics).join('\n'));
  checkSafe('routes', formatRoutes(routeRows(cluster)));
  const http = l7Routes(cluster);
  checkSafe('routes --http', formatL7Section(http));
  const pod = [...cluster.pods.keys()].sort()[0];
  const from = pod ? { pod } : { external: '203.0.113.9' };
  for (const svc of [...cluster.services.values()].slice(0, 3)) {
    checkSafe('trace', formatTrace(connect({ from, to: `${svc.name}.${svc.namespace}` }, cluster)));
  }
  const l7 = L7Model.build(cluster);
  for (const host of ['web', 'a.example.com', ...http.routes.slice(0, 2).map((r) => r.host.replace(/^\*\./, 'x.'))]) {
    checkSafe('trace url', formatL7Trace(l7.request({ url: `http://${host}/`, from })));
  }
  const { graph } = graphFromObjects(loaded.objects, { profile });
  JSON.stringify(graph);
}

/** A batch's report: how many cases ran, the failures by kind, and the slowest case. */
export interface FuzzReport {
  readonly cases: number;
  readonly failures: { kind: string; message: string; input: string }[];
  readonly slowest: { ms: number; input: string };
}

function failureKind(e: unknown): { kind: string; message: string } {
  if (e instanceof PropertyFailure) return { kind: e.kind, message: e.message };
  const err = e as Error;
  const message = String(err?.message ?? e).split('\n')[0];
  const where = (err?.stack ?? '').split('\n').find((l) => /lib\//.test(l))?.trim() ?? '';
  return { kind: `${err?.name ?? 'throw'} in ${where.replace(/^at /, '').replace(/\(.*\/(lib\/[^:]+):\d+:\d+\)/, '$1')}`, message };
}

/** The generator of one case: generated objects as YAML or JSON, or mutated text. */
export function fuzzInput(): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 6, arbitrary: manifestText().map((docs) => ({ text: docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n'), json: false })) },
    { weight: 2, arbitrary: manifestText().map((docs) => ({ text: JSON.stringify(docs.length === 1 ? docs[0] : docs), json: true })) },
    { weight: 1, arbitrary: fc.tuple(manifestText(), fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 4, unit: 'binary' })), { maxLength: 4 })).map(([docs, edits]) => {
      let text = docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n');
      for (const [at, s] of edits) { const i = at % (text.length + 1); text = text.slice(0, i) + s + text.slice(i + s.length); }
      return { text, json: false };
    }) },
  );
}

/** Run `count` generated cases from `seed`; never throws. */
export function fuzzCases(seed: number, count: number): FuzzReport {
  const failures: FuzzReport['failures'] = [];
  let slowest = { ms: 0, input: '' };
  const samples = fc.sample(fuzzInput(), { seed, numRuns: count });
  for (const input of samples) {
    const start = performance.now();
    try {
      runPipeline(input);
    } catch (e) {
      const f = failureKind(e);
      failures.push({ ...f, input: input.text.slice(0, 4000) });
    }
    const ms = performance.now() - start;
    if (ms > slowest.ms) slowest = { ms, input: input.text.slice(0, 4000) };
  }
  return { cases: samples.length, failures, slowest };
}

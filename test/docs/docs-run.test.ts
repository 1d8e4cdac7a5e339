/**
 * Every code block in README.md and docs/*.md is checked, or skipped with a reason written in the
 * doc (the convention is docs/docs-tests.md): TypeScript type-checked against the library as a user
 * imports it (`cdk8s-netkit`, `cdk8s-netkit/testing`) and run where marked; shell commands run
 * on the examples as `cdk8s synth` writes them, with the exit code each line documents; output
 * blocks compared with what the command prints; YAML parsed; path listings checked.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { App } from 'cdk8s';
import { runCli } from '../../lib/cli/main';
import { buildExamplesApp } from '../../examples/main';
import { matchOutput, readBlocks, splitShell, type DocBlock } from './blocks';

const root = path.resolve(__dirname, '../..');
const FILES = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const DIRECTIVES = new Set(['skip', 'continue', 'run', 'file', 'paths', 'output']);
const TS = new Set(['ts', 'typescript']);
const SHELL = new Set(['sh', 'bash', 'shell']);
const YAML = new Set(['yaml', 'yml']);
/** Commands besides netkit that a shell block may run: sed without -i only reads, and its `>` writes in the sandbox. */
const FILE_COMMANDS = new Set(['sed']);

const blocks = new Map(FILES.map((f) => [f, readBlocks(f, path.join(root, f))]));

/** What was checked per file, printed at the end. */
const counts = new Map<string, Record<string, number>>();
const skipped: string[] = [];
function count(file: string, what: string, n = 1): void {
  const c = counts.get(file) ?? {};
  c[what] = (c[what] ?? 0) + n;
  counts.set(file, c);
}

const where = (b: DocBlock): string => `${b.file}:${b.line}`;

// ---- TypeScript: one program with every snippet, as a user's project imports the package.

/** A snippet's virtual file: next to its doc, so `../examples/...` imports resolve as written. */
function snippetPath(b: DocBlock): string {
  return path.join(root, path.dirname(b.file), `${path.basename(b.file, '.md')}.${b.line}.snippet.ts`);
}

/** TypeScript snippets with the blocks they continue prepended (`<!-- docs: continue -->`). */
function tsSnippets(): { block: DocBlock; code: string; offset: number }[] {
  const out: { block: DocBlock; code: string; offset: number }[] = [];
  for (const list of blocks.values()) {
    let previous: { code: string } | undefined;
    for (const b of list) {
      if (!TS.has(b.lang) || b.directive?.name === 'skip') continue;
      const prefix = b.directive?.name === 'continue' ? previous?.code ?? '' : '';
      if (b.directive?.name === 'continue' && !previous) throw new Error(`${where(b)}: "continue" but no TypeScript block before it`);
      const code = prefix + b.code;
      out.push({ block: b, code, offset: prefix.split('\n').length - 1 });
      previous = { code };
    }
  }
  return out;
}

const snippets = tsSnippets();
let diagnostics = new Map<string, string[]>();

function typeCheck(): Map<string, string[]> {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, types: ['jest', 'node'],
    baseUrl: root,
    paths: { 'cdk8s-netkit': ['lib/index.ts'], 'cdk8s-netkit/testing': ['lib/testing/index.ts'], 'cdk8s-netkit/testing/jest': ['lib/testing/jest.ts'] },
  };
  const files = new Map(snippets.map((s) => [snippetPath(s.block), `${s.code}\nexport {};\n`]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, lang) : getSourceFile(name, lang, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const out = new Map<string, string[]>();
  for (const s of snippets) {
    const file = program.getSourceFile(snippetPath(s.block))!;
    const list = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
      const line = d.start !== undefined ? file.getLineAndCharacterOfPosition(d.start).line - s.offset : -1;
      return `${s.block.file}:${s.block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    out.set(snippetPath(s.block), list);
  }
  return out;
}

/** Run a snippet in this jest process: `cdk8s-netkit` is this checkout's lib, `test()` bodies run at once. */
async function runSnippet(code: string, b: DocBlock): Promise<void> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const dir = path.join(root, path.dirname(b.file));
  const modules: Record<string, string> = { 'cdk8s-netkit': path.join(root, 'lib'), 'cdk8s-netkit/testing': path.join(root, 'lib/testing'), 'cdk8s-netkit/testing/jest': path.join(root, 'lib/testing/jest') };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- snippets load their imports at run time, through jest's own require
  const load = (id: string): unknown => require(modules[id] ?? (id.startsWith('.') ? path.resolve(dir, id) : id));
  const pending: Promise<unknown>[] = [];
  const now = (_name: string, fn: () => unknown): void => { const r = fn(); if (r instanceof Promise) pending.push(r); };
  const exports = {};
  const printed: string[] = [];
  const console = { log: (...args: unknown[]) => printed.push(args.map(String).join(' ')) };
  new Function('require', 'module', 'exports', 'test', 'it', 'describe', 'expect', 'console', js)(load, { exports }, exports, now, now, now, expect, console);
  await Promise.all(pending);
  // `console.log(x);  // VALUE`: what the comment says is what it prints (prose may follow the value).
  const promised = code.split('\n').filter((l) => /^\s*console\.log\(/.test(l)).map((l) => /\/\/ (.*)$/.exec(l)?.[1].trim());
  expect([where(b), printed.length]).toEqual([where(b), promised.length]);
  promised.forEach((comment, i) => {
    const ok = comment !== undefined && (comment === printed[i] || comment.startsWith(`${printed[i]} `));
    if (!ok) expect([where(b), `console.log #${i + 1} prints`, printed[i]]).toEqual([where(b), `console.log #${i + 1} prints`, comment]);
  });
}

// ---- Shell: a sandbox with dist/ (the examples synthesized), test/ and examples/ of this checkout.

let sandbox = '';
let cwd = '';

async function netkit(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

/** Run one documented command line; the exit code it documents (`# exit N`) or 0 must come out. */
async function runLine(text: string, b: DocBlock): Promise<{ out: string }> {
  const line = splitShell(text);
  const expected = Number(/^exit (\d)/.exec(line.comment ?? '')?.[1] ?? 0);
  let words = line.words;
  if (words[0] === 'npx' && words[1] === 'netkit') words = words.slice(1);
  let code: number;
  let out: string;
  let err: string;
  if (words[0] === 'netkit' && !line.complex) {
    ({ code, out, err } = await netkit(words.slice(1)));
    if (line.redirect) fs.writeFileSync(path.join(sandbox, line.redirect), out);
  } else {
    if (words[0] === 'netkit') throw new Error(`${where(b)}: ${text}: a netkit line the checker cannot split (pipes, variables, globs)`);
    // Other commands run only when they are file edits in the sandbox; installs, builds, clusters
    // and benchmarks are never started from a doc: such a block is marked skip with its reason.
    if (!FILE_COMMANDS.has(words[0] ?? '') || line.complex || words.some((w) => w.startsWith('-i'))) throw new Error(`${where(b)}: ${text}: not a netkit command; the checker runs only netkit and ${[...FILE_COMMANDS].join('/')} lines (mark the block "skip" with a reason, see docs/docs-tests.md)`);
    const r = spawnSync(words[0], words.slice(1), { cwd: sandbox, encoding: 'utf8', timeout: 60_000 });
    if (line.redirect && r.status === 0) fs.writeFileSync(path.join(sandbox, line.redirect), r.stdout);
    [code, out, err] = [r.status ?? 1, r.stdout, r.stderr];
  }
  expect([where(b), text, code, code !== expected ? err : '']).toEqual([where(b), text, expected, '']);
  return { out };
}

beforeAll(() => {
  diagnostics = typeCheck();
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-docs-'));
  buildExamplesApp(new App({ outdir: path.join(sandbox, 'dist') })).synth();
  for (const d of ['test', 'examples']) fs.symlinkSync(path.join(root, d), path.join(sandbox, d));
  // The sandbox is a cdk8s project as this checkout is (`netkit validate .`).
  fs.copyFileSync(path.join(root, 'cdk8s.yaml'), path.join(sandbox, 'cdk8s.yaml'));
  for (const list of blocks.values()) {
    for (const b of list) if (b.directive?.name === 'file') fs.writeFileSync(path.join(sandbox, b.directive.arg), b.code);
  }
  cwd = process.cwd();
  process.chdir(sandbox);
}, 300_000);

afterAll(() => {
  if (cwd) process.chdir(cwd);
  if (sandbox) fs.rmSync(sandbox, { recursive: true, force: true });
  const lines = FILES.map((f) => `${f}: ${Object.entries(counts.get(f) ?? {}).map(([k, n]) => `${n} ${k}`).join(', ') || 'no code blocks'}`);
  // The per-file counts, so a reader of the test log sees that nothing went unchecked.
  console.log(`code blocks checked:\n${lines.join('\n')}\nskipped, with the reason written in the doc:\n${skipped.join('\n')}`);
});

for (const file of FILES) {
  describe(file, () => {
    const list = blocks.get(file)!;
    if (list.length === 0) test('has no code blocks', () => expect(list).toEqual([]));
    for (const b of list) {
      const d = b.directive;
      test(`line ${b.line} (${b.lang || 'plain'}${d ? `, ${d.name}` : ''})`, async () => {
        if (d && !DIRECTIVES.has(d.name)) throw new Error(`${where(b)}: unknown directive "${d.name}" (see docs/docs-tests.md)`);
        if (d?.name === 'skip') {
          if (d.arg.length < 10) throw new Error(`${where(b)}: "skip" needs a reason`);
          skipped.push(`  ${where(b)}: ${d.arg}`);
          count(file, 'skipped');
          return;
        }
        if (TS.has(b.lang)) {
          expect(diagnostics.get(snippetPath(b))).toEqual([]);
          count(file, 'TypeScript type-checked');
          if (d?.name === 'run') {
            await runSnippet(snippets.find((s) => s.block === b)!.code, b);
            count(file, 'TypeScript run');
          }
          return;
        }
        if (SHELL.has(b.lang)) {
          let lines = 0;
          for (const text of b.code.split('\n')) {
            if (text.trim() === '' || text.trim().startsWith('#')) continue;
            await runLine(text, b);
            lines++;
          }
          count(file, 'shell blocks');
          count(file, 'commands run', lines);
          return;
        }
        if (YAML.has(b.lang)) {
          for (const doc of parseAllDocuments(b.code)) expect([where(b), doc.errors.map((e) => e.message)]).toEqual([where(b), []]);
          count(file, d?.name === 'file' ? 'YAML files used by commands' : 'YAML parsed');
          return;
        }
        if (b.lang === 'json') {
          JSON.parse(b.code);
          count(file, 'JSON parsed');
          return;
        }
        if (d?.name === 'paths') {
          for (const l of b.code.split('\n').filter((x) => x.trim() !== '')) {
            const p = l.trim().split(/\s+/)[0];
            expect([where(b), p, fs.existsSync(path.join(root, p))]).toEqual([where(b), p, true]);
          }
          count(file, 'path listings checked');
          return;
        }
        if (d?.name === 'output') {
          const [first, ...expected] = b.code.trimEnd().split('\n');
          if (!first.startsWith('$ ')) throw new Error(`${where(b)}: an output block starts with "$ COMMAND"`);
          const { out } = await runLine(first.slice(2), b);
          const actual = out.trimEnd().split('\n').map((l) => l.trimEnd());
          const want = expected.map((l) => l.trimEnd());
          if (!matchOutput(want, actual)) expect([where(b), actual.join('\n')]).toEqual([where(b), want.join('\n')]);
          count(file, 'outputs compared');
          return;
        }
        throw new Error(`${where(b)}: a ${b.lang || 'plain'} block nothing checks: mark it (see docs/docs-tests.md)`);
      }, 120_000);
    }
  });
}

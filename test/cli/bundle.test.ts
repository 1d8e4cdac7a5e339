/**
 * The bundled CLI (issue 21, scripts/bundle-cli.js): what `npm run build` ships as
 * build/cli/netkit.js, run through bin/netkit.js in a directory laid out like the installed
 * package but with no node_modules, so every package a command needs must be inside the bundle.
 * Each command's output and exit code must be those of the sources run in-process, and the V8
 * code cache bin/netkit.js keeps must never change an answer (missing, valid, corrupt, refused).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { builtinModules } from 'module';
import * as path from 'path';
import { runCli } from '../../lib/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const SHOP = path.join(__dirname, 'fixtures', 'shop');

interface BundleResult { file: string; bytes: number; packages: string[]; external: string[] }
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is plain JavaScript
const { bundleCli, EXTERNAL } = require('../../scripts/bundle-cli') as { bundleCli: (outDir: string) => Promise<BundleResult>; EXTERNAL: string[] };

const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /, port: http } }
          resources: { limits: { cpu: 500m, memory: 256Mi }, requests: { cpu: 100m, memory: 128Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

interface Run { code: number | null; out: string; err: string }

async function inProcess(argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('the bundled netkit command', () => {
  let tmp: string;
  let pkg: string;
  let built: BundleResult;
  let clean: string;

  const run = (argv: string[], env: Record<string, string | undefined> = {}): Run => {
    const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'netkit.js'), ...argv], {
      cwd: tmp, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, NODE_COMPILE_CACHE: path.join(tmp, 'cache'), NODE_DISABLE_COMPILE_CACHE: undefined, ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const cacheFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cache')) : []);

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-bundle-'));
    pkg = path.join(tmp, 'cdk8s-netkit');
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'bin', 'netkit.js'), path.join(pkg, 'bin', 'netkit.js'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    built = await bundleCli(path.join(pkg, 'build'));
    // No finding: read with js-yaml only (the fixture's Services have findings, which need `yaml`).
    clean = path.join(tmp, 'clean.yaml');
    fs.writeFileSync(clean, CLEAN);
  }, 120_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('holds every package it runs on; only Node built-ins and the allowed externals stay outside', () => {
    expect(fs.existsSync(path.join(pkg, 'node_modules'))).toBe(false);
    expect(built.packages).toEqual(expect.arrayContaining(['commander', 'js-yaml', 'yaml', 'zod', 'ipaddr.js', 're2js']));
    expect(built.external.filter((p) => !EXTERNAL.includes(p) && !builtinModules.includes(p.replace(/^node:/, '')))).toEqual([]);
    const licences = fs.readFileSync(path.join(pkg, 'build', 'cli', 'THIRD-PARTY-LICENSES'), 'utf8');
    for (const p of built.packages) expect(licences).toContain(`${p}@`);
  });

  test.each([
    ['--version', ['--version']],
    ['validate, clean', () => ['validate', clean]],
    ['validate -o json', ['validate', SHOP, '-o', 'json']],
    ['routes', ['routes', SHOP]],
    ['trace', ['trace', SHOP, 'web.shop', '--from', 'pod:default/client']],
    ['graph -o json', ['graph', SHOP, '-o', 'json']],
    ['a missing directory', ['routes', path.join(ROOT, 'no-such-dir')]],
    ['an unknown command', ['frobnicate']],
  ] as [string, string[] | (() => string[])][])('%s: the same output and exit code as the sources', async (_name, args) => {
    const argv = typeof args === 'function' ? args() : args;
    expect(run(argv)).toEqual(await inProcess(argv));
  }, 60_000);

  test('validate with findings: the field lines (lazily loaded yaml) as the sources give them', async () => {
    const want = await inProcess(['validate', SHOP]);
    expect(want.code).toBe(2);
    expect(want.out).toMatch(/app\.yaml:\d+:\d+ Service shop\/broken spec\.selector: error \[service-selects-no-pod\]/);
    expect(run(['validate', SHOP])).toEqual(want);
  }, 60_000);

  test('the code cache: written once per command, private, reused, rewritten when corrupt', async () => {
    const dir = path.join(tmp, 'cache-life');
    const env = { NODE_COMPILE_CACHE: dir };
    const want = await inProcess(['validate', SHOP]);
    expect(run(['validate', SHOP], env)).toEqual(want);
    const [file] = cacheFiles(dir);
    expect(cacheFiles(dir)).toEqual([expect.stringMatching(/-validate\.cache$/)]);
    expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const first = fs.statSync(path.join(dir, file)).mtimeMs;
    // Reused: the same answer, the file left as it was.
    expect(run(['validate', SHOP], env)).toEqual(want);
    expect(fs.statSync(path.join(dir, file)).mtimeMs).toBe(first);
    // V8 rejects a corrupt cache: the same answer, and a good cache written in its place.
    fs.writeFileSync(path.join(dir, file), Buffer.alloc(4096, 7), { mode: 0o600 });
    expect(run(['validate', SHOP], env)).toEqual(want);
    expect(fs.readFileSync(path.join(dir, file)).equals(Buffer.alloc(4096, 7))).toBe(false);
    // Another command has its own file.
    run(['routes', SHOP], env);
    expect(cacheFiles(dir).sort()).toEqual([file, expect.stringMatching(/-routes\.cache$/)].sort());
  }, 60_000);

  test('no cache when turned off, or in a directory others may write', async () => {
    const want = await inProcess(['validate', SHOP]);
    const off = path.join(tmp, 'cache-off');
    expect(run(['validate', SHOP], { NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(want);
    expect(fs.existsSync(off)).toBe(false);
    if (typeof process.getuid !== 'function') return;
    const shared = path.join(tmp, 'cache-shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    expect(run(['validate', SHOP], { NODE_COMPILE_CACHE: shared })).toEqual(want);
    expect(cacheFiles(shared)).toEqual([]);
  }, 60_000);
});

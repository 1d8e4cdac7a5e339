/** `netkit validate .` in a cdk8s project root, and `-n` on validate and reach. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, 'fixtures', 'shop');

/** A project dir: `cdk8s.yaml` with `config`, the shop manifests copied into `outDir` (when given), and a stray YAML fixture beside. */
function project(config: string, outDir?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-project-'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  if (outDir) {
    fs.mkdirSync(path.join(dir, outDir), { recursive: true });
    for (const f of fs.readdirSync(SHOP)) fs.copyFileSync(path.join(SHOP, f), path.join(dir, outDir, f));
  }
  // A test fixture in the sources: read as part of the app if the root were walked.
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: Bad_Name }\n');
  return dir;
}

describe('a cdk8s project root as the path', () => {
  const made: string[] = [];
  afterAll(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

  test('reads the output directory cdk8s.yaml names, and says so', async () => {
    const dir = project('language: typescript\napp: npx ts-node main.ts\noutput: manifests\n', 'manifests');
    made.push(dir);
    const r = await run('validate', dir);
    const direct = await run('validate', path.join(dir, 'manifests'));
    expect(r.code).toBe(direct.code);
    expect(r.out).toBe(direct.out);
    expect(r.err).toBe(`note: ${dir} is a cdk8s project: reading ${path.join(dir, 'manifests')}${path.sep}, the output directory its cdk8s.yaml names (what \`cdk8s synth\` last wrote)\n`);
    // The same for the other commands that read manifests.
    expect((await run('routes', dir, '-o', 'json')).out).toBe((await run('routes', path.join(dir, 'manifests'), '-o', 'json')).out);
  });

  test('without output: dist, as cdk8s-cli defaults; a missing output directory says to synth first, exit 1', async () => {
    const dir = project('language: typescript\napp: npx ts-node main.ts\n', 'dist');
    made.push(dir);
    expect((await run('validate', dir)).err).toContain(`reading ${path.join(dir, 'dist')}${path.sep}`);
    const empty = project('app: node main.js\noutput: out\n');
    made.push(empty);
    expect(await run('validate', empty)).toMatchObject({ code: 1, out: '', err: `error: ${path.join(empty, 'cdk8s.yaml')}: its output directory ${path.join(empty, 'out')} does not exist (fix: run \`cdk8s synth\` first, or pass the manifest directory)\n` });
  });

  test('a cdk8s.yaml that is not YAML is an error naming it; a directory without one is walked as before', async () => {
    const bad = project('app: [unclosed\n', 'dist');
    made.push(bad);
    const r = await run('validate', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: ${path.join(bad, 'cdk8s.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML \\(.+\\) \\(fix: correct it, or pass the manifest directory, e.g\\. dist/\\)\n$`));
    const plain = await run('validate', SHOP);
    expect(plain.err).not.toContain('cdk8s project');
  });
});

describe('-n on validate and reach', () => {
  test('validate -n reports only findings on objects in the namespace', async () => {
    const all = JSON.parse((await run('validate', SHOP, '-o', 'json')).out) as { violations: { object: { namespace?: string } }[] };
    expect(new Set(all.violations.map((v) => v.object.namespace))).toEqual(new Set(['shop']));
    const shop = await run('validate', SHOP, '-n', 'shop', '-o', 'json');
    expect(JSON.parse(shop.out)).toEqual(all);
    const none = await run('validate', SHOP, '-n', 'default', '-o', 'json');
    expect((JSON.parse(none.out) as { violations: unknown[] }).violations).toEqual([]);
    expect(none.code).toBe(0);
    expect((await run('validate', SHOP, '-n', 'nowhere')).err).toBe('note: no object in namespace nowhere\n');
  });

  test('reach -n keeps connections with an end in the namespace; --focus NAME takes -n', async () => {
    const full = JSON.parse((await run('reach', SHOP, '-o', 'json')).out) as { connections: { from: string; to: string }[] };
    const def = JSON.parse((await run('reach', SHOP, '-n', 'default', '-o', 'json')).out) as { connections: { from: string; to: string }[] };
    expect(def.connections).toEqual(full.connections.filter((c) => c.from.startsWith('default/') || c.to.startsWith('default/')));
    expect(def.connections.length).toBeGreaterThan(0);
    const focus = await run('reach', SHOP, '-n', 'shop', '--focus', 'web', '-o', 'json');
    expect(focus.code).toBe(0);
    expect((JSON.parse(focus.out) as { connections: { from: string; to: string }[] }).connections.every((c) => c.from === 'shop/web' || c.to === 'shop/web')).toBe(true);
    expect((await run('reach', SHOP, '-n', 'default', '--focus', 'web')).err).toBe('error: --focus default/web: no such workload; workloads are: default/client\n');
  });

  test('diff -n keeps the changes in the namespace; the exit code counts only those', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-diff-ns-'));
    const after = path.join(dir, 'app.yaml');
    fs.writeFileSync(after, fs.readFileSync(path.join(SHOP, 'app.yaml'), 'utf8').replace('replicas: 3', 'replicas: 2'));
    const before = path.join(SHOP, 'app.yaml');
    const all = await run('diff', before, after, '-o', 'json');
    expect(all.code).toBe(1);
    const changes = (JSON.parse(all.out) as { changes: { namespace: string }[] }).changes;
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.namespace))).toEqual(new Set(['shop']));
    expect(JSON.parse((await run('diff', before, after, '-n', 'shop', '-o', 'json')).out)).toEqual(JSON.parse(all.out));
    const none = await run('diff', before, after, '-n', 'default', '-o', 'json');
    expect(none.code).toBe(0);
    expect((JSON.parse(none.out) as { changes: unknown[] }).changes).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

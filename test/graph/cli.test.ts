import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GRAPH_SCHEMA, type RoutingGraph } from '../../lib/graph/model';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, '..', 'cli', 'fixtures', 'shop');

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-graph-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('netkit graph', () => {
  const DEMO = path.join(__dirname, '..', 'fixtures', 'microservices-demo');
  test('--denied-limit: denied pairs counted on stderr, drawn up to the limit; a bad value is a usage error', async () => {
    const file = path.join(tempDir(), 'demo.html');
    const r = await run('graph', DEMO, '--html', file, '--denied-limit', '5');
    expect(r.code).toBe(0);
    expect(r.err).toContain(', 95 denied pairs (5 drawn); validator:');
    const json = JSON.parse((await run('graph', DEMO, '-o', 'json', '--denied-limit', '0')).out) as RoutingGraph;
    expect(json.edges.filter((e) => e.kind === 'denied')).toEqual([]);
    const bad = await run('graph', DEMO, '-o', 'json', '--denied-limit', 'many');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--denied-limit many: not a whole number');
  });

  test('--html writes one page and says what it holds on stderr, exit 0 even with findings', async () => {
    const file = path.join(tempDir(), 'out', 'graph.html');
    const r = await run('graph', SHOP, '--html', file);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^wrote .*graph\.html \(\d+ KiB\): 4 Services, \d+ EndpointSlices, 6 pods, \d+ entry points; validator: 1 error, 3 warnings, 0 info\n$/);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>netkit graph: ');
    expect(html).toContain('"svc:shop/broken"');
  });

  test('--output json prints the graph model', async () => {
    const r = await run('graph', SHOP, '-o', 'json');
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.out) as RoutingGraph;
    expect(graph.schema).toBe(GRAPH_SCHEMA);
    expect(graph.nodes.filter((n) => n.kind === 'service').map((n) => n.label).sort()).toEqual(['broken', 'db', 'payments', 'web']);
    const broken = graph.findings.find((f) => f.ruleId === 'service-selects-no-pod');
    expect(broken?.targets).toEqual(['svc:shop/broken']);
    expect(r.err).toBe('');
  });

  test('--html - writes the page to stdout', async () => {
    const r = await run('graph', SHOP, '--html', '-');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  test('--profile and --rule are applied', async () => {
    const dir = tempDir();
    const profile = path.join(dir, 'profile.yaml');
    fs.writeFileSync(profile, 'nodes: 1\nzones: 1\n');
    const r = await run('graph', SHOP, '-o', 'json', '--profile', profile, '--rule', 'service-selects-no-pod=off');
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.out) as RoutingGraph;
    expect(graph.clusterNodes.map((n) => n.name)).toEqual(['node-1']);
    expect(graph.findings.some((f) => f.ruleId === 'service-selects-no-pod')).toBe(false);
  });

  test.each([
    [['graph', SHOP], /nothing to write: pass --html out\.html .* or --output json/],
    [['graph', SHOP, '--html', '-', '-o', 'json'], /both write to stdout/],
    [['graph', SHOP, '-o', 'json', '--rule', 'nope=off'], /--rule nope: no rule has this id/],
    [['graph', path.join(SHOP, 'missing'), '-o', 'json'], /missing/],
    [['graph', '-o', 'xml', SHOP], /argument 'xml' is invalid/],
  ])('usage and input errors exit 1: %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('an unwritable --html path is an error with a fix', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const r = await run('graph', SHOP, '--html', path.join(blocker, 'graph.html'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/can't write the page: .* \(fix: pass a writable path to --html\)/);
  });
});

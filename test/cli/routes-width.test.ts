/** `netkit routes` fits 120 columns (or the terminal's width) by default; `-o wide` has every column. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { runCli } from '../../lib/cli/main';
import type { RouteRow } from '../../lib/report/routes';
import { buildExamplesApp } from '../../examples/main';

const SHOP = path.join(__dirname, 'fixtures', 'shop');
const WEB_L7 = path.join(__dirname, '..', 'engine', 'l7', 'fixtures', 'web');

async function run(argv: string[], tty?: { columns: number }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = { write: (s: string) => (out += s), ...(tty ? { isTTY: true, columns: tty.columns } : {}) };
  // NO_COLOR: these tests look at the layout; test/cli/color.test.ts covers colour on a terminal.
  const code = await runCli(argv, { stdout, stderr: { write: (s: string) => (err += s) } }, { NO_COLOR: '1' });
  return { code, out, err };
}

/** Table lines: everything but the HTTP problems' sentences and the not-simulated footer. */
function tableLines(text: string): string[] {
  const cut = text.search(/^HTTP problems$/m);
  return (cut < 0 ? text : text.slice(0, cut)).split('\n');
}

let EXAMPLES: string;
beforeAll(() => {
  EXAMPLES = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-routes-'));
  const app = buildExamplesApp(new App({ outdir: EXAMPLES }));
  app.synth();
}, 60_000);
afterAll(() => fs.rmSync(EXAMPLES, { recursive: true, force: true }));

describe('netkit routes: width', () => {
  test('the examples fit 120 columns; every Service name is whole and the notes say what -o wide adds', async () => {
    const r = await run(['routes', EXAMPLES]);
    expect(r.code).toBe(0);
    for (const line of tableLines(r.out)) expect([line, line.length <= 120]).toEqual([line, true]);
    const rows = JSON.parse((await run(['routes', EXAMPLES, '-o', 'json'])).out) as RouteRow[];
    const firstColumn = r.out.split('\n\n')[0].split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(firstColumn).toEqual(rows.map((x) => x.service));
    expect(r.out.split('\n')[0]).toMatch(/^SERVICE\s+TYPE\s+CLUSTER-IP\s+PORTS\s+EXTERNAL\s+ENDPOINTS/);
    // kubectl's PORT(S) form: name, port, node port, protocol.
    expect(r.out).toMatch(/^web\/web-public\s+LoadBalancer\s+\S+\s+http:80:3\d{4}\/TCP\s+lb:192\.0\.2\.1\s+3\/3/m);
    expect(r.out).toMatch(/^billing\/billing-db\s+ExternalName\s+-\s+-\s+billing\.db\.example\.com\s+-/m);
    expect(r.err).toContain('note: the Service table leaves out target ports, the NODEPORTS column, pod names to fit 120 columns; -o wide shows everything\n');
    expect(r.err).toContain('note: the HTTP tables are grouped by entry point, with short kinds and namespaces left off, to fit 120 columns; -o wide shows everything\n');
    // HTTP routes under their entry point, weighted backends one per line.
    expect(r.out).toMatch(/^gateway:checkout\/public\/http\n {2}HOST +MATCH +ROUTE +BACKENDS +NOTE\n/m);
    expect(r.out).toMatch(/httproute checkout\/checkout\[1\] +checkout-v1:80 w90\n +checkout-v2:80 w10\n/);
    expect(r.out).toMatch(/^mesh\n(.*\n)* {2}reviews\.bookinfo +header end-user=jason +vs bookinfo\/reviews\[0\] +reviews\/v2$/m);
  });

  test('-o wide prints every column as before, however wide', async () => {
    const r = await run(['routes', EXAMPLES, '-o', 'wide']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toMatch(/^SERVICE\s+TYPE\s+CLUSTER-IP\s+PORTS\s+NODEPORTS\s+EXTERNAL\s+ENDPOINTS\s+PODS$/);
    expect(r.out).toMatch(/^checkout\/checkout-v1 .*4\/4\s+checkout-v1-\S+,checkout-v1-\S+,checkout-v1-\S+,checkout-v1-\S+$/m);
    expect(r.out).toMatch(/^ENTRY\s+HOST\s+MATCH\s+ROUTE\s+BACKENDS\s+NOTE$/m);
    expect(Math.max(...r.out.split('\n').map((l) => l.length))).toBeGreaterThan(120);
  });

  test('pod names are shown whole or counted, never cut', async () => {
    const r = await run(['routes', SHOP]);
    const rows = JSON.parse((await run(['routes', SHOP, '-o', 'json'])).out) as RouteRow[];
    const shop = rows.filter((x) => x.service !== 'default/kubernetes');
    const names = new Set(shop.flatMap((x) => x.endpoints.pods.map((p) => p.pod!.split('/')[1])));
    const podsCells = r.out.split('\n').slice(1).filter((l) => l !== '' && !l.startsWith('default/kubernetes')).map((l) => l.split(/\s{2,}/).pop()!);
    expect(podsCells).toEqual(['-', 'db-0,db-1', '-', '3 pods']);
    for (const cell of podsCells.filter((c) => c !== '-' && !/^\d+ pods?$/.test(c))) {
      for (const name of cell.replace(/ \+\d+ more$/, '').split(',')) expect([name, names.has(name)]).toEqual([name, true]);
    }
    expect(r.err).toContain('some pod names');
  });

  test('a terminal wide enough gets the wide table; a narrow one a narrower table, names kept whole', async () => {
    const wide = await run(['routes', SHOP, '-o', 'wide']);
    expect((await run(['routes', SHOP], { columns: 200 })).out).toBe(wide.out);
    const narrow = await run(['routes', SHOP], { columns: 80 });
    expect(narrow.out.split('\n')[0]).not.toContain('PODS');
    expect(narrow.out).toContain('shop/payments');
    expect(narrow.err).toContain('to fit 80 columns');
  });

  test('HTTP problems are sentences and do not narrow the tables; --http alone fits too', async () => {
    const r = await run(['routes', WEB_L7, '--http']);
    expect(r.code).toBe(0);
    for (const line of tableLines(r.out)) expect(line.length).toBeLessThanOrEqual(120);
    expect(r.out).toMatch(/^HTTP entry points\n/);
    expect(r.out).toMatch(/HTTP problems\n.*routing\.yaml:\d+ Ingress shop\/shop .*Service shop\/gone does not exist/);
  });
});

describe('netkit routes -n', () => {
  test('only the namespace\'s Services and routes; entry points stay', async () => {
    const r = await run(['routes', EXAMPLES, '-n', 'checkout', '-o', 'json']);
    expect((JSON.parse(r.out) as RouteRow[]).map((x) => x.service)).toEqual(['checkout/checkout-v1', 'checkout/checkout-v2']);
    const http = JSON.parse((await run(['routes', EXAMPLES, '-n', 'checkout', '--http', '-o', 'json'])).out) as { routes: { object: { namespace: string } }[]; entryPoints: unknown[] };
    expect(new Set(http.routes.map((x) => x.object.namespace))).toEqual(new Set(['checkout']));
    expect(http.entryPoints.length).toBeGreaterThan(1);
    const none = await run(['routes', EXAMPLES, '-n', 'nowhere']);
    expect(none.err).toContain('note: no Services or routes in namespace nowhere\n');
  });
});

/**
 * Migration off Ingress: `netkit convert ingress` on the shop-ingress example is proven
 * equivalent by `netkit diff --equivalent`; a hand-written migration with mistakes is caught with
 * the differing requests listed; the TypeScript output synthesizes the same objects.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import * as ts from 'typescript';
import { ShopIngressChart } from '../../examples/shop-ingress';
import { runCli } from '../../lib/cli/main';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = mkdtempSync(join(tmpdir(), 'netkit-convert-'));
const shop = new ShopIngressChart(Testing.app(), 'shop-ingress').toJson() as Json[];
const SOURCE = join(dir, 'ingress-side.yaml');
writeFileSync(SOURCE, shop.map((o) => stringify(o)).join('---\n'));
/** The shop without its Ingress and IngressClass: what stays when routing moves to Gateway API. */
const workloads = shop.filter((o) => o.kind !== 'Ingress' && o.kind !== 'IngressClass');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''; let err = '';
  const code = await runCli(args, { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } } });
  return { code, out, err };
}

function write(name: string, objects: readonly Json[]): string {
  const file = join(dir, name);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

describe('netkit convert ingress + diff --equivalent', () => {
  let converted: Json[] = [];

  test('shop-ingress converts completely: one Gateway (HTTP + HTTPS listener), the HTTPS route, the 308 redirect route', async () => {
    const r = await cli('convert', 'ingress', SOURCE);
    expect(r.code).toBe(0);
    expect(r.err).toBe('converted 1 Ingress into 3 objects; 0 items not translated. Check it: netkit diff --equivalent <ingress-side> <gateway-side>\n');
    converted = parseAllDocuments(r.out).map((d) => d.toJSON() as Json);
    expect(converted.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Gateway shop/nginx', 'HTTPRoute shop/shop-shop-example-com', 'HTTPRoute shop/shop-shop-example-com-http',
    ]);
    expect(converted[0].spec.listeners.map((l: Json) => `${l.name} ${l.protocol}/${l.port} ${l.hostname}`)).toEqual([
      'shop-example-com-http HTTP/80 shop.example.com', 'shop-example-com-https HTTPS/443 shop.example.com',
    ]);
    // Port names resolved through the Services (HTTPRoute backends need numbers).
    expect(converted[1].spec.rules.map((x: Json) => `${x.matches[0].path.type} ${x.matches[0].path.value} -> ${x.backendRefs[0].name}:${x.backendRefs[0].port}`)).toEqual([
      'PathPrefix / -> frontend:80', 'PathPrefix /api -> api:80', 'Exact /api/status -> api:8081', 'Exact /healthz -> frontend:80',
    ]);
    expect(converted[2].spec.rules.every((x: Json) => x.filters[0].requestRedirect.scheme === 'https' && x.filters[0].requestRedirect.statusCode === 308)).toBe(true);
  });

  test('the converted shop is proven equivalent: every witness request routes the same, exit 0', async () => {
    const target = write('gateway-side.yaml', [...workloads, ...converted]);
    const r = await cli('diff', '--equivalent', SOURCE, target);
    expect(r).toEqual({ code: 0, out: 'equivalent: all 24 witness requests route the same\n', err: '' });
  });

  test('a wrong hand-written migration is caught, every differing request listed, exit 1', async () => {
    const gateway = JSON.parse(JSON.stringify(converted[0])) as Json;
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        parentRefs: [{ name: 'nginx' }], // both listeners: plain HTTP is served instead of redirected
        hostnames: ['shop.example.com'],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'frontend', port: 80 }] },
          { matches: [{ path: { type: 'Exact', value: '/api' } }], backendRefs: [{ name: 'api', port: 80 }] }, // was Prefix
          { matches: [{ path: { type: 'Exact', value: '/api/status' } }], backendRefs: [{ name: 'api', port: 8081 }] },
          { matches: [{ path: { type: 'Exact', value: '/healthz' } }], backendRefs: [{ name: 'frontend', port: 80 }] },
        ],
      },
    };
    const target = write('hand-written.yaml', [...workloads, gateway, route]);
    const r = await cli('diff', '--equivalent', SOURCE, target, '-o', 'json');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out) as { equivalent: boolean; witnesses: number; differences: { request: string; before: string; after: string }[] };
    expect(result.equivalent).toBe(false);
    expect(result.differences.map((d) => `${d.request}: ${d.before} -> ${d.after}`)).toEqual([
      'GET http://shop.example.com/: 308 redirect to https://shop.example.com/ -> shop/frontend:80 100%',
      '(any other method) http://shop.example.com/: 308 redirect to https://shop.example.com/ -> shop/frontend:80 100%',
      'GET http://shop.example.com/netkit-probe: 308 redirect to https://shop.example.com/netkit-probe -> shop/frontend:80 100%',
      '(any other method) http://shop.example.com/netkit-probe: 308 redirect to https://shop.example.com/netkit-probe -> shop/frontend:80 100%',
      'GET http://shop.example.com/api: 308 redirect to https://shop.example.com/api -> shop/api:80 100%',
      '(any other method) http://shop.example.com/api: 308 redirect to https://shop.example.com/api -> shop/api:80 100%',
      'GET http://shop.example.com/api/netkit-probe: 308 redirect to https://shop.example.com/api/netkit-probe -> shop/frontend:80 100%',
      'GET https://shop.example.com/api/netkit-probe: shop/api:80 100% -> shop/frontend:80 100%',
      '(any other method) http://shop.example.com/api/netkit-probe: 308 redirect to https://shop.example.com/api/netkit-probe -> shop/frontend:80 100%',
      '(any other method) https://shop.example.com/api/netkit-probe: shop/api:80 100% -> shop/frontend:80 100%',
      'GET http://shop.example.com/api/status: 308 redirect to https://shop.example.com/api/status -> shop/api:8081 100%',
      '(any other method) http://shop.example.com/api/status: 308 redirect to https://shop.example.com/api/status -> shop/api:8081 100%',
      'GET http://shop.example.com/healthz: 308 redirect to https://shop.example.com/healthz -> shop/frontend:80 100%',
      '(any other method) http://shop.example.com/healthz: 308 redirect to https://shop.example.com/healthz -> shop/frontend:80 100%',
    ]);
    const text = await cli('diff', '--equivalent', SOURCE, target);
    expect(text.out.split('\n')[0]).toBe('not equivalent: 14 of 24 witness requests route differently');
  });

  test('--lang typescript: the generated cdk8s chart synthesizes exactly the converted objects', async () => {
    const r = await cli('convert', 'ingress', SOURCE, '--lang', 'typescript', '--import-from', join(__dirname, '..', '..', 'lib'));
    expect(r.code).toBe(0);
    const js = ts.transpileModule(r.out, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const mod = { exports: {} as Record<string, unknown> };
    new Function('require', 'module', 'exports', js)(require, mod, mod.exports);
    const Chart = mod.exports.MigratedGatewayChart as new (scope: unknown, id: string) => { toJson(): Json[] };
    const objects = new Chart(Testing.app(), 'migrated').toJson();
    const key = (o: Json) => `${o.kind}/${o.metadata.name}`;
    // cdk8s adds nothing the converter did not write except defaults the L2 constructs spell out.
    const strip = (o: Json): Json => JSON.parse(JSON.stringify(o, (k, v) => (k === 'group' && v === 'gateway.networking.k8s.io') || (k === 'kind' && v === 'Gateway') || (k === 'mode' && v === 'Terminate') || (k === 'group' && v === '') || (k === 'kind' && v === 'Secret') || k === 'annotations' ? undefined : v));
    expect(objects.map(strip).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(converted.map(strip).sort((a, b) => key(a).localeCompare(key(b))));
  });

  test('canaries, redirects and what has no HTTPRoute equivalent: translated or listed; the result still checked equivalent where it was translated', async () => {
    const ingress = (name: string, annotations: Record<string, string>, backend: string, path = '/') => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop', annotations },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: backend, port: { name: 'http' } } } }] } }] },
    });
    const cls = shop.find((o) => o.kind === 'IngressClass') as Json;
    const source = write('canary-source.yaml', [...workloads, cls,
      ingress('main', { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' }, 'frontend'),
      ingress('main-canary', { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20', 'nginx.ingress.kubernetes.io/canary-by-header': 'x-beta' }, 'api'),
      ingress('old', { 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://new.example.com/shop' }, 'frontend', '/old')]);
    const r = await cli('convert', 'ingress', source);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not translated: ');
    expect(r.err).toContain('Ingress shop/main metadata.annotations.nginx.ingress.kubernetes.io/proxy-body-size: proxy-body-size: "8m" not translated (no HTTPRoute equivalent in this converter)');
    const out = parseAllDocuments(r.out).map((d) => d.toJSON() as Json);
    const route = out.find((o) => o.kind === 'HTTPRoute') as Json;
    expect(route.spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x-beta', value: 'always' }] }], backendRefs: [{ name: 'api', port: 80 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'frontend', port: 80, weight: 80 }, { name: 'api', port: 80, weight: 20 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'new.example.com', path: { type: 'ReplaceFullPath', replaceFullPath: '/shop' }, statusCode: 301 } }] },
    ]);
    const target = write('canary-target.yaml', [...workloads, ...out]);
    const eq = await cli('diff', '--equivalent', source, target);
    expect(eq.out).toBe([
      'equivalent: all 24 witness requests route the same (1 source feature not compared, listed below)',
      'not compared:',
      `  Ingress shop/main (${source}:103): annotation nginx.ingress.kubernetes.io/proxy-body-size is not simulated; what it does is not compared`,
      '',
    ].join('\n'));
    expect(eq.code).toBe(0);
    // The check is not vacuous: the same migration with the canary share off by 30 points fails it.
    (route.spec.rules[1].backendRefs as Json[]).forEach((b) => { b.weight = 50; });
    const wrong = await cli('diff', '--equivalent', source, write('canary-wrong.yaml', [...workloads, ...out]));
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('GET http://shop.example.com/: shop/api:80 20% / shop/frontend:80 80% -> shop/api:80 50% / shop/frontend:80 50%');
  });
});

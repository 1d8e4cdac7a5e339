import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseFrom } from '../../lib/cli/main';
import type { Trace } from '../../lib/engine/trace';
import type { RouteRow } from '../../lib/report/routes';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, 'fixtures', 'shop');

describe('netkit routes', () => {
  test('prints one row per Service with type, addresses, ports and endpoints (-o wide: every column)', async () => {
    const r = await run('routes', SHOP, '-o', 'wide');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+TYPE\s+CLUSTER-IP\s+PORTS\s+NODEPORTS\s+EXTERNAL\s+ENDPOINTS\s+PODS$/);
    // kube-apiserver's own Service is always there (its endpoint: the profile's API server address).
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['default/kubernetes', 'shop/broken', 'shop/db', 'shop/payments', 'shop/web']);
    expect(lines[1]).toMatch(/^default\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+https:443->6443\/TCP\s+-\s+-\s+1\/1\s+/);
    expect(lines.find((l) => l.startsWith('shop/db '))).toMatch(/ClusterIP\s+None\s+pg:5432->5432\/TCP.*2\/2\s+db-0,db-1$/);
    expect(lines.find((l) => l.startsWith('shop/payments'))).toContain('-> api.payments.example.com');
    expect(lines.find((l) => l.startsWith('shop/web'))).toMatch(/LoadBalancer\s+\S+\s+http:80->http\/TCP\s+3\d{4}\s+lb:\S+\s+3\/3\s+web-/);
    expect(lines.find((l) => l.startsWith('shop/broken'))).toMatch(/0\/0\s+-$/);
  });

  test('--output json gives structured rows with proxy rules', async () => {
    const r = await run('routes', SHOP, '--output', 'json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as RouteRow[];
    const web = rows.find((x) => x.service === 'shop/web');
    expect(web?.endpoints).toMatchObject({ ready: 3, total: 3 });
    expect(web?.rules.map((x) => x.kind)).toEqual(['ClusterIP', 'LoadBalancer', 'NodePort']);
    expect(rows.find((x) => x.service === 'shop/db')?.rules).toEqual([]);
  });

  test('--profile sets the nodes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-'));
    const profile = path.join(dir, 'profile.yaml');
    fs.writeFileSync(profile, 'nodes: 1\nzones: 1\n');
    const r = await run('routes', SHOP, '-o', 'json', '--profile', profile);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as RouteRow[];
    const nodes = new Set(rows.filter((x) => x.service !== 'default/kubernetes').flatMap((x) => x.endpoints.pods.map((p) => p.node)));
    expect([...nodes]).toEqual(['node-1']);
  });
});

describe('netkit trace', () => {
  test('traces a pod to a Service name and exits 0', async () => {
    const r = await run('trace', SHOP, 'web.shop', '--from', 'pod:default/client');
    expect(r.code).toBe(0);
    expect(r.out).toContain('web.shop.default.svc.cluster.local  NXDOMAIN');
    expect(r.out).toMatch(/rule\s+ClusterIP \S+:80\/TCP -> shop\/web port http/);
    expect(r.out.match(/:8080\s+node node-\d\s+zone-\w\s+33\.3%/g)).toHaveLength(3);
    expect(r.out).toContain('result OK');
    expect(r.err).toBe('');
  });

  test('--from takes pod labels (the first matching pod) with the label-selector syntax', async () => {
    const r = await run('trace', SHOP, 'web.shop', '--from', 'app in (client)', '-o', 'json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Trace).request.from).toBe('pod default/client');
    const none = await run('trace', SHOP, 'web.shop', '--from', 'app=nobody');
    expect(none).toMatchObject({ code: 1, err: 'error: --from app=nobody: no pod has these labels (see `netkit routes` for the pods)\n' });
  });

  test('defaults --from to a pod in namespace default and says so on stderr', async () => {
    const r = await run('trace', SHOP, 'db.shop');
    expect(r.code).toBe(0);
    expect(r.err).toContain('tracing from pod default/client');
    expect(r.out).toContain('headless Service shop/db');
  });

  test('a failing trace exits 2 with the reason', async () => {
    const r = await run('trace', SHOP, 'broken.shop', '--from', 'default/client');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/result FAIL \(no-endpoints\): .*selector app=nothing-has-this-label matches no pod/);
    const ext = await run('trace', SHOP, 'payments.shop', '--port', '443');
    expect(ext.code).toBe(2);
    expect(ext.out).toContain('api.payments.example.com');
  });

  test('--output json is the structured trace', async () => {
    const r = await run('trace', SHOP, 'web.shop', '--from', 'pod:default/client', '-o', 'json', '--port', 'http');
    const t = JSON.parse(r.out) as Trace;
    expect(Object.keys(t).slice(0, 2)).toEqual(['request', 'ok']);
    expect(t.ok).toBe(true);
    expect(t.destinations).toHaveLength(3);
    expect(t.destinations.every((d) => d.port === 8080)).toBe(true);
  });

  test('external client to the LoadBalancer IP with externalTrafficPolicy Local', async () => {
    const rows = JSON.parse((await run('routes', SHOP, '-o', 'json')).out) as RouteRow[];
    const lb = rows.find((x) => x.service === 'shop/web')!.loadBalancerIPs[0];
    const r = await run('trace', SHOP, lb, '--from', `external:198.51.100.4`, '-o', 'json');
    const t = JSON.parse(r.out) as Trace;
    expect(r.code).toBe(0);
    expect(t.route).toMatchObject({ kind: 'external-lb', rule: { kind: 'LoadBalancer' } });
    expect(t.policy).toBe('Local');
  });
});

describe('bad input and usage', () => {
  test('a missing directory is one clear line, exit 1, no stack trace', async () => {
    const r = await run('routes', '/no/such/dir');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: /no/such/dir: no such file or directory (fix: pass an existing manifest file or directory (e.g. `dist/`))\n');
    expect(r.out).toBe('');
  });

  test('broken YAML reports file:line per problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  bad: [\n');
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {}\n');
    const r = await run('trace', dir, 'x');
    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^error: ${escape(path.join(dir, 'a.yaml'))}:\\d+`));
    expect(lines[1]).toMatch(new RegExp(`^error: ${escape(path.join(dir, 'b.yaml'))}:\\d+`));
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('usage errors exit 1', async () => {
    expect((await run('bogus')).code).toBe(1);
    expect((await run('trace', SHOP)).code).toBe(1);
    const badFrom = await run('trace', SHOP, 'web.shop', '--from', 'foo');
    expect(badFrom).toMatchObject({ code: 1, err: 'error: --from foo: expected pod:NAMESPACE/NAME, NAMESPACE/NAME, deploy/NAME, sts/NAME, ds/NAME, pod/NAME (with -n), node:NAME, external:IP or pod labels such as app=web\n' });
    expect((await run('trace', SHOP, 'web.shop', '--port', '70000')).code).toBe(1);
    expect((await run('routes', SHOP, '-o', 'xml')).code).toBe(1);
  });

  test('--help exits 0 and prints to stdout', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('routes');
    expect(r.out).toContain('trace');
  });

  test('parseFrom accepts pod, node and external forms, and pod labels', () => {
    expect(parseFrom('pod:shop/a')).toEqual({ source: { pod: 'shop/a' } });
    expect(parseFrom('shop/a')).toEqual({ source: { pod: 'shop/a' } });
    expect(parseFrom('node:node-1')).toEqual({ source: { node: 'node-1' } });
    expect(parseFrom('node=node-1')).toEqual({ source: { node: 'node-1' } });
    expect(parseFrom('external:1.2.3.4')).toEqual({ source: { external: '1.2.3.4' } });
    expect(() => parseFrom('pod:nons')).toThrow('namespace/name');
    expect(parseFrom('app!=db')).toEqual({ selector: { text: 'app!=db', requirements: [{ key: 'app', operator: '!=', values: ['db'] }] } });
    expect(() => parseFrom('app=a/b')).toThrow('--from app=a/b: value "a/b" of app');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

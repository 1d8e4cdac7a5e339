/** `netkit trace` as people type it: `host:port` targets, `--from deploy/NAME` and selectors, `-n`. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Trace } from '../../lib/engine/trace';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, 'fixtures', 'shop');

const json = (r: { out: string }): Trace => JSON.parse(r.out) as Trace;

// The shop fixture plus a second Deployment `web` in namespace staging: `deploy/web` is then ambiguous without -n.
let TWO: string;
beforeAll(() => {
  TWO = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-forms-'));
  for (const f of fs.readdirSync(SHOP)) fs.copyFileSync(path.join(SHOP, f), path.join(TWO, f));
  fs.writeFileSync(path.join(TWO, 'staging.yaml'), [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: web, namespace: staging }',
    'spec:', '  replicas: 1', '  selector: { matchLabels: { app: web } }',
    '  template:', '    metadata: { labels: { app: web } }',
    '    spec: { containers: [{ name: web, image: nginx, ports: [{ name: http, containerPort: 8080 }] }] }', '',
  ].join('\n'));
});
afterAll(() => fs.rmSync(TWO, { recursive: true, force: true }));

describe('trace targets', () => {
  test('host:port and host:port-name carry the port; the same trace as --port', async () => {
    const withFlag = json(await run('trace', SHOP, 'web.shop', '--port', '80', '--from', 'default/client', '-o', 'json'));
    const colon = await run('trace', SHOP, 'web.shop:80', '--from', 'default/client', '-o', 'json');
    expect(colon.code).toBe(0);
    expect(json(colon)).toEqual(withFlag);
    const named = json(await run('trace', SHOP, 'web.shop:http', '--from', 'default/client', '-o', 'json'));
    expect(named.request).toMatchObject({ to: 'web.shop', port: 80 });
    expect(named.destinations.map((d) => d.port)).toEqual([8080, 8080, 8080]);
  });

  test('svc.ns:port from a pod in another namespace, and a short name from a pod in its own', async () => {
    const r = await run('trace', SHOP, 'db.shop:5432', '--from', 'default/client', '-o', 'json');
    expect(r.code).toBe(0);
    expect(json(r).service).toBe('shop/db');
    const short = await run('trace', SHOP, 'web:80', '--from', 'deploy/web', '-n', 'shop', '-o', 'json');
    expect(short.code).toBe(0);
    expect(json(short).service).toBe('shop/web');
  });

  test('ClusterIP:port and pod IP:port', async () => {
    const web = json(await run('trace', SHOP, 'web.shop:80', '--from', 'default/client', '-o', 'json'));
    const r = await run('trace', SHOP, `${web.address}:80`, '--from', 'default/client', '-o', 'json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ service: 'shop/web', route: { kind: 'proxy' } });
    const podIp = web.destinations[0];
    const direct = json(await run('trace', SHOP, `${podIp.ip}:8080`, '--from', 'default/client', '-o', 'json'));
    expect(direct).toMatchObject({ ok: true, route: { kind: 'pod-ip' } });
    expect(direct.destinations.map((d) => d.pod)).toEqual([podIp.pod]);
  });

  test('a bad port, a port given twice, an unbracketed IPv6 with port: usage errors, exit 1', async () => {
    expect(await run('trace', SHOP, 'web.shop:99999')).toMatchObject({ code: 1, err: 'error: web.shop:99999: port 99999 is not 1-65535\n' });
    expect(await run('trace', SHOP, 'web.shop:80', '--port', '443')).toMatchObject({ code: 1, err: 'error: web.shop:80 --port 443: two different ports; give the port once\n' });
    expect((await run('trace', SHOP, 'web.shop:80', '--port', '80')).code).toBe(0);
    expect((await run('trace', SHOP, 'fd00::1:80x')).err).toContain('goes in brackets');
  });
});

describe('--from forms and -n', () => {
  test('deploy/NAME with -n: the first pod of the Deployment, named on stderr', async () => {
    const r = await run('trace', TWO, 'web.shop:80', '--from', 'deploy/web', '-n', 'staging', '-o', 'json');
    expect(r.code).toBe(0);
    expect(json(r).request.from).toMatch(/^pod staging\/web-/);
    expect(r.err).toMatch(/^tracing from pod staging\/web-\S+, the first ready pod of deployment staging\/web \(1 pod\)\n$/);
  });

  test('deploy/NAME in two namespaces without -n is an error naming them; a wrong -n says where it is', async () => {
    expect(await run('trace', TWO, 'web.shop:80', '--from', 'deploy/web')).toMatchObject({ code: 1, out: '', err: 'error: --from deploy/web: deployment web is in namespaces shop, staging: pass -n to choose one\n' });
    expect(await run('trace', TWO, 'web.shop:80', '--from', 'sts/db', '-n', 'staging')).toMatchObject({ code: 1, err: 'error: --from sts/db: no statefulset db with pods in namespace staging (there is one in namespace shop)\n' });
    expect(await run('trace', TWO, 'web.shop:80', '--from', 'deploy/nope')).toMatchObject({ code: 1, err: 'error: --from deploy/nope: no deployment nope with pods in any namespace\n' });
  });

  test('sts/NAME and pod/NAME', async () => {
    const sts = await run('trace', SHOP, 'web:80', '--from', 'sts/db', '-o', 'json');
    expect(sts.code).toBe(0);
    expect(json(sts).request.from).toBe('pod shop/db-0');
    expect(sts.err).toBe('tracing from pod shop/db-0, the first ready pod of statefulset shop/db (2 pods)\n');
    const pod = await run('trace', SHOP, 'web.shop:80', '--from', 'pod/client', '-n', 'default', '-o', 'json');
    expect(json(pod).request.from).toBe('pod default/client');
    expect(pod.err).toBe('');
  });

  test('a label selector: the first matching pod, said to be chosen by the selector; -n narrows it', async () => {
    const r = await run('trace', TWO, 'web.shop:80', '--from', 'app=web', '-o', 'json');
    expect(r.code).toBe(0);
    expect(json(r).request.from).toMatch(/^pod shop\/web-/);
    expect(r.err).toMatch(/^tracing from pod shop\/web-\S+, chosen by the selector app=web: the first of 4 matching pods\n$/);
    const staging = await run('trace', TWO, 'web.shop:80', '--from', 'app=web', '-n', 'staging', '-o', 'json');
    expect(json(staging).request.from).toMatch(/^pod staging\/web-/);
    expect(await run('trace', TWO, 'web.shop:80', '--from', 'app=web', '-n', 'default')).toMatchObject({ code: 1, err: 'error: --from app=web: no pod in namespace default has these labels (see `netkit routes` for the pods)\n' });
  });

  test('-n without --from picks the default source pod in that namespace', async () => {
    const r = await run('trace', TWO, 'web:80', '-n', 'staging', '-o', 'json');
    expect(r.code).toBe(2); // no Service web in staging: NXDOMAIN from there
    expect(json(r).request.from).toMatch(/^pod staging\/web-/);
    expect(r.err).toMatch(/^tracing from pod staging\/web-\S+ \(pass --from to choose\)\n$/);
    expect(await run('trace', TWO, 'web:80', '-n', 'nowhere')).toMatchObject({ code: 1, err: 'error: -n nowhere: no pod in this namespace to trace from; pass --from\n' });
  });

  test('URL targets take the new --from forms too', async () => {
    // The URL's port stays the URL's (the L7 model reads it), the pod comes from the Deployment.
    const r = await run('trace', SHOP, 'http://web.shop:80/', '--from', 'deploy/web', '-n', 'shop');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^request +GET http:\/\/web\.shop\/ from pod shop\/web-/);
    expect(r.out).toContain('backend  shop/web:80 weight 1 (100%)');
    expect(r.err).toMatch(/^tracing from pod shop\/web-\S+, the first ready pod of deployment shop\/web \(3 pods\)\n/);
  });

  test('a URL with -n and no --from starts at a pod in that namespace; without -n, outside the cluster', async () => {
    const inside = await run('trace', SHOP, 'http://web:80/', '-n', 'shop');
    expect(inside.code).toBe(0);
    expect(inside.err).toMatch(/^tracing from pod shop\/db-0 in -n's namespace \(pass --from to choose; without -n and --from, URLs start outside the cluster\)\n$/);
    expect(inside.out).toMatch(/^request +GET http:\/\/web\/ from pod shop\/db-0\n/);
    const outside = await run('trace', SHOP, 'http://web:80/');
    expect(outside.out).toMatch(/^request +GET http:\/\/web\/ from outside the cluster/);
    expect(outside.err).toBe('');
    expect(await run('trace', SHOP, 'http://web:80/', '-n', 'nowhere')).toMatchObject({ code: 1, err: 'error: -n nowhere: no pod in this namespace to trace from; pass --from\n' });
  });
});

/** `netkit trace <dir> <url>` and the HTTP section of `netkit routes`, run in-process. */
import * as path from 'path';
import { parseHeader } from '../../../lib/cli/l7';
import type { L7Trace } from '../../../lib/engine/l7';
import type { L7RoutesJson } from '../../../lib/report/l7-routes';
import { run } from '../../support/cli';

const WEB = path.join(__dirname, 'fixtures', 'web');

describe('netkit trace <dir> <url>', () => {
  test('routes through the Ingress and explains each step (the class\' controller picks the ingress-nginx profile); exit 0', async () => {
    const r = await run('trace', WEB, 'https://shop.example.com/api/items');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^request {2}GET https:\/\/shop\.example\.com\/api\/items from outside the cluster/);
    expect(r.out).toContain('entry    Ingress controller for class nginx (k8s.io/ingress-nginx), https port 443; profile ingress-nginx (the class\' controller)');
    expect(r.out).toContain('route    Ingress shop/shop rules[0].paths[1]: Prefix /api -> api:8080');
    expect(r.out).toMatch(/lost\n[\s\S]*Ingress shop\/shop rules\[0\]\.paths\[0\] +Prefix \/ \(nginx \/\) +nginx picked location \/api\//);
    expect(r.out).toMatch(/backend {2}shop\/api:8080 weight 1 \(100%\)\n +shop\/api-[a-z0-9]+-[a-z0-9]+ +10\.\d+\.\d+\.\d+:9000/);
    expect(r.out).toMatch(/result OK\n$/);
    expect(r.err).toBe('');
  });

  test('a dangling backend exits 2 with the reason', async () => {
    const r = await run('trace', WEB, 'https://shop.example.com/old');
    expect(r.code).toBe(2);
    expect(r.out).toContain('result FAIL (backend-invalid, HTTP 503): Service shop/gone does not exist');
  });

  test('-H, -X, --ingress-profile and -o json', async () => {
    const r = await run('trace', WEB, 'http://a.canary.example.com/', '-H', 'X-Canary: yes', '-X', 'post', '-o', 'json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as L7Trace;
    expect(t.request).toMatchObject({ method: 'POST', headers: { 'x-canary': 'yes' } });
    expect(t.backends.map((b) => [b.service, b.probability])).toEqual([['shop/api', 1]]);
    const split = JSON.parse((await run('trace', WEB, 'http://b.canary.example.com/', '-o', 'json')).out) as L7Trace;
    expect(split.backends.map((b) => b.probability)).toEqual([0.9, 0.1]);
    const nginx = await run('trace', WEB, 'http://shop.example.com/');
    expect(nginx.out).toContain('response 308 Location: https://shop.example.com/');
    expect(nginx.code).toBe(0);
    const spec = await run('trace', WEB, 'http://shop.example.com/', '--ingress-profile', 'spec');
    expect(spec.out).toContain('profile spec (set for every class)');
    expect(spec.out).not.toContain('308');
  });

  test('--from a pod goes through its sidecar', async () => {
    const r = await run('trace', WEB, 'http://web.shop/', '--from', 'pod:default/client');
    expect(r.code).toBe(0);
    expect(r.out).toContain('the sidecar of pod default/client intercepts web.shop:80');
  });

  test('unknown host: exit 2; usage errors: exit 1', async () => {
    expect((await run('trace', WEB, 'http://nowhere.example.org/')).code).toBe(2);
    const port = await run('trace', WEB, 'http://shop.example.com/', '--port', '80');
    expect(port.code).toBe(1);
    expect(port.err).toMatch(/put the port in the URL/);
    expect((await run('trace', WEB, 'http://shop.example.com/', '-H', 'nocolon')).code).toBe(1);
    expect((await run('trace', WEB, 'web.shop', '-H', 'a: b', '--from', 'default/client')).code).toBe(1);
  });

  test('parseHeader', () => {
    expect(parseHeader('X-Env:  canary ')).toEqual(['X-Env', 'canary']);
    expect(parseHeader('Cookie: a=b; c=d')).toEqual(['Cookie', 'a=b; c=d']);
    expect(parseHeader(': x')).toBeUndefined();
    expect(parseHeader('bad name: x')).toBeUndefined();
  });
});

describe('netkit routes: the HTTP section', () => {
  test('text output appends entry points, routes and problems (-o wide: every column)', async () => {
    const r = await run('routes', WEB, '-o', 'wide');
    expect(r.code).toBe(0);
    expect(r.out).toContain('HTTP entry points');
    expect(r.out).toMatch(/ingress:nginx +ingress-class +80,443 +\* +k8s\.io\/ingress-nginx/);
    expect(r.out).toMatch(/gateway:shop\/public\/http +\*\.canary\.example\.com +PathPrefix \/, header x-canary=yes +HTTPRoute shop\/canary\[0\] +shop\/api:8080/);
    expect(r.out).toMatch(/shop\/web:80 w90 shop\/api:8080 w10/);
    expect(r.out).toMatch(/HTTP problems\n.*routing\.yaml:\d+ Ingress shop\/shop .*Service shop\/gone does not exist/);
  });

  test('--http -o json is the HTTP section; plain -o json stays the Service array', async () => {
    const http = JSON.parse((await run('routes', WEB, '--http', '-o', 'json')).out) as L7RoutesJson;
    expect(http.entryPoints.map((e) => e.id)).toEqual(['ingress:nginx', 'gateway:shop/public/http', 'mesh']);
    expect(http.routes).toHaveLength(5);
    expect(http.status.map((s) => `${s.object.kind} ${s.parents[0].accepted}`)).toEqual(['Ingress true', 'HTTPRoute true']);
    expect(Array.isArray(JSON.parse((await run('routes', WEB, '-o', 'json')).out))).toBe(true);
  });
});

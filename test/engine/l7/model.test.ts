/** L7Model entry-point selection, request parsing and the matching primitives. */
import { elementPrefixMatch, ingressHostMatches, intersectHostnames, suffixHostMatches } from '../../../lib/engine/l7/match';
import { parseRequest } from '../../../lib/engine/l7/request';
import { app, backend, gateway, gatewayClass, httpRoute, ingress, model, svc, target } from './helpers';

describe('matching primitives', () => {
  test('element-wise prefix', () => {
    expect(elementPrefixMatch('/', '/anything')).toBe(true);
    expect(elementPrefixMatch('/foo/', '/foo')).toBe(true);
    expect(elementPrefixMatch('/foo', '/foo/bar')).toBe(true);
    expect(elementPrefixMatch('/foo', '/foobar')).toBe(false);
    expect(elementPrefixMatch('/foo/bar', '/foo')).toBe(false);
  });

  test('host wildcards: Ingress covers one label, Gateway API / Istio one or more', () => {
    expect(ingressHostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(ingressHostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(ingressHostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(suffixHostMatches('*.example.com', 'foo.test.example.com')).toBe(true);
    expect(suffixHostMatches('*.example.com', 'example.com')).toBe(false);
    expect(suffixHostMatches('*', 'a.b')).toBe(true);
  });

  test('listener/route hostname intersection (httproute_types.go examples)', () => {
    expect(intersectHostnames('*.example.com', '*.example.com')).toBe('*.example.com');
    expect(intersectHostnames('*.example.com', 'test.example.com')).toBe('test.example.com');
    expect(intersectHostnames('*.example.com', 'foo.test.example.com')).toBe('foo.test.example.com');
    expect(intersectHostnames('*.example.com', 'example.com')).toBeUndefined();
    expect(intersectHostnames('*.example.com', 'test.example.net')).toBeUndefined();
    expect(intersectHostnames('foo.example.com', '*.example.com')).toBe('foo.example.com');
    expect(intersectHostnames(undefined, 'x.org')).toBe('x.org');
  });

  test('parseRequest: Host header overrides the URL host but not the port; names lower-cased; first query value', () => {
    const r = parseRequest({ url: 'https://LB.example.net:8443/a/b?x=1&x=2&y=', headers: { Host: 'Shop.Example.com:9999', 'X-Env': 'canary' }, method: 'post' });
    expect(r).toMatchObject({ ok: true, info: { scheme: 'https', host: 'shop.example.com', port: 8443, path: '/a/b', method: 'POST', query: { x: '1', y: '' }, headers: { 'x-env': 'canary', host: 'shop.example.com' } } });
    expect(parseRequest({ url: 'ftp://x/' }).ok).toBe(false);
    expect(parseRequest({ url: 'not a url' }).ok).toBe(false);
    expect(parseRequest({ url: 'http://x/', method: 'G T' }).ok).toBe(false);
  });
});

describe('L7Model entry points', () => {
  const both = () => model([
    app('web'), svc('web'), svc('other', 'web'), gatewayClass,
    gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    ingress('ing', { ingressClassName: 'nginx', rules: [{ host: 'shop.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }, { http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('other') }] } }] }),
    httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['shop.com', 'api.com'], rules: [{ backendRefs: [{ name: 'other', port: 80 }] }] }),
  ], { l4: false });

  test('two entry points naming one host: the first is traced, the choice is an ambiguity; via picks one', () => {
    const m = both();
    const t = m.request({ url: 'http://shop.com/' });
    expect(t.entry?.id).toBe('ingress:nginx');
    expect(t.ambiguities).toEqual([{ kind: 'entry-point', message: expect.stringMatching(/2 entry points serve shop\.com on port 80 \(ingress:nginx, gateway:default\/gw\/http\)/) }]);
    expect(target(m, { url: 'http://shop.com/', via: 'gateway:default/gw/http' })).toBe('other');
    expect(m.request({ url: 'http://shop.com/', via: 'nope' }).failure?.code).toBe('no-entry-point');
  });

  test('an entry point naming the host beats one that only has catch-all rules', () => {
    const t = both().request({ url: 'http://api.com/' });
    expect(t.entry?.id).toBe('gateway:default/gw/http');
    expect(t.ambiguities).toEqual([]);
    expect(t.candidates.some((c) => c.route === 'ingress:nginx')).toBe(true);
  });

  test('bad URL, unknown pod, an external client IP', () => {
    const m = both();
    expect(m.request({ url: 'mailto:x' }).failure?.code).toBe('bad-request');
    expect(m.request({ url: 'http://shop.com/', from: { pod: 'default/nope' } }).failure?.code).toBe('unknown-source');
    expect(target(m, { url: 'http://api.com/', from: { external: '203.0.113.9' } })).toBe('other');
  });

  test('a pod calling an outside host goes to the entry points like an outside client', () => {
    const client = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: { containers: [{ name: 'c' }] } };
    const m = model([client, app('web'), svc('web'), ingress('ing', { ingressClassName: 'nginx', rules: [{ host: 'shop.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] })], { l4: false });
    const t = m.request({ url: 'http://shop.com/', from: { pod: 'default/c' } });
    expect(t.entry?.id).toBe('ingress:nginx');
    expect(t.steps[0].message).toMatch(/not a Service or mesh host/);
  });

  test('entryPoints lists classes, listeners and the mesh; deterministic JSON', () => {
    const m = both();
    expect(m.entryPoints().map((e) => e.id)).toEqual(['ingress:nginx', 'gateway:default/gw/http', 'mesh']);
    expect(JSON.stringify(both().request({ url: 'http://shop.com/x' }))).toBe(JSON.stringify(m.request({ url: 'http://shop.com/x' })));
  });
});

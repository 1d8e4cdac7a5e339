/**
 * Ingress, `ingress-nginx` profile: the e2e / path-matching-doc cases NGX-01..17 and ING-29
 * (research §6.3), plus the controller's redirects and canaries.
 */
import { app, backend, ingress, model, svc, target } from './helpers';

type P = [string, 'Exact' | 'Prefix' | 'ImplementationSpecific', string];

/** Ingresses (one per entry) on `host`, Services a, b, c, svc1.. from one app. */
function nginx(ings: { name: string; paths: P[]; annotations?: Record<string, string>; created?: string }[], host = 'mixed.path', extra: unknown[] = []) {
  const names = new Set(ings.flatMap((i) => i.paths.map((p) => p[2])));
  return model([
    app('web'),
    ...[...names].map((n) => svc(n, 'web')),
    ...ings.map((i) => ingress(i.name, {
      ingressClassName: 'nginx',
      rules: [{ host, http: { paths: i.paths.map(([path, pathType, to]) => ({ path, pathType, backend: backend(to) })) } }],
    }, { annotations: i.annotations, creationTimestamp: i.created })),
    ...extra,
  ], { ingressProfile: 'ingress-nginx', l4: false });
}

describe('ingress-nginx: Exact, Prefix and ImplementationSpecific locations', () => {
  const mixedRoot = () => nginx([{ name: 'i', paths: [['/', 'Exact', 'a'], ['/', 'Prefix', 'b']] }]);
  test('NGX-01: Exact / beats Prefix / for /', () => expect(target(mixedRoot(), 'http://mixed.path/')).toBe('a'));
  test('NGX-02: Prefix / takes /bar', () => expect(target(mixedRoot(), 'http://mixed.path/bar')).toBe('b'));

  const three = () => nginx([{ name: 'i', paths: [['/foo', 'Exact', 'a'], ['/foo', 'Prefix', 'b'], ['/', 'Prefix', 'c']] }]);
  test.each([
    ['NGX-03', '/foo', 'a'],
    ['NGX-04', '/foo/bar', 'b'],
    ['NGX-05', '/foobar', 'c'],
  ])('%s: Exact /foo, Prefix /foo, Prefix /; %s -> %s', (_id, path, expected) => {
    expect(target(three(), `http://mixed.path${path}`)).toBe(expected);
  });

  const onlyPrefix = () => nginx([{ name: 'i', paths: [['/aaa', 'Prefix', 'a']] }]);
  test.each(['/aaa', '/aaa/', '/aaa/cccc'])('NGX-06: Prefix /aaa matches %s', (path) => {
    expect(target(onlyPrefix(), `http://mixed.path${path}`)).toBe('a');
  });
  test('NGX-07: Prefix /aaa does not match /aaacccc: 404', () => {
    expect(onlyPrefix().request({ url: 'http://mixed.path/aaacccc' })).toMatchObject({ ok: false, failure: { code: 'no-route', status: 404 } });
  });

  test('NGX-16: ImplementationSpecific /configs is a string prefix', () => {
    const m = nginx([{ name: 'i', paths: [['/configs', 'ImplementationSpecific', 'a']] }]);
    expect(target(m, 'http://mixed.path/configsXYZ')).toBe('a');
    expect(target(m, 'http://mixed.path/configs/x')).toBe('a');
    expect(m.request({ url: 'http://mixed.path/conf' }).ok).toBe(false);
  });

  test('Prefix /foo/ (with the slash): /foo gets nginx\'s 301 to /foo/', () => {
    const m = nginx([{ name: 'i', paths: [['/foo/', 'Prefix', 'a']] }]);
    expect(target(m, 'http://mixed.path/foo/x')).toBe('a');
    expect(target(m, 'http://mixed.path/foo?q=1')).toBe('301 http://mixed.path/foo/?q=1');
  });
});

describe('ingress-nginx: regular expressions', () => {
  const regex = (path: string) => nginx([{ name: 'i', paths: [[path, 'ImplementationSpecific', 'a']], annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }]);
  test.each(['/id/1', '/id/12', '/id/123', '/id/123a'])('NGX-08: /id/[0-9]+ matches %s (anchored at the start only)', (path) => {
    expect(target(regex('/id/[0-9]+'), `http://mixed.path${path}`)).toBe('a');
  });
  test('NGX-09: /id/[0-9]+ does not match /id/aaa', () => {
    expect(regex('/id/[0-9]+').request({ url: 'http://mixed.path/id/aaa' }).ok).toBe(false);
  });
  test('NGX-10: /id/[0-9]+$ does not match /id/123a', () => {
    expect(regex('/id/[0-9]+$').request({ url: 'http://mixed.path/id/123a' }).ok).toBe(false);
  });
  test.each([['/id/99', false], ['/id/123', true], ['/id/9999', false]])('NGX-11: /id/[0-9]{3}$ and %s -> %s', (path, ok) => {
    expect(regex('/id/[0-9]{3}$').request({ url: `http://mixed.path${path}` }).ok).toBe(ok);
  });
  test('regex locations are case-insensitive', () => {
    expect(target(regex('/Id/[0-9]+'), 'http://mixed.path/iD/1')).toBe('a');
  });

  const rewrite = () => nginx([
    { name: 'plain', paths: [['/foo/bar', 'Prefix', 'svc1'], ['/foo/bar/', 'Prefix', 'svc2']] },
    { name: 'rewrite', paths: [['/foo/bar/(.+)', 'ImplementationSpecific', 'svc3']], annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/new/$1' } },
  ]);
  // NGX-13: the path-matching doc says /foo/bar/ -> svc2, but it predates location.go's Prefix
  // normalisation: today Prefix /foo/bar also yields a `^/foo/bar/` location, listed before svc2's
  // identical one (stable sort), so the controller's code sends /foo/bar/ to svc1. We follow the code.
  test.each([
    ['NGX-12', '/foo/bar/1', 'svc3'],
    ['NGX-13 (as location.go does it)', '/foo/bar/', 'svc1'],
    ['NGX-14', '/foo/bar', 'svc1'],
  ])('%s: rewrite-target enforces regex for the host; %s -> %s', (_id, path, expected) => {
    expect(target(rewrite(), `http://mixed.path${path}`)).toBe(expected);
  });
  test('rewrite-target rewrites the upstream path', () => {
    const t = rewrite().request({ url: 'http://mixed.path/foo/bar/abc' });
    expect(t.upstream?.path).toBe('/new/abc');
    expect(t.steps.some((s) => s.stage === 'match' && /regex locations for the whole host/.test(s.message))).toBe(true);
  });

  test('NGX-15: the longer regex path wins (first match after the length sort)', () => {
    const m = nginx([{ name: 'i', paths: [['/foo/bar/bar', 'Prefix', 'a'], ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific', 'b']], annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }]);
    expect(target(m, 'http://mixed.path/foo/bar/bar')).toBe('b');
  });

  test('NGX-17: use-regex on another Ingress of the host turns Prefix /aaa/bbb into a string-prefix regex', () => {
    const m = nginx([
      { name: 'plain', paths: [['/aaa/bbb', 'Prefix', 'a']] },
      { name: 'regex', paths: [['/zzz/[0-9]+', 'ImplementationSpecific', 'b']], annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } },
    ]);
    expect(target(m, 'http://mixed.path/aaa/bbbxyz')).toBe('a');
    // Without the regex Ingress the same path is element-wise.
    expect(nginx([{ name: 'plain', paths: [['/aaa/bbb', 'Prefix', 'a']] }]).request({ url: 'http://mixed.path/aaa/bbbxyz' }).ok).toBe(false);
  });
});

describe('ingress-nginx: several Ingresses, redirects, canaries', () => {
  test('ING-29: the same host+path in two Ingresses: the oldest wins', () => {
    const m = nginx([
      { name: 'newer', paths: [['/api', 'Prefix', 'b']], created: '2024-05-01T00:00:00Z' },
      { name: 'older', paths: [['/api', 'Prefix', 'a']], created: '2024-01-01T00:00:00Z' },
    ]);
    const t = m.request({ url: 'http://mixed.path/api' });
    expect(target(m, 'http://mixed.path/api')).toBe('a');
    expect(t.ambiguities).toEqual([]);
    expect(t.candidates.some((c) => /duplicate of Ingress default\/older/.test(c.lostBecause))).toBe(true);
    expect(m.routes().find((r) => r.object.name === 'newer')?.note).toMatch(/never used/);
  });

  test('the same host+path without creationTimestamp: load order, reported as an ambiguity', () => {
    const m = nginx([{ name: 'first', paths: [['/api', 'Prefix', 'a']] }, { name: 'second', paths: [['/api', 'Prefix', 'b']] }]);
    const t = m.request({ url: 'http://mixed.path/api' });
    expect(services(t)).toEqual(['default/a']);
    expect(t.ambiguities).toEqual([{ kind: 'creation-order', message: expect.stringMatching(/without creationTimestamp/) }]);
  });

  test('a host with TLS: plain http gets 308 to https (ssl-redirect), unless the annotation turns it off', () => {
    const tlsIngress = (annotations?: Record<string, string>) => model([app('web'), svc('web'), ingress('i', {
      ingressClassName: 'nginx', tls: [{ hosts: ['shop.com'], secretName: 's' }],
      rules: [{ host: 'shop.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }],
    }, { annotations })], { ingressProfile: 'ingress-nginx', l4: false });
    expect(target(tlsIngress(), 'http://shop.com/cart?id=1')).toBe('308 https://shop.com/cart?id=1');
    expect(target(tlsIngress(), 'https://shop.com/cart')).toBe('web');
    expect(target(tlsIngress({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }), 'http://shop.com/cart')).toBe('web');
  });

  test('canary by weight splits; by header always/never decides', () => {
    const m = nginx([
      { name: 'main', paths: [['/', 'Prefix', 'stable']] },
      { name: 'canary', paths: [['/', 'Prefix', 'next']], annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' } },
    ]);
    const split = m.request({ url: 'http://mixed.path/' });
    expect(split.backends.map((b) => [b.service, b.probability])).toEqual([['default/stable', 0.8], ['default/next', 0.2]]);
    expect(target(m, { url: 'http://mixed.path/', headers: { 'x-canary': 'always' } })).toBe('next');
    expect(target(m, { url: 'http://mixed.path/', headers: { 'x-canary': 'never' } })).toBe('stable');
  });
});

function services(t: { backends: readonly { service: string; probability: number }[] }): string[] {
  return t.backends.filter((b) => b.probability > 0).map((b) => b.service);
}

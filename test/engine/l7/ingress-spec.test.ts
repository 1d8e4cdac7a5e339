/**
 * Ingress, `spec` profile: the Kubernetes docs / KEP-1453 Examples table (ING-01..18), hosts,
 * defaultBackend and precedence (ING-19..28), TLS and classes (research §6.1, §6.2).
 */
import { app, backend, ingress, model, svc, target } from './helpers';

type PathDef = [string, 'Exact' | 'Prefix' | 'ImplementationSpecific'];

/** One Ingress with the paths to Services p0..pN and a defaultBackend `db`. */
function single(paths: PathDef[], host?: string) {
  const objs: unknown[] = [app('web'), svc('db', 'web')];
  paths.forEach((_, i) => objs.push(svc(`p${i}`, 'web')));
  objs.push(ingress('ing', {
    ingressClassName: 'nginx',
    defaultBackend: backend('db'),
    rules: [{ host, http: { paths: paths.map(([path, pathType], i) => ({ path, pathType, backend: backend(`p${i}`) })) } }],
  }));
  return model(objs, { l4: false });
}

// [id, paths, request path, expected Service: p<i> for paths[i], db for the default backend]
const EXAMPLES: [string, PathDef[], string, string][] = [
  ['ING-01', [['/', 'Prefix']], '/anything/at/all', 'p0'],
  ['ING-02', [['/foo', 'Exact']], '/foo', 'p0'],
  ['ING-03', [['/foo', 'Exact']], '/bar', 'db'],
  ['ING-04', [['/foo', 'Exact']], '/foo/', 'db'],
  ['ING-05', [['/foo/', 'Exact']], '/foo', 'db'],
  ['ING-06a', [['/foo', 'Prefix']], '/foo', 'p0'],
  ['ING-06b', [['/foo', 'Prefix']], '/foo/', 'p0'],
  ['ING-07a', [['/foo/', 'Prefix']], '/foo', 'p0'],
  ['ING-07b', [['/foo/', 'Prefix']], '/foo/', 'p0'],
  ['ING-08', [['/aaa/bb', 'Prefix']], '/aaa/bbb', 'db'],
  ['ING-09', [['/aaa/bbb', 'Prefix']], '/aaa/bbb', 'p0'],
  ['ING-10', [['/aaa/bbb/', 'Prefix']], '/aaa/bbb', 'p0'],
  ['ING-11', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/', 'p0'],
  ['ING-12', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', 'p0'],
  ['ING-13', [['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', 'db'],
  ['ING-14', [['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', 'p1'],
  ['ING-15', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', 'p2'],
  ['ING-16', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', 'p0'],
  ['ING-17', [['/aaa', 'Prefix']], '/ccc', 'db'],
  ['ING-18', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', 'p1'],
  ['ING-27', [['/foo/', 'Prefix'], ['/foo', 'Exact']], '/foo', 'p1'],
];

describe('Ingress spec profile: the docs Examples table', () => {
  test.each(EXAMPLES)('%s: paths %j, request %s -> %s', (_id, paths, path, expected) => {
    expect(target(single(paths), `http://example.com${path}`)).toBe(expected);
  });

  test('Exact is case-sensitive', () => {
    expect(target(single([['/foo', 'Exact']]), 'http://x/FOO')).toBe('db');
  });

  test('the trace names the winner and why each other path lost', () => {
    const t = single([['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix'], ['/aaa/bb', 'Prefix']]).request({ url: 'http://x/aaa/bbb/c' });
    expect(t.route).toMatchObject({ kind: 'Ingress', rule: 0, match: 2, description: 'Prefix /aaa/bbb' });
    const lost = Object.fromEntries(t.candidates.map((c) => [c.match, c.lostBecause]));
    expect(lost['Prefix /aaa/bb']).toMatch(/element-wise prefix \/aaa\/bb does not cover/);
    expect(lost['Prefix /aaa']).toMatch(/shorter match/);
    expect(lost['Prefix /']).toMatch(/shorter match/);
  });

  test('Exact over Prefix on equal length is explained', () => {
    const t = single([['/foo', 'Prefix'], ['/foo', 'Exact']]).request({ url: 'http://x/foo' });
    expect(t.candidates).toEqual([expect.objectContaining({ match: 'Prefix /foo', lostBecause: expect.stringMatching(/Exact \/foo is preferred/) })]);
  });

  test('ImplementationSpecific is traced as Prefix and reported as an ambiguity', () => {
    const m = single([['/configs', 'ImplementationSpecific']]);
    const t = m.request({ url: 'http://x/configs/a' });
    expect(target(m, 'http://x/configs/a')).toBe('p0');
    expect(target(m, 'http://x/configsXYZ')).toBe('db');
    expect(t.ambiguities).toEqual([{ kind: 'implementation', message: expect.stringMatching(/ImplementationSpecific/) }]);
    expect(m.problems().map((p) => p.code)).toContain('ingress-implementation-specific');
  });
});

describe('Ingress spec profile: hosts and defaultBackend', () => {
  const wildcard = () => single([['/', 'Prefix']], '*.foo.com');
  test.each([
    ['ING-19', 'bar.foo.com', 'p0'],
    ['ING-20', 'baz.bar.foo.com', 'db'],
    ['ING-21', 'foo.com', 'db'],
  ])('%s: rule host *.foo.com, Host %s -> %s', (_id, host, expected) => {
    expect(target(wildcard(), `http://${host}/`)).toBe(expected);
  });

  const vhosts = () => model([
    app('web'), svc('service1', 'web'), svc('service2', 'web'), svc('service3', 'web'),
    ingress('name-virtual-host-ingress', {
      ingressClassName: 'nginx',
      rules: [
        { host: 'first.bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('service1') }] } },
        { host: 'second.bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('service2') }] } },
        { http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('service3') }] } },
      ],
    }),
  ], { l4: false });
  test.each([
    ['ING-22', 'first.bar.com', 'service1'],
    ['ING-23', 'second.bar.com', 'service2'],
    ['ING-24', 'unknown.example.org', 'service3'],
    ['ING-28', 'first.bar.com:8080', 'service1'],
  ])('%s: name based virtual hosting, Host %s -> %s', (_id, host, expected) => {
    expect(target(vhosts(), { url: 'http://lb.example.net/', headers: { Host: host } })).toBe(expected);
  });

  test('ING-25: an Ingress with only a defaultBackend takes every request', () => {
    const m = model([app('web'), svc('test', 'web'), ingress('test-ingress', { ingressClassName: 'nginx', defaultBackend: backend('test') })], { l4: false });
    expect(target(m, 'http://anything.example/any/path')).toBe('test');
    expect(m.request({ url: 'http://a/' }).route).toMatchObject({ rule: -1, description: 'defaultBackend' });
  });

  test('ING-26: host matches, no path does -> that Ingress\'s defaultBackend', () => {
    const m = model([app('web'), svc('a', 'web'), svc('d', 'web'), ingress('i', {
      ingressClassName: 'nginx', defaultBackend: backend('d'),
      rules: [{ host: 'foo.com', http: { paths: [{ path: '/a', pathType: 'Prefix', backend: backend('a') }] } }],
    })], { l4: false });
    expect(target(m, 'http://foo.com/b')).toBe('d');
    expect(target(m, 'http://foo.com/a/x')).toBe('a');
    expect(target(m, 'http://other.com/a')).toBe('d');
  });

  test('no path match and no defaultBackend: 404 from the controller', () => {
    const m = model([app('web'), svc('a', 'web'), ingress('i', { ingressClassName: 'nginx', rules: [{ host: 'foo.com', http: { paths: [{ path: '/a', pathType: 'Exact', backend: backend('a') }] } }] })], { l4: false });
    const t = m.request({ url: 'http://foo.com/b' });
    expect(t).toMatchObject({ ok: false, failure: { code: 'no-route', status: 404 } });
    expect(m.request({ url: 'http://bar.com/a' }).failure?.code).toBe('no-entry-point');
  });

  test('a precise host wins over a wildcard that also matches', () => {
    const m = model([app('web'), svc('exact', 'web'), svc('wild', 'web'), ingress('i', {
      ingressClassName: 'nginx',
      rules: [
        { host: '*.foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('wild') }] } },
        { host: 'www.foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('exact') }] } },
      ],
    })], { l4: false });
    expect(target(m, 'http://www.foo.com/')).toBe('exact');
    expect(target(m, 'http://api.foo.com/')).toBe('wild');
  });

  test('two Ingresses of one class merge by host; the same host+path in both is an ambiguity under the spec', () => {
    const m = model([app('web'), svc('a', 'web'), svc('b', 'web'),
      ingress('one', { ingressClassName: 'nginx', rules: [{ host: 'shop.com', http: { paths: [{ path: '/a', pathType: 'Prefix', backend: backend('a') }, { path: '/x', pathType: 'Prefix', backend: backend('a') }] } }] }),
      ingress('two', { ingressClassName: 'nginx', rules: [{ host: 'shop.com', http: { paths: [{ path: '/b', pathType: 'Prefix', backend: backend('b') }, { path: '/x', pathType: 'Prefix', backend: backend('b') }] } }] }),
    ], { l4: false });
    expect(target(m, 'http://shop.com/b/1')).toBe('b');
    expect(target(m, 'http://shop.com/a')).toBe('a');
    const t = m.request({ url: 'http://shop.com/x' });
    expect(t.ambiguities).toContainEqual({ kind: 'implementation', message: expect.stringMatching(/defined by Ingress default\/one and default\/two/) });
    expect(m.problems().some((p) => p.code === 'ingress-duplicate-path')).toBe(true);
  });
});

describe('Ingress: backends, L4, TLS and classes', () => {
  test('a backend by port name resolves through the Service and continues to pods', () => {
    const m = model([app('web', 3), svc('web'), ingress('i', { ingressClassName: 'nginx', rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web', 'http') }] } }] })]);
    const t = m.request({ url: 'http://a.com/' });
    expect(t.ok).toBe(true);
    expect(t.backends).toHaveLength(1);
    expect(t.backends[0]).toMatchObject({ service: 'default/web', port: 'http', probability: 1 });
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(t.backends[0].l4?.destinations.map((d) => d.port)).toEqual([8080, 8080, 8080]);
    expect(t.entry).toMatchObject({ id: 'ingress:nginx', kind: 'ingress-class' });
  });

  test('a port number the Service lacks, or a missing Service: 503 and a problem at the field', () => {
    const m = model([app('web'), svc('web'), ingress('i', { ingressClassName: 'nginx', rules: [{ host: 'a.com', http: { paths: [
      { path: '/x', pathType: 'Prefix', backend: backend('web', 8080) },
      { path: '/y', pathType: 'Prefix', backend: backend('nope') },
    ] } }] })]);
    const x = m.request({ url: 'http://a.com/x' });
    expect(x).toMatchObject({ ok: false, failure: { code: 'backend-invalid', status: 503 } });
    expect(x.failure?.message).toMatch(/has no port 8080/);
    expect(m.problems().filter((p) => p.code.startsWith('ingress-backend')).map((p) => [p.code, p.path])).toEqual([
      ['ingress-backend-port', 'spec.rules[0].http.paths[0].backend.service.port'],
      ['ingress-backend-missing', 'spec.rules[0].http.paths[1].backend.service.name'],
    ]);
    expect(m.routeStatus()[0].resolvedRefs).toMatchObject({ ok: false, reason: 'PortNotFound' });
    const named = model([app('web'), svc('web'), ingress('i', { ingressClassName: 'nginx', rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web', 'grpc') }] } }] })]);
    expect(named.problems().find((p) => p.code === 'ingress-backend-port')?.message).toBe('Ingress default/i spec.rules[0].http.paths[0].backend: Service default/web has no port named "grpc" (TCP ports: http:80)');
  });

  test('no ready endpoints: 503 through the L4 trace', () => {
    const m = model([app('web'), svc('lonely', 'nobody'), ingress('i', { ingressClassName: 'nginx', defaultBackend: backend('lonely') })]);
    expect(m.request({ url: 'http://a.com/' })).toMatchObject({ ok: false, failure: { code: 'no-endpoints', status: 503 } });
  });

  test('https to a host without a tls entry is reported; with one it routes', () => {
    const m = model([app('web'), svc('web'), ingress('i', {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['secure.com'], secretName: 'secure-tls' }],
      rules: ['secure.com', 'plain.com'].map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } })),
    })], { l4: false });
    expect(target(m, 'https://secure.com/')).toBe('web');
    expect(m.request({ url: 'https://plain.com/' })).toMatchObject({ ok: false, failure: { code: 'tls' } });
    expect(target(m, 'http://plain.com/')).toBe('web');
  });

  test('a TLS host that no rule names is a problem', () => {
    const m = model([app('web'), svc('web'), ingress('i', { ingressClassName: 'nginx', tls: [{ hosts: ['other.com'] }], rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] })], { l4: false });
    expect(m.problems().find((p) => p.code === 'ingress-tls-host')).toMatchObject({ path: 'spec.tls[0].hosts' });
  });

  const classes = (extra: unknown[] = []) => model([
    app('web'), svc('a', 'web'), svc('b', 'web'),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'public', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'internal' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    ingress('default-class', { rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('a') }] } }] }),
    ingress('legacy', { rules: [{ host: 'b.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('b') }] } }] }, { annotations: { 'kubernetes.io/ingress.class': 'internal' } }),
    ...extra,
  ], { l4: false });

  test('class by the default IngressClass and by the legacy annotation; entry points per class', () => {
    const m = classes();
    const a = m.request({ url: 'http://a.com/' });
    expect(a.entry).toMatchObject({ id: 'ingress:public', controller: 'k8s.io/ingress-nginx', isDefault: true });
    expect(m.request({ url: 'http://b.com/' }).entry?.id).toBe('ingress:internal');
    expect(m.entryPoints().map((e) => e.id)).toEqual(['ingress:public', 'ingress:internal', 'mesh']);
    expect(m.request({ url: 'http://a.com/', via: 'ingress:internal' }).failure?.code).toBe('no-route');
  });

  test('two default classes are a problem', () => {
    const m = classes([{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'second', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: {} }]);
    expect(m.problems().map((p) => p.code)).toContain('ingress-class-ambiguous-default');
  });

  test('routes() lists every path, defaultBackend and host per class', () => {
    const m = classes();
    expect(m.routes().map((r) => `${r.entry} ${r.host} ${r.match} -> ${r.backends.map((b) => `${b.service}:${b.port}`).join(',')}`)).toEqual([
      'ingress:public a.com Prefix / -> default/a:80',
      'ingress:internal b.com Prefix / -> default/b:80',
    ]);
  });
});

describe('Ingress profile per class', () => {
  const cls = (name: string, controller: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller } });
  const ing = (name: string, className: string) => ingress(name, { ingressClassName: className, rules: [{ host: `${className}.com`, http: { paths: [{ path: '/api', pathType: 'ImplementationSpecific', backend: backend('web') }] } }] });
  const objs = [app('web'), svc('web'), cls('nginx', 'k8s.io/ingress-nginx'), cls('traefik', 'traefik.io/ingress-controller'), ing('a', 'nginx'), ing('b', 'traefik'), ing('c', 'unlisted')];

  test('left out: ingress-nginx for classes of controller k8s.io/ingress-nginx, spec for other controllers and unknown classes', () => {
    const m = model(objs, { l4: false });
    expect(Object.fromEntries(m.entryPoints().filter((e) => e.kind === 'ingress-class').map((e) => [e.name, e.ingressProfile]))).toEqual({ nginx: 'ingress-nginx', traefik: 'spec', unlisted: 'spec' });
    // ImplementationSpecific /api: a string prefix for ingress-nginx, element-wise Prefix under the spec profile.
    expect(target(m, 'http://nginx.com/apix')).toBe('web');
    expect(target(m, 'http://traefik.com/apix')).toBe('- no-route');
    expect(target(m, 'http://unlisted.com/apix')).toBe('- no-route');
    expect(m.request({ url: 'http://nginx.com/api' }).steps[0].message).toMatch(/profile ingress-nginx \(the class' controller\)$/);
    expect(m.request({ url: 'http://traefik.com/api' }).steps[0].message).toMatch(/profile spec \(the controller is not ingress-nginx\)$/);
    expect(m.request({ url: 'http://unlisted.com/api' }).steps[0].message).toMatch(/profile spec \(the class' controller is unknown\)$/);
    // Problems follow each class' profile too.
    expect(m.problems().filter((p) => p.code === 'ingress-implementation-specific').map((p) => `${p.object?.name} ${/ingress-nginx \(this class' profile\)/.test(p.message)}`)).toEqual(['a true', 'b false', 'c false']);
  });

  test('set: one profile for every class', () => {
    const spec = model(objs, { l4: false, ingressProfile: 'spec' });
    expect(target(spec, 'http://nginx.com/apix')).toBe('- no-route');
    expect(spec.entryPoints().filter((e) => e.kind === 'ingress-class').every((e) => e.ingressProfile === 'spec')).toBe(true);
    const nginx = model(objs, { l4: false, ingressProfile: 'ingress-nginx' });
    expect(target(nginx, 'http://traefik.com/apix')).toBe('web');
    expect(nginx.request({ url: 'http://traefik.com/api' }).steps[0].message).toMatch(/profile ingress-nginx \(set for every class\)$/);
  });
});

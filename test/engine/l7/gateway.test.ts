/**
 * Gateway API: the conformance suites' matching, attachment and backend cases
 * (`conformance/tests/httproute-*.go`, research §3.6), with v1/v2/v3 as the backends.
 */
import { app, gateway, gatewayClass, httpRoute, model, svc, target } from './helpers';

type Json = Record<string, unknown>;
const v = ['v1', 'v2', 'v3'].flatMap((n) => [app(`infra-backend-${n}`), svc(`infra-backend-${n}`)]);
const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
const parent = { parentRefs: [{ name: 'gw' }] };
const to = (n: string, extra: Json = {}): Json => ({ name: `infra-backend-${n}`, port: 80, ...extra });

function routes(...rs: Json[]) {
  return model([gatewayClass, gw, ...v, ...rs], { l4: false });
}
const short = (s: string) => s.replace(/^(default\/)?infra-backend-/, '');
const go = (m: ReturnType<typeof routes>, url: string, headers?: Record<string, string>, method?: string) => short(target(m, { url, headers, method }));

describe('Gateway API matching (conformance)', () => {
  test('HTTPRouteExactPathMatching', () => {
    const m = routes(httpRoute('exact', { ...parent, rules: [
      { matches: [{ path: { type: 'Exact', value: '/one' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'Exact', value: '/two' } }], backendRefs: [to('v2')] },
    ] }));
    expect(go(m, 'http://x/one')).toBe('v1');
    expect(go(m, 'http://x/two')).toBe('v2');
    for (const p of ['/', '/one/example', '/two/', '/Two']) expect(go(m, `http://x${p}`)).toBe('- no-route');
    expect(m.request({ url: 'http://x/Two' }).failure?.status).toBe(404);
  });

  test('HTTPRouteMatching: path prefixes and header matches are ORed; longest prefix and headers beat /', () => {
    const m = routes(httpRoute('matching', { ...parent, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }, { headers: [{ name: 'version', value: 'two' }] }], backendRefs: [to('v2')] },
    ] }));
    expect(go(m, 'http://x/')).toBe('v1');
    expect(go(m, 'http://x/example')).toBe('v1');
    expect(go(m, 'http://x/v2')).toBe('v2');
    expect(go(m, 'http://x/v2/example')).toBe('v2');
    expect(go(m, 'http://x/v2example')).toBe('v1');
    expect(go(m, 'http://x/', { version: 'two' })).toBe('v2');
    expect(go(m, 'http://x/', { Version: 'two' })).toBe('v2');
  });

  test('HTTPRoutePathMatchOrder: Exact beats prefixes; the longest prefix wins across overlapping rules', () => {
    const m = routes(httpRoute('order', { ...parent, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/match' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/match/exact' } }], backendRefs: [to('v2')] },
      { matches: [{ path: { type: 'Exact', value: '/match/exact' } }], backendRefs: [to('v3')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/match/exact/one' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'Exact', value: '/match/prefix/one' } }], backendRefs: [to('v3')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/match/prefix' } }], backendRefs: [to('v2')] },
    ] }));
    expect(go(m, 'http://x/match/exact')).toBe('v3');
    expect(go(m, 'http://x/match/exact/one')).toBe('v1');
    expect(go(m, 'http://x/match/exact/two')).toBe('v2');
    expect(go(m, 'http://x/match/prefix/one')).toBe('v3');
    expect(go(m, 'http://x/match/prefix/two')).toBe('v2');
    expect(go(m, 'http://x/match')).toBe('v1');
    expect(go(m, 'http://x/matchfoo')).toBe('- no-route');
    const t = m.request({ url: 'http://x/match/exact' });
    expect(t.candidates.find((c) => c.match === 'PathPrefix /match/exact')?.lostBecause).toMatch(/Exact path \/match\/exact takes precedence/);
  });

  test('HTTPRouteHeaderMatching: AND within a match, OR across; more headers win; names case-insensitive, values not', () => {
    const m = routes(httpRoute('headers', { ...parent, rules: [
      { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'version', value: 'two' }] }], backendRefs: [to('v2')] },
      { matches: [{ headers: [{ name: 'version', value: 'two' }, { name: 'color', value: 'orange' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'color', value: 'blue' }] }, { headers: [{ name: 'color', value: 'green' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'color', value: 'red' }] }, { headers: [{ name: 'color', value: 'yellow' }] }], backendRefs: [to('v2')] },
    ] }));
    expect(go(m, 'http://x/', { version: 'one' })).toBe('v1');
    expect(go(m, 'http://x/', { VERSION: 'two' })).toBe('v2');
    expect(go(m, 'http://x/', { version: 'two', color: 'orange' })).toBe('v1');
    expect(go(m, 'http://x/', { color: 'blue' })).toBe('v1');
    expect(go(m, 'http://x/', { color: 'yellow' })).toBe('v2');
    expect(go(m, 'http://x/', { color: 'Yellow' })).toBe('- no-route');
    expect(go(m, 'http://x/', { version: 'four', color: 'purple' })).toBe('- no-route');
  });

  test('HTTPRouteQueryParamMatching: exact values, case-sensitive names; path beats header beats query', () => {
    const m = routes(httpRoute('query', { ...parent, rules: [
      { matches: [{ queryParams: [{ name: 'animal', value: 'whale' }] }], backendRefs: [to('v1')] },
      { matches: [{ queryParams: [{ name: 'animal', value: 'dolphin' }] }], backendRefs: [to('v2')] },
      { matches: [{ queryParams: [{ name: 'animal', value: 'dolphin' }, { name: 'color', value: 'blue' }] }], backendRefs: [to('v3')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/path1' }, queryParams: [{ name: 'animal', value: 'whale' }] }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/path2' } }], backendRefs: [to('v2')] },
      { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [to('v3')] },
    ] }));
    expect(go(m, 'http://x/?animal=whale')).toBe('v1');
    expect(go(m, 'http://x/?animal=dolphin')).toBe('v2');
    expect(go(m, 'http://x/?animal=dolphin&color=blue')).toBe('v3');
    expect(go(m, 'http://x/?ANIMAL=Whale')).toBe('- no-route');
    expect(go(m, 'http://x/path2?animal=whale')).toBe('v2');
    expect(go(m, 'http://x/?animal=whale', { version: 'one' })).toBe('v3');
  });

  test('HTTPRouteMethodMatching: prefix length beats method beats headers', () => {
    const m = routes(httpRoute('method', { ...parent, rules: [
      { matches: [{ method: 'POST' }], backendRefs: [to('v1')] },
      { matches: [{ method: 'GET' }], backendRefs: [to('v2')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/path1' }, method: 'GET' }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [to('v2')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/path4' } }], backendRefs: [to('v3')] },
    ] }));
    expect(go(m, 'http://x/', undefined, 'POST')).toBe('v1');
    expect(go(m, 'http://x/', undefined, 'GET')).toBe('v2');
    expect(go(m, 'http://x/', undefined, 'HEAD')).toBe('- no-route');
    expect(go(m, 'http://x/path1', undefined, 'GET')).toBe('v1');
    expect(go(m, 'http://x/', { version: 'one' }, 'POST')).toBe('v1');
    expect(go(m, 'http://x/path4', undefined, 'POST')).toBe('v3');
  });

  test('RegularExpression paths (full match) rank after Exact and before PathPrefix', () => {
    const m = routes(httpRoute('re', { ...parent, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/items/special' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'RegularExpression', value: '/items/[a-z]+' } }], backendRefs: [to('v2')] },
    ] }));
    expect(go(m, 'http://x/items/special')).toBe('v2');
    expect(go(m, 'http://x/items/special/1')).toBe('v1');
  });

  test('HTTPRouteMatchingAcrossRoutes: the request host picks the routes, then precedence across them', () => {
    const m = routes(
      httpRoute('a', { ...parent, hostnames: ['example.com', 'example.net'], rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('v1')] },
        { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [to('v1')] },
      ] }),
      httpRoute('b', { ...parent, hostnames: ['example.com'], rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [to('v2')] },
        { matches: [{ headers: [{ name: 'version', value: 'two' }] }], backendRefs: [to('v2')] },
      ] }),
    );
    expect(go(m, 'http://example.com/')).toBe('v1');
    expect(go(m, 'http://example.net/')).toBe('v1');
    expect(go(m, 'http://example.com/v2')).toBe('v2');
    expect(go(m, 'http://example.net/v2')).toBe('v1');
    expect(go(m, 'http://example.com/', { version: 'two' })).toBe('v2');
    expect(go(m, 'http://example.net/', { version: 'two' })).toBe('v1');
    expect(go(m, 'http://example.org/')).toBe('- no-entry-point');
  });

  test('equal precedence across routes: the oldest wins; without creationTimestamp it is reported', () => {
    const rule = { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('v1')] }] };
    const rule2 = { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('v2')] }] };
    const withTs = routes(httpRoute('zz', { ...parent, ...rule }, { creationTimestamp: '2024-01-01T00:00:00Z' }), httpRoute('aa', { ...parent, ...rule2 }, { creationTimestamp: '2024-02-01T00:00:00Z' }));
    expect(go(withTs, 'http://x/')).toBe('v1');
    expect(withTs.request({ url: 'http://x/' }).ambiguities).toEqual([]);
    const sameTs = routes(httpRoute('zz', { ...parent, ...rule }, { creationTimestamp: '2024-01-01T00:00:00Z' }), httpRoute('aa', { ...parent, ...rule2 }, { creationTimestamp: '2024-01-01T00:00:00Z' }));
    expect(go(sameTs, 'http://x/')).toBe('v2');
    const noTs = routes(httpRoute('zz', { ...parent, ...rule }), httpRoute('aa', { ...parent, ...rule2 }));
    const t = noTs.request({ url: 'http://x/' });
    expect(short(target(noTs, 'http://x/'))).toBe('v1');
    expect(t.ambiguities).toEqual([{ kind: 'creation-order', message: expect.stringMatching(/equal precedence.*no creationTimestamp/) }]);
  });
});

describe('Gateway API listeners and attachment (conformance)', () => {
  const listeners = gateway('gw', [
    { name: 'empty', port: 80, protocol: 'HTTP' },
    { name: 'foo-bar', port: 80, protocol: 'HTTP', hostname: 'bar.com' },
    { name: 'wild-bar', port: 80, protocol: 'HTTP', hostname: '*.bar.com' },
    { name: 'other', port: 8080, protocol: 'HTTP' },
  ], { namespace: 'default' });
  const mk = (...rs: Json[]) => model([gatewayClass, listeners, ...v, ...rs], { l4: false });

  test('HTTPRouteListenerHostnameMatching: several listeners on one port pick routes by hostname', () => {
    const m = mk(
      httpRoute('r-bar', { parentRefs: [{ name: 'gw', sectionName: 'foo-bar' }], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('r-wild', { parentRefs: [{ name: 'gw', sectionName: 'wild-bar' }], rules: [{ backendRefs: [to('v2')] }] }),
      httpRoute('r-empty', { parentRefs: [{ name: 'gw', sectionName: 'empty' }], rules: [{ backendRefs: [to('v3')] }] }),
    );
    expect(go(m, 'http://bar.com/')).toBe('v1');
    expect(go(m, 'http://foo.bar.com/')).toBe('v2');
    expect(go(m, 'http://a.b.bar.com/')).toBe('v2');
    expect(go(m, 'http://foo.com/')).toBe('v3');
    expect(m.request({ url: 'http://bar.com/' }).entry?.listener).toBe('foo-bar');
  });

  test('HTTPRouteListenerPortMatching: parentRef port and the request port select the listener', () => {
    const m = mk(httpRoute('r', { parentRefs: [{ name: 'gw', port: 8080 }], rules: [{ backendRefs: [to('v1')] }] }));
    expect(go(m, 'http://x:8080/')).toBe('v1');
    expect(go(m, 'http://x/')).toBe('- no-entry-point');
  });

  test('HTTPRouteHostnameIntersection: only intersecting hostnames attach; none intersecting -> not Accepted', () => {
    const m = mk(
      httpRoute('r1', { parentRefs: [{ name: 'gw', sectionName: 'wild-bar' }], hostnames: ['specific.bar.com', 'other.net'], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('r2', { parentRefs: [{ name: 'gw', sectionName: 'foo-bar' }], hostnames: ['*.com'], rules: [{ backendRefs: [to('v2')] }] }),
      httpRoute('r3', { parentRefs: [{ name: 'gw', sectionName: 'wild-bar' }], hostnames: ['nope.org'], rules: [{ backendRefs: [to('v3')] }] }),
    );
    expect(go(m, 'http://specific.bar.com/')).toBe('v1');
    expect(go(m, 'http://other.net/')).toBe('- no-entry-point');
    expect(go(m, 'http://bar.com/')).toBe('v2');
    const status = Object.fromEntries(m.routeStatus().map((s) => [s.object.name, s.parents[0]]));
    expect(status.r1).toMatchObject({ accepted: true, listeners: ['wild-bar'] });
    expect(status.r3).toMatchObject({ accepted: false, reason: 'NoMatchingListenerHostname' });
    expect(m.problems().some((p) => p.code === 'route-not-accepted' && p.object?.name === 'r3')).toBe(true);
  });

  test('HTTPRouteHTTPSListener: https requests enter the HTTPS listener; a forced listener refuses other hostnames', () => {
    const tls = gateway('tls', [
      { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'secure.com', tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'passthrough', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
    ]);
    const m = model([gatewayClass, tls, ...v,
      httpRoute('r', { parentRefs: [{ name: 'tls', sectionName: 'https' }], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('p', { parentRefs: [{ name: 'tls', sectionName: 'passthrough' }], rules: [{ backendRefs: [to('v2')] }] }),
    ], { l4: false });
    expect(go(m, 'https://secure.com/')).toBe('v1');
    expect(go(m, 'http://secure.com/')).toBe('- no-entry-point');
    expect(go(m, 'https://other.com/')).toBe('- no-entry-point');
    expect(m.request({ url: 'https://other.com/', via: 'gateway:default/tls/https' }).failure?.code).toBe('misdirected');
    expect(m.routeStatus().find((s) => s.object.name === 'p')?.parents[0]).toMatchObject({ accepted: false, message: expect.stringMatching(/does not carry HTTPRoutes/) });
  });

  test('NoMatchingParent for a missing Gateway, sectionName or port', () => {
    const m = mk(
      httpRoute('a', { parentRefs: [{ name: 'nope' }], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('b', { parentRefs: [{ name: 'gw', sectionName: 'nope' }], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('c', { parentRefs: [{ name: 'gw', sectionName: 'empty', port: 8080 }], rules: [{ backendRefs: [to('v1')] }] }),
    );
    expect(m.routeStatus().map((s) => s.parents[0].reason)).toEqual(['NoMatchingParent', 'NoMatchingParent', 'NoMatchingParent']);
  });

  test('allowedRoutes: Same (default) refuses other namespaces; All and Selector admit; kinds can exclude HTTPRoute', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { shared: 'yes' } } };
    const gws = [
      gateway('same', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'same.com' }], { namespace: 'infra' }),
      gateway('all', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'all.com', allowedRoutes: { namespaces: { from: 'All' } } }], { namespace: 'infra' }),
      gateway('sel', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'sel.com', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } }], { namespace: 'infra' }),
      gateway('kinds', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'kinds.com', allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } }], { namespace: 'infra' }),
    ];
    const route = (g: string) => httpRoute(`to-${g}`, { parentRefs: [{ name: g, namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }, { namespace: 'team' });
    const m = model([gatewayClass, ns, app('web', 1, {}, 'team'), svc('web', 'web', { namespace: 'team' }), ...gws, ...['same', 'all', 'sel', 'kinds'].map(route)], { l4: false });
    const reasons = Object.fromEntries(m.routeStatus().map((s) => [s.object.name, `${s.parents[0].accepted} ${s.parents[0].reason}`]));
    expect(reasons).toEqual({ 'to-same': 'false NotAllowedByListeners', 'to-all': 'true Accepted', 'to-sel': 'true Accepted', 'to-kinds': 'false NotAllowedByListeners' });
    expect(target(m, 'http://all.com/')).toBe('team/web');
    expect(target(m, 'http://same.com/')).toBe('- no-entry-point');
  });
});

describe('Gateway API backends, filters, timeouts (conformance)', () => {
  test('HTTPRouteWeight: 70/30/0', () => {
    const m = routes(httpRoute('w', { ...parent, rules: [{ backendRefs: [to('v1', { weight: 70 }), to('v2', { weight: 30 }), to('v3', { weight: 0 })] }] }));
    expect(m.request({ url: 'http://x/' }).backends.map((b) => [short(b.service), b.probability])).toEqual([['v1', 0.7], ['v2', 0.3], ['v3', 0]]);
  });

  test('HTTPRouteNoBackendRefs: 500', () => {
    const m = routes(httpRoute('none', { ...parent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] }));
    expect(m.request({ url: 'http://x/' })).toMatchObject({ ok: false, failure: { code: 'no-backend', status: 500 } });
  });

  test('HTTPRouteInvalidNonExistentBackendRef / UnknownKind: 500, ResolvedRefs false; a partly invalid rule sends that share to 500', () => {
    const m = routes(
      httpRoute('missing', { ...parent, hostnames: ['missing.com'], rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] }),
      httpRoute('kind', { ...parent, hostnames: ['kind.com'], rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] }),
      httpRoute('half', { ...parent, hostnames: ['half.com'], rules: [{ backendRefs: [to('v1'), { name: 'nope', port: 80 }] }] }),
    );
    expect(m.request({ url: 'http://missing.com/' }).failure).toMatchObject({ code: 'backend-invalid', status: 500 });
    expect(m.request({ url: 'http://kind.com/' }).failure?.message).toMatch(/InvalidKind/);
    const half = m.request({ url: 'http://half.com/' });
    expect(half).toMatchObject({ ok: true, errorProbability: 0.5 });
    const status = Object.fromEntries(m.routeStatus().map((s) => [s.object.name, s.resolvedRefs.reason]));
    expect(status).toEqual({ missing: 'BackendNotFound', kind: 'InvalidKind', half: 'BackendNotFound' });
  });

  test('cross-namespace backendRef: RefNotPermitted (500) until a ReferenceGrant allows it', () => {
    const grant = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow', namespace: 'backends' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service' }] } };
    const objs = (extra: unknown[]) => [gatewayClass, gw, app('web', 1, {}, 'backends'), svc('web', 'web', { namespace: 'backends' }), httpRoute('cross', { ...parent, rules: [{ backendRefs: [{ name: 'web', namespace: 'backends', port: 80 }] }] }), ...extra];
    const denied = model(objs([]), { l4: false });
    expect(denied.request({ url: 'http://x/' }).failure).toMatchObject({ code: 'backend-invalid', status: 500 });
    expect(denied.routeStatus()[0].resolvedRefs.reason).toBe('RefNotPermitted');
    expect(target(model(objs([grant]), { l4: false }), 'http://x/')).toBe('backends/web');
  });

  test('RequestRedirect (scheme, hostname, port, path, status) ends the trace', () => {
    const m = routes(httpRoute('redir', { ...parent, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/scheme' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/host' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.org', statusCode: 301 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/port' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { port: 8083 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/full' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/full-path-replacement' } } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/prefix/one' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' } } }] },
    ] }));
    expect(go(m, 'http://x/scheme')).toBe('302 https://x/scheme');
    expect(go(m, 'http://x/host')).toBe('301 http://example.org/host');
    expect(go(m, 'http://x/port')).toBe('302 http://x:8083/port');
    expect(go(m, 'http://x/full/a')).toBe('302 http://x/full-path-replacement');
    expect(go(m, 'http://x/prefix/one/two')).toBe('302 http://x/one/two');
  });

  test('URLRewrite (path prefix, full path, hostname) and RequestHeaderModifier shape the upstream request', () => {
    const m = routes(httpRoute('rw', { ...parent, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/prefix/one' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' } } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/strip' } }], filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'internal', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/full' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/one' } } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/hdr' } }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'prod' }], add: [{ name: 'x-tag', value: 'b' }], remove: ['x-drop'] } }], backendRefs: [to('v1')] },
    ] }));
    expect(m.request({ url: 'http://x/prefix/one/two' }).upstream?.path).toBe('/one/two');
    expect(m.request({ url: 'http://x/strip/a/b' }).upstream).toMatchObject({ host: 'internal', path: '/a/b' });
    expect(m.request({ url: 'http://x/strip' }).upstream?.path).toBe('/');
    expect(m.request({ url: 'http://x/full/x/y' }).upstream?.path).toBe('/one');
    const h = m.request({ url: 'http://x/hdr', headers: { 'x-tag': 'a', 'x-drop': '1' } }).upstream?.headers;
    expect(h).toMatchObject({ 'x-env': 'prod', 'x-tag': 'a,b' });
    expect(h?.['x-drop']).toBeUndefined();
  });

  test('timeouts are reported', () => {
    const m = routes(httpRoute('t', { ...parent, rules: [{ backendRefs: [to('v1')], timeouts: { request: '10s', backendRequest: '2s' } }] }));
    expect(m.request({ url: 'http://x/' }).timeouts).toEqual({ request: '10s', backendRequest: '2s' });
  });

  test('L4: the Gateway connects on to the backend pods', () => {
    const m = model([gatewayClass, gw, ...v, httpRoute('r', { ...parent, rules: [{ backendRefs: [to('v1')] }] })]);
    const t = m.request({ url: 'http://x/' });
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(t.backends[0].l4?.destinations[0].pod).toMatch(/^default\/infra-backend-v1-/);
    expect(t.entry).toMatchObject({ id: 'gateway:default/gw/http', kind: 'gateway-listener', controller: 'example.com/gateway' });
  });
});

describe('GAMMA: HTTPRoutes whose parent is a Service route mesh traffic', () => {
  const client = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default', labels: { app: 'client' } }, spec: { containers: [{ name: 'c' }] } };
  const other = { ...client, metadata: { name: 'client', namespace: 'other', labels: { app: 'client' } } };
  const mesh = (extra: unknown[] = []) => model([
    client, other, app('echo'), svc('echo'), app('echo-v2'), svc('echo-v2'),
    httpRoute('split', { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules: [
      { matches: [{ headers: [{ name: 'x-version', value: 'v2' }] }], backendRefs: [{ name: 'echo-v2', port: 80 }] },
      { backendRefs: [{ name: 'echo', port: 80, weight: 90 }, { name: 'echo-v2', port: 80, weight: 10 }] },
    ] }),
    ...extra,
  ]);

  test('a pod calling the Service by name is routed by the route (weights, header match), then L4 from the pod', () => {
    const m = mesh();
    const t = m.request({ from: { pod: 'default/client' }, url: 'http://echo/' });
    expect(t.entry?.id).toBe('mesh');
    expect(t.backends.map((b) => [b.service, b.probability])).toEqual([['default/echo', 0.9], ['default/echo-v2', 0.1]]);
    expect(t.backends[0].l4?.request.from).toBe('pod default/client');
    expect(target(m, { from: { pod: 'default/client' }, url: 'http://echo.default.svc.cluster.local/', headers: { 'x-version': 'v2' } })).toBe('echo-v2');
  });

  test('from outside, the same Service has no L7 entry', () => {
    expect(mesh().request({ url: 'http://echo/' }).failure?.code).toBe('no-entry-point');
  });

  test('a consumer route in the client\'s namespace overrides the producer route', () => {
    const m = mesh([httpRoute('consumer', { parentRefs: [{ group: '', kind: 'Service', name: 'echo', namespace: 'default' }], rules: [{ backendRefs: [{ name: 'echo-v2', namespace: 'default', port: 80 }] }] }, { namespace: 'other' })]);
    const grant = m.request({ from: { pod: 'other/client' }, url: 'http://echo.default/' });
    expect(grant.steps.some((s) => /consumer routes in other/.test(s.message))).toBe(true);
    expect(grant.backends[0]).toMatchObject({ service: 'default/echo-v2', invalid: expect.stringMatching(/RefNotPermitted/) });
    expect(m.request({ from: { pod: 'default/client' }, url: 'http://echo/' }).backends).toHaveLength(2);
  });

  test('without routes the sidecar forwards to the Service as is', () => {
    const t = mesh().request({ from: { pod: 'default/client' }, url: 'http://echo-v2/' });
    expect(t).toMatchObject({ ok: true, route: { kind: 'none' } });
    expect(t.backends[0].service).toBe('default/echo-v2');
  });

  test('a pod opted out of the mesh gets no L7 routing', () => {
    const optedOut = model([{ ...client, metadata: { ...client.metadata, labels: { app: 'client', 'sidecar.istio.io/inject': 'false' } } }, app('echo'), svc('echo'), app('echo-v2'), svc('echo-v2'),
      httpRoute('split', { parentRefs: [{ group: '', kind: 'Service', name: 'echo' }], rules: [{ backendRefs: [{ name: 'echo-v2', port: 80 }] }] })]);
    const t = optedOut.request({ from: { pod: 'default/client' }, url: 'http://echo/' });
    expect(t.backends[0].service).toBe('default/echo');
    expect(t.steps[0].message).toMatch(/has no sidecar/);
  });
});

/**
 * Route rows' structured conditions and the sample requests built from them: witnesses per
 * condition type, requests sent through the row's place (entry point, mesh client and
 * destination), and whether a request lands on its row.
 */
import { landsOn, matchWitnesses, NEUTRAL_METHOD, type L7MatchConditions, type L7Model, type L7RouteRow } from '../../../lib/engine/l7';
import { app, backend, gateway, gatewayClass, httpRoute, ingress, istio, model, svc } from './helpers';

const any = { headers: [], query: [] };
const neutral = (path: string) => ({ path, method: NEUTRAL_METHOD, headers: {}, query: {} });

describe('matchWitnesses', () => {
  test('element-wise prefix: the prefix itself and a path below it, with a method no route names (and GET first, for display)', () => {
    expect(matchWitnesses({ ...any, path: { type: 'Prefix', value: '/api/' } })).toEqual([neutral('/api'), neutral('/api/netkit-probe')]);
    expect(matchWitnesses({ ...any, path: { type: 'Prefix', value: '/' } })?.map((w) => w.path)).toEqual(['/', '/netkit-probe']);
    expect(matchWitnesses({ ...any, path: { type: 'Prefix', value: '/a' } }, { get: true })?.map((w) => `${w.method} ${w.path}`))
      .toEqual(['GET /a', `${NEUTRAL_METHOD} /a`, 'GET /a/netkit-probe', `${NEUTRAL_METHOD} /a/netkit-probe`]);
  });

  test('exact paths as they are; a method condition replaces the two methods; the first value of a header name counts', () => {
    const c: L7MatchConditions = {
      path: { type: 'Exact', value: '/a' }, method: { type: 'Exact', value: 'POST' },
      headers: [{ name: 'x-env', type: 'Exact', value: 'a' }, { name: 'x-env', type: 'Exact', value: 'b' }], query: [{ name: 'v', type: 'Exact', value: '2' }],
    };
    expect(matchWitnesses(c)).toEqual([{ path: '/a', method: 'POST', headers: { 'x-env': 'a' }, query: { v: '2' } }]);
  });

  test('string prefixes (Istio uri.prefix) are probed at, below and beside; presence and prefix values; authority and port', () => {
    const c: L7MatchConditions = {
      path: { type: 'StringPrefix', value: '/api' },
      headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }, { name: 'x-beta', type: 'Present', value: '' }],
      query: [{ name: 'v', type: 'Prefix', value: '2' }], authority: { type: 'Exact', value: 'shop.example.com' }, port: 8080,
    };
    const ws = matchWitnesses(c) ?? [];
    expect(ws.map((w) => w.path)).toEqual(['/api', '/api/netkit-probe', '/apinetkit-probe']);
    expect(ws[0]).toEqual({ path: '/api', method: NEUTRAL_METHOD, headers: { 'end-user': 'jason', 'x-beta': 'netkit-probe' }, query: { v: '2netkit-probe' }, host: 'shop.example.com', port: 8080 });
  });

  test('no path condition: one probe path; an Ingress defaultBackend the same', () => {
    expect(matchWitnesses(any)?.map((w) => w.path)).toEqual(['/netkit-probe']);
    expect(matchWitnesses({ ...any, otherwise: true })?.map((w) => w.path)).toEqual(['/netkit-probe']);
  });

  test('conditions a request alone cannot satisfy: strict gives none, lenient leaves them out', () => {
    const unknown: L7MatchConditions[] = [
      { ...any, path: { type: 'RegularExpression', value: '/v[0-9]+' } },
      { ...any, headers: [{ name: 'a', type: 'RegularExpression', value: '.*' }] },
      { ...any, source: { labels: { app: 'x' } } }, { ...any, source: { namespace: 'x' } }, { ...any, source: { gateways: ['mesh'] } },
      { ...any, scheme: { type: 'Exact', value: 'https' } }, { ...any, authority: { type: 'Prefix', value: 'shop' } },
      { ...any, method: { type: 'Prefix', value: 'G' } },
    ];
    for (const c of unknown) {
      expect(matchWitnesses(c)).toBeUndefined();
      expect(matchWitnesses(c, { lenient: true })?.length).toBeGreaterThan(0);
    }
    expect(matchWitnesses({ ...any, path: { type: 'RegularExpression', value: '/v[0-9]+' } }, { lenient: true })?.[0].path).toBe('/');
    // A regex that is a literal path is its own witness.
    expect(matchWitnesses({ ...any, path: { type: 'RegularExpression', value: '/static', ignoreCase: true } })?.[0].path).toBe('/static');
  });
});

/** The row of `name` whose match text is `match`. */
function row(m: L7Model, name: string, match: string): L7RouteRow {
  const r = m.routes().find((x) => x.object.name === name && x.match === match);
  if (!r) throw new Error(`no row ${name} ${match}; have ${m.routes().map((x) => `${x.object.name} ${x.match}`).join(' | ')}`);
  return r;
}

describe('route rows carry structured conditions and their match index', () => {
  test('HTTPRoute: one row per match, path types, method, headers (lower-cased) and query', () => {
    const m = model([gatewayClass, gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), app('web'), svc('web'),
      httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ matches: [
        { path: { type: 'Exact', value: '/a' } },
        { path: { type: 'PathPrefix', value: '/b' }, method: 'POST', headers: [{ name: 'X-Env', value: 'c' }], queryParams: [{ name: 'Q', type: 'RegularExpression', value: '.+' }] },
      ], backendRefs: [{ name: 'web', port: 80 }] }] })], { l4: false });
    const rows = m.routes().map((r) => [r.rule, r.matchIndex, r.conditions]);
    expect(rows).toEqual([
      [0, 0, { path: { type: 'Exact', value: '/a' }, headers: [], query: [] }],
      [0, 1, { path: { type: 'Prefix', value: '/b' }, method: { type: 'Exact', value: 'POST' }, headers: [{ name: 'x-env', type: 'Exact', value: 'c' }], query: [{ name: 'Q', type: 'RegularExpression', value: '.+' }] }],
    ]);
  });

  test('VirtualService: one row per match block, a route without blocks has no index', () => {
    const m = model([app('web'), svc('web'), istio('VirtualService', 'web', { hosts: ['web'], http: [
      { match: [{ uri: { prefix: '/a' }, ignoreUriCase: true, headers: { 'End-User': { exact: 'j' }, flag: null } }, { uri: { exact: '/b' }, sourceLabels: { app: 'x' }, port: 8080 }], route: [{ destination: { host: 'web' } }] },
      { route: [{ destination: { host: 'web' } }] },
    ] })], { l4: false });
    expect(m.routes().map((r) => [r.rule, r.matchIndex, r.match])).toEqual([[0, 0, 'uri prefix /a, header End-User=j, header flag present'], [0, 1, 'uri=/b, port 8080, sourceLabels app=x'], [1, undefined, 'any request']]);
    const [a, b] = m.routes();
    expect(a.conditions).toEqual({ path: { type: 'StringPrefix', value: '/a', ignoreCase: true }, headers: [{ name: 'end-user', type: 'Exact', value: 'j' }, { name: 'flag', type: 'Present', value: '' }], query: [] });
    expect(b.conditions).toEqual({ path: { type: 'Exact', value: '/b' }, headers: [], query: [], port: 8080, source: { labels: { app: 'x' } } });
  });

  test('Ingress: rules[] and paths[] indexes; ImplementationSpecific per profile; defaultBackend; ingress-nginx regex hosts and canaries', () => {
    const objs = [app('web'), svc('web'), svc('next', 'web'),
      ingress('i', { ingressClassName: 'nginx', defaultBackend: backend('web'), rules: [
        { host: 'a.com', http: { paths: [{ path: '/x', pathType: 'Exact', backend: backend('web') }] } },
        { host: 'b.com', http: { paths: [{ path: '/p', pathType: 'Prefix', backend: backend('web') }, { path: '/s', pathType: 'ImplementationSpecific', backend: backend('web') }] } },
      ] }),
      ingress('c', { ingressClassName: 'nginx', rules: [{ host: 'b.com', http: { paths: [{ path: '/p', pathType: 'Prefix', backend: backend('next') }] } }] },
        { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' } }),
    ];
    const spec = model(objs, { ingressProfile: 'spec', l4: false });
    expect(row(spec, 'i', 'ImplementationSpecific /s')).toMatchObject({ rule: 1, matchIndex: 1, conditions: { path: { type: 'Prefix', value: '/s' } } });
    expect(row(spec, 'i', 'Exact /x')).toMatchObject({ rule: 0, matchIndex: 0, conditions: { path: { type: 'Exact', value: '/x' } } });
    expect(row(spec, 'i', 'defaultBackend')).toMatchObject({ rule: -1, conditions: { otherwise: true } });
    expect(row(spec, 'i', 'defaultBackend').matchIndex).toBeUndefined();

    const nginx = model(objs, { ingressProfile: 'ingress-nginx', l4: false });
    expect(row(nginx, 'i', 'ImplementationSpecific /s').conditions.path).toEqual({ type: 'StringPrefix', value: '/s' });
    expect(row(nginx, 'c', 'Prefix /p (canary)')).toMatchObject({ canary: true, conditions: { path: { type: 'Prefix', value: '/p' }, headers: [{ name: 'x-canary', type: 'Exact', value: 'always' }] } });

    const regex = model([app('web'), svc('web'), ingress('r', { ingressClassName: 'nginx', rules: [{ host: 'r.com', http: { paths: [{ path: '/api/v[0-9]+', pathType: 'ImplementationSpecific', backend: backend('web') }] } }] },
      { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } })], { ingressProfile: 'ingress-nginx', l4: false });
    expect(regex.routes()[0].conditions.path).toEqual({ type: 'RegularExpression', value: '/api/v[0-9]+', ignoreCase: true });
  });
});

describe('sample requests per row', () => {
  test('through the row\'s entry point: scheme and port of the listener, concrete names for wildcard and catch-all hosts', () => {
    const m = model([gatewayClass, app('web'), svc('web'),
      gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }, { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c' }] } }]),
      httpRoute('r', { parentRefs: [{ name: 'gw' }], hostnames: ['*.example.com'], rules: [{ matches: [{ path: { type: 'Exact', value: '/a' }, headers: [{ name: 'x', value: '1' }] }], backendRefs: [{ name: 'web', port: 80 }] }] }),
      httpRoute('all', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [{ matches: [{ path: { type: 'Exact', value: '/b' } }], backendRefs: [{ name: 'web', port: 80 }] }] }),
    ], { l4: false });
    const urls = m.routes().flatMap((r) => (m.sampleRequests(r) ?? []).map((q) => `${q.via} ${q.method} ${q.url} ${JSON.stringify(q.headers)}`));
    expect(urls).toEqual([
      `gateway:default/gw/http ${NEUTRAL_METHOD} http://netkit-probe.example.com:8080/a {"x":"1"}`,
      `gateway:default/gw/http ${NEUTRAL_METHOD} http://netkit-probe.invalid:8080/b {}`,
      `gateway:default/gw/https ${NEUTRAL_METHOD} https://netkit-probe.example.com/a {"x":"1"}`,
    ]);
    for (const r of m.routes()) expect(m.sampleRequest(r)).toMatchObject({ lands: true, exact: true, request: { method: 'GET' } });
  });

  test('mesh rows: from a pod with a sidecar in the route\'s namespace, to the GAMMA parent Service or the VirtualService host', () => {
    const client = (name: string, ns: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c' }] } });
    const m = model([client('a-no-sidecar', 'default', { 'sidecar.istio.io/inject': 'false' }), client('b', 'default'), client('a-client', 'other'), app('echo'), svc('echo'), app('web', 1, {}, 'other'), svc('web', 'web', { namespace: 'other', ports: [{ name: 'http', port: 8080, targetPort: 8080 }] }),
      httpRoute('gamma', { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
      istio('VirtualService', 'web', { hosts: ['web'], http: [{ match: [{ uri: { exact: '/x' } }], route: [{ destination: { host: 'web' } }] }] }, { namespace: 'other' }),
    ], { l4: false });
    const gamma = row(m, 'gamma', 'PathPrefix /v2');
    expect(gamma.parent).toEqual({ service: 'default/echo', port: 80 });
    expect(m.sampleRequests(gamma)?.[0]).toEqual({ url: 'http://echo.default.svc.cluster.local/v2', method: NEUTRAL_METHOD, headers: {}, via: 'mesh', from: { pod: 'default/b' } });
    const vs = row(m, 'web', 'uri=/x');
    expect(m.sampleRequests(vs)?.[0]).toMatchObject({ url: 'http://web.other.svc.cluster.local:8080/x', from: { pod: 'other/a-client' } });
    for (const r of [gamma, vs]) expect(m.sampleRequest(r).lands).toBe(true);
  });

  test('mesh rows without any sidecar pod: no witnesses; the display sample still says where it goes', () => {
    const m = model([app('echo', 1, { 'sidecar.istio.io/inject': 'false' }), svc('echo'),
      httpRoute('gamma', { parentRefs: [{ group: '', kind: 'Service', name: 'echo' }], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] })], { l4: false });
    const r = m.routes()[0];
    expect(m.sampleRequests(r)).toBeUndefined();
    const s = m.sampleRequest(r);
    expect(s).toMatchObject({ exact: true, lands: false });
    expect(s.trace.steps[0].message).toMatch(/has no sidecar/);
  });

  test('a shadowed row: every witness lands elsewhere, and the sample says so', () => {
    const m = model([gatewayClass, gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), app('web'), svc('web'), svc('api', 'web'),
      httpRoute('old', { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [{ name: 'web', port: 80 }] }] }),
      httpRoute('new', { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [{ name: 'api', port: 80 }] }] }),
    ], { l4: false });
    const s = m.sampleRequest(row(m, 'new', 'PathPrefix /a'));
    expect(s.lands).toBe(false);
    expect(s.trace.route?.object?.name).toBe('old');
    expect(m.sampleRequest(row(m, 'old', 'PathPrefix /a')).lands).toBe(true);
  });

  test('landsOn: canary rows land when their backend gets a share; defaultBackend rows when nothing else takes the probe', () => {
    const m = model([app('web'), svc('web'), svc('next', 'web'),
      ingress('main', { ingressClassName: 'nginx', defaultBackend: backend('web'), rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] }),
      ingress('canary', { ingressClassName: 'nginx', rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('next') }] } }] },
        { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'x-canary' } }),
    ], { ingressProfile: 'ingress-nginx', l4: false });
    const canary = row(m, 'canary', 'Prefix / (canary)');
    const s = m.sampleRequest(canary);
    expect(s).toMatchObject({ lands: true, request: { headers: { 'x-canary': 'always' } } });
    expect(landsOn(m.request({ url: 'http://a.com/', via: 'ingress:nginx' }), canary)).toBe(false);
    const dflt = m.routes().filter((r) => r.match === 'defaultBackend');
    // On a.com, Prefix / takes every path: the defaultBackend never answers there; on other hosts it does.
    expect(dflt.map((r) => `${r.host} ${m.sampleRequest(r).lands}`).sort()).toEqual(['* true', 'a.com false']);
  });
});

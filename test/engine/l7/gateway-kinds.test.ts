/**
 * Gateway API kinds beyond HTTPRoute: GRPCRoute (method matching, precedence, grpc:// traces),
 * TLSRoute (SNI, passthrough and terminate), TCPRoute, UDPRoute, ListenerSet (allowedListeners,
 * route attachment by parentRef kind), BackendTLSPolicy; and the semantics of issue 17: backendRef
 * filters, SNI vs Host (421), GAMMA consumer routes, listener certificateRefs, ServiceImport, RE2.
 */
import { app, gateway, gatewayClass, httpRoute, model, svc, target } from './helpers';

type Json = Record<string, unknown>;
const GW = 'gateway.networking.k8s.io/v1';
const route = (kind: string, name: string, spec: Json, meta: Json = {}): Json => ({ apiVersion: GW, kind, metadata: { name, ...meta }, spec });
const backends = ['v1', 'v2', 'v3'].flatMap((n) => [app(`b${n}`), svc(`b${n}`)]);
const to = (n: string, extra: Json = {}): Json => ({ name: `b${n}`, port: 80, ...extra });
const short = (s: string) => s.replace(/^(default\/)?b/, '');

describe('GRPCRoute', () => {
  const gw = gateway('gw', [{ name: 'grpc', port: 80, protocol: 'HTTP' }]);
  const m = model([gatewayClass, gw, ...backends, route('GRPCRoute', 'echo', {
    parentRefs: [{ name: 'gw' }], hostnames: ['grpc.example.com'],
    rules: [
      { matches: [{ method: { service: 'echo.Echo', method: 'Get' } }], backendRefs: [to('v1')] },
      { matches: [{ method: { service: 'echo.Echo' } }], backendRefs: [to('v2')] },
      { matches: [{ method: { method: 'Get' } }, { headers: [{ name: 'x-tier', value: 'gold' }] }], backendRefs: [to('v3')] },
    ],
  })], { l4: false });

  test('service+method, then service, then method (grpcroute_types.go precedence)', () => {
    expect(short(target(m, 'grpc://grpc.example.com/echo.Echo/Get'))).toBe('v1');
    expect(short(target(m, 'grpc://grpc.example.com/echo.Echo/List'))).toBe('v2');
    expect(short(target(m, 'grpc://grpc.example.com/other.Svc/Get'))).toBe('v3');
    expect(short(target(m, { url: 'grpc://grpc.example.com/other.Svc/Put', headers: { 'x-tier': 'gold' } }))).toBe('v3');
    expect(target(m, 'grpc://grpc.example.com/other.Svc/Put')).toBe('- no-route');
  });

  test('a plain HTTP request does not take GRPCRoute rules; the trace names the route kind', () => {
    expect(target(m, 'http://grpc.example.com/echo.Echo/Get')).toBe('- no-route');
    const t = m.request({ url: 'grpc://grpc.example.com/echo.Echo/Get' });
    expect(t.route?.kind).toBe('GRPCRoute');
    expect(t.request.method).toBe('POST');
    expect(t.request.headers['content-type']).toBe('application/grpc');
  });
});

describe('TLSRoute, TCPRoute, UDPRoute', () => {
  const gw = gateway('gw', [
    { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
    { name: 'tls-term', port: 8443, protocol: 'TLS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } },
    { name: 'tcp', port: 5432, protocol: 'TCP' },
    { name: 'udp', port: 53, protocol: 'UDP' },
  ]);
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert' }, type: 'kubernetes.io/tls', data: {} };
  const m = model([gatewayClass, gw, secret, ...backends,
    route('TLSRoute', 'exact', { parentRefs: [{ name: 'gw', sectionName: 'tls' }], hostnames: ['abc.example.com'], rules: [{ backendRefs: [to('v1')] }] }),
    route('TLSRoute', 'wild', { parentRefs: [{ name: 'gw', sectionName: 'tls' }], hostnames: ['*.example.com'], rules: [{ backendRefs: [to('v2')] }] }),
    route('TLSRoute', 'term', { parentRefs: [{ name: 'gw', sectionName: 'tls-term' }], hostnames: ['t.example.com'], rules: [{ backendRefs: [to('v3')] }] }),
    route('TCPRoute', 'db', { parentRefs: [{ name: 'gw', sectionName: 'tcp' }], rules: [{ backendRefs: [to('v1', { weight: 3 }), to('v2', { weight: 1 })] }] }),
    route('UDPRoute', 'dns', { parentRefs: [{ name: 'gw', sectionName: 'udp' }], rules: [{ backendRefs: [to('v3')] }] }),
  ], { l4: false });

  test('TLS passthrough by SNI: exact before wildcard; unknown SNI refused', () => {
    expect(short(target(m, 'tls://abc.example.com:443'))).toBe('v1');
    expect(short(target(m, 'tls://other.example.com:443'))).toBe('v2');
    expect(target(m, 'tls://abc.example.org:443')).toBe('- no-entry-point');
    expect(m.request({ url: 'tls://abc.example.com:443' }).route?.kind).toBe('TLSRoute');
  });

  test('TLS terminate listener routes by SNI too; the backend gets plain TCP, no SNI', () => {
    const t = m.request({ url: 'tls://t.example.com:8443' });
    expect(short(target(m, 'tls://t.example.com:8443'))).toBe('v3');
    expect(t.tls).toEqual({ mode: 'Terminate', backendTls: false, certificate: 'default/cert' });
    expect(t.steps.some((s) => s.message.includes('ends the TLS session for SNI t.example.com'))).toBe(true);
  });

  test('TLS passthrough forwards the encrypted stream: the backend sees the SNI', () => {
    expect(m.request({ url: 'tls://abc.example.com:443' }).tls).toEqual({ mode: 'Passthrough', backendTls: true, sni: 'abc.example.com' });
    // TCP connections cross no TLS listener.
    expect(m.request({ url: 'tcp://db.example.com:5432' }).tls).toBeUndefined();
  });

  test('a Terminate or HTTPS listener whose certificateRefs do not resolve is not programmed: the handshake fails', () => {
    const g = gateway('gw', [
      { name: 'term-no-grant', port: 8443, protocol: 'TLS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'c', namespace: 'other' }] } },
      { name: 'term-missing', port: 9443, protocol: 'TLS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'made-by-cert-manager' }] } },
      { name: 'https-bad-kind', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ group: 'example.com', kind: 'Vault', name: 'c' }] } },
    ]);
    const m2 = model([gatewayClass, g, ...backends,
      route('TLSRoute', 'a', { parentRefs: [{ name: 'gw', sectionName: 'term-no-grant' }], rules: [{ backendRefs: [to('v1')] }] }),
      route('TLSRoute', 'b', { parentRefs: [{ name: 'gw', sectionName: 'term-missing' }], rules: [{ backendRefs: [to('v2')] }] }),
      httpRoute('c', { parentRefs: [{ name: 'gw', sectionName: 'https-bad-kind' }], rules: [{ backendRefs: [to('v3')] }] }),
    ], { l4: false });
    const noGrant = m2.request({ url: 'tls://t.example.com:8443' });
    expect(noGrant.failure?.code).toBe('tls');
    expect(noGrant.failure?.message).toContain('RefNotPermitted');
    expect(noGrant.tls).toBeUndefined();
    const badKind = m2.request({ url: 'https://t.example.com/' });
    expect(badKind.failure?.code).toBe('tls');
    expect(badKind.failure?.message).toContain('InvalidCertificateRef');
    // A Secret only missing from the manifests may come from elsewhere: routed, and the trace says so.
    const missing = m2.request({ url: 'tls://t.example.com:9443' });
    expect(short(target(m2, 'tls://t.example.com:9443'))).toBe('v2');
    expect(missing.steps.some((st) => st.stage === 'note' && st.message.includes('a Secret the manifests do not hold'))).toBe(true);
    expect(missing.tls).toEqual({ mode: 'Terminate', backendTls: false, certificate: 'default/made-by-cert-manager' });
  });

  test('a TLS Terminate listener without certificateRefs is reported (certificateRefs or options required)', () => {
    const g = gateway('gw', [
      { name: 'none', port: 8443, protocol: 'TLS', tls: { mode: 'Terminate' } },
      { name: 'opts', port: 9443, protocol: 'TLS', tls: { mode: 'Terminate', options: { 'example.com/cert': 'vault:x' } } },
    ]);
    const p = model([gatewayClass, g], { l4: false }).problems().filter((x) => x.path?.startsWith('spec.listeners'));
    expect(p.map((x) => [x.code, x.severity, x.path])).toEqual([['listener-certificate-ref', 'error', 'spec.listeners[0].tls'], ['not-simulated', 'info', 'spec.listeners[1].tls.options']]);
  });

  test('TCP and UDP listeners forward to their route\'s weighted backends', () => {
    const t = m.request({ url: 'tcp://db.example.com:5432' });
    expect(t.backends.map((b) => [short(b.service), b.probability])).toEqual([['v1', 0.75], ['v2', 0.25]]);
    expect(short(target(m, 'udp://dns.example.com:53'))).toBe('v3');
    expect(m.request({ url: 'tcp://x:5433' }).failure?.code).toBe('no-entry-point');
  });

  test('status: Accepted per parent; a TCPRoute on a TLS listener is not', () => {
    const bad = model([gatewayClass, gw, ...backends, route('TCPRoute', 'wrong', { parentRefs: [{ name: 'gw', sectionName: 'tls' }], rules: [{ backendRefs: [to('v1')] }] })], { l4: false });
    const st = bad.routeStatus().find((s) => s.object.name === 'wrong');
    expect(st?.parents[0].accepted).toBe(false);
    expect(st?.parents[0].message).toContain('does not carry TCPRoutes');
    expect(bad.problems().some((p) => p.code === 'route-not-accepted' && p.object?.kind === 'TCPRoute')).toBe(true);
  });

  test('route rows list the L4 routes', () => {
    const rows = m.routes().filter((r) => r.kind !== 'HTTPRoute');
    expect(rows.map((r) => `${r.kind} ${r.host}`).sort()).toEqual(['TCPRoute *', 'TLSRoute *.example.com', 'TLSRoute abc.example.com', 'TLSRoute t.example.com', 'UDPRoute *']);
  });
});

describe('ListenerSet', () => {
  const ls = route('ListenerSet', 'extra', { parentRef: { name: 'gw' }, listeners: [{ name: 'admin', port: 8080, protocol: 'HTTP', hostname: 'admin.example.com' }] });
  const onSet = httpRoute('admin', { parentRefs: [{ kind: 'ListenerSet', name: 'extra' }], rules: [{ backendRefs: [to('v2')] }] });
  const onGw = httpRoute('main', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [to('v1')] }] });
  const gwOf = (allowed?: Json) => ({ ...gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], ...(allowed ? { allowedListeners: allowed } : {}) } });

  test('allowed: its listener serves the routes attached to the ListenerSet, not the Gateway\'s', () => {
    const m = model([gatewayClass, gwOf({ namespaces: { from: 'Same' } }), ls, onSet, onGw, ...backends], { l4: false });
    expect(short(target(m, 'http://admin.example.com:8080/'))).toBe('v2');
    expect(short(target(m, 'http://www.example.com/'))).toBe('v1');
    expect(m.entryPoints().map((e) => e.id)).toContain('listenerset:default/extra/admin');
  });

  test('not allowed by default: reported, and its listener serves nothing', () => {
    const m = model([gatewayClass, gwOf(), ls, onSet, ...backends], { l4: false });
    expect(target(m, 'http://admin.example.com:8080/')).toBe('- no-entry-point');
    expect(m.problems().find((p) => p.code === 'listenerset-not-accepted')?.message).toContain('allowedListeners');
    expect(m.routeStatus().find((s) => s.object.name === 'admin')?.parents[0].accepted).toBe(false);
    expect(m.listenerSetStatus().map((s) => [s.object.name, s.accepted.ok, s.accepted.reason])).toEqual([['extra', false, 'NotAllowed']]);
    expect(m.gatewayStatus().find((s) => s.object.name === 'gw')?.attachedListenerSets).toBe(0);
  });

  test('status: Accepted sets count in the Gateway\'s attachedListenerSets; a Conflicted listener makes ListenersNotValid', () => {
    // The second set repeats the first's port+hostname: its only listener is Conflicted, so it is not Accepted (listenerset_types.go ListenersNotValid).
    const clash = route('ListenerSet', 'clash', { parentRef: { name: 'gw' }, listeners: [{ name: 'admin2', port: 8080, protocol: 'HTTP', hostname: 'admin.example.com' }] }, { creationTimestamp: '2026-01-02T00:00:00Z' });
    const first = { ...ls, metadata: { name: 'extra', creationTimestamp: '2026-01-01T00:00:00Z' } };
    const m = model([gatewayClass, gwOf({ namespaces: { from: 'Same' } }), first, clash, ...backends], { l4: false });
    expect(m.listenerSetStatus().map((s) => [s.object.name, s.accepted.ok, s.accepted.reason])).toEqual([['extra', true, 'Accepted'], ['clash', false, 'ListenersNotValid']]);
    expect(m.gatewayStatus().find((s) => s.object.name === 'gw')?.attachedListenerSets).toBe(1);
  });
});

describe('semantics', () => {
  const gw = gateway('gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]);

  test('backendRef RequestRedirect filters answer the share of their backend', () => {
    const m = model([gatewayClass, gw, ...backends, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [
      to('v1', { filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/redirected-full' } } }] }),
    ] }] })], { l4: false });
    const t = m.request({ url: 'http://x/' });
    expect(t.response).toEqual({ status: 302, location: 'http://x/redirected-full' });
    expect(t.backends[0].response?.status).toBe(302);
  });

  test('backendRef URLRewrite changes what the backend sees', () => {
    const m = model([gatewayClass, gw, ...backends, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/prefix' } }], backendRefs: [
      to('v1', { filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'one.example.org', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/one' } } }] }),
    ] }] })], { l4: false });
    const t = m.request({ url: 'http://x/prefix/x' });
    expect(t.upstream?.path).toBe('/one/x');
    expect(t.upstream?.host).toBe('one.example.org');
  });

  test('backendRef RequestHeaderModifier: each backend share carries its own headers', () => {
    const setBackend = (v: string): Json => to(v, { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Backend', value: `b${v}` }] } }] });
    const m = model([gatewayClass, gw, ...backends, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [setBackend('v1'), setBackend('v2'), to('v3')] }] })], { l4: false });
    const t = m.request({ url: 'http://x/', headers: { 'x-keep': 'k' } });
    expect(t.backends.map((b) => [short(b.service), b.upstream?.headers.backend ?? null, b.upstream?.headers['x-keep'] ?? null])).toEqual([['v1', 'bv1', 'k'], ['v2', 'bv2', 'k'], ['v3', null, null]]);
    // With several shares the request-wide upstream stays the rule's (the third backend sees it).
    expect(t.upstream?.headers.backend).toBeUndefined();
    const one = model([gatewayClass, gw, ...backends, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [setBackend('v1')] }] })], { l4: false });
    expect(one.request({ url: 'http://x/' }).upstream?.headers.backend).toBe('bv1');
  });

  test('421 when SNI and Host select different HTTPS listeners', () => {
    const secrets = ['a', 'b'].map((n) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: n }, type: 'kubernetes.io/tls', data: {} }));
    const g = gateway('gw', [
      { name: 'a', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', tls: { certificateRefs: [{ name: 'a' }] } },
      { name: 'b', port: 443, protocol: 'HTTPS', hostname: 'b.example.com', tls: { certificateRefs: [{ name: 'b' }] } },
    ]);
    const m = model([gatewayClass, g, ...secrets, ...backends,
      httpRoute('ra', { parentRefs: [{ name: 'gw', sectionName: 'a' }], rules: [{ backendRefs: [to('v1')] }] }),
      httpRoute('rb', { parentRefs: [{ name: 'gw', sectionName: 'b' }], rules: [{ backendRefs: [to('v2')] }] })], { l4: false });
    expect(short(target(m, 'https://a.example.com/'))).toBe('v1');
    const t = m.request({ url: 'https://a.example.com/', headers: { host: 'b.example.com' } });
    expect(t.failure?.status).toBe(421);
    expect(m.problems().filter((p) => p.code === 'listener-certificate-ref')).toEqual([]);
  });

  test('listener certificateRefs: a missing Secret and a cross-namespace ref without grant are reported', () => {
    const g = gateway('gw', [
      { name: 'a', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'nope' }] } },
      { name: 'b', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c', namespace: 'other' }] } },
    ]);
    const m = model([gatewayClass, g], { l4: false });
    const p = m.problems().filter((x) => x.code === 'listener-certificate-ref');
    expect(p.map((x) => [x.severity, x.path])).toEqual([['warning', 'spec.listeners[0].tls.certificateRefs[0]'], ['error', 'spec.listeners[1].tls.certificateRefs[0]']]);
    expect(p[0].message).toContain('InvalidCertificateRef');
    expect(p[1].message).toContain('RefNotPermitted');
  });

  test('GAMMA consumer route: a backendRef to its parent Service in another namespace needs no ReferenceGrant', () => {
    const ns = (n: string): Json => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
    const m = model([ns('mesh'), ns('consumer'), app('echo', 1, {}, 'mesh'), svc('echo', 'echo', { namespace: 'mesh' }), app('client', 1, {}, 'consumer'),
      httpRoute('consumer', { parentRefs: [{ group: '', kind: 'Service', name: 'echo', namespace: 'mesh', port: 80 }], rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-header-set', value: 'set' }] } }], backendRefs: [{ name: 'echo', namespace: 'mesh', port: 80 }] }] }, { namespace: 'consumer' })], { l4: false });
    const client = [...m.state.pods.values()].find((p) => p.namespace === 'consumer');
    const t = m.request({ url: 'http://echo.mesh/', from: { pod: `consumer/${client?.name}` } });
    expect(t.ok).toBe(true);
    expect(t.backends.map((b) => [b.service, b.invalid])).toEqual([['mesh/echo', undefined]]);
    expect(m.problems().filter((p) => p.code === 'ref-not-permitted')).toEqual([]);
  });

  test('ServiceImport backends are reported as an extended kind, not an error', () => {
    const m = model([gatewayClass, gw, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'remote', port: 80 }] }] })], { l4: false });
    const p = m.problems();
    expect(p.find((x) => x.code === 'not-simulated')?.message).toContain('ServiceImport');
    expect(p.filter((x) => x.severity === 'error')).toEqual([]);
  });

  test('RE2: (?i) works, a lookahead never matches (invalid RE2)', () => {
    const m = model([gatewayClass, gw, ...backends, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [
      { matches: [{ path: { type: 'RegularExpression', value: '(?i)/API/.*' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'RegularExpression', value: '/(?!x).*' } }], backendRefs: [to('v2')] },
      { backendRefs: [to('v3')] },
    ] })], { l4: false });
    expect(short(target(m, 'http://x/api/users'))).toBe('v1');
    expect(short(target(m, 'http://x/other'))).toBe('v3');
  });

  test('a headless Service backend is reached at the endpoint port, not the Service port', () => {
    const headless = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bv1' }, spec: { clusterIP: 'None', selector: { app: 'bv1' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    const m = model([gatewayClass, gw, app('bv1'), headless, httpRoute('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [to('v1')] }] })]);
    const t = m.request({ url: 'http://x/' });
    expect(t.ok).toBe(true);
    expect(t.backends[0].l4?.destinations.map((d) => d.port)).toEqual([8080]);
    expect(t.backends[0].l4?.notes.some((n) => n.includes('EndpointSlices'))).toBe(true);
  });

  test('mesh: a request to a pod IP reaches the pod with no route applied; to a ClusterIP, the Service\'s routes apply', () => {
    const m = model([...backends, app('client'), httpRoute('split', { parentRefs: [{ group: '', kind: 'Service', name: 'bv1', port: 80 }], rules: [{ backendRefs: [to('v2')] }] })]);
    const client = [...m.state.pods.values()].find((p) => p.name.startsWith('client-'));
    const target1 = [...m.state.pods.values()].find((p) => p.name.startsWith('bv1-'));
    const from = { pod: `default/${client?.name}` };
    const direct = m.request({ url: `http://${target1?.ip}:8080/`, from });
    expect(direct.ok).toBe(true);
    expect(direct.route?.kind).toBe('none');
    expect(direct.backends[0].service).toBe(`default/${target1?.name}`);
    const vip = m.state.services.get('default/bv1')?.clusterIPs[0];
    const viaVip = m.request({ url: `http://${vip}/`, from });
    expect(viaVip.route?.kind).toBe('HTTPRoute');
    expect(viaVip.backends.map((b) => b.service)).toEqual(['default/bv2']);
  });
});

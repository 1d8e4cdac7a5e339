/**
 * Istio: a bookinfo-like mesh (istio/istio `samples/bookinfo`) with subsets, header routing,
 * weights, an ingress Gateway, ServiceEntry, and the VirtualService match conditions
 * (istio/api `virtual_service.proto`).
 */
import { app, istio, model, svc, target } from './helpers';

type Json = Record<string, unknown>;
const NS = { namespace: 'bookinfo' };
const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } };
const reviews = ['v1', 'v2', 'v3'].map((v) => {
  const d = app(`reviews-${v}`, 1, { app: 'reviews', version: v }, 'bookinfo') as { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
  d.spec.selector.matchLabels = { app: 'reviews', version: v };
  d.spec.template.metadata.labels = { app: 'reviews', version: v };
  return d;
});
const base: unknown[] = [
  ns,
  app('productpage', 1, { version: 'v1' }, 'bookinfo'),
  svc('productpage', 'productpage', { ...NS, ports: [{ name: 'http', port: 9080, targetPort: 8080 }] }),
  ...reviews,
  svc('reviews', 'reviews', { ...NS, ports: [{ name: 'http', port: 9080, targetPort: 8080 }] }),
  istio('DestinationRule', 'reviews', { host: 'reviews', subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })) }, NS),
];
const from = { pod: '' };
function mesh(extra: unknown[], options = {}) {
  const m = model([...base, ...extra], options);
  from.pod = [...m.state.pods.keys()].find((k) => k.startsWith('bookinfo/productpage-')) as string;
  return m;
}
const call = (url: string, headers?: Record<string, string>) => ({ from: { pod: from.pod }, url, headers });
const reviewsVs = (http: Json[], meta: Json = NS, extra: Json = {}) => istio('VirtualService', 'reviews', { hosts: ['reviews'], http, ...extra }, meta);
const subset = (s: string, weight?: number) => ({ destination: { host: 'reviews', subset: s }, ...(weight !== undefined ? { weight } : {}) });

describe('Istio mesh routing (sidecar of the calling pod)', () => {
  test('header match routes jason to v2; everyone else to v1; subsets narrow the pods', () => {
    const m = mesh([reviewsVs([
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [subset('v2')] },
      { route: [subset('v1')] },
    ])]);
    const t = m.request(call('http://reviews:9080/reviews/0'));
    expect(t.ok).toBe(true);
    expect(t.entry?.id).toBe('mesh');
    expect(t.backends).toHaveLength(1);
    expect(t.backends[0]).toMatchObject({ service: 'bookinfo/reviews', subset: 'v1', subsetLabels: { version: 'v1' }, probability: 1 });
    expect(t.backends[0].pods).toEqual([expect.stringMatching(/^bookinfo\/reviews-v1-/)]);
    expect(t.backends[0].l4?.destinations).toHaveLength(3);
    const jason = m.request(call('http://reviews:9080/', { 'End-User': 'jason' }));
    expect(jason.backends[0]).toMatchObject({ subset: 'v2' });
    expect(jason.backends[0].pods?.[0]).toMatch(/reviews-v2-/);
    expect(jason.candidates).toEqual([expect.objectContaining({ route: 'VirtualService bookinfo/reviews http[1]', lostBecause: expect.stringMatching(/matched first/) })]);
    expect(m.request(call('http://reviews:9080/', { 'end-user': 'Jason' })).backends[0].subset).toBe('v1');
  });

  test('weights split between subsets', () => {
    const m = mesh([reviewsVs([{ route: [subset('v1', 50), subset('v3', 50)] }])]);
    expect(m.request(call('http://reviews.bookinfo.svc.cluster.local:9080/')).backends.map((b) => [b.subset, b.probability])).toEqual([['v1', 0.5], ['v3', 0.5]]);
  });

  test('a subset no DestinationRule defines: 503 and a problem', () => {
    const m = mesh([reviewsVs([{ route: [subset('v9')] }])]);
    expect(m.request(call('http://reviews:9080/'))).toMatchObject({ ok: false, failure: { code: 'backend-invalid', status: 503 } });
    expect(m.problems().find((p) => p.code === 'vs-subset-missing')).toMatchObject({ path: 'spec.http[0].route[0].destination.subset' });
  });

  test('a subset whose labels select no pod: 503 at request time and a DestinationRule problem', () => {
    const m = mesh([istio('DestinationRule', 'pp', { host: 'productpage', subsets: [{ name: 'v9', labels: { version: 'v9' } }] }, NS),
      istio('VirtualService', 'pp', { hosts: ['productpage'], http: [{ route: [{ destination: { host: 'productpage', subset: 'v9' } }] }] }, NS)]);
    expect(m.request(call('http://productpage:9080/')).failure).toMatchObject({ code: 'no-endpoints' });
    expect(m.request(call('http://productpage:9080/')).backends[0].invalid).toMatch(/selects none/);
    expect(m.problems().map((p) => p.code)).toContain('dr-subset-no-pods');
  });

  test('short hosts are read in the VirtualService namespace; a client elsewhere reaches the same VS', () => {
    const client = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    const m = mesh([client, reviewsVs([{ route: [subset('v3')] }])]);
    expect(m.request({ from: { pod: 'default/c' }, url: 'http://reviews.bookinfo:9080/' }).backends[0].subset).toBe('v3');
    // exportTo: '.' hides it from other namespaces.
    const hidden = mesh([client, reviewsVs([{ route: [subset('v3')] }], NS, { exportTo: ['.'] })]);
    expect(hidden.request({ from: { pod: 'default/c' }, url: 'http://reviews.bookinfo:9080/' }).route?.kind).toBe('none');
  });

  test('match conditions: uri exact/prefix (string prefix)/regex, ignoreUriCase, method, query, withoutHeaders, port, sourceLabels', () => {
    const m = mesh([reviewsVs([
      { match: [{ uri: { exact: '/exact' } }], route: [subset('v1')] },
      { match: [{ uri: { prefix: '/static' } }], route: [subset('v2')] },
      { match: [{ uri: { regex: '/id/[0-9]+' } }], route: [subset('v3')] },
      { match: [{ uri: { exact: '/case' }, ignoreUriCase: true }], route: [subset('v1')] },
      { match: [{ method: { exact: 'POST' }, queryParams: { debug: { exact: '1' } } }], route: [subset('v2')] },
      { match: [{ uri: { prefix: '/nocookie' }, withoutHeaders: { cookie: {} } }], route: [subset('v3')] },
      { match: [{ port: 9999 }], route: [subset('v1')] },
      { match: [{ sourceLabels: { app: 'productpage' }, uri: { prefix: '/src' } }], route: [subset('v2')] },
      { route: [subset('v3')] },
    ])]);
    const sub = (url: string, headers?: Record<string, string>, method?: string) => m.request({ ...call(url, headers), method }).backends[0]?.subset;
    expect(sub('http://reviews:9080/exact')).toBe('v1');
    expect(sub('http://reviews:9080/staticfoo')).toBe('v2');
    expect(sub('http://reviews:9080/id/12')).toBe('v3');
    expect(sub('http://reviews:9080/id/12a')).toBe('v3');
    expect(m.request(call('http://reviews:9080/id/12a')).route?.rule).toBe(8);
    expect(sub('http://reviews:9080/CASE')).toBe('v1');
    expect(sub('http://reviews:9080/q?debug=1', undefined, 'POST')).toBe('v2');
    expect(m.request({ ...call('http://reviews:9080/q?debug=1'), method: 'GET' }).route?.rule).toBe(8);
    expect(m.request(call('http://reviews:9080/nocookie')).route?.rule).toBe(5);
    expect(m.request(call('http://reviews:9080/nocookie', { cookie: 'a=b' })).route?.rule).toBe(8);
    expect(m.request(call('http://reviews:9080/src')).route?.rule).toBe(7);
  });

  test('redirect, directResponse, rewrite, timeout, retries and fault abort', () => {
    const m = mesh([reviewsVs([
      { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', authority: 'reviews.example.com' } },
      { match: [{ uri: { exact: '/teapot' } }], directResponse: { status: 418, body: { string: 'short and stout' } } },
      { match: [{ uri: { prefix: '/api/v1' } }], rewrite: { uri: '/v1' }, timeout: '3s', retries: { attempts: 3, perTryTimeout: '1s' }, route: [subset('v1')] },
      { fault: { abort: { httpStatus: 503, percentage: { value: 10 } } }, route: [subset('v1')] },
    ])]);
    expect(target(m, call('http://reviews:9080/old/x'))).toBe('301 http://reviews.example.com/new');
    expect(m.request(call('http://reviews:9080/teapot')).response).toEqual({ status: 418, body: 'short and stout' });
    const rw = m.request(call('http://reviews:9080/api/v1/books'));
    expect(rw.upstream?.path).toBe('/v1/books');
    expect(rw.timeouts).toEqual({ request: '3s' });
    const fault = m.request(call('http://reviews:9080/any'));
    expect(fault.errorProbability).toBeCloseTo(0.1);
    expect(fault.backends.map((b) => [b.service, b.probability])).toEqual([['bookinfo/reviews', 0.9], ['fault-injection', 0.1]]);
  });

  test('two mesh VirtualServices for one host: the oldest applies, reported when creation order is open', () => {
    const m = mesh([reviewsVs([{ route: [subset('v1')] }]), istio('VirtualService', 'reviews-2', { hosts: ['reviews.bookinfo.svc.cluster.local'], http: [{ route: [subset('v2')] }] }, NS)]);
    const t = m.request(call('http://reviews:9080/'));
    expect(t.backends[0].subset).toBe('v1');
    expect(t.ambiguities).toEqual([{ kind: 'creation-order', message: expect.stringMatching(/name the same host/) }]);
  });

  test('a ServiceEntry host as destination leaves the cluster; an unknown host is a problem and 503', () => {
    const m = mesh([
      istio('ServiceEntry', 'httpbin', { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], location: 'MESH_EXTERNAL', resolution: 'DNS' }, NS),
      istio('VirtualService', 'httpbin', { hosts: ['httpbin.org'], http: [{ timeout: '3s', route: [{ destination: { host: 'httpbin.org' } }] }] }, NS),
      istio('VirtualService', 'bad', { hosts: ['bad.example.com'], http: [{ route: [{ destination: { host: 'nowhere.example.com' } }] }] }, NS),
    ]);
    const t = m.request(call('http://httpbin.org/get'));
    expect(t).toMatchObject({ ok: true, timeouts: { request: '3s' } });
    expect(t.backends).toEqual([expect.objectContaining({ service: 'httpbin.org', probability: 1 })]);
    expect(t.backends[0].l4).toBeUndefined();
    expect(m.problems().filter((p) => p.code === 'vs-destination-unknown').map((p) => p.object?.name)).toEqual(['bad']);
  });

  test('meshInjection labels: only injected namespaces use the sidecar', () => {
    const other = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    const m = mesh([other, reviewsVs([{ route: [subset('v2')] }])], { meshInjection: 'labels' });
    expect(m.request({ from: { pod: 'default/plain' }, url: 'http://reviews.bookinfo:9080/' }).route?.kind).toBe('none');
    expect(m.request(call('http://reviews:9080/')).backends[0].subset).toBe('v2');
  });
});

describe('Istio ingress Gateway', () => {
  const gw = (servers: Json[]) => istio('Gateway', 'bookinfo-gateway', { selector: { istio: 'ingressgateway' }, servers }, NS);
  const http80 = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] };
  const bookinfoVs = istio('VirtualService', 'bookinfo', {
    hosts: ['*'], gateways: ['bookinfo-gateway'],
    http: [{ match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } }], route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }],
  }, NS);

  test('bookinfo: /productpage and /static/* reach productpage; other paths 404', () => {
    const m = mesh([gw([http80]), bookinfoVs]);
    const t = m.request({ url: 'http://bookinfo.example.com/productpage' });
    expect(t.ok).toBe(true);
    expect(t.entry).toMatchObject({ id: 'istio-gateway:bookinfo/bookinfo-gateway/80', kind: 'istio-gateway' });
    expect(t.backends[0]).toMatchObject({ service: 'bookinfo/productpage', port: 9080 });
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(target(m, 'http://x/static/app.css')).toBe('bookinfo/productpage');
    expect(m.request({ url: 'http://x/reviews' })).toMatchObject({ ok: false, failure: { code: 'no-route', status: 404 } });
    expect(t.steps.some((s) => /no pod in the manifests matches the gateway selector/.test(s.message))).toBe(true);
  });

  test('mesh-only VirtualServices do not apply at the gateway, and gateway ones not in the mesh', () => {
    const m = mesh([gw([http80]), bookinfoVs, reviewsVs([{ route: [subset('v2')] }])]);
    expect(m.request({ url: 'http://reviews.bookinfo.svc.cluster.local/' }).failure?.code).toBe('no-route');
    expect(m.request(call('http://productpage:9080/productpage')).route?.kind).toBe('none');
  });

  test('VirtualServices for one host merge at the gateway in creation order, catch-alls last', () => {
    const catchAll = istio('VirtualService', 'a-catch', { hosts: ['shop.example.com'], gateways: ['bookinfo-gateway'], http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] }, { ...NS, creationTimestamp: '2024-01-01T00:00:00Z' });
    const specific = istio('VirtualService', 'b-reviews', { hosts: ['shop.example.com'], gateways: ['bookinfo-gateway'], http: [{ match: [{ uri: { prefix: '/reviews' } }], route: [{ destination: { host: 'reviews', port: { number: 9080 } } }] }] }, { ...NS, creationTimestamp: '2024-02-01T00:00:00Z' });
    const m = mesh([gw([http80]), catchAll, specific]);
    expect(target(m, 'http://shop.example.com/reviews/1')).toBe('bookinfo/reviews');
    expect(target(m, 'http://shop.example.com/')).toBe('bookinfo/productpage');
    expect(m.request({ url: 'http://shop.example.com/' }).ambiguities).toEqual([]);
  });

  test('server hosts filter by namespace and name; httpsRedirect answers 301', () => {
    const m = mesh([gw([{ ...http80, hosts: ['bookinfo/*.example.com'], tls: { httpsRedirect: true } }]), bookinfoVs, istio('VirtualService', 'shop', { hosts: ['shop.example.com'], gateways: ['bookinfo/bookinfo-gateway'], http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] }, NS)]);
    expect(target(m, 'http://shop.example.com/')).toBe('301 https://shop.example.com/');
    expect(m.request({ url: 'http://other.org/' }).failure?.code).toBe('no-entry-point');
  });

  test('a VirtualService naming a Gateway that does not exist is a problem', () => {
    const m = mesh([istio('VirtualService', 'v', { hosts: ['a.com'], gateways: ['nope'], http: [{ route: [{ destination: { host: 'productpage' } }] }] }, NS)]);
    expect(m.problems().find((p) => p.code === 'vs-gateway-missing')).toMatchObject({ path: 'spec.gateways[0]' });
    expect(m.routeStatus().find((s) => s.object.name === 'v')?.parents[0]).toMatchObject({ accepted: false, reason: 'GatewayNotFound' });
  });

  test('IST0132: a gateway binding where no server admits any host (name or namespace part) is not accepted, with a vs-host-unknown problem', () => {
    const vs = (name: string, hosts: string[], meta: Json = NS) => istio('VirtualService', name, { hosts, gateways: ['bookinfo/bookinfo-gateway'], http: [{ route: [{ destination: { host: 'productpage.bookinfo.svc.cluster.local' } }] }] }, meta);
    const m = mesh([gw([{ ...http80, hosts: ['bookinfo/*.example.com', './admin.local'] }]),
      vs('wrong-host', ['shop.other.org']), vs('ok', ['shop.example.com', 'x.org']), vs('own-ns', ['admin.local']),
      vs('other-ns', ['shop.example.com'], { namespace: 'web' })]);
    const parents = Object.fromEntries(m.routeStatus().map((s) => [s.object.name, `${s.parents[0].accepted} ${s.parents[0].reason}`]));
    expect(parents).toEqual({ 'wrong-host': 'false NoHostInGateway', ok: 'true Accepted', 'own-ns': 'true Accepted', 'other-ns': 'false NoHostInGateway' });
    const problems = m.problems().filter((p) => p.code === 'vs-host-unknown').map((p) => `${p.object?.name} ${p.path}: ${p.message}`);
    expect(problems).toEqual([
      'wrong-host spec.gateways[0]: VirtualService bookinfo/wrong-host: none of its hosts (shop.other.org) is among the hosts Gateway bookinfo/bookinfo-gateway serves to namespace bookinfo (bookinfo/*.example.com, ./admin.local): the gateway never hands it a request (IST0132)',
      'other-ns spec.gateways[0]: VirtualService web/other-ns: none of its hosts (shop.example.com) is among the hosts Gateway bookinfo/bookinfo-gateway serves to namespace web (bookinfo/*.example.com, ./admin.local): the gateway never hands it a request (IST0132)',
    ]);
    expect(target(m, 'http://shop.example.com/')).toBe('bookinfo/productpage');
  });

  test('mesh hosts in the cluster domain that are no Service and no ServiceEntry host are vs-host-unknown', () => {
    const m = mesh([
      istio('VirtualService', 'v', { hosts: ['ratings', 'reviews', 'details.other.svc.cluster.local', '*.svc.cluster.local', 'api.example.com'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, NS),
      istio('ServiceEntry', 'ext', { hosts: ['ratings.bookinfo.svc.cluster.local'], resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }, NS),
    ]);
    expect(m.problems().filter((p) => p.code === 'vs-host-unknown').map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.hosts[2]: VirtualService bookinfo/v: host details.other.svc.cluster.local is no Service and no ServiceEntry host: it resolves to nothing, so the sidecars never apply these routes',
    ]);
    const short = mesh([istio('VirtualService', 'v', { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, NS)]);
    expect(short.problems().filter((p) => p.code === 'vs-host-unknown').map((p) => p.message)).toEqual([
      'VirtualService bookinfo/v: host ratings (ratings.bookinfo.svc.cluster.local) is no Service in namespace bookinfo (short names are read in the VirtualService\'s namespace) and no ServiceEntry host: it resolves to nothing, so the sidecars never apply these routes',
    ]);
  });
});

import { Chart, Testing } from 'cdk8s';
import { BookinfoMeshChart } from '../../examples/bookinfo-mesh';
import { CanaryGatewayChart } from '../../examples/canary-gateway';
import { ShopIngressChart } from '../../examples/shop-ingress';
import { HttpRequest, L7Model, L7Trace } from '../../lib/engine/l7';
import { simulate, Simulation } from '../../lib/testing';

/** One example chart replayed through the runtime, with its L7 model. */
function replay(build: (app: ReturnType<typeof Testing.app>) => Chart): { sim: Simulation; l7: L7Model } {
  const sim = simulate(build(Testing.app()));
  return { sim, l7: L7Model.build(sim.cluster) };
}

/** `namespace/service:port[#subset]` and share of each backend that gets traffic. */
function backends(trace: L7Trace): [string, number][] {
  return trace.backends.filter((b) => b.probability > 0).map((b) => [`${b.service}:${b.port}${b.subset ? `#${b.subset}` : ''}`, b.probability]);
}

/** The pods (and the port they receive on) the request reaches through one backend's Service. */
function podsOf(trace: L7Trace, backend = 0): string[] {
  const b = trace.backends[backend];
  return (b.l4?.destinations ?? []).filter((d) => b.pods === undefined || b.pods.includes(d.pod ?? '')).map((d) => `${d.pod}:${d.port}`).sort();
}

function podKeys(sim: Simulation, labels: Record<string, string>, namespace: string, port: number): string[] {
  return sim.pods(labels, namespace).map((p) => `${p.namespace}/${p.name}:${port}`);
}

describe('shop-ingress: TLS Ingress with Exact and Prefix paths', () => {
  const { sim, l7 } = replay((app) => new ShopIngressChart(app, 'shop-ingress'));
  const get = (path: string, host = 'shop.example.com'): L7Trace => l7.request({ url: `https://${host}${path}` });

  test('the nginx IngressClass is the entry point (besides the mesh every pod is assumed to join)', () => {
    expect(l7.entryPoints().map((e) => e.id)).toEqual(['ingress:nginx', 'mesh']);
    expect(l7.problems()).toEqual([]);
  });

  test.each([
    ['/', 'shop/frontend:http', 'Prefix /'],
    ['/cart/items', 'shop/frontend:http', 'Prefix /'],
    // Prefix is element-wise: /apix is not under /api, so the longest matching prefix is /.
    ['/apix', 'shop/frontend:http', 'Prefix /'],
    ['/api', 'shop/api:http', 'Prefix /api'],
    ['/api/', 'shop/api:http', 'Prefix /api'],
    ['/api/cart', 'shop/api:http', 'Prefix /api'],
    // Exact wins for the exact path only; a trailing slash or subpath falls back to the prefixes.
    ['/api/status', 'shop/api:8081', 'Exact /api/status'],
    ['/api/status/', 'shop/api:http', 'Prefix /api'],
    ['/healthz', 'shop/frontend:80', 'Exact /healthz'],
    ['/healthz/', 'shop/frontend:http', 'Prefix /'],
  ])('GET %s -> %s (%s)', (path, backend, match) => {
    const trace = get(path);
    expect(trace.ok).toBe(true);
    expect(trace.entry?.id).toBe('ingress:nginx');
    expect(trace.route).toMatchObject({ kind: 'Ingress', description: match });
    expect(backends(trace)).toEqual([[backend, 1]]);
  });

  test('named and numbered ports reach the same pods on the right container port', () => {
    expect(podsOf(get('/'))).toEqual(podKeys(sim, { app: 'frontend' }, 'shop', 8080));
    expect(podsOf(get('/healthz'))).toEqual(podKeys(sim, { app: 'frontend' }, 'shop', 8080));
    expect(podsOf(get('/api/cart'))).toEqual(podKeys(sim, { app: 'api' }, 'shop', 8080));
    expect(podsOf(get('/api/status'))).toEqual(podKeys(sim, { app: 'api' }, 'shop', 8081));
    for (const d of get('/api/cart').backends[0].l4?.destinations ?? []) expect(d.probability).toBeCloseTo(1 / 3);
  });

  test('hosts the Ingress does not name get no route', () => {
    const trace = l7.request({ url: 'https://admin.example.com/', via: 'ingress:nginx' });
    expect(trace.ok).toBe(false);
    expect(trace.backends).toEqual([]);
  });
});

describe('canary-gateway: a 90/10 split with Gateway API weights', () => {
  const { sim, l7 } = replay((app) => new CanaryGatewayChart(app, 'canary-gateway'));
  const req = (path: string, headers?: Record<string, string>): HttpRequest => ({ url: `http://checkout.example.com${path}`, headers });

  test('the Gateway listener is the entry point and the route is accepted', () => {
    expect(l7.entryPoints().map((e) => e.id)).toEqual(['gateway:checkout/public/http', 'mesh']);
    expect(l7.problems()).toEqual([]);
    const status = l7.routeStatus().find((s) => s.object.kind === 'HTTPRoute' && s.object.name === 'checkout');
    expect(status?.parents).toEqual([expect.objectContaining({ accepted: true, reason: 'Accepted', listeners: ['http'] })]);
    expect(status?.resolvedRefs.ok).toBe(true);
  });

  test.each(['/', '/pay', '/cart/42'])('GET %s splits 90/10 between v1 and v2', (path) => {
    const trace = l7.request(req(path));
    expect(trace.ok).toBe(true);
    expect(trace.route).toMatchObject({ kind: 'HTTPRoute', rule: 1 });
    expect(backends(trace)).toEqual([['checkout/checkout-v1:80', 0.9], ['checkout/checkout-v2:80', 0.1]]);
    expect(podsOf(trace, 0)).toEqual(podKeys(sim, { app: 'checkout', version: 'v1' }, 'checkout', 8080));
    expect(podsOf(trace, 1)).toEqual(podKeys(sim, { app: 'checkout', version: 'v2' }, 'checkout', 8080));
  });

  test('testers with x-canary: always (any header-name case) reach v2 only; other values get the split', () => {
    for (const name of ['x-canary', 'X-Canary']) {
      const trace = l7.request(req('/pay', { [name]: 'always' }));
      expect(trace.route).toMatchObject({ kind: 'HTTPRoute', rule: 0 });
      expect(backends(trace)).toEqual([['checkout/checkout-v2:80', 1]]);
    }
    expect(backends(l7.request(req('/pay', { 'x-canary': 'Always' })))).toHaveLength(2);
    expect(backends(l7.request(req('/pay', { 'x-canary': 'never' })))).toHaveLength(2);
  });

  test('the listener only serves checkout.example.com', () => {
    expect(l7.request({ url: 'http://shop.example.com/', via: 'gateway:checkout/public/http' }).ok).toBe(false);
  });

  test('the split follows the configured weight', () => {
    const other = L7Model.build(simulate(new CanaryGatewayChart(Testing.app(), 'canary', { canaryWeight: 25 })).cluster);
    expect(backends(other.request(req('/')))).toEqual([['checkout/checkout-v1:80', 0.75], ['checkout/checkout-v2:80', 0.25]]);
  });
});

describe('bookinfo-mesh: Istio subsets and header-based routing', () => {
  const { sim, l7 } = replay((app) => new BookinfoMeshChart(app, 'bookinfo-mesh'));
  const pod = (labels: Record<string, string>) => {
    const p = sim.pods(labels, 'bookinfo')[0];
    return { pod: `${p.namespace}/${p.name}` };
  };
  const productpage = pod({ app: 'productpage' });
  const fromProductpage = (url: string, headers?: Record<string, string>): L7Trace => l7.request({ from: productpage, url, headers });

  test('entry points: the ingress gateway server and the mesh; nothing dangling', () => {
    expect(l7.entryPoints().map((e) => e.id)).toEqual(['istio-gateway:bookinfo/bookinfo-gateway/80', 'mesh']);
    expect(l7.problems()).toEqual([]);
  });

  test.each([
    ['/productpage', 'uri=/productpage'],
    ['/static/css/app.css', 'uri prefix /static'],
    // A VirtualService prefix is a plain string prefix (unlike Ingress and HTTPRoute).
    ['/staticfoo', 'uri prefix /static'],
    ['/login', 'uri=/login'],
    ['/logout', 'uri=/logout'],
    ['/api/v1/products/0/reviews', 'uri prefix /api/v1/products'],
  ])('the ingress gateway sends %s to productpage (%s)', (path, match) => {
    const trace = l7.request({ url: `http://bookinfo.example.com${path}` });
    expect(trace.ok).toBe(true);
    expect(trace.entry?.id).toBe('istio-gateway:bookinfo/bookinfo-gateway/80');
    expect(trace.route).toMatchObject({ kind: 'VirtualService', description: match });
    expect(backends(trace)).toEqual([['bookinfo/productpage:9080', 1]]);
    expect(podsOf(trace)).toEqual(podKeys(sim, { app: 'productpage' }, 'bookinfo', 9080));
  });

  test.each(['/', '/productpage/extra', '/reviews/0'])('the ingress gateway has no route for %s', (path) => {
    const trace = l7.request({ url: `http://bookinfo.example.com${path}` });
    expect(trace.ok).toBe(false);
    expect(trace.failure?.code).toBe('no-route');
  });

  test('reviews: everyone gets v1; only reviews-v1 pods are reached', () => {
    const trace = fromProductpage('http://reviews:9080/reviews/0');
    expect(trace.entry?.id).toBe('mesh');
    expect(trace.route).toMatchObject({ kind: 'VirtualService', rule: 1 });
    expect(backends(trace)).toEqual([['bookinfo/reviews:9080#v1', 1]]);
    expect(trace.backends[0].pods).toEqual(sim.pods({ app: 'reviews', version: 'v1' }, 'bookinfo').map((p) => `bookinfo/${p.name}`));
  });

  test('reviews: end-user jason gets v2 (header names are case-insensitive, values are not)', () => {
    for (const name of ['end-user', 'End-User']) {
      const trace = fromProductpage('http://reviews:9080/reviews/0', { [name]: 'jason' });
      expect(trace.route).toMatchObject({ kind: 'VirtualService', rule: 0 });
      expect(backends(trace)).toEqual([['bookinfo/reviews:9080#v2', 1]]);
      expect(trace.backends[0].pods).toEqual(sim.pods({ app: 'reviews', version: 'v2' }, 'bookinfo').map((p) => `bookinfo/${p.name}`));
    }
    expect(backends(fromProductpage('http://reviews:9080/', { 'end-user': 'Jason' }))).toEqual([['bookinfo/reviews:9080#v1', 1]]);
  });

  test('reviews v3 is deployed but receives nothing', () => {
    const reached = [fromProductpage('http://reviews:9080/'), fromProductpage('http://reviews:9080/', { 'end-user': 'jason' })].flatMap((t) => t.backends.map((b) => b.subset));
    expect(reached).not.toContain('v3');
  });

  test.each([
    ['http://ratings:9080/ratings/0', 'bookinfo/ratings:9080#v1'],
    ['http://ratings.bookinfo.svc.cluster.local:9080/ratings/0', 'bookinfo/ratings:9080#v1'],
    ['http://details:9080/details/0', 'bookinfo/details:9080#v1'],
    ['http://productpage:9080/productpage', 'bookinfo/productpage:9080#v1'],
  ])('mesh: %s -> %s', (url, backend) => {
    expect(backends(fromProductpage(url))).toEqual([[backend, 1]]);
  });

  test('reviews v2 calls ratings v1 through its own sidecar', () => {
    const trace = l7.request({ from: pod({ app: 'reviews', version: 'v2' }), url: 'http://ratings:9080/ratings/0' });
    expect(trace.entry?.id).toBe('mesh');
    expect(backends(trace)).toEqual([['bookinfo/ratings:9080#v1', 1]]);
    expect(podsOf(trace)).toEqual(podKeys(sim, { app: 'ratings' }, 'bookinfo', 9080));
  });
});

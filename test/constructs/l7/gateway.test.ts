import { Chart, Duration, Testing } from 'cdk8s';
import {
  FromNamespaces, Gateway, GatewayClass, GatewayProtocol, GatewayTlsMode, HttpBackendRef, HttpMethod, HttpPathMatchType, HttpRoute, HttpRouteFilter, HttpRouteRule,
  ParentRef, ReferenceGrant, Service,
} from '../../../lib';
import { formatGatewayDuration } from '../../../lib/constructs/gateway-http-route';
import { findObject, newChart, synth, synthError } from '../../support/synth';

interface Fixture { chart: Chart; gateway: Gateway; web: Service; canary: Service }

/** A chart with a Gateway (http + https listeners) and two web Services. */
function fixture(): Fixture {
  const chart = newChart('shop');
  const gateway = new Gateway(chart, 'gw', {
    metadata: { name: 'public' },
    gatewayClassName: 'envoy',
    listeners: [
      { name: 'http', protocol: GatewayProtocol.HTTP, port: 80 },
      { name: 'https', protocol: GatewayProtocol.HTTPS, port: 443, hostname: '*.example.com', tls: { certificateRefs: ['wildcard-tls'] } },
    ],
  });
  const web = new Service(chart, 'web', { metadata: { name: 'web' }, selector: { app: 'web' }, ports: [{ port: 80, name: 'http', targetPort: 8080 }, { port: 9090, name: 'metrics' }] });
  const canary = new Service(chart, 'canary', { metadata: { name: 'web-canary' }, selector: { app: 'web-canary' }, ports: [{ port: 80, name: 'http', targetPort: 8080 }] });
  return { chart, gateway, web, canary };
}

function routeError(rule: (f: Fixture) => HttpRouteRule, parents?: (f: Fixture) => (Gateway | Service | ParentRef)[]): string {
  const f = fixture();
  new HttpRoute(f.chart, 'route', { metadata: { name: 'route' }, parentRefs: parents ? parents(f) : [f.gateway], rules: [rule(f)] });
  return synthError(f.chart);
}

function gatewayError(props: Partial<ConstructorParameters<typeof Gateway>[2]>): string {
  const chart = newChart();
  new Gateway(chart, 'gw', { metadata: { name: 'gw' }, gatewayClassName: 'envoy', ...props });
  return synthError(chart);
}

describe('Gateway API synthesis', () => {
  test('GatewayClass is cluster-scoped; Gateway listeners render with TLS refs and allowed routes', () => {
    const chart = newChart('infra');
    const cls = new GatewayClass(chart, 'cls', { metadata: { name: 'envoy' }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' });
    const gw = new Gateway(chart, 'gw', { metadata: { name: 'public' }, gatewayClassName: cls });
    gw.addListener({
      name: 'https', protocol: GatewayProtocol.HTTPS, port: 443, hostname: 'shop.example.com',
      tls: { certificateRefs: ['shop-tls', { name: 'other', namespace: 'certs' }] },
      allowedRoutes: { from: FromNamespaces.SELECTOR, selector: { team: 'shop' }, kinds: [{ kind: 'HTTPRoute' }] },
    });
    const objects = synth(chart);
    expect(findObject(objects, 'GatewayClass', 'envoy').metadata.namespace).toBeUndefined();
    expect(findObject(objects, 'Gateway', 'public').spec).toEqual({
      gatewayClassName: 'envoy',
      listeners: [{
        name: 'https', protocol: 'HTTPS', port: 443, hostname: 'shop.example.com',
        tls: { certificateRefs: [{ name: 'shop-tls' }, { name: 'other', namespace: 'certs' }] },
        allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
      }],
    });
  });

  test('HTTPRoute: parents, matches, filters, weighted backends (port names resolved to numbers), timeouts', () => {
    const { chart, gateway, web, canary } = fixture();
    const route = new HttpRoute(chart, 'route', { metadata: { name: 'shop' }, hostnames: ['shop.example.com'] });
    route.addParentRef(ParentRef.gateway(gateway, { sectionName: 'https' }));
    route.addRule({
      name: 'api',
      matches: [{ path: { value: '/api' }, headers: [{ name: 'x-env', value: 'canary' }], queryParams: [{ name: 'v', value: '2' }], method: HttpMethod.GET }],
      filters: [HttpRouteFilter.requestHeaderModifier({ set: { 'x-from': 'gw' }, remove: ['x-debug'] })],
      backendRefs: [HttpBackendRef.fromService(web, { port: 'http', weight: 90 }), HttpBackendRef.fromService(canary, { weight: 10 })],
      timeouts: { request: Duration.seconds(10), backendRequest: Duration.millis(2500) },
    });
    route.addRule({ matches: [{ path: { type: HttpPathMatchType.EXACT, value: '/old' } }], filters: [HttpRouteFilter.requestRedirect({ path: { replaceFullPath: '/new' }, statusCode: 301 })] });
    expect(findObject(synth(chart), 'HTTPRoute', 'shop').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'https' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          name: 'api',
          matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-env', value: 'canary' }], queryParams: [{ name: 'v', value: '2' }], method: 'GET' }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-from', value: 'gw' }], remove: ['x-debug'] } }],
          backendRefs: [{ name: 'web', port: 80, weight: 90 }, { name: 'web-canary', port: 80, weight: 10 }],
          timeouts: { request: '10s', backendRequest: '2500ms' },
        },
        {
          matches: [{ path: { type: 'Exact', value: '/old' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301, path: { type: 'ReplaceFullPath', replaceFullPath: '/new' } } }],
        },
      ],
    });
  });

  test('GAMMA: a Service parent (core group, Service port number); cross-namespace refs carry the namespace', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const api = new Service(backend, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 8080, name: 'http' }] });
    const consumer = new Chart(app, 'consumer', { namespace: 'web' });
    new HttpRoute(consumer, 'route', {
      metadata: { name: 'api-consumer' },
      parentRefs: [ParentRef.service(api, 'http')],
      rules: [{ backendRefs: [HttpBackendRef.fromService(api)], filters: [HttpRouteFilter.requestMirror(api, 'http')] }],
    });
    expect(findObject(Testing.synth(consumer) as never, 'HTTPRoute', 'api-consumer').spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'api', namespace: 'backend', port: 8080 }],
      rules: [{
        backendRefs: [{ name: 'api', namespace: 'backend', port: 8080 }],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'api', namespace: 'backend', port: 8080 } } }],
      }],
    });
  });

  test('ReferenceGrant: from routes in a namespace to Services here', () => {
    const chart = newChart('backend');
    const api = new Service(chart, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 80 }] });
    new ReferenceGrant(chart, 'grant', { metadata: { name: 'allow-web' }, from: [ReferenceGrant.fromHttpRoutes('web')], to: [api, ReferenceGrant.toSecrets()] });
    expect(findObject(synth(chart), 'ReferenceGrant', 'allow-web').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'web' }],
      to: [{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Secret' }],
    });
  });

  test('durations in Gateway API form', () => {
    expect(formatGatewayDuration(Duration.seconds(0))).toBe('0s');
    expect(formatGatewayDuration(Duration.millis(250))).toBe('250ms');
    expect(formatGatewayDuration(Duration.minutes(90))).toBe('1h30m');
    expect(formatGatewayDuration(Duration.millis(100_500))).toBe('1m40s500ms');
  });
});

describe('Gateway validations (CRD schema and CEL)', () => {
  test('listeners: at least one, unique names, unique port/protocol/hostname', () => {
    expect(gatewayError({})).toContain('[test/gw] Gateway "gw": spec.listeners: Required value: a Gateway needs at least one listener');
    expect(gatewayError({ listeners: [{ name: 'web', protocol: GatewayProtocol.HTTP, port: 80 }, { name: 'web', protocol: GatewayProtocol.HTTP, port: 8080 }] }))
      .toContain('spec.listeners[1].name: Invalid value: Listener name must be unique within the Gateway');
    expect(gatewayError({ listeners: [{ name: 'a', protocol: GatewayProtocol.HTTP, port: 80 }, { name: 'b', protocol: GatewayProtocol.HTTP, port: 80 }] }))
      .toContain('spec.listeners[1]: Invalid value: Combination of port, protocol and hostname must be unique for each listener');
    const chart = newChart();
    new Gateway(chart, 'gw', { gatewayClassName: 'envoy', listeners: [{ name: 'a', protocol: GatewayProtocol.HTTP, port: 80, hostname: 'a.example.com' }, { name: 'b', protocol: GatewayProtocol.HTTP, port: 80, hostname: 'b.example.com' }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('TLS rules per protocol', () => {
    expect(gatewayError({ listeners: [{ name: 'h', protocol: GatewayProtocol.HTTP, port: 80, tls: { certificateRefs: ['x'] } }] }))
      .toContain("spec.listeners[0].tls: Invalid value: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
    expect(gatewayError({ listeners: [{ name: 'h', protocol: GatewayProtocol.HTTPS, port: 443, tls: { mode: GatewayTlsMode.PASSTHROUGH } }] }))
      .toContain('spec.listeners[0].tls.mode: Invalid value: tls mode must be Terminate for protocol HTTPS');
    expect(gatewayError({ listeners: [{ name: 't', protocol: GatewayProtocol.TLS, port: 443 }] }))
      .toContain('spec.listeners[0].tls.mode: Invalid value: tls mode must be set for protocol TLS');
    expect(gatewayError({ listeners: [{ name: 'h', protocol: GatewayProtocol.HTTPS, port: 443, tls: {} }] }))
      .toContain('spec.listeners[0].tls: Invalid value: certificateRefs or options must be specified when mode is Terminate');
    expect(gatewayError({ listeners: [{ name: 'db', protocol: GatewayProtocol.TCP, port: 5432, hostname: 'db.example.com' }] }))
      .toContain("spec.listeners[0].hostname: Invalid value: hostname must not be specified for protocols ['TCP', 'UDP']");
    const chart = newChart();
    new Gateway(chart, 'gw', { gatewayClassName: 'envoy', listeners: [{ name: 't', protocol: GatewayProtocol.TLS, port: 443, tls: { mode: GatewayTlsMode.PASSTHROUGH } }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('hostnames and class names', () => {
    expect(gatewayError({ listeners: [{ name: 'h', protocol: GatewayProtocol.HTTP, port: 80, hostname: '10.0.0.1:80' }] })).toContain('spec.listeners[0].hostname: Invalid value: "10.0.0.1:80"');
    const chart = newChart();
    new GatewayClass(chart, 'cls', { metadata: { name: 'c' }, controllerName: 'envoy' });
    expect(synthError(chart)).toContain('GatewayClass "c": spec.controllerName: Invalid value: "envoy": should match');
  });
});

describe('HTTPRoute validations (CRD schema, CEL, references)', () => {
  test('parentRefs: the listener must exist (name and port); several refs to one Gateway need distinct sectionNames', () => {
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 'http' })] }), (f) => [ParentRef.gateway(f.gateway, { sectionName: 'grpc' })]))
      .toContain('HTTPRoute "route": spec.parentRefs[0]: Gateway "public" has no listener named "grpc" (its listeners: http (HTTP 80), https (HTTPS 443)), so the route would not be Accepted (NoMatchingParent)');
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 'http' })] }), (f) => [ParentRef.gateway(f.gateway, { sectionName: 'http', port: 443 })]))
      .toContain('has no listener named "http" and on port 443');
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 'http' })] }), (f) => [f.gateway, ParentRef.gateway(f.gateway, { sectionName: 'https' })]))
      .toContain('spec.parentRefs[1]: Invalid value: sectionName must be specified when parentRefs includes 2 or more references to the same parent');
    const f = fixture();
    new HttpRoute(f.chart, 'route', { parentRefs: [ParentRef.gateway(f.gateway, { sectionName: 'http' }), ParentRef.gateway(f.gateway, { sectionName: 'https', port: 443 })], rules: [{ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] }] });
    expect(() => synth(f.chart)).not.toThrow();
  });

  test('path matches: absolute, no dot segments, no "#", only URL characters', () => {
    const withPath = (value: string, type?: HttpPathMatchType) => routeError((f) => ({ matches: [{ path: { value, type } }], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] }));
    expect(withPath('api')).toContain("spec.rules[0].matches[0].path: Invalid value: \"api\": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']");
    expect(withPath('/a/../b')).toContain("must not contain '/../'");
    expect(withPath('/a#b', HttpPathMatchType.EXACT)).toContain("must not contain '#'");
    expect(withPath('/a b')).toContain('must only contain valid characters');
    const f = fixture();
    new HttpRoute(f.chart, 'route', { parentRefs: [f.gateway], rules: [{ matches: [{ path: { value: '^/v[0-9]+', type: HttpPathMatchType.REGULAR_EXPRESSION } }, { path: { value: '/a%20b/~x' } }], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] }] });
    expect(() => synth(f.chart)).not.toThrow();
  });

  test('filters: redirect excludes backends and rewrites; core filters do not repeat; replacePrefixMatch needs one PathPrefix match', () => {
    expect(routeError((f) => ({ filters: [HttpRouteFilter.requestRedirect({ scheme: 'https' })], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] })))
      .toContain('spec.rules[0]: Invalid value: RequestRedirect filter must not be used together with backendRefs');
    expect(routeError(() => ({ filters: [HttpRouteFilter.requestRedirect({ scheme: 'https' }), HttpRouteFilter.urlRewrite({ hostname: 'a.example.com' })] })))
      .toContain('spec.rules[0].filters: Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both');
    expect(routeError((f) => ({
      filters: [HttpRouteFilter.requestHeaderModifier({ set: { a: '1' } }), HttpRouteFilter.requestHeaderModifier({ set: { b: '2' } })], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })],
    }))).toContain('spec.rules[0].filters: Invalid value: RequestHeaderModifier filter cannot be repeated');
    expect(routeError((f) => ({
      matches: [{ path: { value: '/old', type: HttpPathMatchType.EXACT } }], filters: [HttpRouteFilter.urlRewrite({ path: { replacePrefixMatch: '/new' } })], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })],
    }))).toContain('spec.rules[0]: Invalid value: When using a filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified');
    expect(routeError((f) => ({ filters: [HttpRouteFilter.requestHeaderModifier({ set: { 'bad header': 'x' } })], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] })))
      .toContain('spec.rules[0].filters[0].requestHeaderModifier.set[0].name: Invalid value: "bad header"');
    // The CRD's filter CEL rules run at synth too (lib/k8s/gateway-validation.ts).
    expect(routeError((f) => ({ filters: [HttpRouteFilter.requestMirror(f.web)], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] })))
      .toContain('spec.rules[0].filters[0].requestMirror.backendRef: Invalid value: Must have port for Service reference');
    const f = fixture();
    new HttpRoute(f.chart, 'route', { parentRefs: [f.gateway], rules: [{ matches: [{ path: { value: '/old' } }], filters: [HttpRouteFilter.urlRewrite({ path: { replacePrefixMatch: '/new' } })], backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] }] });
    expect(() => synth(f.chart)).not.toThrow();
  });

  test('backendRefs: the Service port must exist; weights 0..1000000; backendRequest <= request', () => {
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 'https' })] })))
      .toContain('HTTPRoute "route": spec.rules[0].backendRefs[0]: Service "web" has no port named "https" (its ports: http (80), metrics (9090))');
    const noPort = routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web)] }));
    expect(noPort).toContain('Service "web" has several ports (http (80), metrics (9090)), so the reference must name one');
    expect(noPort).toContain('spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference');
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80, weight: 2_000_000 })] })))
      .toContain('spec.rules[0].backendRefs[0].weight: Invalid value: 2000000: must be an integer from 0 to 1000000');
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })], timeouts: { request: Duration.seconds(5), backendRequest: Duration.seconds(10) } })))
      .toContain('spec.rules[0].timeouts: Invalid value: backendRequest timeout cannot be longer than request timeout');
    const f = fixture();
    new HttpRoute(f.chart, 'route', { parentRefs: [f.gateway], rules: [{ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80, weight: 0 }), HttpBackendRef.fromService(f.canary)], timeouts: { request: Duration.seconds(0), backendRequest: Duration.seconds(10) } }] });
    expect(() => synth(f.chart)).not.toThrow();
  });

  test('a GAMMA parent port must be a port of the Service', () => {
    expect(routeError((f) => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] }), (f) => [ParentRef.service(f.web, 'grpc')]))
      .toContain('HTTPRoute "route": spec.parentRefs[0]: Service "web" has no port named "grpc"');
  });

  test('limits: at most 16 rules, 16 hostnames', () => {
    const f = fixture();
    new HttpRoute(f.chart, 'route', {
      metadata: { name: 'route' }, parentRefs: [f.gateway],
      hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`),
      rules: Array.from({ length: 17 }, () => ({ backendRefs: [HttpBackendRef.fromService(f.web, { port: 80 })] })),
    });
    const error = synthError(f.chart);
    expect(error).toContain('spec.rules: Too many: 17: must have at most 16 items');
    expect(error).toContain('spec.hostnames: Too many: 17: must have at most 16 items');
  });
});

describe('ReferenceGrant validations', () => {
  test('needs from and to; a Service target must be in the grant\'s namespace', () => {
    const chart = newChart('backend');
    new ReferenceGrant(chart, 'g', { metadata: { name: 'g' }, from: [], to: [] });
    const error = synthError(chart);
    expect(error).toContain('ReferenceGrant "g": spec.from: Required value: must have at least 1 item');
    expect(error).toContain('spec.to: Required value');
    const app = Testing.app();
    const other = new Chart(app, 'other', { namespace: 'other' });
    const api = new Service(other, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 80 }] });
    const here = new Chart(app, 'here', { namespace: 'backend' });
    new ReferenceGrant(here, 'g', { metadata: { name: 'g' }, from: [ReferenceGrant.fromHttpRoutes('web')], to: [api] });
    expect(synthError(here)).toContain('ReferenceGrant "g": spec.to[0]: Service "api" is in namespace "other", but a ReferenceGrant only grants access to its own namespace ("backend")');
  });
});

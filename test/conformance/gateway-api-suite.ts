/**
 * The Gateway API v1.6.1 conformance tests' expectations (kubernetes-sigs/gateway-api
 * `conformance/tests/*.go` and their manifests), replayed through the L7 model. Each case is our
 * own encoding of one upstream test: the objects its manifest applies (written here, on the
 * shared `gateway-conformance-infra` base with backends infra-backend-v1..v3) and the requests
 * with the backend, status or redirect the upstream test expects. Used by the jest suite and by
 * `scripts/conformance-report.ts` (docs/conformance.md).
 */
import { Cluster } from '../../lib/engine/cluster';
import { L7Model, type HttpRequest, type L7Trace } from '../../lib/engine/l7';
import { syntheticProfile } from '../../lib/engine/profile';
import { fromObjects } from '../../lib/manifest';

type Json = Record<string, unknown>;

/** Conformance profiles (`conformance/utils/suite` ConformanceProfile names). */
export type Profile = 'GATEWAY-HTTP' | 'GATEWAY-GRPC' | 'GATEWAY-TLS' | 'MESH-HTTP';

/** One request of a case and what the upstream test expects. */
export interface Expectation {
  readonly request: HttpRequest;
  /** Backend Service name (without namespace) that must receive the request. */
  readonly backend?: string;
  /** Status the response must have (redirects, 404, 421, 500). */
  readonly status?: number;
  readonly location?: string;
  /** Headers the backend must see (lower-case names). */
  readonly upstreamHeaders?: Readonly<Record<string, string>>;
  readonly upstreamPath?: string;
}

/** One upstream conformance test. */
export interface ConformanceCase {
  /** The upstream ShortName. */
  readonly name: string;
  readonly profile: Profile;
  /** `core` or the extended feature the test needs (`SupportHTTPRouteBackendRequestRedirect`, ...). */
  readonly feature: 'core' | string;
  /** Objects the test applies, on top of the base. */
  readonly objects: readonly Json[];
  readonly expect: readonly Expectation[];
  /** Set for extended features we do not simulate: the case is skipped and reported. */
  readonly unsupported?: string;
}

const INFRA = 'gateway-conformance-infra';
const MESH = 'gateway-conformance-mesh';
const ns = (name: string): Json => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
function backend(name: string, namespace: string, port = 8080, appProtocol?: string): Json[] {
  const labels = { app: name };
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'echo', ports: [{ containerPort: 3000 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: labels, ports: [{ protocol: 'TCP', port, targetPort: 3000, ...(appProtocol ? { appProtocol } : {}) }] } },
  ];
}
const gw = (name: string, namespace: string, listeners: Json[]): Json => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'conformance', listeners } });
const kindOf = (kind: string, name: string, namespace: string, spec: Json): Json => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name, namespace }, spec });
const allNs = { namespaces: { from: 'All' } };
const secret = (name: string, namespace: string): Json => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });

/** The shared base (`conformance/base/manifests.yaml`): namespaces, class, the same-namespace and all-namespaces Gateways, backends. */
export const BASE: readonly Json[] = [
  ns(INFRA), ns('gateway-conformance-app-backend'), ns('gateway-conformance-web-backend'), ns(MESH), ns('gateway-conformance-mesh-consumer'),
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'conformance' }, spec: { controllerName: 'example.com/conformance' } },
  gw('same-namespace', INFRA, [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }]),
  gw('all-namespaces', INFRA, [{ name: 'http', port: 8080, protocol: 'HTTP', allowedRoutes: allNs }]),
  ...backend('infra-backend-v1', INFRA), ...backend('infra-backend-v2', INFRA), ...backend('infra-backend-v3', INFRA),
  ...backend('app-backend-v1', 'gateway-conformance-app-backend'), ...backend('web-backend', 'gateway-conformance-web-backend'),
  ...backend('grpc-infra-backend-v1', INFRA, 8080, 'kubernetes.io/h2c'), ...backend('grpc-infra-backend-v2', INFRA, 8080, 'kubernetes.io/h2c'),
  ...backend('tls-backend', INFRA, 443),
  ...backend('echo', MESH, 80), ...backend('echo-v1', MESH, 80), ...backend('echo-v2', MESH, 80),
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: MESH }, spec: { replicas: 1, selector: { matchLabels: { app: 'client' } }, template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c' }] } } } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'gateway-conformance-mesh-consumer' }, spec: { replicas: 1, selector: { matchLabels: { app: 'client' } }, template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c' }] } } } },
];

const sameNs = { parentRefs: [{ name: 'same-namespace' }] };
const to = (n: string, extra: Json = {}): Json => ({ name: `infra-backend-${n}`, port: 8080, ...extra });
const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ url: `http://gateway${path}`, ...extra });

/** The cases, grouped by profile; `feature` says core or the extended feature. */
export const CASES: readonly ConformanceCase[] = [
  // ---------------------------------------------------------------- GATEWAY-HTTP, core
  {
    name: 'HTTPRouteSimpleSameNamespace', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'gateway-conformance-infra-test', INFRA, { ...sameNs, rules: [{ backendRefs: [to('v1')] }] })],
    expect: [{ request: get('/'), backend: 'infra-backend-v1' }],
  },
  {
    name: 'HTTPRouteExactPathMatching', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'exact-matching', INFRA, { ...sameNs, rules: [
      { matches: [{ path: { type: 'Exact', value: '/one' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'Exact', value: '/two' } }], backendRefs: [to('v2')] },
    ] })],
    expect: [
      { request: get('/one'), backend: 'infra-backend-v1' }, { request: get('/two'), backend: 'infra-backend-v2' },
      { request: get('/'), status: 404 }, { request: get('/one/example'), status: 404 }, { request: get('/two/'), status: 404 }, { request: get('/Two'), status: 404 },
    ],
  },
  {
    name: 'HTTPRouteMatching', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'matching', INFRA, { ...sameNs, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [to('v1')] },
      { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }, { headers: [{ name: 'version', value: 'two' }] }], backendRefs: [to('v2')] },
    ] })],
    expect: [
      { request: get('/'), backend: 'infra-backend-v1' }, { request: get('/example'), backend: 'infra-backend-v1' },
      { request: get('/', { headers: { version: 'one' } }), backend: 'infra-backend-v1' },
      { request: get('/v2'), backend: 'infra-backend-v2' }, { request: get('/v2/example'), backend: 'infra-backend-v2' },
      { request: get('/', { headers: { version: 'two' } }), backend: 'infra-backend-v2' },
      { request: get('/v2example'), backend: 'infra-backend-v1' }, { request: get('/foo/v2/example'), backend: 'infra-backend-v1' },
    ],
  },
  {
    name: 'HTTPRouteHeaderMatching', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'header-matching', INFRA, { ...sameNs, rules: [
      { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'version', value: 'two' }] }], backendRefs: [to('v2')] },
      { matches: [{ headers: [{ name: 'version', value: 'two' }, { name: 'color', value: 'orange' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'color', value: 'blue' }] }, { headers: [{ name: 'color', value: 'green' }] }], backendRefs: [to('v1')] },
      { matches: [{ headers: [{ name: 'color', value: 'red' }] }, { headers: [{ name: 'color', value: 'yellow' }] }], backendRefs: [to('v2')] },
    ] })],
    expect: [
      { request: get('/', { headers: { Version: 'one' } }), backend: 'infra-backend-v1' },
      { request: get('/', { headers: { Version: 'two' } }), backend: 'infra-backend-v2' },
      { request: get('/', { headers: { Version: 'two', Color: 'orange' } }), backend: 'infra-backend-v1' },
      { request: get('/', { headers: { Color: 'blue' } }), backend: 'infra-backend-v1' },
      { request: get('/', { headers: { Color: 'green' } }), backend: 'infra-backend-v1' },
      { request: get('/', { headers: { Color: 'red' } }), backend: 'infra-backend-v2' },
      { request: get('/', { headers: { Color: 'yellow' } }), backend: 'infra-backend-v2' },
      { request: get('/', { headers: { Version: 'four', Color: 'purple' } }), status: 404 },
    ],
  },
  {
    name: 'HTTPRouteCrossNamespace', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'cross-namespace', 'gateway-conformance-web-backend', { parentRefs: [{ name: 'all-namespaces', namespace: INFRA }], rules: [{ backendRefs: [{ name: 'web-backend', port: 8080 }] }] })],
    expect: [{ request: { url: 'http://gateway:8080/' }, backend: 'web-backend' }],
  },
  {
    name: 'HTTPRouteInvalidCrossNamespaceBackendRef', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'invalid-cross-namespace-backend-ref', INFRA, { ...sameNs, rules: [{ backendRefs: [{ name: 'app-backend-v1', namespace: 'gateway-conformance-app-backend', port: 8080 }] }] })],
    expect: [{ request: get('/'), status: 500 }],
  },
  {
    name: 'HTTPRouteReferenceGrant', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [
      kindOf('HTTPRoute', 'reference-grant', INFRA, { ...sameNs, rules: [{ backendRefs: [{ name: 'web-backend', namespace: 'gateway-conformance-web-backend', port: 8080 }] }] }),
      { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'reference-grant', namespace: 'gateway-conformance-web-backend' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: INFRA }], to: [{ group: '', kind: 'Service', name: 'web-backend' }] } },
    ],
    expect: [{ request: get('/'), backend: 'web-backend' }],
  },
  {
    name: 'HTTPRouteInvalidNonExistentBackendRef', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'invalid-nonexistent-backend-ref', INFRA, { ...sameNs, rules: [{ backendRefs: [{ name: 'nonexistent', port: 8080 }] }] })],
    expect: [{ request: get('/'), status: 500 }],
  },
  {
    name: 'HTTPRouteHostnameIntersection', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [
      gw('httproute-hostname-intersection', INFRA, [
        { name: 'listener-1', port: 80, protocol: 'HTTP', hostname: 'very.specific.com' },
        { name: 'listener-2', port: 80, protocol: 'HTTP', hostname: '*.wildcard.io' },
        { name: 'listener-3', port: 80, protocol: 'HTTP', hostname: '*.anotherwildcard.io' },
      ]),
      kindOf('HTTPRoute', 'specific-host-matches-listener-specific-host', INFRA, { parentRefs: [{ name: 'httproute-hostname-intersection' }], hostnames: ['non.matching.com', '*.nonmatchingwildcard.io', 'very.specific.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/s1' } }], backendRefs: [to('v1')] }] }),
      kindOf('HTTPRoute', 'specific-host-matches-listener-wildcard-host', INFRA, { parentRefs: [{ name: 'httproute-hostname-intersection' }], hostnames: ['non.matching.com', 'wildcard.io', 'foo.wildcard.io', 'bar.wildcard.io', 'foo.bar.wildcard.io'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/s2' } }], backendRefs: [to('v2')] }] }),
      kindOf('HTTPRoute', 'wildcard-host-matches-listener-specific-host', INFRA, { parentRefs: [{ name: 'httproute-hostname-intersection' }], hostnames: ['non.matching.com', '*.specific.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/s3' } }], backendRefs: [to('v3')] }] }),
      kindOf('HTTPRoute', 'wildcard-host-matches-listener-wildcard-host', INFRA, { parentRefs: [{ name: 'httproute-hostname-intersection' }], hostnames: ['*.anotherwildcard.io'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/s4' } }], backendRefs: [to('v1')] }] }),
    ],
    expect: [
      { request: { url: 'http://very.specific.com/s1', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-1` }, backend: 'infra-backend-v1' },
      { request: { url: 'http://non.matching.com/s1', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-1` }, status: 404 },
      { request: { url: 'http://foo.wildcard.io/s2', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-2` }, backend: 'infra-backend-v2' },
      { request: { url: 'http://foo.bar.wildcard.io/s2', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-2` }, backend: 'infra-backend-v2' },
      { request: { url: 'http://wildcard.io/s2', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-2` }, status: 404 },
      { request: { url: 'http://very.specific.com/s3', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-1` }, backend: 'infra-backend-v3' },
      { request: { url: 'http://foo.anotherwildcard.io/s4', via: `gateway:${INFRA}/httproute-hostname-intersection/listener-3` }, backend: 'infra-backend-v1' },
    ],
  },
  {
    name: 'HTTPRouteRequestHeaderModifier', profile: 'GATEWAY-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'request-header-modifier', INFRA, { ...sameNs, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/set' } }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] } }], backendRefs: [to('v1')] }] })],
    expect: [{ request: get('/set', { headers: { 'Some-Other-Header': 'val' } }), backend: 'infra-backend-v1', upstreamHeaders: { 'x-header-set': 'set-overwrites-values', 'some-other-header': 'val' } }],
  },
  // ---------------------------------------------------------------- GATEWAY-HTTP, extended
  {
    name: 'HTTPRouteBackendRequestRedirect', profile: 'GATEWAY-HTTP', feature: 'SupportHTTPRouteBackendRequestRedirect',
    objects: [kindOf('HTTPRoute', 'backend-request-redirect', INFRA, { ...sameNs, rules: [{ backendRefs: [to('v1', { filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/redirected-full' } } }] })] }] })],
    expect: [{ request: get('/'), status: 302, location: 'http://gateway/redirected-full' }],
  },
  {
    name: 'HTTPRouteRedirectPath', profile: 'GATEWAY-HTTP', feature: 'SupportHTTPRoutePathRedirect',
    objects: [kindOf('HTTPRoute', 'redirect-path', INFRA, { ...sameNs, rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/original-prefix' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/replacement-prefix' } } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/full' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/full-path-replacement' } } }] },
    ] })],
    expect: [
      { request: get('/original-prefix/lemon'), status: 302, location: 'http://gateway/replacement-prefix/lemon' },
      { request: get('/full/path/original'), status: 302, location: 'http://gateway/full-path-replacement' },
    ],
  },
  {
    name: 'HTTPRouteHTTPSListenerDetectMisdirectedRequests', profile: 'GATEWAY-HTTP', feature: 'SupportGatewayHTTPSListenerDetectMisdirectedRequests',
    objects: [
      secret('tls-validity-checks-certificate', INFRA), secret('tls-second', INFRA),
      gw('gateway-https-misdirected', INFRA, [
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'example.org', tls: { certificateRefs: [{ name: 'tls-validity-checks-certificate' }] } },
        { name: 'https-second', port: 443, protocol: 'HTTPS', hostname: 'second-example.org', tls: { certificateRefs: [{ name: 'tls-second' }] } },
      ]),
      kindOf('HTTPRoute', 'https-first', INFRA, { parentRefs: [{ name: 'gateway-https-misdirected', sectionName: 'https' }], rules: [{ backendRefs: [to('v1')] }] }),
      kindOf('HTTPRoute', 'https-second', INFRA, { parentRefs: [{ name: 'gateway-https-misdirected', sectionName: 'https-second' }], rules: [{ backendRefs: [to('v2')] }] }),
    ],
    expect: [
      { request: { url: 'https://example.org/' }, backend: 'infra-backend-v1' },
      { request: { url: 'https://second-example.org/' }, backend: 'infra-backend-v2' },
      { request: { url: 'https://example.org/', headers: { host: 'second-example.org' } }, status: 421 },
      { request: { url: 'https://second-example.org/', headers: { host: 'example.org' } }, status: 421 },
    ],
  },
  {
    name: 'HTTPRouteRequestMirror', profile: 'GATEWAY-HTTP', feature: 'SupportHTTPRouteRequestMirror', unsupported: 'mirrored copies are described in the trace, not traced to their backend',
    objects: [], expect: [],
  },
  {
    name: 'BackendTLSPolicy', profile: 'GATEWAY-HTTP', feature: 'SupportBackendTLSPolicy', unsupported: 'the Gateway-to-backend TLS handshake (CA and SAN validation) is not simulated; the trace only notes the policy',
    objects: [], expect: [],
  },
  // ---------------------------------------------------------------- GATEWAY-GRPC
  {
    name: 'GRPCExactMethodMatching', profile: 'GATEWAY-GRPC', feature: 'core',
    objects: [kindOf('GRPCRoute', 'exact-matching', INFRA, { ...sameNs, rules: [
      { matches: [{ method: { service: 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho', method: 'Echo' } }], backendRefs: [{ name: 'grpc-infra-backend-v1', port: 8080 }] },
      { matches: [{ method: { service: 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho', method: 'EchoTwo' } }], backendRefs: [{ name: 'grpc-infra-backend-v2', port: 8080 }] },
    ] })],
    expect: [
      { request: { url: 'grpc://gateway/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/Echo' }, backend: 'grpc-infra-backend-v1' },
      { request: { url: 'grpc://gateway/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/EchoTwo' }, backend: 'grpc-infra-backend-v2' },
      { request: { url: 'grpc://gateway/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/EchoThree' }, status: 404 },
    ],
  },
  {
    name: 'GRPCRouteHeaderMatching', profile: 'GATEWAY-GRPC', feature: 'core',
    objects: [kindOf('GRPCRoute', 'grpc-header-matching', INFRA, { ...sameNs, rules: [
      { matches: [{ headers: [{ name: 'version', value: 'one' }] }], backendRefs: [{ name: 'grpc-infra-backend-v1', port: 8080 }] },
      { matches: [{ headers: [{ name: 'version', value: 'two' }] }], backendRefs: [{ name: 'grpc-infra-backend-v2', port: 8080 }] },
    ] })],
    expect: [
      { request: { url: 'grpc://gateway/svc.S/M', headers: { version: 'one' } }, backend: 'grpc-infra-backend-v1' },
      { request: { url: 'grpc://gateway/svc.S/M', headers: { version: 'two' } }, backend: 'grpc-infra-backend-v2' },
      { request: { url: 'grpc://gateway/svc.S/M', headers: { version: 'three' } }, status: 404 },
    ],
  },
  {
    name: 'GRPCRouteWeight', profile: 'GATEWAY-GRPC', feature: 'core',
    objects: [kindOf('GRPCRoute', 'weighted-backends', INFRA, { ...sameNs, rules: [{ backendRefs: [{ name: 'grpc-infra-backend-v1', port: 8080, weight: 70 }, { name: 'grpc-infra-backend-v2', port: 8080, weight: 30 }] }] })],
    expect: [{ request: { url: 'grpc://gateway/svc.S/M' }, backend: 'grpc-infra-backend-v1' }],
  },
  // ---------------------------------------------------------------- GATEWAY-TLS
  {
    name: 'TLSRouteSimpleSameNamespace', profile: 'GATEWAY-TLS', feature: 'core',
    objects: [
      gw('gateway-tlsroute', INFRA, [{ name: 'https', port: 443, protocol: 'TLS', hostname: '*.example.com', tls: { mode: 'Passthrough' } }]),
      kindOf('TLSRoute', 'gateway-conformance-infra-test', INFRA, { parentRefs: [{ name: 'gateway-tlsroute' }], hostnames: ['abc.example.com'], rules: [{ backendRefs: [{ name: 'tls-backend', port: 443 }] }] }),
    ],
    expect: [{ request: { url: 'tls://abc.example.com:443' }, backend: 'tls-backend' }, { request: { url: 'tls://other.example.com:443' }, status: 0 }],
  },
  // ---------------------------------------------------------------- MESH-HTTP
  {
    name: 'MeshBasic', profile: 'MESH-HTTP', feature: 'core', objects: [],
    expect: [{ request: { url: 'http://echo/', from: { pod: `${MESH}/client` } }, backend: 'echo' }],
  },
  {
    name: 'MeshSplit', profile: 'MESH-HTTP', feature: 'core',
    objects: [kindOf('HTTPRoute', 'mesh-split', MESH, { parentRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }], rules: [
      { matches: [{ path: { type: 'Exact', value: '/v1' } }], backendRefs: [{ name: 'echo-v1', port: 80 }] },
      { matches: [{ path: { type: 'Exact', value: '/v2' } }], backendRefs: [{ name: 'echo-v2', port: 80 }] },
    ] })],
    expect: [
      { request: { url: 'http://echo/v1', from: { pod: `${MESH}/client` } }, backend: 'echo-v1' },
      { request: { url: 'http://echo/v2', from: { pod: `${MESH}/client` } }, backend: 'echo-v2' },
    ],
  },
  {
    name: 'MeshConsumerRoute', profile: 'MESH-HTTP', feature: 'SupportMeshConsumerRoute',
    objects: [kindOf('HTTPRoute', 'mesh-consumer-route', 'gateway-conformance-mesh-consumer', { parentRefs: [{ group: '', kind: 'Service', name: 'echo-v1', namespace: MESH, port: 80 }], rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Header-Set', value: 'set' }] } }], backendRefs: [{ name: 'echo-v1', namespace: MESH, port: 80 }] }] })],
    expect: [
      { request: { url: `http://echo-v1.${MESH}/`, from: { pod: 'gateway-conformance-mesh-consumer/client' } }, backend: 'echo-v1', upstreamHeaders: { 'x-header-set': 'set' } },
      { request: { url: `http://echo-v1.${MESH}/`, from: { pod: `${MESH}/client` } }, backend: 'echo-v1' },
    ],
  },
];

/** The outcome of one expectation. */
export interface Outcome { readonly ok: boolean; readonly detail: string }

/** The first pod of a Deployment `ns/name` (mesh clients are named by Deployment in the cases). */
function podOf(model: L7Model, key: string): string {
  if (model.state.pods.has(key)) return key;
  const [ns, name] = key.split('/');
  for (const p of model.state.pods.values()) if (p.namespace === ns && p.name.startsWith(`${name}-`)) return `${p.namespace}/${p.name}`;
  return key;
}

/** Build the case's cluster and check every expectation. */
export function runCase(c: ConformanceCase): Outcome[] {
  const loaded = fromObjects([...BASE, ...c.objects], c.name);
  if (loaded.errors.length > 0) return [{ ok: false, detail: loaded.errors.map(String).join('; ') }];
  const model = L7Model.build(Cluster.build(loaded.objects, syntheticProfile()), { l4: false });
  return c.expect.map((e) => {
    const from = e.request.from && 'pod' in e.request.from ? { pod: podOf(model, e.request.from.pod) } : e.request.from;
    const t = model.request({ ...e.request, ...(from ? { from } : {}) });
    return check(e, t);
  });
}

function check(e: Expectation, t: L7Trace): Outcome {
  const got = t.response ? `${t.response.status} ${t.response.location ?? ''}` : t.ok ? t.backends.filter((b) => b.probability > 0).map((b) => b.service).join(',') : `${t.failure?.status ?? 0} ${t.failure?.code}`;
  const fail = (why: string): Outcome => ({ ok: false, detail: `${e.request.url}: ${why} (got ${got})` });
  if (e.backend !== undefined) {
    if (!t.ok || t.response) return fail(`expected backend ${e.backend}`);
    const top = [...t.backends].filter((b) => !b.invalid).sort((a, b) => b.probability - a.probability)[0];
    if (!top || top.service.split('/')[1] !== e.backend) return fail(`expected backend ${e.backend}`);
  }
  if (e.status !== undefined) {
    const status = t.response?.status ?? t.failure?.status ?? (t.errorProbability === 1 ? t.backends.find((b) => b.invalid)?.status : undefined) ?? (t.ok ? 200 : 0);
    if (status !== e.status) return fail(`expected status ${e.status}`);
  }
  if (e.location !== undefined && t.response?.location !== e.location) return fail(`expected Location ${e.location}`);
  for (const [k, v] of Object.entries(e.upstreamHeaders ?? {})) if (t.upstream?.headers[k] !== v) return fail(`expected upstream header ${k}: ${v}`);
  if (e.upstreamPath !== undefined && t.upstream?.path !== e.upstreamPath) return fail(`expected upstream path ${e.upstreamPath}`);
  return { ok: true, detail: `${e.request.url}: ${got}` };
}

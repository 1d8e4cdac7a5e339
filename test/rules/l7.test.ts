/**
 * The L7 rule modules: shadowed-match detection over the L7 model's sample requests (and the
 * near misses it must not report), Istio protocol selection, message clean-up, admission checks
 * that meet unexpected field types (the checks themselves: test/k8s/l7-validation.test.ts).
 */
import { fromObjects } from '../../lib/manifest';
import { RuleContext, runRules } from '../../lib/rules';
import { meshProtocol } from '../../lib/rules/l7/mesh-protocol';
import { withoutPath, withoutSubject } from '../../lib/rules/l7/problems';
import { shadowedMatches } from '../../lib/rules/l7/shadow';
import type { ServicePortInfo } from '../../lib/engine/model';
import { app, gateway, gatewayClass, httpRoute, istio, svc } from '../engine/l7/helpers';

type Json = Record<string, unknown>;

function context(objs: unknown[]): RuleContext {
  const r = fromObjects(objs, 'test');
  expect(r.errors.map(String)).toEqual([]);
  return new RuleContext(r.objects);
}

function violations(objs: unknown[], ruleId: string): string[] {
  const r = fromObjects(objs, 'test');
  return runRules(r.objects).violations.filter((v) => v.ruleId === ruleId).map((v) => `${v.object.name} ${v.path}: ${v.message}`);
}

/** Shadowed matches as `kind name rule/match@entry host`. */
function shadowed(objs: unknown[]): string[] {
  return shadowedMatches(context(objs).l7).flatMap((s) => s.places.map((p) => `${s.kind} ${s.object.name} ${s.rule}/${s.match ?? '-'} ${p.entry === 'mesh' ? 'mesh' : p.host}${s.winningPlaces > 0 ? ' (wins elsewhere)' : ''}`)).sort();
}

const NS = { namespace: 'shop' };
const backends: unknown[] = [app('web', 1, {}, 'shop'), svc('web', 'web', NS), app('api', 1, {}, 'shop'), svc('api', 'api', NS)];
const gw = [gatewayClass, gateway('public', [{ name: 'http', port: 80, protocol: 'HTTP' }], NS)];
const parent = { parentRefs: [{ name: 'public' }] };
const to = (name: string) => [{ name, port: 80 }];
const prefix = (value: string, extra: Json = {}) => ({ path: { type: 'PathPrefix', value }, ...extra });

describe('shadowed matches (Gateway API)', () => {
  test('an identical match in a younger route never wins; the older route is not reported', () => {
    expect(shadowed([...backends, ...gw,
      httpRoute('a', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('web') }] }, NS),
      httpRoute('b', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('api') }] }, NS),
    ])).toEqual(['HTTPRoute b 0/0 *']);
  });

  test('creation timestamps decide, and then the message does not call it order-dependent', () => {
    const objs = [...backends, ...gw,
      httpRoute('a', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('web') }] }, { ...NS, creationTimestamp: '2026-02-01T00:00:00Z' }),
      httpRoute('b', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('api') }] }, { ...NS, creationTimestamp: '2026-01-01T00:00:00Z' }),
    ];
    expect(shadowed(objs)).toEqual(['HTTPRoute a 0/0 *']);
    const [message] = violations(objs, 'route-match-shadowed');
    expect(message).toMatch(/^a spec\.rules\[0\]\.matches\[0\]: rule\[0\] match\[0\] \(PathPrefix \/api\) never wins on gateway:shop\/public\/http for host \*: http:\/\/netkit-probe\.invalid\/api goes to HTTPRoute shop\/b rule\[0\] match\[0\]/);
    expect(message).not.toMatch(/creation order/);
  });

  test('near misses: a method, a header or a longer prefix elsewhere only take part of the requests', () => {
    expect(shadowed([...backends, ...gw,
      httpRoute('a', { ...parent, rules: [
        { matches: [prefix('/api', { method: 'GET' })], backendRefs: to('web') },
        { matches: [prefix('/api', { headers: [{ name: 'x-env', value: 'canary' }] })], backendRefs: to('web') },
        { matches: [prefix('/api/v2')], backendRefs: to('web') },
        { matches: [{ path: { type: 'Exact', value: '/api' } }], backendRefs: to('web') },
      ] }, NS),
      httpRoute('b', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('api') }] }, NS),
    ])).toEqual([]);
  });

  test('one of two matches shadowed: only that match is reported', () => {
    expect(shadowed([...backends, ...gw,
      httpRoute('a', { ...parent, rules: [{ matches: [prefix('/api')], backendRefs: to('web') }] }, NS),
      httpRoute('b', { ...parent, rules: [{ matches: [prefix('/api'), prefix('/b')], backendRefs: to('api') }] }, NS),
    ])).toEqual(['HTTPRoute b 0/0 *']);
  });

  test('shadowed on one hostname but not on another: reported for that host, and said to win elsewhere', () => {
    expect(shadowed([...backends, ...gw,
      httpRoute('a', { ...parent, hostnames: ['a.example.com'], rules: [{ matches: [prefix('/')], backendRefs: to('web') }] }, NS),
      httpRoute('b', { ...parent, hostnames: ['a.example.com', 'b.example.com'], rules: [{ matches: [prefix('/')], backendRefs: to('api') }] }, NS),
    ])).toEqual(['HTTPRoute b 0/0 a.example.com (wins elsewhere)']);
  });

  test('GAMMA: two routes on one Service in the mesh; the place is the Service called', () => {
    const gamma = { parentRefs: [{ group: '', kind: 'Service', name: 'web' }] };
    const objs = [...backends,
      httpRoute('a', { ...gamma, rules: [{ matches: [prefix('/x')], backendRefs: to('api') }] }, NS),
      httpRoute('b', { ...gamma, rules: [{ matches: [prefix('/x')], backendRefs: to('web') }, { backendRefs: to('web') }] }, NS),
    ];
    expect(shadowed(objs)).toEqual(['HTTPRoute b 0/0 mesh']);
    expect(violations(objs, 'route-match-shadowed')).toEqual([expect.stringMatching(/^b spec\.rules\[0\]\.matches\[0\]: .* never wins in the mesh for web\.shop\.svc\.cluster\.local: http:\/\/web\.shop\.svc\.cluster\.local\/x goes to HTTPRoute shop\/a/)]);
  });

  test('regular-expression matches are never judged, nor said to shadow others (their precedence is implementation-specific)', () => {
    expect(shadowed([...backends, ...gw,
      httpRoute('a', { ...parent, rules: [{ matches: [prefix('/')], backendRefs: to('web') }] }, NS),
      httpRoute('b', { ...parent, rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/.*' } }], backendRefs: to('api') }] }, NS),
    ])).toEqual([]);
  });
});

describe('shadowed matches (Istio)', () => {
  const vs = (http: Json[], extra: Json = {}) => istio('VirtualService', 'web', { hosts: ['web'], http, ...extra }, NS);
  const dest = (host: string) => [{ destination: { host } }];

  test('first match wins: a duplicate match and everything after a catch-all never win; the catch-all is not reported', () => {
    expect(shadowed([...backends, vs([
      { match: [{ uri: { prefix: '/a' } }], route: dest('web') },
      { match: [{ uri: { prefix: '/a' } }, { uri: { prefix: '/b' } }], route: dest('api') },
      { route: dest('web') },
      { match: [{ uri: { prefix: '/c' } }], route: dest('api') },
    ])])).toEqual(['VirtualService web 1/0 mesh', 'VirtualService web 3/0 mesh']);
  });

  test('an exact path first does not shadow the prefix after it; nor do headers', () => {
    expect(shadowed([...backends, vs([
      { match: [{ uri: { exact: '/a' } }], route: dest('web') },
      { match: [{ headers: { 'x-beta': { exact: '1' } } }], route: dest('web') },
      { match: [{ uri: { prefix: '/a' } }], route: dest('api') },
      { route: dest('web') },
    ])])).toEqual([]);
  });

  test('matches on source labels are not judged', () => {
    expect(shadowed([...backends, vs([
      { route: dest('web') },
      { match: [{ sourceLabels: { app: 'api' } }], route: dest('api') },
    ])])).toEqual([]);
  });

  test('gateway-bound VirtualServices are probed through the gateway server', () => {
    const igw = istio('Gateway', 'public', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, NS);
    expect(shadowed([...backends, igw, istio('VirtualService', 'edge', { hosts: ['shop.example.com'], gateways: ['public'], http: [
      { match: [{ uri: { prefix: '/' } }], route: dest('web') },
      { match: [{ uri: { prefix: '/api' } }], route: dest('api') },
    ] }, NS)])).toEqual(['VirtualService edge 1/0 shop.example.com']);
  });
});

describe('Istio protocol selection (ConvertProtocol)', () => {
  const port = (p: Partial<ServicePortInfo>): ServicePortInfo => ({ name: '', port: 80, protocol: 'TCP', targetPort: 80, ...p });
  test.each([
    [{ name: 'http' }, 'http', 'name'],
    [{ name: 'HTTP-web' }, 'http', 'name'],
    [{ name: 'grpc-web-ui' }, 'grpc-web', 'name'],
    [{ name: 'grpc-api' }, 'grpc', 'name'],
    [{ name: 'tcp-db' }, 'tcp', 'name'],
    [{ name: 'web' }, 'auto', 'none'],
    [{ name: '' }, 'auto', 'none'],
    [{ name: 'tcp', appProtocol: 'http' }, 'http', 'appProtocol'],
    [{ name: 'http', appProtocol: 'kubernetes.io/h2c' }, 'http2', 'appProtocol'],
    [{ name: 'x', appProtocol: 'kubernetes.io/wss' }, 'https', 'appProtocol'],
    [{ name: 'http', protocol: 'UDP' as const }, 'udp', 'protocol'],
  ])('%j -> %s from %s', (p, protocol, from) => {
    expect(meshProtocol(port(p))).toEqual({ protocol, from });
  });
});

describe('messages', () => {
  test('the model\'s subject and a leading field already in the path are dropped', () => {
    const ref = { kind: 'HTTPRoute', namespace: 'shop', name: 'web' };
    expect(withoutSubject('HTTPRoute shop/web spec.rules[0]: x', ref)).toBe('spec.rules[0]: x');
    expect(withoutSubject('HTTPRoute shop/web: x', ref)).toBe('x');
    expect(withoutSubject('something else', ref)).toBe('something else');
    expect(withoutPath('spec.rules[0].backendRefs[1]: Service x does not exist', 'spec.rules[0].backendRefs[1]')).toBe('Service x does not exist');
    expect(withoutPath('spec.defaultBackend: no port', 'spec.defaultBackend.service.port')).toBe('no port');
    expect(withoutPath('host a: no', 'spec.tls[0].hosts')).toBe('host a: no');
  });

  test('virtualservice-host-unresolved reads the model\'s vs-host-unknown problems, one finding each', () => {
    const igw = istio('Gateway', 'public', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/*.example.com'] }] }, NS);
    expect(violations([...backends, igw, istio('VirtualService', 'edge', { hosts: ['shop.other.org'], gateways: ['public'], http: [{ route: [{ destination: { host: 'web' } }] }] }, NS),
      istio('VirtualService', 'ghost', { hosts: ['ghost'], http: [{ route: [{ destination: { host: 'web' } }] }] }, NS)], 'virtualservice-host-unresolved')).toEqual([
      'edge spec.gateways[0]: none of its hosts (shop.other.org) is among the hosts Gateway shop/public serves to namespace shop (shop/*.example.com): the gateway never hands it a request (IST0132)',
      'ghost spec.hosts[0]: host ghost (ghost.shop.svc.cluster.local) is no Service in namespace shop (short names are read in the VirtualService\'s namespace) and no ServiceEntry host: it resolves to nothing, so the sidecars never apply these routes',
    ]);
  });
});

describe('admission checks', () => {
  test('a field of an unexpected type is a finding, not a crash', () => {
    const broken = gateway('public', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: 'shop-cert' } }], NS);
    const r = runRules(fromObjects([gatewayClass, broken], 'test').objects);
    expect(r.crashes).toEqual([]);
    expect(r.violations.filter((v) => v.ruleId === 'gateway-invalid').map((v) => v.message)).toEqual([expect.stringMatching(/could not be checked/)]);
  });

  test('an object the L7 model cannot read is reported when the checks find nothing more specific', () => {
    const bad = istio('DestinationRule', 'web', { host: 'web', subsets: 'v1' }, NS);
    expect(violations([...backends, bad], 'istio-invalid')).toEqual([expect.stringMatching(/^web spec\.subsets: .*left out of L7 routing/)]);
  });

  test('the L7 model is built once per run', () => {
    const ctx = context([...backends]);
    expect(ctx.l7).toBe(ctx.l7);
  });
});

describe('Ingress profile per class in the validator', () => {
  const cls = (name: string, controller: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller } });
  const ing = (name: string, className: string) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop' },
    spec: { ingressClassName: className, rules: [{ host: `${className}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  });

  test('the rules see each class with its controller\'s profile, as the engine does by default', () => {
    const objs = [...backends, cls('nginx', 'k8s.io/ingress-nginx'), cls('haproxy', 'haproxy.org/ingress-controller'), ing('a', 'nginx'), ing('b', 'nginx'), ing('c', 'haproxy'), ing('d', 'haproxy')];
    expect(context(objs).l7.entryPoints().filter((e) => e.kind === 'ingress-class').map((e) => `${e.name} ${e.ingressProfile}`)).toEqual(['nginx ingress-nginx', 'haproxy spec']);
    expect(violations(objs, 'ingress-duplicate-path')).toEqual([
      'b spec.rules[0].http.paths[0].path: host nginx.example.com path / (Prefix) is also defined by Ingress shop/a; ingress-nginx keeps the oldest Ingress\'s path (its admission webhook rejects the duplicate)',
      'd spec.rules[0].http.paths[0].path: host haproxy.example.com path / (Prefix) is also defined by Ingress shop/c; which one serves it is left to the controller',
    ]);
  });
});

import { Chart, Duration, Testing } from 'cdk8s';
import {
  Deployment, DestinationRule, IstioDestination, IstioGateway, IstioLoadBalancer, IstioProtocol, IstioServerTlsMode, MESH_GATEWAY, Service, ServiceEntry,
  ServiceEntryResolution, VirtualService, VirtualServiceHttpRoute,
} from '../../../lib';
import { findObject, newChart, synth, synthError } from '../../support/synth';

interface Mesh { chart: Chart; reviews: Service; rule: DestinationRule }

/** A chart with a reviews Service and a DestinationRule with subsets v1 and v2. */
function mesh(): Mesh {
  const chart = newChart('bookinfo');
  const reviews = new Service(chart, 'reviews', { metadata: { name: 'reviews' }, selector: { app: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  const rule = new DestinationRule(chart, 'rule', { metadata: { name: 'reviews' }, host: reviews });
  rule.addSubset('v1', { version: 'v1' });
  rule.addSubset('v2', { version: 'v2' });
  return { chart, reviews, rule };
}

function vsError(routes: (m: Mesh) => VirtualServiceHttpRoute[], props: Partial<ConstructorParameters<typeof VirtualService>[2]> = {}): string {
  const m = mesh();
  new VirtualService(m.chart, 'vs', { metadata: { name: 'vs' }, hosts: [m.reviews], http: routes(m), ...props });
  return synthError(m.chart);
}

describe('Istio synthesis', () => {
  test('VirtualService: hosts and destinations by Service (short name in-namespace), subsets, weights, header matches, timeouts', () => {
    const m = mesh();
    const gateway = new IstioGateway(m.chart, 'gw', { metadata: { name: 'bookinfo-gateway' }, servers: [{ port: { number: 80, name: 'http', protocol: IstioProtocol.HTTP }, hosts: ['*'] }] });
    const vs = new VirtualService(m.chart, 'vs', { metadata: { name: 'reviews' }, hosts: [m.reviews], gateways: [gateway, MESH_GATEWAY] });
    vs.addHttpRoute({ name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: IstioDestination.subset(m.rule, 'v2') }], timeout: Duration.millis(1500) });
    vs.addHttpRoute({
      route: [{ destination: IstioDestination.subset(m.rule, 'v1', { port: 'http' }), weight: 80 }, { destination: IstioDestination.service(m.reviews, { subset: 'v2' }), weight: 20 }],
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
    });
    expect(findObject(synth(m.chart), 'VirtualService', 'reviews').spec).toEqual({
      hosts: ['reviews'],
      gateways: ['bookinfo-gateway', 'mesh'],
      http: [
        { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }], timeout: '1.5s' },
        {
          route: [{ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 80 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 20 }],
          retries: { attempts: 3, perTryTimeout: '2s' },
        },
      ],
    });
  });

  test('references across namespaces use FQDNs and <namespace>/<gateway>', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const ratings = new Service(backend, 'ratings', { metadata: { name: 'ratings' }, selector: { app: 'ratings' }, ports: [{ port: 9080 }] });
    const infra = new Chart(app, 'infra', { namespace: 'istio-system' });
    const gw = new IstioGateway(infra, 'gw', { metadata: { name: 'public' }, servers: [{ port: { number: 80, name: 'http', protocol: IstioProtocol.HTTP }, hosts: ['*'] }] });
    const front = new Chart(app, 'front', { namespace: 'front' });
    new VirtualService(front, 'vs', { metadata: { name: 'ratings' }, hosts: ['ratings.example.com'], gateways: [gw], http: [{ route: [{ destination: IstioDestination.service(ratings) }] }] });
    new DestinationRule(front, 'dr', { metadata: { name: 'ratings' }, host: ratings });
    const objects = Testing.synth(front) as never;
    expect(findObject(objects, 'VirtualService', 'ratings').spec).toEqual({
      hosts: ['ratings.example.com'], gateways: ['istio-system/public'], http: [{ route: [{ destination: { host: 'ratings.backend.svc.cluster.local' } }] }],
    });
    expect(findObject(objects, 'DestinationRule', 'ratings').spec).toEqual({ host: 'ratings.backend.svc.cluster.local' });
  });

  test('DestinationRule: subsets from labels or a workload, traffic policies with durations', () => {
    const chart = newChart('bookinfo');
    const v3 = new Deployment(chart, 'v3', { podLabels: { app: 'reviews', version: 'v3' }, containers: [{ name: 'r', image: 'reviews:v3' }] });
    const rule = new DestinationRule(chart, 'rule', {
      metadata: { name: 'reviews' }, host: 'reviews',
      trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: Duration.seconds(60) } } }, outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5) } },
    });
    rule.addSubset('v3', v3, { loadBalancer: IstioLoadBalancer.ROUND_ROBIN });
    expect(findObject(synth(chart), 'DestinationRule', 'reviews').spec).toEqual({
      host: 'reviews',
      trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '60s' } } }, outlierDetection: { consecutive5xxErrors: 3, interval: '5s' } },
      subsets: [{ name: 'v3', labels: { app: 'reviews', version: 'v3' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }],
    });
  });

  test('Gateway selects the default ingress gateway; ServiceEntry renders hosts, ports and endpoints', () => {
    const chart = newChart('mesh');
    new IstioGateway(chart, 'gw', { metadata: { name: 'gw' }, servers: [{ port: { number: 443, name: 'https', protocol: IstioProtocol.HTTPS }, hosts: ['shop.example.com'], tls: { mode: IstioServerTlsMode.SIMPLE, credentialName: 'shop-tls' } }] });
    new ServiceEntry(chart, 'se', {
      metadata: { name: 'payments' }, hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'https', protocol: IstioProtocol.TLS }],
      resolution: ServiceEntryResolution.DNS, endpoints: [{ address: 'eu.payments.example.com', ports: { https: 8443 } }],
    });
    const objects = synth(chart);
    expect(findObject(objects, 'Gateway', 'gw').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } }],
    });
    expect(findObject(objects, 'ServiceEntry', 'payments').spec).toEqual({
      hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: 'DNS',
      endpoints: [{ address: 'eu.payments.example.com', ports: { https: 8443 } }],
    });
  });
});

describe('VirtualService validations (Istio webhook)', () => {
  test('a subset that the DestinationRule does not define is reported; a defined one passes', () => {
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.subset(m.rule, 'v3') }] }]))
      .toContain('[test/vs] VirtualService "vs": spec.http[0].route[0].destination: DestinationRule "reviews" has no subset "v3" (its subsets: v1, v2), so requests routed here get 503');
    const m = mesh();
    new VirtualService(m.chart, 'vs', { hosts: [m.reviews], http: [{ route: [{ destination: IstioDestination.subset(m.rule, 'v2') }] }] });
    expect(() => synth(m.chart)).not.toThrow();
  });

  test('a route needs destinations, a redirect or a direct response, and not two of them', () => {
    expect(vsError(() => [{ match: [{ uri: { prefix: '/x' } }] }])).toContain('spec.http[0]: Required value: HTTP route, redirect or direct_response is required');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }], redirect: { uri: '/y' } }]))
      .toContain('spec.http[0]: Invalid value: HTTP route cannot contain both route and redirect');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }], directResponse: { status: 503 } }]))
      .toContain('HTTP route cannot contain both route and direct_response');
    expect(vsError(() => [{ directResponse: { status: 700 } }])).toContain('spec.http[0].directResponse.status: Invalid value: HTTP status 700 is not in range 200-599');
  });

  test('weights: non-negative, and not all zero with several destinations', () => {
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.subset(m.rule, 'v1'), weight: 0 }, { destination: IstioDestination.subset(m.rule, 'v2'), weight: 0 }] }]))
      .toContain('spec.http[0].route: Invalid value: total destination weight = 0');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.subset(m.rule, 'v1'), weight: -1 }, { destination: IstioDestination.subset(m.rule, 'v2'), weight: 101 }] }]))
      .toContain('spec.http[0].route[0].weight: Invalid value: weight -1 < 0');
    const m = mesh();
    // Weights need not add up to 100 (they are relative shares).
    new VirtualService(m.chart, 'vs', { hosts: [m.reviews], http: [{ route: [{ destination: IstioDestination.subset(m.rule, 'v1'), weight: 3 }, { destination: IstioDestination.subset(m.rule, 'v2'), weight: 1 }] }] });
    expect(() => synth(m.chart)).not.toThrow();
  });

  test('hosts: required, "*" only for gateways, no overlapping duplicates', () => {
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }] }], { hosts: [] })).toContain('spec.hosts: Required value');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }] }], { hosts: ['*'] }))
      .toContain('spec.hosts[0]: Invalid value: wildcard host * is not allowed for virtual services bound to the mesh gateway');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }] }], { hosts: ['*.example.com', 'shop.example.com'] }))
      .toContain('spec.hosts: Invalid value: duplicate hosts in virtual service: *.example.com & shop.example.com');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }] }], { hosts: ['bad_host.example.com'] }))
      .toContain('spec.hosts[0]: Invalid value: domain name "bad_host.example.com" invalid (label "bad_host" invalid)');
    const m = mesh();
    new VirtualService(m.chart, 'vs', { hosts: ['*'], gateways: ['istio-system/public'], http: [{ route: [{ destination: IstioDestination.service(m.reviews) }] }] });
    expect(() => synth(m.chart)).not.toThrow();
  });

  test('matches, ports, gateways and regexes', () => {
    expect(vsError((m) => [{ match: [{ uri: { regex: '(' } }], route: [{ destination: IstioDestination.service(m.reviews) }] }]))
      .toContain('spec.http[0].match[0].uri: Invalid value: "(":');
    expect(vsError((m) => [{ match: [{ uri: { prefix: '' } }], route: [{ destination: IstioDestination.service(m.reviews) }] }]))
      .toContain('prefix string match should not be empty');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews, { port: 'grpc' }) }] }]))
      .toContain('spec.http[0].route[0].destination: Service "reviews" has no port named "grpc" (its ports: http (9080))');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.service(m.reviews) }] }], { gateways: ['istio-system/Public'] }))
      .toContain('spec.gateways[0]: Invalid value: invalid value for gateway name: "Public"');
    expect(vsError((m) => [{ route: [{ destination: IstioDestination.host('*') }] }, { route: [{ destination: IstioDestination.service(m.reviews) }] }]))
      .toContain('spec.http[0].route[0].destination.host: Invalid value: "*": invalid destination host *');
  });
});

describe('DestinationRule, Gateway and ServiceEntry validations', () => {
  test('DestinationRule: unique valid subset names, valid labels, no empty policies', () => {
    const chart = newChart('bookinfo');
    const rule = new DestinationRule(chart, 'rule', { metadata: { name: 'r' }, host: 'reviews', trafficPolicy: {} });
    rule.addSubset('v1', { version: 'v1' });
    rule.addSubset('v1', { version: 'v1' });
    rule.addSubset('V_2', { 'bad key!': 'x' });
    rule.addSubset('v3', { version: 'v3' }, { loadBalancer: { consistentHash: { httpCookie: { name: '' } } } });
    const error = synthError(chart);
    expect(error).toContain('DestinationRule "r": spec.trafficPolicy: Invalid value: traffic policy must have at least one field');
    expect(error).toContain('spec.subsets[1].name: Duplicate value: duplicate subset names: v1');
    expect(error).toContain('spec.subsets[2].name: Invalid value: subset name is invalid: V_2');
    expect(error).toContain('spec.subsets[2].labels.bad key!: Invalid value: "bad key!"');
    expect(error).toContain('spec.subsets[3].trafficPolicy.loadBalancer.consistentHash.httpCookie.name: Required value: name required for HttpCookie');
  });

  test('Gateway: servers with hosts, named unique ports, TLS only (and always) for HTTPS/TLS', () => {
    const error = (servers: ConstructorParameters<typeof IstioGateway>[2] extends infer P ? P extends { servers?: infer S } ? S : never : never, name = 'gw') => {
      const chart = newChart('mesh');
      new IstioGateway(chart, 'gw', { metadata: { name }, servers });
      return synthError(chart);
    };
    expect(error([])).toContain('Gateway "gw": spec.servers: Required value: gateway must have at least one server');
    expect(error([{ port: { number: 443, name: 'https', protocol: IstioProtocol.HTTPS }, hosts: ['*'] }]))
      .toContain('spec.servers[0].tls: Required value: server must have TLS settings for HTTPS/TLS protocols');
    expect(error([{ port: { number: 80, name: 'http', protocol: IstioProtocol.HTTP }, hosts: ['*'], tls: { mode: IstioServerTlsMode.SIMPLE, credentialName: 'x' } }]))
      .toContain('spec.servers[0].tls: Invalid value: server cannot have TLS settings for plain text HTTP ports');
    expect(error([{ port: { number: 80, name: 'web', protocol: IstioProtocol.HTTP }, hosts: ['*'] }, { port: { number: 8080, name: 'web', protocol: IstioProtocol.HTTP }, hosts: ['*'] }]))
      .toContain('spec.servers[1].port.name: Duplicate value: port names in servers must be unique: duplicate name web');
    expect(error([{ port: { number: 80, name: 'x', protocol: 'QUIC' }, hosts: ['*'] }])).toContain('spec.servers[0].port.protocol: Invalid value: invalid protocol "QUIC"');
    expect(error([{ port: { number: 80, name: 'x', protocol: IstioProtocol.HTTP }, hosts: ['Prod_NS/shop.example.com'] }])).toContain('invalid namespace "Prod_NS"');
    expect(error([{ port: { number: 80, name: 'x', protocol: IstioProtocol.HTTP }, hosts: ['*'] }], 'my.gateway')).toContain('metadata.name: Invalid value: invalid gateway name: "my.gateway"');
    const chart = newChart('mesh');
    new IstioGateway(chart, 'gw', { servers: [
      { port: { number: 80, name: 'http', protocol: IstioProtocol.HTTP }, hosts: ['prod/*.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: IstioProtocol.HTTPS }, hosts: ['*'], tls: { mode: IstioServerTlsMode.SIMPLE, credentialName: 'tls' } },
    ] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('ServiceEntry: hosts, ports, resolution and endpoints', () => {
    const error = (props: Partial<ConstructorParameters<typeof ServiceEntry>[2]>) => {
      const chart = newChart('mesh');
      new ServiceEntry(chart, 'se', { metadata: { name: 'se' }, hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: IstioProtocol.TLS }], ...props });
      return synthError(chart);
    };
    expect(error({ hosts: ['*'] })).toContain('ServiceEntry "se": spec.hosts[0]: Invalid value: invalid host *');
    expect(error({ endpoints: [{ address: '10.0.0.1' }] })).toContain('spec.endpoints: Invalid value: no endpoints should be provided for resolution type none');
    expect(error({ resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }))
      .toContain('there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN');
    expect(error({ resolution: ServiceEntryResolution.DNS, addresses: ['10.0.0.0/24'] })).toContain('CIDR addresses are allowed only for NONE/STATIC resolution types');
    expect(error({ ports: [{ number: 443, name: 'a' }, { number: 443, name: 'b' }] })).toContain('spec.ports[1].number: Duplicate value: service entry port 443 already defined');
    expect(error({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: '10.0.0.1', ports: { http: 80 } }] }))
      .toContain('spec.endpoints[0].ports.http: Invalid value: endpoint port 80 is not defined by the service entry');
    expect(error({ resolution: ServiceEntryResolution.DNS, hosts: ['*.example.com'] })).toContain('hosts must be FQDN if no endpoints are provided for resolution mode DNS');
    expect(error({ resolution: ServiceEntryResolution.DNS, hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 5432, name: 'tcp-pg', protocol: IstioProtocol.TCP }] }))
      .toContain('multiple hosts provided with non-HTTP, non-TLS ports');
    const chart = newChart('mesh');
    new ServiceEntry(chart, 'se', { hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 443, name: 'https', protocol: IstioProtocol.TLS }], resolution: ServiceEntryResolution.DNS });
    expect(() => synth(chart)).not.toThrow();
  });
});

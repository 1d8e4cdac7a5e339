/**
 * Istio `tcp:` and `tls:` routes (istio/api `virtual_service.proto` TCPRoute, TLSRoute,
 * L4MatchAttributes, TLSMatchAttributes; `gateway.proto` Server TCP/TLS PASSTHROUGH), after
 * Istio's tcp-echo traffic-shifting sample and the TLS passthrough ingress task: port and
 * sniHosts matching through an ingress Gateway and from a sidecar.
 */
import { formatL7Trace } from '../../../lib/report/l7-format';
import { app, istio, model, svc, target } from './helpers';

const NS = { namespace: 'tcp' };
const version = (v: string) => {
  const d = app(`tcp-echo-${v}`, 1, { app: 'tcp-echo', version: v }, 'tcp') as { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
  d.spec.selector.matchLabels = { app: 'tcp-echo', version: v };
  d.spec.template.metadata.labels = { app: 'tcp-echo', version: v };
  return d;
};
const base: unknown[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tcp' } },
  version('v1'), version('v2'), app('sleep', 1, {}, 'tcp'), app('ingressgateway', 1, { istio: 'ingressgateway' }, 'tcp'),
  svc('tcp-echo', 'tcp-echo', { ...NS, ports: [{ name: 'tcp', port: 9000, targetPort: 9000 }, { name: 'tcp-other', port: 9001, targetPort: 9001 }] }),
  istio('DestinationRule', 'tcp-echo', { host: 'tcp-echo', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }, NS),
  istio('Gateway', 'edge', { selector: { istio: 'ingressgateway' }, servers: [
    { port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] },
    { port: { number: 443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['nginx.example.com', 'api.example.com'] },
  ] }, NS),
  istio('VirtualService', 'tcp-echo', { hosts: ['*'], gateways: ['edge'], tcp: [{ match: [{ port: 31400 }], route: [
    { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v1' }, weight: 80 },
    { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v2' }, weight: 20 },
  ] }] }, NS),
  istio('VirtualService', 'sni', { hosts: ['nginx.example.com', 'api.example.com'], gateways: ['edge'], tls: [
    { match: [{ port: 443, sniHosts: ['nginx.example.com'] }], route: [{ destination: { host: 'tcp-echo', port: { number: 9001 }, subset: 'v1' } }] },
    { match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'tcp-echo', port: { number: 9001 }, subset: 'v2' } }] },
  ] }, NS),
  istio('VirtualService', 'tcp-echo-mesh', { hosts: ['tcp-echo'], tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v2' } }] }] }, NS),
];

describe('Istio tcp/tls routes through an ingress Gateway', () => {
  const m = model(base);
  test('a TCP server routes by the tcp route matching its port, weights and subsets kept', () => {
    const t = m.request({ url: 'tcp://203.0.113.10:31400' });
    expect(t.ok).toBe(true);
    expect(t.entry?.id).toBe('istio-gateway:tcp/edge/31400');
    expect(t.backends.map((b) => [b.service, b.subset, b.probability])).toEqual([['tcp/tcp-echo', 'v1', 0.8], ['tcp/tcp-echo', 'v2', 0.2]]);
  });
  test('a PASSTHROUGH server routes by SNI (sniHosts) to the route for that name', () => {
    expect(target(m, 'tls://nginx.example.com:443')).toBe('tcp/tcp-echo');
    expect(m.request({ url: 'tls://nginx.example.com:443' }).backends[0].subset).toBe('v1');
    expect(m.request({ url: 'tls://api.example.com:443' }).backends[0].subset).toBe('v2');
  });
  test('an SNI no server host admits finds no entry point; a plain TCP connection to the TLS port is refused', () => {
    expect(m.request({ url: 'tls://other.example.com:443' }).failure?.code).toBe('no-entry-point');
    expect(m.request({ url: 'tcp://203.0.113.10:443', via: 'istio-gateway:tcp/edge/443' }).failure?.code).toBe('bad-request');
  });
});

describe('Istio tcp routes in the mesh', () => {
  const m = model(base);
  const from = { pod: [...m.state.pods.keys()].find((k) => k.startsWith('tcp/sleep-')) as string };
  test('the sidecar applies the tcp route matching the destination port', () => {
    const t = m.request({ url: 'tcp://tcp-echo:9000', from });
    expect(t.route?.kind).toBe('VirtualService');
    expect(t.backends.map((b) => b.subset)).toEqual(['v2']);
  });
  test('a port no tcp route matches passes through to the Service unchanged', () => {
    const t = m.request({ url: 'tcp://tcp-echo:9001', from });
    expect(t.ok).toBe(true);
    expect(t.route?.kind).toBe('none');
    expect(t.candidates.map((c) => c.lostBecause)).toEqual(['port 9000 is not 9001']);
  });
  test('an http request to a VirtualService with only tcp routes is carried by the tcp route', () => {
    const t = m.request({ url: 'http://tcp-echo:9000/', from });
    expect(t.ok).toBe(true);
    expect(t.backends.map((b) => b.subset)).toEqual(['v2']);
  });
});

describe('RequestMirror in the trace output', () => {
  test('the mirror is listed beside the primary backend; the answer stays the primary', () => {
    const objs = [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gateway' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw' }, spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
      app('web'), svc('web'), app('shadow'), svc('shadow'),
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, percent: 10 } }, { type: 'RequestMirror', requestMirror: { backendRef: { name: 'missing', port: 80 } } }],
        backendRefs: [{ name: 'web', port: 80 }],
      }] } },
    ];
    const t = model(objs).request({ url: 'http://example.com/' });
    expect(t.ok).toBe(true);
    expect(t.backends.map((b) => b.service)).toEqual(['default/web']);
    expect(t.mirrors?.map((x) => [x.service, x.probability, x.invalid !== undefined])).toEqual([['default/shadow', 0.1, false], ['default/missing', 1, true]]);
    const text = formatL7Trace(t);
    expect(text).toMatch(/^mirror\s+default\/shadow:80 \(a copy of 10% of requests; its response is discarded\)$/m);
    expect(text).toMatch(/^mirror\s+default\/missing:80 .*not delivered/m);
  });
});

/** GrpcRoute, TlsRoute, TcpRoute, UdpRoute, ListenerSet and BackendTlsPolicy constructs: synthesized wire form, and routed by the L7 model. */
import { Chart, Testing } from 'cdk8s';
import {
  BackendTlsPolicy, Gateway, GatewayProtocol, GrpcRoute, HttpBackendRef, HttpRoute, ListenerSet, ParentRef, Service, TcpRoute, TlsRoute, UdpRoute,
} from '../../../lib';
import { Cluster } from '../../../lib/engine/cluster';
import { L7Model } from '../../../lib/engine/l7';
import { syntheticProfile } from '../../../lib/engine/profile';
import { fromObjects } from '../../../lib/manifest';
import { synthError } from '../../support/synth';

type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };

function build() {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const api = new Service(chart, 'api', { metadata: { name: 'api' }, ports: [{ name: 'grpc', port: 9000 }, { name: 'db', port: 5432 }, { name: 'dns', port: 53, protocol: 'UDP' as never }] });
  const gw = new Gateway(chart, 'gw', {
    metadata: { name: 'gw' }, gatewayClassName: 'example', allowedListeners: { from: 'Same' },
    listeners: [
      { name: 'http', protocol: GatewayProtocol.HTTP, port: 80 },
      { name: 'tls', protocol: GatewayProtocol.TLS, port: 443, tls: { mode: 'Passthrough' as never } },
      { name: 'tcp', protocol: GatewayProtocol.TCP, port: 5432 },
    ],
  });
  const ls = new ListenerSet(chart, 'ls', { metadata: { name: 'extra' }, gateway: gw, listeners: [{ name: 'admin', protocol: GatewayProtocol.HTTP, port: 8080, hostname: 'admin.example.com' }] });
  new GrpcRoute(chart, 'grpc', { metadata: { name: 'grpc' }, parentRefs: [ParentRef.gateway(gw, { sectionName: 'http' })], rules: [{ matches: [{ method: { service: 'shop.v1.Cart', method: 'Get' } }], backendRefs: [HttpBackendRef.fromService(api, { port: 'grpc' })] }] });
  new TlsRoute(chart, 'tls', { metadata: { name: 'tls' }, parentRefs: [ParentRef.gateway(gw, { sectionName: 'tls' })], hostnames: ['db.example.com'], backendRefs: [HttpBackendRef.fromService(api, { port: 'db' })] });
  new TcpRoute(chart, 'tcp', { metadata: { name: 'tcp' }, parentRefs: [ParentRef.gateway(gw, { sectionName: 'tcp' })], backendRefs: [HttpBackendRef.fromService(api, { port: 'db' })] });
  new UdpRoute(chart, 'udp', { metadata: { name: 'udp' }, parentRefs: [ParentRef.gateway(gw, { sectionName: 'tcp' })], backendRefs: [HttpBackendRef.fromService(api, { port: 'dns' })] });
  new HttpRoute(chart, 'admin', { metadata: { name: 'admin' }, parentRefs: [ParentRef.listenerSet(ls)], rules: [{ backendRefs: [HttpBackendRef.fromService(api, { port: 'grpc' })] }] });
  new BackendTlsPolicy(chart, 'btls', { metadata: { name: 'btls' }, targets: [api], hostname: 'api.example.com' });
  return Testing.synth(chart) as Obj[];
}

describe('Gateway API route constructs', () => {
  const objs = build();
  const byKind = (k: string) => objs.find((o) => o.kind === k) as Obj;

  test('synthesize the v1 wire form', () => {
    expect(byKind('GRPCRoute').spec.rules).toEqual([{ matches: [{ method: { service: 'shop.v1.Cart', method: 'Get' } }], backendRefs: [{ name: 'api', port: 9000 }] }]);
    expect(byKind('TLSRoute').spec).toEqual({ parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', sectionName: 'tls' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'api', port: 5432 }] }] });
    expect(byKind('ListenerSet').spec.parentRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' });
    expect(byKind('Gateway').spec.allowedListeners).toEqual({ namespaces: { from: 'Same' } });
    expect(byKind('BackendTLSPolicy').spec.validation).toEqual({ hostname: 'api.example.com', wellKnownCACertificates: 'System' });
  });

  test('the L7 model routes them: grpc://, tls://, tcp:// and the ListenerSet listener; the UDPRoute on a TCP listener is not Accepted', () => {
    const loaded = fromObjects(objs, 'chart');
    expect(loaded.errors).toEqual([]);
    const m = L7Model.build(Cluster.build(loaded.objects, syntheticProfile()), { l4: false });
    expect(m.request({ url: 'grpc://x/shop.v1.Cart/Get' }).route?.object?.name).toBe('grpc');
    expect(m.request({ url: 'tls://db.example.com:443' }).route?.object?.name).toBe('tls');
    expect(m.request({ url: 'tcp://db.example.com:5432' }).route?.object?.name).toBe('tcp');
    expect(m.request({ url: 'http://admin.example.com:8080/' }).route?.object?.name).toBe('admin');
    expect(m.routeStatus().find((s) => s.object.name === 'udp')?.parents[0].accepted).toBe(false);
  });

  test('a ListenerSet listener on a port+hostname the Gateway already uses is a synth-time error', () => {
    const chart = new Chart(Testing.app(), 'c2');
    const gw = new Gateway(chart, 'gw', { gatewayClassName: 'example', listeners: [{ name: 'http', protocol: GatewayProtocol.HTTP, port: 80 }] });
    new ListenerSet(chart, 'ls', { gateway: gw, listeners: [{ name: 'dup', protocol: GatewayProtocol.HTTP, port: 80 }] });
    expect(synthError(chart)).toContain('conflicts with a listener of Gateway');
  });
});

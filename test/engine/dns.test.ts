import { DnsModel } from '../../lib/engine/dns';
import { StateBuilder } from '../fixtures/state';

function state() {
  return new StateBuilder()
    .node('n1')
    .pod('default/web-1', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
    .pod('shop/db-0', { node: 'n1', ip: '10.244.1.10', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' })
    .pod('shop/db-1', { node: 'n1', ip: '10.244.1.11', labels: { app: 'db' }, hostname: 'db-1', subdomain: 'db', ready: false, serving: false })
    .pod('shop/cache-0', { node: 'n1', ip: '10.244.1.20', labels: { app: 'cache' }, ready: false, serving: false })
    .service('default/web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: '', port: 9000, targetPort: 9000 }] })
    .service('shop/db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, targetPort: 5432 }] })
    .service('shop/cache', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'redis', port: 6379, targetPort: 6379 }] })
    .service('shop/empty', { clusterIP: 'None', selector: { app: 'nothing' } })
    .service('shop/ext', { type: 'ExternalName', externalName: 'db.example.com.' })
    .service('shop/alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' })
    .build();
}

const values = (a: { records: readonly { type: string; value: string; port?: number }[] }) =>
  a.records.map((r) => `${r.type} ${r.value}${r.port !== undefined ? `:${r.port}` : ''}`);

describe('CoreDNS kubernetes plugin records', () => {
  const dns = new DnsModel(state());

  test('service A record is the ClusterIP; AAAA on an IPv4 Service is NODATA; names are case-insensitive', () => {
    expect(values(dns.query('web.default.svc.cluster.local', 'A'))).toEqual(['A 10.96.0.10']);
    expect(values(dns.query('WEB.Default.svc.cluster.local.', 'A'))).toEqual(['A 10.96.0.10']);
    expect(dns.query('web.default.svc.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NODATA', records: [] });
  });

  test('unknown service, namespace or shape is NXDOMAIN; a bare namespace is NODATA', () => {
    expect(dns.query('nope.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(dns.query('web.nope.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(dns.query('a.b.c.web.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(dns.query('default.svc.cluster.local', 'A').rcode).toBe('NODATA');
    expect(dns.query('example.com', 'A').rcode).toBe('FORWARDED');
  });

  test('headless Service returns ready endpoint IPs only', () => {
    expect(values(dns.query('db.shop.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.10']);
  });

  test('publishNotReadyAddresses publishes unready endpoints', () => {
    expect(values(dns.query('cache.shop.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.20']);
  });

  test('headless Service without ready endpoints is NXDOMAIN', () => {
    expect(dns.query('empty.shop.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  test('endpoint hostname records for StatefulSet pods, and dashed-IP names for others', () => {
    expect(dns.query('db-0.db.shop.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', answeredBy: { kind: 'Endpoint', key: 'shop/db-0' } });
    expect(values(dns.query('db-0.db.shop.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.10']);
    // db-1 is not ready, so it is not published.
    expect(dns.query('db-1.db.shop.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(values(dns.query('10-244-1-20.cache.shop.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.20']);
  });

  test('SRV per named port: ClusterIP Service targets the service name with the service port', () => {
    expect(values(dns.query('_http._tcp.web.default.svc.cluster.local', 'SRV'))).toEqual(['SRV web.default.svc.cluster.local:80']);
    expect(dns.query('_http._udp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    expect(dns.query('_grpc._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  test('SRV on a headless Service: one per endpoint, hostname target, endpoint port', () => {
    expect(values(dns.query('_pg._tcp.db.shop.svc.cluster.local', 'SRV'))).toEqual(['SRV db-0.db.shop.svc.cluster.local:5432']);
    expect(values(dns.query('_redis._tcp.cache.shop.svc.cluster.local', 'SRV'))).toEqual(['SRV 10-244-1-20.cache.shop.svc.cluster.local:6379']);
  });

  // Found by test/dataplane against CoreDNS v1.15.0: a pod without the target port sits in a
  // slice without ports, which CoreDNS gives a sentinel port -1 (object/endpoint.go).
  test('endpoints of a slice without ports answer A queries, not SRV', () => {
    const portless = new DnsModel(new StateBuilder()
      .node('n1')
      .pod('default/web-1', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
      .service('default/grpc', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'grpc', port: 9090, targetPort: 'grpc' }] })
      .build());
    expect(values(portless.query('10-244-1-5.grpc.default.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.5']);
    expect(values(portless.query('grpc.default.svc.cluster.local', 'A'))).toEqual(['A 10.244.1.5']);
    expect(portless.query('grpc.default.svc.cluster.local', 'SRV')).toMatchObject({ rcode: 'NODATA', records: [] });
    expect(portless.query('_grpc._tcp.grpc.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  // Found by test/dataplane: TCP and UDP on one port number give one SRV record (weights count both).
  test('SRV records with the same target and port are answered once', () => {
    const dual = new DnsModel(new StateBuilder()
      .node('n1')
      .service('default/dns', { clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }] })
      .build());
    expect(dual.query('dns.default.svc.cluster.local', 'SRV').records).toEqual([
      { name: 'dns.default.svc.cluster.local', type: 'SRV', value: 'dns.default.svc.cluster.local', port: 53, priority: 0, weight: 50 },
    ]);
  });

  test('SRV on an ExternalName name is NODATA (CoreDNS v1.15.0, found by test/dataplane)', () => {
    expect(dns.query('ext.shop.svc.cluster.local', 'SRV')).toMatchObject({ rcode: 'NODATA', records: [] });
  });

  test('ExternalName is a CNAME; in-cluster targets are followed', () => {
    expect(values(dns.query('ext.shop.svc.cluster.local', 'A'))).toEqual(['CNAME db.example.com']);
    expect(values(dns.query('alias.shop.svc.cluster.local', 'A'))).toEqual(['CNAME web.default.svc.cluster.local', 'A 10.96.0.10']);
    expect(dns.query('_x._tcp.ext.shop.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  test('pod A records: a-b-c-d.ns.pod (insecure by default, verified on request)', () => {
    expect(values(dns.query('10-244-1-5.default.pod.cluster.local', 'A'))).toEqual(['A 10.244.1.5']);
    expect(values(dns.query('10-9-9-9.default.pod.cluster.local', 'A'))).toEqual(['A 10.9.9.9']);
    expect(dns.query('not-an-ip.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    const verified = new DnsModel(state(), { podMode: 'verified' });
    expect(verified.query('10-9-9-9.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(verified.query('10-244-1-5.shop.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(verified.query('10-244-1-5.default.pod.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', answeredBy: { key: 'default/web-1' } });
    expect(new DnsModel(state(), { podMode: 'disabled' }).query('10-244-1-5.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  test('ExternalName CNAME loops end', () => {
    const loop = new StateBuilder()
      .service('default/a', { type: 'ExternalName', externalName: 'b.default.svc.cluster.local' })
      .service('default/b', { type: 'ExternalName', externalName: 'a.default.svc.cluster.local' })
      .build();
    const answer = new DnsModel(loop).query('a.default.svc.cluster.local', 'A');
    expect(answer.records.every((r) => r.type === 'CNAME')).toBe(true);
  });
});

describe('pod resolver: search list and ndots:5', () => {
  const dns = new DnsModel(state());
  const tried = (r: { queries: readonly { name: string; rcode: string }[] }) => r.queries.map((q) => `${q.name} ${q.rcode}`);

  test('a short name tries the search list first, from the pod namespace', () => {
    const r = dns.resolveFromPod('shop', 'web.default');
    expect(tried(r)).toEqual(['web.default.shop.svc.cluster.local NXDOMAIN', 'web.default.svc.cluster.local NOERROR']);
    expect(values(r.answer)).toEqual(['A 10.96.0.10']);
    expect(r.searchList).toEqual(['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
  });

  test('a bare service name resolves in the pod namespace first', () => {
    expect(tried(dns.resolveFromPod('shop', 'db'))).toEqual(['db.shop.svc.cluster.local NOERROR']);
    expect(tried(dns.resolveFromPod('default', 'db'))).toEqual([
      'db.default.svc.cluster.local NXDOMAIN',
      'db.svc.cluster.local NXDOMAIN',
      'db.cluster.local NXDOMAIN',
      'db FORWARDED',
    ]);
  });

  test('the fully qualified service name (4 dots) still walks the search list before itself', () => {
    const r = dns.resolveFromPod('default', 'web.default.svc.cluster.local');
    expect(tried(r)).toEqual([
      'web.default.svc.cluster.local.default.svc.cluster.local NXDOMAIN',
      'web.default.svc.cluster.local.svc.cluster.local NXDOMAIN',
      'web.default.svc.cluster.local.cluster.local NXDOMAIN',
      'web.default.svc.cluster.local NOERROR',
    ]);
  });

  test('a trailing dot is absolute; 5 or more dots try the name first', () => {
    expect(tried(dns.resolveFromPod('default', 'web.default.svc.cluster.local.'))).toEqual(['web.default.svc.cluster.local NOERROR']);
    expect(tried(dns.resolveFromPod('default', '_http._tcp.web.default.svc.cluster.local', 'SRV'))).toEqual([
      '_http._tcp.web.default.svc.cluster.local NOERROR',
    ]);
  });

  test('names outside the cluster domain are forwarded after the search list', () => {
    const r = dns.resolveFromPod('default', 'api.example.com');
    expect(tried(r)).toEqual([
      'api.example.com.default.svc.cluster.local NXDOMAIN',
      'api.example.com.svc.cluster.local NXDOMAIN',
      'api.example.com.cluster.local NXDOMAIN',
      'api.example.com FORWARDED',
    ]);
  });
});

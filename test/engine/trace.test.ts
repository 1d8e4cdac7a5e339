import { connect, TraceContext, type Trace } from '../../lib/engine/trace';
import { StateBuilder, type ServiceSpec } from '../fixtures/state';

function cluster(web: ServiceSpec = {}) {
  return new StateBuilder()
    .node('n1', 'zone-a', '192.168.0.1')
    .node('n2', 'zone-a', '192.168.0.2')
    .node('n3', 'zone-b', '192.168.0.3')
    .pod('default/client', { node: 'n3', ip: '10.244.3.2', labels: { app: 'client' } })
    .pod('shop/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
    .pod('shop/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' } })
    .pod('shop/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' } })
    .pod('shop/db-0', { node: 'n1', ip: '10.244.1.10', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db', ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }] })
    .pod('shop/db-1', { node: 'n2', ip: '10.244.2.10', labels: { app: 'db' }, hostname: 'db-1', subdomain: 'db', ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }] })
    .pod('shop/sick', { node: 'n1', ip: '10.244.1.30', labels: { app: 'sick' }, ready: false, serving: false })
    .service('shop/web', {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
      loadBalancerIPs: ['203.0.113.10'],
      ...web,
    })
    .service('shop/db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, targetPort: 5432 }] })
    .service('shop/sick', { clusterIP: '10.96.0.20' })
    .service('shop/lonely', { clusterIP: '10.96.0.21', selector: { app: 'nobody' } })
    .service('shop/badport', { clusterIP: '10.96.0.22', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'grpc' }] })
    .service('shop/multi', { clusterIP: '10.96.0.23', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 9000, targetPort: 9000 }] })
    .service('shop/payments', { type: 'ExternalName', externalName: 'api.payments.example.com' })
    .build();
}

const dests = (t: Trace) => t.destinations.map((d) => `${d.pod} ${d.ip}:${d.port} ${d.probability}`);

describe('connect: pod to Service by name', () => {
  test('DNS via search list, ClusterIP rule on the source node, equal split over pods with targetPort', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'web.shop' }, cluster());
    expect(t.ok).toBe(true);
    expect(t.dns?.queries.map((q) => q.name)).toEqual(['web.shop.default.svc.cluster.local', 'web.shop.svc.cluster.local']);
    expect(t.address).toBe('10.96.0.10');
    expect(t.route).toEqual({ kind: 'proxy', node: 'n3', rule: { kind: 'ClusterIP', service: 'shop/web', portName: 'http', ip: '10.96.0.10', port: 80, protocol: 'TCP' } });
    expect(dests(t)).toEqual(['shop/web-a 10.244.1.5:8080 0.333333', 'shop/web-b 10.244.2.5:8080 0.333333', 'shop/web-c 10.244.2.6:8080 0.333333']);
    expect(t.request).toEqual({ from: 'pod default/client', to: 'web.shop', port: 80, protocol: 'TCP' });
  });

  test('output is deterministic', () => {
    const a = connect({ from: { pod: 'default/client' }, to: 'web.shop' }, cluster());
    const b = connect({ from: { pod: 'default/client' }, to: 'web.shop' }, cluster());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test('NXDOMAIN lists the queries tried', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'nope', port: 80 }, cluster());
    expect(t).toMatchObject({ ok: false, failure: { code: 'nxdomain' } });
    expect(t.failure?.message).toContain('nope.default.svc.cluster.local');
  });

  test('no such port: wrong number, unknown name, or none given for a multi-port Service', () => {
    const state = cluster();
    expect(connect({ from: { pod: 'default/client' }, to: 'web.shop', port: 81 }, state).failure).toMatchObject({ code: 'no-such-port' });
    expect(connect({ from: { pod: 'default/client' }, to: 'multi.shop', port: 'grpc' }, state).failure?.code).toBe('no-such-port');
    const none = connect({ from: { pod: 'default/client' }, to: 'multi.shop' }, state);
    expect(none.failure?.message).toContain('http 80/TCP, admin 9000/TCP');
    expect(dests(connect({ from: { pod: 'default/client' }, to: 'multi.shop', port: 'admin' }, state))).toHaveLength(3);
  });

  test('reject explains: no pod selected, targetPort unresolved, all pods unready', () => {
    const state = cluster();
    const lonely = connect({ from: { pod: 'default/client' }, to: 'lonely.shop' }, state);
    expect(lonely.failure?.code).toBe('no-endpoints');
    expect(lonely.failure?.message).toContain('selector app=nobody matches no pod');
    const bad = connect({ from: { pod: 'default/client' }, to: 'badport.shop' }, state);
    expect(bad.failure?.message).toContain('targetPort "grpc" does not resolve');
    const sick = connect({ from: { pod: 'default/client' }, to: 'sick.shop' }, state);
    expect(sick.failure).toMatchObject({ code: 'pods-unready' });
    expect(sick.failure?.message).toContain('sick');
  });

  test('headless Service: pod IPs straight from DNS, no port translation', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'db.shop.svc.cluster.local' }, cluster());
    expect(t.ok).toBe(true);
    expect(t.route).toEqual({ kind: 'pod-ip', headless: 'shop/db' });
    expect(dests(t)).toEqual(['shop/db-0 10.244.1.10:5432 0.5', 'shop/db-1 10.244.2.10:5432 0.5']);
  });

  test('StatefulSet pod name resolves to that pod only', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'db-1.db.shop', port: 5432 }, cluster());
    expect(dests(t)).toEqual(['shop/db-1 10.244.2.10:5432 1']);
    expect(t.route).toEqual({ kind: 'pod-ip' });
  });

  test('ExternalName to a name outside the cluster fails with the CNAME target', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'payments.shop', port: 443 }, cluster());
    expect(t.failure?.code).toBe('external-name');
    expect(t.failure?.message).toContain('api.payments.example.com');
  });

  test('direct pod IP reaches even an unready pod, with a note', () => {
    const t = connect({ from: { pod: 'default/client' }, to: '10.244.1.30', port: 8080 }, cluster());
    expect(t.ok).toBe(true);
    expect(dests(t)).toEqual(['shop/sick 10.244.1.30:8080 1']);
    expect(t.notes.join('\n')).toContain('not ready');
  });
});

describe('connect: policies and external traffic', () => {
  test('internalTrafficPolicy Local from a node without endpoints fails', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'web.shop' }, cluster({ internalTrafficPolicy: 'Local' }));
    expect(t.failure?.code).toBe('no-local-endpoints');
  });

  test('external client to NodePort on a node without local endpoints (ETP Local) is dropped; with local ones, node-local only', () => {
    const state = cluster({ externalTrafficPolicy: 'Local' });
    expect(connect({ from: { external: '198.51.100.7' }, to: '192.168.0.3', port: 30080 }, state).failure?.code).toBe('no-local-endpoints');
    const t = connect({ from: { external: '198.51.100.7' }, to: '192.168.0.2', port: 30080 }, state);
    expect(dests(t)).toEqual(['shop/web-b 10.244.2.5:8080 0.5', 'shop/web-c 10.244.2.6:8080 0.5']);
    expect(t.policy).toBe('Local');
  });

  test('external client to LB IP with ETP Local: only health-checked nodes, split per node', () => {
    const t = connect({ from: { external: '198.51.100.7' }, to: '203.0.113.10' }, cluster({ externalTrafficPolicy: 'Local' }));
    expect(t.route).toMatchObject({ kind: 'external-lb', nodes: 2 });
    // n1 has one pod, n2 two: the per-node split makes web-a twice as likely as each n2 pod.
    expect(dests(t)).toEqual(['shop/web-a 10.244.1.5:8080 0.5', 'shop/web-b 10.244.2.5:8080 0.25', 'shop/web-c 10.244.2.6:8080 0.25']);
  });

  test('pod to LB IP short-circuits ETP Local', () => {
    const t = connect({ from: { pod: 'default/client' }, to: '203.0.113.10' }, cluster({ externalTrafficPolicy: 'Local' }));
    expect(t.ok).toBe(true);
    expect(t.destinations).toHaveLength(3);
    expect(t.notes.join('\n')).toContain('short-circuits');
  });

  // Found by test/dataplane against real kube-proxy (nftables and iptables): the node that owns
  // the NodePort short-circuits pod traffic without masquerade, so only its own endpoints answer.
  test('pod to another node\'s NodePort with ETP Local: only endpoints on that node answer, the rest fail', () => {
    const state = cluster({ externalTrafficPolicy: 'Local' });
    const t = connect({ from: { pod: 'default/client' }, to: '192.168.0.2', port: 30080 }, state);
    expect(t.ok).toBe(true);
    expect(dests(t)).toEqual(['shop/web-b 10.244.2.5:8080 0.333333', 'shop/web-c 10.244.2.6:8080 0.333333']);
    expect(t.dropProbability).toBeCloseTo(1 / 3, 5);
    expect(t.notes.join('\n')).toContain('without masquerade');
    // No endpoint on the node that owns the address: every connection fails.
    const none = connect({ from: { pod: 'shop/sick' }, to: '192.168.0.3', port: 30080 }, state);
    expect(none.failure?.code).toBe('no-local-endpoints');
    // A pod's own node, ETP Cluster (masqueraded) and node sources keep every endpoint.
    expect(connect({ from: { pod: 'default/client' }, to: '192.168.0.2', port: 30080 }, cluster()).destinations).toHaveLength(3);
    expect(connect({ from: { node: 'n1' }, to: '192.168.0.2', port: 30080 }, state).dropProbability).toBeUndefined();
  });

  test('loadBalancerSourceRanges: outside source fails, inside source passes', () => {
    const state = cluster({ loadBalancerSourceRanges: ['198.51.100.0/24'] });
    const denied = connect({ from: { external: '192.0.2.1' }, to: '203.0.113.10' }, state);
    expect(denied.failure?.code).toBe('source-range');
    expect(connect({ from: { external: '198.51.100.7' }, to: '203.0.113.10' }, state).destinations).toHaveLength(3);
  });

  test('externalIP with ETP Local reports the dropped share', () => {
    const state = cluster({ externalTrafficPolicy: 'Local', externalIPs: ['198.18.0.10'] });
    const t = connect({ from: { external: '198.51.100.7' }, to: '198.18.0.10', port: 80 }, state);
    expect(t.ok).toBe(true);
    expect(t.dropProbability).toBeCloseTo(1 / 3, 5);
    expect(t.destinations.reduce((s, d) => s + d.probability, 0)).toBeCloseTo(2 / 3, 5);
  });

  test('session affinity is noted', () => {
    const t = connect({ from: { pod: 'default/client' }, to: 'web.shop' }, cluster({ sessionAffinity: 'ClientIP' }));
    expect(t.affinity).toEqual({ clientIP: '10.244.3.2', timeoutSeconds: 10800 });
    expect(t.notes.join('\n')).toContain('probability 1.0');
  });

  test('unreachable from outside: ClusterIP, pod IP and cluster DNS names', () => {
    const state = cluster();
    const ctx = new TraceContext(state);
    expect(connect({ from: { external: '198.51.100.7' }, to: '10.96.0.10', port: 80 }, state, ctx).failure?.code).toBe('unreachable');
    expect(connect({ from: { external: '198.51.100.7' }, to: '10.244.1.5', port: 8080 }, state, ctx).failure?.code).toBe('unreachable');
    expect(connect({ from: { external: '198.51.100.7' }, to: 'web.shop.svc.cluster.local' }, state, ctx).failure?.code).toBe('dns-outside-cluster');
  });

  test('node source resolves absolute names and reaches NodePorts on other nodes', () => {
    const state = cluster({ externalTrafficPolicy: 'Local' });
    const t = connect({ from: { node: 'n3' }, to: 'web.shop.svc.cluster.local' }, state);
    expect(t.ok).toBe(true);
    // Another node's NodePort with ETP Local: not local traffic there, and n3 has no endpoint... but n1 has one.
    const viaN1 = connect({ from: { node: 'n3' }, to: '192.168.0.1', port: 30080 }, state);
    expect(dests(viaN1)).toEqual(['shop/web-a 10.244.1.5:8080 1']);
  });

  test('bad sources and unknown destinations fail clearly', () => {
    const state = cluster();
    expect(connect({ from: { pod: 'default/ghost' }, to: 'web.shop' }, state).failure?.code).toBe('unknown-source');
    expect(connect({ from: { node: 'n9' }, to: 'web.shop' }, state).failure?.code).toBe('unknown-source');
    expect(connect({ from: { pod: 'default/client' }, to: '172.16.0.1', port: 80 }, state).failure?.code).toBe('unknown-destination');
    expect(connect({ from: { pod: 'default/client' }, to: '192.168.0.1', port: 31999 }, state).failure?.code).toBe('no-such-port');
  });
});

import { ProxyModel, type ProxyDecision, type TrafficSource } from '../../lib/engine/proxy';
import type { EndpointInfo, Protocol } from '../../lib/engine/model';
import { StateBuilder, type ServiceSpec } from '../fixtures/state';

const podSrc = (ip = '10.244.9.9'): TrafficSource => ({ kind: 'pod', ip });
const ext = (ip = '198.51.100.7'): TrafficSource => ({ kind: 'external', ip });

function lookup(model: ProxyModel, node: string, dstIP: string, dstPort: number, source: TrafficSource, protocol: Protocol = 'TCP'): ProxyDecision {
  return model.lookup({ node, source, dstIP, dstPort, protocol });
}

function pods(d: ProxyDecision): string[] {
  if (d.action !== 'forward') throw new Error(`expected forward, got ${JSON.stringify(d)}`);
  return d.endpoints.map((w) => `${w.endpoint.pod}@${w.endpoint.ip}:${w.endpoint.port}=${w.probability.toFixed(3)}`);
}

function twoNodes(): StateBuilder {
  return new StateBuilder().node('n1', 'zone-a').node('n2', 'zone-b');
}

describe('ClusterIP rules', () => {
  test('forwards to ready endpoints with equal weights and the resolved targetPort', () => {
    const state = twoNodes()
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' } })
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] })
      .pod('default/other', { node: 'n1', ip: '10.244.1.6', labels: { app: 'db' } })
      .service('default/web', { clusterIP: '10.96.0.10' })
      .build();
    const model = ProxyModel.build(state);
    const d = lookup(model, 'n1', '10.96.0.10', 80, podSrc());
    expect(d.action === 'forward' && d.rule).toEqual({ kind: 'ClusterIP', service: 'default/web', portName: 'http', ip: '10.96.0.10', port: 80, protocol: 'TCP' });
    expect(pods(d)).toEqual(['default/web-a@10.244.1.5:9090=0.500', 'default/web-b@10.244.2.5:8080=0.500']);
  });

  test('wrong port or protocol is not captured', () => {
    const state = twoNodes().pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } }).service('default/web', { clusterIP: '10.96.0.10' }).build();
    const model = ProxyModel.build(state);
    expect(lookup(model, 'n1', '10.96.0.10', 81, podSrc()).action).toBe('none');
    expect(lookup(model, 'n1', '10.96.0.10', 80, podSrc(), 'UDP').action).toBe('none');
  });

  test('unready endpoints are skipped while a ready one exists', () => {
    const state = twoNodes()
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' }, ready: false, serving: false })
      .pod('default/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' }, terminating: true, serving: true })
      .service('default/web', { clusterIP: '10.96.0.10' })
      .build();
    const d = lookup(ProxyModel.build(state), 'n1', '10.96.0.10', 80, podSrc());
    expect(pods(d)).toEqual(['default/web-a@10.244.1.5:8080=1.000']);
    expect(d.action === 'forward' && d.terminatingFallback).toBe(false);
  });

  test('falls back to serving+terminating endpoints when none is ready', () => {
    const state = twoNodes()
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' }, terminating: true, serving: true })
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' }, terminating: true, serving: false })
      .pod('default/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' }, ready: false, serving: false })
      .service('default/web', { clusterIP: '10.96.0.10' })
      .build();
    const d = lookup(ProxyModel.build(state), 'n2', '10.96.0.10', 80, podSrc());
    expect(pods(d)).toEqual(['default/web-a@10.244.1.5:8080=1.000']);
    expect(d.action === 'forward' && d.terminatingFallback).toBe(true);
  });

  test('rejects when no endpoint is ready or serving-terminating', () => {
    const state = twoNodes()
      .pod('default/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' }, ready: false, serving: false })
      .service('default/web', { clusterIP: '10.96.0.10' })
      .service('default/empty', { clusterIP: '10.96.0.11', type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })
      .build();
    const model = ProxyModel.build(state);
    const d = lookup(model, 'n1', '10.96.0.10', 80, podSrc());
    expect(d).toMatchObject({ action: 'reject', code: 'no-endpoints' });
    expect(lookup(model, 'n1', '192.168.0.1', 30080, ext())).toMatchObject({ action: 'reject', code: 'no-endpoints', rule: { kind: 'NodePort' } });
  });

  test('internalTrafficPolicy Local uses only endpoints on the source node, drops when there are none', () => {
    const state = new StateBuilder()
      .node('n1')
      .node('n2')
      .node('n3')
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' } })
      .pod('default/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' }, terminating: true, serving: true })
      .service('default/web', { clusterIP: '10.96.0.10', internalTrafficPolicy: 'Local' })
      .build();
    const model = ProxyModel.build(state);
    expect(pods(lookup(model, 'n1', '10.96.0.10', 80, podSrc()))).toEqual(['default/web-a@10.244.1.5:8080=1.000']);
    expect(pods(lookup(model, 'n2', '10.96.0.10', 80, podSrc()))).toEqual(['default/web-b@10.244.2.5:8080=1.000']);
    expect(lookup(model, 'n3', '10.96.0.10', 80, podSrc())).toMatchObject({ action: 'drop', code: 'no-local-endpoints-internal' });
  });

  test('internalTrafficPolicy Local falls back to local serving+terminating endpoints', () => {
    const state = twoNodes()
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' }, terminating: true, serving: true })
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' } })
      .service('default/web', { clusterIP: '10.96.0.10', internalTrafficPolicy: 'Local' })
      .build();
    const d = lookup(ProxyModel.build(state), 'n1', '10.96.0.10', 80, podSrc());
    expect(pods(d)).toEqual(['default/web-a@10.244.1.5:8080=1.000']);
    expect(d).toMatchObject({ policy: 'Local', terminatingFallback: true });
  });
});

describe('NodePort, LoadBalancer and externalIP rules', () => {
  function lbState(extra: ServiceSpec = {}) {
    return new StateBuilder()
      .node('n1', 'zone-a', '192.168.0.1')
      .node('n2', 'zone-a', '192.168.0.2')
      .node('n3', 'zone-b', '192.168.0.3')
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
      .pod('default/web-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'web' } })
      .pod('default/web-c', { node: 'n2', ip: '10.244.2.6', labels: { app: 'web' } })
      .service('default/web', {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.10',
        ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
        loadBalancerIPs: ['203.0.113.10'],
        externalIPs: ['198.18.0.10'],
        ...extra,
      })
      .build();
  }

  test('NodePort is open on every node IP and nowhere else', () => {
    const model = ProxyModel.build(lbState());
    for (const [node, ip] of [['n1', '192.168.0.1'], ['n3', '192.168.0.3']]) {
      const d = lookup(model, node, ip, 30080, ext());
      expect(d).toMatchObject({ action: 'forward', rule: { kind: 'NodePort', ip, port: 30080 }, policy: 'Cluster' });
      expect(pods(d)).toHaveLength(3);
    }
    // Another node's IP is not local to n1: not captured there.
    expect(lookup(model, 'n1', '192.168.0.3', 30080, ext()).action).toBe('none');
    expect(model.rulesFor('default/web', 'n3').map((r) => `${r.kind} ${r.ip}:${r.port}`)).toEqual([
      'ClusterIP 10.96.0.10:80',
      'ExternalIP 198.18.0.10:80',
      'LoadBalancer 203.0.113.10:80',
      'NodePort 192.168.0.3:30080',
    ]);
  });

  test('LoadBalancer ingress IP and externalIP are captured on the service port', () => {
    const model = ProxyModel.build(lbState());
    expect(lookup(model, 'n3', '203.0.113.10', 80, ext())).toMatchObject({ action: 'forward', rule: { kind: 'LoadBalancer' } });
    expect(lookup(model, 'n3', '198.18.0.10', 80, ext())).toMatchObject({ action: 'forward', rule: { kind: 'ExternalIP' } });
    expect(lookup(model, 'n3', '203.0.113.10', 30080, ext()).action).toBe('none');
  });

  test('externalTrafficPolicy Local: only node-local endpoints, drop on nodes without any', () => {
    const model = ProxyModel.build(lbState({ externalTrafficPolicy: 'Local' }));
    expect(pods(lookup(model, 'n2', '192.168.0.2', 30080, ext()))).toEqual([
      'default/web-b@10.244.2.5:8080=0.500',
      'default/web-c@10.244.2.6:8080=0.500',
    ]);
    expect(lookup(model, 'n3', '192.168.0.3', 30080, ext())).toMatchObject({ action: 'drop', code: 'no-local-endpoints-external' });
    expect(lookup(model, 'n3', '203.0.113.10', 80, ext())).toMatchObject({ action: 'drop', code: 'no-local-endpoints-external' });
    // ClusterIP traffic is unaffected by the external policy.
    expect(pods(lookup(model, 'n3', '10.96.0.10', 80, podSrc()))).toHaveLength(3);
  });

  test('externalTrafficPolicy Local: pod and same-node traffic short-circuit to cluster endpoints', () => {
    const model = ProxyModel.build(lbState({ externalTrafficPolicy: 'Local' }));
    const fromPod = lookup(model, 'n3', '203.0.113.10', 80, podSrc('10.244.3.4'));
    expect(fromPod).toMatchObject({ action: 'forward', policy: 'Cluster', shortCircuit: true });
    expect(pods(fromPod)).toHaveLength(3);
    const fromSelf = lookup(model, 'n3', '192.168.0.3', 30080, { kind: 'node', name: 'n3', ip: '192.168.0.3' });
    expect(fromSelf).toMatchObject({ action: 'forward', shortCircuit: true });
    const fromOtherNode = lookup(model, 'n3', '192.168.0.3', 30080, { kind: 'node', name: 'n1', ip: '192.168.0.1' });
    expect(fromOtherNode).toMatchObject({ action: 'drop', code: 'no-local-endpoints-external' });
  });

  test('health check node port reports local ready endpoints', () => {
    const model = ProxyModel.build(lbState({ externalTrafficPolicy: 'Local' }));
    expect(model.healthCheck('default/web', 'n2')).toEqual({ status: 200, localEndpoints: 2 });
    expect(model.healthCheck('default/web', 'n3')).toEqual({ status: 503, localEndpoints: 0 });
    expect(ProxyModel.build(lbState()).healthCheck('default/web', 'n2')).toBeUndefined();
  });

  test('loadBalancerSourceRanges filter LB traffic by source but not NodePort traffic', () => {
    const model = ProxyModel.build(lbState({ loadBalancerSourceRanges: ['198.51.100.0/24', '2001:db8::/32'] }));
    expect(lookup(model, 'n1', '203.0.113.10', 80, ext('198.51.100.7')).action).toBe('forward');
    const denied = lookup(model, 'n1', '203.0.113.10', 80, ext('192.0.2.1'));
    expect(denied).toMatchObject({ action: 'drop', code: 'source-range' });
    expect(denied.action === 'drop' && denied.reason).toContain('192.0.2.1');
    // Pods are filtered too: the firewall chain runs before the short-circuit.
    expect(lookup(model, 'n1', '203.0.113.10', 80, podSrc('10.244.1.9'))).toMatchObject({ action: 'drop', code: 'source-range' });
    expect(lookup(model, 'n1', '192.168.0.1', 30080, ext('192.0.2.1')).action).toBe('forward');
    expect(lookup(model, 'n1', '198.18.0.10', 80, ext('192.0.2.1')).action).toBe('forward');
  });
});

describe('session affinity, topology hints, unproxied services', () => {
  test('ClientIP affinity is noted with its timeout', () => {
    const state = twoNodes()
      .pod('default/web-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'web' } })
      .service('default/web', { clusterIP: '10.96.0.10', sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 60 })
      .service('default/plain', { clusterIP: '10.96.0.11', selector: { app: 'web' } })
      .build();
    const model = ProxyModel.build(state);
    expect(lookup(model, 'n1', '10.96.0.10', 80, podSrc('10.244.1.77'))).toMatchObject({ affinity: { clientIP: '10.244.1.77', timeoutSeconds: 60 } });
    const plain = lookup(model, 'n1', '10.96.0.11', 80, podSrc());
    expect(plain.action === 'forward' && plain.affinity).toBeUndefined();
  });

  function hinted(hints: ServiceSpec['zoneHints']) {
    return new StateBuilder()
      .node('a1', 'zone-a')
      .node('b1', 'zone-b')
      .node('c1', 'zone-c')
      .pod('default/web-a', { node: 'a1', ip: '10.244.1.5', labels: { app: 'web' } })
      .pod('default/web-b', { node: 'b1', ip: '10.244.2.5', labels: { app: 'web' } })
      .pod('default/web-b2', { node: 'b1', ip: '10.244.2.6', labels: { app: 'web' }, ready: false, serving: false })
      .service('default/web', { clusterIP: '10.96.0.10', zoneHints: hints })
      .build();
  }

  test('zone hints narrow the endpoints to the node zone when every ready endpoint has hints', () => {
    const model = ProxyModel.build(hinted(true));
    const d = lookup(model, 'a1', '10.96.0.10', 80, podSrc());
    expect(pods(d)).toEqual(['default/web-a@10.244.1.5:8080=1.000']);
    expect(d).toMatchObject({ topologyZone: 'zone-a' });
    // zone-c has no hinted endpoint: hints are ignored there.
    const c = lookup(model, 'c1', '10.96.0.10', 80, podSrc());
    expect(pods(c)).toHaveLength(2);
    expect(c.action === 'forward' && c.topologyZone).toBeUndefined();
  });

  test('zone hints are ignored when one ready endpoint lacks them (unready ones do not count)', () => {
    const partial = ProxyModel.build(hinted((ep) => (ep.targetRef.name === 'web-b' ? undefined : [ep.zone])));
    expect(pods(lookup(partial, 'a1', '10.96.0.10', 80, podSrc()))).toHaveLength(2);
    const unreadyUnhinted = ProxyModel.build(hinted((ep) => (ep.targetRef.name === 'web-b2' ? undefined : [ep.zone])));
    expect(pods(lookup(unreadyUnhinted, 'a1', '10.96.0.10', 80, podSrc()))).toHaveLength(1);
  });

  test('node hints (PreferSameNode) win over zone hints when every ready endpoint has them', () => {
    const build = (nodeHints: (ep: EndpointInfo) => string[] | undefined) =>
      ProxyModel.build(
        new StateBuilder()
          .node('a1', 'zone-a')
          .node('a2', 'zone-a')
          .pod('default/web-1', { node: 'a1', ip: '10.244.1.5', labels: { app: 'web' } })
          .pod('default/web-2', { node: 'a2', ip: '10.244.2.5', labels: { app: 'web' } })
          .service('default/web', { clusterIP: '10.96.0.10', zoneHints: true, nodeHints })
          .build(),
      );
    const model = build((ep) => [ep.nodeName]);
    expect(pods(lookup(model, 'a2', '10.96.0.10', 80, podSrc()))).toEqual(['default/web-2@10.244.2.5:8080=1.000']);
    expect(lookup(model, 'a2', '10.96.0.10', 80, podSrc())).toMatchObject({ topologyNode: 'a2' });
    // One endpoint without a node hint: fall back to zone hints (both in zone-a).
    const partial = build((ep) => (ep.nodeName === 'a1' ? ['a1'] : undefined));
    expect(pods(lookup(partial, 'a2', '10.96.0.10', 80, podSrc()))).toHaveLength(2);
  });

  test('headless and ExternalName Services get no rules', () => {
    const state = twoNodes()
      .pod('default/db-0', { node: 'n1', ip: '10.244.1.5', labels: { app: 'db' } })
      .service('default/db', { clusterIP: 'None' })
      .service('default/ext', { type: 'ExternalName', externalName: 'example.com' })
      .build();
    const model = ProxyModel.build(state);
    expect(model.tables('default/db')).toEqual([]);
    expect(model.tables('default/ext')).toEqual([]);
    expect(model.rulesFor('default/db')).toEqual([]);
  });

  test('multi-port Service resolves named targetPorts per pod and keeps ports apart', () => {
    const state = twoNodes()
      .pod('default/app-a', { node: 'n1', ip: '10.244.1.5', labels: { app: 'app' }, ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] })
      .pod('default/app-b', { node: 'n2', ip: '10.244.2.5', labels: { app: 'app' }, ports: [{ name: 'web', containerPort: 9000, protocol: 'TCP' }] })
      .service('default/app', {
        clusterIP: '10.96.0.20',
        ports: [
          { name: 'http', port: 80, targetPort: 'web' },
          { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
        ],
      })
      .build();
    const model = ProxyModel.build(state);
    expect(pods(lookup(model, 'n1', '10.96.0.20', 80, podSrc()))).toEqual(['default/app-a@10.244.1.5:8080=0.500', 'default/app-b@10.244.2.5:9000=0.500']);
    expect(pods(lookup(model, 'n1', '10.96.0.20', 53, podSrc(), 'UDP'))).toEqual(['default/app-a@10.244.1.5:5353=1.000']);
  });

  test('per-zone cluster sets are shared between nodes of a zone, not copied per node', () => {
    const model = ProxyModel.build(hinted(true));
    const [table] = model.tables('default/web');
    expect(table.clusterSet('a1', 'zone-a')).toBe(table.clusterSet('a2', 'zone-a'));
    expect(table.localSet('a1')).toBe(table.localSet('a1'));
  });

  test('a second Service claiming the same externalIP:port is reported as a conflict', () => {
    const state = twoNodes()
      .service('default/a', { clusterIP: '10.96.0.30', externalIPs: ['198.18.0.1'] })
      .service('default/b', { clusterIP: '10.96.0.31', externalIPs: ['198.18.0.1'] })
      .build();
    const model = ProxyModel.build(state);
    expect(model.conflicts).toEqual([
      { rule: { kind: 'ExternalIP', service: 'default/b', portName: 'http', ip: '198.18.0.1', port: 80, protocol: 'TCP' }, shadowedBy: 'default/a' },
    ]);
  });
});

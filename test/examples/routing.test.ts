import { App, Testing } from 'cdk8s';
import { buildExamplesApp } from '../../examples/main';
import { Cluster, connect, fromObjects, TraceContext } from '../../lib';

/** The examples app replayed through the engine, as `netkit trace dist/` would see it. */
function simulateExamples(): { cluster: Cluster; ctx: TraceContext } {
  const app: App = buildExamplesApp(Testing.app());
  const loaded = fromObjects(app.charts.flatMap((chart) => Testing.synth(chart)));
  expect(loaded.errors).toEqual([]);
  const cluster = Cluster.build(loaded.objects);
  return { cluster, ctx: new TraceContext(cluster) };
}

function podsWithLabel(cluster: Cluster, namespace: string, app: string): string[] {
  return [...cluster.pods.values()].filter((p) => p.namespace === namespace && p.labels.app === app).map((p) => `${p.namespace}/${p.name}`).sort();
}

describe('the examples route as their authors meant', () => {
  const { cluster, ctx } = simulateExamples();
  const webPods = podsWithLabel(cluster, 'web', 'web');
  const dbPods = podsWithLabel(cluster, 'data', 'postgres');
  const billingPod = podsWithLabel(cluster, 'billing', 'billing')[0];

  test('the workloads made their pods', () => {
    expect(webPods).toHaveLength(3);
    expect(dbPods).toEqual(['data/postgres-0', 'data/postgres-1', 'data/postgres-2']);
    expect(billingPod).toBeDefined();
  });

  test('database: clients reach postgres-rw, balanced over the 3 replicas on the named port', () => {
    const trace = connect({ from: { pod: webPods[0] }, to: 'postgres-rw.data', port: 5432 }, cluster, ctx);
    expect(trace.ok).toBe(true);
    expect(trace.service).toBe('data/postgres-rw');
    expect(trace.destinations.map((d) => d.pod).sort()).toEqual(dbPods);
    for (const d of trace.destinations) {
      expect(d.port).toBe(5432);
      expect(d.probability).toBeCloseTo(1 / 3);
    }
  });

  test('database: each replica has a stable name under the headless Service', () => {
    const trace = connect({ from: { pod: 'data/postgres-0' }, to: 'postgres-2.postgres', port: 5432 }, cluster, ctx);
    expect(trace.ok).toBe(true);
    expect(trace.dns?.answer.name).toBe('postgres-2.postgres.data.svc.cluster.local');
    expect(trace.destinations.map((d) => d.pod)).toEqual(['data/postgres-2']);
  });

  test('web-app: the ClusterIP sends port 80 to the pods\' http port (8080)', () => {
    const trace = connect({ from: { pod: billingPod }, to: 'web.web.svc.cluster.local', port: 80 }, cluster, ctx);
    expect(trace.ok).toBe(true);
    expect(trace.destinations.map((d) => d.pod).sort()).toEqual(webPods);
    expect(trace.destinations.every((d) => d.port === 8080)).toBe(true);
  });

  test('web-app: the NodePort answers on every node at 30080', () => {
    for (const node of cluster.nodes.values()) {
      const trace = connect({ from: { external: '198.51.100.20' }, to: node.internalIP, port: 30080 }, cluster, ctx);
      expect(trace.ok).toBe(true);
      expect(trace.destinations.map((d) => d.pod).sort()).toEqual(webPods);
    }
  });

  test('web-app: the LoadBalancer admits only its source range and keeps traffic node-local', () => {
    const lb = cluster.services.get('web/web-public');
    expect(lb?.loadBalancerIPs.length).toBeGreaterThan(0);
    const lbIP = lb?.loadBalancerIPs[0] ?? '';
    const allowed = connect({ from: { external: '203.0.113.9' }, to: lbIP, port: 80 }, cluster, ctx);
    expect(allowed.ok).toBe(true);
    expect(allowed.policy).toBe('Local');
    expect(allowed.destinations.map((d) => d.pod).sort()).toEqual(webPods);
    const denied = connect({ from: { external: '198.51.100.20' }, to: lbIP, port: 80 }, cluster, ctx);
    expect(denied.ok).toBe(false);
    expect(denied.failure?.code).toBe('source-range');
  });

  test('external-database: billing-db is a CNAME to the managed database, outside the cluster', () => {
    const trace = connect({ from: { pod: billingPod }, to: 'billing-db', port: 5432 }, cluster, ctx);
    expect(trace.ok).toBe(false);
    expect(trace.failure?.code).toBe('external-name');
    expect(trace.dns?.answer.records[0]).toMatchObject({ name: 'billing-db.billing.svc.cluster.local', type: 'CNAME', value: 'billing.db.example.com' });
  });
});

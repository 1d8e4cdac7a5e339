import { classify } from '../../lib/engine/coverage';
import { connect } from '../../lib/engine/trace';
import { routeRows, formatRoutes } from '../../lib/report/routes';
import { runRules } from '../../lib/rules/runner';
import { fromObjects } from '../../lib/manifest';
import { build, deployment, service } from './engine-helpers';

const web = deployment('web', 2, { app: 'web' });
const webSvc = service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
const client = deployment('client', 1, { app: 'client' });
const rc = {
  apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
  spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] } } },
};
const legacySvc = service('legacy', { selector: { app: 'legacy' }, ports: [{ port: 80, targetPort: 8080 }] });
const denyWeb = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};
const denyOther = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-db' },
  spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
};

function objects(objs: unknown[]) {
  const r = fromObjects(objs, 'test.yaml');
  expect(r.errors).toEqual([]);
  return r.objects;
}

function firstPod(c: ReturnType<typeof build>, app: string): string {
  return [...c.pods.values()].filter((p) => p.labels.app === app).map((p) => `${p.namespace}/${p.name}`).sort()[0];
}

describe('coverage: every object simulated, not relevant, or reported', () => {
  test('classifies by API group and kind, and by apiVersion for simulated kinds', () => {
    const [svc, cm, np, oldDeploy, crd, rcObj] = objects([
      webSvc,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } },
      denyWeb,
      { ...web, apiVersion: 'extensions/v1beta1' },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      rc,
    ]);
    expect(classify(svc).status).toBe('simulated');
    expect(classify(cm).status).toBe('not-relevant');
    expect(classify(np)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('NetworkPolicy is not simulated') });
    expect(classify(oldDeploy)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('apiVersion extensions/v1beta1') });
    expect(classify(crd)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('unknown to the engine') });
    expect(classify(rcObj)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('ReplicationController') });
  });

  test('a Service whose pods come from an unsimulated workload: endpoints unknown, never "no endpoints"', () => {
    const c = build([legacySvc, rc, client]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'legacy', port: 80 }, c);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('endpoints-unknown');
    expect(t.failure?.message).toContain('ReplicationController default/legacy');
    expect(t.notSimulated?.map((i) => i.ref.name)).toEqual(['legacy']);
    const row = routeRows(c).find((r) => r.service === 'default/legacy');
    expect(row?.endpoints.unknown).toBe(true);
    expect(formatRoutes(routeRows(c))).toMatch(/unknown\(0\/0 simulated\)/);
    // Without the RC the same Service has no endpoints, and says so.
    const bare = build([legacySvc, client]);
    expect(connect({ from: { pod: firstPod(bare, 'client') }, to: 'legacy', port: 80 }, bare).failure?.code).toBe('no-endpoints');
  });

  test('a NetworkPolicy selecting the destination pods is named with the trace; one selecting other pods is not', () => {
    const c = build([web, webSvc, client, denyWeb, denyOther]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.ok).toBe(true);
    expect(t.notSimulated?.map((i) => `${i.ref.kind}/${i.ref.name}`)).toEqual(['NetworkPolicy/deny-web']);
    expect(t.notes.some((n) => n.includes('NetworkPolicy default/deny-web'))).toBe(true);
    const row = routeRows(c).find((r) => r.service === 'default/web');
    expect(row?.notSimulated?.map((i) => i.ref.name)).toEqual(['deny-web']);
    expect(formatRoutes(routeRows(c))).toContain('default/web: NetworkPolicy default/deny-web');
  });

  test('no unsimulated objects: traces and routes carry no coverage fields', () => {
    const c = build([web, webSvc, client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.notSimulated).toBeUndefined();
    expect(routeRows(c).every((r) => r.notSimulated === undefined && r.endpoints.unknown === undefined)).toBe(true);
  });

  test('a GRPCRoute with the Service as backend could change answers about that Service', () => {
    const grpc = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'g' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    };
    const c = build([web, webSvc, client, grpc]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.notSimulated?.map((i) => i.ref.kind)).toEqual(['GRPCRoute']);
    expect(c.coverage.relevantTo({ gateways: ['default/gw'] }).map((i) => i.ref.name)).toEqual(['g']);
    expect(c.coverage.relevantTo({ gateways: ['default/other'] })).toEqual([]);
  });

  test('validate reports unsimulated objects once per kind, and JSON has a coverage section', () => {
    const r = runRules(objects([web, webSvc, denyWeb, denyOther, rc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }]));
    const found = r.violations.filter((v) => v.ruleId === 'object-not-simulated');
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^2 NetworkPolicy \(networking\.k8s\.io\/v1\) not simulated \(default\/deny-web, default\/deny-db\)/),
      expect.stringMatching(/^1 ReplicationController \(v1\) not simulated \(default\/legacy\)/),
    ]);
    expect(found.every((v) => v.severity === 'info')).toBe(true);
    expect(r.coverage).toMatchObject({ simulated: 2, notRelevant: 1 });
    expect(r.coverage.notSimulated.map((i) => i.ref.name)).toEqual(['deny-web', 'deny-db', 'legacy']);
  });
});

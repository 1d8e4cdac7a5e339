import { classify } from '../../lib/engine/coverage';
import { connect } from '../../lib/engine/trace';
import { routeRows, formatRoutes } from '../../lib/report/routes';
import { runRules } from '../../lib/rules/runner';
import { fromObjects } from '../../lib/manifest';
import { build, deployment, service } from './engine-helpers';

const web = deployment('web', 2, { app: 'web' });
const webSvc = service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
const client = deployment('client', 1, { app: 'client' });
// A workload kind of an add-on (OpenKruise CloneSet): its pods are not simulated.
const rc = {
  apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'legacy' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] } } },
};
const legacySvc = service('legacy', { selector: { app: 'legacy' }, ports: [{ port: 80, targetPort: 8080 }] });
// Istio PeerAuthentication (mTLS mode) is read but not simulated: it can refuse plaintext connections.
const strictWeb = {
  apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict-web' },
  spec: { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' } },
};
const strictOther = {
  apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'strict-db' },
  spec: { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' } },
};
const denyWeb = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
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
    const [svc, cm, np, pa, oldDeploy, crd, rcObj] = objects([
      webSvc,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } },
      denyWeb,
      strictWeb,
      { ...web, apiVersion: 'extensions/v1beta1' },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      rc,
    ]);
    expect(classify(svc).status).toBe('simulated');
    expect(classify(cm).status).toBe('not-relevant');
    // The policy model (lib/engine/policy) simulates NetworkPolicy; PeerAuthentication is not simulated.
    expect(classify(np).status).toBe('simulated');
    expect(classify(pa)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('PeerAuthentication is not simulated') });
    expect(classify(oldDeploy)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('apiVersion extensions/v1beta1') });
    expect(classify(crd)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('unknown to the engine') });
    expect(classify(rcObj)).toMatchObject({ status: 'not-simulated', reason: expect.stringContaining('CloneSet (apps.kruise.io/v1alpha1) makes pods') });
  });

  test('a Service whose pods come from an unsimulated workload: endpoints unknown, never "no endpoints"', () => {
    const c = build([legacySvc, rc, client]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'legacy', port: 80 }, c);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('endpoints-unknown');
    expect(t.failure?.message).toContain('CloneSet default/legacy');
    expect(t.notSimulated?.map((i) => i.ref.name)).toEqual(['legacy']);
    const row = routeRows(c).find((r) => r.service === 'default/legacy');
    expect(row?.endpoints.unknown).toBe(true);
    expect(formatRoutes(routeRows(c))).toMatch(/unknown\(0\/0 simulated\)/);
    // Without the RC the same Service has no endpoints, and says so.
    const bare = build([legacySvc, client]);
    expect(connect({ from: { pod: firstPod(bare, 'client') }, to: 'legacy', port: 80 }, bare).failure?.code).toBe('no-endpoints');
  });

  test('an unsimulated policy selecting the destination pods is named with the trace; one selecting other pods is not', () => {
    const c = build([web, webSvc, client, strictWeb, strictOther]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.ok).toBe(true);
    expect(t.notSimulated?.map((i) => `${i.ref.kind}/${i.ref.name}`)).toEqual(['PeerAuthentication/strict-web']);
    expect(t.notes.some((n) => n.includes('PeerAuthentication default/strict-web'))).toBe(true);
    const row = routeRows(c).find((r) => r.service === 'default/web');
    expect(row?.notSimulated?.map((i) => i.ref.name)).toEqual(['strict-web']);
    expect(formatRoutes(routeRows(c))).toContain('default/web: PeerAuthentication default/strict-web');
  });

  test('a simulated NetworkPolicy is decided, not reported as a gap', () => {
    const c = build([web, webSvc, client, denyWeb]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('policy-denied');
    expect(t.notSimulated).toBeUndefined();
  });

  test('no unsimulated objects: traces and routes carry no coverage fields', () => {
    const c = build([web, webSvc, client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.notSimulated).toBeUndefined();
    expect(routeRows(c).every((r) => r.notSimulated === undefined && r.endpoints.unknown === undefined)).toBe(true);
  });

  test('an unsimulated Gateway API policy targeting the Service could change answers about that Service', () => {
    const lb = {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'BackendLBPolicy', metadata: { name: 'g' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 'web' }], sessionPersistence: { sessionName: 'x' } },
    };
    const c = build([web, webSvc, client, lb]);
    const t = connect({ from: { pod: firstPod(c, 'client') }, to: 'web', port: 80 }, c);
    expect(t.notSimulated?.map((i) => i.ref.kind)).toEqual(['BackendLBPolicy']);
    // A GRPCRoute is simulated by the L7 model: no longer a coverage gap.
    const [grpc] = objects([{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }] } }]);
    expect(classify(grpc).status).toBe('simulated');
  });

  test('validate reports unsimulated objects once per kind, and JSON has a coverage section', () => {
    const r = runRules(objects([web, webSvc, strictWeb, strictOther, rc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }]));
    const found = r.violations.filter((v) => v.ruleId === 'object-not-simulated');
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^2 PeerAuthentication \(security\.istio\.io\/v1\) not simulated \(default\/strict-web, default\/strict-db\)/),
      expect.stringMatching(/^1 CloneSet \(apps\.kruise\.io\/v1alpha1\) not simulated \(default\/legacy\)/),
    ]);
    expect(found.every((v) => v.severity === 'info')).toBe(true);
    expect(r.coverage).toMatchObject({ simulated: 2, notRelevant: 1 });
    expect(r.coverage.notSimulated.map((i) => i.ref.name)).toEqual(['strict-web', 'strict-db', 'legacy']);
  });
});

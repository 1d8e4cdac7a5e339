import { applyObjects, classify, countOutcomes, formatResult, type ApplyOptions } from '../../lib/apply/apply';
import { KubeApiError, type KubeObject } from '../../lib/apply/types';
import { fromObjects, type ManifestObject } from '../../lib/manifest';
import { FakeKube } from './fake-kube';

type Json = Record<string, unknown>;

function manifests(extra: Json[] = []): ManifestObject[] {
  const r = fromObjects([
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } },
    ...extra,
  ]);
  expect(r.errors).toEqual([]);
  return r.objects;
}

function options(over: Partial<ApplyOptions> = {}): ApplyOptions & { lines: string[] } {
  const lines: string[] = [];
  return { applySet: 'shop', dryRun: false, forceConflicts: false, prune: false, log: (l) => lines.push(l), lines, ...over };
}

describe('applyObjects', () => {
  test('creates the implied namespace, applies in dependency order with our labels, and a second run is unchanged', async () => {
    const kube = new FakeKube();
    const o = options();
    const first = await applyObjects(manifests(), kube, o);
    expect(first.results.map((r) => `${r.ref.kind} ${r.outcome}`)).toEqual([
      'Namespace created', 'ConfigMap created', 'Service created', 'Deployment created',
    ]);
    expect(o.lines[0]).toBe('Namespace shop created (implied: 3 objects use it)');
    const svc = kube.store.get('v1/Service/shop/web') as Json;
    expect((svc.metadata as Json).labels).toEqual({ 'app.kubernetes.io/managed-by': 'netkit', 'netkit.io/apply-set': 'shop' });
    expect(kube.calls.filter((c) => c.startsWith('APPLY'))).toEqual([
      'APPLY Namespace /shop', 'APPLY ConfigMap shop/settings', 'APPLY Service shop/web', 'APPLY Deployment shop/web',
    ]);

    const second = await applyObjects(manifests(), kube, options());
    expect(countOutcomes(second.results)).toMatchObject({ created: 0, configured: 0, unchanged: 3, failed: 0 });
  });

  test('a changed object is configured; a declared Namespace goes first', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    const changed = manifests([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } }]).map((m) =>
      m.ref.kind === 'ConfigMap' ? { ...m, raw: { ...m.raw, data: { a: '2' } } } : m);
    const r = await applyObjects(changed, kube, options());
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace configured', 'ConfigMap configured', 'Service unchanged', 'Deployment unchanged']);
  });

  test('server errors are reported per object with status, reason and message; the rest is applied', async () => {
    const kube = new FakeKube();
    kube.failApply = (obj) => obj.kind === 'Service'
      ? new KubeApiError(422, 'Invalid', 'Service "web" is invalid: spec.ports[0].port: Invalid value: 0', [{ field: 'spec.ports[0].port', message: 'Invalid value: 0: must be between 1 and 65535' }])
      : undefined;
    const o = options();
    const r = await applyObjects(manifests(), kube, o);
    expect(countOutcomes(r.results)).toMatchObject({ created: 3, failed: 1 });
    const line = o.lines.find((l) => l.startsWith('Service'));
    expect(line).toBe('Service shop/web failed: 422 Invalid: Service "web" is invalid: spec.ports[0].port: Invalid value: 0 (<memory>:2)\n    spec.ports[0].port: Invalid value: 0: must be between 1 and 65535');
  });

  test('a connection failure part-way stops the run and lists what was not sent', async () => {
    const kube = new FakeKube();
    kube.dropConnectionAtApply = 3; // namespace, configmap, then the Service
    const r = await applyObjects(manifests(), kube, options());
    expect(r.aborted).toContain('ECONNREFUSED');
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap created', 'Service not-applied', 'Deployment not-applied']);
  });

  test('a server dry run persists nothing, skips objects whose namespace does not exist, and reports changes', async () => {
    const fresh = new FakeKube();
    const o = options({ dryRun: true });
    const r = await applyObjects(manifests(), fresh, o);
    expect(fresh.store.size).toBe(0);
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap skipped', 'Service skipped', 'Deployment skipped']);
    expect(o.lines[0]).toBe('Namespace shop created (server dry run) (implied: 3 objects use it)');
    expect(o.lines[1]).toMatch(/^ConfigMap shop\/settings skipped \(namespace shop does not exist yet/);

    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    const changed = manifests().map((m) => (m.ref.kind === 'ConfigMap' ? { ...m, raw: { ...m.raw, data: { a: '3' } } } : m));
    const dry = await applyObjects(changed, kube, options({ dryRun: true }));
    expect(dry.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['ConfigMap configured', 'Service unchanged', 'Deployment unchanged']);
    expect((kube.store.get('v1/ConfigMap/shop/settings') as { data: Json }).data).toEqual({ a: '1' });
  });

  test('prune deletes only what this apply set applied and no longer has', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    // Objects prune must keep: another apply set, a controller's copy of our labels, someone else's object with our labels.
    await applyObjects(manifests().filter((m) => m.ref.kind === 'ConfigMap').map((m) => ({ ...m, raw: { ...m.raw, metadata: { name: 'other', namespace: 'shop' } } })), kube, options({ applySet: 'other' }));
    kube.seed({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'netkit', 'netkit.io/apply-set': 'shop' }, ownerReferences: [{ kind: 'Service', name: 'web', controller: true }], managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] } });
    kube.seed({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'netkit', 'netkit.io/apply-set': 'shop' }, managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] } });

    const o = options({ prune: true });
    const withoutConfigMap = manifests().filter((m) => m.ref.kind !== 'ConfigMap');
    const dry = await applyObjects(withoutConfigMap, kube, { ...o, dryRun: true });
    expect(dry.pruned.map((p) => `${p.ref.kind} ${p.ref.name} ${p.outcome}`)).toEqual(['ConfigMap settings pruned']);
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(true);

    const r = await applyObjects(withoutConfigMap, kube, o);
    expect(r.pruned.map((p) => `${p.ref.kind} ${p.ref.name} ${p.outcome}`)).toEqual(['ConfigMap settings pruned']);
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(false);
    expect(kube.store.has('v1/ConfigMap/shop/other')).toBe(true);
    expect(kube.store.has('discovery.k8s.io/v1/EndpointSlice/shop/web-abcde')).toBe(true);
    expect(kube.store.has('v1/Endpoints/shop/web')).toBe(true);
    expect(o.lines).toContain('Endpoints shop/web kept: carries the labels but was not applied by field manager netkit');
    // The implied Namespace is ours but never pruned.
    expect(kube.store.has('v1/Namespace//shop')).toBe(true);
  });

  test('prune does not run after a failed apply', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    kube.failApply = (obj) => (obj.kind === 'Deployment' ? new KubeApiError(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl"') : undefined);
    const r = await applyObjects(manifests().filter((m) => m.ref.kind !== 'ConfigMap'), kube, options({ prune: true }));
    expect(r.pruneSkipped).toBe('1 object failed; prune only runs after a complete apply');
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(true);
  });

  test('custom resources wait for their CRD; a kind the server does not serve fails with a hint', async () => {
    const kube = new FakeKube();
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: {} };
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } };
    // The fake serves the kind once the CRD is applied.
    const origApply = kube.apply.bind(kube);
    kube.apply = async (o, opts) => {
      const r = await origApply(o, opts);
      if (o.kind === 'CustomResourceDefinition') kube.kinds['example.com/v1/Widget'] = { name: 'widgets', namespaced: true };
      return r;
    };
    const r = await applyObjects(manifests([widget, crd, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' } }]), kube, options());
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual([
      'Namespace created', 'CustomResourceDefinition created', 'ConfigMap created', 'Service created', 'Deployment created', 'Widget created', 'Gadget failed',
    ]);
    expect(formatResult(r.results[6], false)).toContain('404 NotFound: the server does not serve example.com/v1 Gadget');
    expect(kube.calls.lastIndexOf('GET CustomResourceDefinition /widgets.example.com')).toBeGreaterThan(kube.calls.indexOf('APPLY CustomResourceDefinition /widgets.example.com'));
  });
});

describe('classify', () => {
  const obj = (rv: string, data = 'a'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: rv }, data });
  test('created, unchanged by resourceVersion, configured; dry runs compare content', () => {
    expect(classify(undefined, obj('1'), false)).toBe('created');
    expect(classify(obj('1'), obj('1'), false)).toBe('unchanged');
    expect(classify(obj('1'), obj('2'), false)).toBe('configured');
    expect(classify(obj('1'), obj('1'), true)).toBe('unchanged');
    expect(classify(obj('1'), obj('1', 'b'), true)).toBe('configured');
    const withFields = (fields: object): KubeObject => ({ ...obj('1'), metadata: { ...obj('1').metadata, managedFields: [{ manager: 'netkit', operation: 'Apply', ...fields }] } });
    expect(classify(withFields({ fieldsV1: { 'f:spec': { '.': {} } } }), withFields({ fieldsV1: { 'f:spec': {} } }), true)).toBe('unchanged');
  });
});

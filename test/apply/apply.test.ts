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

describe('applyObjects, concurrently', () => {
  /** `n` ConfigMaps and `n` Services in two namespaces, Services first in the manifests. */
  function many(n: number): ManifestObject[] {
    const objects: Json[] = [];
    for (let i = 0; i < n; i++) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: `ns${i % 2}` }, spec: { ports: [{ port: 80 }] } });
    for (let i = 0; i < n; i++) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: `ns${i % 2}` }, data: { i: String(i) } });
    const r = fromObjects(objects);
    expect(r.errors).toEqual([]);
    return r.objects;
  }
  /** Later objects answer sooner: out-of-order completion within a step. */
  const slowFirst = (o: KubeObject): number => (o.kind === 'Namespace' ? 1 : 20 - Number(o.metadata.name.slice(1)));

  test('one kind at a time, at most `concurrency` requests in flight; lines and results in the apply order', async () => {
    const kube = new FakeKube();
    kube.applyDelayMs = slowFirst;
    const o = options({ concurrency: 4 });
    const r = await applyObjects(many(10), kube, o);
    expect(kube.maxInFlight).toBe(4);
    const order = ['Namespace ns0', 'Namespace ns1', ...Array.from({ length: 10 }, (_, i) => `ConfigMap ns${i % 2}/c${i}`), ...Array.from({ length: 10 }, (_, i) => `Service ns${i % 2}/s${i}`)];
    expect(o.lines).toEqual(order.map((x) => `${x} created${x.startsWith('Namespace') ? ` (implied: 10 objects use it)` : ''}`));
    expect(r.results.map((x) => `${x.ref.kind} ${x.ref.namespace ? `${x.ref.namespace}/` : ''}${x.ref.name}`)).toEqual(order);
    // Every ConfigMap was sent before the first Service (Helm's order between steps).
    const applies = kube.calls.filter((c) => c.startsWith('APPLY'));
    expect(applies.findIndex((c) => c.startsWith('APPLY Service'))).toBe(applies.filter((c) => !c.startsWith('APPLY Service')).length);
    // Again: the same lines, all unchanged, whatever the timing.
    const again = options({ concurrency: 7 });
    await applyObjects(many(10), kube, again);
    expect(again.lines).toEqual(order.slice(2).map((x) => `${x} unchanged`));
  });

  test('several objects of a kind in a namespace: one LIST by apply set instead of a GET each; outcomes as with GETs', async () => {
    const kube = new FakeKube();
    // Someone else's ConfigMap with the name of one of ours: it exists but without our labels.
    kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns0' } });
    kube.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'ns0' }, data: { i: '2' } });
    const first = await applyObjects(many(4), kube, options());
    expect(first.results.map((r) => `${r.ref.name} ${r.outcome}`)).toEqual([
      'ns1 created', 'c0 created', 'c1 created', 'c2 configured', 'c3 created', 's0 created', 's1 created', 's2 created', 's3 created',
    ]);
    const reads = (): string[] => kube.calls.filter((c) => c.startsWith('GET') || c.startsWith('LIST'));
    expect(reads()).toEqual([
      'GET Namespace /ns0', 'GET Namespace /ns1',
      'LIST ConfigMap ns0 app.kubernetes.io/managed-by=netkit,netkit.io/apply-set=shop', 'LIST ConfigMap ns1 app.kubernetes.io/managed-by=netkit,netkit.io/apply-set=shop',
      'LIST Service ns0 app.kubernetes.io/managed-by=netkit,netkit.io/apply-set=shop', 'LIST Service ns1 app.kubernetes.io/managed-by=netkit,netkit.io/apply-set=shop',
    ]);
    kube.calls.length = 0;
    const changed = many(4).map((m) => (m.ref.name === 'c1' ? { ...m, raw: { ...m.raw, data: { i: 'changed' } } } : m));
    const dry = await applyObjects(changed, kube, options({ dryRun: true }));
    expect(dry.results.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.ref.name} ${r.outcome}`)).toEqual(['c1 configured']);
    const again = await applyObjects(changed, kube, options());
    expect(again.results.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.ref.name} ${r.outcome}`)).toEqual(['c1 configured']);
    expect(reads().filter((c) => c.startsWith('GET') && !c.startsWith('GET Namespace'))).toEqual([]);
  });

  test('a LIST the server refuses falls back to a GET each', async () => {
    const kube = new FakeKube();
    const list = kube.list.bind(kube);
    kube.list = (apiVersion, kind, o) => (kind === 'ConfigMap' ? Promise.reject(new KubeApiError(403, 'Forbidden', 'configmaps is forbidden')) : list(apiVersion, kind, o));
    await applyObjects(many(2), kube, options());
    const r = await applyObjects(many(2), kube, options());
    expect(countOutcomes(r.results)).toMatchObject({ unchanged: 4, failed: 0 });
    expect(kube.calls.filter((c) => c.startsWith('GET ConfigMap'))).toHaveLength(4);
  });

  test('concurrency 1 sends one at a time', async () => {
    const kube = new FakeKube();
    kube.applyDelayMs = () => 1;
    await applyObjects(many(3), kube, options({ concurrency: 1 }));
    expect(kube.maxInFlight).toBe(1);
  });

  test('a connection failure part-way: the requests in flight finish, nothing more is sent, the rest is listed as not applied', async () => {
    const kube = new FakeKube();
    kube.applyDelayMs = slowFirst;
    kube.dropConnectionAtApply = 5; // the third ConfigMap, after both namespaces
    const o = options({ concurrency: 3 });
    const r = await applyObjects(many(6), kube, o);
    expect(r.aborted).toContain('ECONNREFUSED');
    const outcomes = r.results.map((x) => `${x.ref.name} ${x.outcome}`);
    // c0 and c1 were in flight with c2, whose failure comes back first: they still finish.
    expect(outcomes.slice(0, 5)).toEqual(['ns0 created', 'ns1 created', 'c0 created', 'c1 created', 'c2 not-applied']);
    expect(outcomes.slice(5)).toEqual([...['c3', 'c4', 'c5'].map((c) => `${c} not-applied`), ...Array.from({ length: 6 }, (_, i) => `s${i} not-applied`)]);
    expect(r.results[4].detail).toMatch(/^the connection failed while applying it: .*ECONNREFUSED/);
    expect(r.results[5].detail).toBe('stopped before sending it');
    expect(kube.calls.filter((c) => c.startsWith('APPLY')).length).toBe(5);
  });
});

describe('classify', () => {
  const obj = (rv: string, data = 'a'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: rv }, data });
  test('created, unchanged by resourceVersion or content, configured; dry runs compare content', () => {
    expect(classify(undefined, obj('1'), false)).toBe('created');
    expect(classify(obj('1'), obj('1'), false)).toBe('unchanged');
    expect(classify(obj('1'), obj('2', 'b'), false)).toBe('configured');
    // Written, but it reads the same (the server's first write after creating some custom resources).
    expect(classify(obj('1'), obj('2'), false)).toBe('unchanged');
    expect(classify(obj('1'), obj('1'), true)).toBe('unchanged');
    expect(classify(obj('1'), obj('1', 'b'), true)).toBe('configured');
    const withFields = (fields: object): KubeObject => ({ ...obj('1'), metadata: { ...obj('1').metadata, managedFields: [{ manager: 'netkit', operation: 'Apply', ...fields }] } });
    expect(classify(withFields({ fieldsV1: { 'f:spec': { '.': {} } } }), withFields({ fieldsV1: { 'f:spec': {} } }), true)).toBe('unchanged');
  });
});

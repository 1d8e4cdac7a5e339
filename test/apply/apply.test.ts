import { applyObjects, classify, countOutcomes, formatResult, guessPlural, holdsIntent, type ApplyOptions } from '../../lib/apply/apply';
import { applySetId, type ApplySetParent } from '../../lib/apply/applyset';
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

const SHOP: ApplySetParent = { apiVersion: 'v1', kind: 'Secret', name: 'shop', namespace: 'shop' };
const SHOP_ID = applySetId(SHOP);

function setOf(name: string, namespace = name): ApplyOptions['applySet'] {
  return { parent: { apiVersion: 'v1', kind: 'Secret', name, namespace }, toolVersion: 'v0.1.0' };
}

function options(over: Partial<ApplyOptions> = {}): ApplyOptions & { lines: string[] } {
  const lines: string[] = [];
  return { applySet: setOf('shop'), dryRun: false, forceConflicts: false, prune: false, log: (l) => lines.push(l), lines, ...over };
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
    expect((svc.metadata as Json).labels).toEqual({ 'applyset.kubernetes.io/part-of': SHOP_ID });
    // The parent is written after the namespace it lives in exists, before any member.
    expect(kube.calls.filter((c) => c.startsWith('APPLY'))).toEqual([
      'APPLY Namespace /shop', 'APPLY Secret shop/shop', 'APPLY ConfigMap shop/settings', 'APPLY Service shop/web', 'APPLY Deployment shop/web',
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

  test('the server going away part-way stops the run: the lost request is unknown, the rest not sent', async () => {
    const kube = new FakeKube();
    kube.goDownAtApply = 4; // namespace, parent, configmap, then the Service
    const r = await applyObjects(manifests(), kube, options());
    expect(r.aborted).toContain('ECONNREFUSED');
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap created', 'Service unknown', 'Deployment failed']);
    expect(r.results[2].detail).toMatch(/^the answer was lost \(.*ECONNREFUSED\) and the server could not be asked again/);
    expect(r.results[3].error).toMatchObject({ status: 0, reason: 'NotSent' });
  });

  test('a server dry run persists nothing, skips objects whose namespace does not exist, and reports changes', async () => {
    const fresh = new FakeKube();
    const o = options({ dryRun: true });
    const r = await applyObjects(manifests(), fresh, o);
    expect(fresh.store.size).toBe(0);
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap unknown', 'Service unknown', 'Deployment unknown']);
    expect(o.lines[0]).toBe('Namespace shop created (server dry run) (implied: 3 objects use it)');
    expect(o.lines[1]).toMatch(/^ConfigMap shop\/settings unknown \(namespace shop does not exist yet/);

    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    const changed = manifests().map((m) => (m.ref.kind === 'ConfigMap' ? { ...m, raw: { ...m.raw, data: { a: '3' } } } : m));
    const dry = await applyObjects(changed, kube, options({ dryRun: true }));
    expect(dry.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['ConfigMap configured', 'Service unchanged', 'Deployment unchanged']);
    expect((kube.store.get('v1/ConfigMap/shop/settings') as { data: Json }).data).toEqual({ a: '1' });
  });

  test('prune deletes only members of this apply set that it applied and that are no longer in the manifests', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    // Objects prune must keep: another apply set's, a controller's copy of our labels, someone else's object with our label.
    await applyObjects(manifests().filter((m) => m.ref.kind === 'ConfigMap').map((m) => ({ ...m, raw: { ...m.raw, metadata: { name: 'other', namespace: 'shop' } } })), kube, options({ applySet: setOf('other', 'shop') }));
    kube.seed({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', namespace: 'shop', labels: { 'applyset.kubernetes.io/part-of': SHOP_ID }, ownerReferences: [{ kind: 'Service', name: 'web', controller: true }], managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] } });
    kube.seed({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop', labels: { 'applyset.kubernetes.io/part-of': SHOP_ID }, managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] } });
    kube.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made', namespace: 'shop', labels: { 'applyset.kubernetes.io/part-of': SHOP_ID }, managedFields: [{ manager: 'kubectl-edit', operation: 'Update' }] } });

    const o = options({ prune: true });
    const withoutConfigMap = manifests().filter((m) => m.ref.kind !== 'ConfigMap');
    const dry = await applyObjects(withoutConfigMap, kube, { ...o, dryRun: true });
    expect(dry.pruned.map((p) => `${p.ref.kind} ${p.ref.name} ${p.outcome}`)).toEqual(['ConfigMap settings pruned']);
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(true);

    kube.calls.length = 0;
    const r = await applyObjects(withoutConfigMap, kube, o);
    expect(r.pruned.map((p) => `${p.ref.kind} ${p.ref.name} ${p.outcome}`)).toEqual(['ConfigMap settings pruned']);
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(false);
    expect(kube.store.has('v1/ConfigMap/shop/other')).toBe(true);
    expect(kube.store.has('v1/ConfigMap/shop/hand-made')).toBe(true);
    expect(kube.store.has('discovery.k8s.io/v1/EndpointSlice/shop/web-abcde')).toBe(true);
    expect(kube.store.has('v1/Endpoints/shop/web')).toBe(true);
    expect(o.lines).toContain("ConfigMap shop/hand-made kept: carries the set's label but was not applied by field manager netkit");
    // Only the recorded kinds were listed, by the member label, in the recorded namespace; never EndpointSlices or Endpoints.
    expect(kube.calls.filter((c) => c.startsWith('LIST') && !c.includes('ns0'))).toEqual([
      `LIST ConfigMap shop applyset.kubernetes.io/part-of=${SHOP_ID}`, `LIST Deployment shop applyset.kubernetes.io/part-of=${SHOP_ID}`, `LIST Service shop applyset.kubernetes.io/part-of=${SHOP_ID}`,
    ]);
    // After a complete prune the parent records exactly this run's kinds.
    const parent = kube.store.get('v1/Secret/shop/shop') as { metadata: { labels: Json; annotations: Json } };
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': SHOP_ID });
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'netkit/v0.1.0', 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps,Service', 'applyset.kubernetes.io/additional-namespaces': '',
    });
    // The implied Namespace is never a member.
    expect(kube.store.has('v1/Namespace//shop')).toBe(true);
  });

  test('two projects with their own apply sets never prune each other', async () => {
    const kube = new FakeKube();
    const teamA = fromObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-a-config', namespace: 'team-a' }, data: { a: '1' } }]).objects;
    const teamB = fromObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-b-config', namespace: 'team-b' }, data: { b: '1' } }]).objects;
    await applyObjects(teamA, kube, options({ applySet: setOf('team-a') }));
    await applyObjects(teamB, kube, options({ applySet: setOf('team-b') }));
    // team-b empties its set: only its own ConfigMap goes.
    const r = await applyObjects(fromObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'team-b' }, spec: { ports: [{ port: 80 }] } }]).objects, kube, options({ applySet: setOf('team-b'), prune: true }));
    expect(r.pruned.map((p) => describe2(p.ref))).toEqual(['ConfigMap team-b/team-b-config']);
    expect(kube.store.has('v1/ConfigMap/team-a/team-a-config')).toBe(true);
  });

  test('a cluster-scoped kind the loader does not know is applied without a namespace (discovery) and never pruned while in the manifests', async () => {
    const kube = new FakeKube();
    const flows = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'my-flows' }, spec: { priorityLevelConfiguration: { name: 'global-default' } } };
    const objects = manifests([flows]);
    // The loader's guess: namespaced, in `default`.
    expect(objects.find((m) => m.ref.kind === 'FlowSchema')?.ref.namespace).toBe('default');
    const first = await applyObjects(objects, kube, options({ prune: true }));
    expect(first.results.find((r) => r.ref.kind === 'FlowSchema')).toMatchObject({ outcome: 'created', ref: { name: 'my-flows' } });
    expect(first.results.find((r) => r.ref.kind === 'FlowSchema')?.ref.namespace).toBeUndefined();
    expect(kube.store.has('flowcontrol.apiserver.k8s.io/v1/FlowSchema//my-flows')).toBe(true);
    const second = await applyObjects(objects, kube, options({ prune: true }));
    expect(second.pruned).toEqual([]);
    expect(second.results.find((r) => r.ref.kind === 'FlowSchema')?.outcome).toBe('unchanged');
    expect(kube.store.has('flowcontrol.apiserver.k8s.io/v1/FlowSchema//my-flows')).toBe(true);
    const parent = kube.store.get('v1/Secret/shop/shop') as { metadata: { annotations: Json } };
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,FlowSchema.flowcontrol.apiserver.k8s.io,Service');
    // Dropped from the manifests, it is pruned cluster-wide.
    const third = await applyObjects(manifests(), kube, options({ prune: true }));
    expect(third.pruned.map((p) => describe2(p.ref))).toEqual(['FlowSchema my-flows']);
  });

  test('a parent another tool manages (or that is not a parent) is refused before anything is sent', async () => {
    const kube = new FakeKube();
    kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    kube.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop', namespace: 'shop', labels: { 'applyset.kubernetes.io/id': SHOP_ID }, annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.36.3', 'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap' } } });
    const o = options({ prune: true });
    const r = await applyObjects(manifests(), kube, o);
    expect(r.aborted).toContain('managed by "kubectl/v1.36.3", not netkit');
    expect(r.results.every((x) => x.outcome === 'failed' && x.error?.reason === 'NotSent')).toBe(true);
    expect(kube.calls.filter((c) => c.startsWith('APPLY') || c.startsWith('DELETE'))).toEqual([]);

    kube.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop', namespace: 'shop', data: {} } });
    const plain = await applyObjects(manifests(), kube, options());
    expect(plain.aborted).toContain('is not an apply set parent');
  });

  test('a lost answer is re-read: applied means created or configured, not there means failed; the run goes on', async () => {
    const kube = new FakeKube();
    kube.loseApplyAnswer = (o) => o.kind === 'ConfigMap';
    const o = options();
    const r = await applyObjects(manifests(), kube, o);
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap created', 'Service created', 'Deployment created']);
    expect(o.lines).toContainEqual(expect.stringMatching(/^ConfigMap shop\/settings created \(the answer was lost \(.*\); re-read from the server\)$/));
    expect(r.aborted).toBeUndefined();

    const again = new FakeKube();
    again.dropConnectionAtApply = 3; // the ConfigMap: the request never reached the server
    const r2 = await applyObjects(manifests(), again, options());
    expect(r2.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual(['Namespace created', 'ConfigMap failed', 'Service created', 'Deployment created']);
    expect(r2.results[1].error?.message).toMatch(/re-read from the server: it does not exist, so it was not applied$/);
  });

  test('an interrupted prune reports what is really gone, and the parent keeps the wider record', async () => {
    const kube = new FakeKube();
    const extra = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'shop' }, data: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'shop' }, data: {} },
    ];
    await applyObjects(manifests(extra), kube, options());
    // c1's delete goes through but its answer is lost, and the server is gone from then on.
    kube.loseDeleteAnswer = (ref) => {
      if (ref.name !== 'c1') return false;
      kube.down = true;
      return true;
    };
    const without = manifests().filter((m) => m.ref.kind !== 'ConfigMap');
    kube.calls.length = 0;
    const r = await applyObjects(without, kube, options({ prune: true }));
    const deletes = kube.calls.filter((c) => c.startsWith('DELETE'));
    expect(deletes[deletes.length - 1]).toBe('DELETE ConfigMap shop/c1');
    const byName = new Map(r.pruned.map((p) => [p.ref.name, p]));
    // Deleted before the cut: pruned. The one whose answer was lost: unknown (no way to ask). After: not deleted.
    for (const p of r.pruned) {
      const gone = !kube.store.has(`v1/ConfigMap/shop/${p.ref.name}`);
      if (p.outcome === 'pruned') expect(gone).toBe(true);
      if (p.outcome === 'failed') expect(gone).toBe(false);
    }
    expect(byName.get('c1')?.outcome).toBe('unknown');
    expect(r.pruned.filter((p) => p.outcome === 'pruned').length + 1).toBe(deletes.length);
    expect(r.aborted).toMatch(/^prune: /);
    kube.down = false;
    const parent = kube.store.get('v1/Secret/shop/shop') as { metadata: { annotations: Json } };
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,Service');
  });

  test('a lost delete answer with the server still there is re-read: gone means pruned', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    kube.loseDeleteAnswer = () => true;
    const r = await applyObjects(manifests().filter((m) => m.ref.kind !== 'ConfigMap'), kube, options({ prune: true }));
    expect(r.pruned).toMatchObject([{ ref: { name: 'settings' }, outcome: 'pruned', detail: expect.stringMatching(/re-read from the server: it is gone$/) }]);
    expect(r.aborted).toBeUndefined();
  });

  test('a namespace prune may not list: reported, its members kept, the parent keeps the wider record', async () => {
    const kube = new FakeKube();
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'far', namespace: 'locked' }, data: {} };
    await applyObjects(manifests([other]), kube, options());
    let parent = kube.store.get('v1/Secret/shop/shop') as { metadata: { annotations: Json } };
    expect(parent.metadata.annotations['applyset.kubernetes.io/additional-namespaces']).toBe('locked');
    kube.failList = (kind, ns) => (ns === 'locked' ? new KubeApiError(403, 'Forbidden', `${kind.toLowerCase()}s is forbidden: User "limited" cannot list resource in the namespace "locked"`) : undefined);
    const r = await applyObjects(manifests().filter((m) => m.ref.kind !== 'ConfigMap'), kube, options({ prune: true }));
    expect(r.pruned.map((p) => `${p.ref.name} ${p.outcome}`)).toEqual(['settings pruned']);
    expect(r.pruneNotListed).toEqual(expect.arrayContaining([{ groupKind: 'ConfigMap', namespace: 'locked', why: expect.stringContaining('403 Forbidden') }]));
    expect(kube.store.has('v1/ConfigMap/locked/far')).toBe(true);
    parent = kube.store.get('v1/Secret/shop/shop') as { metadata: { annotations: Json } };
    expect(parent.metadata.annotations['applyset.kubernetes.io/additional-namespaces']).toBe('locked');
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,Service');
  });

  test('kinds the server does not serve: one line per kind with the CRD to install, none of their objects sent', async () => {
    const kube = new FakeKube();
    const rules = Array.from({ length: 3 }, (_, i) => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `dr${i}`, namespace: 'shop' }, spec: { host: 'web' } }));
    const o = options();
    const r = await applyObjects(manifests(rules), kube, o);
    expect(r.unserved).toEqual([{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', objects: 3, crd: 'destinationrules.networking.istio.io', project: 'Istio' }]);
    expect(o.lines.filter((l) => l.includes('DestinationRule'))).toEqual([
      'error: networking.istio.io/v1 DestinationRule: the server does not serve this kind; 3 objects not sent (fix: install its CustomResourceDefinition from Istio, destinationrules.networking.istio.io, or add it to the manifests)',
    ]);
    expect(kube.calls.filter((c) => c.includes('DestinationRule'))).toEqual([]);
    expect(r.results.filter((x) => x.ref.kind === 'DestinationRule').map((x) => `${x.outcome} ${x.error?.reason}`)).toEqual(['failed NotServed', 'failed NotServed', 'failed NotServed']);
  });

  test('prune does not run after a failed apply', async () => {
    const kube = new FakeKube();
    await applyObjects(manifests(), kube, options());
    kube.failApply = (obj) => (obj.kind === 'Deployment' ? new KubeApiError(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl"') : undefined);
    const r = await applyObjects(manifests().filter((m) => m.ref.kind !== 'ConfigMap'), kube, options({ prune: true }));
    expect(r.pruneSkipped).toBe('1 object failed or ended unknown; prune only runs after a complete apply');
    expect(kube.store.has('v1/ConfigMap/shop/settings')).toBe(true);
  });

  test('custom resources wait for their CRD, whose scope decides their namespace; a kind nothing serves fails with a hint', async () => {
    const kube = new FakeKube();
    const crd = (plural: string, kind: string, scope: string): Json => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.example.com` }, spec: { group: 'example.com', scope, names: { kind, plural }, versions: [{ name: 'v1', served: true, storage: true }] } });
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } };
    // Cluster-scoped per its CRD: the namespace written on it is dropped.
    const cog = { apiVersion: 'example.com/v1', kind: 'Cog', metadata: { name: 'c', namespace: 'shop' } };
    // The fake serves the kinds once their CRDs are applied.
    const origApply = kube.apply.bind(kube);
    kube.apply = async (o, opts) => {
      const r = await origApply(o, opts);
      if (o.kind === 'CustomResourceDefinition' && o.metadata.name === 'widgets.example.com') kube.kinds['example.com/v1/Widget'] = { name: 'widgets', namespaced: true };
      if (o.kind === 'CustomResourceDefinition' && o.metadata.name === 'cogs.example.com') kube.kinds['example.com/v1/Cog'] = { name: 'cogs', namespaced: false };
      return r;
    };
    const o = options({ prune: true });
    const objects = manifests([widget, cog, crd('widgets', 'Widget', 'Namespaced'), crd('cogs', 'Cog', 'Cluster'), { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' } }]);
    const r = await applyObjects(objects, kube, o);
    expect(r.results.map((x) => `${x.ref.kind} ${x.outcome}`)).toEqual([
      'Namespace created', 'CustomResourceDefinition created', 'CustomResourceDefinition created', 'ConfigMap created', 'Service created', 'Deployment created', 'Widget created', 'Cog created', 'Gadget failed',
    ]);
    expect(formatResult(r.results[7], false)).toBe('Cog c created (cluster-scoped: metadata.namespace "shop" ignored)');
    expect(kube.store.has('example.com/v1/Cog//c')).toBe(true);
    expect(formatResult(r.results[8], false)).toContain('404 NotServed: the server does not serve example.com/v1 Gadget');
    expect(r.pruneSkipped).toBeDefined();
    expect(kube.calls.lastIndexOf('GET CustomResourceDefinition /widgets.example.com')).toBeGreaterThan(kube.calls.indexOf('APPLY CustomResourceDefinition /widgets.example.com'));
    // Without the unserved kind, a second run prunes nothing: the cluster-scoped Cog is recognised as in the manifests.
    const again = await applyObjects(objects.filter((m) => m.ref.kind !== 'Gadget'), kube, options({ prune: true }));
    expect(again.pruned).toEqual([]);
    expect(kube.store.has('example.com/v1/Cog//c')).toBe(true);
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
  const slowFirst = (o: KubeObject): number => (o.kind === 'Namespace' || o.kind === 'Secret' ? 1 : 20 - Number(o.metadata.name.slice(1)));
  /** These tests' objects live in ns0 and ns1; the apply set's parent in ns0. */
  const NS0_ID = applySetId({ ...SHOP, namespace: 'ns0' });
  const inNs0 = (over: Partial<ApplyOptions> = {}): ApplyOptions & { lines: string[] } => options({ applySet: setOf('shop', 'ns0'), ...over });

  test('one kind at a time, at most `concurrency` requests in flight; lines and results in the apply order', async () => {
    const kube = new FakeKube();
    kube.applyDelayMs = slowFirst;
    const o = inNs0({ concurrency: 4 });
    const r = await applyObjects(many(10), kube, o);
    expect(kube.maxInFlight).toBe(4);
    const order = ['Namespace ns0', 'Namespace ns1', ...Array.from({ length: 10 }, (_, i) => `ConfigMap ns${i % 2}/c${i}`), ...Array.from({ length: 10 }, (_, i) => `Service ns${i % 2}/s${i}`)];
    expect(o.lines).toEqual(order.map((x) => `${x} created${x.startsWith('Namespace') ? ` (implied: 10 objects use it)` : ''}`));
    expect(r.results.map((x) => `${x.ref.kind} ${x.ref.namespace ? `${x.ref.namespace}/` : ''}${x.ref.name}`)).toEqual(order);
    // Every ConfigMap was sent before the first Service (Helm's order between steps).
    const applies = kube.calls.filter((c) => c.startsWith('APPLY'));
    expect(applies.findIndex((c) => c.startsWith('APPLY Service'))).toBe(applies.filter((c) => !c.startsWith('APPLY Service')).length);
    // Again: the same lines, all unchanged, whatever the timing.
    const again = inNs0({ concurrency: 7 });
    await applyObjects(many(10), kube, again);
    expect(again.lines).toEqual(order.slice(2).map((x) => `${x} unchanged`));
  });

  test('several objects of a kind in a namespace: one LIST by apply set instead of a GET each; outcomes as with GETs', async () => {
    const kube = new FakeKube();
    // Someone else's ConfigMap with the name of one of ours: it exists but without our labels.
    kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns0' } });
    kube.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'ns0' }, data: { i: '2' } });
    const first = await applyObjects(many(4), kube, inNs0());
    expect(first.results.map((r) => `${r.ref.name} ${r.outcome}`)).toEqual([
      'ns1 created', 'c0 created', 'c1 created', 'c2 configured', 'c3 created', 's0 created', 's1 created', 's2 created', 's3 created',
    ]);
    const reads = (): string[] => kube.calls.filter((c) => c.startsWith('GET') || c.startsWith('LIST'));
    expect(reads()).toEqual([
      'GET Secret ns0/shop', 'GET Namespace /ns0', 'GET Namespace /ns1',
      `LIST ConfigMap ns0 applyset.kubernetes.io/part-of=${NS0_ID}`, `LIST ConfigMap ns1 applyset.kubernetes.io/part-of=${NS0_ID}`,
      `LIST Service ns0 applyset.kubernetes.io/part-of=${NS0_ID}`, `LIST Service ns1 applyset.kubernetes.io/part-of=${NS0_ID}`,
    ]);
    kube.calls.length = 0;
    const changed = many(4).map((m) => (m.ref.name === 'c1' ? { ...m, raw: { ...m.raw, data: { i: 'changed' } } } : m));
    const dry = await applyObjects(changed, kube, inNs0({ dryRun: true }));
    expect(dry.results.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.ref.name} ${r.outcome}`)).toEqual(['c1 configured']);
    const again = await applyObjects(changed, kube, inNs0());
    expect(again.results.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.ref.name} ${r.outcome}`)).toEqual(['c1 configured']);
    expect(reads().filter((c) => c.startsWith('GET') && !c.startsWith('GET Namespace') && !c.startsWith('GET Secret ns0/shop'))).toEqual([]);
  });

  test('a LIST the server refuses falls back to a GET each', async () => {
    const kube = new FakeKube();
    const list = kube.list.bind(kube);
    kube.list = (apiVersion, kind, o) => (kind === 'ConfigMap' ? Promise.reject(new KubeApiError(403, 'Forbidden', 'configmaps is forbidden')) : list(apiVersion, kind, o));
    await applyObjects(many(2), kube, inNs0());
    const r = await applyObjects(many(2), kube, inNs0());
    expect(countOutcomes(r.results)).toMatchObject({ unchanged: 4, failed: 0 });
    expect(kube.calls.filter((c) => c.startsWith('GET ConfigMap'))).toHaveLength(4);
  });

  test('concurrency 1 sends one at a time', async () => {
    const kube = new FakeKube();
    kube.applyDelayMs = () => 1;
    await applyObjects(many(3), kube, inNs0({ concurrency: 1 }));
    expect(kube.maxInFlight).toBe(1);
  });

  test('the server going away part-way: the requests in flight end unknown, nothing more is sent, the rest is listed as not sent', async () => {
    const kube = new FakeKube();
    // c0 and c1 are held until c2 (the third ConfigMap, after both namespaces and the parent)
    // brings the server down: timers 1 ms apart raced under load.
    kube.holdUntilDown = (x) => x.metadata.name === 'c0' || x.metadata.name === 'c1';
    kube.goDownAtApply = 6;
    const o = inNs0({ concurrency: 3 });
    const r = await applyObjects(many(6), kube, o);
    expect(r.aborted).toContain('ECONNREFUSED');
    const outcomes = r.results.map((x) => `${x.ref.name} ${x.outcome}`);
    // c0 and c1 were in flight with c2 when the server went away: their answers are lost too, and nobody can be asked.
    expect(outcomes.slice(0, 5)).toEqual(['ns0 created', 'ns1 created', 'c0 unknown', 'c1 unknown', 'c2 unknown']);
    expect(outcomes.slice(5)).toEqual([...['c3', 'c4', 'c5'].map((c) => `${c} failed`), ...Array.from({ length: 6 }, (_, i) => `s${i} failed`)]);
    expect(r.results[4].detail).toMatch(/^the answer was lost \(.*ECONNREFUSED\) and the server could not be asked again/);
    expect(r.results[5].error?.message).toMatch(/^stopped before sending it: .*ECONNREFUSED/);
    expect(kube.calls.filter((c) => c.startsWith('APPLY')).length).toBe(6);
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

function describe2(ref: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

describe('helpers', () => {
  test('holdsIntent: every field of the intent, server additions ignored, lists element by element', () => {
    expect(holdsIntent({ a: 1, b: { c: [1, { d: 2, e: 3 }] }, extra: true }, { a: 1, b: { c: [1, { d: 2 }] } })).toBe(true);
    expect(holdsIntent({ a: 1, b: { c: [1] } }, { a: 1, b: { c: [1, 2] } })).toBe(false);
    expect(holdsIntent({ a: '0.5' }, { a: '500m' })).toBe(false);
  });
  test('guessPlural follows kubectl\'s naive pluralisation', () => {
    expect(['DestinationRule', 'Gateway', 'Policy', 'Ingress', 'Mesh'].map(guessPlural)).toEqual(['destinationrules', 'gateways', 'policies', 'ingresses', 'meshes']);
  });
});

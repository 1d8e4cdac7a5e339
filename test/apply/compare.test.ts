import { compareLive, pairPods, type LiveState } from '../../lib/apply/compare';
import { liveFromSimulation, mutable, shopManifests, simulate } from './live-fixtures';

type Json = Record<string, unknown>;

const asLive = (m: ReturnType<typeof mutable>): LiveState => m as unknown as LiveState;

function sliceOf(m: ReturnType<typeof mutable>, service: string): Json {
  const s = m.endpointSlices.find((x) => ((x.metadata as Json).labels as Json)['kubernetes.io/service-name'] === service);
  if (!s) throw new Error(`no slice for ${service}`);
  return s;
}

describe('compareLive', () => {
  const sim = simulate(shopManifests());
  const live = liveFromSimulation(sim);

  test('a cluster that matches has no differences, although names, IPs, labels and defaults differ', () => {
    const c = compareLive(sim, live);
    expect(c.differences).toEqual([]);
    expect(c.compared).toEqual({ services: 3, endpoints: 2, endpointSliceGroups: 2, workloads: 2 });
    // The live state really does differ in the normalized ways.
    expect(live.pods.map((p) => p.metadata.name)).not.toEqual([...sim.pods.values()].map((p) => p.name));
  });

  test('generated pod names pair within their workload, preferring the same node', () => {
    const m = mutable(live);
    // Reverse the live order: pairing must still follow the nodes, not the order.
    m.pods.reverse();
    const pairs = pairPods(sim.pods.values(), asLive(m).pods);
    for (const [liveKey, engineKey] of pairs) {
      const lp = m.pods.find((p) => `${(p.metadata as Json).namespace}/${(p.metadata as Json).name}` === liveKey) as Json;
      expect((lp.spec as Json).nodeName).toBe(sim.pods.get(engineKey)?.nodeName);
    }
    expect(pairs.size).toBe(5);
    expect(pairs.get('shop/db-0')).toBe('shop/db-0');
  });

  test('an endpoint that is not ready shows in the slice and in Endpoints', () => {
    const m = mutable(live);
    const slice = sliceOf(m, 'web');
    const ep = (slice.endpoints as Json[])[0];
    (ep.conditions as Json).ready = false;
    (ep.conditions as Json).serving = false;
    const endpoints = m.endpoints.find((e) => (e.metadata as Json).name === 'web') as Json;
    const subset = (endpoints.subsets as Json[])[0];
    subset.notReadyAddresses = [(subset.addresses as Json[]).shift()];
    const d = compareLive(sim, asLive(m)).differences;
    expect(d.map((x) => `${x.object} | ${x.field} | ${JSON.stringify(x.expected)} -> ${JSON.stringify(x.live)}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^EndpointSlices of Service shop\/web \[IPv4 http\/TCP\/8080\] \| endpoint pod shop\/web-\S+: conditions.ready \| true -> false$/),
      expect.stringMatching(/endpoint pod shop\/web-\S+: conditions.serving \| true -> false$/),
      expect.stringMatching(/^Endpoints shop\/web \| subsets\[ports http\/TCP\/8080\]\.addresses: pod shop\/web-\S+ \| "present" -> null$/),
      expect.stringMatching(/^Endpoints shop\/web \| subsets\[ports http\/TCP\/8080\]\.notReadyAddresses: pod shop\/web-\S+ \| null -> "present"$/),
    ]));
    expect(d).toHaveLength(4);
  });

  test('a missing endpoint, a changed hostname and a Service field are each reported', () => {
    const m = mutable(live);
    const web = sliceOf(m, 'web');
    (web.endpoints as Json[]).pop();
    const db = sliceOf(m, 'db');
    ((db.endpoints as Json[])[0]).hostname = 'other';
    const svc = m.services.find((s) => (s.metadata as Json).name === 'web') as Json;
    ((svc.spec as Json).ports as Json[])[0].targetPort = 8080;
    const d = compareLive(sim, asLive(m)).differences;
    const fields = d.map((x) => `${x.object} ${x.field}`);
    expect(fields).toContain('Service shop/web spec.ports[0].targetPort');
    expect(fields.some((f) => /shop\/web \[IPv4 http\/TCP\/8080\] endpoint pod shop\/web-\S+$/.test(f))).toBe(true);
    expect(fields).toContain('EndpointSlices of Service shop/db [IPv4 pg/TCP/5432] endpoint pod shop/db-0: hostname');
    expect(d.find((x) => x.field === 'spec.ports[0].targetPort')).toMatchObject({ expected: 'http', live: 8080, kind: 'service' });
  });

  /** Put live pod `pod` on `node` everywhere the cluster records it (pod, slices, Endpoints). */
  function moveLivePod(m: ReturnType<typeof mutable>, pod: string, node: string, zone: string): void {
    const p = m.pods.find((x) => (x.metadata as Json).name === pod) as Json;
    (p.spec as Json).nodeName = node;
    for (const s of m.endpointSlices) {
      for (const e of s.endpoints as Json[]) if ((e.targetRef as Json).name === pod) { e.nodeName = node; e.zone = zone; }
    }
    for (const ep of m.endpoints) {
      for (const sub of (ep.subsets ?? []) as Json[]) {
        for (const a of [...((sub.addresses ?? []) as Json[]), ...((sub.notReadyAddresses ?? []) as Json[])]) if ((a.targetRef as Json).name === pod) a.nodeName = node;
      }
    }
  }

  test('placement: the spread counts, not which node; a different spread is a placement difference, left out with ignorePlacement', () => {
    const node = (pod: string) => sim.pods.get(`shop/${pod}`)?.nodeName as string;
    const zone = (n: string) => sim.nodes.get(n)?.zone as string;
    const [n0, n1] = [node('db-0'), node('db-1')];
    const swapped = mutable(live);
    moveLivePod(swapped, 'db-0', n1, zone(n1));
    moveLivePod(swapped, 'db-1', n0, zone(n0));
    expect(compareLive(sim, asLive(swapped)).differences).toEqual([]);

    const stacked = mutable(live);
    moveLivePod(stacked, 'db-1', n0, zone(n0));
    expect(compareLive(sim, asLive(stacked)).differences).toEqual([
      { object: 'StatefulSet shop/db', field: 'pods per node', expected: [1, 1], live: [2], kind: 'placement' },
      { object: 'StatefulSet shop/db', field: 'pods per zone', expected: [1, 1], live: [2], kind: 'placement' },
    ]);
    // Another node with the same spread (one pod per node and zone) is no difference.
    const elsewhere = mutable(live);
    const n2 = [...sim.nodes.keys()].find((n) => n !== n0 && n !== n1) as string;
    moveLivePod(elsewhere, 'db-1', n2, zone(n2));
    expect(compareLive(sim, asLive(elsewhere)).differences).toEqual([]);
    const ignored = compareLive(sim, asLive(stacked), { ignorePlacement: true });
    expect(ignored.differences).toEqual([]);
    expect(ignored.compared.workloads).toBe(0);
  });

  test('an endpoint whose node or zone is not its pod\'s is a controller difference', () => {
    const m = mutable(live);
    const db = sliceOf(m, 'db');
    const ep = (db.endpoints as Json[]).find((e) => (e.targetRef as Json).name === 'db-1') as Json;
    ep.zone = 'zone-x';
    expect(compareLive(sim, asLive(m)).differences).toEqual([{
      object: 'EndpointSlices of Service shop/db [IPv4 pg/TCP/5432]', field: 'endpoint pod shop/db-1: zone',
      expected: sim.nodes.get(sim.pods.get('shop/db-1')?.nodeName as string)?.zone, live: 'zone-x', kind: 'controller',
    }]);
  });

  test('slices split differently, a slice group the runtime does not predict, and a missing Service', () => {
    const m = mutable(live);
    const web = sliceOf(m, 'web');
    const second = JSON.parse(JSON.stringify(web)) as Json;
    (second.metadata as Json).name = 'web-extra';
    second.endpoints = [(web.endpoints as Json[]).pop()];
    const v6 = JSON.parse(JSON.stringify(web)) as Json;
    (v6.metadata as Json).name = 'web-v6';
    v6.addressType = 'IPv6';
    v6.endpoints = [];
    m.endpointSlices.push(second, v6);
    m.services = m.services.filter((s) => (s.metadata as Json).name !== 'billing');
    const d = compareLive(sim, asLive(m)).differences;
    expect(d).toEqual([
      { object: 'Service shop/billing', field: '(object)', expected: 'present', live: null, kind: 'service' },
      { object: 'EndpointSlices of Service shop/web [IPv4 http/TCP/8080]', field: 'number of slices', expected: 1, live: 2, kind: 'controller' },
      { object: 'EndpointSlices of Service shop/web [IPv6 http/TCP/8080]', field: '(slices)', expected: null, live: '1 slice(s), 0 endpoint(s)', kind: 'controller' },
    ]);
  });

  test('copied labels are compared, the ownership labels apply adds are not', () => {
    const m = mutable(live);
    const web = sliceOf(m, 'web');
    (web.metadata as Json).labels = { ...((web.metadata as Json).labels as Json), tier: 'back' };
    const d = compareLive(sim, asLive(m)).differences;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ field: 'metadata.labels', expected: expect.objectContaining({ tier: 'front' }), live: expect.objectContaining({ tier: 'back' }) });
    expect(JSON.stringify(d[0].live)).not.toContain('netkit');
  });

  test('explicit nodePorts and clusterIPs are compared, allocated ones are not', () => {
    const manifests = shopManifests();
    manifests.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'a', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'b', port: 81, targetPort: 8080 }] } });
    const s = simulate(manifests);
    const m = mutable(liveFromSimulation(s));
    const np = m.services.find((x) => (x.metadata as Json).name === 'np') as Json;
    const ports = (np.spec as Json).ports as Json[];
    ports[0].nodePort = 30081;
    ports[1].nodePort = 31999; // allocated: not compared
    (np.spec as Json).externalTrafficPolicy = 'Cluster';
    const d = compareLive(s, asLive(m)).differences;
    expect(d).toEqual([{ object: 'Service shop/np', field: 'spec.ports[0].nodePort', expected: 30080, live: 30081, kind: 'service' }]);
  });

  test('a slice endpoint of a pod no predicted pod pairs with is named by its live pod', () => {
    const m = mutable(live);
    const web = sliceOf(m, 'web');
    const extra = JSON.parse(JSON.stringify((web.endpoints as Json[])[0])) as Json;
    (extra.targetRef as Json).name = 'web-7c9d8f6b5-zzzzz';
    extra.addresses = ['10.2.9.9'];
    (web.endpoints as Json[]).push(extra);
    const d = compareLive(sim, asLive(m)).differences;
    expect(d).toEqual([{
      object: 'EndpointSlices of Service shop/web [IPv4 http/TCP/8080]',
      field: 'endpoint pod shop/web-7c9d8f6b5-zzzzz (live name, no predicted pod pairs with it)',
      expected: null, live: 'present', kind: 'controller',
    }]);
  });

  test('terminating pods are left out of the placement on both sides', () => {
    const s = simulate(shopManifests());
    const doomed = [...s.pods.values()].find((p) => p.name.startsWith('web-')) as NonNullable<ReturnType<typeof s.pods.get>>;
    s.apply({ type: 'setPodTerminating', pod: `shop/${doomed.name}` });
    const m = mutable(liveFromSimulation(s));
    const livePod = m.pods.find((p) => (p.spec as Json).nodeName === doomed.nodeName && String((p.metadata as Json).name).startsWith('web-')) as Json;
    (livePod.metadata as Json).deletionTimestamp = '2025-01-01T00:00:00Z';
    // Both sides count the two pods that stay: no difference (the live one was skipped, the runtime's counted).
    expect(compareLive(s, asLive(m)).differences).toEqual([]);
    // The ReplicaSet replaced the terminating pod (FilterActivePods), and spreading ignores the
    // terminating one, so the replacement lands where it was: placement is as predicted.
    expect(m.pods.filter((p) => String((p.metadata as Json).name).startsWith('web-'))).toHaveLength(4);
    expect(compareLive(sim, asLive(mutable({ ...live, pods: asLive(m).pods }))).differences.filter((d) => d.kind === 'placement')).toEqual([]);
    // Without the replacement, one pod fewer live.
    const noReplacement = asLive(m).pods.filter((p) => live.pods.some((q) => q.metadata.name === p.metadata.name) || p.metadata.deletionTimestamp !== undefined);
    expect(compareLive(sim, asLive(mutable({ ...live, pods: noReplacement }))).differences.filter((d) => d.kind === 'placement')).toEqual([
      { object: 'Deployment shop/web', field: 'pods per node', expected: [1, 1, 1], live: [1, 1], kind: 'placement' },
      { object: 'Deployment shop/web', field: 'pods per zone', expected: [1, 1, 1], live: [1, 1], kind: 'placement' },
    ]);
  });

  test('an ExternalName Service keeps the selector its manifest gives; the runtime\'s model has none', () => {
    const manifests = shopManifests();
    const billing = manifests.find((o) => (o.metadata as Json).name === 'billing') as Json;
    (billing.spec as Json).selector = { app: 'web' };
    const s = simulate(manifests);
    expect(s.services.get('shop/billing')?.selector).toBeUndefined();
    const m = mutable(liveFromSimulation(s));
    expect(compareLive(s, asLive(m)).differences).toEqual([]);
    const svc = m.services.find((x) => (x.metadata as Json).name === 'billing') as Json;
    delete (svc.spec as Json).selector;
    expect(compareLive(s, asLive(m)).differences).toEqual([
      { object: 'Service shop/billing', field: 'spec.selector', expected: { app: 'web' }, live: null, kind: 'service' },
    ]);
  });

  test('generated names pair by readiness before node: the unready live pod stands for the unready predicted one', () => {
    const s = simulate(shopManifests());
    const web = [...s.pods.values()].filter((p) => p.name.startsWith('web-'));
    s.apply({ type: 'setPodReady', pod: `shop/${web[0].name}`, ready: false });
    const m = mutable(liveFromSimulation(s));
    const ready = (p: Json, r: boolean): void => { p.status = { conditions: [{ type: 'Ready', status: r ? 'True' : 'False' }] }; };
    const livePods = m.pods.filter((p) => String((p.metadata as Json).name).startsWith('web-'));
    // Live, another pod (on another node) is the unready one.
    livePods.forEach((p) => ready(p, (p.spec as Json).nodeName !== web[1].nodeName));
    const unreadyLive = livePods.find((p) => (p.spec as Json).nodeName === web[1].nodeName) as Json;
    const pairs = pairPods(s.pods.values(), asLive(m).pods);
    expect(pairs.get(`shop/${String((unreadyLive.metadata as Json).name)}`)).toBe(`shop/${web[0].name}`);
  });
});

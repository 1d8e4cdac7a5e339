/**
 * The differential suite's comparisons, against the engine alone (no cluster): the engine's own
 * state dressed up as a live cluster (fake-live.ts) must match itself through every
 * normalization, for every scenario and after every step; perturbations must be reported.
 * The live run is `npm run test:differential`.
 */
import type { KubeObject } from '../../lib/apply/types';
import { profileFromNodes } from '../../lib/apply/live';
import type { ClusterChange } from '../../lib/engine/changes';
import { Cluster } from '../../lib/engine/cluster';
import { defaultProfile, syntheticProfile } from '../../lib/engine/profile';
import type { IpFamily } from '../../lib/k8s/ip';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';
import { nodeObject } from '../cluster/profile';
import {
  comparePredicted, compareReplayed, compareShapes, engineShape, liveConsistency, liveShape, pairLivePods, podManifest,
  replayCluster, replayReconciler, sliceInvariants, type LiveSnapshot,
} from './compare';
import { engineAsLive } from './fake-live';
import { extraNodes, isPodNames, pickPods } from './scenario-run';
import { SCENARIOS, deployment, service, type Scenario } from './scenarios';
import { fingerprint, podsPending } from './settle';

type Json = Record<string, unknown>;

/** A registered node as KWOK reports it: Ready. */
function ready(n: KubeObject): KubeObject {
  return { ...n, status: { ...(n.status as Json), conditions: [{ type: 'Ready', status: 'True' }] } };
}

function baseNodes(families?: readonly IpFamily[]): KubeObject[] {
  if (!families) return defaultProfile().nodes.map((n) => ready(nodeObject(n) as KubeObject));
  // The nodes of test/cluster/up with NETKIT_CLUSTER_IP_FAMILIES (spec.podCIDRs one per family).
  return syntheticProfile({ ipFamilies: [...families] }).nodes.map((n) => ready(nodeObject(n, undefined, families) as KubeObject));
}

function nodesFor(sc: Scenario): KubeObject[] {
  return [...baseNodes(sc.ipFamilies), ...extraNodes(sc.extraNodes ?? 0).map(ready)];
}

function buildEngine(objects: readonly JsonObject[], nodes: readonly KubeObject[]): Cluster {
  const r = fromObjects(objects, '<test>');
  expect(r.errors.map(String)).toEqual([]);
  return Cluster.build(r.objects, profileFromNodes(nodes));
}

/** What the runner's doStep gives the engine, with the fake live cluster standing in for the real one. */
function engineChanges(ns: string, objects: readonly JsonObject[], engine: Cluster, live: LiveSnapshot, step: NonNullable<Scenario['steps']>[number]): ClusterChange[] {
  switch (step.type) {
    case 'scale':
      return [{ type: 'scale', workload: { kind: step.workload.kind, namespace: ns, name: step.workload.name }, replicas: step.replicas }];
    case 'setReady': {
      const pairs = pairLivePods(engine, live.pods);
      return pickPods(objects, live, step.pods).map((p) => ({ type: 'setPodReady', pod: pairs.get(`${ns}/${p.metadata.name}`) as string, ready: step.ready }));
    }
    case 'terminate': {
      if (isPodNames(step.pods)) return step.pods.map((name) => ({ type: 'setPodTerminating', pod: `${ns}/${name}` }));
      const pairs = pairLivePods(engine, live.pods);
      return pickPods(objects, live, step.pods).map((p) => ({ type: 'setPodTerminating', pod: pairs.get(`${ns}/${p.metadata.name}`) as string }));
    }
  }
}

describe.each(SCENARIOS.map((s) => [s.id, s] as const))('scenario %s against the engine itself', (_id, sc) => {
  test('builds without errors and matches itself through every comparison, at every step', () => {
    const ns = `nkd-${sc.id}`;
    const objects = sc.objects(ns);
    const nodes = nodesFor(sc);
    const engine = buildEngine(objects, nodes);
    const rejected = new Set(sc.rejected ?? []);
    const isRejection = (d: { object?: { kind: string; name: string } }): boolean => d.object !== undefined && rejected.has(`${d.object.kind}/${d.object.name}`);
    expect(engine.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'pod-unschedulable' && !isRejection(d)).map((d) => d.message)).toEqual([]);
    // The objects the API server refuses are the ones the engine rejects (an error on each).
    expect([...new Set(engine.diagnostics.filter((d) => d.severity === 'error' && isRejection(d)).map((d) => `${d.object?.kind}/${d.object?.name}`))].sort()).toEqual([...rejected].sort());
    // A refused Service is not simulated (the API server never stored it).
    for (const entry of rejected) if (entry.startsWith('Service/')) expect(engine.services.has(`${ns}/${entry.slice('Service/'.length)}`)).toBe(false);
    expect(engine.diagnostics.filter((d) => d.code === 'pod-unschedulable').length).toBe(sc.pendingPods ?? 0);
    let fresh = true;
    for (const step of [undefined, ...(sc.steps ?? [])]) {
      const before = { ...engineAsLive(engine), nodes };
      if (step) {
        for (const c of engineChanges(ns, objects, engine, before, step)) engine.apply(c);
        if (step.type === 'scale') fresh = false;
      }
      const live = { ...engineAsLive(engine), nodes };
      expect(comparePredicted(engine, live, fresh).differences).toEqual([]);
      expect(compareReplayed(replayCluster(objects, live), live, fresh).differences).toEqual([]);
      expect(compareShapes(engineShape(engine.endpointSlices), liveShape(live.endpointSlices))).toEqual([]);
      expect(sliceInvariants(live.endpointSlices, 100)).toEqual([]);
      expect(liveConsistency(live)).toEqual([]);
    }
  });
});

describe('comparisons report real differences', () => {
  const ns = 'nkd-t';
  const web = { app: 'web' };
  const objects = [
    deployment(ns, 'web', { replicas: 4, labels: web, ports: [{ name: 'http', containerPort: 8080 }] }),
    service(ns, 'web', { selector: web, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
  ];
  const nodes = baseNodes();

  test('a flipped endpoint condition and a wrong label, in predict and replay', () => {
    const engine = buildEngine(objects, nodes);
    const live = { ...engineAsLive(engine), nodes };
    const ep = (live.endpointSlices[0].endpoints as Json[])[0];
    (ep.conditions as Json).ready = false;
    (live.endpoints[0].metadata.labels as Record<string, string>)['endpoints.kubernetes.io/managed-by'] = 'someone';
    const fields = comparePredicted(engine, live, true).differences.map((d) => `${d.object.split(' ')[0]} ${d.field.replace(/pod [^\s:]+/, 'pod P')}`);
    expect(fields).toEqual(expect.arrayContaining(['Endpoints metadata.labels', 'EndpointSlices endpoint pod P: conditions.ready']));
    expect(compareReplayed(replayCluster(objects, live), live, true).differences.length).toBeGreaterThanOrEqual(2);
  });

  test('predict ignores placement and zone hints; replay compares nodes and addresses exactly', () => {
    const engine = buildEngine(objects, nodes);
    const live = { ...engineAsLive(engine), nodes };
    // Swap two pods' IPs in the slices only: the replay (IPs from the pods) must see it.
    const eps = live.endpointSlices[0].endpoints as Json[];
    const [a, b] = [eps[0].addresses, eps[1].addresses];
    eps[0].addresses = b;
    eps[1].addresses = a;
    expect(comparePredicted(engine, live, true).differences).toEqual([]);
    expect(compareReplayed(replayCluster(objects, live), live, true).differences.map((d) => d.field)).toEqual([
      expect.stringMatching(/: addresses$/), expect.stringMatching(/: addresses$/),
    ]);
  });

  test('slice counts compare only while fresh; shapes and invariants catch oversize and duplicates', () => {
    const engine = buildEngine([deployment(ns, 'web', { replicas: 150, labels: web, ports: [{ name: 'http', containerPort: 8080 }] }), objects[1]], nodes);
    const live = { ...engineAsLive(engine), nodes };
    const [s1, s2] = live.endpointSlices;
    const moved = (s1.endpoints as Json[]).splice(0, 60);
    (s2.endpoints as Json[]).push(...moved);
    expect(compareShapes(engineShape(engine.endpointSlices), liveShape(live.endpointSlices)).map((d) => [d.expected, d.live])).toEqual([['100+50', '110+40']]);
    expect(sliceInvariants(live.endpointSlices, 100).map((d) => d.live)).toEqual([110]);
    (s1.endpoints as Json[]).push(moved[0]);
    expect(sliceInvariants(live.endpointSlices, 100).some((d) => d.field.endsWith('in two slices'))).toBe(true);
  });

  test('truncated Endpoints: predict compares counts per subset, replay which addresses', () => {
    const big = [deployment(ns, 'big', { replicas: 1010, labels: web, ports: [{ name: 'http', containerPort: 8080 }], tolerateExtraNodes: true }), objects[1]];
    const many = [...nodes, ...extraNodes(3).map(ready)];
    const engine = buildEngine(big, many);
    const live = { ...engineAsLive(engine), nodes: many };
    expect(live.endpoints[0].metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    // Keep another pod than the engine would (the 1000 lowest IPs as strings).
    const subset = (live.endpoints[0].subsets as Json[])[0];
    const addrs = subset.addresses as Json[];
    const kept = new Set(addrs.map((x) => x.ip));
    const dropped = live.pods.find((p) => !kept.has((p.status as Json).podIP)) as KubeObject;
    addrs[0] = { ip: (dropped.status as Json).podIP, nodeName: (dropped.spec as Json).nodeName, targetRef: { kind: 'Pod', namespace: ns, name: dropped.metadata.name } };
    expect(comparePredicted(engine, live, true).differences).toEqual([]);
    expect(compareReplayed(replayCluster(big, live), live, true).differences.length).toBe(2);
    addrs.pop();
    expect(comparePredicted(engine, live, true).differences.map((d) => d.field)).toEqual(['subsets[ports http/TCP/8080] (truncated: counts)']);
  });

  test('the reconciler replay reproduces a scale-down in place, and sees an endpoint in the wrong slice', () => {
    const eng = buildEngine([deployment(ns, 'web', { replicas: 250, labels: web, ports: [{ name: 'http', containerPort: 8080 }] }), objects[1]], nodes);
    const before = { ...engineAsLive(eng, { renamePods: false, renameSlices: false }), nodes };
    eng.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: ns, name: 'web' }, replicas: 120 });
    const after = { ...engineAsLive(eng, { renamePods: false, renameSlices: false }), nodes };
    const replay = replayCluster(objects, after);
    expect(replayReconciler(before.endpointSlices, after.endpointSlices, replay, after.services, 100)).toEqual([]);
    const [x, y] = after.endpointSlices.filter((s) => (s.endpoints as Json[]).length > 0);
    (y.endpoints as Json[]).push(...(x.endpoints as Json[]).splice(0, 1));
    expect(replayReconciler(before.endpointSlices, after.endpointSlices, replay, after.services, 100).map((d) => d.field)).toEqual([
      `slice ${x.metadata.name}: endpoints`, `slice ${y.metadata.name}: endpoints`,
    ]);
  });

  test('live self-consistency: nodeName, zone and pod CIDR of each endpoint', () => {
    const engine = buildEngine(objects, nodes);
    const live = { ...engineAsLive(engine), nodes };
    const ep = (live.endpointSlices[0].endpoints as Json[])[0];
    ep.zone = 'zone-z';
    ep.addresses = ['10.9.9.9'];
    expect(liveConsistency(live).map((d) => d.field.split(': ')[1])).toEqual(['zone', 'address in node podCIDR']);
  });
});

describe('replay inputs and settling', () => {
  test('podManifest keeps node, IP, readiness and deletionTimestamp; skips pods without an IP', () => {
    const p = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n', labels: { app: 'a' }, deletionTimestamp: '2025-01-01T00:00:00Z' },
      spec: { nodeName: 'node-1', hostname: 'a', subdomain: 's', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] },
      status: { phase: 'Running', podIP: '10.2.1.5', conditions: [{ type: 'Ready', status: 'False' }] },
    } as unknown as KubeObject;
    const c = Cluster.build(fromObjects([podManifest(p) as JsonObject]).objects);
    expect(c.pods.get('n/a')).toMatchObject({ ip: '10.2.1.5', nodeName: 'node-1', ready: false, serving: false, terminating: true, hostname: 'a', subdomain: 's' });
    expect(podManifest({ ...p, status: { phase: 'Pending' } } as KubeObject)).toBeUndefined();
  });

  test('podManifest keeps hostNetwork: the pod\'s IP is its node\'s', () => {
    const p = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'h', namespace: 'n', labels: {} },
      spec: { nodeName: 'node-1', hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 19100 }] }] },
      status: { phase: 'Running', podIP: '10.1.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
    } as unknown as KubeObject;
    const c = Cluster.build(fromObjects([podManifest(p) as JsonObject]).objects);
    expect(c.pods.get('n/h')).toMatchObject({ ip: c.nodes.get('node-1')?.internalIP, hostNetwork: true });
  });

  test('podsPending counts pods per workload and waits for IPs; fingerprint follows resourceVersions', () => {
    const objects = [deployment('n', 'web', { replicas: 2, labels: { app: 'web' }, ports: [] })];
    const pod = (name: string, ip?: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'n', labels: { app: 'web' }, resourceVersion: '1' },
      status: ip ? { phase: 'Running', podIP: ip } : { phase: 'Pending' },
    } as unknown as KubeObject);
    const snap = (pods: KubeObject[]): LiveSnapshot => ({ pods, services: [], endpoints: [], endpointSlices: [], nodes: [] });
    const want = new Map([['Deployment/web', 2]]);
    expect(podsPending(objects, snap([pod('a', '10.0.0.1')]), want)).toEqual(['Deployment web: 1 of 2 pods']);
    expect(podsPending(objects, snap([pod('a', '10.0.0.1'), pod('b')]), want)).toEqual([expect.stringContaining('1 pod(s) not Running')]);
    expect(podsPending(objects, snap([pod('a', '10.0.0.1'), pod('b', '10.0.0.2')]), want)).toEqual([]);
    const s1 = snap([pod('a', '10.0.0.1')]);
    const s2 = snap([{ ...pod('a', '10.0.0.1'), metadata: { ...pod('a').metadata, resourceVersion: '2' } } as KubeObject]);
    expect(fingerprint(s1)).not.toBe(fingerprint(s2));
  });
});

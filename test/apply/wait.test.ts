import { liveEndpointCounts, pendingNow, pendingServices, predictEndpoints, rolloutPending, waitUntilSettled } from '../../lib/apply/wait';
import type { KubeObject } from '../../lib/apply/types';
import { liveFromSimulation, shopManifests, simulate } from './live-fixtures';
import { FakeKube } from './fake-kube';

type Json = Record<string, unknown>;

describe('endpoint predictions and live counts', () => {
  const sim = simulate(shopManifests());

  test('the runtime predicts every ready endpoint for Services with a selector only', () => {
    expect(predictEndpoints(sim)).toEqual([
      { namespace: 'shop', name: 'db', total: 2, ready: 2 },
      { namespace: 'shop', name: 'web', total: 3, ready: 3 },
    ]);
    expect(predictEndpoints(sim, new Set(['shop/web'])).map((p) => p.name)).toEqual(['web']);
  });

  test('live counts from slices: unset ready counts as ready, an endpoint in two slices counts once', () => {
    const slices = liveFromSimulation(sim).endpointSlices.map((s) => JSON.parse(JSON.stringify(s)) as Json);
    const web = slices.find((s) => ((s.metadata as Json).labels as Json)['kubernetes.io/service-name'] === 'web') as Json;
    const eps = web.endpoints as Json[];
    delete (eps[0].conditions as Json).ready;
    (eps[1].conditions as Json).ready = false;
    slices.push({ ...web, metadata: { ...(web.metadata as Json), name: 'dup' }, endpoints: [eps[2]] });
    const counts = liveEndpointCounts(slices as unknown as KubeObject[]);
    expect(counts.get('shop/web')).toEqual({ total: 3, ready: 2 });
    expect(pendingServices(predictEndpoints(sim), counts)).toEqual(['Service shop/web: 2 of 3 endpoints ready, the runtime predicts 3 of 3']);
    expect(pendingServices(predictEndpoints(sim), new Map())).toHaveLength(2);
  });
});

describe('rolloutPending (kubectl rollout status)', () => {
  const dep = (spec: Json, status: Json, generation = 2): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', generation }, spec, status });
  test('Deployment', () => {
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 1 }))).toBe('Deployment shop/web: the controller has not seen the latest spec yet');
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1 }))).toBe('Deployment shop/web: 1 of 3 new replicas updated');
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }))).toBe('Deployment shop/web: 1 old replicas pending termination');
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }))).toBe('Deployment shop/web: 2 of 3 updated replicas available');
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }))).toBeUndefined();
    expect(rolloutPending(dep({ replicas: 3 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }))).toBe('Deployment shop/web: exceeded its progress deadline');
  });
  test('StatefulSet and DaemonSet', () => {
    const sts = (status: Json, spec: Json = { replicas: 2 }): KubeObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop', generation: 1 }, spec, status });
    expect(rolloutPending(sts({ observedGeneration: 1, readyReplicas: 1 }))).toBe('StatefulSet shop/db: 1 of 2 pods ready');
    expect(rolloutPending(sts({ observedGeneration: 1, readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' }))).toBe('StatefulSet shop/db: rolling update to revision b not complete');
    expect(rolloutPending(sts({ observedGeneration: 1, readyReplicas: 2, currentRevision: 'b', updateRevision: 'b' }))).toBeUndefined();
    expect(rolloutPending(sts({ observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1 }, { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }))).toBeUndefined();
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', generation: 1 }, spec: {}, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } };
    expect(rolloutPending(ds)).toBe('DaemonSet kube-system/agent: 2 of 3 pods available');
  });
});

describe('waitUntilSettled', () => {
  test('polls until the slices match the prediction, and times out listing what is pending', async () => {
    const sim = simulate(shopManifests());
    const kube = new FakeKube();
    const live = liveFromSimulation(sim);
    let now = 0;
    const sleep = async (ms: number): Promise<void> => {
      now += ms;
      // The "controllers" publish the slices after two seconds.
      if (now >= 2000) for (const s of live.endpointSlices) kube.seed(s as unknown as Json);
    };
    const targets = { workloads: [], services: predictEndpoints(sim) };
    const r = await waitUntilSettled(kube, targets, { timeoutMs: 10_000, intervalMs: 500, now: () => now, sleep });
    expect(r).toEqual({ settled: true, elapsedMs: 2000, pending: [] });

    const empty = new FakeKube();
    now = 0;
    const t = await waitUntilSettled(empty, { workloads: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }], services: predictEndpoints(sim) },
      { timeoutMs: 1500, intervalMs: 500, now: () => now, sleep: async (ms) => { now += ms; } });
    expect(t.settled).toBe(false);
    expect(t.elapsedMs).toBe(1500);
    expect(t.pending).toEqual([
      'Deployment shop/web: not found',
      'Service shop/db: 0 of 0 endpoints ready, the runtime predicts 2 of 2',
      'Service shop/web: 0 of 0 endpoints ready, the runtime predicts 3 of 3',
    ]);
  });

  test('a poll lists workloads that share a kind and namespace, gets the others, and reports in target order', async () => {
    const kube = new FakeKube();
    const dep = (name: string, ns: string, updated: number): Json => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, generation: 1 },
      spec: { replicas: 2 }, status: { observedGeneration: 1, updatedReplicas: updated, replicas: updated, availableReplicas: updated },
    });
    kube.seed(dep('b', 'one', 1));
    kube.seed(dep('a', 'one', 2));
    kube.seed(dep('c', 'two', 0));
    kube.seed(dep('z', 'one', 0)); // not a target: listed, not reported
    const workloads = [['b', 'one'], ['c', 'two'], ['a', 'one'], ['gone', 'one']].map(([name, namespace]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name }));
    expect(await pendingNow(kube, { workloads, services: [] })).toEqual([
      'Deployment one/b: 1 of 2 new replicas updated',
      'Deployment two/c: 0 of 2 new replicas updated',
      'Deployment one/gone: not found',
    ]);
    expect(kube.calls.filter((c) => c.startsWith('GET') || c.startsWith('LIST')).sort()).toEqual(['GET Deployment two/c', 'LIST Deployment one']);
  });
});

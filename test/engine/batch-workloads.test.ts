/**
 * ReplicationController, Job, CronJob and Argo Rollout (lib/engine/controllers/{replicationcontroller,
 * job,rollout}.ts): the pods each makes, what the endpoint controllers see of them, and coverage.
 */
import { classify } from '../../lib/engine/coverage';
import { JOB_INDEX_LABEL } from '../../lib/engine/controllers/job';
import { fromObjects } from '../../lib/manifest/objects';
import { build, deployment, service } from './engine-helpers';

type Json = Record<string, unknown>;
const ports = [{ name: 'http', containerPort: 8080 }];
const podTemplate = (labels: Record<string, string>, extra: Json = {}): Json => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports }], ...extra } });

function rc(name: string, replicas: number, labels: Record<string, string>, selector?: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec: { replicas, ...(selector ? { selector } : {}), template: podTemplate(labels) } };
}

function job(name: string, spec: Json, labels: Record<string, string> = { app: name }): Json {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { ...spec, template: podTemplate(labels, { restartPolicy: 'Never' }) } };
}

const svc = (name: string, app: string): Json => service(name, { selector: { app }, ports: [{ port: 80, targetPort: 'http' }] });

function endpointCount(c: ReturnType<typeof build>, key: string): number {
  return (c.endpointSlices.get(key) ?? []).reduce((n, s) => n + s.endpoints.length, 0);
}

describe('ReplicationController (replication manager = ReplicaSet controller)', () => {
  test('pods named <rc>-xxxxx, owned by the RC, selector defaulted from the template labels', () => {
    const c = build([rc('legacy', 3, { app: 'legacy' }), svc('legacy', 'legacy')]);
    const pods = [...c.pods.values()];
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.name).toMatch(/^legacy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.owner).toEqual({ kind: 'ReplicationController', namespace: 'default', name: 'legacy' });
    }
    expect(endpointCount(c, 'default/legacy')).toBe(3);
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('scales as a ReplicaSet: down by rank, up under new names, a terminating pod replaced at once', () => {
    const c = build([rc('legacy', 3, { app: 'legacy' }, { app: 'legacy' })]);
    c.apply({ type: 'scale', workload: { kind: 'ReplicationController', namespace: 'default', name: 'legacy' }, replicas: 1 });
    expect(c.pods.size).toBe(1);
    c.apply({ type: 'scale', workload: { kind: 'ReplicationController', namespace: 'default', name: 'legacy' }, replicas: 2 });
    expect(c.pods.size).toBe(2);
    const victim = [...c.pods.keys()][0];
    c.apply({ type: 'setPodTerminating', pod: victim });
    // FilterActivePods: the terminating pod does not count, so a third pod is created.
    expect(c.pods.size).toBe(3);
    expect([...c.pods.values()].filter((p) => !p.terminating)).toHaveLength(2);
  });

  test('a selector that does not match the template labels is rejected (no pods, an error)', () => {
    const c = build([rc('bad', 2, { app: 'a' }, { app: 'b' })]);
    expect(c.pods.size).toBe(0);
    expect(c.diagnostics.map((d) => d.code)).toContain('workload-selector-mismatch');
  });

  test('applied later as a change (untyped kind dispatch)', () => {
    const c = build([svc('legacy', 'legacy')]);
    c.apply({ type: 'upsertObject', object: rc('legacy', 2, { app: 'legacy' }) });
    expect(endpointCount(c, 'default/legacy')).toBe(2);
    c.apply({ type: 'deleteObject', ref: { kind: 'ReplicationController', namespace: 'default', name: 'legacy' } });
    expect(c.pods.size).toBe(0);
  });
});

describe('Job (completed, as KWOK completes Job pods)', () => {
  test('completions pods, all Succeeded, none running and none an endpoint; a Service selecting them is told', () => {
    const c = build([job('batch', { completions: 5, parallelism: 2 }), svc('batch', 'batch')]);
    expect(c.pods.size).toBe(0);
    const finished = c.finishedPods.get('Job/default/batch') ?? [];
    expect(finished).toHaveLength(5);
    for (const p of finished) {
      expect(p.phase).toBe('Succeeded');
      expect(p.name).toMatch(/^batch-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.labels).toMatchObject({ app: 'batch', 'job-name': 'batch', 'batch.kubernetes.io/job-name': 'batch' });
      expect(p.labels['controller-uid']).toBe(p.labels['batch.kubernetes.io/controller-uid']);
    }
    expect(endpointCount(c, 'default/batch')).toBe(0);
    expect(c.diagnostics.find((d) => d.code === 'job-pods-timing')?.message).toContain('default/batch');
  });

  test('parallelism without completions: parallelism pods; neither: one; suspend or parallelism 0: none', () => {
    const c = build([
      job('queue', { parallelism: 3 }), job('one', {}), job('held', { completions: 4, suspend: true }), job('zero', { completions: 4, parallelism: 0 }),
    ]);
    expect(c.finishedPods.get('Job/default/queue')).toHaveLength(3);
    expect(c.finishedPods.get('Job/default/one')).toHaveLength(1);
    expect(c.finishedPods.get('Job/default/held')).toHaveLength(0);
    expect(c.finishedPods.get('Job/default/zero')).toHaveLength(0);
  });

  test('Indexed: <job>-<index>-xxxxx, completion index label and hostname', () => {
    const c = build([job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' })]);
    const pods = c.finishedPods.get('Job/default/idx') ?? [];
    expect(pods.map((p) => p.labels[JOB_INDEX_LABEL])).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.hostname)).toEqual(['idx-0', 'idx-1', 'idx-2']);
    expect(pods[2].name).toMatch(/^idx-2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('restartPolicy Always (the default) is rejected as the API server does', () => {
    const j = job('bad', { completions: 1 });
    delete ((j.spec as Json).template as { spec: Json }).spec.restartPolicy;
    const c = build([j]);
    expect(c.finishedPods.has('Job/default/bad')).toBe(false);
    expect(c.diagnostics.find((d) => d.code === 'job-restart-policy')?.severity).toBe('error');
  });
});

describe('CronJob and Argo Rollouts', () => {
  test('a CronJob makes nothing right after apply, and a Service selecting its pods is told', () => {
    const cron = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate({ app: 'nightly' }, { restartPolicy: 'OnFailure' }) } } },
    };
    const c = build([cron, svc('nightly', 'nightly')]);
    expect(c.pods.size).toBe(0);
    expect(c.finishedPods.size).toBe(0);
    expect(c.diagnostics.find((d) => d.code === 'job-pods-timing')?.message).toMatch(/CronJob default\/nightly: .*schedule fires.*default\/nightly/);
  });

  test('a Rollout makes its first revision from its template; workloadRef takes the Deployment template', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'shop' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'shop' } }, template: podTemplate({ app: 'shop' }), strategy: { canary: { stableService: 'shop', canaryService: 'shop-canary', trafficRouting: { istio: {} } } } },
    };
    const ref = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-template' } },
    };
    const c = build([rollout, ref, deployment('api-template', 0, { app: 'api' }), svc('shop', 'shop'), svc('api', 'api')]);
    const shop = [...c.pods.values()].filter((p) => p.labels.app === 'shop');
    expect(shop).toHaveLength(4);
    const hash = shop[0].labels['rollouts-pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(shop[0].owner).toEqual({ kind: 'ReplicaSet', namespace: 'default', name: `shop-${hash}` });
    expect(endpointCount(c, 'default/shop')).toBe(4);
    expect(endpointCount(c, 'default/api')).toBe(2);
    expect(c.diagnostics.filter((d) => d.code === 'rollout-not-simulated').map((d) => d.severity)).toContain('warning');
  });

  test('coverage: the four kinds are simulated in the apiVersions the engine reads', () => {
    const r = fromObjects([
      rc('a', 1, { app: 'a' }), job('b', {}),
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: podTemplate({ app: 'c' }, { restartPolicy: 'Never' }) } } } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: podTemplate({ app: 'd' }) } },
      { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'old' }, spec: {} },
    ], 'x.yaml');
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => classify(o).status)).toEqual(['simulated', 'simulated', 'simulated', 'simulated', 'not-simulated']);
  });
});

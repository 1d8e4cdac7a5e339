import { claimReason, explainWorkloads, podReasons } from '../../lib/apply/explain';
import { waitUntilSettled } from '../../lib/apply/wait';
import type { KubeObject } from '../../lib/apply/types';
import { FakeKube } from './fake-kube';

type Json = Record<string, unknown>;

function pod(name: string, status: Json, spec: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'data', labels: { app: 'pg' } }, spec, status } as unknown as KubeObject;
}

const UNSCHEDULABLE = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.' };

describe('why a pod is not ready', () => {
  test('the scheduler\'s message, image pulls, crash loops, readiness, nothing when ready', () => {
    expect(podReasons(pod('a', { conditions: [UNSCHEDULABLE] }))).toEqual([`not scheduled (Unschedulable): ${UNSCHEDULABLE.message}`]);
    expect(podReasons(pod('b', { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } }] })))
      .toEqual(['container web image pull failing (ImagePullBackOff): Back-off pulling image "nginx:nope"']);
    expect(podReasons(pod('c', { conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } } }] })))
      .toEqual(['container web crash-looping (CrashLoopBackOff): back-off 5m0s restarting failed container']);
    expect(podReasons(pod('d', { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'web', ready: false, state: { running: { startedAt: 'x' } } }] })))
      .toEqual(['container web running but not ready (readiness probe failing)']);
    expect(podReasons(pod('e', { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }] }))).toEqual([]);
  });

  test('a Pending claim: no class and no default, a missing class, a provisioner at work', () => {
    const pvc = (spec: Json): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-pg-0', namespace: 'data' }, spec, status: { phase: 'Pending' } } as unknown as KubeObject);
    const cls = (name: string, def = false): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, ...(def ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner: 'example.com/disk', volumeBindingMode: 'WaitForFirstConsumer' } as unknown as KubeObject);
    expect(claimReason(pvc({}), [])).toMatch(/^PersistentVolumeClaim data\/data-pg-0 is Pending: it names no StorageClass, the cluster has no default StorageClass, and no PersistentVolume matches it \(fix: /);
    expect(claimReason(pvc({ storageClassName: 'fast' }), [cls('slow')])).toBe('PersistentVolumeClaim data/data-pg-0 is Pending: StorageClass fast does not exist (fix: create it or use one of: slow)');
    expect(claimReason(pvc({}), [cls('std', true)])).toBe('PersistentVolumeClaim data/data-pg-0 is Pending: waiting for the default StorageClass std (provisioner example.com/disk)');
    expect(claimReason(pvc({ storageClassName: 'std' }), [cls('std')])).toContain('binds once a pod using it is scheduled');
    expect(claimReason({ ...pvc({}), status: { phase: 'Bound' } } as KubeObject, [])).toBeUndefined();
  });

  test('a StatefulSet whose claims are unbound: its pods grouped by reason, then each claim', async () => {
    const kube = new FakeKube();
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'postgres', namespace: 'data', generation: 1 }, spec: { replicas: 3, selector: { matchLabels: { app: 'pg' } } }, status: { observedGeneration: 1, readyReplicas: 0 } };
    kube.seed(sts);
    for (const i of [0, 1]) {
      kube.seed({ ...pod(`postgres-${i}`, { conditions: [UNSCHEDULABLE] }, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-postgres-${i}` } }] }) } as unknown as Json);
      kube.seed({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `data-postgres-${i}`, namespace: 'data' }, spec: {}, status: { phase: 'Pending' } });
    }
    const [e] = await explainWorkloads(kube, [kube.store.get('apps/v1/StatefulSet/data/postgres') as unknown as KubeObject]);
    expect(e.workload).toBe('StatefulSet data/postgres');
    expect(e.reasons[0]).toBe(`2 pods (postgres-0, postgres-1): not scheduled (Unschedulable): ${UNSCHEDULABLE.message}`);
    expect(e.reasons.slice(1).map((r) => r.slice(0, 73))).toEqual([
      'PersistentVolumeClaim data/data-postgres-0 is Pending: it names no Storag',
      'PersistentVolumeClaim data/data-postgres-1 is Pending: it names no Storag',
    ]);

    // The timeout carries the explanation.
    const waited = await waitUntilSettled(kube, { workloads: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'data', name: 'postgres' }], services: [] }, { timeoutMs: 0, explainEveryMs: 1000 });
    expect(waited.settled).toBe(false);
    expect(waited.pending).toEqual(['StatefulSet data/postgres: 0 of 3 pods ready']);
    expect(waited.explained).toEqual([e]);
  });

  test('no pods: the workload\'s failure condition', async () => {
    const kube = new FakeKube();
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'data', generation: 1 }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } }, status: { observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-1" is forbidden: exceeded quota: compute' }] } };
    const [e] = await explainWorkloads(kube, [dep as unknown as KubeObject]);
    expect(e.reasons).toEqual(['no pods: pods "web-1" is forbidden: exceeded quota: compute']);
  });
});

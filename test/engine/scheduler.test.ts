import { fitError, tolerates } from '../../lib/engine/controllers/scheduler';
import { profileFromObject, syntheticProfile } from '../../lib/engine/profile';
import { build, deployment, pod } from './engine-helpers';

const labels = { app: 'web' };

function running(c: ReturnType<typeof build>): Map<string, number> {
  const perNode = new Map<string, number>();
  for (const p of c.pods.values()) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
  return perNode;
}

function pending(c: ReturnType<typeof build>): string[] {
  return c.diagnostics.filter((d) => d.code === 'pod-unschedulable').map((d) => d.message);
}

describe('scheduler: filter then score, as kube-scheduler', () => {
  test('NodeResourcesFit: kubelet default maxPods 110 per node; the rest stay Pending with the scheduler message', () => {
    const c = build([deployment('web', 400, labels)]);
    expect(c.pods.size).toBe(330);
    expect([...running(c).values()]).toEqual([110, 110, 110]);
    const msgs = pending(c);
    expect(msgs).toHaveLength(70);
    expect(msgs[0]).toMatch(/stays Pending: 0\/3 nodes are available: 3 Too many pods\. no new claims to deallocate, preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/);
  });

  test('a full node is filtered out before scoring: 1,100 pods on 5 nodes of 250 all run (the issue\'s live run)', () => {
    const profile = syntheticProfile({ nodes: 5, maxPods: 250 });
    const c = build([deployment('web', 1100, labels)], profile);
    expect(c.pods.size).toBe(1100);
    expect(pending(c)).toEqual([]);
    expect(Math.max(...running(c).values())).toBeLessThanOrEqual(250);
  });

  test('profile maxPods and per-node maxPods', () => {
    const r = profileFromObject({ maxPods: 4, nodes: [{ name: 'a' }, { name: 'b', maxPods: 1 }] });
    expect(r.errors).toEqual([]);
    const c = build([deployment('web', 6, labels)], r.profile);
    expect(Object.fromEntries(running(c))).toEqual({ a: 4, b: 1 });
    expect(pending(c)[0]).toContain('0/2 nodes are available: 2 Too many pods.');
  });

  test('TaintToleration: untolerated NoSchedule taints filter nodes; a toleration lets the pod in; PreferNoSchedule does not filter', () => {
    const r = profileFromObject({ nodes: [
      { name: 'gpu', taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
      { name: 'soft', taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] },
    ] });
    const c = build([deployment('web', 2, labels), pod('tol', { app: 'tol' }, [], { tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'gpu' } })], r.profile);
    expect([...c.pods.values()].filter((p) => p.labels.app === 'web').map((p) => p.nodeName)).toEqual(['soft', 'soft']);
    expect(c.pods.get('default/tol')?.nodeName).toBe('gpu');
    const strict = build([pod('p', {}, [], { nodeSelector: { 'kubernetes.io/hostname': 'gpu' } })], r.profile);
    expect(pending(strict)[0]).toContain("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: true}. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  });

  test('a failed node carries the not-ready taint', () => {
    const c = build([], syntheticProfile({ nodes: 1 }), { overrides: [{ type: 'failNode', node: 'node-1' }, { type: 'upsertObject', object: pod('late', {}, []) }] });
    expect(pending(c)[0]).toContain('0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.');
  });

  test('NodeAffinity: required nodeSelectorTerms (ORed terms, ANDed expressions, NotIn, Exists, Gt)', () => {
    const r = profileFromObject({ nodes: [
      { name: 'a', labels: { tier: 'fast', size: '8' } },
      { name: 'b', labels: { tier: 'slow', size: '64' } },
      { name: 'c', labels: { size: '2' } },
    ] });
    const affinity = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const c = build([
      pod('in', {}, [], affinity([{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['slow'] }] }])),
      pod('gt', {}, [], affinity([{ matchExpressions: [{ key: 'size', operator: 'Gt', values: ['10'] }] }])),
      pod('notin', {}, [], affinity([{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fast', 'slow'] }] }])),
      pod('or', {}, [], affinity([{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['none'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }])),
      pod('never', {}, [], affinity([{ matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'tier', operator: 'DoesNotExist' }] }])),
    ], r.profile);
    expect(c.pods.get('default/in')?.nodeName).toBe('b');
    expect(c.pods.get('default/gt')?.nodeName).toBe('b');
    expect(c.pods.get('default/notin')?.nodeName).toBe('c');
    expect(c.pods.get('default/or')?.nodeName).toBe('a');
    expect(c.pods.has('default/never')).toBe(false);
    expect(pending(c)[0]).toContain("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
  });

  test('NodePorts and hostNetwork: one pod per node per host port; hostNetwork pods get the node IP', () => {
    const hostNet = deployment('agent', 5, { app: 'agent' }, [{ name: 'm', containerPort: 9100 }], { hostNetwork: true });
    const c = build([hostNet]);
    const pods = [...c.pods.values()];
    expect(pods).toHaveLength(3);
    expect(new Set(pods.map((p) => p.nodeName)).size).toBe(3);
    for (const p of pods) expect(p.ip).toBe(c.nodes.get(p.nodeName)?.internalIP);
    expect(pending(c)).toHaveLength(2);
    expect(pending(c)[0]).toContain("0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    // Different hostIPs on one port do not conflict; a wildcard does.
    const hp = (name: string, hostIP?: string) => pod(name, {}, [{ containerPort: 80, hostPort: 8080, ...(hostIP ? { hostIP } : {}) }], { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    const d = build([hp('a', '10.1.0.1'), hp('b', '127.0.0.1'), hp('c')]);
    expect(d.pods.has('default/a') && d.pods.has('default/b')).toBe(true);
    expect(d.pods.has('default/c')).toBe(false);
    // Deleting a pod frees its host port.
    d.apply({ type: 'deleteObject', ref: { kind: 'Pod', namespace: 'default', name: 'a' } });
    d.apply({ type: 'deleteObject', ref: { kind: 'Pod', namespace: 'default', name: 'b' } });
    d.apply({ type: 'upsertObject', object: hp('c') });
    expect(d.pods.get('default/c')?.nodeName).toBe('node-1');
  });

  test('Pending pods schedule once a node with room joins', () => {
    const c = build([deployment('web', 4, labels)], syntheticProfile({ nodes: 1, maxPods: 3 }));
    expect(c.pods.size).toBe(3);
    c.apply({ type: 'upsertObject', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra' } } });
    expect(c.pods.size).toBe(4);
  });

  test('Node manifests: allocatable pods, taints and cordons', () => {
    const node = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...extra });
    const c = build([
      node('small', { status: { allocatable: { pods: '1' } } }),
      node('tainted', { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] } }),
      node('cordoned', { spec: { unschedulable: true } }),
      deployment('web', 3, labels),
    ], syntheticProfile({ nodes: 0 }));
    expect(c.pods.size).toBe(1);
    expect(pending(c)[0]).toContain('0/3 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {k: v}, 1 node(s) were unschedulable.');
  });

  test('tolerates follows v1.Toleration.ToleratesTaint', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' as const };
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', value: 'v' }, taint)).toBe(true);
    expect(tolerates({ key: 'k', value: 'w' }, taint)).toBe(false);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(tolerates({ value: 'v' }, taint)).toBe(false);
  });

  test('fitError sorts the counted reasons as strings', () => {
    expect(fitError(12, new Map([['Too many pods', 2], ['node(s) were unschedulable', 10]]))).toBe(
      '0/12 nodes are available: 10 node(s) were unschedulable, 2 Too many pods. no new claims to deallocate, preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  });
});

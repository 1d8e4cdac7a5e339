/** StatefulSet podManagementPolicy (upstream pkg/controller/statefulset/stateful_set_control.go). */
import { Testing } from 'cdk8s';
import { DatabaseChart } from '../../examples/database';
import { simulate } from '../../lib/testing';
import { build, statefulSet } from './engine-helpers';

const db = { kind: 'StatefulSet', namespace: 'default', name: 'db' };
const sts = (replicas: number, policy?: string): Record<string, unknown> => {
  const o = statefulSet('db', replicas, 'db-headless', { app: 'db' });
  if (policy) (o.spec as Record<string, unknown>).podManagementPolicy = policy;
  return o;
};
const names = (c: ReturnType<typeof build>): string[] => [...c.pods.keys()].sort();

describe('StatefulSet OrderedReady (default)', () => {
  test('scale-up halts at the first unready ordinal and resumes when it becomes ready', () => {
    const c = build([sts(3)]);
    c.apply({ type: 'setPodReady', pod: 'default/db-1', ready: false });
    c.apply({ type: 'scale', workload: db, replicas: 5 });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1', 'default/db-2']);
    c.apply({ type: 'setPodReady', pod: 'default/db-1', ready: true });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1', 'default/db-2', 'default/db-3', 'default/db-4']);
  });

  test('a terminating pod in range blocks scale-up until it is back', () => {
    const c = build([sts(2)]);
    c.apply({ type: 'setPodTerminating', pod: 'default/db-0' });
    c.apply({ type: 'scale', workload: db, replicas: 3 });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1']);
    c.apply({ type: 'setPodTerminating', pod: 'default/db-0', terminating: false });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1', 'default/db-2']);
  });

  test('pods on a failed node block scale-up until the node recovers', () => {
    const c = build([sts(1)]);
    const node = (c.pods.get('default/db-0') as { nodeName: string }).nodeName;
    c.apply({ type: 'failNode', node });
    c.apply({ type: 'scale', workload: db, replicas: 2 });
    expect(names(c)).toEqual(['default/db-0']);
    c.apply({ type: 'failNode', node, failed: false });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1']);
  });

  test('scale-down deletes from the highest ordinal only while the pods in range are ready', () => {
    const c = build([sts(4)]);
    c.apply({ type: 'setPodReady', pod: 'default/db-0', ready: false });
    c.apply({ type: 'scale', workload: db, replicas: 2 });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1', 'default/db-2', 'default/db-3']);
    c.apply({ type: 'setPodReady', pod: 'default/db-0', ready: true });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1']);
  });

  test('an unready condemned pod goes only when it is the lowest unhealthy one', () => {
    const c = build([sts(4)]);
    // db-2 unready, db-3 ready: db-3 goes, then db-2 (the first unhealthy pod).
    c.apply({ type: 'setPodReady', pod: 'default/db-2', ready: false });
    c.apply({ type: 'scale', workload: db, replicas: 2 });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1']);

    const d = build([sts(4)]);
    // db-2 and db-3 unready: db-3 is not the first unhealthy pod, so the controller waits.
    d.apply({ type: 'setPodReady', pod: 'default/db-2', ready: false });
    d.apply({ type: 'setPodReady', pod: 'default/db-3', ready: false });
    d.apply({ type: 'scale', workload: db, replicas: 2 });
    expect(names(d)).toEqual(['default/db-0', 'default/db-1', 'default/db-2', 'default/db-3']);
    d.apply({ type: 'setPodReady', pod: 'default/db-2', ready: true });
    expect(names(d)).toEqual(['default/db-0', 'default/db-1']);
  });

  test('a terminating condemned pod is waited for', () => {
    const c = build([sts(3)]);
    c.apply({ type: 'setPodTerminating', pod: 'default/db-2' });
    c.apply({ type: 'scale', workload: db, replicas: 1 });
    expect(names(c)).toEqual(['default/db-0', 'default/db-1', 'default/db-2']);
  });
});

describe('StatefulSet Parallel', () => {
  test('scale-up and scale-down ignore readiness', () => {
    const c = build([sts(3, 'Parallel')]);
    c.apply({ type: 'setPodReady', pod: 'default/db-1', ready: false });
    c.apply({ type: 'scale', workload: db, replicas: 5 });
    expect(names(c)).toHaveLength(5);
    c.apply({ type: 'setPodReady', pod: 'default/db-0', ready: false });
    c.apply({ type: 'scale', workload: db, replicas: 1 });
    expect(names(c)).toEqual(['default/db-0']);
  });
});

describe('examples/database.ts (OrderedReady)', () => {
  test('with postgres-1 unready, scaling to 4 waits for it before creating postgres-3', () => {
    const sim = simulate(new DatabaseChart(Testing.app(), 'database'));
    const postgres = () => sim.pods({ app: 'postgres' }).map((p) => p.name).sort();
    sim.apply({ type: 'setPodReady', pod: 'data/postgres-1', ready: false });
    sim.apply({ type: 'scale', workload: { kind: 'StatefulSet', namespace: 'data', name: 'postgres' }, replicas: 4 });
    expect(postgres()).toEqual(['postgres-0', 'postgres-1', 'postgres-2']);
    sim.apply({ type: 'setPodReady', pod: 'data/postgres-1', ready: true });
    expect(postgres()).toEqual(['postgres-0', 'postgres-1', 'postgres-2', 'postgres-3']);
  });
});

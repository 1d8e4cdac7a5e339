import { syntheticProfile } from '../../lib/engine/profile';
import { build, deployment, pod, service, statefulSet } from './engine-helpers';

const web = { app: 'web' };

describe('workload controllers', () => {
  test('Deployment pods come from a ReplicaSet <deploy>-<hash> and carry pod-template-hash', () => {
    const c = build([deployment('web', 3, web)]);
    const pods = [...c.pods.values()];
    expect(pods).toHaveLength(3);
    const rs = pods[0].owner!;
    expect(rs.kind).toBe('ReplicaSet');
    expect(rs.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const p of pods) {
      expect(p.name.startsWith(`${rs.name}-`)).toBe(true);
      expect(p.labels['pod-template-hash']).toBe(rs.name.slice('web-'.length));
    }
  });

  test('replicas default to 1; a template change renames pods (new ReplicaSet)', () => {
    const d = deployment('web', 1, web);
    delete (d.spec as Record<string, unknown>).replicas;
    const c = build([d]);
    expect(c.pods.size).toBe(1);
    const before = [...c.pods.keys()];
    c.apply({ type: 'upsertObject', object: deployment('web', 1, web, [{ name: 'http', containerPort: 9999 }]) });
    const after = [...c.pods.keys()];
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });

  test('StatefulSet pods are name-0..n-1 with hostname and subdomain', () => {
    const c = build([statefulSet('db', 3, 'db-headless', { app: 'db' })]);
    expect([...c.pods.values()].map((p) => [p.name, p.hostname, p.subdomain, p.labels['statefulset.kubernetes.io/pod-name']])).toEqual([
      ['db-0', 'db-0', 'db-headless', 'db-0'],
      ['db-1', 'db-1', 'db-headless', 'db-1'],
      ['db-2', 'db-2', 'db-headless', 'db-2'],
    ]);
    c.apply({ type: 'scale', workload: { kind: 'StatefulSet', namespace: 'default', name: 'db' }, replicas: 1 });
    expect([...c.pods.keys()]).toEqual(['default/db-0']);
  });

  test('DaemonSet: one pod per node matching its nodeSelector', () => {
    const ds = (name: string, nodeSelector?: Record<string, string>) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { nodeSelector, containers: [{ name: 'c' }] } } },
    });
    const c = build([ds('agent'), ds('zonal', { 'topology.kubernetes.io/zone': 'zone-b' })], syntheticProfile({ nodes: 6 }));
    const agent = [...c.pods.values()].filter((p) => p.labels.app === 'agent');
    expect(agent.map((p) => p.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6']);
    expect([...c.pods.values()].filter((p) => p.labels.app === 'zonal').map((p) => p.nodeName).sort()).toEqual(['node-2', 'node-5']);
  });

  test('placement spreads a workload across zones, then nodes; pod IPs come from the node podCIDR in order', () => {
    const c = build([deployment('web', 6, web)], syntheticProfile({ nodes: 6, zones: 3 }));
    const pods = [...c.pods.values()];
    const perZone = new Map<string, number>();
    for (const p of pods) perZone.set(p.zone, (perZone.get(p.zone) ?? 0) + 1);
    expect([...perZone.values()]).toEqual([2, 2, 2]);
    expect(new Set(pods.map((p) => p.nodeName)).size).toBe(6);
    expect(pods.map((p) => p.ip)).toEqual(pods.map((p) => `10.2.${p.nodeName.slice(5)}.2`));
  });

  test('the same input gives the same names, nodes and IPs', () => {
    const objs = [deployment('web', 5, web), statefulSet('db', 2, 'db', { app: 'db' }), service('web', { selector: web, ports: [{ port: 80 }] })];
    const a = build(objs);
    const b = build([...objs].reverse());
    expect([...b.pods.values()].sort((x, y) => x.name.localeCompare(y.name))).toEqual([...a.pods.values()].sort((x, y) => x.name.localeCompare(y.name)));
    expect(b.endpointSlices.get('default/web')!.map((s) => s.name)).toEqual(a.endpointSlices.get('default/web')!.map((s) => s.name));
  });

  test('a selector that does not match the template is rejected with a diagnostic', () => {
    const d = deployment('web', 2, web);
    (d.spec as { selector: unknown }).selector = { matchLabels: { app: 'other' } };
    const c = build([d]);
    expect(c.pods.size).toBe(0);
    expect(c.diagnostics.map((x) => [x.code, x.source?.file])).toEqual([['workload-selector-mismatch', 'test']]);
  });

  test('bare Pods: explicit nodeName, status readiness and unknown nodes', () => {
    const c = build([
      pod('pinned', web, [], { nodeName: 'node-3' }),
      pod('lost', web, [], { nodeName: 'node-99' }),
      { ...pod('sick', web, []), status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    ]);
    expect(c.pods.get('default/pinned')?.nodeName).toBe('node-3');
    expect(c.pods.get('default/sick')?.ready).toBe(false);
    expect(c.pods.has('default/lost')).toBe(false);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['pod-unschedulable']);
  });

  test('a failed node gets no new pods and recovers', () => {
    const c = build([deployment('web', 3, web)]);
    c.apply({ type: 'failNode', node: 'node-2' });
    c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 6 });
    const onFailed = [...c.pods.values()].filter((p) => p.nodeName === 'node-2');
    expect(onFailed).toHaveLength(1);
    c.apply({ type: 'failNode', node: 'node-2', failed: false });
    expect([...c.pods.values()].every((p) => p.ready)).toBe(true);
  });

  test('a ReplicaSet scale-down deletes unready pods first, then from the fullest node, then the newest; scale-up reuses free names (found by test/differential)', () => {
    const c = build([deployment('web', 6, web)]);
    const ref = { kind: 'Deployment', namespace: 'default', name: 'web' };
    const created = [...c.pods.keys()];
    // Pods go round-robin over node-1..3: unready ones on node-2 and node-1.
    c.apply({ type: 'setPodReady', pod: created[1], ready: false });
    c.apply({ type: 'setPodReady', pod: created[3], ready: false });
    c.apply({ type: 'scale', workload: ref, replicas: 4 });
    expect([...c.pods.keys()].sort()).toEqual(created.filter((_, i) => i !== 1 && i !== 3).sort());
    // 4 ready pods over 3 nodes: node-3 has two; the newer of those two goes.
    const byNode = new Map<string, string[]>();
    for (const [k, p] of c.pods) byNode.set(p.nodeName, [...(byNode.get(p.nodeName) ?? []), k]);
    const doubled = [...byNode.values()].find((l) => l.length === 2) as string[];
    const newer = doubled.sort((a, b) => created.indexOf(b) - created.indexOf(a))[0];
    c.apply({ type: 'scale', workload: ref, replicas: 3 });
    expect(c.pods.has(newer)).toBe(false);
    expect(new Set([...c.pods.values()].map((p) => p.nodeName)).size).toBe(3);
    c.apply({ type: 'scale', workload: ref, replicas: 6 });
    expect(c.pods.size).toBe(6);
    expect(c.diagnostics).toEqual([]);
  });

  test('Node manifests add nodes and override zones', () => {
    const c = build([
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-x' } } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra' }, spec: { podCIDR: '10.50.0.0/24' } },
    ]);
    expect(c.nodes.get('node-1')?.zone).toBe('zone-x');
    expect(c.nodes.get('extra')?.podCIDR).toBe('10.50.0.0/24');
    expect(c.nodes.size).toBe(4);
  });
});

describe('node lifecycle and hand-written endpoints', () => {
  test('deleting a node reschedules its workload pods; a new node gets a fresh pod CIDR', () => {
    const c = build([deployment('web', 4, web)]);
    c.apply({ type: 'deleteObject', ref: { kind: 'Node', name: 'node-1' } });
    expect(c.pods.size).toBe(4);
    expect([...c.pods.values()].some((p) => p.nodeName === 'node-1')).toBe(false);
    c.apply({ type: 'upsertObject', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-9' } } });
    const cidrs = [...c.nodes.values()].map((n) => n.podCIDR);
    expect(new Set(cidrs).size).toBe(cidrs.length);
  });

  test('a selector-less Service uses its hand-written Endpoints, mirrored into a slice', () => {
    const c = build([
      service('db', { ports: [{ port: 5432 }] }),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'db' }, subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 5432 }] }] },
    ]);
    const [slice] = c.endpointSlices.get('default/db')!;
    expect(slice.endpoints.map((e) => [e.addresses[0], e.conditions.ready])).toEqual([['192.168.1.10', true]]);
    expect(slice.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
    expect(c.endpoints.get('default/db')!.subsets[0].addresses[0].ip).toBe('192.168.1.10');
  });
});

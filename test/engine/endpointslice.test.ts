import { EndpointSliceInfo } from '../../lib/engine/model';
import { syntheticProfile } from '../../lib/engine/profile';
import { endpointSliceToJSON } from '../../lib/engine/serialize';
import { build, deployment, pod, service } from './engine-helpers';

const web = { app: 'web' };
const count = (slices: readonly EndpointSliceInfo[]): number => slices.reduce((n, s) => n + s.endpoints.length, 0);

describe('EndpointSlice controller', () => {
  test('no slice holds more than maxEndpointsPerSlice; all pods are covered once', () => {
    const profile = { ...syntheticProfile({ nodes: 6 }), maxEndpointsPerSlice: 10 };
    const c = build([deployment('web', 35, web), service('web', { selector: web, ports: [{ port: 80 }] })], profile);
    const slices = c.endpointSlices.get('default/web')!;
    expect(slices).toHaveLength(4);
    for (const s of slices) expect(s.endpoints.length).toBeLessThanOrEqual(10);
    const names = new Set(slices.flatMap((s) => s.endpoints.map((e) => e.targetRef.name)));
    expect(names.size).toBe(35);
  });

  test('a named targetPort resolving to different container ports gives one slice set per port set', () => {
    const c = build([
      pod('a', web, [{ name: 'http', containerPort: 8080 }]),
      pod('b', web, [{ name: 'http', containerPort: 9090 }]),
      pod('c', web, [{ name: 'other', containerPort: 7070 }]),
      service('web', { selector: web, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ]);
    const slices = c.endpointSlices.get('default/web')!;
    const byPort = slices.map((s) => [s.ports.map((p) => p.port), s.endpoints.map((e) => e.targetRef.name)]);
    expect(byPort).toEqual(expect.arrayContaining([[[8080], ['a']], [[9090], ['b']], [[], ['c']]]));
    expect(slices).toHaveLength(3);
  });

  test('named ports resolve by name AND protocol', () => {
    const c = build([
      pod('a', web, [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }, { name: 'dns', containerPort: 5354, protocol: 'TCP' }]),
      service('web', { selector: web, ports: [{ name: 'udp', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'tcp', port: 53, protocol: 'TCP', targetPort: 'dns' }] }),
    ]);
    const [slice] = c.endpointSlices.get('default/web')!;
    expect(slice.ports).toEqual([
      { name: 'udp', port: 5353, protocol: 'UDP' },
      { name: 'tcp', port: 5354, protocol: 'TCP' },
    ]);
  });

  test('conditions: unready, terminating, and publishNotReadyAddresses', () => {
    const c = build([
      deployment('web', 3, web),
      service('web', { selector: web, ports: [{ port: 80 }] }),
      service('web-pub', { selector: web, publishNotReadyAddresses: true, ports: [{ port: 80 }] }),
    ]);
    const [a, b] = [...c.pods.keys()];
    c.apply({ type: 'setPodReady', pod: a, ready: false });
    c.apply({ type: 'setPodTerminating', pod: b });
    const cond = (svc: string, podKey: string) => c.endpointSlices.get(svc)!.flatMap((s) => s.endpoints)
      .find((e) => `default/${e.targetRef.name}` === podKey)!.conditions;
    expect(cond('default/web', a)).toEqual({ ready: false, serving: false, terminating: false });
    // Upstream keeps terminating pods in slices: ready=false, serving=PodReady, terminating=true.
    expect(cond('default/web', b)).toEqual({ ready: false, serving: true, terminating: true });
    expect(cond('default/web-pub', a)).toEqual({ ready: true, serving: false, terminating: false });
    expect(cond('default/web-pub', b)).toEqual({ ready: true, serving: true, terminating: true });
  });

  test('labels: the Service labels plus the controller labels; nodeName and zone set', () => {
    const c = build([deployment('web', 1, web), service('web', { selector: web, ports: [{ port: 80 }] }, { labels: { team: 'a', 'kubernetes.io/service-name': 'spoof' } })]);
    const [s] = c.endpointSlices.get('default/web')!;
    expect(s.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    const p = [...c.pods.values()][0];
    expect(s.endpoints[0]).toMatchObject({ nodeName: p.nodeName, zone: p.zone, addresses: [p.ip] });
    expect(s.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('a Service selecting nothing keeps one empty placeholder slice', () => {
    const c = build([service('web', { selector: web, ports: [{ port: 80 }] })]);
    const slices = c.endpointSlices.get('default/web')!;
    expect(slices).toHaveLength(1);
    expect(slices[0].endpoints).toEqual([]);
    expect(slices[0].ports).toEqual([]);
  });

  test('trafficDistribution PreferClose sets zone hints; Auto annotation allocates per zone', () => {
    const c = build([
      deployment('web', 6, web),
      service('close', { selector: web, trafficDistribution: 'PreferClose', ports: [{ port: 80 }] }),
      service('auto', { selector: web, ports: [{ port: 80 }] }, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } }),
      service('plain', { selector: web, ports: [{ port: 80 }] }),
    ]);
    for (const e of c.endpointSlices.get('default/close')![0].endpoints) expect(e.forZones).toEqual([e.zone]);
    // 6 endpoints over 3 equal zones: each zone keeps its own 2.
    for (const e of c.endpointSlices.get('default/auto')![0].endpoints) expect(e.forZones).toEqual([e.zone]);
    for (const e of c.endpointSlices.get('default/plain')![0].endpoints) expect(e.forZones).toBeUndefined();
  });

  test('Auto hints give endpoints from a crowded zone to an empty one, and turn off with too few endpoints', () => {
    const zoneA = { 'topology.kubernetes.io/zone': 'zone-a' };
    const c = build([
      deployment('web', 6, web, undefined, { nodeSelector: zoneA }),
      service('auto', { selector: web, ports: [{ port: 80 }] }, { annotations: { 'service.kubernetes.io/topology-aware-hints': 'auto' } }),
    ]);
    const eps = c.endpointSlices.get('default/auto')![0].endpoints;
    const byZone = new Map<string, number>();
    for (const e of eps) byZone.set(e.forZones![0], (byZone.get(e.forZones![0]) ?? 0) + 1);
    expect([...byZone.entries()].sort()).toEqual([['zone-a', 2], ['zone-b', 2], ['zone-c', 2]]);
    c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 2 });
    for (const e of c.endpointSlices.get('default/auto')![0].endpoints) expect(e.forZones).toBeUndefined();
  });

  test('serializes as a discovery.k8s.io/v1 EndpointSlice', () => {
    const c = build([deployment('web', 1, web), service('web', { selector: web, trafficDistribution: 'PreferClose', ports: [{ name: 'http', port: 80, targetPort: 'http', appProtocol: 'http' }] })]);
    const json = endpointSliceToJSON(c.endpointSlices.get('default/web')![0]);
    expect(json).toMatchObject({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
      metadata: { namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    });
    const ep = (json.endpoints as Array<Record<string, unknown>>)[0];
    expect(ep.conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(ep.hints).toEqual({ forZones: [{ name: ep.zone }] });
  });
});

describe('EndpointSlice reconciler: in-place updates', () => {
  const profile = { ...syntheticProfile({ nodes: 6 }), maxEndpointsPerSlice: 10 };
  const objs = [deployment('web', 30, web), service('web', { selector: web, ports: [{ port: 80 }] })];

  test('one pod readiness change modifies exactly one slice (plus the Endpoints)', () => {
    const c = build(objs, profile);
    const before = c.endpointSlices.get('default/web')!;
    const events = c.apply({ type: 'setPodReady', pod: [...c.pods.keys()][17], ready: false });
    expect(events.map((e) => [e.type, e.kind])).toEqual([['MODIFIED', 'Endpoints'], ['MODIFIED', 'EndpointSlice']]);
    const after = c.endpointSlices.get('default/web')!;
    expect(after.map((s) => s.name)).toEqual(before.map((s) => s.name));
    expect(after.filter((s, i) => s !== before[i])).toHaveLength(1);
    expect(count(after)).toBe(30);
  });

  test('no-op changes emit nothing', () => {
    const c = build(objs, profile);
    expect(c.apply({ type: 'setPodReady', pod: [...c.pods.keys()][0], ready: true })).toEqual([]);
  });

  test('scale up fills slices with room before creating new ones; scale down updates in place', () => {
    const c = build([deployment('web', 25, web), service('web', { selector: web, ports: [{ port: 80 }] })], profile);
    const names = c.endpointSlices.get('default/web')!.map((s) => s.name);
    expect(c.endpointSlices.get('default/web')!.map((s) => s.endpoints.length)).toEqual([10, 10, 5]);
    const up = c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 30 });
    expect(up.filter((e) => e.kind === 'EndpointSlice').map((e) => e.type)).toEqual(['MODIFIED']);
    expect(c.endpointSlices.get('default/web')!.map((s) => s.name)).toEqual(names);
    const up2 = c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 32 });
    expect(up2.filter((e) => e.kind === 'EndpointSlice').map((e) => e.type)).toEqual(['ADDED']);
    const down = c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 29 });
    expect(down.filter((e) => e.kind === 'EndpointSlice').map((e) => e.type).sort()).toEqual(['DELETED', 'MODIFIED']);
    expect(count(c.endpointSlices.get('default/web')!)).toBe(29);
  });

  test('failing a node marks its pods not ready in place', () => {
    const c = build(objs, profile);
    const events = c.apply({ type: 'failNode', node: 'node-1' });
    const onNode = [...c.pods.values()].filter((p) => p.nodeName === 'node-1');
    expect(onNode.length).toBe(5);
    expect(onNode.every((p) => !p.ready)).toBe(true);
    expect(events.every((e) => e.type === 'MODIFIED')).toBe(true);
    const eps = c.endpointSlices.get('default/web')!.flatMap((s) => s.endpoints);
    expect(eps.filter((e) => !e.conditions.ready).map((e) => e.nodeName)).toEqual(Array(5).fill('node-1'));
  });

  test('deleting the Service deletes its Endpoints and slices', () => {
    const c = build(objs, profile);
    const events = c.apply({ type: 'deleteObject', ref: { kind: 'Service', namespace: 'default', name: 'web' } });
    expect(events.map((e) => e.type)).toEqual(Array(4).fill('DELETED'));
    expect(c.endpointSlices.has('default/web')).toBe(false);
  });

  test('changing the Service selector re-selects pods', () => {
    const c = build([...objs, pod('solo', { app: 'solo' }, [])], profile);
    c.apply({ type: 'upsertObject', object: service('web', { selector: { app: 'solo' }, ports: [{ port: 80 }] }) });
    expect(c.endpointSlices.get('default/web')!.flatMap((s) => s.endpoints).map((e) => e.targetRef.name)).toEqual(['solo']);
  });
});

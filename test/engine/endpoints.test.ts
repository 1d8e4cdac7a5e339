import { syntheticProfile } from '../../lib/engine/profile';
import { endpointsToJSON } from '../../lib/engine/serialize';
import { build, deployment, pod, service, statefulSet } from './engine-helpers';

const web = { app: 'web' };

describe('Endpoints controller', () => {
  test('ready pods in addresses, unready in notReadyAddresses, terminating left out (and replaced, as FilterActivePods says)', () => {
    const c = build([deployment('web', 3, web), service('web', { selector: web, ports: [{ port: 80, targetPort: 8080 }] })]);
    const [a, b, d] = [...c.pods.keys()];
    c.apply({ type: 'setPodReady', pod: a, ready: false });
    c.apply({ type: 'setPodTerminating', pod: b });
    // The ReplicaSet counts only active pods: the terminating one stays until gone, and a fourth is made.
    const replacement = [...c.pods.keys()].filter((p) => ![a, b, d].includes(p));
    expect(replacement).toHaveLength(1);
    expect(c.pods.get(b)?.terminating).toBe(true);
    const ep = c.endpoints.get('default/web');
    expect(ep?.subsets).toHaveLength(1);
    const s = ep!.subsets[0];
    expect(s.addresses.map((x) => x.targetRef?.name).sort()).toEqual([d, replacement[0]].map((p) => p.split('/')[1]).sort());
    expect(s.notReadyAddresses.map((x) => x.targetRef?.name)).toEqual([a.split('/')[1]]);
    expect(s.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
  });

  test('publishNotReadyAddresses puts unready pods in addresses', () => {
    const c = build([deployment('web', 2, web), service('web', { selector: web, publishNotReadyAddresses: true, ports: [{ port: 80 }] })]);
    c.apply({ type: 'setPodReady', pod: [...c.pods.keys()][0], ready: false });
    const s = c.endpoints.get('default/web')!.subsets[0];
    expect(s.addresses).toHaveLength(2);
    expect(s.notReadyAddresses).toHaveLength(0);
  });

  test('subsets group pods by their resolved port set', () => {
    const c = build([
      pod('a', web, [{ name: 'http', containerPort: 8080 }]),
      pod('b', web, [{ name: 'http', containerPort: 9090 }]),
      pod('c', web, [{ name: 'http', containerPort: 8080 }]),
      service('web', { selector: web, ports: [{ port: 80, targetPort: 'http' }] }),
    ]);
    const subsets = c.endpoints.get('default/web')!.subsets;
    expect(subsets.map((s) => [s.ports[0].port, s.addresses.map((x) => x.targetRef?.name)])).toEqual([
      [8080, ['a', 'c']],
      [9090, ['b']],
    ]);
  });

  test('subsets are packed as RepackSubsets does: ports served by the same pods share a subset (found by test/differential)', () => {
    const c = build([
      pod('full-1', web, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }]),
      pod('full-2', web, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }]),
      pod('basic', web, [{ name: 'http', containerPort: 8080 }]),
      service('web', { selector: web, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9100, targetPort: 'metrics' }, { name: 'admin', port: 7000, targetPort: 7000 }] }),
    ]);
    c.apply({ type: 'setPodReady', pod: 'default/full-2', ready: false });
    const subsets = c.endpoints.get('default/web')!.subsets.map((s) => ({
      ports: s.ports.map((p) => `${p.name}:${p.port}`), ready: s.addresses.map((a) => a.targetRef?.name), notReady: s.notReadyAddresses.map((a) => a.targetRef?.name),
    }));
    // http and admin reach every pod: one subset with all three; metrics only the two full pods.
    expect(subsets).toEqual(expect.arrayContaining([
      { ports: ['admin:7000', 'http:8080'], ready: expect.arrayContaining(['full-1', 'basic']), notReady: ['full-2'] },
      { ports: ['metrics:9100'], ready: ['full-1'], notReady: ['full-2'] },
    ]));
    expect(subsets).toHaveLength(2);
    expect(subsets[0].ready).toHaveLength(2);
  });

  test('hostname is set for StatefulSet pods behind their headless Service only', () => {
    const db = { app: 'db' };
    const c = build([
      statefulSet('db', 2, 'db', db),
      service('db', { clusterIP: 'None', selector: db, ports: [{ port: 5432 }] }),
      service('db-other', { selector: db, ports: [{ port: 5432 }] }),
    ]);
    expect(c.endpoints.get('default/db')!.subsets[0].addresses.map((a) => a.hostname)).toEqual(['db-0', 'db-1']);
    expect(c.endpoints.get('default/db-other')!.subsets[0].addresses.map((a) => a.hostname)).toEqual([undefined, undefined]);
    expect(c.endpoints.get('default/db')!.labels['service.kubernetes.io/headless']).toBe('');
  });

  test('labels: the Service\'s, the headless label as the Service is, managed-by endpoint-controller (found by test/differential)', () => {
    const c = build([
      deployment('web', 1, web),
      // A stale headless label on a ClusterIP Service is dropped; a managed-by label is overwritten.
      service('web', { selector: web, ports: [{ port: 80 }] }, { labels: { tier: 'front', 'service.kubernetes.io/headless': '', 'endpoints.kubernetes.io/managed-by': 'me' } }),
      service('web-h', { selector: web, clusterIP: 'None', ports: [{ port: 80 }] }),
    ]);
    expect(c.endpoints.get('default/web')!.labels).toEqual({ tier: 'front', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    expect(c.endpoints.get('default/web-h')!.labels).toEqual({ 'service.kubernetes.io/headless': '', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
  });

  test('truncates at 1000 addresses with the over-capacity annotation', () => {
    const c = build([deployment('big', 1001, web), service('big', { selector: web, ports: [{ port: 80 }] })], syntheticProfile({ nodes: 10 }));
    const ep = c.endpoints.get('default/big')!;
    expect(ep.subsets.reduce((n, s) => n + s.addresses.length + s.notReadyAddresses.length, 0)).toBe(1000);
    expect(ep.annotations['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    c.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'big' }, replicas: 1000 });
    expect(c.endpoints.get('default/big')!.annotations['endpoints.kubernetes.io/over-capacity']).toBeUndefined();
  });

  test('truncation keeps ready addresses before not-ready ones', () => {
    const c = build([deployment('big', 1005, web), service('big', { selector: web, ports: [{ port: 80 }] })], syntheticProfile({ nodes: 10 }));
    const keys = [...c.pods.keys()];
    for (let i = 0; i < 10; i++) c.apply({ type: 'setPodReady', pod: keys[i], ready: false });
    const s = c.endpoints.get('default/big')!.subsets[0];
    expect(s.addresses).toHaveLength(995);
    expect(s.notReadyAddresses).toHaveLength(5);
  });

  test('no Endpoints for selector-less or ExternalName Services', () => {
    const c = build([
      deployment('web', 1, web),
      service('manual', { ports: [{ port: 80 }] }),
      service('ext', { type: 'ExternalName', externalName: 'example.com', selector: web }),
    ]);
    expect(c.endpoints.has('default/manual')).toBe(false);
    expect(c.endpoints.has('default/ext')).toBe(false);
    expect(c.endpointSlices.has('default/ext')).toBe(false);
  });

  test('serializes as a v1 Endpoints object', () => {
    const c = build([deployment('web', 1, web), service('web', { selector: web, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })]);
    const json = endpointsToJSON(c.endpoints.get('default/web')!);
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' } });
    expect((json.subsets as Array<{ ports: unknown[] }>)[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });
});

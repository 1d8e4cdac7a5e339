/**
 * lib/diff/services.ts: the Services {@link quietServices} lets both comparisons skip must be
 * exactly those the full comparison has nothing to say about. For each edit below, the Service
 * and DNS changes with the fast path equal those of the full comparison (no Service skipped).
 */
import { Cluster } from '../../lib/engine/cluster';
import type { ClusterChange } from '../../lib/engine/changes';
import { sameServiceKeys } from '../../lib/diff/reuse';
import { diffDns, diffServices, quietServices } from '../../lib/diff/services';
import { findJson as get, loadJson as load, type Json } from '../support/objects';


const NS = 'shop';
const deployment = (name: string, replicas: number, port = 8080): Json => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: port }] }] } } },
});
const service = (name: string, spec: Json): Json => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec });

function base(): Json[] {
  return [
    deployment('web', 3), deployment('api', 2), deployment('idle', 0),
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS },
      spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'pg', containerPort: 5432 }] }] } } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lone', namespace: NS, labels: { app: 'lone' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    service('api', { type: 'NodePort', selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
    service('idle', { selector: { app: 'idle' }, ports: [{ port: 80 }] }),
    service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] }),
    service('db-all', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] }),
    service('lone', { selector: { app: 'lone' }, ports: [{ port: 80, targetPort: 'http' }] }),
    service('ext', { type: 'ExternalName', externalName: 'db.example.com' }),
  ];
}



const EDITS: ReadonlyArray<[string, (l: Json[]) => void, ((c: Cluster) => ClusterChange[])?]> = [
  ['nothing', () => undefined],
  ['objects reordered (allocations shift)', (l) => l.reverse()],
  ['a replica count', (l) => { get(l, 'Deployment', 'web').spec.replicas = 5; }],
  ['a selector typo', (l) => { get(l, 'Service', 'api').spec.selector = { app: 'apl' }; }],
  ['a container port renamed (named targetPort no longer found)', (l) => { get(l, 'Deployment', 'web').spec.template.spec.containers[0].ports[0].name = 'web'; }],
  ['a container port number', (l) => { get(l, 'Deployment', 'api').spec.template.spec.containers[0].ports[0].containerPort = 9090; }],
  ['a template change (every pod renamed)', (l) => { get(l, 'Deployment', 'web').spec.template.metadata.labels.tier = 'front'; }],
  ['ClusterIP -> NodePort', (l) => { get(l, 'Service', 'web').spec.type = 'NodePort'; }],
  ['headless -> ClusterIP', (l) => { delete get(l, 'Service', 'db').spec.clusterIP; }],
  ['publishNotReadyAddresses off', (l) => { delete get(l, 'Service', 'db-all').spec.publishNotReadyAddresses; }],
  ['a StatefulSet scaled to 0 (headless answers NODATA)', (l) => { get(l, 'StatefulSet', 'db').spec.replicas = 0; }],
  ['a bare Pod replaced by a Deployment', (l) => { l.splice(l.indexOf(get(l, 'Pod', 'lone')), 1, deployment('lone', 1)); }],
  ['a Service removed and one added', (l) => { l.splice(l.indexOf(get(l, 'Service', 'idle')), 1, service('new', { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 'http' }] })); }],
  ['ExternalName changed', (l) => { get(l, 'Service', 'ext').spec.externalName = 'other.example.com'; }],
  ['pods not ready on the after side', () => undefined, (c) => [...c.pods.values()].filter((p) => p.name.startsWith('db-') || p.name.startsWith('web-')).slice(0, 3)
    .map((p) => ({ type: 'setPodReady', pod: `${p.namespace}/${p.name}`, ready: false }))],
];

describe('Service and DNS comparison: the fast path for quiet Services', () => {
  // As objects: jest hands a row shorter than the callback's parameters a `done` callback.
  it.each(EDITS.map(([name, edit, overrides]) => ({ name, edit, overrides })))('$name: the same changes as the full comparison', ({ edit, overrides }) => {
    const list = JSON.parse(JSON.stringify(base())) as Json[];
    edit(list);
    const a = Cluster.build(load(base(), 'before.yaml'));
    const plain = Cluster.build(load(list, 'after.yaml'));
    const b = overrides ? Cluster.build(load(list, 'after.yaml'), undefined, { overrides: overrides(plain) }) : plain;
    const quiet = quietServices(a, b, sameServiceKeys(a, b));
    const none = new Set<string>();
    expect(diffServices(a, b, quiet)).toEqual(diffServices(a, b, none));
    expect(diffDns(a, b, quiet)).toEqual(diffDns(a, b, none));
    // Nothing reported is ever skipped.
    for (const c of [...diffServices(a, b, none), ...diffDns(a, b, none)]) expect(quiet.has(`${c.namespace}/${c.subject.split('/')[1]}`)).toBe(false);
  });

  it('skips the Services that stay the same and only those', () => {
    const list = JSON.parse(JSON.stringify(base())) as Json[];
    get(list, 'Deployment', 'web').spec.replicas = 5;
    const a = Cluster.build(load(base(), 'before.yaml')); const b = Cluster.build(load(list, 'after.yaml'));
    const quiet = quietServices(a, b, sameServiceKeys(a, b));
    expect([...quiet].sort()).toEqual(['default/kubernetes', 'shop/api', 'shop/db', 'shop/db-all', 'shop/ext', 'shop/idle', 'shop/lone']);
    expect(diffServices(a, b, quiet).map((c) => `${c.subject}: ${c.message}`)).toEqual(['Service shop/web: ready endpoints from Deployment web: 3 -> 5']);
  });
});

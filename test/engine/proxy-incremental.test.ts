/** The proxy model follows Cluster.apply through watch events, like kube-proxy, without a rebuild. */
import { Cluster } from '../../lib/engine/cluster';
import { ProxyModel, type ProxyDecision } from '../../lib/engine/proxy';
import { parseManifestText } from '../../lib/manifest';

const YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx, ports: [{ name: http, containerPort: 8080 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  externalIPs: [198.18.0.1]
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: web2, namespace: default }
spec:
  selector: { app: web }
  externalIPs: [198.18.0.1]
  ports: [{ name: http, port: 80, targetPort: http }]
`;

function summary(d: ProxyDecision): string {
  if (d.action === 'forward') return `forward ${d.rule.service} ${d.endpoints.map((w) => w.endpoint.pod).join(',')}`;
  return d.action === 'none' ? 'none' : `${d.action} ${d.code}`;
}

describe('ProxyModel.refresh / applyEvents', () => {
  const cluster = Cluster.build(parseManifestText(YAML, 'web.yaml').objects);
  const model = ProxyModel.build(cluster);
  const node = [...cluster.nodes.keys()][0];
  const clusterIP = cluster.services.get('default/web')!.clusterIPs[0];
  const probe = (m: ProxyModel, ip = clusterIP) => summary(m.lookup({ node, source: { kind: 'pod', ip: '10.9.9.9' }, dstIP: ip, dstPort: 80, protocol: 'TCP' }));

  test('scaling up: the events refresh the Service and match a fresh build', () => {
    expect(probe(model).split(',')).toHaveLength(2);
    model.applyEvents(cluster.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'default', name: 'web' }, replicas: 4 }));
    expect(probe(model).split(',')).toHaveLength(4);
    expect(probe(model)).toBe(probe(ProxyModel.build(cluster)));
  });

  test('pods going unready: reject once none is left', () => {
    const pods = [...cluster.pods.keys()];
    for (const pod of pods) model.applyEvents(cluster.apply({ type: 'setPodReady', pod, ready: false }));
    expect(probe(model)).toBe('reject no-endpoints');
    for (const pod of pods) model.applyEvents(cluster.apply({ type: 'setPodReady', pod, ready: true }));
    expect(probe(model)).toBe(probe(ProxyModel.build(cluster)));
  });

  test('deleting the Service that owned a shared externalIP hands it to the shadowed one', () => {
    expect(model.conflicts.map((c) => `${c.rule.service} < ${c.shadowedBy}`)).toEqual(['default/web2 < default/web']);
    expect(probe(model, '198.18.0.1')).toMatch(/^forward default\/web /);
    cluster.apply({ type: 'deleteObject', ref: { kind: 'Service', namespace: 'default', name: 'web' } });
    model.refresh(['default/web']);
    expect(probe(model)).toBe('none');
    expect(probe(model, '198.18.0.1')).toMatch(/^forward default\/web2 /);
    expect(model.conflicts).toEqual([]);
    expect(model.tables('default/web')).toEqual([]);
  });
});

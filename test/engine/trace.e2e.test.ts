/** End to end: YAML -> lib/manifest -> Cluster.build (controllers) -> trace through DNS and kube-proxy. */
import { Cluster } from '../../lib/engine/cluster';
import type { ClusterChange } from '../../lib/engine/changes';
import { connect, type ConnectRequest } from '../../lib/engine/trace';
import { parseManifestText } from '../../lib/manifest';

const YAML = `
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default, labels: { app: client } }
spec:
  containers: [{ name: c, image: curl }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v1, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: api, track: v1 } }
  template:
    metadata: { labels: { app: api, track: v1 } }
    spec:
      containers:
        - name: api
          image: api:1
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v2, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: api, track: v2 } }
  template:
    metadata: { labels: { app: api, track: v2 } }
    spec:
      containers:
        - name: api
          image: api:2
          ports: [{ name: http, containerPort: 9090 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ name: web, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: close, namespace: shop }
spec:
  selector: { app: api, track: v1 }
  trafficDistribution: PreferClose
  ports: [{ name: web, port: 80, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: local, namespace: shop }
spec:
  selector: { app: api, track: v2 }
  internalTrafficPolicy: Local
  ports: [{ name: web, port: 80, targetPort: http }]
`;

function build(overrides: ClusterChange[] = []): Cluster {
  const loaded = parseManifestText(YAML, 'app.yaml');
  expect(loaded.errors.map(String)).toEqual([]);
  return Cluster.build(loaded.objects, undefined, { overrides });
}

const apiPods = (c: Cluster, track?: string) =>
  [...c.pods.values()].filter((p) => p.labels.app === 'api' && (!track || p.labels.track === track)).map((p) => `${p.namespace}/${p.name}`).sort();

const from = (_c: Cluster): ConnectRequest['from'] => ({ pod: 'default/client' });

describe('traces over a cluster built from YAML', () => {
  test('a named targetPort resolves per pod: v1 pods on 8080, v2 pods on 9090, split evenly over 4', () => {
    const c = build();
    const t = connect({ from: from(c), to: 'api.shop' }, c);
    expect(t.ok).toBe(true);
    expect(t.destinations.map((d) => d.pod)).toEqual(apiPods(c));
    const ports = Object.fromEntries(t.destinations.map((d) => [d.pod, d.port]));
    for (const pod of apiPods(c, 'v1')) expect(ports[pod]).toBe(8080);
    for (const pod of apiPods(c, 'v2')) expect(ports[pod]).toBe(9090);
    expect(t.destinations.every((d) => d.probability === 0.25)).toBe(true);
  });

  test('all pods unready: the Service rejects and the trace says the pods are unready', () => {
    const pods = apiPods(build());
    const c = build(pods.map((pod) => ({ type: 'setPodReady', pod, ready: false })));
    const t = connect({ from: from(c), to: 'api.shop' }, c);
    expect(t.failure?.code).toBe('pods-unready');
  });

  test('all pods terminating but serving, their replacements not ready yet: kube-proxy falls back to the terminating ones', () => {
    const pods = apiPods(build());
    const terminating = build(pods.map((pod) => ({ type: 'setPodTerminating', pod })));
    // The ReplicaSets replace terminating pods at once (FilterActivePods); these are still starting.
    const replacements = apiPods(terminating).filter((p) => !pods.includes(p));
    expect(replacements).toHaveLength(4);
    const c = build([
      ...pods.map((pod): ClusterChange => ({ type: 'setPodTerminating', pod })),
      ...replacements.map((pod): ClusterChange => ({ type: 'setPodReady', pod, ready: false })),
    ]);
    const t = connect({ from: from(c), to: 'api.shop' }, c);
    expect(t.ok).toBe(true);
    expect(t.destinations).toHaveLength(4);
    expect(t.notes.join('\n')).toContain('falls back to serving, terminating endpoints');
  });

  test('trafficDistribution PreferClose keeps traffic in the client zone when every zone has endpoints', () => {
    const c = build();
    const client = c.pods.get('default/client')!;
    const t = connect({ from: from(c), to: 'close.shop' }, c);
    expect(t.ok).toBe(true);
    // The default profile spreads the 3 v1 replicas over zone-a..c, one each, so every zone has a hint.
    expect(new Set(apiPods(c, 'v1').map((k) => c.pods.get(k)!.zone))).toEqual(new Set(['zone-a', 'zone-b', 'zone-c']));
    expect(t.destinations.map((d) => d.zone)).toEqual([client.zone]);
    expect(t.notes.join('\n')).toContain(`zone ${client.zone}`);
    // The plain Service over the same pods is not narrowed.
    expect(connect({ from: from(c), to: 'api.shop' }, c).destinations).toHaveLength(4);
  });

  test('internalTrafficPolicy Local: reached only from the node that runs the pod', () => {
    const c = build();
    const [v2] = apiPods(c, 'v2');
    const v2Node = c.pods.get(v2)!.nodeName;
    for (const node of c.nodes.values()) {
      const t = connect({ from: { node: node.name }, to: 'local.shop.svc.cluster.local.' }, c);
      if (node.name === v2Node) expect(t.destinations.map((d) => d.pod)).toEqual([v2]);
      else expect(t.failure?.code).toBe('no-local-endpoints');
    }
  });
});

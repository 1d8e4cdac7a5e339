import { Testing } from 'cdk8s';
import { WebAppChart } from '../../examples/web-app';
import * as api from '../../lib';
import { Cluster } from '../../lib/engine/cluster';
import { buildGraph, graphFromObjects } from '../../lib/graph/build';
import type { GraphNode, RoutingGraph } from '../../lib/graph/model';
import { clientInRange, DEFAULT_EXTERNAL_CLIENT_V4 } from '../../lib/graph/traces';
import type { Violation } from '../../lib/rules/types';
import { examplesObjects, load } from './support';

function node(graph: RoutingGraph, id: string): GraphNode {
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}; nodes: ${graph.nodes.map((x) => x.id).join(', ')}`);
  return n;
}

function trace(graph: RoutingGraph, id: string) {
  const t = graph.traces.find((x) => x.id === id);
  if (!t) throw new Error(`no trace ${id}`);
  return t;
}

describe('the graph of the examples', () => {
  const { graph } = graphFromObjects(examplesObjects());
  const webPods = graph.nodes.filter((n) => n.id.startsWith('pod:web/web-')).map((n) => n.id.slice(4)).sort();

  test('has every Service, slice and pod, in namespace bands', () => {
    expect(graph.namespaces).toEqual(['billing', 'data', 'web']);
    expect(graph.nodes.filter((n) => n.kind === 'service').map((n) => n.id).sort()).toEqual([
      'svc:billing/billing-db', 'svc:data/postgres', 'svc:data/postgres-rw', 'svc:web/web', 'svc:web/web-nodeport', 'svc:web/web-public',
    ]);
    expect(graph.summary).toMatchObject({ namespaces: 3, services: 6, endpointSlices: 5, pods: 7, entryPoints: 3, routes: 0 });
    expect(webPods).toHaveLength(3);
    expect(graph.clusterNodes.map((c) => c.name)).toEqual(['node-1', 'node-2', 'node-3']);
    for (const pod of graph.nodes.filter((n) => n.kind === 'pod')) expect(pod.clusterNode).toMatch(/^node-\d$/);
  });

  test('Service ports are anchors with their labels, and edges run Service -> slice -> pod', () => {
    const web = node(graph, 'svc:web/web');
    expect(web.sublabel).toMatch(/^ClusterIP \d+\.\d+\.\d+\.\d+$/);
    expect(web.ports?.map((p) => p.label)).toEqual(['http 80/TCP -> http', 'metrics 9090/TCP -> metrics']);
    const slices = graph.edges.filter((e) => e.from === 'svc:web/web' && e.kind === 'slice');
    expect(slices).toHaveLength(1);
    const pods = graph.edges.filter((e) => e.from === slices[0].to && e.kind === 'endpoint').map((e) => e.to.slice(4)).sort();
    expect(pods).toEqual(webPods);
    expect(node(graph, 'svc:billing/billing-db').sublabel).toBe('ExternalName -> billing.db.example.com');
    expect(node(graph, 'svc:data/postgres').sublabel).toBe('ClusterIP headless');
  });

  test('NodePort and LoadBalancer entry points point at the Service port they open', () => {
    const entries = graph.nodes.filter((n) => n.kind === 'entry');
    expect(entries.map((n) => n.label).sort()).toEqual(['LB 192.0.2.1:80/TCP', 'NodePort :30080/TCP', expect.stringMatching(/^NodePort :3\d{4}\/TCP$/)]);
    const lb = entries.find((n) => n.label.startsWith('LB '));
    expect(graph.edges.filter((e) => e.from === lb?.id)).toEqual([{ from: lb?.id, to: 'svc:web/web-public', toPort: 'svc:web/web-public#0', kind: 'entry' }]);
    expect(lb?.layer).toBe('L4');
  });

  test('a click on the LoadBalancer shows the outside client reaching the three web pods', () => {
    const lb = graph.nodes.find((n) => n.label.startsWith('LB '));
    const t = trace(graph, lb?.traces[0] ?? '');
    // The Service allows 203.0.113.0/24 only: the client comes from inside that range.
    expect(t.title).toBe('external 203.0.113.1 -> 192.0.2.1:80/TCP');
    expect(t.ok).toBe(true);
    expect([...t.destinations].sort()).toEqual(webPods);
    expect(t.text).toContain('rule   LoadBalancer 192.0.2.1:80/TCP -> web/web-public');
    expect(t.text).toMatch(/result OK\n$/);
    expect(t.highlight).toEqual(expect.arrayContaining([lb?.id, 'svc:web/web-public', 'svc:web/web-public#0', ...webPods.map((p) => `pod:${p}`)]));
    expect(t.highlight.some((h) => h.startsWith('slice:web/web-public-'))).toBe(true);
  });

  test('every Service port has an in-cluster trace from a pod of its namespace', () => {
    const t = trace(graph, 'trace:svc:data/postgres-rw#0');
    expect(t.title).toMatch(/^pod data\/postgres-0 -> postgres-rw\.data:5432\/TCP$/);
    expect([...t.destinations].sort()).toEqual(['data/postgres-0', 'data/postgres-1', 'data/postgres-2']);
    const headless = trace(graph, 'trace:svc:data/postgres#0');
    expect(headless.text).toContain('rule   none: direct to pod IP (headless Service data/postgres)');
    for (const n of graph.nodes.filter((x) => x.kind === 'service' && x.id !== 'svc:billing/billing-db')) {
      for (const p of n.ports ?? []) expect(p.traces).toEqual([`trace:${p.id}`]);
    }
  });

  test('the ExternalName alias traces to its CNAME and says it leaves the cluster', () => {
    const t = trace(graph, node(graph, 'svc:billing/billing-db').traces[0]);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('external-name');
    expect(t.text).toContain('CNAME billing.db.example.com');
  });

  test('the validator warning sits on the NodePort Service', () => {
    expect(graph.findings).toHaveLength(1);
    const f = graph.findings[0];
    expect(f).toMatchObject({ ruleId: 'service-exposed-without-source-ranges', severity: 'warning', targets: ['svc:web/web-nodeport'], constructPath: 'web-app/node-port' });
    expect(node(graph, 'svc:web/web-nodeport')).toMatchObject({ severity: 'warning', findings: [0] });
    expect(node(graph, 'svc:web/web').severity).toBeUndefined();
    expect(graph.summary.findings).toEqual({ error: 0, warning: 1, info: 0 });
  });

  test('is deterministic', () => {
    expect(JSON.stringify(graphFromObjects(examplesObjects()).graph)).toBe(JSON.stringify(graph));
  });
});

describe('findings on the graph', () => {
  const objects = load([
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'agent', namespace: 'ops' }, spec: {
      replicas: 2, selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { tcpSocket: { port: 8080 } } }] } },
    } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'agent', namespace: 'ops' }, spec: {
      selector: { app: 'agent' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 81, targetPort: 'admin' }],
    } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan', namespace: 'ops' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } },
  ]);
  const { graph } = graphFromObjects(objects);

  test('a finding on a Deployment is drawn on every pod it runs', () => {
    const f = graph.findings.find((x) => x.ruleId === 'pod-host-network');
    expect(f?.targets).toHaveLength(2);
    for (const t of f?.targets ?? []) expect(t).toMatch(/^pod:ops\/agent-/);
    for (const t of f?.targets ?? []) expect(node(graph, t).severity).toBe(f?.severity);
  });

  test('a finding on spec.ports[i] is drawn on that port, and colours its Service', () => {
    const f = graph.findings.find((x) => x.path === 'spec.ports[1].targetPort');
    expect(f?.targets).toEqual(['svc:ops/agent#1']);
    const svc = node(graph, 'svc:ops/agent');
    expect(svc.ports?.[1].severity).toBe(f?.severity);
    expect(svc.ports?.[0].severity).toBeUndefined();
    expect(svc.severity).toBe(f?.severity);
  });

  test('a Service selecting nothing is drawn with its finding and fails its trace', () => {
    const f = graph.findings.find((x) => x.ruleId === 'service-selects-no-pod');
    expect(f?.targets).toEqual(['svc:ops/orphan']);
    const t = trace(graph, 'trace:svc:ops/orphan#0');
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('no-endpoints');
    // The namespace's only pods use the host network (their node's resolver knows no cluster
    // names): the trace dials the ClusterIP instead of failing on DNS.
    expect(t.title).toMatch(/^pod ops\/agent-\S+ -> 10\.\d+\.\d+\.\d+:80\/TCP$/);
  });

  test('errors come first in the list', () => {
    const ranks = graph.findings.map((x) => ({ error: 0, warning: 1, info: 2 })[x.severity]);
    expect(ranks).toEqual([...ranks].sort());
  });

  test('a finding on an object that is not drawn keeps no targets', () => {
    const v: Violation = { ruleId: 'x', severity: 'error', summary: '', why: '', fix: 'f', object: { kind: 'ConfigMap', namespace: 'ops', name: 'c' }, path: '', message: 'm' };
    const g = buildGraph({ cluster: Cluster.build(objects), violations: [v] });
    expect(g.findings).toEqual([expect.objectContaining({ ruleId: 'x', targets: [] })]);
  });
});

describe('endpoints that are no pod of the cluster', () => {
  test('a selector-less Service with a hand-written EndpointSlice gets address boxes', () => {
    const objects = load([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'default' }, spec: { ports: [{ name: 'db', port: 5432 }] } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'legacy-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'legacy' } },
        addressType: 'IPv4', ports: [{ name: 'db', port: 5432, protocol: 'TCP' }], endpoints: [{ addresses: ['10.50.0.7'], conditions: { ready: true } }] },
    ]);
    const { graph } = graphFromObjects(objects);
    const slices = graph.edges.filter((e) => e.from === 'svc:default/legacy');
    expect(slices).toHaveLength(1);
    const ep = graph.edges.find((e) => e.from === slices[0].to);
    expect(ep?.to).toBe('addr:10.50.0.7');
    expect(node(graph, 'addr:10.50.0.7')).toMatchObject({ kind: 'pod', label: '10.50.0.7', namespace: 'default', ready: true });
    expect(graph.summary.pods).toBe(0);
  });
});

describe('clientInRange', () => {
  test.each([
    ['203.0.113.0/24', '203.0.113.1'],
    ['10.0.0.7/32', '10.0.0.7'],
    ['10.0.0.6/31', '10.0.0.6'],
    ['192.168.5.77/16', '192.168.0.1'],
    ['2001:db8:1::/64', '2001:db8:1::1'],
  ])('%s -> %s', (cidr, ip) => {
    expect(clientInRange(cidr)).toBe(ip);
  });

  test('an unparseable range gives nothing', () => {
    expect(clientInRange('nope')).toBeUndefined();
  });

  test('Services without source ranges are traced from a documentation address', () => {
    expect(DEFAULT_EXTERNAL_CLIENT_V4).toBe('198.51.100.10');
  });
});

describe('the public API', () => {
  test('a chart becomes a page as the README shows', () => {
    const chart = new WebAppChart(Testing.app(), 'web');
    const { graph } = api.graphFromObjects(api.fromObjects(Testing.synth(chart)).objects);
    expect(graph.schema).toBe(api.GRAPH_SCHEMA);
    expect(graph.summary.services).toBe(3);
    expect(api.renderGraphHtml(graph, { title: 'shop' })).toContain('<title>shop</title>');
  });
});

describe('the in-cluster client of a Service port trace', () => {
  const deployment = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'n' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { ...spec, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] } } },
  });
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'n' }, spec: { selector: { app: 'a-host' }, ports: [{ port: 80 }] } };
  const title = (objects: unknown[]) => trace(graphFromObjects(load(objects)).graph, 'trace:svc:n/api#0').title;

  test('a pod on the pod network is preferred to a host-network pod that sorts first', () => {
    expect(title([deployment('a-host', { hostNetwork: true }), deployment('b-pod', {}), svc])).toMatch(/^pod n\/b-pod-\S+ -> api\.n:80\/TCP$/);
  });
  test('a host-network pod with dnsPolicy ClusterFirstWithHostNet resolves the name (kubelet getPodDNSType)', () => {
    expect(title([deployment('a-host', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), svc])).toMatch(/^pod n\/a-host-\S+ -> api\.n:80\/TCP$/);
  });
  test('dnsPolicy Default dials the ClusterIP', () => {
    expect(title([deployment('a-host', { dnsPolicy: 'Default' }), svc])).toMatch(/^pod n\/a-host-\S+ -> 10\.\d+\.\d+\.\d+:80\/TCP$/);
  });
});

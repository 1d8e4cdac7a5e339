/** `netkit graph -n`: one namespace's part of the routing graph (lib/graph/namespace.ts). */
import { join } from 'path';
import { graphFromObjects } from '../../lib/graph/build';
import type { RoutingGraph } from '../../lib/graph/model';
import { graphForNamespace } from '../../lib/graph/namespace';
import { loadManifests, type ManifestObject } from '../../lib/manifest';
import { run } from '../support/cli';
import { allExamplesObjects } from './support';

function fixture(path: string): ManifestObject[] {
  const r = loadManifests([path]);
  expect(r.errors).toEqual([]);
  return r.objects;
}

/** Every index a node or port holds names a finding that is drawn on it; every edge joins drawn nodes. */
function expectConsistent(g: RoutingGraph): void {
  const ids = new Set(g.nodes.map((n) => n.id));
  const traces = new Set(g.traces.map((t) => t.id));
  for (const n of g.nodes) {
    for (const i of n.findings) expect(g.findings[i].targets).toContain(n.id);
    for (const p of n.ports ?? []) for (const i of p.findings) expect(g.findings[i].targets).toContain(p.id);
    for (const t of [...n.traces, ...(n.ports ?? []).flatMap((p) => p.traces)]) expect(traces.has(t)).toBe(true);
  }
  for (const e of g.edges) expect([ids.has(e.from), ids.has(e.to)]).toEqual([true, true]);
  expect(g.summary.services).toBe(g.nodes.filter((n) => n.kind === 'service').length);
  expect(g.summary.findings.warning + g.summary.findings.error + g.summary.findings.info).toBe(g.findings.length);
}

describe('graphForNamespace', () => {
  test('on the examples: each namespace keeps all of its nodes, edges and findings, and nothing of the others', () => {
    const { graph } = graphFromObjects(allExamplesObjects());
    const bands = graph.namespaces.filter((n) => n !== '');
    expect(bands.length).toBeGreaterThan(3);
    for (const ns of bands) {
      const g = graphForNamespace(graph, ns);
      expectConsistent(g);
      expect(g.nodes.map((n) => n.id).sort()).toEqual(graph.nodes.filter((n) => n.namespace === ns).map((n) => n.id).sort());
      expect(g.edges.length).toBe(graph.edges.filter((e) => g.nodes.some((n) => n.id === e.from) && g.nodes.some((n) => n.id === e.to)).length);
      expect(g.findings.map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}`)).toEqual(graph.findings.filter((f) => f.object.namespace === ns).map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}`));
    }
    // The namespaces' parts add up to the whole graph.
    expect(bands.reduce((n, ns) => n + graphForNamespace(graph, ns).nodes.length, 0)).toBe(graph.nodes.filter((n) => n.namespace !== '').length);
  });

  test('a Gateway in another namespace: the route and its entry point are drawn with the Services they lead to; the other namespace\'s finding is not', () => {
    const { graph } = graphFromObjects(fixture(join(__dirname, 'fixtures', 'cross-namespace-gateway.yaml')));
    const app = graphForNamespace(graph, 'app');
    expectConsistent(app);
    expect(app.nodes.map((n) => n.kind).sort()).toEqual(['entry', 'pod', 'pod', 'route', 'service', 'slice']);
    expect(app.findings.map((f) => f.ruleId)).toEqual(['service-pod-no-readiness-probe']);
    const infra = graphForNamespace(graph, 'infra');
    expect(infra.nodes.map((n) => n.id).sort()).toEqual([expect.stringMatching(/^slice:infra\/other-/), 'svc:infra/other']);
    expect(infra.findings.map((f) => `${f.ruleId} ${f.targets.join(',')}`)).toEqual(['service-selects-no-pod svc:infra/other']);
    expect(infra.summary.findings).toEqual({ error: 1, warning: 0, info: 0 });
  });

  test('denied edges: counted in full, drawn up to the limit, their other end drawn too', () => {
    const objects = fixture(join(__dirname, '../fixtures/microservices-demo'));
    const { graph } = graphFromObjects(objects, { deniedLimit: Number.POSITIVE_INFINITY });
    const all = graph.edges.filter((e) => e.kind === 'denied');
    expect(all.length).toBeGreaterThan(5);
    const g = graphForNamespace(graph, 'default', 5);
    expectConsistent(g);
    expect(g.summary.denied).toEqual({ pairs: all.length, drawn: 5 });
    expect(g.edges.filter((e) => e.kind === 'denied')).toEqual(all.slice(0, 5));
    expect(graphForNamespace(graph, 'elsewhere').nodes).toEqual([]);
  });
});

describe('netkit graph -n', () => {
  test('prints the namespace\'s graph; a namespace with nothing in it is noted', async () => {
    const path = join(__dirname, 'fixtures', 'cross-namespace-gateway.yaml');
    const r = await run('graph', path, '-n', 'infra', '-o', 'json');
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as RoutingGraph;
    expect(g.nodes.map((n) => n.namespace)).toEqual(['infra', 'infra']);
    const none = await run('graph', path, '-n', 'nope', '-o', 'json');
    expect(none.code).toBe(0);
    expect(none.err).toBe('note: nothing to draw in namespace nope\n');
    expect((JSON.parse(none.out) as RoutingGraph).nodes).toEqual([]);
  });
});

import { graphFromObjects } from '../../lib/graph/build';
import { layoutGraph, SIZES, wrapLabel, type GraphLayout, type Rect } from '../../lib/graph/layout';
import type { RoutingGraph } from '../../lib/graph/model';
import { manyServices } from './scale';
import { examplesObjects, load } from './support';

/** Every structural promise of the layout, checked on one graph. */
function checkLayout(graph: RoutingGraph, layout: GraphLayout): void {
  // Bands are stacked top-down without overlap, one per namespace.
  expect(layout.bands.map((b) => b.namespace)).toEqual(graph.namespaces);
  for (let i = 1; i < layout.bands.length; i++) {
    expect(layout.bands[i].y).toBeGreaterThanOrEqual(layout.bands[i - 1].y + layout.bands[i - 1].h);
  }
  const last = layout.bands[layout.bands.length - 1];
  expect(layout.height).toBeGreaterThanOrEqual(last.y + last.h);

  const columns = new Map(layout.columns.map((c) => [c.kind, c]));
  const perColumn = new Map<string, Rect[]>();
  for (const n of graph.nodes) {
    const box = layout.boxes[n.id];
    expect(box).toBeDefined();
    const band = layout.bands[box.band];
    expect(band.namespace).toBe(n.namespace);
    // Inside its band (below the title) and its column.
    expect(box.y).toBeGreaterThanOrEqual(SIZES.bandHeader);
    expect(box.y + box.h).toBeLessThanOrEqual(band.h);
    const col = columns.get(n.kind);
    expect(col).toBeDefined();
    expect(box.x).toBeGreaterThanOrEqual(col?.x ?? NaN);
    expect(box.x + box.w).toBeLessThanOrEqual((col?.x ?? NaN) + (col?.w ?? NaN));
    const key = `${box.band}/${n.kind}`;
    perColumn.set(key, [...(perColumn.get(key) ?? []), box]);
    // Pods sit inside their cluster node's group.
    if (n.kind === 'pod') {
      const group = band.groups.find((g) => g.name === (n.clusterNode ?? ''));
      expect(group).toBeDefined();
      expect(box.y).toBeGreaterThanOrEqual(group?.y ?? NaN);
      expect(box.y + box.h).toBeLessThanOrEqual((group?.y ?? NaN) + (group?.h ?? NaN));
    }
    // Port rows are inside their Service's box, in order.
    (n.ports ?? []).forEach((p, i) => {
      const r = layout.ports[p.id];
      expect(r.y).toBeGreaterThanOrEqual(box.y);
      expect(r.y + r.h).toBeLessThanOrEqual(box.y + box.h);
      if (i > 0) expect(r.y).toBeGreaterThan(layout.ports[(n.ports ?? [])[i - 1].id].y);
    });
  }
  // No two boxes of one column in one band overlap.
  for (const rects of perColumn.values()) {
    const sorted = [...rects].sort((a, b) => a.y - b.y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].y).toBeGreaterThanOrEqual(sorted[i - 1].y + sorted[i - 1].h);
  }
  // Columns left to right, each to the right of the previous one.
  for (let i = 1; i < layout.columns.length; i++) expect(layout.columns[i].x).toBeGreaterThan(layout.columns[i - 1].x + layout.columns[i - 1].w);
  expect(layout.width).toBeGreaterThanOrEqual(layout.columns[layout.columns.length - 1].x + layout.columns[layout.columns.length - 1].w);
}

describe('layoutGraph', () => {
  test('the examples: columns without routes, boxes in bands, pods in node groups', () => {
    const { graph } = graphFromObjects(examplesObjects());
    const layout = layoutGraph(graph);
    expect(layout.columns.map((c) => c.kind)).toEqual(['entry', 'service', 'slice', 'pod']);
    checkLayout(graph, layout);
    expect(layout.bands.find((b) => b.namespace === 'data')?.groups.map((g) => g.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });

  test('slices and entry points are pulled level with what they connect to', () => {
    const { graph } = graphFromObjects(examplesObjects());
    const layout = layoutGraph(graph);
    const center = (r: Rect) => r.y + r.h / 2;
    // web-public's port opens a NodePort (level with the port) and a LoadBalancer IP (right below it).
    const port = layout.ports['svc:web/web-public#0'];
    const nodePort = layout.boxes['entry:nodeport:web/web-public#0'];
    const lb = layout.boxes['entry:lb:web/web-public#0@192.0.2.1'];
    expect(Math.abs(center(nodePort) - center(port))).toBeLessThanOrEqual(1);
    expect(lb.y).toBe(nodePort.y + nodePort.h + SIZES.nodeGap);
    // Each Service's slice starts no higher than the Service.
    for (const e of graph.edges.filter((x) => x.kind === 'slice')) {
      expect(layout.boxes[e.to].y).toBeGreaterThanOrEqual(layout.boxes[e.from].y);
    }
  });

  test('pods are ordered by the slices that point at them', () => {
    const { graph } = graphFromObjects(manyServices(30, 1));
    const layout = layoutGraph(graph);
    const band = layout.bands[0];
    for (const group of band.groups) {
      const pods = graph.nodes.filter((n) => n.kind === 'pod' && n.clusterNode === group.name).sort((a, b) => layout.boxes[a.id].y - layout.boxes[b.id].y);
      // Pods of svc-000 come before pods of svc-029 in every node group.
      const order = pods.map((p) => Number(/svc-(\d+)/.exec(p.label)?.[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  test('500 Services in 10 namespaces keep every promise', () => {
    const { graph } = graphFromObjects(manyServices(500));
    expect(graph.summary.services).toBe(500);
    expect(graph.summary.pods).toBe(1500);
    const layout = layoutGraph(graph);
    checkLayout(graph, layout);
    expect(layout.bands).toHaveLength(10);
  });

  test('is deterministic', () => {
    const { graph } = graphFromObjects(examplesObjects());
    expect(JSON.stringify(layoutGraph(graph))).toBe(JSON.stringify(layoutGraph(graph)));
  });
});

describe('wrapLabel', () => {
  // 30 characters of 6.7px fit in 201px.
  const width = 201;
  test('a name that fits stays on one line', () => {
    expect(wrapLabel('details', width)).toEqual(['details']);
  });
  test('a DNS name breaks after a dot, whole', () => {
    const lines = wrapLabel('details.bookinfo.svc.cluster.local', width);
    expect(lines).toEqual(['details.bookinfo.svc.cluster.', 'local']);
    expect(lines.join('')).toBe('details.bookinfo.svc.cluster.local');
  });
  test('a pod name breaks after a dash and keeps its hash', () => {
    expect(wrapLabel('recommendationservice-747db56788-blz75', width)).toEqual(['recommendationservice-', '747db56788-blz75']);
  });
  test('without a separator it breaks at the width', () => {
    const name = 'a'.repeat(45);
    expect(wrapLabel(name, width)).toEqual(['a'.repeat(30), 'a'.repeat(15)]);
  });
  test('what does not fit in two lines is cut at the end, never in the middle', () => {
    const name = `${'x'.repeat(28)}.${'y'.repeat(28)}.${'z'.repeat(28)}`;
    const lines = wrapLabel(name, width);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${'x'.repeat(28)}.`);
    expect(lines[1]).toMatch(/^y{28}\.…$/);
    expect(name.startsWith(lines.join('').slice(0, -1))).toBe(true);
  });
  test('the layout makes a box with a wrapped label taller and keeps its ports inside', () => {
    const graph = graphFromObjects(load([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a-very-long-service-name-that-needs-two-lines', namespace: 'default' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'short', namespace: 'default' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } },
    ])).graph;
    const layout = layoutGraph(graph);
    const long = layout.boxes['svc:default/a-very-long-service-name-that-needs-two-lines'];
    const short = layout.boxes['svc:default/short'];
    expect(long.lines).toHaveLength(2);
    expect(long.lines.join('')).toBe('a-very-long-service-name-that-needs-two-lines');
    expect(short.lines).toEqual(['short']);
    expect(long.h - short.h).toBe(SIZES.labelLine);
    checkLayout(graph, layout);
  });
});

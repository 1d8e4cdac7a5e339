/**
 * The page script run against a fake DOM: it must be self-contained (it runs from its source
 * text, with nothing but `document`), draw a box per node and answer clicks with traces.
 */
import { join } from 'path';
import * as vm from 'vm';
import { loadManifests } from '../../lib/manifest';
import { graphFromObjects } from '../../lib/graph/build';
import { renderGraphHtml } from '../../lib/graph/html';
import type { RoutingGraph } from '../../lib/graph/model';
import { FakeDocument, type FakeElement } from './fake-dom';
import { dataBlock, inlineScript } from './page-parts';
import { examplesObjects, HOSTILE, hostileObjects } from './support';

function runPage(graph: RoutingGraph): { doc: FakeDocument; el: (id: string) => FakeElement; box: (dataId: string) => FakeElement } {
  const html = renderGraphHtml(graph);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]).filter((id) => id !== 'netkit-data');
  const doc = new FakeDocument(ids, dataBlock(html));
  vm.runInNewContext(inlineScript(html), { document: doc });
  const el = (id: string): FakeElement => {
    const e = doc.getElementById(id);
    if (!e) throw new Error(`no #${id}`);
    return e;
  };
  const box = (dataId: string): FakeElement => {
    const found = doc.body.findAll((e) => e.getAttribute('data-id') === dataId);
    if (found.length !== 1) throw new Error(`${found.length} elements with data-id ${dataId}`);
    return found[0];
  };
  return { doc, el, box };
}

describe('the page script', () => {
  const { graph } = graphFromObjects(examplesObjects());
  const webPods = graph.nodes.filter((n) => n.id.startsWith('pod:web/')).map((n) => n.id.slice(4)).sort();

  test('runs from its source alone and draws one box per node and port', () => {
    const { doc, el, box } = runPage(graph);
    expect(doc.body.getAttribute('data-ready')).toBe('true');
    for (const n of graph.nodes) {
      expect(box(n.id).getAttribute('role')).toBe('button');
      for (const p of n.ports ?? []) expect(box(p.id).textContent).toContain(p.label);
    }
    expect(el('graph').findAll((e) => e.tag === 'path' && e.classList.contains('edge'))).toHaveLength(graph.edges.length);
    expect(el('summary').textContent).toBe('6 Services · 7 pods · 5 EndpointSlices · 3 entry points · 3 namespaces · 3 nodes');
    expect(el('counts').textContent).toBe('0 errors1 warning0 info');
    expect(el('problems-count').textContent).toBe('1');
  });

  test('a click on the LoadBalancer entry point shows its trace and lights its path', () => {
    const { el, box } = runPage(graph);
    const id = 'entry:lb:web/web-public#0@192.0.2.1';
    box(id).dispatch('click');
    const trace = el('trace');
    expect(trace.getAttribute('data-trace')).toBe(`trace:${id}`);
    expect(trace.findAll((e) => e.tag === 'pre')[0].textContent).toBe(graph.traces.find((t) => t.id === `trace:${id}`)?.text);
    expect(trace.findAll((e) => e.getAttribute('data-pod') !== null).map((e) => e.getAttribute('data-pod')).sort()).toEqual(webPods);
    expect(el('graph').classList.contains('focus')).toBe(true);
    expect(box(id).classList.contains('selected')).toBe(true);
    for (const pod of webPods) expect(box(`pod:${pod}`).classList.contains('hl')).toBe(true);
    expect(box('svc:web/web').classList.contains('hl')).toBe(false);
    const lit = el('graph').findAll((e) => e.tag === 'path' && e.classList.contains('hl'));
    expect(lit.length).toBe(1 + 1 + 3); // entry -> port, Service -> slice, slice -> 3 pods
    expect(el('details').textContent).toContain('203.0.113.0/24');
  });

  test('Enter on a Service port traces it; Escape clears', () => {
    const { doc, el, box } = runPage(graph);
    box('svc:data/postgres-rw#0').dispatch('keydown', { key: 'Enter' });
    expect(el('trace').getAttribute('data-trace')).toBe('trace:svc:data/postgres-rw#0');
    expect(el('trace').textContent).toContain('result OK');
    doc.dispatch('keydown', { key: 'Escape' });
    expect(el('trace').getAttribute('data-trace')).toBeNull();
    expect(el('graph').classList.contains('focus')).toBe(false);
  });

  test('a click on a problem selects the object it concerns', () => {
    const { el, box } = runPage(graph);
    const items = el('problems').children;
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toContain('service-exposed-without-source-ranges');
    items[0].dispatch('click');
    expect(el('details').getAttribute('data-selected')).toBe('svc:web/web-nodeport');
    expect(el('details').textContent).toContain('service-exposed-without-source-ranges');
    // A Service lights up what feeds it and everything it sends to, nothing beside.
    expect(box('entry:nodeport:web/web-nodeport#0').classList.contains('hl')).toBe(true);
    for (const pod of webPods) expect(box(`pod:${pod}`).classList.contains('hl')).toBe(true);
    expect(box('svc:web/web').classList.contains('hl')).toBe(false);
    expect(box('entry:nodeport:web/web-public#0').classList.contains('hl')).toBe(false);
  });

  test('the namespace filter hides the other bands and edges', () => {
    const { el } = runPage(graph);
    const height = Number(el('graph').getAttribute('data-content-height'));
    const select = el('namespace');
    expect(select.children.map((o) => o.getAttribute('value'))).toEqual(['billing', 'data', 'web']);
    select.value = 'data';
    select.dispatch('change');
    const bands = el('graph').findAll((e) => e.classList.contains('band'));
    expect(bands.filter((b) => !b.classList.contains('hidden')).map((b) => b.getAttribute('data-ns'))).toEqual(['data']);
    expect(Number(el('graph').getAttribute('data-content-height'))).toBeLessThan(height);
    const visible = el('graph').findAll((e) => e.tag === 'path' && e.classList.contains('edge') && !e.classList.contains('hidden'));
    expect(visible.length).toBe(graph.edges.filter((e) => e.from.includes(':data/')).length);
  });

  test('the panel hides and comes back on the next selection', () => {
    const { doc, el, box } = runPage(graph);
    el('panel-toggle').dispatch('click');
    expect(doc.body.classList.contains('panel-hidden')).toBe(true);
    expect(el('panel-toggle').textContent).toBe('Show panel');
    box('svc:web/web#0').dispatch('click');
    expect(doc.body.classList.contains('panel-hidden')).toBe(false);
    expect(el('panel-toggle').getAttribute('aria-expanded')).toBe('true');
  });

  test('search marks matches', () => {
    const { el, box } = runPage(graph);
    const search = el('search');
    search.value = 'postgres-rw';
    search.dispatch('input');
    expect(box('svc:data/postgres-rw').classList.contains('match')).toBe(true);
    expect(box('svc:data/postgres').classList.contains('match')).toBe(false);
    expect(el('search-info').textContent).toMatch(/^2 matches/); // the Service and its slice
  });
});

describe('pan, zoom and the keyboard', () => {
  const { graph } = graphFromObjects(examplesObjects());
  const scale = (doc: FakeDocument): number => Number(/scale\(([\d.]+)\)/.exec(doc.getElementById('viewport')?.getAttribute('transform') ?? '')?.[1]);

  test('fit shows the whole width; + - and the buttons zoom; 0 fits again', () => {
    const { doc, el } = runPage(graph);
    const fitted = scale(doc);
    // The fake canvas is 1000px wide: the layout fits it.
    expect(fitted).toBeGreaterThan(0.5);
    expect(fitted).toBeLessThanOrEqual(1);
    expect(el('zoom-level').textContent).toBe(`${Math.round(fitted * 100)}%`);
    doc.dispatch('keydown', { key: '+', target: { tagName: 'BODY' } });
    expect(scale(doc)).toBeCloseTo(fitted * 1.25, 3);
    el('zoom-out').dispatch('click');
    el('zoom-out').dispatch('click');
    expect(scale(doc)).toBeCloseTo(fitted * 1.25 * 0.64, 3);
    doc.dispatch('keydown', { key: '0', target: { tagName: 'BODY' } });
    expect(scale(doc)).toBe(fitted);
    // Typing in the search box does not zoom.
    doc.dispatch('keydown', { key: '+', target: { tagName: 'INPUT' } });
    expect(scale(doc)).toBe(fitted);
  });

  test('a drag pans and does not select; the wheel zooms', () => {
    const { doc, el, box } = runPage(graph);
    const before = doc.getElementById('viewport')?.getAttribute('transform');
    el('graph').dispatch('pointerdown', { button: 0, clientX: 100, clientY: 100 });
    doc.dispatch('pointermove', { clientX: 160, clientY: 130 });
    doc.dispatch('pointerup');
    const after = doc.getElementById('viewport')?.getAttribute('transform') ?? '';
    expect(after).not.toBe(before);
    box('svc:web/web').dispatch('click');
    expect(el('details').getAttribute('data-selected')).toBeNull();
    const k = scale(doc);
    el('graph').dispatch('wheel', { deltaY: -100, clientX: 500, clientY: 400 });
    expect(scale(doc)).toBeGreaterThan(k);
  });

  test('arrows move between boxes in reading order; Enter opens, Escape closes the panel', () => {
    const { doc, el, box } = runPage(graph);
    doc.dispatch('keydown', { key: 'ArrowDown', target: { tagName: 'BODY' } });
    const first = doc.activeElement?.getAttribute('data-id');
    expect(first).toMatch(/^entry:/);
    doc.dispatch('keydown', { key: 'ArrowRight', target: { tagName: 'g' } });
    const second = doc.activeElement?.getAttribute('data-id') ?? '';
    expect(second.startsWith('svc:')).toBe(true);
    doc.dispatch('keydown', { key: 'ArrowLeft', target: { tagName: 'g' } });
    expect(doc.activeElement?.getAttribute('data-id')).toBe(first);
    box(second).dispatch('keydown', { key: 'Enter' });
    expect(el('details').getAttribute('data-selected')).toBe(second);
    expect(doc.body.classList.contains('panel-hidden')).toBe(false);
    doc.dispatch('keydown', { key: 'Escape' });
    expect(el('details').getAttribute('data-selected')).toBeNull();
    expect(doc.body.classList.contains('panel-hidden')).toBe(true);
  });

  test('Tab order is reading order: band by band, column by column, top to bottom', () => {
    const { el } = runPage(graph);
    const order = el('graph').findAll((e) => e.classList.contains('node')).map((e) => e.getAttribute('data-id') ?? '');
    const layout = JSON.parse(dataBlock(renderGraphHtml(graph))).layout as { boxes: Record<string, { band: number; x: number; y: number }> };
    const key = (id: string) => [layout.boxes[id].band, layout.boxes[id].x, layout.boxes[id].y];
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [key(order[i - 1]), key(order[i])];
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] <= b[2])))).toBe(true);
    }
  });
});

describe('denied edges on the page', () => {
  const r = loadManifests([join(__dirname, '../fixtures/microservices-demo')]);
  const { graph } = graphFromObjects(r.objects);

  test('drawn as their own edges, hidden behind the legend toggle when many, and explained per Service', () => {
    const { el, box } = runPage(graph);
    const paths = el('graph').findAll((e) => e.tag === 'path' && e.classList.contains('edge-denied'));
    expect(paths).toHaveLength(graph.summary.denied.drawn);
    const toggle = el('show-denied');
    expect(toggle.checked).toBe(false);
    expect(el('graph').classList.contains('show-denied')).toBe(false);
    toggle.checked = true;
    toggle.dispatch('change');
    expect(el('graph').classList.contains('show-denied')).toBe(true);
    box('svc:default/cartservice').dispatch('click');
    const details = el('details');
    expect(details.textContent).toContain('Denied by policy (9)');
    expect(details.textContent).toContain('from Deployment default/loadgenerator');
    expect(details.textContent).toContain('nearest miss: NetworkPolicy default/cartservice spec.ingress[0]');
    expect(paths.filter((p) => p.classList.contains('hl'))).toHaveLength(9);
    // One denied edge: its verdict.
    const one = paths.find((p) => p.getAttribute('data-to') === 'svc:default/cartservice#0' && (p.getAttribute('data-from') ?? '').includes('loadgenerator'));
    one?.dispatch('click');
    expect(details.textContent).toContain('default/loadgenerator -> default/cartservice:7070/TCP');
    expect(details.textContent).toContain('7070 (after DNAT)');
  });
});

describe('the page script with hostile names', () => {
  test('puts them into text, never into markup', () => {
    const { graph } = graphFromObjects(hostileObjects());
    const { doc, box } = runPage(graph);
    const svc = graph.nodes.find((n) => n.label === `evil${HOSTILE}`);
    box(svc?.id ?? '').dispatch('click');
    expect(doc.getElementById('details')?.textContent).toContain(`evil${HOSTILE}`);
    // No element was created from the strings: only the tags the script itself makes.
    const tags = new Set(doc.body.findAll(() => true).map((e) => e.tag));
    expect(tags.has('img')).toBe(false);
    expect(doc.body.findAll((e) => e.tag === 'script')).toHaveLength(1);
  });
});

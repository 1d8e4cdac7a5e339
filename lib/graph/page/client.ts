/**
 * The graph page's script. {@link pageMain} is embedded in the HTML as source
 * (`pageMain.toString()`), so it must stay self-contained: no imports used at run time, no
 * module-level values, only its parameters and standard built-ins. `test/graph/page.test.ts`
 * runs the embedded source against a fake DOM to catch a reference that slipped out.
 *
 * Safety: every string from the graph (names, messages, trace text) goes into `textContent` or
 * an attribute value; the script never writes markup.
 */
import type { GraphLayout } from '../layout';
import type { GraphDenial, GraphEdge, GraphFinding, GraphNode, GraphPort, GraphTrace, RoutingGraph } from '../model';
import type { DomDocument, DomElement, DomEvent } from './dom';

/** Everything the page script gets: the graph, its layout and the sizes the layout used. */
export interface PageData {
  readonly title: string;
  readonly graph: RoutingGraph;
  readonly layout: GraphLayout;
  readonly sizes: {
    readonly margin: number;
    readonly columnHeader: number;
    readonly nodeGap: number;
    readonly bandHeader: number;
    readonly bandGap: number;
    readonly serviceHeader: number;
    readonly portRow: number;
    readonly groupHeader: number;
    readonly labelLine: number;
  };
}

/** Draw the graph into `#graph` and wire the side panel, search and namespace filter. */
export function pageMain(doc: DomDocument, data: PageData): void {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const { graph, layout, sizes } = data;
  /** Average glyph width of the 11px monospace labels, to cut labels to their box. */
  const CHAR_WIDTH = 6.7;

  const nodes = new Map<string, GraphNode>();
  const ports = new Map<string, GraphPort>();
  const portOwner = new Map<string, GraphNode>();
  for (const n of graph.nodes) {
    nodes.set(n.id, n);
    for (const p of n.ports ?? []) {
      ports.set(p.id, p);
      portOwner.set(p.id, n);
    }
  }
  const traces = new Map<string, GraphTrace>(graph.traces.map((t) => [t.id, t]));
  const clusterNodes = new Map(graph.clusterNodes.map((c) => [c.name, c]));
  const bandY = layout.bands.map((b) => b.y);
  /** Pan and zoom: `translate(x,y) scale(k)` of #viewport; `moved` once the user changed it. */
  const view = { x: 0, y: 0, k: 1 };
  let moved = false;
  const bandHidden = layout.bands.map(() => false);

  // ---- small DOM helpers (text only, never markup) ----
  const need = (id: string): DomElement => {
    const e = doc.getElementById(id);
    if (!e) throw new Error(`netkit graph: the page has no #${id}`);
    return e;
  };
  const html = (tag: string, attrs: Readonly<Record<string, string>> = {}, text?: string): DomElement => {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = (tag: string, attrs: Readonly<Record<string, string | number>> = {}, text?: string): DomElement => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  /**
   * Cut a secondary text (sublabel, port, group title) to its box at the END: its start says what
   * it is. Names are wrapped by the layout instead (`layout.boxes[id].lines`); the tooltip and
   * the side panel carry every text in full.
   */
  const cut = (text: string, width: number): string => {
    const max = Math.max(6, Math.floor(width / CHAR_WIDTH));
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  };
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 || word === 'info' ? '' : word.endsWith('ch') ? 'es' : 's'}`;
  const refText = (f: GraphFinding): string => `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  /** Set when a drag panned the graph: the click that ends it selects nothing. */
  let dragged = false;
  const onActivate = (e: DomElement, action: () => void): void => {
    e.addEventListener('click', (ev: DomEvent) => {
      ev.stopPropagation();
      if (dragged) { dragged = false; return; }
      action();
    });
    e.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); action(); }
    });
  };

  // ---- header ----
  const s = graph.summary;
  const summary = need('summary');
  summary.textContent = [
    plural(s.services, 'Service'), plural(s.pods, 'pod'), plural(s.endpointSlices, 'EndpointSlice'),
    plural(s.entryPoints, 'entry point'), ...(s.routes > 0 ? [plural(s.routes, 'route')] : []),
    plural(s.namespaces, 'namespace'), plural(graph.clusterNodes.length, 'node'),
    ...(s.denied.pairs > 0 ? [plural(s.denied.pairs, 'denied pair')] : []),
  ].join(' · ');
  summary.setAttribute('title', summary.textContent ?? '');
  const counts = need('counts');
  for (const sev of ['error', 'warning', 'info'] as const) {
    const n = s.findings[sev];
    counts.appendChild(html('span', { class: `count sev-${sev}${n === 0 ? ' zero' : ''}` }, plural(n, sev)));
  }

  // ---- the SVG ----
  const root = need('graph');
  root.setAttribute('width', '100%');
  root.setAttribute('height', '100%');
  /** Everything drawn: pan and zoom move this group (`translate(x,y) scale(k)`). */
  const viewport = svg('g', { id: 'viewport' });
  let contentHeight = layout.height;
  root.setAttribute('data-content-height', String(contentHeight));
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.appendChild(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }));
  defs.appendChild(marker);
  const deniedMarker = svg('marker', { id: 'arrow-denied', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  deniedMarker.appendChild(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow-denied' }));
  defs.appendChild(deniedMarker);
  root.appendChild(defs);
  root.appendChild(viewport);
  for (const c of layout.columns) viewport.appendChild(svg('text', { x: c.x, y: c.y + 18, class: 'col-title' }, c.title));
  const bgLayer = svg('g', { class: 'layer-bands' });
  const edgeLayer = svg('g', { class: 'layer-edges' });
  const nodeLayer = svg('g', { class: 'layer-nodes' });
  viewport.appendChild(bgLayer);
  viewport.appendChild(edgeLayer);
  viewport.appendChild(nodeLayer);

  const bandBg: DomElement[] = [];
  const bandFg: DomElement[] = [];
  layout.bands.forEach((b, i) => {
    const inBand = graph.nodes.filter((n) => n.namespace === b.namespace);
    const problems = inBand.filter((n) => n.severity === 'error' || n.severity === 'warning').length;
    const bg = svg('g', { class: 'band', 'data-ns': b.namespace, transform: `translate(0,${b.y})` });
    bg.appendChild(svg('rect', { x: sizes.margin / 2, y: 0, width: layout.width - sizes.margin, height: b.h, rx: 6, class: 'band-bg' }));
    const title = b.namespace === '' ? 'cluster-scoped entry points' : `namespace ${b.namespace}`;
    const facts = `${plural(inBand.filter((n) => n.kind === 'service').length, 'Service')}, ${plural(inBand.filter((n) => n.id.startsWith('pod:')).length, 'pod')}` +
      (problems > 0 ? ` · ${plural(problems, 'object')} with problems` : '');
    bg.appendChild(svg('text', { x: sizes.margin, y: 19, class: 'band-title' }, title));
    bg.appendChild(svg('text', { x: sizes.margin + Math.min(360, title.length * 8 + 24), y: 19, class: 'band-facts' }, facts));
    for (const g of b.groups) {
      const cn = clusterNodes.get(g.name);
      bg.appendChild(svg('rect', { x: g.x, y: g.y, width: g.w, height: g.h, rx: 5, class: `group${cn && !cn.ready ? ' down' : ''}` }));
      const label = g.name === '' ? 'outside the cluster\'s pods' : `node ${g.name}${cn ? ` · ${cn.zone}` : ''}${cn && !cn.ready ? ' · NotReady' : ''}`;
      bg.appendChild(svg('text', { x: g.x + 8, y: g.y + 15, class: 'group-title' }, cut(label, g.w - 16)));
    }
    bgLayer.appendChild(bg);
    const fg = svg('g', { class: 'band-nodes', 'data-ns': b.namespace, transform: `translate(0,${b.y})` });
    nodeLayer.appendChild(fg);
    bandBg[i] = bg;
    bandFg[i] = fg;
  });

  /** Node and port elements by id. */
  const elements = new Map<string, DomElement>();
  const badge = (parent: DomElement, x: number, severity: string, count: number): void => {
    parent.appendChild(svg('circle', { cx: x, cy: 10, r: 7, class: `badge sev-${severity}` }));
    parent.appendChild(svg('text', { x, y: 13.5, class: 'badge-text' }, count > 9 ? '9+' : String(count)));
  };
  // Boxes go into the DOM in reading order (band, column, top to bottom), which is Tab's order.
  const drawn = graph.nodes.filter((n) => layout.boxes[n.id] !== undefined);
  drawn.sort((a, b) => {
    const p = layout.boxes[a.id];
    const q = layout.boxes[b.id];
    return p.band - q.band || p.x - q.x || p.y - q.y;
  });
  for (const n of drawn) {
    const box = layout.boxes[n.id];
    const classes = ['node', `kind-${n.kind}`];
    if (n.severity) classes.push(`sev-${n.severity}`);
    if (n.ready === false) classes.push('unready');
    const g = svg('g', {
      class: classes.join(' '), transform: `translate(${box.x},${box.y})`, tabindex: 0, role: 'button',
      'data-id': n.id, 'aria-label': `${n.kind} ${n.label}${n.severity ? ` (${n.severity})` : ''}`,
    });
    g.appendChild(svg('title', {}, [n.label, n.sublabel ?? '', ...n.findings.map((i) => `${graph.findings[i].severity}: [${graph.findings[i].ruleId}] ${graph.findings[i].message}`)].filter((t) => t !== '').join('\n')));
    g.appendChild(svg('rect', { width: box.w, height: box.h, rx: 4, class: 'box' }));
    g.appendChild(svg('rect', { width: 4, height: box.h, rx: 2, class: 'accent' }));
    const own = n.findings.length + (n.ports ?? []).reduce((a, p) => a + p.findings.length, 0);
    const lines = box.lines.length > 0 ? box.lines : [n.label];
    const label = svg('text', { x: 10, y: 15, class: 'label' });
    lines.forEach((line, i) => label.appendChild(svg('tspan', { x: 10, dy: i === 0 ? 0 : sizes.labelLine }, line)));
    g.appendChild(label);
    const extra = (lines.length - 1) * sizes.labelLine;
    if (n.sublabel) g.appendChild(svg('text', { x: 10, y: 30 + extra, class: 'sublabel' }, cut(n.sublabel, box.w - 16)));
    if (own > 0 && n.severity) badge(g, box.w - 11, n.severity, own);
    onActivate(g, () => select(n.id));
    elements.set(n.id, g);
    (n.ports ?? []).forEach((p) => {
      const r = layout.ports[p.id];
      if (!r) return;
      const pg = svg('g', {
        class: `port${p.severity ? ` sev-${p.severity}` : ''}${p.traces.length > 0 ? ' traced' : ''}`,
        transform: `translate(0,${r.y - box.y})`, tabindex: 0, role: 'button', 'data-id': p.id,
        'aria-label': `port ${p.label} of ${n.label}`,
      });
      pg.appendChild(svg('title', {}, [`${p.label}: click to trace`, ...p.findings.map((i) => `${graph.findings[i].severity}: [${graph.findings[i].ruleId}] ${graph.findings[i].message}`)].join('\n')));
      pg.appendChild(svg('rect', { x: 6, y: 1, width: r.w - 12, height: r.h - 2, rx: 3, class: 'port-box' }));
      pg.appendChild(svg('text', { x: 12, y: 13, class: 'port-label' }, cut(`${p.traces.length > 0 ? '▸ ' : ''}${p.label}`, r.w - 24)));
      onActivate(pg, () => select(p.id));
      g.appendChild(pg);
      elements.set(p.id, pg);
    });
    bandFg[box.band].appendChild(g);
  }

  // ---- edges ----
  const edgePaths: { edge: GraphEdge; path: DomElement }[] = [];
  const ownerOf = (id: string): string => portOwner.get(id)?.id ?? id;
  /** Where an edge leaves or enters a box: its right side (`out`) or left side (`in`). */
  const anchor = (id: string, side: 'out' | 'in'): { x: number; y: number; band: number } | undefined => {
    const nodeId = ownerOf(id);
    const box = layout.boxes[nodeId];
    if (!box) return undefined;
    const port = layout.ports[id];
    const node = nodes.get(nodeId);
    const header = sizes.serviceHeader + (box.lines.length - 1) * sizes.labelLine;
    const localY = port ? port.y + port.h / 2 : node?.kind === 'service' ? box.y + header / 2 : box.y + box.h / 2;
    return { x: side === 'out' ? box.x + box.w : box.x, y: bandY[box.band] + localY, band: box.band };
  };
  const denials: { edge: GraphEdge; denial: GraphDenial; path: DomElement }[] = [];
  for (const e of graph.edges) {
    const classes = ['edge', `edge-${e.kind}`];
    if (e.ready === false) classes.push('unready');
    const path = svg('path', { class: classes.join(' '), 'marker-end': e.kind === 'denied' ? 'url(#arrow-denied)' : 'url(#arrow)', 'data-from': e.from, 'data-to': e.toPort ?? e.to });
    if (e.label) path.appendChild(svg('title', {}, e.denial ? `${e.label}\n${e.denial.reason}` : e.label));
    edgeLayer.appendChild(path);
    edgePaths.push({ edge: e, path });
    if (e.denial) {
      const d = e.denial;
      const index = denials.length;
      denials.push({ edge: e, denial: d, path });
      path.setAttribute('data-denied', String(index));
      onActivate(path, () => selectDenial(index));
    }
  }
  const drawEdges = (): void => {
    for (const { edge, path } of edgePaths) {
      // A denied edge runs backwards: from the left side of the source pod to the right side of the Service port.
      const back = edge.kind === 'denied';
      const a = anchor(edge.from, back ? 'in' : 'out');
      const b = anchor(edge.toPort ?? edge.to, back ? 'out' : 'in');
      if (!a || !b || bandHidden[a.band] || bandHidden[b.band]) {
        path.setAttribute('d', '');
        path.classList.add('hidden');
        continue;
      }
      path.classList.remove('hidden');
      if (back) {
        const dx = Math.max(24, (a.x - b.x) / 2);
        path.setAttribute('d', `M${a.x},${a.y} C${a.x - dx},${a.y} ${b.x + dx},${b.y} ${b.x + 2},${b.y}`);
      } else {
        const dx = Math.max(24, (b.x - a.x) / 2);
        path.setAttribute('d', `M${a.x},${a.y} C${a.x + dx},${a.y} ${b.x - dx},${b.y} ${b.x - 2},${b.y}`);
      }
    }
  };

  // ---- namespace filter: hide bands and stack the rest ----
  const restack = (): void => {
    let y = sizes.margin + sizes.columnHeader + sizes.nodeGap;
    layout.bands.forEach((b, i) => {
      bandY[i] = y;
      bandBg[i].setAttribute('transform', `translate(0,${y})`);
      bandFg[i].setAttribute('transform', `translate(0,${y})`);
      bandBg[i].classList.toggle('hidden', bandHidden[i]);
      bandFg[i].classList.toggle('hidden', bandHidden[i]);
      if (!bandHidden[i]) y += b.h + sizes.bandGap;
    });
    contentHeight = y - sizes.bandGap + sizes.margin;
    root.setAttribute('data-content-height', String(contentHeight));
    drawEdges();
    fit();
  };
  const nsSelect = need('namespace');
  for (const ns of graph.namespaces) nsSelect.appendChild(html('option', { value: ns === '' ? '(cluster)' : ns }, ns === '' ? '(cluster-scoped)' : ns));
  nsSelect.addEventListener('change', () => {
    const want = nsSelect.value;
    layout.bands.forEach((b, i) => {
      bandHidden[i] = want !== '' && (b.namespace === '' ? '(cluster)' : b.namespace) !== want;
    });
    restack();
  });

  // ---- the side panel can be hidden to give the graph the whole width ----
  const toggle = need('panel-toggle');
  const showPanel = (show: boolean): void => {
    const changed = doc.body.classList.contains('panel-hidden') === show;
    doc.body.classList.toggle('panel-hidden', !show);
    toggle.textContent = show ? 'Hide panel' : 'Show panel';
    toggle.setAttribute('aria-expanded', String(show));
    // The canvas changed width: keep the whole graph in view unless the user moved it.
    if (changed && !moved) fit();
  };
  toggle.addEventListener('click', () => showPanel(doc.body.classList.contains('panel-hidden')));

  // ---- selection and highlighting ----
  const clearHighlight = (): void => {
    root.classList.remove('focus');
    for (const e of elements.values()) e.classList.remove('hl', 'selected');
    for (const { path } of edgePaths) path.classList.remove('hl');
  };
  const highlight = (ids: Iterable<string>, selected: string): void => {
    clearHighlight();
    const set = new Set<string>();
    for (const id of ids) {
      set.add(id);
      set.add(ownerOf(id));
    }
    root.classList.add('focus');
    for (const id of set) elements.get(id)?.classList.add('hl');
    elements.get(selected)?.classList.add('selected');
    for (const { edge, path } of edgePaths) {
      const to = edge.toPort ?? edge.to;
      if (set.has(edge.from) && set.has(to)) path.classList.add('hl');
    }
  };
  /** Edge ends by node (ports count as their Service), both ways. */
  const downstream = new Map<string, string[]>();
  const upstream = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.kind === 'denied') continue; // no traffic flows there: not part of a route
    const to = e.toPort ?? e.to;
    const next = downstream.get(ownerOf(e.from)) ?? [];
    next.push(to);
    downstream.set(ownerOf(e.from), next);
    const list = upstream.get(ownerOf(to)) ?? [];
    list.push(e.from);
    upstream.set(ownerOf(to), list);
  }
  /** Everything upstream and downstream of a node (not sideways through a shared pod). */
  const connected = (id: string): Set<string> => {
    const out = new Set<string>([id]);
    const walk = (links: Map<string, string[]>): void => {
      const seen = new Set<string>();
      const queue = [ownerOf(id)];
      while (queue.length > 0) {
        const cur = queue.pop() as string;
        if (seen.has(cur)) continue;
        seen.add(cur);
        for (const next of links.get(cur) ?? []) {
          out.add(next);
          queue.push(ownerOf(next));
        }
      }
    };
    walk(downstream);
    walk(upstream);
    return out;
  };

  const details = need('details');
  const traceBox = need('trace');
  const findingItem = (index: number): DomElement => {
    const f = graph.findings[index];
    const li = html('li', { class: `finding sev-${f.severity}` });
    li.appendChild(html('span', { class: 'sev' }, f.severity));
    li.appendChild(html('code', { class: 'rule' }, f.ruleId));
    li.appendChild(html('span', { class: 'msg' }, `${f.message}`));
    li.appendChild(html('div', { class: 'where' }, `${refText(f)}${f.path ? ` ${f.path}` : ''}${f.source ? ` · ${f.source.file}:${f.source.line}` : ''}${f.constructPath ? ` · construct ${f.constructPath}` : ''}`));
    li.appendChild(html('div', { class: 'fix' }, `fix: ${f.fix}`));
    return li;
  };

  // ---- denied edges: workload -> Service port connections policy drops ----
  /** `namespace/name` of the workload a pod box stands for (its last ref: Deployment, StatefulSet, ... or the Pod). */
  const workloadOfNode = (n: GraphNode): string | undefined => {
    const last = n.refs[n.refs.length - 1];
    return n.id.startsWith('pod:') && last ? `${last.namespace ?? n.namespace}/${last.name}` : undefined;
  };
  /** Denied edges that concern a selection: into a Service (or that port), or out of a pod's workload. */
  const deniedFor = (id: string): number[] => {
    const node = nodes.get(ownerOf(id));
    if (!node) return [];
    const workload = workloadOfNode(node);
    const out: number[] = [];
    denials.forEach(({ edge, denial }, i) => {
      if (node.kind === 'service' ? (id === node.id ? edge.to === id : edge.toPort === id) : workload !== undefined && denial.source === workload) out.push(i);
    });
    return out;
  };
  const lightDenials = (list: readonly number[]): void => {
    for (const i of list) {
      const { edge, path } = denials[i];
      path.classList.add('hl');
      elements.get(edge.from)?.classList.add('hl');
      elements.get(edge.toPort ?? edge.to)?.classList.add('hl');
      elements.get(edge.to)?.classList.add('hl');
    }
  };
  const denialItem = (i: number, from: 'source' | 'service'): DomElement => {
    const d = denials[i].denial;
    const li = html('li', { class: 'denial', 'data-denied': String(i) });
    const head = html('div', { class: 'denial-head' });
    head.appendChild(html('span', { class: 'result fail' }, 'DENIED'));
    head.appendChild(html('span', { class: 'denial-title' }, from === 'service' ? `from ${d.sourceKind} ${d.source}` : `to ${d.service}`));
    li.appendChild(head);
    if (d.deniedDestinations.length < d.destinations) li.appendChild(html('div', { class: 'where' }, `${d.deniedDestinations.length} of ${d.destinations} destination workloads denied: ${d.deniedDestinations.join(', ')}`));
    // The reason names the isolating policies; the nearest miss gets its own line.
    const reason = d.reason.replace(/^(egress|ingress|mesh authorization): /, '').replace(/; nearest miss: [\s\S]*$/, '');
    li.appendChild(html('div', { class: 'msg' }, `${d.direction === 'mesh' ? 'mesh authorization' : d.direction}: ${reason}`));
    if (d.rule) li.appendChild(html('div', { class: 'where' }, `rule ${d.rule}`));
    if (d.nearMiss) li.appendChild(html('div', { class: 'fix' }, `nearest miss: ${d.nearMiss}`));
    for (const u of d.unmodelled) li.appendChild(html('div', { class: 'where' }, `not simulated: ${u}`));
    return li;
  };
  const denialList = (list: readonly number[], from: 'source' | 'service'): DomElement[] => {
    if (list.length === 0) return [];
    const ul = html('ul', { class: 'denials' });
    for (const i of list) {
      const li = denialItem(i, from);
      li.setAttribute('tabindex', '0');
      li.classList.add('link');
      onActivate(li, () => selectDenial(i));
      ul.appendChild(li);
    }
    return [html('h3', {}, `Denied by policy (${list.length})`), ul];
  };
  /** Select one denied edge: its verdict in the panel, its two ends lit. */
  const selectDenial = (i: number): void => {
    const { edge, denial } = denials[i];
    showPanel(true);
    const head = html('div', { class: 'sel-head kind-denied' });
    head.appendChild(html('span', { class: 'kind' }, 'denied edge'));
    head.appendChild(html('strong', {}, `${denial.source} -> ${denial.service}`));
    const table = html('table', { class: 'facts' });
    for (const [k, v] of [['source', `${denial.sourceKind} ${denial.source} (drawn from ${edge.from.slice(4)})`], ['Service port', denial.service], ['destination port', `${denial.port} (after DNAT)`], ['denied at', denial.direction]]) {
      const tr = html('tr');
      tr.appendChild(html('th', {}, k));
      tr.appendChild(html('td', {}, v));
      table.appendChild(tr);
    }
    const ul = html('ul', { class: 'denials' });
    ul.appendChild(denialItem(i, 'source'));
    details.replaceChildren(head, table, ul);
    details.setAttribute('data-selected', `denied:${i}`);
    showTrace(undefined, `denied:${i}`, false);
    highlight([edge.from, edge.toPort ?? edge.to], '');
    lightDenials([i]);
  };

  /** Show a trace in the panel; highlight its path unless the caller highlights something else. */
  const showTrace = (id: string | undefined, selected: string, light = true): void => {
    const t = id ? traces.get(id) : undefined;
    if (!t) {
      traceBox.removeAttribute('data-trace');
      traceBox.replaceChildren(html('p', { class: 'hint' }, selected === ''
        ? 'Click an entry point, a route or a Service port (▸) to see where its traffic goes.'
        : 'No trace for this box: entry points, routes and Service ports (▸) have one.'));
      return;
    }
    const head = html('div', { class: 'trace-head' });
    head.appendChild(html('span', { class: `result ${t.ok ? 'ok' : 'fail'}` }, t.ok ? 'OK' : `FAIL${t.failure ? ` (${t.failure.code})` : ''}`));
    head.appendChild(html('span', { class: 'trace-title' }, t.title));
    const pre = html('pre', { class: 'trace-text', id: 'trace-text' }, t.text);
    const list = html('ul', { class: 'destinations', id: 'trace-destinations' });
    for (const d of t.destinations) {
      const li = html('li', { 'data-pod': d }, d);
      const podId = `pod:${d}`;
      if (nodes.has(podId)) {
        li.setAttribute('tabindex', '0');
        li.classList.add('link');
        onActivate(li, () => reveal(podId));
      }
      list.appendChild(li);
    }
    traceBox.replaceChildren(head, html('h3', {}, t.destinations.length > 0 ? `Reaches ${plural(t.destinations.length, 'destination')}` : 'Reaches nothing'), list, pre);
    traceBox.setAttribute('data-trace', t.id);
    if (light) highlight([...t.highlight, selected], selected);
  };

  const select = (id: string): void => {
    showPanel(true);
    const port = ports.get(id);
    const node = nodes.get(ownerOf(id));
    if (!node) return;
    const parts: DomElement[] = [];
    const head = html('div', { class: `sel-head kind-${node.kind}` });
    head.appendChild(html('span', { class: 'kind' }, node.layer ? `${node.layer} ${node.kind}` : node.kind));
    const qualified = node.namespace !== '' && (node.kind === 'service' || node.kind === 'slice' || node.id.startsWith('pod:'));
    head.appendChild(html('strong', {}, qualified ? `${node.namespace}/${node.label}` : node.label));
    parts.push(head);
    if (port) parts.push(html('p', { class: 'sel-port' }, `port ${port.label}`));
    if (node.sublabel) parts.push(html('p', { class: 'sublabel' }, node.sublabel));
    const table = html('table', { class: 'facts' });
    for (const [k, v] of node.details) {
      const tr = html('tr');
      tr.appendChild(html('th', {}, k));
      tr.appendChild(html('td', {}, v));
      table.appendChild(tr);
    }
    parts.push(table);
    const own = [...(port ? port.findings : []), ...node.findings, ...(port ? [] : (node.ports ?? []).flatMap((p) => p.findings))];
    if (own.length > 0) {
      const ul = html('ul', { class: 'findings' });
      for (const i of [...new Set(own)]) ul.appendChild(findingItem(i));
      parts.push(html('h3', {}, 'Problems'), ul);
    }
    const traceIds = port ? port.traces : [...node.traces, ...(node.ports ?? []).flatMap((p) => p.traces)];
    if (!port && traceIds.length > 1) {
      const ul = html('ul', { class: 'trace-links' });
      for (const tid of traceIds) {
        const t = traces.get(tid);
        if (!t) continue;
        const li = html('li', { tabindex: '0', class: `link ${t.ok ? 'ok' : 'fail'}` }, `${t.ok ? '✓' : '✗'} ${t.title}`);
        onActivate(li, () => showTrace(tid, id));
        ul.appendChild(li);
      }
      parts.push(html('h3', {}, 'Traces'), ul);
    }
    const denied = deniedFor(id);
    parts.push(...denialList(denied, node.kind === 'service' ? 'service' : 'source'));
    details.replaceChildren(...parts);
    details.setAttribute('data-selected', id);
    // A port, an entry point or a route: its trace and path. A box with several traces (a
    // Service) or none: everything connected to it, and the first trace in the panel.
    const single = port !== undefined || node.kind === 'entry' || node.kind === 'route';
    showTrace(traceIds[0], id, single && traceIds.length > 0);
    if (!single || traceIds.length === 0) highlight(connected(id), id);
    lightDenials(denied);
  };

  /** Select an item and scroll it into view (from the problems list, the search, a trace). */
  const reveal = (id: string): void => {
    const box = layout.boxes[ownerOf(id)];
    if (box && bandHidden[box.band]) {
      nsSelect.value = '';
      bandHidden.fill(false);
      restack();
    }
    select(id);
    const e = elements.get(id);
    if (e) {
      centerOn(id);
      e.focus({ preventScroll: true });
    }
  };

  // ---- problems list ----
  const problems = need('problems');
  need('problems-count').textContent = String(graph.findings.length);
  if (graph.findings.length === 0) problems.appendChild(html('li', { class: 'hint' }, 'The validator found nothing.'));
  graph.findings.forEach((f, i) => {
    const li = findingItem(i);
    if (f.targets.length > 0) {
      li.setAttribute('tabindex', '0');
      li.classList.add('link');
      onActivate(li, () => reveal(f.targets[0]));
    } else {
      li.appendChild(html('div', { class: 'where' }, '(not drawn: the object has no box in the graph)'));
    }
    problems.appendChild(li);
  });

  // ---- search ----
  const search = need('search');
  const searchInfo = need('search-info');
  let matches: string[] = [];
  let matchAt = -1;
  const haystack = (n: GraphNode): string => [n.id, n.label, n.sublabel ?? '', ...(n.ports ?? []).map((p) => p.label)].join('\n').toLowerCase();
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    matches = [];
    matchAt = -1;
    for (const [id, e] of elements) {
      const n = nodes.get(id);
      const hit = q !== '' && n !== undefined && haystack(n).includes(q);
      e.classList.toggle('match', hit);
      if (hit) matches.push(id);
    }
    // Services first (what one usually looks for), then the other columns.
    const rank: Readonly<Record<string, number>> = { service: 0, entry: 1, route: 2, slice: 3, pod: 4 };
    const key = (id: string) => rank[nodes.get(id)?.kind ?? 'pod'];
    matches.sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0));
    searchInfo.textContent = q === '' ? '' : `${plural(matches.length, 'match')}${matches.length > 0 ? ' (Enter: next)' : ''}`;
  });
  search.addEventListener('keydown', (ev: DomEvent) => {
    if (ev.key !== 'Enter' || matches.length === 0) return;
    ev.preventDefault();
    matchAt = (matchAt + (ev.shiftKey ? matches.length - 1 : 1)) % matches.length;
    reveal(matches[matchAt]);
  });

  // Escape or a click on the background clears the selection.
  const clear = (): void => {
    clearHighlight();
    details.removeAttribute('data-selected');
    details.replaceChildren(html('p', { class: 'hint' }, 'Click a box for its details (or Tab to it and press Enter). Entry points, routes and Service ports (▸) show where their traffic goes.'));
    showTrace(undefined, '');
  };
  root.addEventListener('click', () => {
    if (dragged) { dragged = false; return; }
    clear();
  });

  // ---- pan and zoom: one transform on #viewport ----
  const zoomLevel = need('zoom-level');
  const bar = need('canvas-bar');
  /** Below this scale the whole graph is not legible: "fit" then fits the width and starts at the top. */
  const MIN_FIT = 0.5;
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  /** The bar of zoom buttons and legend lies over the canvas bottom: what is above it. */
  const visibleHeight = (canvasHeight: number): number => canvasHeight - bar.getBoundingClientRect().height - 16;
  const applyView = (): void => {
    viewport.setAttribute('transform', `translate(${Math.round(view.x * 10) / 10},${Math.round(view.y * 10) / 10}) scale(${Math.round(view.k * 10000) / 10000})`);
    zoomLevel.textContent = `${Math.round(view.k * 100)}%`;
  };
  /** Fit the graph to the canvas: all of it when legible, else its full width from the top. */
  function fit(): void {
    const r = root.getBoundingClientRect();
    const height = visibleHeight(r.height);
    moved = false;
    if (r.width <= 0 || height <= 0) { applyView(); return; }
    const all = Math.min(r.width / layout.width, height / contentHeight);
    view.k = Math.min(1, all >= MIN_FIT ? all : r.width / layout.width);
    view.x = Math.max(0, (r.width - layout.width * view.k) / 2);
    view.y = 0;
    applyView();
  }
  /** Zoom by `factor` keeping the canvas point (cx, cy) still (the centre by default). */
  const zoomBy = (factor: number, cx?: number, cy?: number): void => {
    const r = root.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = clamp(view.k * factor, 0.1, 4);
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    moved = true;
    applyView();
  };
  /** A node's or port's rectangle in graph coordinates (bands as currently stacked). */
  const rectOf = (id: string): { x: number; y: number; w: number; h: number } | undefined => {
    const box = layout.boxes[ownerOf(id)];
    if (!box) return undefined;
    const r = layout.ports[id] ?? box;
    return { x: r.x, y: bandY[box.band] + r.y, w: r.w, h: r.h };
  };
  function centerOn(id: string): void {
    const g = rectOf(id);
    if (!g) return;
    const r = root.getBoundingClientRect();
    view.x = r.width / 2 - (g.x + g.w / 2) * view.k;
    view.y = visibleHeight(r.height) / 2 - (g.y + g.h / 2) * view.k;
    moved = true;
    applyView();
  }
  /** Pan just enough to bring a box into view (keyboard focus). */
  const ensureVisible = (id: string): void => {
    const g = rectOf(id);
    if (!g) return;
    const r = root.getBoundingClientRect();
    const h = visibleHeight(r.height);
    const left = view.x + g.x * view.k;
    const top = view.y + g.y * view.k;
    const right = left + g.w * view.k;
    const bottom = top + g.h * view.k;
    const pad = 24;
    if (left >= 0 && top >= 0 && right <= r.width && bottom <= h) return;
    if (right - left > r.width - 2 * pad || bottom - top > h - 2 * pad) { centerOn(id); return; }
    if (left < pad) view.x += pad - left;
    else if (right > r.width - pad) view.x -= right - (r.width - pad);
    if (top < pad) view.y += pad - top;
    else if (bottom > h - pad) view.y -= bottom - (h - pad);
    moved = true;
    applyView();
  };

  let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;
  root.addEventListener('pointerdown', (ev: DomEvent) => {
    if (ev.button !== 0) return;
    dragged = false;
    drag = { x: ev.clientX ?? 0, y: ev.clientY ?? 0, vx: view.x, vy: view.y, moved: false };
  });
  doc.addEventListener('pointermove', (ev: DomEvent) => {
    if (!drag) return;
    const dx = (ev.clientX ?? 0) - drag.x;
    const dy = (ev.clientY ?? 0) - drag.y;
    // A few pixels of jitter is still a click.
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    root.classList.add('panning');
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    moved = true;
    applyView();
  });
  doc.addEventListener('pointerup', () => {
    if (drag?.moved) dragged = true;
    drag = undefined;
    root.classList.remove('panning');
  });
  root.addEventListener('wheel', (ev: DomEvent) => {
    ev.preventDefault();
    const r = root.getBoundingClientRect();
    zoomBy(Math.exp(-clamp(ev.deltaY ?? 0, -300, 300) * 0.002), (ev.clientX ?? 0) - r.left, (ev.clientY ?? 0) - r.top);
  }, { passive: false });
  need('zoom-in').addEventListener('click', () => zoomBy(1.25));
  need('zoom-out').addEventListener('click', () => zoomBy(0.8));
  need('zoom-fit').addEventListener('click', () => fit());
  // A resized window keeps the whole graph in view, unless the user has panned or zoomed.
  doc.defaultView?.addEventListener('resize', () => { if (!moved) fit(); });

  // ---- keyboard: Tab / arrows between boxes, Enter opens, Escape closes, + - zoom, 0 fits ----
  const idOf = new Map<unknown, string>();
  for (const [id, e] of elements) {
    idOf.set(e, id);
    e.addEventListener('focus', () => ensureVisible(id));
  }
  const columnIndex = new Map(layout.columns.map((c, i) => [c.kind, i]));
  /** Every visible box and port: its column, top and middle in graph coordinates. */
  const stops = (): { id: string; col: number; top: number; mid: number }[] => {
    const out: { id: string; col: number; top: number; mid: number }[] = [];
    for (const n of drawn) {
      const box = layout.boxes[n.id];
      if (bandHidden[box.band]) continue;
      const col = columnIndex.get(n.kind) ?? 0;
      const top = bandY[box.band] + box.y;
      out.push({ id: n.id, col, top, mid: top + box.h / 2 });
      for (const p of n.ports ?? []) {
        const r = layout.ports[p.id];
        // A port sorts after its Service's header, in its own row.
        if (r) out.push({ id: p.id, col, top: bandY[box.band] + r.y + 0.5, mid: bandY[box.band] + r.y + r.h / 2 });
      }
    }
    return out;
  };
  const move = (key: string, from: string | undefined): void => {
    const all = stops();
    if (all.length === 0) return;
    const cur = from ? all.find((x) => x.id === from) : undefined;
    let next: { id: string } | undefined;
    if (!cur) next = all.slice().sort((a, b) => a.col - b.col || a.top - b.top)[0];
    else if (key === 'ArrowUp' || key === 'ArrowDown') {
      const column = all.filter((x) => x.col === cur.col).sort((a, b) => a.top - b.top);
      const at = column.indexOf(cur);
      next = column[key === 'ArrowDown' ? at + 1 : at - 1];
    } else {
      const step = key === 'ArrowRight' ? 1 : -1;
      const cols = [...new Set(all.map((x) => x.col))].filter((c) => (c - cur.col) * step > 0).sort((a, b) => (a - b) * step);
      if (cols.length > 0) {
        const there = all.filter((x) => x.col === cols[0]);
        there.sort((a, b) => Math.abs(a.mid - cur.mid) - Math.abs(b.mid - cur.mid) || a.top - b.top);
        next = there[0];
      }
    }
    if (!next) return;
    const e = elements.get(next.id);
    if (!e) return;
    e.focus({ preventScroll: true });
    ensureVisible(next.id);
  };
  doc.addEventListener('keydown', (ev: DomEvent) => {
    if (ev.key === 'Escape') {
      clear();
      showPanel(false);
      return;
    }
    const tag = (ev.target?.tagName ?? '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const key = ev.key ?? '';
    if (key === '+' || key === '=') { ev.preventDefault(); zoomBy(1.25); }
    else if (key === '-' || key === '_') { ev.preventDefault(); zoomBy(0.8); }
    else if (key === '0') { ev.preventDefault(); fit(); }
    else if (key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight') {
      ev.preventDefault();
      move(key, idOf.get(doc.activeElement));
    }
  });

  // ---- legend: what the lines mean; denied edges on or off ----
  const legend = need('legend');
  const kinds = new Set(graph.edges.map((e) => e.kind));
  const entry = (cls: string, text: string): DomElement => {
    const item = html('span', { class: 'legend-item' });
    item.appendChild(html('span', { class: `swatch ${cls}` }));
    item.appendChild(html('span', {}, text));
    return item;
  };
  if (kinds.has('entry')) legend.appendChild(entry('edge-entry', 'entry point -> port'));
  if (kinds.has('route') || kinds.has('backend')) legend.appendChild(entry('edge-route', 'HTTP route'));
  legend.appendChild(entry('edge-slice', 'Service -> slice -> pod'));
  if (graph.edges.some((e) => e.ready === false)) legend.appendChild(entry('edge-slice unready', 'not ready'));
  const denied = graph.summary.denied;
  if (denials.length > 0) {
    const item = html('label', { class: 'legend-item denied-toggle' });
    const box = html('input', { type: 'checkbox', id: 'show-denied' });
    // A handful of denied edges is readable; hundreds are a red blanket, shown per selection instead.
    box.checked = denials.length <= 40;
    item.appendChild(box);
    item.appendChild(html('span', { class: 'swatch edge-denied' }));
    item.appendChild(html('span', {}, `denied by policy (${denials.length}${denied.pairs > denied.drawn ? ` of ${denied.pairs}` : ''})`));
    legend.appendChild(item);
    const sync = (): void => { root.classList.toggle('show-denied', box.checked); };
    box.addEventListener('change', sync);
    sync();
  }
  if (denied.pairs > denied.drawn) legend.appendChild(html('span', { class: 'legend-note' }, `${denied.pairs - denied.drawn} denied pairs not drawn: netkit reach lists every pair`));
  legend.appendChild(html('span', { class: 'legend-keys' }, 'drag: pan · wheel: zoom · Tab/arrows: move · Enter: open · Esc: close · + − 0'));

  drawEdges();
  clear();
  fit();
  doc.body.setAttribute('data-ready', 'true');
}

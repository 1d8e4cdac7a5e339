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
import type { GraphEdge, GraphFinding, GraphNode, GraphPort, GraphTrace, RoutingGraph } from '../model';
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
  /** Cut a label to its box, in the middle: generated names differ at the end (pod hashes, slice suffixes). */
  const fit = (text: string, width: number): string => {
    const max = Math.max(6, Math.floor(width / CHAR_WIDTH));
    if (text.length <= max) return text;
    const head = Math.ceil((max - 1) * 0.6);
    return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
  };
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 || word === 'info' ? '' : word.endsWith('ch') ? 'es' : 's'}`;
  const refText = (f: GraphFinding): string => `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  const onActivate = (e: DomElement, action: () => void): void => {
    e.addEventListener('click', (ev: DomEvent) => { ev.stopPropagation(); action(); });
    e.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); action(); }
    });
  };

  // ---- header ----
  const s = graph.summary;
  need('summary').textContent = [
    plural(s.services, 'Service'), plural(s.pods, 'pod'), plural(s.endpointSlices, 'EndpointSlice'),
    plural(s.entryPoints, 'entry point'), ...(s.routes > 0 ? [plural(s.routes, 'route')] : []),
    plural(s.namespaces, 'namespace'), plural(graph.clusterNodes.length, 'node'),
  ].join(' · ');
  const counts = need('counts');
  for (const sev of ['error', 'warning', 'info'] as const) {
    const n = s.findings[sev];
    counts.appendChild(html('span', { class: `count sev-${sev}${n === 0 ? ' zero' : ''}` }, plural(n, sev)));
  }

  // ---- the SVG ----
  const root = need('graph');
  root.setAttribute('width', String(layout.width));
  root.setAttribute('height', String(layout.height));
  root.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.appendChild(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }));
  defs.appendChild(marker);
  root.appendChild(defs);
  for (const c of layout.columns) root.appendChild(svg('text', { x: c.x, y: c.y + 18, class: 'col-title' }, c.title));
  const bgLayer = svg('g', { class: 'layer-bands' });
  const edgeLayer = svg('g', { class: 'layer-edges' });
  const nodeLayer = svg('g', { class: 'layer-nodes' });
  root.appendChild(bgLayer);
  root.appendChild(edgeLayer);
  root.appendChild(nodeLayer);

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
      bg.appendChild(svg('text', { x: g.x + 8, y: g.y + 15, class: 'group-title' }, fit(label, g.w - 16)));
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
  for (const n of graph.nodes) {
    const box = layout.boxes[n.id];
    if (!box) continue;
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
    const textWidth = box.w - 16 - (own > 0 ? 18 : 0);
    g.appendChild(svg('text', { x: 10, y: 15, class: 'label' }, fit(n.label, textWidth)));
    if (n.sublabel) g.appendChild(svg('text', { x: 10, y: 30, class: 'sublabel' }, fit(n.sublabel, box.w - 16)));
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
      pg.appendChild(svg('text', { x: 12, y: 13, class: 'port-label' }, fit(`${p.traces.length > 0 ? '▸ ' : ''}${p.label}`, r.w - 24)));
      onActivate(pg, () => select(p.id));
      g.appendChild(pg);
      elements.set(p.id, pg);
    });
    bandFg[box.band].appendChild(g);
  }

  // ---- edges ----
  const edgePaths: { edge: GraphEdge; path: DomElement }[] = [];
  const ownerOf = (id: string): string => portOwner.get(id)?.id ?? id;
  const anchor = (id: string, side: 'out' | 'in'): { x: number; y: number; band: number } | undefined => {
    const nodeId = ownerOf(id);
    const box = layout.boxes[nodeId];
    if (!box) return undefined;
    const port = layout.ports[id];
    const node = nodes.get(nodeId);
    const localY = port ? port.y + port.h / 2 : node?.kind === 'service' ? box.y + sizes.serviceHeader / 2 : box.y + box.h / 2;
    return { x: side === 'out' ? box.x + box.w : box.x, y: bandY[box.band] + localY, band: box.band };
  };
  for (const e of graph.edges) {
    const classes = ['edge', `edge-${e.kind}`];
    if (e.ready === false) classes.push('unready');
    const path = svg('path', { class: classes.join(' '), 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.toPort ?? e.to });
    if (e.label) path.appendChild(svg('title', {}, e.label));
    edgeLayer.appendChild(path);
    edgePaths.push({ edge: e, path });
  }
  const drawEdges = (): void => {
    for (const { edge, path } of edgePaths) {
      const a = anchor(edge.from, 'out');
      const b = anchor(edge.toPort ?? edge.to, 'in');
      if (!a || !b || bandHidden[a.band] || bandHidden[b.band]) {
        path.setAttribute('d', '');
        path.classList.add('hidden');
        continue;
      }
      path.classList.remove('hidden');
      const dx = Math.max(24, (b.x - a.x) / 2);
      path.setAttribute('d', `M${a.x},${a.y} C${a.x + dx},${a.y} ${b.x - dx},${b.y} ${b.x - 2},${b.y}`);
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
    const height = y - sizes.bandGap + sizes.margin;
    root.setAttribute('height', String(height));
    root.setAttribute('viewBox', `0 0 ${layout.width} ${height}`);
    drawEdges();
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
    doc.body.classList.toggle('panel-hidden', !show);
    toggle.textContent = show ? 'Hide panel' : 'Show panel';
    toggle.setAttribute('aria-expanded', String(show));
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
    details.replaceChildren(...parts);
    details.setAttribute('data-selected', id);
    // A port, an entry point or a route: its trace and path. A box with several traces (a
    // Service) or none: everything connected to it, and the first trace in the panel.
    const single = port !== undefined || node.kind === 'entry' || node.kind === 'route';
    showTrace(traceIds[0], id, single && traceIds.length > 0);
    if (!single || traceIds.length === 0) highlight(connected(id), id);
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
      e.scrollIntoView({ block: 'center', inline: 'center' });
      e.focus();
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
    details.replaceChildren(html('p', { class: 'hint' }, 'Click a box for its details. Entry points, routes and Service ports (▸) show where their traffic goes.'));
    showTrace(undefined, '');
  };
  root.addEventListener('click', clear);
  doc.addEventListener('keydown', (ev: DomEvent) => { if (ev.key === 'Escape') clear(); });

  drawEdges();
  clear();
  doc.body.setAttribute('data-ready', 'true');
}

/**
 * A layered layout for the routing graph, computed at generation time (pure, deterministic).
 *
 * The page is a stack of namespace bands. Inside a band, columns run left to right (entry
 * points, routes, Services, EndpointSlices, pods); Services stack in name order, each slice
 * and entry point is pulled level with what it connects to, and pods are grouped by the cluster
 * node they run on, ordered by the height of the slices that point at them so edges cross
 * little. Edges stay inside their band except for the rare cross-namespace reference, so a
 * band can be hidden or moved by the page without laying out the others again.
 *
 * Box coordinates are relative to their band; {@link LayoutBand.y} places the band.
 */
import { GRAPH_COLUMNS, type GraphNode, type GraphNodeKind, type RoutingGraph } from './model';

/** A rectangle in SVG user units (pixels). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A node's box: its rectangle inside band {@link band}. */
export interface LayoutBox extends Rect {
  readonly band: number;
  /** The node's label wrapped to the box (1 or 2 lines; the box is taller for 2). */
  readonly lines: readonly string[];
}

/** A cluster node's group of pods inside a band. */
export interface LayoutGroup extends Rect {
  /** Cluster node name (`''` for addresses outside any node). */
  readonly name: string;
}

/** One namespace band. */
export interface LayoutBand {
  readonly namespace: string;
  /** Top of the band, absolute. */
  readonly y: number;
  readonly h: number;
  readonly groups: readonly LayoutGroup[];
}

/** One column of the layout (columns without nodes are left out). */
export interface LayoutColumn extends Rect {
  readonly kind: GraphNodeKind;
  readonly title: string;
}

/** Where everything is drawn. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly LayoutColumn[];
  readonly bands: readonly LayoutBand[];
  /** Node id -> box (band-relative). */
  readonly boxes: Readonly<Record<string, LayoutBox>>;
  /** Service port id -> the port's row (band-relative). */
  readonly ports: Readonly<Record<string, Rect>>;
}

/** Sizes, in pixels. Exported so the page script and tests agree with the layout. */
export const SIZES = {
  margin: 16,
  columnHeader: 30,
  gutter: 52,
  bandHeader: 28,
  bandPadding: 10,
  bandGap: 12,
  nodeGap: 8,
  /** Height of a box with a label and a sublabel. */
  box: 38,
  pod: 34,
  /** Service header (label + sublabel) before the port rows. */
  serviceHeader: 38,
  portRow: 18,
  groupHeader: 22,
  groupPadding: 6,
  groupGap: 8,
  /** Height of each further line of a wrapped label. */
  labelLine: 13,
  /** Width the finding badge takes from a label. */
  badge: 18,
} as const;

/** Advance of one glyph of the page's 11px monospace labels (0.6 em), to wrap labels to their box. */
export const CHAR_WIDTH = 6.7;

/** Characters after which a name may wrap: DNS labels, generated suffixes, paths, ports. */
const BREAK_AFTER = new Set(['.', '-', '/', ':', '_', '@', '#', ' ', ',', '=']);

/**
 * A label in at most `maxLines` lines of `width` pixels: broken after a separator when one is in
 * the second half of the line (so `details.bookinfo.svc.` / `cluster.local`), else at the width.
 * Only what still does not fit is cut, at the END of the last line with `…`: the start of a
 * name says what it is; the page's tooltip and side panel give the whole name.
 */
export function wrapLabel(text: string, width: number, maxLines = 2): string[] {
  const max = Math.max(6, Math.floor(width / CHAR_WIDTH));
  const lines: string[] = [];
  let rest = text;
  while (rest.length > max && lines.length < maxLines - 1) {
    let cut = -1;
    for (let i = max - 1; i >= Math.floor(max / 2); i--) {
      if (BREAK_AFTER.has(rest[i])) { cut = i + 1; break; }
    }
    if (cut < 0) cut = max;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  lines.push(rest.length > max ? `${rest.slice(0, max - 1)}…` : rest);
  return lines;
}

const COLUMN_WIDTH: Readonly<Record<GraphNodeKind, number>> = { entry: 190, route: 220, service: 250, slice: 190, pod: 240 };
const COLUMN_TITLE: Readonly<Record<GraphNodeKind, string>> = {
  entry: 'Entry points', route: 'Routes (L7)', service: 'Services', slice: 'EndpointSlices', pod: 'Pods by node',
};

interface Mutable { x: number; y: number; w: number; h: number; band: number; lines: string[] }

/** Lay out `graph` (see the module comment for the rules). */
export function layoutGraph(graph: RoutingGraph): GraphLayout {
  const present = new Set(graph.nodes.map((n) => n.kind));
  const columns: LayoutColumn[] = [];
  let x = SIZES.margin;
  for (const kind of GRAPH_COLUMNS) {
    if (!present.has(kind) && kind !== 'service' && kind !== 'pod') continue;
    columns.push({ kind, title: COLUMN_TITLE[kind], x, y: SIZES.margin, w: COLUMN_WIDTH[kind], h: SIZES.columnHeader });
    x += COLUMN_WIDTH[kind] + SIZES.gutter;
  }
  const width = x - SIZES.gutter + SIZES.margin;
  const columnOf = new Map(columns.map((c) => [c.kind, c]));

  const byNamespace = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = byNamespace.get(n.namespace) ?? [];
    list.push(n);
    byNamespace.set(n.namespace, list);
  }
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, { to: string; port?: string }[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const e of graph.edges) {
    if (e.kind === 'denied') continue; // drawn backwards over the columns; not a route to align on
    push(incoming, e.to, e.from);
    push(outgoing, e.from, { to: e.to, port: e.toPort });
  }

  const boxes: Record<string, Mutable> = {};
  const ports: Record<string, Rect> = {};
  const bands: LayoutBand[] = [];
  let bandY = SIZES.margin + SIZES.columnHeader + SIZES.nodeGap;
  const center = (id: string): number | undefined => {
    const r = ports[id] ?? boxes[id];
    return r ? r.y + r.h / 2 : undefined;
  };

  for (const namespace of graph.namespaces) {
    const nodes = byNamespace.get(namespace) ?? [];
    const band = bands.length;
    const top = SIZES.bandHeader + SIZES.bandPadding;
    const of = (kind: GraphNodeKind) => nodes.filter((n) => n.kind === kind);
    /** The label's lines in its box (pods are inset in their node group; a badge takes room). */
    const linesOf = (n: GraphNode): string[] => {
      const w = (columnOf.get(n.kind)?.w ?? 0) - (n.kind === 'pod' ? 2 * SIZES.groupPadding : 0);
      const badge = n.findings.length + (n.ports ?? []).reduce((a, p) => a + p.findings.length, 0) > 0 ? SIZES.badge : 0;
      return wrapLabel(n.label, w - 16 - badge);
    };
    /** Height of a box whose one-line form is `h`. */
    const tall = (n: GraphNode, h: number): number => h + (linesOf(n).length - 1) * SIZES.labelLine;
    const place = (n: GraphNode, y: number, h: number): Mutable => {
      const col = columnOf.get(n.kind);
      const lines = linesOf(n);
      const box = { x: col?.x ?? 0, y, w: col?.w ?? 0, h: h + (lines.length - 1) * SIZES.labelLine, band, lines };
      boxes[n.id] = box;
      return box;
    };
    const bottoms: number[] = [top];

    // Services: stacked in order, ports as rows under the header.
    let cursor = top;
    for (const svc of of('service')) {
      const portList = svc.ports ?? [];
      const box = place(svc, cursor, SIZES.serviceHeader + portList.length * SIZES.portRow + (portList.length ? 4 : 0));
      const header = SIZES.serviceHeader + (box.lines.length - 1) * SIZES.labelLine;
      portList.forEach((p, i) => {
        ports[p.id] = { x: box.x, y: box.y + header + i * SIZES.portRow, w: box.w, h: SIZES.portRow };
      });
      cursor += box.h + SIZES.nodeGap;
    }
    bottoms.push(cursor);

    // Slices level with their Service, in Service order.
    bottoms.push(stackAligned(of('slice'), top, SIZES.box, (n) => tall(n, SIZES.box), (n) => average((incoming.get(n.id) ?? []).map(center)), place));
    // Routes level with their backends, then entry points level with what they feed.
    const targetsCenter = (n: GraphNode) => average((outgoing.get(n.id) ?? []).map((o) => center(o.port ?? o.to)));
    bottoms.push(stackAligned(of('route'), top, SIZES.box, (n) => tall(n, SIZES.box), targetsCenter, place));
    bottoms.push(stackAligned(of('entry'), top, SIZES.box, (n) => tall(n, SIZES.box), targetsCenter, place));

    // Pods grouped by cluster node; inside a group, ordered by the slices pointing at them.
    const groups: LayoutGroup[] = [];
    const podCol = columnOf.get('pod');
    const byNode = new Map<string, GraphNode[]>();
    for (const p of of('pod')) push(byNode, p.clusterNode ?? '', p);
    const nodeNames = [...byNode.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
    cursor = top;
    for (const name of nodeNames) {
      const pods = (byNode.get(name) ?? []).map((p) => ({ p, at: average((incoming.get(p.id) ?? []).map(center)) ?? Number.POSITIVE_INFINITY }));
      pods.sort((a, b) => a.at - b.at || (a.p.label < b.p.label ? -1 : a.p.label > b.p.label ? 1 : 0));
      const groupTop = cursor;
      let y = groupTop + SIZES.groupHeader;
      for (const { p } of pods) {
        const box = place(p, y, SIZES.pod);
        box.x += SIZES.groupPadding;
        box.w -= 2 * SIZES.groupPadding;
        y += box.h + SIZES.nodeGap / 2;
      }
      const h = y - groupTop + SIZES.groupPadding - SIZES.nodeGap / 2;
      groups.push({ name, x: podCol?.x ?? 0, y: groupTop, w: podCol?.w ?? 0, h });
      cursor = groupTop + h + SIZES.groupGap;
    }
    bottoms.push(cursor);

    const h = Math.max(...bottoms) + SIZES.bandPadding - SIZES.nodeGap;
    bands.push({ namespace, y: bandY, h, groups });
    bandY += h + SIZES.bandGap;
  }
  return { width, height: bandY - SIZES.bandGap + SIZES.margin, columns, bands, boxes, ports };
}

/**
 * Stack boxes top-down (`base` high for a one-line label, `height` with the wrapped lines),
 * each as close as possible to the height `want` gives (its center),
 * never overlapping the previous one; boxes keep the order of their wanted heights.
 * Returns the bottom.
 */
function stackAligned(
  nodes: readonly GraphNode[], top: number, base: number, height: (n: GraphNode) => number,
  want: (n: GraphNode) => number | undefined,
  place: (n: GraphNode, y: number, h: number) => Rect,
): number {
  const wanted = nodes.map((n, i) => ({ n, i, at: want(n) ?? Number.POSITIVE_INFINITY }));
  wanted.sort((a, b) => a.at - b.at || a.i - b.i);
  let cursor = top;
  for (const { n, at } of wanted) {
    const h = height(n);
    const y = Number.isFinite(at) ? Math.max(cursor, Math.round(at - h / 2)) : cursor;
    // `place` takes the one-line height and adds the wrapped lines itself.
    const box = place(n, y, base);
    cursor = y + box.h + SIZES.nodeGap;
  }
  return cursor;
}

function average(values: readonly (number | undefined)[]): number | undefined {
  const list = values.filter((v): v is number => v !== undefined);
  return list.length === 0 ? undefined : list.reduce((a, b) => a + b, 0) / list.length;
}

/** The graph page's stylesheet (inline; system fonts only, nothing fetched). */
export const PAGE_CSS = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1f2933; --muted: #616e7c; --line: #cbd2d9;
  --entry: #7c3aed; --route: #0d9488; --service: #2563eb; --slice: #64748b; --pod: #16a34a;
  --error: #d32f2f; --warning: #d97706; --info: #2563eb; --hl: #f59e0b; --ok: #15803d; --denied: #dc2626; --focus: #1d4ed8;
  --mono: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 8px 16px; padding: 8px 14px; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { font-size: 15px; margin: 0; flex: none; white-space: nowrap; }
/* The counts give way to the controls on a narrow window (the whole line is in the tooltip). */
header .summary { color: var(--muted); flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#counts { flex: none; white-space: nowrap; }
header .controls { margin-left: auto; display: flex; gap: 8px; align-items: center; flex: none; }
header input[type=search] { width: 220px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
header select, header button { padding: 3px 6px; font: inherit; }
body.panel-hidden aside { display: none; }
#search-info { color: var(--muted); min-width: 90px; }
.count { padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; margin-right: 4px; }
.count.sev-error { background: var(--error); } .count.sev-warning { background: var(--warning); } .count.sev-info { background: var(--info); }
.count.zero { background: #e4e7eb; color: var(--muted); font-weight: normal; }
main { flex: 1; display: flex; min-height: 0; }
#canvas { flex: 1; overflow: hidden; min-width: 0; position: relative; }
#graph { width: 100%; height: 100%; cursor: grab; touch-action: none; user-select: none; }
#graph.panning { cursor: grabbing; }
.canvas-bar { position: absolute; left: 8px; bottom: 8px; right: 8px; display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; font-size: 12px; color: var(--muted); background: rgba(255,255,255,.94); border: 1px solid var(--line); border-radius: 6px; padding: 3px 10px 3px 4px; }
.toolbar { display: inline-flex; gap: 4px; align-items: center; }
.toolbar button { min-width: 30px; height: 26px; font: 600 14px system-ui, sans-serif; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
.toolbar button:focus-visible, header button:focus-visible, .legend input:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
#zoom-level { min-width: 42px; text-align: right; color: var(--muted); font-size: 12px; padding-right: 4px; }
.legend { display: contents; }
.legend-item { display: inline-flex; gap: 6px; align-items: center; }
.swatch { display: inline-block; width: 26px; height: 0; border-top: 2px solid #9aa5b1; }
.swatch.edge-entry { border-color: var(--entry); } .swatch.edge-route { border-color: var(--route); }
.swatch.unready { border-top-style: dashed; }
.swatch.edge-denied { border-top: 2px dashed var(--denied); }
.legend-keys { margin-left: auto; }
.legend-note { color: var(--error); }
aside { width: clamp(300px, 26vw, 400px); flex: none; overflow: auto; background: var(--panel); border-left: 1px solid var(--line); padding: 0 14px 14px; }
aside h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
aside h3 { font-size: 12px; margin: 10px 0 4px; }
.hint { color: var(--muted); }
.sel-head { display: flex; gap: 8px; align-items: baseline; }
.sel-head .kind { font-size: 11px; text-transform: uppercase; color: #fff; background: var(--slice); padding: 0 6px; border-radius: 3px; }
.sel-head.kind-entry .kind { background: var(--entry); } .sel-head.kind-route .kind { background: var(--route); }
.sel-head.kind-service .kind { background: var(--service); } .sel-head.kind-pod .kind { background: var(--pod); }
.sel-head strong { font-family: var(--mono); word-break: break-all; }
.sel-port { font-family: var(--mono); margin: 4px 0; }
ul.denials li { border-left: 4px solid var(--denied); padding: 4px 8px; margin: 4px 0; background: #fdecea; font-size: 12px; }
.denial-head { display: flex; gap: 8px; align-items: baseline; }
.denial-title { font-family: var(--mono); word-break: break-all; }
.denial .msg { word-break: break-word; margin-top: 2px; }
.denial .where, .denial .fix { color: var(--muted); word-break: break-word; }
.sel-head.kind-denied .kind { background: var(--denied); }
table.facts { border-collapse: collapse; width: 100%; margin-top: 6px; }
table.facts th { text-align: left; font-weight: normal; color: var(--muted); padding: 2px 8px 2px 0; vertical-align: top; white-space: nowrap; }
table.facts td { font-family: var(--mono); font-size: 12px; word-break: break-all; padding: 2px 0; }
ul { list-style: none; margin: 0; padding: 0; }
.finding { border-left: 4px solid var(--info); padding: 4px 8px; margin: 4px 0; background: #f8fafc; }
.finding.sev-error { border-color: var(--error); background: #fdecea; } .finding.sev-warning { border-color: var(--warning); background: #fff6e5; }
.finding .sev { font-weight: 700; text-transform: uppercase; font-size: 11px; margin-right: 6px; }
.finding.sev-error .sev { color: var(--error); } .finding.sev-warning .sev { color: var(--warning); } .finding.sev-info .sev { color: var(--info); }
.finding .rule { font-size: 11px; margin-right: 6px; }
.finding .where, .finding .fix { color: var(--muted); font-size: 12px; word-break: break-word; }
.link { cursor: pointer; }
.link:hover, .link:focus { outline: 2px solid var(--hl); outline-offset: -2px; }
.trace-links li { font-family: var(--mono); font-size: 12px; padding: 2px 4px; }
.trace-links li.fail { color: var(--error); }
.trace-head { display: flex; gap: 8px; align-items: baseline; }
.trace-title { font-family: var(--mono); font-size: 12px; word-break: break-all; }
.result { font-weight: 700; padding: 0 6px; border-radius: 3px; color: #fff; }
.result.ok { background: var(--ok); } .result.fail { background: var(--error); }
.destinations li { font-family: var(--mono); font-size: 12px; padding: 1px 4px; }
pre.trace-text { font: 11.5px/1.35 var(--mono); background: #0f172a; color: #e2e8f0; padding: 8px 10px; border-radius: 4px; overflow: auto; white-space: pre; }
#problems .finding { cursor: default; }
svg { display: block; font-family: var(--mono); font-size: 11px; }
.col-title { font: 600 12px system-ui, sans-serif; fill: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.band-bg { fill: #ffffff; stroke: var(--line); }
.band-title { font: 600 13px system-ui, sans-serif; fill: var(--ink); }
.band-facts { font: 12px system-ui, sans-serif; fill: var(--muted); }
.group { fill: #f1f5f9; stroke: #d9e2ec; stroke-dasharray: 3 2; }
.group.down { fill: #fdecea; }
.group-title { font-size: 10.5px; fill: var(--muted); }
.hidden { display: none; }
.node { cursor: pointer; }
.node .box { fill: #fff; stroke: #9aa5b1; }
.node .accent { fill: var(--slice); }
.kind-entry .accent { fill: var(--entry); } .kind-route .accent { fill: var(--route); }
.kind-service .accent { fill: var(--service); } .kind-pod .accent { fill: var(--pod); }
.node .label { font-weight: 700; fill: var(--ink); }
.node .sublabel { fill: var(--muted); font-size: 10.5px; }
.node.unready .box { fill: #f1f5f9; stroke-dasharray: 4 2; }
.node.unready .label { fill: var(--muted); }
.node.sev-error > .box { stroke: var(--error); stroke-width: 2; fill: #fdecea; }
.node.sev-warning > .box { stroke: var(--warning); stroke-width: 2; fill: #fff6e5; }
.node.sev-info > .box { stroke: var(--info); }
.badge.sev-error { fill: var(--error); } .badge.sev-warning { fill: var(--warning); } .badge.sev-info { fill: var(--info); }
.badge-text { fill: #fff; font: 700 9.5px system-ui, sans-serif; text-anchor: middle; }
.port .port-box { fill: #eff6ff; stroke: none; }
.port.traced { cursor: pointer; }
.port.traced:hover .port-box, .port:focus .port-box { fill: #dbeafe; }
.port.sev-error .port-box { fill: #fbd5d1; } .port.sev-warning .port-box { fill: #fde8c4; }
.port .port-label { fill: #1e3a8a; font-size: 10.5px; }
.node:focus, .port:focus, .edge:focus { outline: none; }
.node:focus > .box { stroke: var(--focus); stroke-width: 3; }
.port:focus .port-box { stroke: var(--focus); stroke-width: 2; fill: #dbeafe; }
svg.focus .node:focus { opacity: 1; }
.edge { fill: none; stroke: #9aa5b1; stroke-width: 1.2; opacity: .55; }
.edge.unready { stroke-dasharray: 4 3; }
.edge-entry { stroke: var(--entry); } .edge-route, .edge-backend { stroke: var(--route); }
.arrow { fill: #9aa5b1; }
.arrow-denied { fill: var(--denied); }
.edge-denied { display: none; stroke: var(--denied); stroke-dasharray: 6 4; stroke-width: 1.4; opacity: .7; cursor: pointer; pointer-events: stroke; }
svg.show-denied .edge-denied, .edge-denied.hl { display: inline; }
.edge.hidden { display: none; }
.node.match > .box { stroke: var(--hl); stroke-width: 3; }
svg.focus .node { opacity: .25; }
svg.focus .edge { opacity: .08; }
svg.focus .node.hl { opacity: 1; }
svg.focus .edge.hl { opacity: 1; stroke: var(--hl); stroke-width: 2.2; }
.port.hl .port-box { fill: #fde68a; }
.node.selected > .box { stroke: var(--hl); stroke-width: 3; }
svg.focus .edge.edge-denied.hl { stroke: var(--denied); stroke-width: 2.4; opacity: 1; }
`;

/**
 * The graph page: ONE self-contained HTML file (inline CSS, inline script, the graph as a JSON
 * data block). Nothing is fetched: the Content-Security-Policy forbids every network source,
 * and lets run only the page's own script (by its SHA-256), so even a string that slipped past
 * escaping could not execute.
 */
import { createHash } from 'crypto';
import { escapeHtml, jsonForScript } from './escape';
import { layoutGraph, SIZES, type GraphLayout } from './layout';
import type { RoutingGraph } from './model';
import { pageMain, type PageData } from './page/client';
import { PAGE_CSS } from './page/style';

/** Options of {@link renderGraphHtml}. */
export interface HtmlOptions {
  /** Page title, e.g. the input paths. @default 'netkit graph' */
  readonly title?: string;
  /** A layout to use instead of {@link layoutGraph}'s. */
  readonly layout?: GraphLayout;
}

/** The page script: `pageMain` applied to the data block. */
export function pageScript(): string {
  const source = pageMain.toString();
  // The script is inlined as-is: it must not contain what would end or confuse the element.
  if (/<\/script|<!--/i.test(source)) throw new Error('netkit graph: the page script contains </script or <!--');
  return `"use strict";\n(${source})(document, JSON.parse(document.getElementById('netkit-data').textContent));\n`;
}

/** The whole page as a string. */
export function renderGraphHtml(graph: RoutingGraph, options: HtmlOptions = {}): string {
  const title = options.title ?? 'netkit graph';
  const data: PageData = { title, graph, layout: options.layout ?? layoutGraph(graph), sizes: SIZES };
  const script = pageScript();
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="netkit graph">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <span class="summary" id="summary"></span>
  <span id="counts"></span>
  <span class="controls">
    <input id="search" type="search" placeholder="Find a Service, pod, IP, port…" aria-label="Find">
    <span id="search-info"></span>
    <select id="namespace" aria-label="Namespace"><option value="">all namespaces</option></select>
    <button id="panel-toggle" type="button" aria-controls="panel" aria-expanded="true">Hide panel</button>
  </span>
</header>
<main>
  <div id="canvas">
    <svg id="graph" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="Routing graph: Tab or the arrow keys move between boxes, Enter opens one, Escape closes the panel, + and - zoom, 0 fits"></svg>
    <div class="canvas-bar" id="canvas-bar">
      <span class="toolbar" role="toolbar" aria-label="Zoom">
        <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
        <button id="zoom-out" type="button" title="Zoom out (-)" aria-label="Zoom out">−</button>
        <button id="zoom-fit" type="button" title="Fit the graph to the window (0)">Fit</button>
        <span id="zoom-level" aria-live="polite"></span>
      </span>
      <span id="legend" class="legend" aria-label="Legend"></span>
    </div>
  </div>
  <aside id="panel">
    <h2>Selection</h2>
    <div id="details"></div>
    <h2>Trace</h2>
    <div id="trace"></div>
    <h2>Problems (<span id="problems-count">0</span>)</h2>
    <ul id="problems"></ul>
  </aside>
</main>
<noscript><p>This page draws the graph with JavaScript; run <code>netkit graph --output json</code> for the data.</p></noscript>
<script type="application/json" id="netkit-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

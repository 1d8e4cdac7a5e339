/**
 * The graph page in a real browser: Debian's chromium driven by playwright-core (no bundled
 * browser download). Not part of `npm test`; run with `npm run test:browser` (CI does).
 *
 * Writes the pages to `test-output/graph/` (or $NETKIT_TEST_OUTPUT/graph) and the screenshots to
 * its `screenshots/` folder, which is kept (CI keeps `test-output/` as its artifact; a few are
 * copied by hand into docs/images for docs/graph.md).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { graphFromObjects } from '../../../lib/graph/build';
import { layoutGraph, type GraphLayout } from '../../../lib/graph/layout';
import { renderGraphHtml } from '../../../lib/graph/html';
import type { RoutingGraph } from '../../../lib/graph/model';
import type { ManifestObject } from '../../../lib/manifest';
import { l7Objects } from '../l7-fixture';
import { manyServices } from '../scale';
import { App } from 'cdk8s';
import { BookinfoMeshChart } from '../../../examples/bookinfo-mesh';
import { loadManifests } from '../../../lib/manifest';
import { synthesizeObjects } from '../../../lib/testing/simulate';
import { allExamplesObjects, HOSTILE, hostileObjects } from '../support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(process.env.NETKIT_TEST_OUTPUT ?? path.join(__dirname, '..', '..', '..', 'test-output'), 'graph');
const SHOTS = path.join(OUT, 'screenshots');
/** Without the background-networking flags chromium keeps calling home (and the network is closed). */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** What the in-page callbacks read from the browser's globals (the project compiles without the DOM types). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { readonly stroke: string; readonly display: string };
  readonly document: { readonly activeElement: { getAttribute(name: string): string | null } | null };
  /** Set only if a hostile string ran as script. */
  readonly __pwned?: number;
}

let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1600, height: 1000 },
  });
});

afterAll(async () => {
  await context?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

/** A page opened from a file, with every console error, page error and network request recorded. */
interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const layouts = new WeakMap<RoutingGraph, GraphLayout>();
/** The label lines the layout gives a node (what the page draws in its tspans). */
function wrapLabelLines(graph: RoutingGraph, id: string): readonly string[] {
  let layout = layouts.get(graph);
  if (!layout) {
    layout = layoutGraph(graph);
    layouts.set(graph, layout);
  }
  return layout.boxes[id].lines;
}

/** An element as the in-page callbacks see it. */
interface BrowserElement {
  getBoundingClientRect(): { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  getAttribute(name: string): string | null;
  querySelector(selector: string): { readonly textContent: string | null } | null;
}

/** The scale and translation of #viewport. */
async function viewOf(page: Page): Promise<{ x: number; y: number; k: number }> {
  const t = (await page.locator('#viewport').getAttribute('transform')) ?? '';
  const m = /translate\(([-\d.]+),([-\d.]+)\) scale\(([\d.]+)\)/.exec(t);
  if (!m) throw new Error(`no pan/zoom transform on #viewport: ${t}`);
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
}

/** The view once `ready` holds (the resize event comes after a frame), or as it is after 50 frames. */
async function settledView(page: Page, ready: (v: { x: number; y: number; k: number }) => boolean): Promise<{ x: number; y: number; k: number }> {
  for (let i = 0; i < 50; i++) {
    const v = await viewOf(page);
    if (ready(v)) return v;
    await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(0))));
  }
  return viewOf(page);
}

function bookinfoObjects(): ManifestObject[] {
  const app = new App();
  new BookinfoMeshChart(app, 'bookinfo-mesh');
  return synthesizeObjects(app);
}

function demoObjects(): ManifestObject[] {
  const r = loadManifests([path.join(__dirname, '..', '..', 'fixtures', 'microservices-demo')]);
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.toString()).join('\n'));
  return r.objects;
}

/** A CSS attribute selector for `data-id` (ids carry whatever the manifests named things). */
function byId(id: string): string {
  return `[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;
}

async function open(name: string, objects: readonly ManifestObject[], viewport = { width: 1600, height: 1000 }): Promise<Opened & { graph: RoutingGraph }> {
  const { graph } = graphFromObjects(objects);
  const file = path.join(OUT, `${name}.html`);
  fs.writeFileSync(file, renderGraphHtml(graph, { title: `netkit graph: ${name}` }));
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { page, errors, requests, graph };
}

describe('the graph page in chromium', () => {
  test('the examples render, and a click on the LoadBalancer traces to the web pods', async () => {
    const { page, errors, requests, graph } = await open('examples', allExamplesObjects());
    // Every Service and pod is drawn, with its name.
    for (const n of graph.nodes.filter((x) => x.kind === 'service' || x.kind === 'pod')) {
      const box = page.locator(byId(n.id));
      await expect(box.isVisible()).resolves.toBe(true);
      // The full name in the tooltip; on the box, the name wrapped (never cut in the middle).
      await expect(box.locator(':scope > title').textContent()).resolves.toMatch(new RegExp(`^${escapeRegExp(n.label)}(\n|$)`));
      expect(await box.locator('text.label tspan').allTextContents()).toEqual(wrapLabelLines(graph, n.id));
    }
    const services = graph.nodes.filter((n) => n.kind === 'service').length;
    await expect(page.locator('#summary').textContent()).resolves.toContain(`${services} Services · ${graph.summary.pods} pods`);
    await expect(page.locator('#problems li.finding').count()).resolves.toBe(graph.findings.length);
    await expect(page.locator('#problems').textContent()).resolves.toContain('service-exposed-without-source-ranges');
    // The NodePort Service with the finding is drawn amber.
    const stroke = await page.locator('[data-id="svc:web/web-nodeport"] > rect.box').evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).stroke);
    expect(stroke).toBe('rgb(217, 119, 6)');

    // The examples are taller than the window: focusing the box pans it into view, then a click.
    await page.locator('[data-id="entry:lb:web/web-public#0@192.0.2.1"]').focus();
    await page.locator('[data-id="entry:lb:web/web-public#0@192.0.2.1"]').click();
    await page.waitForSelector('#trace[data-trace]');
    const webPods = graph.nodes.filter((n) => n.id.startsWith('pod:web/')).map((n) => n.id.slice(4)).sort();
    const shown = await page.locator('#trace-destinations li').allTextContents();
    expect(shown.sort()).toEqual(webPods);
    const text = await page.locator('#trace-text').textContent();
    expect(text).toContain('trace  external 203.0.113.1 -> 192.0.2.1:80/TCP');
    expect(text).toContain('result OK');
    await expect(page.locator('path.edge.hl').count()).resolves.toBe(5);
    await page.screenshot({ path: path.join(SHOTS, 'examples-trace.png') });

    // A Service port traces from a pod inside the cluster.
    await page.locator('[data-id="svc:data/postgres-rw#0"]').focus();
    await page.locator('[data-id="svc:data/postgres-rw#0"]').click();
    await expect(page.locator('#trace-text').textContent()).resolves.toContain('-> postgres-rw.data:5432/TCP');
    expect((await page.locator('#trace-destinations li').allTextContents()).sort()).toEqual(['data/postgres-0', 'data/postgres-1', 'data/postgres-2']);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  test('a click on an HTTP route shows the request split over both API versions', async () => {
    const { page, errors, requests, graph } = await open('l7', l7Objects());
    const route = graph.nodes.find((n) => n.kind === 'route' && n.label === 'api.example.com' && n.sublabel?.startsWith('PathPrefix /v1 '));
    await page.locator(byId(route?.id ?? '')).click();
    await page.waitForSelector('#trace[data-trace]');
    await expect(page.locator('#trace .trace-title').textContent()).resolves.toBe('GET http://api.example.com/v1 via gateway:api/public/http');
    const pods = (await page.locator('#trace-destinations li').allTextContents()).map((p) => p.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort();
    expect(pods).toEqual(['api/api-v1', 'api/api-v1', 'api/api-v2']);
    await expect(page.locator('#trace-text').textContent()).resolves.toContain('backend  api/api-v2:80 weight 10 (10%)');
    await page.screenshot({ path: path.join(SHOTS, 'l7-route-trace.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  test('hostile names stay text: no script runs, no element is made from them', async () => {
    const { page, errors, requests, graph } = await open('hostile', hostileObjects());
    const svc = graph.nodes.find((n) => n.label === `evil${HOSTILE}`);
    const box = page.locator(byId(svc?.id ?? ''));
    await expect(box.locator(':scope > title').textContent()).resolves.toContain(`evil${HOSTILE}`);
    await box.click();
    await expect(page.locator('#details strong').textContent()).resolves.toBe(`default/evil${HOSTILE}`);
    await expect(page.locator('#problems').textContent()).resolves.toContain(HOSTILE);
    await expect(page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).resolves.toBeUndefined();
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('script').count()).resolves.toBe(2);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  test('500 Services render, and the namespace filter narrows the page', async () => {
    const { page, errors, requests } = await open('scale-500', manyServices(500));
    await expect(page.locator('g.node.kind-service').count()).resolves.toBe(500);
    await expect(page.locator('g.node.kind-pod').count()).resolves.toBe(1500);
    const before = Number(await page.locator('#graph').getAttribute('data-content-height'));
    await page.locator('#namespace').selectOption('team-03');
    const after = Number(await page.locator('#graph').getAttribute('data-content-height'));
    expect(after).toBeLessThan(before / 5);
    await page.locator('#search').fill('svc-013');
    await page.locator('#search').press('Enter');
    await expect(page.locator('#details').getAttribute('data-selected')).resolves.toBe('svc:team-03/svc-013');
    await page.screenshot({ path: path.join(SHOTS, 'scale-500-search.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

/** The shipped examples (bookinfo-mesh, and all of them at once: the largest) and Online Boutique with its policies. */
const SETS: readonly (readonly [string, () => ManifestObject[]])[] = [
  ['bookinfo-mesh', bookinfoObjects], ['examples', allExamplesObjects], ['microservices-demo', demoObjects],
];
const VIEWPORTS = [{ width: 1400, height: 900 }, { width: 1920, height: 1080 }] as const;

describe.each(VIEWPORTS)('the graph page at $width x $height', (viewport) => {
  test.each(SETS)('%s: fits beside the open panel, full names, pan, zoom and keyboard', async (name, objects) => {
    const size = `${viewport.width}x${viewport.height}`;
    const { page, errors, requests, graph } = await open(`${name}-${size}`, objects(), viewport);
    const panel = await page.locator('#panel').boundingBox();
    const canvas = await page.locator('#canvas').boundingBox();
    const bar = await page.locator('#canvas-bar').boundingBox();
    if (!panel || !canvas || !bar) throw new Error('no panel, canvas or bar box');
    expect(canvas.x + canvas.width).toBeLessThanOrEqual(panel.x + 0.5);

    // After the fit every box (the pods column too) lies between the canvas's left edge and the
    // panel, and above the zoom bar when the whole graph fits legibly.
    const fitted = await viewOf(page);
    expect(fitted.k).toBeGreaterThanOrEqual(0.6);
    const rects = await page.locator('g.node').evaluateAll((els) => (els as unknown as BrowserElement[]).map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.getAttribute('data-id') ?? '', x: r.left, y: r.top, w: r.width, h: r.height, title: e.querySelector(':scope > title')?.textContent ?? '' };
    }));
    expect(rects).toHaveLength(graph.nodes.length);
    const wholeHeight = Number(await page.locator('#graph').getAttribute('data-content-height')) * fitted.k <= bar.y - canvas.y;
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(canvas.x - 0.5);
      expect(r.x + r.w).toBeLessThanOrEqual(panel.x + 0.5);
      if (wholeHeight) expect(r.y + r.h).toBeLessThanOrEqual(bar.y + 0.5);
    }
    expect(rects.filter((r) => r.id.startsWith('pod:')).length).toBe(graph.summary.pods);
    // A resize before any pan or zoom fits again.
    await page.setViewportSize({ width: viewport.width - 600, height: viewport.height });
    expect((await settledView(page, (v) => v.k < fitted.k)).k).toBeLessThan(fitted.k);
    await page.setViewportSize(viewport);
    expect(await settledView(page, (v) => v.k === fitted.k)).toEqual(fitted);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`) });

    // Every full name: first line of the tooltip, the wrapped label, and the panel after Tab-focus + Enter.
    const byNode = new Map(rects.map((r) => [r.id, r]));
    for (const n of graph.nodes) {
      expect(byNode.get(n.id)?.title.split('\n')[0]).toBe(n.label);
      expect(wrapLabelLines(graph, n.id).join('').replace(/…$/, '')).toBe(n.label.slice(0, wrapLabelLines(graph, n.id).join('').replace(/…$/, '').length));
      await page.locator(byId(n.id)).focus();
      await page.keyboard.press('Enter');
      const shown = (await page.locator('#details strong').first().textContent()) ?? '';
      expect(shown.endsWith(n.label)).toBe(true);
      await expect(page.locator('#details').getAttribute('data-selected')).resolves.toBe(n.id);
    }

    // Pan and zoom: Fit puts the view back; the wheel zooms at the pointer; a drag pans.
    await page.locator('#zoom-fit').click();
    expect(await viewOf(page)).toEqual(fitted);
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 3);
    await page.mouse.wheel(0, -400);
    await page.evaluate(() => 0); // one round trip: the wheel event has been handled
    const zoomed = await viewOf(page);
    expect(zoomed.k).toBeGreaterThan(fitted.k);
    await page.mouse.move(canvas.x + 12, canvas.y + 60);
    await page.mouse.down();
    await page.mouse.move(canvas.x + 132, canvas.y + 120, { steps: 6 });
    await page.mouse.up();
    const panned = await viewOf(page);
    expect(panned.k).toBe(zoomed.k);
    expect(panned.x - zoomed.x).toBeCloseTo(120, 0);
    expect(panned.y - zoomed.y).toBeCloseTo(60, 0);
    await page.locator('#zoom-in').click();
    expect((await viewOf(page)).k).toBeCloseTo(zoomed.k * 1.25, 3);
    await page.locator('#zoom-out').click();
    expect((await viewOf(page)).k).toBeCloseTo(zoomed.k, 3);
    await page.locator('#zoom-fit').click();
    expect(await viewOf(page)).toEqual(fitted);

    // Keyboard: arrows from nowhere focus the first box, visibly; Right moves a column; Enter opens;
    // Escape closes the panel; + - zoom; 0 fits.
    await page.locator('#details').click(); // focus out of the graph
    await page.keyboard.press('ArrowDown');
    const activeId = () => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('data-id') ?? null);
    const first = await activeId();
    expect(first).not.toBeNull();
    const ring = await page.locator(`${byId(first ?? '')} > rect.box`).evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).stroke);
    expect(ring).toBe('rgb(29, 78, 216)');
    await page.keyboard.press('ArrowRight');
    const second = await activeId();
    expect(second).not.toBe(first);
    await page.keyboard.press('ArrowDown');
    const third = await activeId();
    expect(third).not.toBe(second);
    await page.keyboard.press('Enter');
    await expect(page.locator('#details').getAttribute('data-selected')).resolves.toBe(third);
    await page.keyboard.press('Escape');
    await expect(page.locator('body').getAttribute('class')).resolves.toContain('panel-hidden');
    await expect(page.locator('#details').getAttribute('data-selected')).resolves.toBeNull();
    const wide = await viewOf(page); // refitted to the wider canvas
    await page.keyboard.press('+');
    expect((await viewOf(page)).k).toBeCloseTo(wide.k * 1.25, 3);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    expect((await viewOf(page)).k).toBeCloseTo(wide.k * 1.25 * 0.64, 3);
    await page.keyboard.press('0');
    expect(await viewOf(page)).toEqual(wide);

    if (graph.summary.denied.drawn > 0) {
      // Denied edges: off by default at this count, lit for a selected Service, all on with the legend's box.
      await expect(page.locator('#legend').textContent()).resolves.toContain(`denied by policy (${graph.summary.denied.drawn})`);
      const display = (sel: string) => page.locator(sel).evaluateAll((els) => els.map((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).display));
      expect(new Set(await display('path.edge-denied'))).toEqual(new Set(['none']));
      await page.locator(byId('svc:default/cartservice')).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('#details').textContent()).resolves.toContain('Denied by policy (9)');
      const lit = await display('path.edge-denied.hl');
      expect(lit).toHaveLength(9);
      expect(lit.every((d) => d !== 'none')).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, `${name}-denied-${size}.png`) });
      await page.locator('#show-denied').check();
      expect((await display('path.edge-denied')).every((d) => d !== 'none')).toBe(true);
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

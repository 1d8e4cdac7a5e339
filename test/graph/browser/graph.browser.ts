/**
 * The graph page in a real browser: Debian's chromium driven by playwright-core (no bundled
 * browser download). Not part of `npm test`; run with `npm run test:browser` (CI does).
 *
 * Writes the pages and screenshots to `test-output/graph/` (or $NETKIT_TEST_OUTPUT/graph).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { graphFromObjects } from '../../../lib/graph/build';
import { renderGraphHtml } from '../../../lib/graph/html';
import type { RoutingGraph } from '../../../lib/graph/model';
import type { ManifestObject } from '../../../lib/manifest';
import { l7Objects } from '../l7-fixture';
import { manyServices } from '../scale';
import { allExamplesObjects, HOSTILE, hostileObjects } from '../support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(process.env.NETKIT_TEST_OUTPUT ?? path.join(__dirname, '..', '..', '..', 'test-output'), 'graph');
/** Without the background-networking flags chromium keeps calling home (and the network is closed). */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** What the in-page callbacks read from the browser's globals (the project compiles without the DOM types). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { readonly stroke: string };
  /** Set only if a hostile string ran as script. */
  readonly __pwned?: number;
}

let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(OUT, { recursive: true });
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

/** A CSS attribute selector for `data-id` (ids carry whatever the manifests named things). */
function byId(id: string): string {
  return `[data-id="${id.replace(/["\\]/g, '\\$&')}"]`;
}

async function open(name: string, objects: readonly ManifestObject[]): Promise<Opened & { graph: RoutingGraph }> {
  const { graph } = graphFromObjects(objects);
  const file = path.join(OUT, `${name}.html`);
  fs.writeFileSync(file, renderGraphHtml(graph, { title: `netkit graph: ${name}` }));
  const page = await context.newPage();
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
      // The full name in the tooltip; on the box, the name or its middle cut to fit.
      await expect(box.locator(':scope > title').textContent()).resolves.toMatch(new RegExp(`^${escapeRegExp(n.label)}(\n|$)`));
      const shown = (await box.locator('text.label').textContent()) ?? '';
      const [head, tail] = shown.split('…');
      expect(n.label.startsWith(head) && (tail === undefined ? shown === n.label : n.label.endsWith(tail))).toBe(true);
    }
    const services = graph.nodes.filter((n) => n.kind === 'service').length;
    await expect(page.locator('#summary').textContent()).resolves.toContain(`${services} Services · ${graph.summary.pods} pods`);
    await expect(page.locator('#problems li.finding').count()).resolves.toBe(graph.findings.length);
    await expect(page.locator('#problems').textContent()).resolves.toContain('service-exposed-without-source-ranges');
    // The NodePort Service with the finding is drawn amber.
    const stroke = await page.locator('[data-id="svc:web/web-nodeport"] > rect.box').evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).stroke);
    expect(stroke).toBe('rgb(217, 119, 6)');

    await page.locator('[data-id="entry:lb:web/web-public#0@192.0.2.1"]').click();
    await page.waitForSelector('#trace[data-trace]');
    const webPods = graph.nodes.filter((n) => n.id.startsWith('pod:web/')).map((n) => n.id.slice(4)).sort();
    const shown = await page.locator('#trace-destinations li').allTextContents();
    expect(shown.sort()).toEqual(webPods);
    const text = await page.locator('#trace-text').textContent();
    expect(text).toContain('trace  external 203.0.113.1 -> 192.0.2.1:80/TCP');
    expect(text).toContain('result OK');
    await expect(page.locator('path.edge.hl').count()).resolves.toBe(5);
    await page.screenshot({ path: path.join(OUT, 'examples.png') });

    // A Service port traces from a pod inside the cluster.
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
    await page.screenshot({ path: path.join(OUT, 'l7.png') });
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
    const before = Number(await page.locator('#graph').getAttribute('height'));
    await page.locator('#namespace').selectOption('team-03');
    const after = Number(await page.locator('#graph').getAttribute('height'));
    expect(after).toBeLessThan(before / 5);
    await page.locator('#search').fill('svc-013');
    await page.locator('#search').press('Enter');
    await expect(page.locator('#details').getAttribute('data-selected')).resolves.toBe('svc:team-03/svc-013');
    await page.screenshot({ path: path.join(OUT, 'scale-500.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

import { createHash } from 'crypto';
import { escapeHtml, jsonForScript } from '../../lib/graph/escape';
import { graphFromObjects } from '../../lib/graph/build';
import { pageScript, renderGraphHtml } from '../../lib/graph/html';
import type { RoutingGraph } from '../../lib/graph/model';
import type { PageData } from '../../lib/graph/page/client';
import { dataBlock, inlineScript } from './page-parts';
import { examplesObjects, HOSTILE, hostileObjects } from './support';

describe('escapeHtml and jsonForScript', () => {
  test('escapeHtml escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test('jsonForScript leaves no <, > or & and parses back to the same value', () => {
    const value = { s: `${HOSTILE} <!-- & \u2028\u2029` };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderGraphHtml', () => {
  const { graph } = graphFromObjects(examplesObjects());
  const html = renderGraphHtml(graph, { title: 'netkit graph: examples' });

  test('is one self-contained file: nothing to fetch, no external reference', () => {
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\((?!#)/i); // only local fragments (the arrow marker)
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect([...new Set(urls)]).toEqual(['http://www.w3.org/2000/svg']);
  });

  test('the CSP forbids the network and pins the inline script by its hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const hash = createHash('sha256').update(inlineScript(html), 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe-eval');
    expect(inlineScript(html)).toBe(pageScript());
  });

  test('embeds the graph and its layout as JSON', () => {
    const data = JSON.parse(dataBlock(html)) as PageData;
    expect(data.graph).toEqual(JSON.parse(JSON.stringify(graph)));
    expect(Object.keys(data.layout.boxes).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
  });

  test('the page script writes text, never markup', () => {
    expect(pageScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });
});

describe('hostile names', () => {
  const { graph } = graphFromObjects(hostileObjects());
  const html = renderGraphHtml(graph, { title: `graph of ${HOSTILE}` });

  test('reach the graph unchanged (they are data)', () => {
    expect(JSON.stringify(graph)).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    expect(graph.findings.some((f) => f.constructPath === HOSTILE)).toBe(true);
  });

  test('never become markup in the page', () => {
    // Exactly the two script elements of the page, no image element, no closing tag from the data.
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script>/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toContain('__pwned=1</script>');
    expect(html).toContain(`<title>graph of ${escapeHtml(HOSTILE)}</title>`);
    // And the data block gives them back intact.
    const data = JSON.parse(dataBlock(html)) as { graph: RoutingGraph };
    expect(data.graph.nodes.some((n) => n.label === `evil${HOSTILE}`)).toBe(true);
  });
});

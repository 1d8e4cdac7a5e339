import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../lib/cli/main';

const FIXTURE = join(__dirname, '..', 'cli', 'fixtures', 'shop', 'app.yaml');
const ORIGINAL = readFileSync(FIXTURE, 'utf8');

/** Write the fixture with one textual edit applied; returns its path. */
function variant(edit: (yaml: string) => string, mustChange = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-diff-'));
  const out = edit(ORIGINAL);
  // An edit that matched nothing would make the test vacuous.
  if (mustChange && out === ORIGINAL) throw new Error('edit did not change the fixture');
  const file = join(dir, 'app.yaml');
  writeFileSync(file, out);
  return file;
}

async function diff(after: string, ...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''; let err = '';
  const code = await runCli(['diff', FIXTURE, after, ...extra], { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } } });
  return { code, out, err };
}

async function changes(after: string): Promise<string[]> {
  const r = await diff(after, '-o', 'json');
  expect(r.err).toBe('');
  return (JSON.parse(r.out) as { changes: { impact: string; subject: string; message: string }[] }).changes.map((c) => `${c.impact} ${c.subject}: ${c.message}`);
}

describe('netkit diff', () => {
  test('no-op: reformatted and reordered manifests are no change, exit 0', async () => {
    const docs = ORIGINAL.split(/^---$/m).reverse().join('---\n');
    const r = await diff(variant(() => `# comment\n${docs}`));
    expect(r).toEqual({ code: 0, out: 'no behaviour change (0 witness requests)\n', err: '' });
  });

  test('replica count change: endpoints only', async () => {
    expect(await changes(variant((y) => y.replace('replicas: 3', 'replicas: 2')))).toEqual([
      'endpoints Service shop/web: ready endpoints from Deployment web: 3 -> 2',
      // Real behaviour: with externalTrafficPolicy Local, the node left without a web pod drops external traffic.
      'finding Service shop/web: finding introduced: info [service-local-traffic-nodes] 1 of 3 ready nodes have no ready local endpoint and drop external traffic: node-3',
    ]);
  });

  test('selector typo: the Service loses every endpoint and a finding is introduced', async () => {
    const after = variant((y) => y.replace('  selector:\n    app: web', '  selector:\n    app: wbe'));
    expect(await changes(after)).toEqual([
      'endpoints Service shop/web: ready endpoints from Deployment web: 3 -> 0',
      'finding Deployment shop/web: finding fixed: warning [service-pod-no-readiness-probe] no container has a readinessProbe, but Service "web" routes to these pods: they receive traffic as soon as they start',
      'finding Service shop/web: finding introduced: error [service-selects-no-pod] selector app=wbe matches no pod in namespace "shop": the Service has no endpoints',
      'finding Service shop/web: finding introduced: info [service-local-traffic-nodes] 3 of 3 ready nodes have no ready local endpoint and drop external traffic: node-1, node-2, node-3',
    ]);
  });

  test('container port rename: the named targetPort no longer resolves', async () => {
    const list = await changes(variant((y) => y.replace('- name: http\n              containerPort: 8080', '- name: web\n              containerPort: 8080')));
    expect(list.filter((c) => !c.startsWith('finding'))).toEqual([
      'routing Service shop/web: target port no longer resolved: http -> 8080/TCP',
    ]);
  });

  test('NodePort added: exposure first, exit 1, markdown has a headline and a collapsible section', async () => {
    const after = variant((y) => y.replace('    app: nothing-has-this-label', '    app: nothing-has-this-label\n  type: NodePort').replace('      targetPort: 8080\n---', '      targetPort: 8080\n      nodePort: 30080\n---'));
    expect((await changes(after)).filter((c) => !c.startsWith('finding'))).toEqual([
      'exposure Service shop/broken: NodePort opened: 30080/TCP',
      'exposure Service shop/broken: type ClusterIP -> NodePort',
    ]);
    const md = await diff(after, '-o', 'markdown');
    expect(md.code).toBe(1);
    expect(md.out.split('\n')[0]).toMatch(/^\*\*netkit diff: \d+ behaviour changes in 1 namespace \(2 exposure\), 0 witness requests\*\*$/);
    expect(md.out).toContain('<details><summary>namespace shop');
  });

  test('usage errors are exit 2, not "different": an unknown option, a missing argument, a bad -o', async () => {
    for (const args of [['diff', FIXTURE, FIXTURE, '--bogus'], ['diff', FIXTURE], ['diff', FIXTURE, FIXTURE, '-o', 'xml']]) {
      let err = '';
      const code = await runCli(args, { stdout: { write: () => undefined }, stderr: { write: (t: string) => { err += t; } } });
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(err).toMatch(/error/);
    }
  });

  test('unreadable input is exit 2, not "different"', async () => {
    const r = await diff('/nonexistent/netkit-diff');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: /);
  });
});

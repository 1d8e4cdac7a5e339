/**
 * What `netkit validate` loads (issue 21): `yaml`'s document model only when it is needed (the
 * field lines of a finding in a document the block-style line walk declines, a file js-yaml
 * rejects, `-o yaml`), so a clean run, or findings in block-style YAML as `cdk8s synth` writes
 * it, do not pay for it; the field lines are the same either way.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Run `netkit ...argv` in a fresh process; report its output and which npm packages it loaded. */
function validateIn(argv: readonly string[]): { code: number; out: string; packages: string[] } {
  const script = `
    const { runCli } = require('./lib/cli/main');
    let out = '';
    const io = { stdout: { write: (s) => (out += s) }, stderr: { write: (s) => (out += s) } };
    runCli(${JSON.stringify(argv)}, io).then((code) => {
      const packages = [...new Set(Object.keys(require.cache).map((f) => /^node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(require('path').relative(process.cwd(), f))?.[1]).filter(Boolean))];
      process.stdout.write(JSON.stringify({ code, out, packages }));
    });`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { code: number; out: string; packages: string[] };
}

const deployment = (selectorApp: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /, port: http } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: ${selectorApp} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

describe('netkit validate start-up', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-startup-'));
    fs.writeFileSync(path.join(dir, 'clean.yaml'), deployment('web'));
    fs.writeFileSync(path.join(dir, 'typo.yaml'), deployment('wbe'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a clean run reads with js-yaml and does not load yaml', () => {
    const r = validateIn(['validate', path.join(dir, 'clean.yaml')]);
    expect(r.code).toBe(0);
    expect(r.packages).toContain('js-yaml');
    expect(r.packages).not.toContain('yaml');
  });

  test('a finding in block-style YAML gets its field line without yaml', () => {
    const block = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  namespace: shop', 'spec:', '  replicas: 1',
      '  selector:', '    matchLabels:', '      app: web', '  template:', '    metadata:', '      labels:', '        app: web',
      '    spec:', '      containers:', '        - name: web', '          image: nginx:1.27', '          ports:',
      '            - name: http', '              containerPort: 8080', '          readinessProbe:', '            httpGet:',
      '              path: /', '              port: http', '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web',
      '  namespace: shop', 'spec:', '  selector:', '    app: wbe', '  ports:', '    - name: http', '      port: 80', '      targetPort: http', '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'typo-block.yaml'), block);
    const r = validateIn(['validate', path.join(dir, 'typo-block.yaml')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${path.join(dir, 'typo-block.yaml')}:33:3 Service shop/web spec.selector: error [service-selects-no-pod]`);
    expect(r.packages).not.toContain('yaml');
  });

  test('a finding in flow-style YAML loads yaml for its field line', () => {
    const r = validateIn(['validate', path.join(dir, 'typo.yaml')]);
    expect(r.code).toBe(2);
    // The Service's spec.selector is on line 20, column 3 of the file (in the second document).
    expect(r.out).toContain(`${path.join(dir, 'typo.yaml')}:20:3 Service shop/web spec.selector: error [service-selects-no-pod]`);
    expect(r.packages).toContain('yaml');
  });
});

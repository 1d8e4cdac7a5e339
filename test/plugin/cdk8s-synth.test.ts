import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const cdk8s = path.join(root, 'node_modules/.bin/cdk8s');

/**
 * `cdk8s synth` in `dir`; the plugin is this checkout's scripts/dev-plugin.js (compiled build/
 * when present, else the sources): the packed package is exercised by `npm run test:consumer`.
 */
function synth(dir: string, args: string[] = []) {
  return spawnSync(cdk8s, ['synth', '--no-check-upgrade', ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', FORCE_COLOR: '0' },
  });
}

describe('NetkitValidation under the real cdk8s CLI', () => {
  test('the repo examples synthesize clean (exit 0) with the plugin from cdk8s.yaml', () => {
    expect(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')).toMatch(/class: NetkitValidation/);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-plugin-ok-'));
    const r = synth(root, ['--output', out]);
    expect(r.stderr).not.toMatch(/Validation failed/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Validations ended succesfully/);
  }, 60_000);

  test('a broken app makes cdk8s synth exit 2 with a readable report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-plugin-broken-'));
    fs.writeFileSync(path.join(dir, 'app.js'), [
      `const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(root, 'node_modules/cdk8s'))});`,
      'const app = new App();',
      "const chart = new Chart(app, 'broken');",
      "new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'nope' }, ports: [{ port: 80 }] } });",
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
      'language: typescript', 'app: node app.js', 'output: dist', 'validations:',
      `  - package: ${path.join(root, 'scripts/dev-plugin.js')}`, '    version: 0.1.0', '    class: NetkitValidation',
    ].join('\n'));
    const r = synth(dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('service-selects-no-pod [error]');
    expect(r.stdout).toContain('selector app=nope matches no pod');
    expect(r.stderr).toContain('Validation failed');
  }, 60_000);
});

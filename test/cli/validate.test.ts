import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Violation } from '../../lib/rules';
import { run } from '../support/cli';

const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: http}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
/**
 * The same app with a typo in the named targetPort and a NodePort. Violations point at the field:
 * the typo is `targetPort` on line 21 column 34, the NodePort's `type` is on line 27 column 3.
 */
const BROKEN = CLEAN.replace('targetPort: http}', 'targetPort: htp}') + `---
apiVersion: v1
kind: Service
metadata: {name: web-np, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

function dir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-validate-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  return d;
}

describe('netkit validate', () => {
  test('clean manifests: exit 0, summary on stdout', async () => {
    const r = await run('validate', dir({ 'app.yaml': CLEAN }));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^2 objects, \d+ rules: 0 errors, 0 warnings, 0 info\n$/);
    expect(r.err).toBe('');
  });

  test('an error finding: exit 2, file:line, object, field, rule and fix', async () => {
    const d = dir({ 'app.yaml': BROKEN });
    const r = await run('validate', d);
    expect(r.code).toBe(2);
    const file = path.join(d, 'app.yaml');
    expect(r.out).toContain(`${file}:21:34 Service shop/web spec.ports[0].targetPort: error [service-target-port-unresolved] targetPort "htp"/TCP is not a container port of any selected pod`);
    expect(r.out).toContain(`${file}:27:3 Service shop/web-np spec.type: warning [service-exposed-without-source-ranges]`);
    expect(r.out).toMatch(/ {4}fix: /);
    expect(r.out).toMatch(/1 errors, 1 warnings/);
  });

  test('--fail-on warning fails on warnings; --rule turns rules off', async () => {
    const d = dir({ 'app.yaml': BROKEN });
    expect((await run('validate', d, '--rule', 'service-target-port-unresolved=off')).code).toBe(0);
    expect((await run('validate', d, '--rule', 'service-target-port-unresolved=off', '--fail-on', 'warning')).code).toBe(2);
    expect((await run('validate', d, '--rule', 'service-target-port-unresolved=off', '--rule', 'service-exposed-without-source-ranges=off', '--fail-on', 'warning')).code).toBe(0);
  });

  test('--output json lists violations and a summary', async () => {
    const r = await run('validate', dir({ 'app.yaml': BROKEN }), '--output', 'json');
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { violations: Violation[]; summary: { failing: number; failOn: string } };
    expect(json.violations.map((v) => [v.ruleId, v.severity, v.object.name, v.path])).toEqual([
      ['service-target-port-unresolved', 'error', 'web', 'spec.ports[0].targetPort'],
      ['service-exposed-without-source-ranges', 'warning', 'web-np', 'spec.type'],
    ]);
    expect(json.summary).toMatchObject({ failing: 1, failOn: 'error' });
  });

  test('--output sarif is SARIF 2.1.0 with rules, levels and file:line locations', async () => {
    const d = dir({ 'app.yaml': BROKEN });
    const r = await run('validate', d, '-o', 'sarif');
    const sarif = JSON.parse(r.out) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules.map((x) => x.id)).toContain('service-target-port-unresolved');
    expect(run0.results.map((x) => [x.ruleId, x.level, x.locations[0].physicalLocation.region.startLine, x.locations[0].physicalLocation.region.startColumn])).toEqual([
      ['service-target-port-unresolved', 'error', 21, 34],
      ['service-exposed-without-source-ranges', 'warning', 27, 3],
    ]);
    expect(run0.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(path.join(d, 'app.yaml').split(path.sep).join('/'));
  });

  test('bad YAML: exit 1 with file:line on stderr, no stack trace', async () => {
    const d = dir({ 'bad.yaml': 'kind: Service\nmetadata: {name: web\n' });
    const r = await run('validate', d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: ${path.join(d, 'bad.yaml').replace(/[.\\/]/g, '\\$&')}:\\d+`));
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  test('usage errors exit 1: missing path, unknown rule, bad setting, bad format', async () => {
    expect((await run('validate', '/no/such/dir')).code).toBe(1);
    const unknown = await run('validate', dir({ 'app.yaml': CLEAN }), '--rule', 'nope=off');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('--rule nope: no rule has this id');
    expect((await run('validate', dir({ 'app.yaml': CLEAN }), '--rule', 'pod-host-port=loud')).code).toBe(1);
    expect((await run('validate', dir({ 'app.yaml': CLEAN }), '--output', 'xml')).code).toBe(1);
    expect((await run('validate', dir({ 'empty.yaml': '' }))).code).toBe(1);
  });
});

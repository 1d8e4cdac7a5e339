/**
 * Violations point at the line and column of their field, not at the document's first line.
 * test/rules/lines/*.yaml mark the expected lines with `# <- rule-id`: block.yaml goes through
 * the loader's fast path, flow.yaml (flow collections, a `kind: List`) through the `yaml` package.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromObjects, loadManifests } from '../../lib/manifest';
import { runRules } from '../../lib/rules';
import { readWithJsYaml } from '../../lib/manifest/parse';

const DIR = path.join(__dirname, 'lines');

/** `line rule-id` for every `# <- rule-id` marker of a file. */
function markers(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((l, i) => {
    const m = /# <- ([a-z0-9-]+)\s*$/.exec(l);
    return m ? [`${i + 1} ${m[1]}`] : [];
  });
}

function violationLines(file: string): { lines: string[]; all: ReturnType<typeof runRules>['violations'] } {
  const loaded = loadManifests([file]);
  expect(loaded.errors.map(String)).toEqual([]);
  const all = runRules(loaded.objects).violations;
  return { lines: all.map((v) => `${v.source?.line} ${v.ruleId}`), all };
}

describe('violations carry the line of their field', () => {
  test.each(['block.yaml', 'flow.yaml'])('%s: every marked line, and nothing else', (name) => {
    const file = path.join(DIR, name);
    const want = markers(file);
    expect(want.length).toBeGreaterThanOrEqual(5);
    expect(violationLines(file).lines).toEqual(want);
  });

  test('both fixtures (block and flow style) are read by the fast reader', () => {
    expect(readWithJsYaml(fs.readFileSync(path.join(DIR, 'block.yaml'), 'utf8'))).toBeDefined();
    expect(readWithJsYaml(fs.readFileSync(path.join(DIR, 'flow.yaml'), 'utf8'))).toBeDefined();
  });

  test('exact line and column: keys with dots, quoted annotation keys, a field inside a List item', () => {
    const block = violationLines(path.join(DIR, 'block.yaml')).all;
    const at = (rule: string) => {
      const v = block.find((x) => x.ruleId === rule);
      return v && [v.path, v.source?.line, v.source?.column];
    };
    expect(at('labels-invalid')).toEqual(['metadata.labels.app.kubernetes.io/name', 9, 5]);
    expect(at('suppression-invalid')).toEqual(['metadata.annotations["netkit.io/suppress.pod-host-port"]', 7, 5]);
    expect(at('service-target-port-unresolved')).toEqual(['spec.ports[0].targetPort', 43, 7]);
    const flow = violationLines(path.join(DIR, 'flow.yaml')).all;
    const np = flow.find((x) => x.ruleId === 'service-exposed-without-source-ranges');
    expect([np?.source?.line, np?.source?.column]).toEqual([41, 7]);
    const port = flow.find((x) => x.ruleId === 'service-target-port-unresolved');
    expect([port?.source?.line, port?.source?.column]).toEqual([30, 8]);
  });

  test('a field the object does not have points at its deepest existing parent', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector:\n    app: web\n  ports:\n    - port: 80\n';
    const loaded = loadManifests([writeTemp('missing.yaml', text)]);
    const o = loaded.objects[0];
    expect(o.locator?.locate(['spec', 'loadBalancerSourceRanges'])).toEqual({ line: 5, column: 1 });
    expect(o.locator?.locate(['spec', 'ports', 0, 'targetPort'])).toEqual({ line: 10, column: 7 });
    expect(o.locator?.locate([])).toEqual({ line: 1, column: 1 });
  });

  test('in-memory objects (cdk8s plugin, construct validations) keep their label and index, no column', () => {
    const loaded = fromObjects([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } },
    ], 'chart.k8s.yaml');
    const v = runRules(loaded.objects).violations.find((x) => x.ruleId === 'service-exposed-without-source-ranges');
    expect(v?.source).toEqual({ file: 'chart.k8s.yaml', line: 1 });
  });
});

function writeTemp(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-lines-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestError, fromObjects, loadManifests, parseManifestText } from '../../lib/manifest';

const svc = (name: string, extra = ''): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80${extra}
`;

describe('parseManifestText', () => {
  test('multi-document YAML keeps each document line and fills the default namespace', () => {
    const r = parseManifestText(`${svc('a')}---\n${svc('b')}`, 'app.yaml');
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => [o.ref.name, o.ref.namespace, o.source?.line])).toEqual([['a', 'default', 1], ['b', 'default', 10]]);
    expect(r.objects[0].typed?.kind).toBe('Service');
  });

  test('a wrong field type reports file, line and JSON path', () => {
    const text = `${svc('a')}  - port: "http"\n    name: web\n`;
    const r = parseManifestText(text, 'bad.yaml');
    expect(r.objects).toHaveLength(0);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0];
    expect(e).toBeInstanceOf(ManifestError);
    expect(e.file).toBe('bad.yaml');
    expect(e.line).toBe(9);
    expect(e.path).toBe('spec.ports[1].port');
    expect(e.hint).not.toBe('');
    expect(String(e)).toContain('bad.yaml:9 spec.ports[1].port');
  });

  test('label values must be strings', () => {
    const r = parseManifestText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    version: 2\n', 'p.yaml');
    expect(r.errors[0].path).toBe('metadata.labels.version');
    expect(r.errors[0].line).toBe(6);
  });

  test('broken YAML gives a syntax error with its line, not a throw', () => {
    const r = parseManifestText(`${svc('a')}---\nkind: [\n`, 'broken.yaml');
    expect(r.objects).toHaveLength(1);
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([['yaml-syntax', 11]]);
  });

  test('documents without kind or metadata.name are rejected', () => {
    const r = parseManifestText('apiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {}\n', 'm.yaml');
    expect(r.errors.map((e) => [e.code, e.path, e.line])).toEqual([
      ['missing-kind', 'kind', 1],
      ['missing-name', 'metadata.name', 6],
    ]);
  });

  test('duplicates kind/namespace/name are reported, first wins', () => {
    const r = parseManifestText(`${svc('a')}---\n${svc('a')}`, 'd.yaml');
    expect(r.objects).toHaveLength(1);
    expect(r.errors[0].code).toBe('duplicate');
    expect(r.errors[0].line).toBe(10);
    expect(r.errors[0].message).toContain('d.yaml:1');
  });

  test('unknown kinds are kept as opaque objects; same name in another kind is no duplicate', () => {
    const r = parseManifestText(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec: {x: 1}\n---\n${svc('a')}`, 'w.yaml');
    expect(r.errors).toEqual([]);
    expect(r.objects[0].typed).toBeUndefined();
    expect(r.objects[0].raw.spec).toEqual({ x: 1 });
  });

  test('kinds of the same name in different API groups are different objects (Istio and Gateway API Gateway)', () => {
    const gw = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: Gateway\nmetadata: {name: public, namespace: edge}\nspec: {}\n`;
    const r = parseManifestText(`${gw('gateway.networking.k8s.io/v1')}---\n${gw('networking.istio.io/v1')}`, 'g.yaml');
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => o.apiVersion)).toEqual(['gateway.networking.k8s.io/v1', 'networking.istio.io/v1']);
    const dup = parseManifestText(`${gw('networking.istio.io/v1')}---\n${gw('networking.istio.io/v1beta1')}`, 'g.yaml');
    expect(dup.errors.map((e) => e.message)).toEqual([expect.stringContaining('duplicate Gateway.networking.istio.io/edge/public')]);
  });

  test('empty documents (a trailing `---`, comments only) are skipped, on both parser paths', () => {
    for (const tail of ['---\n', '---', '---\n# nothing here\n', '---\n---\n']) {
      for (const doc of [svc('a'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n']) {
        const r = parseManifestText(`${doc}${tail}`, 'e.yaml');
        expect([tail, r.errors.map(String), r.objects.length]).toEqual([tail, [], 1]);
      }
    }
  });

  test('JSON arrays and List kinds are flattened', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1' } }] });
    const r = parseManifestText(json, 'l.json');
    expect(r.objects.map((o) => o.ref)).toEqual([{ kind: 'Namespace', name: 'n1' }]);
  });
});

describe('loadManifests', () => {
  test('walks directories, skips construct-metadata.json and reports missing paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), svc('a'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.yml'), svc('b'));
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), '{"version":"1"}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
    const r = loadManifests([dir, path.join(dir, 'missing.yaml')]);
    expect(r.objects.map((o) => o.ref.name)).toEqual(['a', 'b']);
    expect(r.objects[1].source?.file).toBe(path.join(dir, 'sub', 'b.yml'));
    expect(r.errors.map((e) => e.code)).toEqual(['io']);
  });
});

describe('fromObjects', () => {
  test('validates in-memory objects with a source label', () => {
    const r = fromObjects([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ok' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 70000 }] } },
    ], 'chart');
    expect(r.objects.map((o) => o.ref.name)).toEqual(['ok']);
    expect(r.errors[0].file).toBe('chart');
    expect(r.errors[0].path).toBe('spec.ports[0].port');
  });
});

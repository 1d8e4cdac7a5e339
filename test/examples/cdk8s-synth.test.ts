import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '../..');

describe('cdk8s synth of the examples (the README command)', () => {
  test('writes one manifest file per example chart, offline', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-synth-'));
    const stdout = execFileSync(path.join(root, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade', '--output', outdir], {
      cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    // construct-metadata.json is written too, because cdk8s.yaml configures a validation plugin.
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(files).toEqual(['bookinfo-mesh.k8s.yaml', 'canary-gateway.k8s.yaml', 'database.k8s.yaml', 'external-database.k8s.yaml', 'shop-ingress.k8s.yaml', 'web-app.k8s.yaml']);
    for (const file of files) expect(stdout).toContain(file);
    const kinds = (file: string) => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8'))
      .map((doc) => (doc.toJS() as { kind: string }).kind).sort();
    expect(kinds('database.k8s.yaml')).toEqual(['Service', 'Service', 'StatefulSet']);
    expect(kinds('web-app.k8s.yaml')).toEqual(['Deployment', 'Service', 'Service', 'Service']);
    expect(kinds('external-database.k8s.yaml')).toEqual(['Deployment', 'Service']);
    expect(kinds('shop-ingress.k8s.yaml')).toEqual(['Deployment', 'Deployment', 'Ingress', 'IngressClass', 'Service', 'Service']);
    expect(kinds('canary-gateway.k8s.yaml')).toEqual(['Deployment', 'Deployment', 'Gateway', 'GatewayClass', 'HTTPRoute', 'Service', 'Service']);
  }, 60_000);
});

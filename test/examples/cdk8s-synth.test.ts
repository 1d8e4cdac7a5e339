import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '../..');

describe('npm run synth of the examples (the README commands)', () => {
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

    // The README's trace command, on what synth wrote: the web Service's three pods, exit 0.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const command = /^npx netkit (trace dist\/ .*)$/m.exec(readme)?.[1].split(' ') ?? [];
    expect(command.slice(0, 2)).toEqual(['trace', 'dist/']);
    const trace = execFileSync(process.execPath, [path.join(root, 'bin', 'netkit.js'), 'trace', outdir, ...command.slice(2)], { encoding: 'utf8' });
    expect(trace).toMatch(/^result OK$/m);
    expect(trace.match(/^\s+web\/web-[a-z0-9-]+ /gm)).toHaveLength(3);
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 180_000);
});

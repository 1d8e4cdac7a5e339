import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

describe('docs/constructs.md: the NetworkPolicy snippet', () => {
  test('runs as written and prints what its comment says', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'constructs.md'), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## NetworkPolicy')))?.[1];
    expect(snippet).toBeDefined();
    // The package names resolve to this checkout's sources; nothing else is changed.
    const program = (snippet ?? '')
      .replace(/from 'cdk8s-netkit\/testing'/g, `from ${JSON.stringify(path.join(root, 'lib', 'testing'))}`)
      .replace(/from 'cdk8s-netkit'/g, `from ${JSON.stringify(path.join(root, 'lib'))}`)
      .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.dirname(require.resolve('cdk8s/package.json')))}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-docs-netpol-'));
    const file = path.join(dir, 'netpol.ts');
    fs.writeFileSync(file, program);
    const out = execFileSync(path.join(root, 'node_modules/.bin/ts-node'), ['--project', path.join(root, 'tsconfig.json'), file], { encoding: 'utf8' });
    const printed = /console\.log\(.*\/\/ (.+)$/m.exec(snippet ?? '')?.[1];
    expect(out.trim()).toBe(printed);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

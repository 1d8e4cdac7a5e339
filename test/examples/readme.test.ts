import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

describe('README', () => {
  test('the API tour compiles (type-checked) and synthesizes', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const tour = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBeDefined();
    // Run the tour as a user would, with the package and cdk8s resolved from this checkout.
    const program = (tour ?? '')
      .replace(/from 'cdk8s-netkit'/g, `from ${JSON.stringify(path.join(root, 'lib'))}`)
      .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.dirname(require.resolve('cdk8s/package.json')))}`)
      .replace('app.synth();', "process.stdout.write(String(app.synthYaml().split('\\n---').length));");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-readme-'));
    const file = path.join(dir, 'tour.ts');
    fs.writeFileSync(file, program);
    const out = execFileSync(path.join(root, 'node_modules/.bin/ts-node'), ['--project', path.join(root, 'tsconfig.json'), file], { encoding: 'utf8' });
    expect(Number(out)).toBe(9);
  }, 60_000);
});

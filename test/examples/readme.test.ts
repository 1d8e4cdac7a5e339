import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README's code blocks of one language, in order. */
function blocks(lang: string): string[] {
  return [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('README', () => {
  test('the ten-line tour runs as written: prints what its comment says and writes dist/shop.k8s.yaml', () => {
    const [tour] = blocks('ts');
    expect(tour).toBeDefined();
    // The package names resolve to this checkout's sources; nothing else is changed.
    const program = tour
      .replace(/from 'cdk8s-netkit\/testing'/g, `from ${JSON.stringify(path.join(root, 'lib', 'testing'))}`)
      .replace(/from 'cdk8s-netkit'/g, `from ${JSON.stringify(path.join(root, 'lib'))}`)
      .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.dirname(require.resolve('cdk8s/package.json')))}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-readme-'));
    fs.writeFileSync(path.join(dir, 'tour.ts'), program);
    const out = execFileSync(path.join(root, 'node_modules/.bin/ts-node'), ['--project', path.join(root, 'tsconfig.json'), 'tour.ts'], { cwd: dir, encoding: 'utf8' });
    // The comment on the console.log line is the output.
    const printed = /console\.log\(.*\/\/ (\S+)/.exec(tour)?.[1];
    expect(out.trim()).toBe(printed);
    const manifest = fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8');
    expect(manifest.match(/^kind: (\w+)/gm)).toEqual(['kind: Deployment', 'kind: Service']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('the shell commands are the documented ones (run by .ci/run and test/examples/cdk8s-synth.test.ts)', () => {
    expect(blocks('sh')).toEqual(['npm ci && npm run synth\n', 'npm test\n', 'npx netkit trace dist/ web.web --port 80\n']);
  });

  test('names no package registry host', () => {
    expect(readme).not.toMatch(/registry\.|npmjs|proxy\.golang/i);
  });

  test('every relative link points at a file', () => {
    for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      expect([target, fs.existsSync(path.join(root, target))]).toEqual([target, true]);
    }
  });
});

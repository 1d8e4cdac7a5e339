import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

describe('docs/constructs.md: the HTTP routing snippet', () => {
  test('runs and synthesizes with the objects it declares', () => {
    const readme = fs.readFileSync(path.join(root, 'docs', 'constructs.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## HTTP routing'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    // The snippet declares its inputs; give them real values, then synthesize the chart.
    const preamble = [
      "const app = new App();",
      "const chart = new Chart(app, 'readme', { namespace: 'shop' });",
      "const port = (name: string, n: number) => ({ port: n, name, targetPort: 8080 });",
      "const web = new Service(chart, 'web', { selector: { app: 'web' }, ports: [port('http', 80), { port: 9090, name: 'metrics' }] });",
      "const stable = new Service(chart, 'stable', { selector: { app: 'checkout', version: 'v1' }, ports: [port('http', 80)] });",
      "const canary = new Service(chart, 'canary', { selector: { app: 'checkout', version: 'v2' }, ports: [port('http', 80)] });",
      "const reviews = new Service(chart, 'reviews', { metadata: { name: 'reviews' }, selector: { app: 'reviews' }, ports: [port('http', 9080)] });",
    ].join('\n');
    const program = (snippet ?? '')
      .replace("import { Chart, Duration } from 'cdk8s';", "import { App, Chart, Duration } from 'cdk8s';")
      .replace(/from 'cdk8s-netkit'/g, `from ${JSON.stringify(path.join(root, 'lib'))}`)
      .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.dirname(require.resolve('cdk8s/package.json')))}`)
      .replace(/^declare const .*$/gm, '')
      .replace(/(\} from [^\n]*lib"?;\n)/, `$1${preamble}\n`)
      + "\nprocess.stdout.write(app.synthYaml().split('\\n---').map((d) => /kind: (\\w+)/.exec(d)?.[1]).sort().join(','));\n";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-readme-l7-'));
    const file = path.join(dir, 'l7.ts');
    fs.writeFileSync(file, program);
    const out = execFileSync(path.join(root, 'node_modules/.bin/ts-node'), ['--transpile-only', '--project', path.join(root, 'tsconfig.json'), file], { encoding: 'utf8' });
    expect(out.split(',')).toEqual([
      'DestinationRule', 'Gateway', 'HTTPRoute', 'Ingress', 'Ingress', 'IngressClass', 'Service', 'Service', 'Service', 'Service', 'VirtualService',
    ]);
  }, 60_000);
});

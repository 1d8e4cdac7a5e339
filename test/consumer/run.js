#!/usr/bin/env node
// The consumer test (npm run test:consumer, called from .ci/run): the package as a new user
// gets it. Packs the tarball, checks what it contains and that its declarations name no
// package but cdk8s and constructs, then for the oldest and the newest supported cdk8s +
// constructs: creates a project from cdk8s-cli's own typescript-app template (rendered with
// sscaff, as `cdk8s init` does, minus its post-install hook, which installs and runs the
// network `cdk8s import`), installs the tarball, writes a chart with the constructs, and runs,
// inside a network namespace with no network (`unshare -rn`, when the kernel allows it):
// `tsc`, a jest test with cdk8s-netkit/testing, `cdk8s synth` with the validation plugin as
// docs/validation.md configures it, the installed `netkit` command (the bundled CLI) on the
// synthesized manifests, a construct-validation failure (no stack trace), and the
// template's own `npm run build`. Installing is the only step that may reach the npm registry
// (it prefers the local cache that `npm ci` filled).
//
//   npm run test:consumer               both versions
//   npm run test:consumer -- --keep     keep the temporary projects (their paths are printed)
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json'));

/** The supported range's ends: the oldest cdk8s/constructs the peer ranges allow, and the newest. */
const MATRIX = [
  { label: 'oldest', cdk8s: pkg.peerDependencies.cdk8s.replace(/^\^/, ''), constructs: pkg.peerDependencies.constructs.replace(/^\^/, '') },
  { label: 'newest', cdk8s: pkg.devDependencies.cdk8s, constructs: pkg.devDependencies.constructs },
];

const keep = process.argv.includes('--keep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-consumer-'));
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
delete env.CI; // jest's --ci refuses to write the template's first snapshot
env.NODE_COMPILE_CACHE = path.join(work, 'compile-cache'); // the netkit command's code cache, not in $HOME
let failures = 0;

function log(message) {
  process.stderr.write(`consumer: ${message}\n`);
}

function fail(message) {
  failures++;
  process.stderr.write(`consumer: FAIL ${message}\n`);
}

/** Whether commands can run without network (an unprivileged user + network namespace). */
const offline = spawnSync('unshare', ['-rn', 'true']).status === 0;

/** Runs a command in a project; `net: false` runs it without network when possible. */
function run(cwd, cmd, args, { net = false, expectFail = false, codes = [0] } = {}) {
  const argv = !net && offline ? ['unshare', '-rn', cmd, ...args] : [cmd, ...args];
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  if (codes.includes(r.status) === expectFail) {
    fail(`${path.basename(cwd)}: \`${[cmd, ...args].join(' ')}\` exited ${r.status}${expectFail ? ' (expected a failure)' : ''}\n${out.slice(-4000)}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

/** A stack frame line (`    at fn (file:1:2)`): what a user must never see for their own mistakes. */
const STACK_FRAME = /^\s+at .+[:(]\d+/m;

// ---------------------------------------------------------------- pack
log(`packing into ${work}`);
const packJson = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const packed = JSON.parse(packJson.slice(packJson.indexOf('[')))[0];
const tarball = path.join(work, packed.filename);
const files = packed.files.map((f) => f.path);
if (fs.existsSync(path.join(root, 'build'))) fail('build/ left behind in the checkout after npm pack (postpack should remove it)');

const required = [
  'package.json', 'README.md', 'bin/netkit.js',
  'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/testing/index.js', 'build/lib/testing/index.d.ts',
  'build/lib/testing/jest.js', 'build/lib/testing/jest.d.ts', 'build/lib/cli/main.js', 'build/lib/plugin/index.js',
  'build/cli/netkit.js', 'build/cli/THIRD-PARTY-LICENSES',
];
for (const file of required) if (!files.includes(file)) fail(`the tarball lacks ${file}`);
const unwanted = files.filter((f) => /^(test|examples|bench|scripts|docs|dist|node_modules)\//.test(f) || /^build\/(examples|bench|test)\//.test(f)
  || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) || /\.map$/.test(f) || /^\.ci\//.test(f));
if (unwanted.length > 0) fail(`the tarball ships files a user does not need: ${unwanted.slice(0, 10).join(', ')}${unwanted.length > 10 ? ', ...' : ''}`);
if (pkg.scripts.prepare || pkg.scripts.install || pkg.scripts.postinstall || pkg.scripts.preinstall) fail('package.json has an install-time script');
log(`${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(0)} KiB packed`);

// ---------------------------------------------------------------- declarations
// Every module the public entry points' declarations reach, through imports (comments ignored).
const ts = require('typescript');
const unpacked = path.join(work, 'unpacked');
fs.mkdirSync(unpacked);
execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
const external = new Map();
const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  for (const ref of [...info.importedFiles, ...info.referencedFiles, ...info.typeReferenceDirectives]) {
    const spec = ref.fileName;
    if (spec.startsWith('.')) {
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.d.ts`, path.join(base, 'index.d.ts')].find((f) => fs.existsSync(f));
      if (target) visit(target);
      else fail(`${path.relative(unpacked, file)} imports ${spec}, which the tarball lacks`);
    } else {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      external.set(name, [...(external.get(name) ?? []), path.relative(unpacked, file)]);
    }
  }
}
for (const entry of ['index', 'testing/index', 'testing/jest']) visit(path.join(unpacked, 'package', 'build', 'lib', `${entry}.d.ts`));
for (const [name, where] of external) {
  if (name !== 'cdk8s' && name !== 'constructs') fail(`public declarations name '${name}' (${[...new Set(where)].slice(0, 3).join(', ')}): a user's project would need its types`);
}
log(`public declarations: ${seen.size} files, external modules: ${[...external.keys()].join(', ')}`);

// ---------------------------------------------------------------- a project per version
const cliDir = path.dirname(require.resolve('cdk8s-cli/package.json'));
const cliVersion = require(path.join(cliDir, 'package.json')).version;
const { sscaff } = require(require.resolve('sscaff', { paths: [cliDir] }));
const plusVersion = require('cdk8s-plus-33/package.json').version;

const MAIN_TS = `import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Deployment, plusPodSelector, Service, synthApp } from 'cdk8s-netkit';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);
    const web = new Deployment(this, 'web', {
      replicas: 2,
      podLabels: { app: 'web' },
      containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, name: 'http' }] }],
    });
    new Service(this, 'web-svc', { metadata: { name: 'web' }, selector: web, ports: [{ port: 80, targetPort: 'http', name: 'http' }] });
    // The project's own cdk8s-plus selects the same pods.
    new kplus.Service(this, 'web-plus', { ports: [{ port: 8080 }] }).select(plusPodSelector(kplus, web));
  }
}

const app = new App();
new MyChart(app, 'shop', { namespace: 'shop' });
synthApp(app);
`;

const TEST_TS = `import { Testing } from 'cdk8s';
import { simulate } from 'cdk8s-netkit/testing';
import 'cdk8s-netkit/testing/jest';
import { MyChart } from './main';

test('web:80 reaches both replicas on their http port', () => {
  const sim = simulate(new MyChart(Testing.app(), 'shop', { namespace: 'shop' }));
  expect(sim).toRouteTcp('web.shop:80', { to: 'app=web' });
  expect(sim).toResolve('web.shop.svc.cluster.local');
  expect(sim.service('shop/web')).toHaveReadyEndpoints(2);
});
`;

const BROKEN_TS = `import { App, Chart } from 'cdk8s';
import { Service, synthApp } from 'cdk8s-netkit';

const app = new App();
const chart = new Chart(app, 'broken');
// Two ports without names: the API server (and synth) reject it.
new Service(chart, 'db', { selector: { app: 'db' }, ports: [{ port: 5432 }, { port: 9187 }] });
synthApp(app);
`;

const VALIDATIONS = (version) => `validations:
  - package: ./node_modules/cdk8s-netkit
    version: ${version}
    class: NetkitValidation
`;

async function project(entry) {
  const dir = path.join(work, `app-${entry.label}`);
  const template = path.join(work, `template-${entry.label}`);
  fs.cpSync(path.join(cliDir, 'templates', 'typescript-app'), template, { recursive: true });
  fs.rmSync(path.join(template, '.hooks.sscaff.js')); // npm install + the network `cdk8s import`
  fs.mkdirSync(dir);
  await sscaff(template, dir, {
    cdk8s_core_version: entry.cdk8s, cdk8s_plus_version: plusVersion, constructs_version: entry.constructs, cdk8s_cli_spec: cliVersion,
  });
  const projectPkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  projectPkg.dependencies.cdk8s = entry.cdk8s;
  projectPkg.dependencies.constructs = entry.constructs;
  projectPkg.dependencies['cdk8s-netkit'] = `file:${tarball}`;
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(projectPkg, null, 2)}\n`);

  log(`${entry.label}: cdk8s ${entry.cdk8s}, constructs ${entry.constructs}, cdk8s-plus-33 ^${plusVersion}: npm install`);
  if (run(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { net: true }).status !== 0) return;
  const installed = (name) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  if (installed('cdk8s') !== entry.cdk8s) fail(`${entry.label}: installed cdk8s ${installed('cdk8s')}, wanted ${entry.cdk8s}`);
  if (installed('constructs') !== entry.constructs) fail(`${entry.label}: installed constructs ${installed('constructs')}, wanted ${entry.constructs}`);
  // One copy of cdk8s and constructs: the package must use the project's.
  for (const nested of ['cdk8s', 'constructs', 'cdk8s-plus-33']) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'cdk8s-netkit', 'node_modules', nested))) fail(`${entry.label}: cdk8s-netkit brought its own copy of ${nested}`);
  }

  // As docs/validation.md says: no `imports` (the network k8s import is not needed), the plugin from node_modules.
  const yaml = fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8').replace(/^imports:\n(\s+- .*\n?)+/m, '');
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `${yaml.trimEnd()}\n${VALIDATIONS(installed('cdk8s-netkit'))}`);
  fs.writeFileSync(path.join(dir, 'main.ts'), MAIN_TS);
  fs.writeFileSync(path.join(dir, 'netkit.test.ts'), TEST_TS);

  // The template's tsconfig as is: skipLibCheck unset (false), lib es2016, strict.
  run(dir, 'npx', ['tsc', '--build']);
  run(dir, 'npx', ['jest', '-u']);
  const synth = run(dir, 'npx', ['cdk8s', 'synth']);
  if (STACK_FRAME.test(synth.out)) fail(`${entry.label}: cdk8s synth printed a stack trace:\n${synth.out.slice(-3000)}`);
  if (!/Validations ended succesfully|Validations finished/i.test(synth.out) && !/NetkitValidation|netkit/i.test(synth.out)) {
    fail(`${entry.label}: cdk8s synth did not report the validation plugin:\n${synth.out.slice(-2000)}`);
  }
  const manifest = path.join(dir, 'dist', 'shop.k8s.yaml');
  if (!fs.existsSync(manifest)) fail(`${entry.label}: no dist/shop.k8s.yaml`);
  else {
    const text = fs.readFileSync(manifest, 'utf8');
    for (const expected of ['kind: Deployment', 'kind: Service', 'targetPort: http', 'app: web', 'netkit.io/construct-path: shop/web']) {
      if (!text.includes(expected)) fail(`${entry.label}: dist/shop.k8s.yaml lacks "${expected}"`);
    }
  }

  // The installed `netkit` command (the bundle, build/cli/netkit.js) on the synthesized manifests,
  // twice: without and with its code cache.
  for (const pass of ['cold', 'cached']) {
    const cli = run(dir, 'npx', ['--no-install', 'netkit', 'validate', 'dist/', '-o', 'json'], { codes: [0, 2] });
    let report;
    try {
      report = JSON.parse(cli.stdout);
    } catch {
      fail(`${entry.label}: netkit validate (${pass}) printed no JSON:\n${cli.out.slice(-2000)}`);
    }
    if (report && !(Array.isArray(report.violations) && report.summary.rulesRun > 0 && report.coverage.simulated === 3)) fail(`${entry.label}: netkit validate (${pass}) reported ${JSON.stringify(report).slice(0, 300)}`);
  }
  if (!fs.existsSync(env.NODE_COMPILE_CACHE) || !fs.readdirSync(env.NODE_COMPILE_CACHE).some((f) => /-validate\.cache$/.test(f))) fail(`${entry.label}: netkit validate left no code cache (was the bundle run?)`);
  const version = run(dir, 'npx', ['--no-install', 'netkit', '--version']);
  if (version.stdout.trim() !== installed('cdk8s-netkit')) fail(`${entry.label}: netkit --version printed ${JSON.stringify(version.stdout)}`);

  // A construct-validation failure: the message, exit 1, no stack trace.
  fs.writeFileSync(path.join(dir, 'broken.ts'), BROKEN_TS);
  const broken = run(dir, 'npx', ['ts-node', 'broken.ts'], { expectFail: true });
  if (STACK_FRAME.test(broken.out)) fail(`${entry.label}: a validation failure printed a stack trace:\n${broken.out}`);
  if (!/spec\.ports\[0\]\.name: Required value/.test(broken.stderr)) fail(`${entry.label}: the validation message is missing:\n${broken.out}`);
  fs.rmSync(path.join(dir, 'broken.ts'));

  // The template's own build: compile, test, synth.
  run(dir, 'npm', ['run', 'build']);
  log(`${entry.label}: done${failures > 0 ? ` (${failures} failures so far)` : ''}`);
}

(async () => {
  if (!offline) log('unshare -rn is not available: the project steps run with the network reachable');
  for (const entry of MATRIX) await project(entry);
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
  if (failures > 0) {
    log(`${failures} failure(s)`);
    process.exitCode = 1;
  } else {
    log(`passed: ${MATRIX.map((e) => `cdk8s ${e.cdk8s} + constructs ${e.constructs}`).join('; ')}`);
  }
})().catch((e) => {
  process.stderr.write(`consumer: ${e.stack}\n`);
  process.exitCode = 1;
});

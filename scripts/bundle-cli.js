// The `netkit` command as one file (issue 21: start-up). esbuild bundles lib/cli/main.ts with
// the npm packages it runs on (zod, js-yaml, yaml, commander, ...) into build/cli/netkit.js, so a
// run resolves and reads one file instead of about 370 modules, and bin/netkit.js can keep one
// V8 code cache for it. What stays outside the bundle:
// - Node's built-in modules;
// - cdk8s and constructs (peer dependencies: the user's copies; the CLI does not load them);
// - @kubernetes/client-node (only `netkit apply` / `verify --live` load it, through the lazy
//   import in lib/apply/session.ts; it is an ES module package Node loads itself).
// Lazy loading is kept: a module reached through `import()` or `require()` inside a function
// becomes a wrapper esbuild evaluates on the first call, as Node would on the first require.
// The library entry points (build/lib, `require('cdk8s-netkit')`) are not bundled.
// Licences of the bundled packages go next to the bundle (THIRD-PARTY-LICENSES).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

/** Packages the bundle may leave to Node's require; anything else outside it is a build error. */
const EXTERNAL = ['cdk8s', 'constructs', '@kubernetes/client-node'];

/** `node_modules/<pkg>/...` -> `<pkg>` (scoped names included), else undefined. */
function packageOf(file) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.replace(/\\/g, '/'));
  return m ? m[1] : undefined;
}

/** The licence text of a bundled package: its LICENSE file, else the package.json `license` field. */
function licenseOf(name) {
  const dir = path.join(root, 'node_modules', name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : `License: ${pkg.license ?? 'unknown'} (no licence file in the package)`;
  return `${name}@${pkg.version}\n${'-'.repeat(name.length + pkg.version.length + 1)}\n${text}\n`;
}

/**
 * Bundle the CLI into `<outDir>/cli/netkit.js` (outDir is the build/ directory).
 * @returns {Promise<{ file: string, bytes: number, packages: string[], external: string[] }>}
 */
async function bundleCli(outDir) {
  const esbuild = require('esbuild');
  const file = path.join(outDir, 'cli', 'netkit.js');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'lib', 'cli', 'main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: path.join(root, 'tsconfig.build.json'),
    external: EXTERNAL,
    // Fewer bytes to read and hash; names stay (stack traces of internal errors, class names).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none', // the licences are in THIRD-PARTY-LICENSES, whole
    metafile: true,
    logLevel: 'warning',
  });
  const output = result.metafile.outputs[path.relative(root, file).replace(/\\/g, '/')];
  const external = [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort();
  const builtins = new Set(require('module').builtinModules);
  const unexpected = external.filter((p) => !EXTERNAL.includes(p) && !builtins.has(p.replace(/^node:/, '')));
  if (unexpected.length > 0) throw new Error(`the CLI bundle requires packages it should contain: ${unexpected.join(', ')}`);
  const packages = [...new Set(Object.keys(output.inputs).map(packageOf).filter(Boolean))].sort();
  fs.writeFileSync(path.join(outDir, 'cli', 'THIRD-PARTY-LICENSES'),
    `Packages bundled into netkit.js (the netkit command), with their licences.\n\n${packages.map(licenseOf).join('\n')}`);
  return { file, bytes: output.bytes, packages, external };
}

module.exports = { bundleCli, EXTERNAL };

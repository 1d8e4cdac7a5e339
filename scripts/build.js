#!/usr/bin/env node
// The published package: lib/ compiled to build/lib (JavaScript + declarations) and the `netkit`
// command bundled into build/cli/netkit.js (scripts/bundle-cli.js), run by `npm pack` /
// `npm publish` (prepack), so installing the package compiles nothing and runs no script.
// `--clean` removes build/ again (postpack): bin/netkit.js prefers build/ when it exists,
// which in a checkout would run stale code after the sources change.
// `--out DIR` builds into DIR instead of build/ (bench/compare.ts times a temporary build).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { bundleCli } = require('./bundle-cli');

const root = path.join(__dirname, '..');
const at = process.argv.indexOf('--out');
const out = at >= 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'build');
fs.rmSync(out, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit', cwd: root });
  bundleCli(out).then(
    (b) => process.stderr.write(`build: ${path.relative(root, b.file)} (${(b.bytes / 1024).toFixed(0)} KiB, ${b.packages.length} packages bundled)\n`),
    (e) => {
      process.stderr.write(`build: bundling the CLI failed: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}

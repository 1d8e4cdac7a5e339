#!/usr/bin/env node
// The published package: lib/ compiled to build/lib (JavaScript + declarations), run by
// `npm pack` / `npm publish` (prepack), so installing the package compiles nothing.
// `--clean` removes build/ again (postpack): bin/netkit.js prefers build/ when it exists,
// which in a checkout would run stale code after the sources change.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build');
fs.rmSync(out, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
}

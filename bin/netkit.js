#!/usr/bin/env node
// The `netkit` command: loads the compiled CLI from build/, or the TypeScript sources through
// ts-node in a dev checkout without build/. All logic lives in lib/cli/main.ts (runCli).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'build', 'lib', 'cli', 'main.js');

function loadCli() {
  if (fs.existsSync(compiled)) return require(compiled);
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  return require(path.join(root, 'lib', 'cli', 'main.ts'));
}

let cli;
try {
  cli = loadCli();
} catch (e) {
  process.stderr.write(`netkit: cannot load the CLI (${e && e.message}); run \`npm run compile\` or install dev dependencies\n`);
  process.exit(1);
}

cli.runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`netkit: internal error: ${e && e.message}\n`);
    process.exitCode = 1;
  },
);

// The validation plugin as this checkout's cdk8s.yaml loads it: the compiled package when
// build/ exists, else the TypeScript sources through ts-node (as bin/netkit.js does), so
// `npm run synth` works on a clean clone without a compile step. Projects that install the
// package point cdk8s.yaml at `./node_modules/cdk8s-netkit` instead (docs/validation.md).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'build', 'lib', 'plugin', 'index.js');
if (fs.existsSync(compiled)) {
  module.exports = require(compiled);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  module.exports = require(path.join(root, 'lib', 'plugin', 'index.ts'));
}

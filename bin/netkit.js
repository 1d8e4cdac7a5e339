#!/usr/bin/env node
// The `netkit` command. Loads, in this order of preference:
// - build/cli/netkit.js, the CLI bundled into one file (`npm run build`, scripts/bundle-cli.js),
//   compiled with a V8 code cache kept per user (below);
// - build/lib/cli/main.js, the compiled modules;
// - the TypeScript sources through ts-node, in a dev checkout without build/.
// All logic lives in lib/cli/main.ts (runCli).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'build', 'cli', 'netkit.js');
const compiled = path.join(root, 'build', 'lib', 'cli', 'main.js');

// The code cache (issue 21): Node 20 has no module.enableCompileCache (Node 22), so the bundle is
// compiled through vm.Script with V8's cached data, which skips parsing and compiling the
// functions a previous run of the same command compiled (about a third of a short run's CPU).
// As Node 22's compile cache: NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE=DIR
// names the directory; the default is $XDG_CACHE_HOME/cdk8s-netkit (~/.cache/cdk8s-netkit).
// One file per bundle content (sha256), Node version and command, written after the command ran
// (so it holds what the command compiled), only when missing or rejected by V8 (another V8 or
// other V8 flags). Only a directory and file owned by this user and writable by no one else are
// read. Any failure to read or write just means no cache.
const CACHE_FILES_KEPT = 20;

function cacheDir() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (process.env.NODE_COMPILE_CACHE) return path.resolve(process.env.NODE_COMPILE_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache');
  return path.join(base, 'cdk8s-netkit');
}

/** Whether a cache path may be trusted: ours, and not writable by group or others. */
function ownedPrivately(p) {
  const st = fs.statSync(p);
  return typeof process.getuid !== 'function' || (st.uid === process.getuid() && (st.mode & 0o022) === 0);
}

function loadBundle(argv) {
  const vm = require('vm');
  const { createRequire } = require('module');
  const bytes = fs.readFileSync(bundle);
  const dir = cacheDir();
  const command = /^[a-z][a-z-]*$/.test(argv[0] || '') ? argv[0] : 'none';
  const key = `netkit-${require('crypto').createHash('sha256').update(bytes).digest('hex').slice(0, 24)}-${process.version}-${process.arch}-${command}.cache`;
  const cacheFile = dir && path.join(dir, key);
  let cachedData;
  if (cacheFile) {
    try {
      if (ownedPrivately(dir) && ownedPrivately(cacheFile)) cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  // The wrapper Node's CommonJS loader puts around a module's source.
  const source = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n});`;
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const mod = { exports: {}, id: bundle, filename: bundle, loaded: false };
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  const save = cacheFile && (cachedData === undefined || script.cachedDataRejected)
    ? () => writeCache(dir, cacheFile, script.createCachedData())
    : () => undefined;
  return { cli: mod.exports, save };
}

function writeCache(dir, file, data) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedPrivately(dir)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    // Older bundles' and Node versions' files: keep the newest few.
    const ours = fs.readdirSync(dir).filter((f) => /^netkit-.*\.cache$/.test(f))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of ours.slice(CACHE_FILES_KEPT)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // a read-only or full disk: run without a cache
  }
}

function loadCli(argv) {
  if (fs.existsSync(bundle)) return loadBundle(argv);
  if (fs.existsSync(compiled)) return { cli: require(compiled), save: () => undefined };
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  return { cli: require(path.join(root, 'lib', 'cli', 'main.ts')), save: () => undefined };
}

const argv = process.argv.slice(2);
let loaded;
try {
  loaded = loadCli(argv);
} catch (e) {
  process.stderr.write(`netkit: cannot load the CLI (${e && e.message}); run \`npm run compile\` or install dev dependencies\n`);
  process.exit(1);
}

loaded.cli.runCli(argv, { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
    loaded.save();
  },
  (e) => {
    process.stderr.write(`netkit: internal error: ${e && e.message}\n`);
    process.exitCode = 1;
  },
);

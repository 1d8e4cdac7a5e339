/**
 * The diff benchmark's result as JSON, to check that a change to lib/diff or the engine keeps
 * `netkit diff`'s output byte for byte: run it before and after the change and `cmp` the files.
 * Both directions are written (before -> after and after -> before).
 *
 *   npx ts-node --transpile-only bench/diff-output.ts OUT.json
 */
import { writeFileSync } from 'fs';
import { diffManifests } from '../lib/diff';
import { after, load, objects } from './diff';

const out = process.argv[2];
if (!out) {
  console.error('usage: bench/diff-output.ts OUT.json');
  process.exit(1);
}
const a = objects();
const before = load(a, 'before'); const afterObjects = load(after(a), 'after');
const forward = diffManifests(before, afterObjects);
const backward = diffManifests(afterObjects, before);
writeFileSync(out, `${JSON.stringify({ forward, backward }, null, 1)}\n`);
console.log(`${out}: ${forward.changes.length} / ${backward.changes.length} changes, ${forward.witnesses} witness requests`);

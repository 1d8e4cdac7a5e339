/** Load manifest files and directories from disk. */
import * as fs from 'fs';
import * as path from 'path';
import { ManifestError } from './errors';
import { LoadResult, ManifestObject, dropDuplicates } from './objects';
import { parseManifestText } from './parse';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** cdk8s writes this next to the manifests; it is not a Kubernetes object. */
const SKIPPED_FILES = new Set(['construct-metadata.json']);

/**
 * Load files and directories (recursively: `*.yaml`, `*.yml`, `*.json`, in sorted order, skipping
 * `construct-metadata.json`). Duplicates are detected across all files. Never throws on bad
 * input: unreadable paths and invalid documents come back as errors.
 */
export function loadManifests(paths: readonly string[]): LoadResult {
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  for (const file of expandPaths(paths, errors)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      errors.push(new ManifestError('io', file, 0, '', `cannot read file: ${(e as Error).message}`, 'check the path and its permissions'));
      continue;
    }
    const r = parseManifestText(text, file);
    objects.push(...r.objects);
    errors.push(...r.errors);
  }
  const deduped = dropDuplicates(objects);
  return { objects: deduped.objects, errors: [...errors, ...deduped.errors] };
}

function expandPaths(paths: readonly string[], errors: ManifestError[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.push(new ManifestError('io', p, 0, '', 'no such file or directory', 'pass an existing manifest file or directory (e.g. `dist/`)'));
      return;
    }
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) walk(path.join(p, entry), false);
      return;
    }
    const base = path.basename(p);
    if (SKIPPED_FILES.has(base)) return;
    if (explicit || EXTENSIONS.has(path.extname(base).toLowerCase())) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

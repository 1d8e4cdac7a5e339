/**
 * Multi-document YAML/JSON text -> objects with `{file, line}` sources. Uses the `yaml`
 * package's `parseAllDocuments` with a `LineCounter`, so errors point at the line of the
 * offending field, not only the document.
 */
import { Document, LineCounter, isCollection, isNode, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors';
import { LoadResult, ManifestObject, dropDuplicates, isListObject, toManifestObject } from './objects';

/** Parse one file's text; `file` labels sources and errors. Never throws on bad input. */
export function parseManifestText(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An EmptyStream: nothing to load.
    return { objects, errors };
  }
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const line = lineCounter.linePos(e.pos[0]).line;
        errors.push(new ManifestError('yaml-syntax', file, line, '', e.message.split('\n')[0], 'fix the YAML syntax at this line (indentation, quoting, `---` separators)'));
      }
      continue;
    }
    if (doc.contents === null) continue; // empty document, e.g. a trailing `---`
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    const lineOf = (node: unknown, fallback: number): number => {
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      return fallback;
    };
    const docLine = lineOf(doc.contents, 1);
    const locatorFor = (base: readonly PropertyKey[], baseLine: number) => (path: readonly PropertyKey[]): number =>
      locateIn(doc, [...base, ...path], lineOf, baseLine);
    if (isListObject(value)) {
      // A JSON array or `kind: List` document: each item is an object of its own.
      const isArray = Array.isArray(value);
      value.items.forEach((item, i) => {
        const base = isArray ? [i] : ['items', i];
        const itemLine = locateIn(doc, base, lineOf, docLine);
        const r = toManifestObject(item, file, locatorFor(base, itemLine));
        errors.push(...r.errors);
        if (r.object) objects.push(r.object);
      });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const itemLine = locateIn(doc, [i], lineOf, docLine);
        const r = toManifestObject(item, file, locatorFor([i], itemLine));
        errors.push(...r.errors);
        if (r.object) objects.push(r.object);
      });
      continue;
    }
    const r = toManifestObject(value, file, locatorFor([], docLine));
    errors.push(...r.errors);
    if (r.object) objects.push(r.object);
  }
  const deduped = dropDuplicates(objects);
  return { objects: deduped.objects, errors: [...errors, ...deduped.errors] };
}

/** Line of the deepest node that exists along `path` (so a missing field points at its parent). */
function locateIn(doc: Document, path: readonly PropertyKey[], lineOf: (n: unknown, f: number) => number, fallback: number): number {
  let line = lineOf(doc.contents, fallback);
  for (let i = 1; i <= path.length; i++) {
    const parent = doc.getIn(path.slice(0, i - 1) as unknown[], true);
    if (!isCollection(parent)) break;
    const node = doc.getIn(path.slice(0, i) as unknown[], true);
    if (node === undefined) break;
    line = lineOf(node, line);
  }
  return line;
}

/**
 * Multi-document YAML/JSON text -> objects with `{file, line}` sources and field locators.
 *
 * Generated YAML (what `cdk8s synth` writes) goes through the fast path of `fast-yaml.ts`; any
 * file outside its subset is read by the `yaml` package's `parseAllDocuments` with a
 * `LineCounter`, exactly as before the fast path existed. Either way, field lines are found
 * lazily (`locate.ts`), only for the fields an error or a violation points at.
 */
import { LineCounter, isNode, isScalar, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors';
import { parseFastYaml } from './fast-yaml';
import { FastDocumentPositions, ObjectLocator, YamlDocumentPositions } from './locate';
import { LoadResult, ManifestObject, dropDuplicates, isListObject, toManifestObject } from './objects';

/** Parse one file's text; `file` labels sources and errors. Never throws on bad input. */
export function parseManifestText(text: string, file: string): LoadResult {
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const fast = parseFastYaml(text);
  if (fast) {
    for (const d of fast) {
      const doc = new FastDocumentPositions(text, d.start, d.end, d.startLine, { line: d.line, column: 1 });
      addDocument(d.value, d.line, doc, file, objects, errors);
    }
  } else {
    parseWithYaml(text, file, objects, errors);
  }
  const deduped = dropDuplicates(objects);
  return { objects: deduped.objects, errors: [...errors, ...deduped.errors] };
}

/** The objects of one document's value: itself, the items of a `List`, or of a JSON/YAML array. */
function addDocument(
  value: unknown,
  docLine: number,
  doc: FastDocumentPositions | YamlDocumentPositions,
  file: string,
  objects: ManifestObject[],
  errors: ManifestError[],
): void {
  const add = (item: unknown, base: readonly PropertyKey[]): void => {
    const locator = new ObjectLocator(doc, base);
    const line = base.length === 0 ? docLine : locator.locate([]).line;
    const r = toManifestObject(item, file, { line, locator });
    for (const e of r.errors) errors.push(e);
    if (r.object) objects.push(r.object);
  };
  if (isListObject(value)) {
    // A JSON array or `kind: List` document: each item is an object of its own.
    const isArray = Array.isArray(value);
    value.items.forEach((item, i) => add(item, isArray ? [i] : ['items', i]));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => add(item, [i]));
  } else {
    add(value, []);
  }
}

function parseWithYaml(text: string, file: string, objects: ManifestObject[], errors: ManifestError[]): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return; // an EmptyStream: nothing to load
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const line = lineCounter.linePos(e.pos[0]).line;
        errors.push(new ManifestError('yaml-syntax', file, line, '', e.message.split('\n')[0], 'fix the YAML syntax at this line (indentation, quoting, `---` separators)'));
      }
      continue;
    }
    // An empty document, e.g. after a trailing `---` (`yaml` gives it a null scalar): nothing
    // to load, as in the cdk8s plugin and kubectl.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    const contents = doc.contents;
    const startOffset = isNode(contents) && contents.range ? contents.range[0] : doc.range[0];
    const docLine = lineCounter.linePos(startOffset).line;
    // Positions are found later by parsing this document's text alone, from the start of the
    // line its contents start on (so columns stay the file's columns).
    const lineStart = lineCounter.lineStarts[docLine - 1] ?? 0;
    const end = isNode(contents) && contents.range ? contents.range[2] : doc.range[2];
    const positions = new YamlDocumentPositions(text, lineStart, Math.max(end, lineStart), docLine, { line: docLine, column: 1 });
    addDocument(value, docLine, positions, file, objects, errors);
  }
}

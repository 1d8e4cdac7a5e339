/**
 * Multi-document YAML/JSON text -> objects with `{file, line}` sources and field locators.
 *
 * Values are read by js-yaml (with the YAML 1.2 core schema of `yaml-core-schema.ts`), about 20x
 * faster than the `yaml` package's document model on generated manifests. Files js-yaml rejects
 * (syntax errors, duplicate keys) or that use aliases go through `yaml`'s `parseAllDocuments`,
 * whose errors carry lines and which caps alias expansion. Either way, field lines are found
 * lazily (`locate.ts`), only for the fields an error or a violation points at.
 */
import { loadAll } from 'js-yaml';
import { LineCounter, isNode, isScalar, parseAllDocuments } from 'yaml';
import { ManifestError } from './errors';
import { ObjectLocator, YamlDocumentPositions } from './locate';
import { LoadResult, ManifestObject, dropDuplicates, isListObject, toManifestObject } from './objects';
import { YAML_12_CORE_SCHEMA } from './yaml-core-schema';

/** One document's value as read, where its contents start, and its lazily found positions. */
export interface ReadDocument {
  readonly value: unknown;
  /** 1-based line the document's contents start on. */
  readonly line: number;
  readonly positions: YamlDocumentPositions;
}

/** Parse one file's text; `file` labels sources and errors. Never throws on bad input. */
export function parseManifestText(text: string, file: string): LoadResult {
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const read = readWithJsYaml(text) ?? readWithYaml(text);
  for (const e of read.errors) {
    errors.push(new ManifestError('yaml-syntax', file, e.line, '', e.message, 'fix the YAML syntax at this line (indentation, quoting, `---` separators)'));
  }
  // Empty documents (e.g. after a trailing `---`) hold nothing to load, as in kubectl.
  for (const d of read.documents) if (d.value !== null && d.value !== undefined) addDocument(d.value, d.line, d.positions, file, objects, errors);
  const deduped = dropDuplicates(objects);
  return { objects: deduped.objects, errors: [...errors, ...deduped.errors] };
}

/** What a reader found: the documents and the syntax errors (with their lines). */
export interface ReadResult {
  readonly documents: readonly ReadDocument[];
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

/**
 * Files the `yaml` path reads instead: aliases (`*name` outside quotes), whose expansion it
 * limits, and content on a `---` line, where js-yaml accepts block collections YAML forbids.
 */
const NEEDS_YAML = /(^|[\s[{,])\*[^\s,[\]{}]|^--- +[^#\s]/m;

function positionsAt(text: string, contentStart: number, end: number, line: number): YamlDocumentPositions {
  // Positions are found later by parsing this document's text alone, from the start of the line
  // its contents start on (so columns stay the file's columns).
  const lineStart = text.lastIndexOf('\n', contentStart - 1) + 1;
  return new YamlDocumentPositions(text, lineStart, Math.max(end, lineStart), line, { line, column: 1 });
}

/**
 * The fast reader (js-yaml). Undefined when the file must be read by `yaml` instead: it has
 * aliases, a syntax error or a duplicate key (`yaml` reports those with their lines).
 */
export function readWithJsYaml(text: string): ReadResult | undefined {
  if (NEEDS_YAML.test(text)) return undefined;
  const roots: { start: number; line: number; end: number }[] = [];
  let depth = 0;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      schema: YAML_12_CORE_SCHEMA,
      // Each document's root node opens at depth 0: that is where the document's contents are.
      listener: (event, state) => {
        if (event === 'open') {
          if (depth === 0) roots.push({ start: state.position, line: state.line, end: state.position });
          depth++;
        } else {
          depth--;
          if (depth === 0) roots[roots.length - 1].end = state.position;
        }
      },
    });
  } catch {
    return undefined;
  }
  if (roots.length !== values.length) return undefined;
  const documents = values.map((value, i) => {
    const { start, line, end } = roots[i];
    return { value, line: line + 1, positions: positionsAt(text, start, end, line + 1) };
  });
  return { documents, errors: [] };
}

/** The `yaml` package's reader: slower, exact errors, alias expansion capped. */
export function readWithYaml(text: string): ReadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return { documents: [], errors: [] }; // an EmptyStream
  const documents: ReadDocument[] = [];
  const errors: { line: number; message: string }[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] });
      continue;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      documents.push({ value: null, line: lineCounter.linePos(doc.range[0]).line, positions: positionsAt(text, doc.range[0], doc.range[2], 1) });
      continue;
    }
    const start = isNode(contents) && contents.range ? contents.range[0] : doc.range[0];
    const end = isNode(contents) && contents.range ? contents.range[2] : doc.range[2];
    const line = lineCounter.linePos(start).line;
    documents.push({ value: doc.toJS({ maxAliasCount: 100 }) as unknown, line, positions: positionsAt(text, start, end, line) });
  }
  return { documents, errors };
}

/** The objects of one document's value: itself, the items of a `List`, or of a JSON/YAML array. */
function addDocument(
  value: unknown,
  docLine: number,
  doc: YamlDocumentPositions,
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


/**
 * Multi-document YAML/JSON text -> objects with `{file, line}` sources and field locators.
 *
 * Plain block-style text as generators write it is read by `block-reader.ts` (about 2x js-yaml);
 * the rest by js-yaml (with the YAML 1.2 core schema of `yaml-core-schema.ts`, the same values),
 * about 20x faster than the `yaml` package's document model on generated manifests. Files js-yaml rejects
 * (syntax errors, duplicate keys) or that use aliases go through `yaml`'s `parseAllDocuments`,
 * whose errors carry lines and which caps alias expansion. Either way, field lines are found
 * lazily (`locate.ts`), only for the fields an error or a violation points at.
 */
import { loadAll } from 'js-yaml';
import { yamlModule } from '../core/yaml';
import { readBlockYaml } from './block-reader';
import { ManifestError, formatPath } from './errors';
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

/** Options of {@link parseManifestText}. */
export interface ParseOptions {
  /**
   * Ignored, and kept so existing callers still compile: like kubectl, the reader decides by the
   * text (a leading `{` starts a JSON stream), not by the file's name.
   */
  readonly json?: boolean;
}

/**
 * Nesting deeper than this is refused before parsing: the recursive parsers (and much that walks
 * objects later) would overflow the stack a few thousand levels down, and real objects stay far
 * below it (deep CRD schemas are under 100 levels).
 */
export const MAX_NESTING_DEPTH = 256;

/**
 * The largest scalar accepted: 3 MiB, the API server's limit for a whole request body
 * (`MaxRequestBodyBytes` in k8s.io/apiserver), so a longer value could never be applied.
 */
export const MAX_SCALAR_BYTES = 3 * 1024 * 1024;

/** Parse one file's text; `file` labels sources and errors. Never throws on bad input. */
export function parseManifestText(text: string, file: string, _options: ParseOptions = {}): LoadResult {
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const syntax = (line: number, message: string, hint = 'fix the YAML syntax at this line (indentation, quoting, `---` separators)'): LoadResult => {
    errors.push(new ManifestError('yaml-syntax', file, line, '', message, hint));
    return { objects, errors };
  };
  const deep = nestingTooDeep(text, MAX_NESTING_DEPTH);
  if (deep > 0) return syntax(deep, `nesting deeper than ${MAX_NESTING_DEPTH} levels`, 'Kubernetes objects are far shallower; check for a generated or malicious document');
  const control = NOT_PRINTABLE.exec(text);
  if (control) {
    return syntax(lineOf(text, control.index), `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} in the text (YAML allows none outside escapes)`,
      'remove it, or write it as an escape in a double-quoted string ("\\u0000")');
  }
  let read: ReadResult;
  try {
    read = /^\s*\{/.test(text) ? readJsonStream(text) : (readGenerated(text) ?? readWithJsYaml(text) ?? readWithYaml(text));
  } catch (e) {
    // Last resort: the pre-checks above should keep the parsers from throwing.
    return syntax(1, `cannot parse: ${e instanceof RangeError ? 'nesting too deep' : (e as Error).message.split('\n')[0]}`);
  }
  for (const e of read.errors) {
    errors.push(new ManifestError('yaml-syntax', file, e.line, '', e.message, e.hint ?? 'fix the YAML syntax at this line (indentation, quoting, `---` separators)'));
  }
  // Empty documents (e.g. after a trailing `---`) hold nothing to load, as in kubectl.
  // A scalar can only be over the limit in a text that is (aliases are capped, not multiplied).
  const checkScalars = text.length > MAX_SCALAR_BYTES;
  for (const d of read.documents) if (d.value !== null && d.value !== undefined) addDocument(d.value, d.line, d.positions, file, objects, errors, checkScalars);
  const deduped = dropDuplicates(objects);
  for (const e of deduped.errors) errors.push(e);
  return { objects: deduped.objects, errors };
}

/**
 * Characters YAML 1.2 does not allow in a stream (outside the printable set, `c-printable`):
 * go-yaml, kubectl's reader, fails with "control characters are not allowed".
 */
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const JSON_HINT = 'fix the JSON syntax (JSON allows no comments); or write the file as YAML';

/**
 * A text that starts with `{`, read as kubectl's `YAMLOrJSONDecoder` reads it
 * (k8s.io/apimachinery pkg/util/yaml, v0.36): JSON values back to back; on a syntax error after
 * two or more values the stream is JSON and the error stands; after none or one, the rest of the
 * text (from where the last value ended) is read as YAML, and the JSON error is reported only if
 * that YAML fails before its first document. So `{a: 1}` and trailing commas load, as they do
 * with kubectl, while `// comments` are errors.
 */
export function readJsonStream(text: string): ReadResult {
  const documents: ReadDocument[] = [];
  let pos = 0;
  for (;;) {
    pos = skipJsonSpace(text, pos);
    if (pos >= text.length) return { documents, errors: [] };
    const end = jsonValueEnd(text, pos);
    const slice = text.slice(pos, end);
    let value: unknown;
    let failure: { offset: number; message: string } | undefined;
    try {
      value = JSON.parse(slice);
    } catch (e) {
      failure = jsonFailure((e as Error).message, pos, end);
    }
    if (!failure) {
      const line = lineOf(text, pos);
      documents.push({ value, line, positions: positionsAt(text, pos, end, line) });
      pos = end;
      continue;
    }
    const jsonError = { line: lineOf(text, Math.min(failure.offset, text.length)), message: `invalid JSON: ${failure.message}`, hint: JSON_HINT };
    if (documents.length > 1) return { documents, errors: [jsonError] };
    // Blank out what JSON consumed (newlines kept) so YAML lines and columns stay the file's.
    const rest = text.slice(0, pos).replace(/[^\n]/g, ' ') + text.slice(pos);
    const viaJsYaml = readWithJsYaml(rest);
    const yaml = viaJsYaml ?? readWithYaml(rest);
    // `yaml` accepts some flow text go-yaml refuses (a multi-line implicit key such as
    // `// note "key": v`); js-yaml refuses it as go-yaml does, so its refusal counts.
    const refused = viaJsYaml === undefined && !needsYaml(rest);
    if (refused && yaml.errors.length === 0) return { documents, errors: [jsonError] };
    if (yaml.errors.length === 0) return { documents: [...documents, ...yaml.documents], errors: [] };
    let firstError = Infinity;
    for (const e of yaml.errors) firstError = Math.min(firstError, e.line);
    const before = yaml.documents.filter((d) => d.line < firstError);
    if (before.length === 0) return { documents, errors: [jsonError] };
    return { documents: [...documents, ...yaml.documents], errors: yaml.errors };
  }
}

function skipJsonSpace(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    pos++;
  }
  return pos;
}

/**
 * Where the JSON value starting at `pos` ends: after its closing bracket (strings skipped), or
 * after a bare token. Unbalanced text runs to the end, where JSON.parse then reports it.
 */
function jsonValueEnd(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (first !== 123 && first !== 91 && first !== 34) {
    let i = pos;
    while (i < text.length && !/[\s{}[\]",]/.test(text[i])) i++;
    return Math.max(i, pos + 1);
  }
  let depth = 0;
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      if (depth === 0) return i + 1;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** A JSON.parse message as an offset into the whole text and a message without positions. */
function jsonFailure(message: string, start: number, end: number): { offset: number; message: string } {
  const at = /at position (\d+)/.exec(message);
  const offset = at ? start + Number(at[1]) : end;
  return { offset, message: message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').split('\n')[0] };
}

/**
 * The 1-based line where nesting first exceeds `limit`, or 0. A linear scan, no parser: block
 * nesting by indentation (plus `- ` markers on one line), flow nesting by brackets outside
 * quotes. It may under-count odd documents (the parse is then guarded by a catch), but it does
 * not over-count valid ones, which parse with at most this many levels.
 */
export function nestingTooDeep(text: string, limit: number): number {
  if (nestingBound(text) <= limit) return 0;
  const indents: number[] = [];
  let flow = 0;
  let quote = 0; // char code of the open quote, 0 when none
  let line = 0;
  let blockScalarIndent = -1;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    line++;
    const lineStart = pos;
    pos = end + 1;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    let last = end - 1;
    while (last >= i && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9 || text.charCodeAt(last) === 13)) last--;
    const blank = last < i || text.charCodeAt(i) === 35; // empty or a comment
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    if (blank && quote === 0) continue;
    if (flow === 0 && quote === 0 && indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) { indents.length = 0; continue; }
    let depth = flow;
    if (flow === 0 && quote === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
      // `- - - x`: each marker opens a sequence on the same line.
      let j = i;
      while (text.charCodeAt(j) === 45 && (j + 1 === end || text.charCodeAt(j + 1) === 32)) { depth++; j += 2; while (text.charCodeAt(j) === 32) j++; }
    }
    if (depth > limit) return line;
    let prev = 32;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (quote !== 0) {
        if (c === quote) {
          if (quote === 39 && text.charCodeAt(k + 1) === 39) { k++; continue; }
          quote = 0;
        } else if (c === 92 && quote === 34) k++;
        prev = c;
        continue;
      }
      if (c === 35 && (prev === 32 || prev === 9)) break; // a comment
      // Inside flow collections a bracket or quote follows `[`, `{`, `,` or `:`; in block context
      // only a value's first character opens one (`x[` is a plain scalar).
      const valueStart = prev === 32 || prev === 9 || k === i || (flow > 0 && (prev === 44 || prev === 91 || prev === 123 || prev === 58));
      if ((c === 34 || c === 39) && valueStart) quote = c;
      else if ((c === 91 || c === 123) && (flow > 0 || valueStart)) {
        flow++;
        if (indents.length + flow > limit) return line;
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
      prev = c;
    }
    // A block scalar header (`key: |`, `- >-`): its content lines are text, not structure.
    if (flow === 0 && quote === 0 && last >= i) {
      let h = last;
      while (h > i && /[-+0-9]/.test(text[h])) h--;
      const ch = text.charCodeAt(h);
      if ((ch === 124 || ch === 62) && h > i && text.charCodeAt(h - 1) === 32) blockScalarIndent = indent;
    }
  }
  return 0;
}

/**
 * An upper bound of what {@link nestingTooDeep} counts, from natively searched characters and
 * each line's leading spaces only: block nesting is at most the largest indentation plus one
 * plus the most `- ` markers opening a line, flow nesting at most the number of `[` and `{`.
 * Generated manifests stay far below the limit, so the character-by-character scan is skipped.
 */
function nestingBound(text: string): number {
  let brackets = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) brackets++;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) brackets++;
  let deepest = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    let depth = i - pos + 1;
    while (text.charCodeAt(i) === 45 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) { depth++; i += 2; while (text.charCodeAt(i) === 32) i++; }
    if (depth > deepest) deepest = depth;
    pos = end + 1;
  }
  return deepest + brackets;
}

/** What a reader found: the documents and the syntax errors (with their lines). */
export interface ReadResult {
  readonly documents: readonly ReadDocument[];
  readonly errors: readonly { readonly line: number; readonly message: string; readonly hint?: string }[];
}

/**
 * Files the `yaml` path reads instead: aliases (`*name` outside quotes), whose expansion it
 * limits, content on a `---` line, where js-yaml accepts block collections YAML forbids, and
 * merge keys (`<<: *base`), which kubectl's YAML reader (go-yaml) merges.
 */
const NEEDS_YAML = /(^|[\s[{,])\*[^\s,[\]{}]|^--- +[^#\s]|(^|[\s{,])<<\s*:/m;

/**
 * {@link NEEDS_YAML}'s test, skipped when the text has none of `*`, `<<` and `--- `, without
 * which it cannot match: the regular expression costs about 6 ms per MiB, `includes` almost nothing.
 */
function needsYaml(text: string): boolean {
  return (text.includes('*') || text.includes('<<') || text.includes('--- ')) && NEEDS_YAML.test(text);
}

function positionsAt(text: string, contentStart: number, end: number, line: number): YamlDocumentPositions {
  // Positions are found later by parsing this document's text alone, from the start of the line
  // its contents start on (so columns stay the file's columns).
  const lineStart = text.lastIndexOf('\n', contentStart - 1) + 1;
  return new YamlDocumentPositions(text, lineStart, Math.max(end, lineStart), line, { line, column: 1 });
}

/**
 * The reader for plain block-style YAML (`block-reader.ts`): the same documents, values and
 * positions as {@link readWithJsYaml}, which reads what it declines. Empty documents (null) are
 * left out, so only for callers that skip them.
 */
export function readGenerated(text: string): ReadResult | undefined {
  if (needsYaml(text)) return undefined;
  const docs = readBlockYaml(text);
  if (docs === undefined) return undefined;
  return { documents: docs.map((d) => ({ value: d.value, line: d.line + 1, positions: positionsAt(text, d.start, d.end, d.line + 1) })), errors: [] };
}

/**
 * The fast reader (js-yaml). Undefined when the file must be read by `yaml` instead: it has
 * aliases, a syntax error or a duplicate key (`yaml` reports those with their lines).
 */
export function readWithJsYaml(text: string): ReadResult | undefined {
  if (needsYaml(text)) return undefined;
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
  const { LineCounter, isNode, isScalar, parseAllDocuments } = yamlModule();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (!Array.isArray(docs)) return { documents: [], errors: [] }; // an EmptyStream
  const documents: ReadDocument[] = [];
  const errors: { line: number; message: string; hint?: string }[] = [];
  for (const doc of docs) {
    // An unknown tag (`!custom x`) is only a warning to `yaml`; kubectl's reader refuses it.
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
    if (problems.length > 0) {
      for (const e of problems) errors.push({ line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] });
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
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      // `yaml` refuses alias expansion past maxAliasCount ("billion laughs").
      const bomb = /alias/i.test((e as Error).message);
      errors.push(bomb
        ? { line, message: 'too many alias expansions (an alias bomb?)', hint: 'expand the anchors by hand, or use fewer aliases' }
        : { line, message: `cannot read this document: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    documents.push({ value, line, positions: positionsAt(text, start, end, line) });
  }
  return { documents, errors };
}

/** The path of the first string (value or key) longer than `max`, or undefined. */
function oversizedScalar(value: unknown, max: number): PropertyKey[] | undefined {
  const stack: { v: unknown; path: PropertyKey[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: PropertyKey[] };
    if (typeof v === 'string') {
      if (v.length > max) return path;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: [...path, i] });
    } else if (typeof v === 'object' && v !== null) {
      for (const k of Object.keys(v)) {
        if (k.length > max) return [...path, k];
        stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
      }
    }
  }
  return undefined;
}

/**
 * The objects of one document's value: itself, or the items of a `List` (`kind: List` or any
 * `*List` with `items`, nested Lists flattened as kubectl's `resource.Builder` flattens them) or
 * of a JSON/YAML array.
 */
function addDocument(
  value: unknown,
  docLine: number,
  doc: YamlDocumentPositions,
  file: string,
  objects: ManifestObject[],
  errors: ManifestError[],
  checkScalars: boolean,
): void {
  const add = (item: unknown, base: readonly PropertyKey[]): void => {
    const locator = new ObjectLocator(doc, base);
    const line = base.length === 0 ? docLine : locator.locate([]).line;
    if (isListObject(item)) {
      const items = item.items;
      for (let i = 0; i < items.length; i++) add(items[i], [...base, 'items', i]);
      return;
    }
    const big = checkScalars ? oversizedScalar(item, MAX_SCALAR_BYTES) : undefined;
    if (big) {
      errors.push(new ManifestError('too-large', file, locator.locate(big).line, formatPath(big), `a value over ${MAX_SCALAR_BYTES / (1024 * 1024)} MiB (the API server's request limit)`, 'keep large data out of manifests (mount it from a volume or image)'));
      return;
    }
    const r = toManifestObject(item, file, { line, locator });
    for (const e of r.errors) errors.push(e);
    if (r.object) objects.push(r.object);
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) add(value[i], [i]);
  } else {
    add(value, []);
  }
}

/**
 * A fast path for the YAML that generators write (`cdk8s synth`, `kubectl get -o yaml`, Helm
 * output): block mappings and sequences, one scalar per line, comments. It reads such files about
 * ten times faster than the general `yaml` parser, which dominates `netkit validate` on large
 * inputs.
 *
 * It is deliberately partial: anything outside the subset it fully understands (flow collections
 * other than `{}`/`[]`, anchors, aliases, tags, multi-line plain or quoted scalars, folded block
 * scalars, directives, tabs, CRLF, complex keys, duplicate keys, non-string keys) makes it return
 * `undefined`, and the caller parses the file with `yaml` instead. For what it accepts it gives the
 * same JavaScript values as `yaml`'s `parseAllDocuments(...).toJS()` with the YAML 1.2 core schema
 * (the `yaml` package's default): scalars resolve with the same tests, in the same order
 * (`yaml/dist/schema/core`), which test/manifest/fast-yaml.test.ts checks side by side.
 */

/** Where a field is written: 1-based line and column (of the key for mapping entries). */
export interface PositionNode {
  readonly line: number;
  readonly column: number;
  /** Entries of a mapping by key, or items of a sequence by index, when the value is a collection. */
  children?: Map<string, PositionNode> | PositionNode[];
}

/** One document the fast path parsed. */
export interface FastDocument {
  /** The document's value (a mapping, or a sequence of mappings). */
  readonly value: unknown;
  /** 1-based line of the document's first content line. */
  readonly line: number;
  /** Offsets in the text of the document's lines (from its first line after `---` to the next marker). */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the line at `start`. */
  readonly startLine: number;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** Thrown inside the parser when the input leaves the subset; never escapes this module. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

function bail(): never {
  throw UNSUPPORTED;
}

/** First characters that make a plain scalar something else (YAML 1.2 c-indicator). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

/** Escapes in double-quoted scalars the fast path decodes (others fall back to `yaml`). */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', '0': '\0', ' ': ' ' };

/**
 * A plain scalar's value under the YAML 1.2 core schema, testing the tags in the order the
 * `yaml` package does (null, bool, octal int, int, hex int, .inf/.nan, exponent float, float).
 */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars in manifests are names: a first character no special value starts with.
  const maybeSpecial = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 ||
    c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
  if (!maybeSpecial) return s;
  if (/^(?:~|[Nn]ull|NULL)$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

function isSeqEntry(line: string, at: number): boolean {
  return line.charCodeAt(at) === DASH && (at + 1 === line.length || line.charCodeAt(at + 1) === SPACE);
}

/** Only spaces, or spaces and a comment, from `at` on. */
function restIsEmpty(line: string, at: number): boolean {
  let j = at;
  while (line.charCodeAt(j) === SPACE) j++;
  return j === line.length || (line.charCodeAt(j) === HASH && j > at);
}

/** A quoted scalar starting at `at` (on one line): its value and the index after the closing quote. */
function quoted(line: string, at: number): { value: string; next: number } {
  const q = line.charCodeAt(at);
  let out = '';
  let seg = at + 1;
  let j = seg;
  while (j < line.length) {
    const ch = line.charCodeAt(j);
    if (q === SQUOTE) {
      if (ch === SQUOTE) {
        if (line.charCodeAt(j + 1) === SQUOTE) { out += line.slice(seg, j + 1); j += 2; seg = j; continue; }
        return { value: out + line.slice(seg, j), next: j + 1 };
      }
    } else if (ch === DQUOTE) {
      return { value: out + line.slice(seg, j), next: j + 1 };
    } else if (ch === BACKSLASH) {
      out += line.slice(seg, j);
      const e = line[j + 1];
      if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = line.slice(j + 2, j + 2 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) bail();
        out += String.fromCodePoint(parseInt(hex, 16));
        j += 2 + len;
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) bail();
        out += decoded;
        j += 2;
      }
      seg = j;
      continue;
    }
    j++;
  }
  return bail(); // continues on the next line: a multi-line scalar
}

/** A mapping key at `at`: the key and the index after its `:`; undefined when the line is no `key:`. */
function splitKey(line: string, at: number): { key: string; rest: number } | undefined {
  const c = line.charCodeAt(at);
  if (c === DQUOTE || c === SQUOTE) {
    const q = quoted(line, at);
    if (line.charCodeAt(q.next) !== COLON) return undefined;
    if (q.next + 1 < line.length && line.charCodeAt(q.next + 1) !== SPACE) return undefined;
    return { key: q.value, rest: q.next + 1 };
  }
  if (INDICATORS.has(c)) return undefined;
  for (let j = at + 1; j < line.length; j++) {
    const ch = line.charCodeAt(j);
    if (ch === HASH && line.charCodeAt(j - 1) === SPACE) return undefined; // a comment before any `: `
    if (ch === COLON && (j + 1 === line.length || line.charCodeAt(j + 1) === SPACE)) {
      const key = line.slice(at, j);
      // `key : v`, very long implicit keys and keys that are not strings (`1:`, `true:`) leave the subset.
      if (key.charCodeAt(key.length - 1) === SPACE || key.length > 1000 || typeof resolvePlain(key) !== 'string') bail();
      return { key, rest: j + 1 };
    }
  }
  return undefined;
}

/** The block parser over the lines `[from, to)` of one document. */
class BlockParser {
  /** Current line. */
  private i: number;
  /** Indentation of the current line (valid after `skipBlank`). */
  private ind = 0;

  constructor(
    private readonly lines: string[],
    from: number,
    private readonly end: number,
    /** Record positions (for locating fields); off on the hot path. */
    private readonly record: boolean,
    /** 1-based line number of `lines[0]`. */
    private readonly firstLine: number,
  ) {
    this.i = from;
  }

  /** The document's value and its first content line; `undefined` value for an empty document. */
  public document(): { value: unknown; line: number; root?: PositionNode } | undefined {
    this.skipBlank();
    if (this.i >= this.end) return undefined;
    if (this.ind !== 0) bail();
    const line = this.firstLine + this.i;
    const root: PositionNode | undefined = this.record ? { line, column: 1 } : undefined;
    const value = this.block(0, root);
    this.skipBlank();
    if (this.i < this.end) bail();
    return { value, line, root };
  }

  private skipBlank(): void {
    while (this.i < this.end) {
      const l = this.lines[this.i];
      const ind = indentOf(l);
      if (ind === l.length || l.charCodeAt(ind) === HASH) { this.i++; continue; }
      this.ind = ind;
      return;
    }
  }

  /** A mapping or sequence starting at the current line, at indentation `ind`. */
  private block(ind: number, pos: PositionNode | undefined): unknown {
    return isSeqEntry(this.lines[this.i], ind) ? this.sequence(ind, pos) : this.mapping(ind, pos);
  }

  private mapping(mi: number, pos: PositionNode | undefined): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const children = this.record ? new Map<string, PositionNode>() : undefined;
    if (pos) pos.children = children;
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end || this.ind < mi) break;
      if (this.ind > mi) bail();
      const line = this.lines[this.i];
      const k = splitKey(line, mi);
      if (!k || k.key === '__proto__' || Object.prototype.hasOwnProperty.call(obj, k.key)) bail();
      const at: PositionNode | undefined = children ? { line: this.firstLine + this.i, column: mi + 1 } : undefined;
      if (children && at) children.set(k.key, at);
      obj[k.key] = this.value(line, k.rest, mi, true, at);
    }
    return obj;
  }

  private sequence(si: number, pos: PositionNode | undefined): unknown[] {
    const arr: unknown[] = [];
    const items: PositionNode[] | undefined = this.record ? [] : undefined;
    if (pos) pos.children = items;
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end || this.ind < si) break;
      if (this.ind > si) bail();
      const line = this.lines[this.i];
      if (!isSeqEntry(line, si)) break; // a compact sequence ends at its mapping's next key
      let c = si + 1;
      while (line.charCodeAt(c) === SPACE) c++;
      const at: PositionNode | undefined = items ? { line: this.firstLine + this.i, column: c + 1 } : undefined;
      if (items && at) items.push(at);
      if (restIsEmpty(line, si + 1)) {
        arr.push(this.value(line, si + 1, si, false, at));
      } else if (isSeqEntry(line, c)) {
        bail(); // `- - x`
      } else if (splitKey(line, c)) {
        // `- key: value`: a mapping whose indentation is the key's column. Blank the dash so
        // the mapping reads this line like its others (same length: offsets stay valid).
        this.lines[this.i] = `${line.slice(0, si)} ${line.slice(si + 1)}`;
        arr.push(this.mapping(c, at));
      } else {
        arr.push(this.value(line, c, si, false, at));
      }
    }
    return arr;
  }

  /**
   * The value after a key's `:` or a sequence dash, at `from` on the current line; `parent` is
   * the indentation of the owning mapping or sequence. Leaves the current line after the value.
   */
  private value(line: string, from: number, parent: number, inMapping: boolean, pos: PositionNode | undefined): unknown {
    let r = from;
    while (line.charCodeAt(r) === SPACE) r++;
    if (r === line.length || line.charCodeAt(r) === HASH) {
      if (r < line.length && r === from) bail(); // `key:#...` is no comment
      // The value is on the next lines: an indented block, a sequence at the mapping's own
      // indentation (`key:` then `- item`), or nothing (null).
      this.i++;
      this.skipBlank();
      if (this.i < this.end) {
        if (this.ind > parent) return this.block(this.ind, pos);
        if (inMapping && this.ind === parent && isSeqEntry(this.lines[this.i], parent)) return this.sequence(parent, pos);
      }
      return null;
    }
    const c = line.charCodeAt(r);
    let value: unknown;
    if (c === DQUOTE || c === SQUOTE) {
      const q = quoted(line, r);
      if (!restIsEmpty(line, q.next)) bail();
      value = q.value;
    } else if (c === 124 /* | */) {
      return this.literal(line, r, parent);
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const close = c === 123 ? 125 : 93;
      if (line.charCodeAt(r + 1) !== close || !restIsEmpty(line, r + 2)) bail();
      value = c === 123 ? {} : [];
    } else if (INDICATORS.has(c) && !((c === DASH || c === 63 || c === COLON) && r + 1 < line.length && line.charCodeAt(r + 1) !== SPACE)) {
      bail();
    } else {
      let e = line.length;
      const hash = line.indexOf(' #', r);
      if (hash >= 0) e = hash;
      while (line.charCodeAt(e - 1) === SPACE) e--;
      const text = line.slice(r, e);
      // `a: b: c` is an error; `x:` at the end would be a key.
      if (text.includes(': ') || text.charCodeAt(text.length - 1) === COLON) bail();
      value = resolvePlain(text);
    }
    this.i++;
    return value;
  }

  /** A literal block scalar `|` or `|-` (clip or strip chomping, indentation detected). */
  private literal(line: string, at: number, parent: number): string {
    const header = line.slice(at).trimEnd();
    if (header !== '|' && header !== '|-') bail();
    const strip = header === '|-';
    const out: string[] = [];
    let n = -1;
    let j = this.i + 1;
    let last = -1;
    for (; j < this.end; j++) {
      const l = this.lines[j];
      const ind = indentOf(l);
      if (ind === l.length) {
        if (n >= 0 ? l.length > n : l.length > parent + 1) bail(); // spaces-only lines longer than the indentation
        out.push('');
        continue;
      }
      if (n < 0) {
        if (ind <= parent) break;
        n = ind;
      }
      if (ind < n) break;
      out.push(l.slice(n));
      last = out.length;
    }
    if (n < 0 || last === j - (this.i + 1) && j === this.lines.length) bail(); // empty, or ends the file without a newline
    this.i = this.i + 1 + last;
    const content = out.slice(0, last).join('\n');
    return strip ? content : `${content}\n`;
  }
}

/**
 * Parse `text` as multi-document YAML if it is in the fast subset; `undefined` means "use the
 * `yaml` package". Empty documents are left out (as the loader skips them).
 */
export function parseFastYaml(text: string): FastDocument[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split('\n');
  const docs: FastDocument[] = [];
  try {
    let segStart = 0;
    let segOffset = 0;
    let offset = 0;
    const finish = (to: number, endOffset: number): void => {
      const d = new BlockParser(lines, segStart, to, false, 1).document();
      if (d) docs.push({ value: d.value, line: d.line, start: segOffset, end: endOffset, startLine: segStart + 1 });
    };
    for (let idx = 0; idx < lines.length; idx++) {
      const l = lines[idx];
      const c = l.charCodeAt(0);
      if (c === DASH && l.startsWith('---') && (l.length === 3 || l.charCodeAt(3) === SPACE)) {
        if (!restIsEmpty(l, 3)) bail(); // content after `---`
        finish(idx, offset);
        segStart = idx + 1;
        segOffset = offset + l.length + 1;
      } else if (c === 37 /* % */ || (c === 46 /* . */ && l.startsWith('...'))) {
        bail(); // directives and document end markers
      }
      offset += l.length + 1;
    }
    finish(lines.length, text.length);
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
  return docs;
}

/**
 * Positions of every field of one document the fast path accepts (`text` is the document's
 * lines, `firstLine` the file line of its first line); undefined when it is outside the subset.
 */
export function fastPositions(text: string, firstLine: number): PositionNode | undefined {
  const lines = text.split('\n');
  try {
    return new BlockParser(lines, 0, lines.length, true, firstLine).document()?.root;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

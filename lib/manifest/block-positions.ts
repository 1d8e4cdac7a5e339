/**
 * Field positions of one YAML document in block style (what `cdk8s synth`, kubectl and most
 * generators write), found by walking its lines: no `yaml` document model, which costs about
 * 0.35 ms and 170 KB per document and loads the `yaml` package (72 modules) on first use.
 *
 * It answers exactly what `locate.ts`'s `yaml`-based walk answers (the key's position for mapping
 * entries, the item's for sequence items), and declines (returns undefined) any document with
 * something it does not model: flow collections other than `{}` and `[]`, anchors, tags,
 * aliases, complex keys, directives, tabs, multi-line quoted scalars, keys the YAML 1.2 core
 * schema reads as other than strings, escapes in quoted keys, and empty sequence items. The
 * caller then uses `yaml`. test/manifest/block-positions.test.ts compares both on every path of
 * the test corpora.
 */
import { isDash, keyEnd, restIsComment } from './block-scan';

/** A parsed node: only what the position walk reads. */
type PosNode =
  | { readonly kind: 'map'; readonly pairs: Map<string, { readonly at: number; readonly value: PosNode }> }
  | { readonly kind: 'seq'; readonly items: { readonly at: number; readonly value: PosNode }[] }
  | { readonly kind: 'leaf' };

const LEAF: PosNode = { kind: 'leaf' };

/** Thrown inside the walk when the document uses something not modelled; caught by the caller. */
class Decline extends Error {}

/** Plain keys the core schema reads as null, booleans or numbers (their `String()` can differ). */
const NON_STRING_KEY = /^(?:[-+.0-9~]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/;

/** One document's block structure with character offsets, and its line starts. */
export class BlockPositions {
  private constructor(
    private readonly root: { readonly at: number; readonly value: PosNode },
    /** Offsets (in the parsed text) where each line starts. */
    private readonly lineStarts: readonly number[],
  ) {}

  /** Parse `text` (one document); undefined when it uses something not modelled here. */
  public static parse(text: string): BlockPositions | undefined {
    if (text.includes('\t')) return undefined;
    try {
      const walker = new Walker(text);
      const root = walker.document();
      return root === undefined ? undefined : new BlockPositions(root, walker.starts);
    } catch (e) {
      if (e instanceof Decline) return undefined;
      throw e;
    }
  }

  /** Where `path` is written as a 0-based line and 0-based column in the parsed text. */
  public locate(path: readonly PropertyKey[]): { line: number; column: number } {
    let at = this.root.at;
    let node = this.root.value;
    for (const seg of path) {
      if (node.kind === 'map') {
        const pair = node.pairs.get(String(seg));
        if (!pair) break;
        at = pair.at;
        node = pair.value;
      } else if (node.kind === 'seq' && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) break;
        at = item.at;
        node = item.value;
      } else {
        break;
      }
    }
    // The line holding `at`: the last line start at or before it.
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid; else hi = mid - 1;
    }
    return { line: lo, column: at - starts[lo] };
  }
}

/** One significant line: its indentation, where its content starts and ends (comments kept). */
interface Line {
  readonly indent: number;
  readonly start: number;
  readonly end: number;
}

class Walker {
  public readonly starts: number[] = [];
  /** Lines with content (not blank, not only a comment). */
  private readonly lines: Line[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    let pos = 0;
    const n = text.length;
    while (pos <= n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      this.starts.push(pos);
      let s = pos;
      while (s < end && text.charCodeAt(s) === 32) s++;
      let e = end;
      while (e > s && (text.charCodeAt(e - 1) === 13 || text.charCodeAt(e - 1) === 32)) e--;
      if (e > s && text.charCodeAt(s) !== 35) this.lines.push({ indent: s - pos, start: s, end: e });
      pos = end + 1;
    }
  }

  /** The root node and where it starts; undefined for an empty document. */
  public document(): { at: number; value: PosNode } | undefined {
    if (this.lines.length === 0) return undefined;
    const first = this.lines[0];
    const c = this.text.charCodeAt(first.start);
    // `%` directives, `---`/`...` markers: leave to `yaml`.
    if (c === 37 || this.text.startsWith('---', first.start) || this.text.startsWith('...', first.start)) throw new Decline();
    const value = this.node(-1);
    if (this.i < this.lines.length) throw new Decline(); // content after the root node
    return { at: first.start, value };
  }

  /** The node starting on line `this.i`, which is more indented than `parent` (or a sequence at its indent). */
  private node(parent: number): PosNode {
    const line = this.lines[this.i];
    const t = this.text;
    if (isDash(t, line.start, line.end)) return this.seq(line.indent);
    if (this.keyEnd(line.start, line.end) >= 0) return this.map(line.indent, line.start);
    return this.scalar(line.start, line.end, parent);
  }

  /** A block sequence whose dashes are at column `indent`. */
  private seq(indent: number): PosNode {
    const items: { at: number; value: PosNode }[] = [];
    const t = this.text;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent !== indent || !isDash(t, line.start, line.end)) break;
      let s = line.start + 1;
      while (s < line.end && t.charCodeAt(s) === 32) s++;
      if (s >= line.end || t.charCodeAt(s) === 35) {
        // `-` alone (or with a comment): the item is on the following lines.
        this.i++;
        const next = this.lines[this.i];
        if (next === undefined || next.indent <= indent) throw new Decline(); // an empty item
        items.push({ at: next.start, value: this.node(indent) });
        continue;
      }
      if (isDash(t, s, line.end)) throw new Decline(); // `- - x`
      if (this.keyEnd(s, line.end) >= 0) {
        items.push({ at: s, value: this.map(s - (line.start - line.indent), s) });
        continue;
      }
      items.push({ at: s, value: this.scalar(s, line.end, indent) });
    }
    return { kind: 'seq', items };
  }

  /** A block mapping whose keys are at column `indent`; its first key starts at `first` (on line `this.i`). */
  private map(indent: number, first: number): PosNode {
    const pairs = new Map<string, { at: number; value: PosNode }>();
    const t = this.text;
    let keyStart = first;
    for (;;) {
      const line = this.lines[this.i];
      const colon = this.keyEnd(keyStart, line.end);
      if (colon < 0) throw new Decline();
      const key = this.keyText(keyStart, colon);
      let v = colon + 1;
      while (v < line.end && t.charCodeAt(v) === 32) v++;
      let value: PosNode;
      if (v >= line.end || t.charCodeAt(v) === 35) {
        // The value is on the following lines: more indented, or a sequence at the key's column.
        this.i++;
        const next = this.lines[this.i];
        if (next !== undefined && (next.indent > indent || (next.indent === indent && isDash(t, next.start, next.end)))) value = this.node(indent);
        else value = LEAF;
      } else {
        value = this.scalar(v, line.end, indent);
      }
      if (!pairs.has(key)) pairs.set(key, { at: keyStart, value });
      const next = this.lines[this.i];
      if (next === undefined || next.indent < indent) break;
      if (next.indent > indent) throw new Decline();
      if (isDash(t, next.start, next.end)) break; // a sequence at the parent's column ends this map
      keyStart = next.start;
    }
    return { kind: 'map', pairs };
  }

  /**
   * A scalar value starting at `s` on line `this.i` (or `{}`/`[]`); consumes its line and the
   * lines of a block scalar or a multi-line plain scalar (more indented than `parent`).
   */
  private scalar(s: number, end: number, parent: number): PosNode {
    const t = this.text;
    const c = t.charCodeAt(s);
    if (c === 34 || c === 39) {
      const close = quotedEnd(t, s, end);
      if (close < 0) throw new Decline(); // multi-line quoted scalar
      if (!restIsComment(t, close, end)) throw new Decline();
    } else if (c === 123 || c === 91) {
      // Only empty flow collections: `{}` or `[]`.
      if (t.charCodeAt(s + 1) !== (c === 123 ? 125 : 93) || !restIsComment(t, s + 2, end)) throw new Decline();
    } else if (c === 38 || c === 33 || c === 42 || c === 63 || c === 37 || c === 64 || c === 96 || c === 44 || c === 93 || c === 125) {
      // & ! * ? % @ ` , ] }: anchors, tags, aliases, complex keys, reserved and flow indicators.
      throw new Decline();
    } else if (c === 45 && (s + 1 === end || t.charCodeAt(s + 1) === 32)) {
      throw new Decline(); // `key: - x`
    }
    // Block scalars (`|`, `>`) and plain scalars may continue on more indented lines.
    this.i++;
    while (this.i < this.lines.length && this.lines[this.i].indent > parent) {
      if (c !== 124 && c !== 62 && c !== 34 && c !== 39) {
        // A plain scalar's continuation must not look like structure.
        const l = this.lines[this.i];
        if (isDash(t, l.start, l.end) || this.keyEnd(l.start, l.end) >= 0) throw new Decline();
      } else if (c === 34 || c === 39) {
        throw new Decline();
      }
      this.i++;
    }
    return LEAF;
  }

  /** The offset of the `:` ending a key that starts at `s`, or -1 (see block-scan.ts). */
  private keyEnd(s: number, end: number): number {
    return keyEnd(this.text, s, end, quotedEnd);
  }

  /** The key's string value: plain keys trimmed, quoted keys unquoted; declines what could differ. */
  private keyText(s: number, colon: number): string {
    const t = this.text;
    const c = t.charCodeAt(s);
    if (c === 34 || c === 39) {
      const close = quotedEnd(t, s, colon);
      const inner = t.slice(s + 1, close - 1);
      if (c === 34) {
        if (inner.includes('\\')) throw new Decline();
        return inner;
      }
      return inner.split("''").join("'");
    }
    let e = colon;
    while (e > s && t.charCodeAt(e - 1) === 32) e--;
    const key = t.slice(s, e);
    // Indicators that start something other than a plain key, and keys the core schema types.
    if (key === '' || /^[-?:,[\]{}#&*!|>'"%@`<]/.test(key) || NON_STRING_KEY.test(key)) throw new Decline();
    return key;
  }
}

/** True when the content at `s` is a sequence entry's dash (`-` then a space or the line's end). */

/** The offset just after the closing quote of the quoted scalar at `s`, or -1 if it does not close before `end`. */
function quotedEnd(t: string, s: number, end: number): number {
  const q = t.charCodeAt(s);
  for (let k = s + 1; k < end; k++) {
    const ch = t.charCodeAt(k);
    if (q === 34 && ch === 92) { k++; continue; }
    if (ch === q) {
      if (q === 39 && t.charCodeAt(k + 1) === 39) { k++; continue; }
      return k + 1;
    }
  }
  return -1;
}


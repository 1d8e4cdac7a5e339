/**
 * A reader for the plain block-style YAML generators write (`cdk8s synth`, `yaml.stringify`,
 * kubectl): mappings, sequences, one-line plain and quoted scalars, `{}` and `[]`. It gives
 * exactly js-yaml's values with the same core schema (`yaml-core-schema.ts`) and the same
 * document lines and extents as `parse.ts`'s js-yaml reader, and declines (undefined) any text
 * with something else: block scalars, multi-line or escaped scalars, flow content, anchors, tags,
 * directives, `...`, duplicate or typed keys, tabs, CR. Empty documents are left out (js-yaml
 * reads them as null, which the loader skips). The loader then uses
 * js-yaml. On generated manifests it is about three times as fast as js-yaml, whose generic
 * node composition (and a listener call per node) dominates the load of 10,000 objects.
 * test/manifest/block-reader.test.ts compares both on the tests' YAML and varied layouts.
 */
import { resolvePlainScalar } from './yaml-core-schema';
import { isDash, keyEnd, restIsComment } from './block-scan';

/** One document: its value, the 0-based line and offset where its contents start, and where it ends. */
export interface BlockDocument {
  readonly value: unknown;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** Thrown inside the reader when the text uses something not modelled; caught by {@link readBlockYaml}. */
class Decline extends Error {}

/** Characters js-yaml refuses or treats specially that never occur in generated manifests. */
const UNUSUAL = /[\t\r\uFEFF\u0085\u2028\u2029\uD800-\uDFFF]/;

/** Read `text` as block-style documents; undefined when it has anything not modelled here. */
export function readBlockYaml(text: string): BlockDocument[] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new Reader(text).documents();
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

class Reader {
  // The current document's significant lines (not blank, not only a comment) as parallel
  // arrays, reused from one document to the next: no object per line.
  private readonly ind: number[] = [];
  private readonly st: number[] = [];
  private readonly en: number[] = [];
  private count = 0;
  private i = 0;

  constructor(private readonly text: string) {}

  public documents(): BlockDocument[] {
    const t = this.text;
    const n = t.length;
    const docs: BlockDocument[] = [];
    let firstNo = 0;
    let pos = 0;
    let no = 0;
    const finish = (end: number): void => {
      // An empty document: js-yaml yields null for it, which the loader skips.
      if (this.count === 0) return;
      this.i = 0;
      const value = this.node(-1);
      if (this.i !== this.count) throw new Decline();
      docs.push({ value, line: firstNo, start: this.st[0], end });
      this.count = 0;
    };
    while (pos <= n) {
      let end = t.indexOf('\n', pos);
      if (end < 0) end = n;
      let s = pos;
      while (s < end && t.charCodeAt(s) === 32) s++;
      let e = end;
      while (e > s && t.charCodeAt(e - 1) === 32) e--;
      if (s === pos && e - s >= 3 && t.charCodeAt(s) === 45 && t.charCodeAt(s + 1) === 45 && t.charCodeAt(s + 2) === 45 && (e - s === 3 || t.charCodeAt(s + 3) === 32)) {
        // `---`, possibly with a comment: only a comment may follow (needsYaml sent the rest away).
        if (e - s > 3 && !/^ +#/.test(t.slice(s + 3, e))) throw new Decline();
        finish(pos);
      } else if (e > s && t.charCodeAt(s) !== 35) {
        const c = t.charCodeAt(s);
        // `...` document end and `%` directives: left to js-yaml.
        if (s === pos && (c === 37 || t.startsWith('...', s))) throw new Decline();
        if (this.count === 0) firstNo = no;
        const k = this.count++;
        this.ind[k] = s - pos;
        this.st[k] = s;
        this.en[k] = e;
      }
      pos = end + 1;
      no++;
    }
    finish(n);
    return docs;
  }

  private node(parent: number): unknown {
    const i = this.i;
    const t = this.text;
    const start = this.st[i];
    const end = this.en[i];
    if (isDash(t, start, end)) return this.seq(this.ind[i]);
    const colon = keyEnd(t, start, end, quotedEnd);
    if (colon >= 0) return this.map(this.ind[i], start, colon);
    if (parent >= 0 || i !== 0) return this.scalar(start, end, parent);
    throw new Decline(); // a document that is a scalar
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    const t = this.text;
    while (this.i < this.count) {
      const i = this.i;
      const start = this.st[i];
      const end = this.en[i];
      if (this.ind[i] !== indent || !isDash(t, start, end)) break;
      let s = start + 1;
      while (s < end && t.charCodeAt(s) === 32) s++;
      if (s >= end || t.charCodeAt(s) === 35) {
        this.i++;
        out.push(this.i < this.count && this.ind[this.i] > indent ? this.node(indent) : null);
        continue;
      }
      if (isDash(t, s, end)) throw new Decline();
      const colon = keyEnd(t, s, end, quotedEnd);
      if (colon >= 0) {
        out.push(this.map(s - (start - indent), s, colon));
        continue;
      }
      out.push(this.scalar(s, end, indent));
    }
    return out;
  }

  /** A block mapping whose keys are at column `indent`; its first key is `first`..`firstColon` on line `this.i`. */
  private map(indent: number, first: number, firstColon: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const t = this.text;
    let keyStart = first;
    let colon = firstColon;
    for (;;) {
      const end = this.en[this.i];
      const key = keyText(t, keyStart, colon);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new Decline(); // js-yaml: duplicated mapping key
      let v = colon + 1;
      while (v < end && t.charCodeAt(v) === 32) v++;
      let value: unknown;
      if (v >= end || t.charCodeAt(v) === 35) {
        this.i++;
        const j = this.i;
        if (j < this.count && (this.ind[j] > indent || (this.ind[j] === indent && isDash(t, this.st[j], this.en[j])))) value = this.node(indent);
        else value = null;
      } else {
        value = this.scalar(v, end, indent);
      }
      out[key] = value;
      const j = this.i;
      if (j >= this.count || this.ind[j] < indent) break;
      if (this.ind[j] > indent || isDash(t, this.st[j], this.en[j])) throw new Decline();
      keyStart = this.st[j];
      colon = keyEnd(t, keyStart, this.en[j], quotedEnd);
      if (colon < 0) throw new Decline();
    }
    return out;
  }

  /** A one-line scalar value starting at `s` on line `this.i`; consumes the line. */
  private scalar(s: number, end: number, parent: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(s);
    let value: unknown;
    if (c === 34 || c === 39) {
      const close = quotedEnd(t, s, end);
      if (close < 0 || !restIsComment(t, close, end)) throw new Decline();
      value = quotedValue(t, s, close);
    } else if (c === 123 || c === 91) {
      if (t.charCodeAt(s + 1) !== (c === 123 ? 125 : 93) || !restIsComment(t, s + 2, end)) throw new Decline();
      value = c === 123 ? {} : [];
    } else {
      if (!plainStart(t, s, end)) throw new Decline();
      // A plain scalar ends at ` #`; `: ` or a final `:` inside it would be a nested mapping.
      let e = s;
      while (e < end) {
        const ch = t.charCodeAt(e);
        if (ch === 35 && t.charCodeAt(e - 1) === 32) break;
        if (ch === 58 && (e + 1 === end || t.charCodeAt(e + 1) === 32)) throw new Decline();
        e++;
      }
      while (t.charCodeAt(e - 1) === 32) e--;
      value = resolvePlainScalar(t.slice(s, e));
    }
    this.i++;
    // More indented lines after it would continue a multi-line scalar: left to js-yaml.
    if (this.i < this.count && this.ind[this.i] > parent) throw new Decline();
    return value;
  }
}

/** Whether a plain scalar may start at `s`: no indicator, or `-`, `?`, `:` followed by a non-space. */
function plainStart(t: string, s: number, end: number): boolean {
  const c = t.charCodeAt(s);
  if (c === 45 || c === 63 || c === 58) return s + 1 < end && t.charCodeAt(s + 1) !== 32;
  // , [ ] { } # & * ! | > ' " % @ `
  return !(c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96);
}

/** A key's property name as js-yaml stores it; declines keys that are not plain strings. */
function keyText(t: string, s: number, colon: number): string {
  const c = t.charCodeAt(s);
  if (c === 34 || c === 39) {
    const close = quotedEnd(t, s, colon);
    const key = quotedValue(t, s, close);
    if (key === '__proto__') throw new Decline();
    return key;
  }
  let e = colon;
  while (t.charCodeAt(e - 1) === 32) e--;
  if (e === s || !plainStart(t, s, e) || c === 63 || c === 58 || c === 60) throw new Decline();
  const key = t.slice(s, e);
  if (key === '__proto__' || typeof resolvePlainScalar(key) !== 'string') throw new Decline();
  return key;
}

/** The offset just after the closing quote of the quoted scalar at `s`, or -1 if it does not close on the line. */
function quotedEnd(t: string, s: number, end: number): number {
  const q = t.charCodeAt(s);
  for (let k = s + 1; k < end; k++) {
    const ch = t.charCodeAt(k);
    if (q === 34 && ch === 92) throw new Decline(); // escapes: left to js-yaml
    if (ch === q) {
      if (q === 39 && t.charCodeAt(k + 1) === 39) { k++; continue; }
      return k + 1;
    }
  }
  return -1;
}

function quotedValue(t: string, s: number, close: number): string {
  const inner = t.slice(s + 1, close - 1);
  return t.charCodeAt(s) === 39 && inner.includes("''") ? inner.split("''").join("'") : inner;
}


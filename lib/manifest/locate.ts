/**
 * Field positions for loaded objects, computed lazily: the loader keeps, per document, only
 * where its text is (the file's text is shared, not copied); the first lookup on a document
 * parses that document again with positions, and later lookups reuse them. Violations are few
 * compared with objects, so 10,000 objects cost 10,000 small records, not 10,000 position maps.
 */
import type { Document, LineCounter } from 'yaml';
import { yamlModule } from '../core/yaml';
import { BlockPositions } from './block-positions';

/** Where a field is written: 1-based line and column. */
export interface FieldPosition {
  readonly line: number;
  readonly column: number;
}

/** Finds where a field of one object is written. */
export interface FieldLocator {
  /**
   * The position of `path` (e.g. `['spec', 'ports', 0, 'targetPort']`): the key for mapping
   * entries, the item for sequence items. A path that does not exist in the source resolves to
   * its deepest existing ancestor (a missing field points at its parent).
   */
  locate(path: readonly PropertyKey[]): FieldPosition;
}

/** The last document the line walk took, and its structure. */
let lastWalked: { readonly doc: YamlDocumentPositions; readonly block: BlockPositions } | undefined;

/**
 * The positions of one document, computed on first use: its lines walked (`block-positions.ts`,
 * block style), else its text parsed again (alone) by `yaml` with a line counter.
 */
export class YamlDocumentPositions {
  /** Set when the line walk declined this document (then `yaml` answers). */
  private notBlock = false;
  private parsed?: { doc: Document; lines: LineCounter } | null;

  constructor(
    /** The whole file's text (shared by every document of the file). */
    private readonly text: string,
    /** Offsets of the document's lines in `text`. */
    private readonly start: number,
    private readonly end: number,
    /** 1-based line of the line at `start`. */
    private readonly startLine: number,
    /** Position used when the document cannot be parsed again. */
    private readonly fallback: FieldPosition,
  ) {}

  public locate(path: readonly PropertyKey[]): FieldPosition {
    if (!this.notBlock) {
      // The walked structure is kept for the last document asked only: findings are about one
      // object in a few thousand, and keeping every walked document (4,600 of 100,000 objects
      // in the benchmark) would hold tens of MiB to the end of the run for little reuse.
      let block = lastWalked?.doc === this ? lastWalked.block : undefined;
      if (block === undefined) {
        block = BlockPositions.parse(this.text.slice(this.start, this.end));
        if (block === undefined) this.notBlock = true;
        else lastWalked = { doc: this, block };
      }
      if (block !== undefined) {
        const p = block.locate(path);
        return { line: this.startLine + p.line, column: p.column + 1 };
      }
    }
    return this.locateWithYaml(path);
  }

  /** The same answer from `yaml`'s document model (for what the line walk declines, and for tests). */
  public locateWithYaml(path: readonly PropertyKey[]): FieldPosition {
    const { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } = yamlModule();
    if (this.parsed === undefined) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text.slice(this.start, this.end), { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
      this.parsed = doc.errors.length === 0 && isNode(doc.contents) ? { doc, lines } : null;
    }
    if (this.parsed === null) return this.fallback;
    const { doc, lines } = this.parsed;
    const at = (offset: number): FieldPosition => {
      const p = lines.linePos(offset);
      return { line: this.startLine - 1 + p.line, column: p.col };
    };
    let node: unknown = doc.contents;
    let pos = at((doc.contents as { range: [number, number, number] }).range[0]);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) pos = at(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!isNode(item) || !item.range) break;
        pos = at(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return pos;
  }
}

/** One object's locator: its document and the path of the object inside it (`items[3]` of a List). */
export class ObjectLocator implements FieldLocator {
  constructor(private readonly doc: YamlDocumentPositions, private readonly base: readonly PropertyKey[] = []) {}

  public locate(path: readonly PropertyKey[]): FieldPosition {
    return this.doc.locate(this.base.length === 0 ? path : [...this.base, ...path]);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A rule's field path (`spec.ports[0].targetPort`, `metadata.labels.app.kubernetes.io/name`,
 * `metadata.annotations["netkit.io/suppress.x"]`) as segments, read against the object itself:
 * keys may contain dots, so at each step the longest key of the object that the path continues
 * with wins. Stops at the first segment the object does not have (the rest cannot be located).
 */
export function fieldPathSegments(path: string, object: unknown): PropertyKey[] {
  const out: PropertyKey[] = [];
  let rest = path;
  let cur: unknown = object;
  while (rest.length > 0) {
    if (rest.startsWith('.')) rest = rest.slice(1);
    const bracket = /^\[(\d+)\]/.exec(rest);
    if (bracket) {
      const i = Number(bracket[1]);
      if (!Array.isArray(cur) || i >= cur.length) { out.push(i); break; }
      out.push(i);
      cur = cur[i];
      rest = rest.slice(bracket[0].length);
      continue;
    }
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    if (quoted) {
      const key = quoted[1].replace(/\\(.)/g, '$1');
      out.push(key);
      if (!isRecord(cur) || !(key in cur)) break;
      cur = cur[key];
      rest = rest.slice(quoted[0].length);
      continue;
    }
    if (!isRecord(cur)) break;
    let best: string | undefined;
    for (const key of Object.keys(cur)) {
      if (!rest.startsWith(key)) continue;
      const next = rest.charAt(key.length);
      if ((next === '' || next === '.' || next === '[') && (best === undefined || key.length > best.length)) best = key;
    }
    if (best === undefined) {
      // Not in the object (a missing field): keep the next plain segment for the record.
      const m = /^[^.[]+/.exec(rest);
      if (m) out.push(m[0]);
      break;
    }
    out.push(best);
    cur = cur[best];
    rest = rest.slice(best.length);
  }
  return out;
}

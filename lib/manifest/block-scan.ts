/**
 * Line scanning shared by the two block-style YAML walkers (`block-reader.ts` for values,
 * `block-positions.ts` for field lines). Each walker keeps its own quoted-scalar scan: the
 * reader declines escapes (js-yaml decodes them), the position walk only skips them.
 */

/** The offset just after the closing quote of the quoted scalar at `s`, or -1 when it does not close before `end`. */
export type QuotedEnd = (t: string, s: number, end: number) => number;

/** True when the content at `s` is a sequence entry's dash. */
export function isDash(t: string, s: number, end: number): boolean {
  return t.charCodeAt(s) === 45 && (s + 1 === end || t.charCodeAt(s + 1) === 32);
}

/** True when nothing but spaces and a comment follows `k` on the line. */
export function restIsComment(t: string, k: number, end: number): boolean {
  if (k >= end) return true;
  if (t.charCodeAt(k) !== 32) return false;
  while (k < end && t.charCodeAt(k) === 32) k++;
  return k >= end || t.charCodeAt(k) === 35;
}

/**
 * The offset of the `:` ending a key that starts at `s` (a plain key, or a quoted one on one
 * line), or -1 when the line from `s` is not `key: ...`.
 */
export function keyEnd(t: string, s: number, end: number, quotedEnd: QuotedEnd): number {
  const c = t.charCodeAt(s);
  if (c === 34 || c === 39) {
    const close = quotedEnd(t, s, end);
    if (close < 0) return -1;
    let k = close;
    while (k < end && t.charCodeAt(k) === 32) k++;
    return t.charCodeAt(k) === 58 && (k + 1 === end || t.charCodeAt(k + 1) === 32) ? k : -1;
  }
  for (let k = s; k < end; k++) {
    const ch = t.charCodeAt(k);
    if (ch === 58 && (k + 1 === end || t.charCodeAt(k + 1) === 32)) return k;
    if (ch === 35 && k > s && t.charCodeAt(k - 1) === 32) return -1; // a comment before any `: `
  }
  return -1;
}

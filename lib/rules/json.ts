/** Narrowing helpers for reading raw manifest JSON (fields the typed schemas don't cover). */

/** A JSON object, or undefined. */
export function asObject(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A JSON array, or an empty array. */
export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A string, or undefined. */
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A number, or undefined. */
export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A string map (labels, annotations, selectors): non-string values are dropped. */
export function asStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const o = asObject(v);
  if (!o) return out;
  for (const [k, value] of Object.entries(o)) if (typeof value === 'string') out[k] = value;
  return out;
}

/** Follow `keys` through nested objects. */
export function dig(v: unknown, ...keys: string[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    const o = asObject(cur);
    if (!o) return undefined;
    cur = o[k];
  }
  return cur;
}

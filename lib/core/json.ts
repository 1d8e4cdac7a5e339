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
  // Index loops, no entry pairs or iterators: these run for every object and pod template.
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const value = o[keys[i]];
    if (typeof value === 'string') out[keys[i]] = value;
  }
  return out;
}

/** Follow `keys` through nested objects. */
export function dig(v: unknown, ...keys: string[]): unknown {
  let cur: unknown = v;
  for (let i = 0; i < keys.length; i++) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[keys[i]];
  }
  return cur;
}

/**
 * A quick acceptance test derived from a zod schema: true only for values the schema accepts
 * and returns unchanged. The loader uses it before zod: an object that passes is used as its own
 * typed view (no copy), anything else goes through zod's `safeParse`, which then produces the
 * exact issues (and output) as before. On 10,000 objects this saves most of zod's cost, which in
 * a one-shot CLI is dominated by warming up zod's generic parsers, and the memory of a copy.
 *
 * Only zod's public API is read: the schema classes (`instanceof z.ZodObject`, `.shape`,
 * `.element`, `.options`, `.unwrap()`, `.def.catchall`, `.def.checks`) for the structure, and
 * `z.toJSONSchema` for what a string, number or array check means (minLength, minimum, ...).
 * JSON Schema leaves out refinements and overwrites (`.refine`, `.trim`), so a leaf is
 * understood only when its number of checks equals the number of constraints its JSON Schema
 * shows. Understood: loose objects, strings with a minimum length, numbers and integers with
 * bounds, booleans, enums, literals, unions, arrays with a minimum length, string records,
 * optional and nullable. Anything else makes `compileCheck` return undefined (always use zod).
 * Being stricter than zod is harmless (zod decides); being looser would not be, which
 * test/manifest/fast-check.test.ts probes with mutated objects.
 */
import { z } from 'zod';

/** True when the schema certainly accepts the value unchanged. */
export type QuickCheck = (value: unknown) => boolean;

/**
 * A plain object: what JSON and YAML parsers build, its prototype some realm's
 * `Object.prototype` (or null). Callers also refuse an own `__proto__` key, which zod drops.
 */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** How many checks (`.min()`, `.int()`, `.refine()`, ...) the schema carries. */
function checkCount(schema: z.ZodType): number {
  return (schema.def as { readonly checks?: readonly unknown[] }).checks?.length ?? 0;
}

/** The JSON Schema of a leaf, without the `$schema` marker; undefined when zod cannot express it. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> | undefined {
  try {
    const js = { ...(z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>) };
    delete js.$schema;
    return js;
  } catch {
    return undefined;
  }
}

/** True when `js` has no keyword outside `allowed`. */
function onlyKeywords(js: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(js).every((k) => allowed.includes(k));
}

/** The bounds zod writes for every safe integer: implied by `.int()`, not checks of their own. */
const SAFE_BOUNDS = new Set<unknown>([Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);

function stringCheck(schema: z.ZodString): QuickCheck | undefined {
  const js = jsonSchemaOf(schema);
  if (!js || js.type !== 'string' || !onlyKeywords(js, ['type', 'minLength'])) return undefined;
  const min = js.minLength ?? 0;
  if (typeof min !== 'number' || checkCount(schema) !== (js.minLength === undefined ? 0 : 1)) return undefined;
  return (v) => typeof v === 'string' && v.length >= min;
}

function numberCheck(schema: z.ZodNumber): QuickCheck | undefined {
  const js = jsonSchemaOf(schema);
  if (!js || (js.type !== 'number' && js.type !== 'integer')) return undefined;
  if (!onlyKeywords(js, ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'])) return undefined;
  const tests: ((n: number) => boolean)[] = [js.type === 'integer' ? Number.isSafeInteger : Number.isFinite];
  let understood = js.type === 'integer' ? 1 : 0;
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const bound = js[key];
    if (bound === undefined) continue;
    if (typeof bound !== 'number') return undefined;
    if (!(js.type === 'integer' && SAFE_BOUNDS.has(bound))) understood++;
    tests.push(key === 'minimum' ? (n) => n >= bound : key === 'maximum' ? (n) => n <= bound : key === 'exclusiveMinimum' ? (n) => n > bound : (n) => n < bound);
  }
  if (checkCount(schema) !== understood) return undefined;
  return (v) => typeof v === 'number' && tests.every((t) => t(v));
}

function arrayCheck(schema: z.ZodArray<z.ZodType>): QuickCheck | undefined {
  const js = jsonSchemaOf(schema);
  if (!js || js.type !== 'array' || !onlyKeywords(js, ['type', 'items', 'minItems'])) return undefined;
  const min = js.minItems ?? 0;
  if (typeof min !== 'number' || checkCount(schema) !== (js.minItems === undefined ? 0 : 1)) return undefined;
  const element = compileCheck(schema.element);
  if (!element) return undefined;
  return (v) => Array.isArray(v) && v.length >= min && v.every(element);
}

/** Compile a quick check for `schema`; undefined when it uses something not understood here. */
export function compileCheck(schema: z.ZodType): QuickCheck | undefined {
  if (schema instanceof z.ZodString) return stringCheck(schema);
  if (schema instanceof z.ZodNumber) return numberCheck(schema);
  if (schema instanceof z.ZodArray) return arrayCheck(schema as z.ZodArray<z.ZodType>);
  // The rest carry no checks of their own that we understand: any (e.g. a refinement) declines.
  if (checkCount(schema) > 0) return undefined;
  if (schema instanceof z.ZodBoolean) return (v) => typeof v === 'boolean';
  if (schema instanceof z.ZodEnum) {
    const allowed = new Set<unknown>(schema.options);
    return (v) => allowed.has(v);
  }
  if (schema instanceof z.ZodLiteral) {
    const allowed = new Set<unknown>(schema.values);
    return (v) => allowed.has(v);
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    const inner = compileCheck(schema.unwrap() as z.ZodType);
    if (!inner) return undefined;
    return schema instanceof z.ZodOptional ? (v) => v === undefined || inner(v) : (v) => v === null || inner(v);
  }
  if (schema instanceof z.ZodUnion) {
    const options: QuickCheck[] = [];
    for (const o of schema.options as readonly z.ZodType[]) {
      const c = compileCheck(o);
      if (!c) return undefined;
      options.push(c);
    }
    return (v) => options.some((c) => c(v));
  }
  if (schema instanceof z.ZodRecord) {
    const keyType = schema.keyType as z.ZodType;
    if (!(keyType instanceof z.ZodString) || checkCount(keyType) > 0) return undefined;
    const value = compileCheck(schema.valueType as z.ZodType);
    if (!value) return undefined;
    return (v) => {
      if (!isPlainRecord(v)) return false;
      for (const k in v) if (k === '__proto__' || !value(v[k])) return false;
      return true;
    };
  }
  if (schema instanceof z.ZodObject) {
    // Only loose objects: other modes strip or reject unknown keys, so the output can differ.
    const catchall = (schema.def as { readonly catchall?: z.ZodType }).catchall;
    if (!(catchall instanceof z.ZodUnknown) || checkCount(catchall) > 0) return undefined;
    const fields = new Map<string, QuickCheck>();
    const required: string[] = [];
    for (const [key, s] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const c = compileCheck(s);
      if (!c) return undefined;
      fields.set(key, c);
      if (!c(undefined)) required.push(key);
    }
    // Walk the object's own keys (a manifest sets few of the many optional fields), then make
    // sure the required ones are there.
    return (v) => {
      if (!isPlainRecord(v)) return false;
      for (const key in v) {
        if (key === '__proto__') return false;
        const c = fields.get(key);
        if (c !== undefined && !c(v[key])) return false;
      }
      for (let i = 0; i < required.length; i++) if (v[required[i]] === undefined) return false;
      return true;
    };
  }
  return undefined;
}

/**
 * A quick acceptance test derived from a zod schema: true only for values the schema accepts
 * and returns unchanged. The loader uses it before zod: an object that passes is used as its own
 * typed view (no copy), anything else goes through zod's `safeParse`, which then produces the
 * exact issues (and output) as before. On 10,000 objects this saves most of zod's cost, which in
 * a one-shot CLI is dominated by warming up zod's generic parsers, and the memory of a copy.
 *
 * It reads the schema's definition (`schema._zod.def`) and understands only what
 * `schemas.ts` uses: loose objects, strings, numbers with int/range checks, booleans, enums,
 * literals, unions, arrays with a minimum length, string records, optional and nullable. Any
 * other construct or check makes `compileCheck` return undefined (always use zod). Being
 * stricter than zod is harmless (zod decides); being looser would not be, which
 * test/manifest/fast-check.test.ts probes with mutated objects.
 */
import type { z } from 'zod';

/** True when the schema certainly accepts the value unchanged. */
export type QuickCheck = (value: unknown) => boolean;

interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
}

interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly options?: readonly z.ZodType[];
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/**
 * A plain object: what JSON and YAML parsers build, its prototype some realm's
 * `Object.prototype` (or null). Callers also refuse an own `__proto__` key, which zod drops.
 */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Number checks as predicates; undefined for a check we do not know. */
function numberCheck(c: CheckDef): ((n: number) => boolean) | undefined {
  switch (c.check) {
    case 'number_format':
      return c.format === 'safeint' ? Number.isSafeInteger : undefined;
    case 'greater_than': {
      const min = c.value;
      if (typeof min !== 'number') return undefined;
      return c.inclusive ? (n) => n >= min : (n) => n > min;
    }
    case 'less_than': {
      const max = c.value;
      if (typeof max !== 'number') return undefined;
      return c.inclusive ? (n) => n <= max : (n) => n < max;
    }
    default:
      return undefined;
  }
}

/** The checks of a string or array: only a minimum length is understood. */
function minLength(def: SchemaDef): number | undefined {
  let min = 0;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check !== 'min_length' || typeof d.minimum !== 'number') return undefined;
    min = Math.max(min, d.minimum);
  }
  return min;
}

/** Compile a quick check for `schema`; undefined when it uses something not understood here. */
export function compileCheck(schema: z.ZodType): QuickCheck | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const min = minLength(def);
      if (min === undefined) return undefined;
      return (v) => typeof v === 'string' && v.length >= min;
    }
    case 'boolean':
      return (def.checks ?? []).length === 0 ? (v) => typeof v === 'boolean' : undefined;
    case 'number': {
      const checks: ((n: number) => boolean)[] = [];
      for (const c of def.checks ?? []) {
        const f = numberCheck(c._zod.def);
        if (!f) return undefined;
        checks.push(f);
      }
      return (v) => typeof v === 'number' && Number.isFinite(v) && checks.every((f) => f(v));
    }
    case 'enum': {
      if (!def.entries || (def.checks ?? []).length > 0) return undefined;
      const allowed = new Set<unknown>(Object.values(def.entries));
      return (v) => allowed.has(v);
    }
    case 'literal': {
      if (!def.values || (def.checks ?? []).length > 0) return undefined;
      const allowed = new Set<unknown>(def.values);
      return (v) => allowed.has(v);
    }
    case 'optional':
    case 'nullable': {
      if (!def.innerType || (def.checks ?? []).length > 0) return undefined;
      const inner = compileCheck(def.innerType);
      if (!inner) return undefined;
      return def.type === 'optional' ? (v) => v === undefined || inner(v) : (v) => v === null || inner(v);
    }
    case 'union': {
      if (!def.options || (def.checks ?? []).length > 0) return undefined;
      const options: QuickCheck[] = [];
      for (const o of def.options) {
        const c = compileCheck(o);
        if (!c) return undefined;
        options.push(c);
      }
      return (v) => options.some((c) => c(v));
    }
    case 'array': {
      const min = minLength(def);
      const element = def.element ? compileCheck(def.element) : undefined;
      if (min === undefined || !element) return undefined;
      return (v) => Array.isArray(v) && v.length >= min && v.every(element);
    }
    case 'record': {
      if (!def.keyType || !def.valueType || (def.checks ?? []).length > 0) return undefined;
      const keyDef = defOf(def.keyType);
      if (keyDef.type !== 'string' || (keyDef.checks ?? []).length > 0) return undefined;
      const value = compileCheck(def.valueType);
      if (!value) return undefined;
      return (v) => {
        if (!isPlainRecord(v)) return false;
        for (const k in v) if (k === '__proto__' || !value(v[k])) return false;
        return true;
      };
    }
    case 'object': {
      // Only loose objects: other modes strip or reject unknown keys, so the output can differ.
      if (!def.shape || !def.catchall || defOf(def.catchall).type !== 'unknown' || (def.checks ?? []).length > 0) return undefined;
      const fields = new Map<string, QuickCheck>();
      const required: string[] = [];
      for (const [key, s] of Object.entries(def.shape)) {
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
    default:
      return undefined;
  }
}

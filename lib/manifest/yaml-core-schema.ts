/**
 * The YAML 1.2 core schema for js-yaml, so the fast loader resolves plain scalars exactly as the
 * `yaml` package does by default (YAML 1.2.2 §10.3.2, "Tag Resolution"). js-yaml's own
 * CORE_SCHEMA keeps YAML 1.1 forms (`1_000`, `0b1`, sexagesimals) that 1.2 reads as strings.
 */
import { FAILSAFE_SCHEMA, Schema, Type } from 'js-yaml';

const NULL = /^(?:~|null|Null|NULL)?$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

// js-yaml asks every type about every plain scalar (keys too): each resolver first rejects by
// the first character its anchored patterns allow, so a key such as `metadata` runs no regex.
/** The first character's code, or -1 for the empty string. */
function first(data: string): number {
  return data.length === 0 ? -1 : data.charCodeAt(0);
}

/** `~`, `n`, `N`, or empty. */
function mayBeNull(c: number): boolean {
  return c === -1 || c === 126 || c === 110 || c === 78;
}

/** `t`, `T`, `f`, `F`. */
function mayBeBool(c: number): boolean {
  return c === 116 || c === 84 || c === 102 || c === 70;
}

/** A digit, `-` or `+` (ints); also `.` for floats. */
function mayBeNumber(c: number, dot: boolean): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || (dot && c === 46);
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || (mayBeNull(first(data)) && NULL.test(data)),
  construct: () => null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeBool(first(data)) && BOOL.test(data),
  construct: (data: string) => data.toLowerCase() === 'true',
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeNumber(first(data), false) && (INT_DEC.test(data) || INT_OCT.test(data) || INT_HEX.test(data)),
  construct: (data: string) => {
    if (data.startsWith('0o')) return parseInt(data.slice(2), 8);
    if (data.startsWith('0x')) return parseInt(data.slice(2), 16);
    return Number(data);
  },
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeNumber(first(data), true) && (FLOAT.test(data) || INF.test(data) || NAN.test(data)),
  construct: (data: string) => {
    if (NAN.test(data)) return NaN;
    if (INF.test(data)) return data.startsWith('-') ? -Infinity : Infinity;
    return Number(data);
  },
});

/** Strings, sequences and mappings, plus the 1.2 core scalars (null, bool, int, float). */
export const YAML_12_CORE_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });

const IMPLICIT = [nullType, boolType, intType, floatType];

/** A plain scalar's value as js-yaml resolves it with this schema (its implicit types in order, else the string). */
export function resolvePlainScalar(text: string): unknown {
  for (const type of IMPLICIT) if (type.resolve(text)) return type.construct(text);
  return text;
}

/**
 * Reading the JSON of live objects, where a missing or mistyped field reads as empty: the
 * comparisons walk server answers whose optional fields are often absent. Shared by
 * `compare.ts` and the differential suite.
 */
import { asObject } from '../rules/json';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `v` as an object; `{}` when it is not one. */
export function obj(v: unknown): Json {
  return (asObject(v) ?? {}) as Json;
}

/** `v` as an array of objects; `[]` when it is not an array. */
export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

/** `v` when it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `v` as canonical JSON (object keys sorted, undefined as null), for equality. */
export function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v as Json).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Json)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

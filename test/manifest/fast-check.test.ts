/**
 * The quick checks derived from the zod schemas never accept what zod rejects or would change:
 * valid objects and thousands of one-field mutations of them, each checked against `safeParse`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { appObjects } from '../../bench/validate-set';
import { compileCheck } from '../../lib/manifest/fast-check';
import { readWithJsYaml } from '../../lib/manifest/parse';
import { SCHEMAS } from '../../lib/manifest/schemas';
import { fromObjects } from '../../lib/manifest';

type Json = Record<string, unknown>;

const REPLACEMENTS: unknown[] = ['x', '', 0, -1, 1, 80, 65536, 1.5, NaN, Infinity, null, true, [], {}, ['a'], [{}], { a: 'b' }, { a: 1 }, 'TCP', 'None', 'Local'];

/** JSON with sorted keys (structuredClone builds objects in another realm: no deep-equal on prototypes). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x));
}

/** Every path of `v` (objects and arrays), root first. */
function paths(v: unknown, p: (string | number)[] = []): (string | number)[][] {
  const out = [p];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...p, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...p, k]));
  return out;
}

function withValue(obj: Json, p: (string | number)[], value: unknown, remove: boolean): Json {
  const copy = structuredClone(obj);
  let cur: Record<string | number, unknown> = copy;
  for (const seg of p.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = p[p.length - 1];
  if (remove) {
    if (Array.isArray(cur)) cur.splice(last as number, 1); else delete cur[last];
  } else {
    cur[last] = value;
  }
  return copy;
}

function samples(): Json[] {
  const out: Json[] = [];
  // StatefulSet + headless Service, Deployment + ClusterIP, NodePort, selector typo, LoadBalancer.
  for (const i of [0, 1, 5, 7, 105]) out.push(...appObjects(i));
  const corpus = path.join(__dirname, '..', 'rules', 'corpus');
  for (const rule of fs.readdirSync(corpus)) {
    for (const f of fs.readdirSync(path.join(corpus, rule))) {
      for (const d of parseAllDocuments(fs.readFileSync(path.join(corpus, rule, f), 'utf8'))) {
        const v: unknown = d.toJS();
        if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Json);
      }
    }
  }
  return out.filter((o) => typeof o.kind === 'string' && SCHEMAS[o.kind] !== undefined);
}

describe('quick schema checks', () => {
  test('every schema the loader uses compiles to a quick check', () => {
    for (const [kind, entry] of Object.entries(SCHEMAS)) expect([kind, compileCheck(entry.schema) !== undefined]).toEqual([kind, true]);
  });

  test('constructs outside the understood subset decline', () => {
    expect(compileCheck(z.object({ a: z.string() }))).toBeUndefined(); // strips unknown keys
    expect(compileCheck(z.string().regex(/x/))).toBeUndefined();
    expect(compileCheck(z.string().transform((s) => s.length))).toBeUndefined();
    expect(compileCheck(z.number().default(1))).toBeUndefined();
    // Checks that JSON Schema does not show: refinements and overwrites change what zod accepts or returns.
    expect(compileCheck(z.string().refine((s) => s.length > 2))).toBeUndefined();
    expect(compileCheck(z.string().min(1).refine((s) => s !== 'x'))).toBeUndefined();
    expect(compileCheck(z.string().trim())).toBeUndefined();
    expect(compileCheck(z.number().int().min(1).refine((n) => n % 2 === 0))).toBeUndefined();
    expect(compileCheck(z.array(z.string()).min(1).refine((a) => a.length < 3))).toBeUndefined();
    expect(compileCheck(z.looseObject({ a: z.string() }).refine((o) => o.a !== 'b'))).toBeUndefined();
    expect(compileCheck(z.record(z.string(), z.string()).superRefine(() => undefined))).toBeUndefined();
    expect(compileCheck(z.email())).toBeUndefined();
  });

  test('bounds and lengths mean what zod means', () => {
    const port = compileCheck(z.number().int().min(1).max(65535))!;
    expect([0, 1, 65535, 65536, 1.5, NaN, '80'].map(port)).toEqual([false, true, true, false, false, false, false]);
    const positive = compileCheck(z.number().gt(0))!;
    expect([0, 0.5, Infinity].map(positive)).toEqual([false, true, false]);
    const int = compileCheck(z.number().int())!;
    expect([2 ** 53, -(2 ** 53) + 1, 3].map(int)).toEqual([false, true, true]);
    const name = compileCheck(z.string().min(1))!;
    expect(['', 'a', 1].map(name)).toEqual([false, true, false]);
    const list = compileCheck(z.array(z.string()).min(1))!;
    expect([[], ['a'], [1]].map(list)).toEqual([false, true, false]);
  });

  test('valid objects pass, and mutations pass only when zod accepts them unchanged', () => {
    const objs = samples();
    expect(objs.length).toBeGreaterThan(30);
    let accepted = 0;
    let rejected = 0;
    const wrong: unknown[] = [];
    for (const o of objs) {
      const schema = SCHEMAS[o.kind as string].schema;
      const check = compileCheck(schema);
      const agree = (v: Json): void => {
        if (!check?.(v)) { rejected++; return; }
        accepted++;
        const r = schema.safeParse(v);
        // Values equal; zod puts a loose object's known keys first, so key order may differ.
        if (!r.success || canonical(r.data) !== canonical(v)) wrong.push({ input: v, zod: r.success ? r.data : r.error.issues });
      };
      if (schema.safeParse(o).success) expect(check?.(o)).toBe(true);
      for (const p of paths(o).slice(1)) {
        agree(withValue(o, p, undefined, true));
        for (const value of REPLACEMENTS) agree(withValue(o, p, value, false));
      }
    }
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  test('the loader reports the same zod issues as before for invalid objects', () => {
    const r = fromObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { ports: [{ port: 70000 }, { port: 'http' }] } }]);
    expect(r.objects).toHaveLength(0);
    expect(r.errors.map((e) => e.path)).toEqual(['spec.ports[0].port', 'spec.ports[1].port']);
  });

  test('objects that pass are their own typed view (no copy)', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'rules', 'lines', 'block.yaml'), 'utf8');
    const docs = readWithJsYaml(text)?.documents ?? [];
    const loaded = fromObjects(docs.map((d) => d.value));
    expect(loaded.objects.length).toBe(3);
    for (const o of loaded.objects) expect(o.typed).toBe(o.raw);
  });
});

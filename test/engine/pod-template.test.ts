import { stableStringify } from '../../lib/engine/controllers/pod-template';
import { podTemplateHash } from '../../lib/engine/controllers/deployment';

/** The first implementation (per-level map/join), kept as the reference the fast one must equal. */
function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Strings with every escaping case: quotes, backslashes, controls, surrogate pairs and lone surrogates. */
const STRINGS = ['', 'web', 'quote"and\\back', 'line\nbreak', 'é ü 漢', '\u0001ctl', 'http', '\ud83d\ude00 pair', 'lone \udc00', 'lone \ud800 high', '\u2028sep', 'del\u007f', 'tab\t'];

/** A deterministic pseudo-random JSON-ish value (LCG), with the odd cases mixed in. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s; };
  const pick = next() % (depth > 3 ? 6 : 9);
  switch (pick) {
    case 0: return null;
    case 1: return next() % 2 === 0;
    case 2: return (next() % 20000) - 10000 + (next() % 4 === 0 ? 0.5 : 0);
    case 3: return STRINGS[next() % STRINGS.length];
    case 4: return undefined;
    case 5: return Number.NaN;
    case 6: return Array.from({ length: next() % 4 }, (_, i) => randomValue(next() + i, depth + 1));
    default: {
      const keys = ['b', 'a', 'z', 'A', 'ports', 'é', 'a.b/c', '"q"', '10', '2', '\ud83d\ude00', '\ud800', '\u2028', 'a\u007f'];
      const o: Record<string, unknown> = {};
      const n = next() % 5;
      for (let i = 0; i < n; i++) o[keys[next() % keys.length]] = randomValue(next(), depth + 1);
      return o;
    }
  }
}

describe('stableStringify', () => {
  test('sorts keys at every level, independent of insertion order', () => {
    expect(stableStringify({ b: 1, a: { d: [2, { y: 1, x: 'v' }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":"v","y":1}]},"b":1}');
    expect(stableStringify({ a: 1, b: 2 })).toBe(stableStringify({ b: 2, a: 1 }));
  });

  test('keeps undefined entries as null (unlike JSON.stringify) and writes array holes empty', () => {
    expect(stableStringify({ a: undefined, b: [undefined, () => 1] })).toBe('{"a":null,"b":[null,null]}');
    // eslint-disable-next-line no-sparse-arrays
    expect(stableStringify([1, , 3])).toBe(reference([1, , 3]));
    expect(stableStringify(undefined)).toBe('null');
    expect(stableStringify(Number.NaN)).toBe('null');
  });

  test('quotes strings and keys exactly as JSON.stringify does', () => {
    for (const v of STRINGS) {
      expect(stableStringify(v)).toBe(JSON.stringify(v));
      expect(stableStringify({ [v]: v })).toBe(JSON.stringify({ [v]: v }));
    }
  });

  test('sorts keys that are out of order, keeps sorted ones', () => {
    expect(stableStringify({ b: 1, a: 2, B: 3, '10': 4, '9': 5 })).toBe(reference({ b: 1, a: 2, B: 3, '10': 4, '9': 5 }));
    expect(stableStringify({ a: 1, b: { c: 2, d: 3 } })).toBe('{"a":1,"b":{"c":2,"d":3}}');
  });

  test('throws on BigInt like JSON.stringify, and the next call is unaffected', () => {
    expect(() => stableStringify({ a: [1, BigInt(2)] })).toThrow();
    expect(stableStringify({ a: [1] })).toBe('{"a":[1]}');
  });

  test('calls in a row do not see each other (a large value, then small ones)', () => {
    const big = { items: Array.from({ length: 500 }, (_, i) => ({ i, name: `n${i}` })) };
    expect(stableStringify(big)).toBe(reference(big));
    expect(stableStringify({ b: 'x', a: [true, false] })).toBe('{"a":[true,false],"b":"x"}');
    expect(stableStringify([])).toBe('[]');
    expect(stableStringify(big)).toBe(reference(big));
  });

  test('equals the reference implementation on 2,000 generated values', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const v = randomValue(seed * 7919);
      expect(stableStringify(v)).toBe(reference(v));
    }
  });

  test('pod-template-hash of a template is unchanged (value pinned before the rewrite)', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }] } };
    expect(podTemplateHash(template)).toBe('76ddffd7cc');
  });
});

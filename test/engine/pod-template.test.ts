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

/** A deterministic pseudo-random JSON-ish value (LCG), with the odd cases mixed in. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s; };
  const pick = next() % (depth > 3 ? 6 : 9);
  switch (pick) {
    case 0: return null;
    case 1: return next() % 2 === 0;
    case 2: return (next() % 20000) - 10000 + (next() % 4 === 0 ? 0.5 : 0);
    case 3: return ['', 'web', 'quote"and\\back', 'line\nbreak', 'é ü 漢', '\u0001ctl', 'http'][next() % 7];
    case 4: return undefined;
    case 5: return Number.NaN;
    case 6: return Array.from({ length: next() % 4 }, (_, i) => randomValue(next() + i, depth + 1));
    default: {
      const keys = ['b', 'a', 'z', 'A', 'ports', 'é', 'a.b/c', '"q"', '10', '2'];
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

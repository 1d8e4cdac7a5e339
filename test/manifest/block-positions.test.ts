/**
 * The line walk of block-style documents (lib/manifest/block-positions.ts) must give exactly the
 * field positions `yaml`'s document model gives, on every path of every document, or decline.
 */
import * as fs from 'fs';
import { stringify } from 'yaml';
import { appObjects } from '../../bench/validate-set';
import { BlockPositions } from '../../lib/manifest/block-positions';
import { readWithJsYaml, readWithYaml } from '../../lib/manifest/parse';
import { repoYamlFiles } from './yaml-corpus';

/** Every path of `v`, plus a missing key, a missing index and a path through a scalar at each level. */
function* paths(v: unknown, pre: PropertyKey[] = []): Generator<PropertyKey[]> {
  yield pre;
  yield [...pre, 'missing', 'deeper'];
  yield [...pre, 0];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* paths(v[i], [...pre, i]);
    yield [...pre, v.length];
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) yield* paths((v as Record<string, unknown>)[k], [...pre, k]);
  }
}

/** Compares both answers on every path of every document; returns how many documents the walk took. */
function agrees(text: string): number {
  let taken = 0;
  for (const reader of [readWithJsYaml(text), readWithYaml(text)]) {
    if (reader === undefined) continue;
    for (const d of reader.documents) {
      if (d.value === null || d.value === undefined) continue;
      const pos = d.positions as unknown as { text: string; start: number; end: number };
      if (BlockPositions.parse(pos.text.slice(pos.start, pos.end)) !== undefined) taken++;
      for (const p of paths(d.value)) expect([p, d.positions.locate(p)]).toEqual([p, d.positions.locateWithYaml(p)]);
    }
  }
  return taken;
}

const CASES: Record<string, string> = {
  'nested block maps and sequences': 'a:\n  b:\n    - x\n    - y\n  c: 1\nd: e\n',
  'a compact sequence at the key\'s indentation': 'a:\n- 1\n- 2\nb: 3\n',
  'mappings inside sequence items': 'items:\n  - name: a\n    port: 80\n  -   name: b\n      port: 81\n  - plain\n',
  'items on the next line': 'items:\n  -\n    name: a\n    port: 80\n  - # c\n    - x\n',
  'core schema scalars as values and keys': 'a: 0o17\nb: 0x1F\n1: x\ntrue: y\n~: z\n.5: w\nyes: v\n',
  'quoted scalars and keys': 'a: "x\\ty"\nb: \'it\'\'s\'\n"e f": 1\n\'g\'\'h\': 2\n"i\\"j": 3\n  # c\n"k" : 4\n',
  'comments everywhere': '# head\na: 1 # one\n# between\nb:   # nested\n  # inside\n  c: x #c\n  d: "q" # after\n  e#f: 1\n',
  'empty flow collections and nulls': 'a: []\nb: {}\nc:\nd: ~\ne:\n  - \n  -\n',
  'flow collections with content': 'a: {b: 1}\nc: [1, 2]\n',
  'block scalars': 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\n\n\nc: 1\nd:\n  - |\n    in a list\n  - >\n    folded\ne: |2\n    x\n',
  'multi-line scalars': 'a: hello\n  world\nb: "hello\n  world"\nc: \'x\n  y\'\nd:\n  - one\n    two\n',
  'anchors, tags and aliases': 'a: &x 1\nb: *x\nc: !!str 2\n',
  'duplicate keys': 'a: 1\na: 2\nb:\n  c: 1\nb: 3\n',
  CRLF: 'a: 1\r\nb:\r\n  - c: 2\r\n    d: 3\r\n',
  'trailing spaces': 'a:   \n  b: 1  \nc: 2 \n',
  'keys with dots, slashes and spaces': 'metadata:\n  labels:\n    app.kubernetes.io/name: web\n    a b: c\n    x:y: z\n',
  'tabs': 'a:\tb\nc: 1\n',
  'a top-level sequence': '- a: 1\n- b: 2\n',
  'nested sequence on one line': 'a:\n  - - 1\n    - 2\n',
  'document markers': '---\na: 1\n--- # two\nb:\n  c: 2\n...\n',
  'indented document': '  a: 1\n  b:\n    c: 2\n',
  'key with trailing spaces before the colon': 'a  : 1\nb :\n  c: 2\n',
  'merge key': 'a: 1\n<<: {b: 2}\n',
};

describe('block positions', () => {
  test.each(Object.entries(CASES))('the line walk agrees with yaml or declines: %s', (_name, text) => {
    agrees(text);
  });

  test('takes what generators write: the benchmark set and varied yaml.stringify layouts', () => {
    const bench = Array.from({ length: 20 }, (_, i) => appObjects(i * 37).map((o) => stringify(o, { sortMapEntries: true, aliasDuplicateObjects: false })).join('---\n')).join('---\n');
    expect(agrees(bench)).toBe(2 * 40); // both readers, 40 documents
    let seed = 11;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const scalars: unknown[] = ['web', 'a b', '80', 80, -1, 0.5, true, 'true', null, '', ' lead', 'x: y', '#x', 'a #b', '- x', 'multi\nline\n', 'multi\nline', 'é', "it's", '"q"', 'tab\there', 'x'.repeat(120) + ' ' + 'y'.repeat(50)];
    const make = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 2 : 5);
      if (k < 2) return scalars[rnd(scalars.length)];
      if (k === 2) return Array.from({ length: rnd(4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}${['', '.io/x', '-y', ' z', ':w'][rnd(5)]}`, make(depth + 1)]));
    };
    let taken = 0;
    for (let i = 0; i < 300; i++) {
      const options = [{}, { indentSeq: false }, { lineWidth: 0 }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultKeyType: 'PLAIN' as const, defaultStringType: 'QUOTE_SINGLE' as const }, { lineWidth: 40, minContentWidth: 10 }][i % 6];
      taken += agrees(stringify({ root: make(0) }, options));
    }
    expect(taken).toBeGreaterThan(300);
  });

  test('agrees on every YAML file of the tests and examples', () => {
    const files = repoYamlFiles();
    let taken = 0;
    for (const f of files) taken += agrees(fs.readFileSync(f, 'utf8'));
    expect(taken).toBeGreaterThan(100);
  });
});

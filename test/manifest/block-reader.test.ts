/**
 * The reader of plain block-style YAML (lib/manifest/block-reader.ts, `readGenerated`) must give
 * exactly js-yaml's documents (values, lines, extents) or decline.
 */
import * as fs from 'fs';
import { isDeepStrictEqual } from 'util';
import { stringify } from 'yaml';
import { appObjects } from '../../bench/validate-set';
import { readGenerated, readWithJsYaml } from '../../lib/manifest/parse';
import { repoYamlFiles } from './yaml-corpus';

/** Compares both readers on `text`; returns whether the block reader took it. */
function agrees(text: string): boolean {
  const fast = readGenerated(text);
  if (fast === undefined) return false;
  const want = readWithJsYaml(text);
  expect(want).toBeDefined();
  const docs = (want?.documents ?? []).filter((d) => d.value !== null && d.value !== undefined);
  expect(fast.documents.map((d) => d.value)).toEqual(docs.map((d) => d.value));
  expect(isDeepStrictEqual(fast.documents.map((d) => d.value), docs.map((d) => d.value))).toBe(true);
  expect(fast.documents.map((d) => d.line)).toEqual(docs.map((d) => d.line));
  // The same text extent for the field lines (start, end, first line).
  expect(fast.documents.map((d) => ({ ...d.positions }))).toEqual(docs.map((d) => ({ ...d.positions })));
  return true;
}

const TAKEN: Record<string, string> = {
  'nested block maps and sequences': 'a:\n  b:\n    - x\n    - y\n  c: 1\nd: e\n',
  'a compact sequence at the key\'s indentation': 'a:\n- 1\n- 2\nb: 3\n',
  'mappings inside sequence items': 'items:\n  - name: a\n    port: 80\n  -   name: b\n      port: 81\n  - plain\n  -\n    name: c\n  -\n',
  'core schema scalars': 'a: 0o17\nb: 0x1F\nc: +5\nd: 012\ne: 1e3\nf: .5\ng: 1.\nh: .inf\ni: ~\nj: -.INF\nk: .NaN\nl: True\nm: FALSE\nn: Null\no: 1_000\np: 0b1\nq: yes\nr: -0\ns:\nt: null\n',
  'strings that look special': 'a: "80"\nb: \'true\'\nc: x:y\nd: -U\ne: http://x:8080/y#z\nf: 1.2.3\ng: a [b] {c}, d\nh: :x\ni: ?y\nj: a#b\n',
  'quoted scalars': 'a: "x y"\nb: \'it\'\'s\'\nc: ""\nd: \'\'\n"e f": 1\n\'g\': 2\n"h" : 3 # c\n',
  'comments everywhere': '# head\na: 1 # one\n# between\nb:   # nested\n  # inside\n  c: x #c\n  d: "q" # after\n',
  'empty flow collections and nulls': 'a: []\nb: {}\nc:\nd: ~\ne:\n  - \n  -\n',
  'several documents and markers': '---\na: 1\n--- # two\nb: 2\n---\n---\n# only a comment\n---\nc: 3\n---\n',
  'a top-level sequence': '- a: 1\n- b: 2\n',
  'keys with dots, slashes and dashes': 'metadata:\n  labels:\n    app.kubernetes.io/name: web\n    netkit.io/suppress.pod-host-network: "because"\n    -x: 1\n',
  'trailing spaces': 'a:   \n  b: 1  \nc: 2 \n',
  'only comments': '# nothing\n',
  'empty text': '',
};

const DECLINED: Record<string, string> = {
  'block scalars': 'a: |\n  x\n',
  'multi-line plain scalar': 'a: hello\n  world\n',
  'multi-line quoted scalar': 'a: "hello\n  world"\n',
  'escapes': 'a: "x\\ty"\n',
  'flow content': 'a: {b: 1}\n',
  anchors: 'a: &x 1\n',
  tags: 'a: !!str 1\n',
  'typed keys': '1: a\n',
  'null key': '~: a\n',
  'duplicate keys': 'a: 1\na: 2\n',
  tabs: 'a:\tb\n',
  CRLF: 'a: 1\r\nb: 2\r\n',
  directives: '%YAML 1.2\n---\na: 1\n',
  'document end marker': 'a: 1\n...\n',
  'top-level scalar': 'hello\n',
  '__proto__ key': '__proto__: 1\n',
  'nested sequence on one line': '- - 1\n',
  'nested mapping on one line': 'a: b: c\n',
  'bad indentation': 'a:\n    b: 1\n  c: 2\n',
  'content on the marker line': '--- a: 1\n',
  'merge key': 'a: 1\n<<: {b: 2}\n',
};

describe('block-style reader', () => {
  test.each(Object.entries(TAKEN))('takes and agrees with js-yaml: %s', (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  test.each(Object.entries(DECLINED))('declines: %s', (_name, text) => {
    expect(readGenerated(text)).toBeUndefined();
  });

  test('takes what generators write: the benchmark set and varied yaml.stringify layouts', () => {
    const bench = Array.from({ length: 40 }, (_, i) => appObjects(i * 37).map((o) => stringify(o, { sortMapEntries: true, aliasDuplicateObjects: false })).join('---\n')).join('---\n');
    expect(agrees(bench)).toBe(true);
    let seed = 5;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const scalars: unknown[] = ['web', 'a b', '80', 80, -1, 0.5, true, 'true', null, '', ' lead', 'trail ', 'x: y', '#x', 'a #b', '- x', 'é', '0o17', '1e3', '~', 'null', "it's", '"q"', 2 ** 70, '1_000', '0b1', 'yes', '-0', -0, 1e21, '.5', 'x'.repeat(90)];
    const make = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 2 : 5);
      if (k < 2) return scalars[rnd(scalars.length)];
      if (k === 2) return Array.from({ length: rnd(4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}${['', '.io/x', '-y', ' z', '#w'][rnd(5)]}`, make(depth + 1)]));
    };
    let taken = 0;
    for (let i = 0; i < 400; i++) {
      const options = [{}, { indentSeq: false }, { lineWidth: 0 }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultKeyType: 'PLAIN' as const, defaultStringType: 'QUOTE_SINGLE' as const }][i % 5];
      const docs = [make(0), make(0)].map((v) => stringify({ root: v }, options));
      if (agrees(docs.join('---\n'))) taken++;
    }
    expect(taken).toBeGreaterThan(100);
  });

  test('agrees on every YAML file of the tests and examples', () => {
    const files = repoYamlFiles();
    let taken = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      if (readWithJsYaml(text) === undefined) continue;
      if (agrees(text)) taken++;
    }
    expect(taken).toBeGreaterThan(10);
  });
});

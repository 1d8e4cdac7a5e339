/**
 * The loader's two YAML readers: js-yaml (fast, YAML 1.2 core schema) must give exactly the
 * `yaml` package's values, document lines and field positions, or decline so that the loader
 * uses `yaml` (aliases, duplicate keys, syntax errors).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { stringify } from 'yaml';
import { appObjects } from '../../bench/validate-set';
import { fieldPathSegments } from '../../lib/manifest/locate';
import { readWithJsYaml, readWithYaml } from '../../lib/manifest/parse';

/** js-yaml's result must be undefined or equal to `yaml`'s; returns whether it was taken. */
function agrees(text: string): boolean {
  const fast = readWithJsYaml(text);
  if (fast === undefined) return false;
  const want = readWithYaml(text);
  expect(want.errors).toEqual([]);
  const values = (r: typeof want): unknown[] => r.documents.map((d) => d.value).filter((v) => v !== null);
  expect(values(fast)).toEqual(values(want));
  // toEqual treats -0/+0 and NaN loosely; the values must be strictly identical.
  expect(isDeepStrictEqual(values(fast), values(want))).toBe(true);
  const lines = (r: typeof want): number[] => r.documents.filter((d) => d.value !== null).map((d) => d.line);
  expect(lines(fast)).toEqual(lines(want));
  return true;
}

const TAKEN: Record<string, string> = {
  'nested block maps and sequences': 'a:\n  b:\n    - x\n    - y\n  c: 1\nd: e\n',
  'a compact sequence at the key\'s indentation': 'a:\n- 1\n- 2\nb: 3\n',
  'mappings inside sequence items': 'items:\n  - name: a\n    port: 80\n  -   name: b\n      port: 81\n  - plain\n',
  'core schema scalars': 'a: 0o17\nb: 0x1F\nc: +5\nd: 012\ne: 1e3\nf: .5\ng: 1.\nh: .inf\ni: ~\nj: -.INF\nk: .NaN\nl: True\nm: FALSE\nn: Null\no: 1_000\np: 0b1\nq: yes\nr: -0\n',
  'strings that look special': 'a: "80"\nb: \'true\'\nc: x:y\nd: -U\ne: http://x:8080/y#z\nf: 1.2.3\ng: a [b] {c}, d\nh: :x\ni: ?y\n',
  'quoted scalars with escapes': 'a: "x\\ty\\n\\"q\\" \\\\ \\u00e9 \\x41"\nb: \'it\'\'s\'\nc: ""\nd: \'\'\n"e f": 1\n\'g\': 2\n',
  'comments everywhere': '# head\na: 1 # one\n# between\nb:   # nested\n  # inside\n  c: x #c\n  d: "q" # after\n',
  'empty flow collections and nulls': 'a: []\nb: {}\nc:\nd: ~\ne:\n  - \n  -\n',
  'literal block scalars': 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\n\n\nc: 1\nd:\n  - |\n    in a list\n',
  'several documents and markers': '---\na: 1\n--- # two\nb: 2\n---\n---\n# only a comment\n---\nc: 3\n',
  'a top-level sequence': '- a: 1\n- b: 2\n',
  'keys with dots, slashes and dashes': 'metadata:\n  labels:\n    app.kubernetes.io/name: web\n    netkit.io/suppress.pod-host-network: "because"\n',
};

/** Read by js-yaml too now; kept as cases where the two readers must agree. */
const ALSO_AGREE: Record<string, string> = {
  'flow collections with content': 'a: {b: 1}\n',
  tags: 'a: !!str 1\n',
  'multi-line plain scalar': 'a: hello\n  world\n',
  'multi-line quoted scalar': 'a: "hello\n  world"\n',
  'folded block scalar': 'a: >\n  x\n',
  'keep chomping': 'a: |+\n  x\n',
  'block scalar at the end without newline': 'a: |\n  x',
  'non-string keys': '1: a\n',
  tabs: 'a:\tb\n',
  CRLF: 'a: 1\r\nb: 2\r\n',
  directives: '%YAML 1.2\n---\na: 1\n',
  'document end marker': 'a: 1\n...\n',
  'top-level scalar': 'hello\n',
  'indented document': '  a: 1\n',
  '__proto__ key': '__proto__: 1\n',
  'nested sequence on one line': '- - 1\n',
};

const FALLS_BACK: Record<string, string> = {
  aliases: 'a: &x 1\nb: *x\n',
  'duplicate keys': 'a: 1\na: 2\n',
  'bad indentation': 'a:\n    b: 1\n  c: 2\n',
  'unknown escape': 'a: "\\q"\n',
  'nested mapping on one line': 'a: b: c\n',
  'content on the document marker line': '--- a: 1\n',
};

describe('YAML readers', () => {
  test.each(Object.entries(TAKEN))('js-yaml agrees with yaml: %s', (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  test.each(Object.entries(ALSO_AGREE))('js-yaml agrees with yaml or declines: %s', (_name, text) => {
    agrees(text);
  });

  test.each(Object.entries(FALLS_BACK))('js-yaml declines, yaml reads or reports it: %s', (_name, text) => {
    expect(readWithJsYaml(text)).toBeUndefined();
  });

  test('yaml reports a syntax error with its line', () => {
    expect(readWithYaml('a: 1\nb:\n    c: 1\n  d: 2\n').errors[0]?.line).toBe(4);
  });

  test('reads what cdk8s writes: the examples\' dist/ and the benchmark set', () => {
    const dist = path.join(__dirname, '..', '..', 'dist');
    const files = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dist, f)) : [];
    for (const f of files) expect(agrees(fs.readFileSync(f, 'utf8'))).toBe(true);
    const bench = Array.from({ length: 40 }, (_, i) => appObjects(i * 37).map((o) => stringify(o, { sortMapEntries: true, aliasDuplicateObjects: false })).join('---\n')).join('---\n');
    expect(agrees(bench)).toBe(true);
  });

  test('agrees on every corpus manifest (hand-written, mostly flow style)', () => {
    const corpus = path.join(__dirname, '..', 'rules', 'corpus');
    let taken = 0;
    for (const rule of fs.readdirSync(corpus)) {
      for (const f of fs.readdirSync(path.join(corpus, rule))) if (agrees(fs.readFileSync(path.join(corpus, rule, f), 'utf8'))) taken++;
    }
    expect(taken).toBeGreaterThan(100);
  });

  test('round trips of varied objects (yaml.stringify with several layouts) agree', () => {
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const scalars: unknown[] = ['web', 'a b', '80', 80, -1, 0.5, true, 'true', null, '', ' lead', 'trail ', 'x: y', '#x', 'a #b', '- x', 'multi\nline\n', 'multi\nline', 'é', '0o17', '1e3', '~', 'null', "it's", '"q"', 'tab\there', 2 ** 70, '1_000', '0b1', 'yes', '2024-01-01'];
    const make = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 2 : 5);
      if (k < 2) return scalars[rnd(scalars.length)];
      if (k === 2) return Array.from({ length: rnd(4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}${['', '.io/x', '-y', ' z'][rnd(4)]}`, make(depth + 1)]));
    };
    let taken = 0;
    for (let i = 0; i < 300; i++) {
      const value = { root: make(0) };
      const options = [{}, { indentSeq: false }, { lineWidth: 0 }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultKeyType: 'PLAIN' as const, defaultStringType: 'QUOTE_SINGLE' as const }][i % 5];
      if (agrees(stringify(value, options))) taken++;
    }
    expect(taken).toBe(300);
  });

  test('field positions are the same through either reader', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'rules', 'lines', 'block.yaml'), 'utf8') + TAKEN['mappings inside sequence items'].replace(/^/, '---\n') + '---\n' + TAKEN['literal block scalars'];
    const fast = readWithJsYaml(text);
    const slow = readWithYaml(text);
    expect(fast).toBeDefined();
    let checked = 0;
    fast?.documents.forEach((d, i) => {
      const other = slow.documents[i];
      const walk = (v: unknown, p: PropertyKey[]): void => {
        expect([p, d.positions.locate([...p, 'missing'])]).toEqual([p, other.positions.locate([...p, 'missing'])]);
        checked++;
        if (Array.isArray(v)) v.forEach((x, j) => walk(x, [...p, j]));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
      };
      walk(d.value, []);
    });
    expect(checked).toBeGreaterThan(50);
  });
});

describe('fieldPathSegments', () => {
  const obj = { metadata: { labels: { 'app.kubernetes.io/name': 'x', app: 'y' }, annotations: { 'netkit.io/suppress.a': '' } }, spec: { ports: [{ port: 80 }, { name: 'b' }] } };
  test.each([
    ['spec.ports[1].name', ['spec', 'ports', 1, 'name']],
    ['metadata.labels.app.kubernetes.io/name', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['metadata.labels.app', ['metadata', 'labels', 'app']],
    ['metadata.annotations["netkit.io/suppress.a"]', ['metadata', 'annotations', 'netkit.io/suppress.a']],
    ['spec.ports[1].targetPort', ['spec', 'ports', 1, 'targetPort']],
    ['spec.loadBalancerSourceRanges', ['spec', 'loadBalancerSourceRanges']],
    ['spec.ports[5].port', ['spec', 'ports', 5]],
    ['', []],
  ])('%s', (p, want) => {
    expect(fieldPathSegments(p, obj)).toEqual(want);
  });
});

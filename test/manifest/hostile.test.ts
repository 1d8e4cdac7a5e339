/**
 * Reading untrusted files and text: special files refused before any read, symlinks, skipped
 * directories, size limits, encodings, strict JSON, nesting/alias/scalar limits, merge keys, Lists.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests, skippedSummary } from '../../lib/manifest/load';
import { decodeManifestBytes } from '../../lib/manifest/decode';
import { MAX_NESTING_DEPTH, nestingTooDeep, parseManifestText } from '../../lib/manifest/parse';
import { fromObjects } from '../../lib/manifest/objects';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-hostile-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

function write(rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

describe('files', () => {
  test('a FIFO, given or found in a directory, is refused without blocking', () => {
    write('ok.yaml', SVC);
    const fifo = path.join(dir, 'x.yaml');
    execFileSync('mkfifo', [fifo]);
    for (const r of [loadManifests([fifo]), loadManifests([dir])]) {
      expect(r.errors.map((e) => e.toString())).toEqual([expect.stringMatching(/x\.yaml: not a regular file: a FIFO/)]);
    }
  });

  test('a device is refused, given directly or through a followed link', () => {
    expect(loadManifests(['/dev/zero']).errors[0].message).toBe('not a regular file: a character device');
    write('ok.yaml', SVC);
    fs.symlinkSync('/dev/zero', path.join(dir, 'z.yaml'));
    const skipped = loadManifests([dir]);
    expect(skipped.errors).toEqual([]);
    expect(skipped.skipped).toEqual([{ path: path.join(dir, 'z.yaml'), reason: 'symlink-outside' }]);
    expect(loadManifests([dir], { followSymlinks: true }).errors[0].toString()).toMatch(/z\.yaml: not a regular file: a character device/);
  });

  test('links back to a containing directory are loops, walked once; the same file is read once', () => {
    write('ok.yaml', SVC);
    fs.symlinkSync('.', path.join(dir, 'a'));
    fs.symlinkSync('.', path.join(dir, 'b'));
    fs.symlinkSync('ok.yaml', path.join(dir, 'same.yaml'));
    const r = loadManifests([dir]);
    expect(r.errors).toEqual([]);
    expect(r.objects).toHaveLength(1);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(['already-read', 'symlink-loop', 'symlink-loop']);
    expect(skippedSummary(r.skipped)).toMatch(/2 symlink loops/);
  });

  test('a file symlink loop and a dangling link are errors naming the link', () => {
    fs.symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
    fs.symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
    fs.symlinkSync('gone.yaml', path.join(dir, 'c.yaml'));
    const messages = loadManifests([dir]).errors.map((e) => e.toString());
    expect(messages).toEqual([
      expect.stringMatching(/a\.yaml: symlink loop/), expect.stringMatching(/b\.yaml: symlink loop/), expect.stringMatching(/c\.yaml: dangling symlink/),
    ]);
  });

  test('node_modules, .git and hidden directories are skipped, and --exclude patterns', () => {
    write('ok.yaml', SVC);
    for (const d of ['node_modules/x', '.git', '.cache', 'charts']) write(`${d}/bad.yaml`, ': :\n');
    const r = loadManifests([dir], { exclude: ['charts/'] });
    expect(r.errors).toEqual([]);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(['.git', 'excluded', 'hidden', 'node_modules']);
    // Named on the command line, a skipped directory is read.
    expect(loadManifests([path.join(dir, 'charts')]).errors.length).toBeGreaterThan(0);
  });

  test('files over the size limit are refused before reading', () => {
    const p = write('big.yaml', `# ${'x'.repeat(2048)}\n${SVC}`);
    expect(loadManifests([p], { maxFileBytes: 1024 }).errors[0].toString()).toMatch(/big\.yaml: file is 2\d{3} bytes, over the 1024 bytes limit/);
    expect(loadManifests([p], { maxFileBytes: 4096 }).errors).toEqual([]);
  });
});

describe('encodings', () => {
  test('byte order marks select UTF-16 and UTF-32; the text is the same', () => {
    const le = Buffer.from(`\ufeff${SVC}`, 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    const cps = [...`\ufeff${SVC}`].map((c) => c.codePointAt(0) as number);
    const u32 = Buffer.alloc(cps.length * 4);
    cps.forEach((cp, i) => u32.writeUInt32LE(cp, i * 4));
    for (const b of [le, be, u32, Buffer.from(`\ufeff${SVC}`)]) expect(decodeManifestBytes(b)).toEqual({ text: SVC });
  });

  test('invalid UTF-8 is an error with its line', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: 2\nc: '), Buffer.from([0xff]), Buffer.from('\n')]);
    expect(decodeManifestBytes(bytes)).toEqual({ error: 'invalid UTF-8 (byte 0xff at offset 13)', line: 3 });
    const p = write('bad.yaml', bytes);
    expect(loadManifests([p]).errors[0].toString()).toMatch(/bad\.yaml:3: invalid UTF-8/);
  });
});

describe('parsing limits', () => {
  test('nesting past the limit is an error with its line, below it parses', () => {
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(nestingTooDeep(`a: 1\nb: ${deep(MAX_NESTING_DEPTH + 5)}\n`, MAX_NESTING_DEPTH)).toBe(2);
    expect(nestingTooDeep(`a: ${deep(100)}\n`, MAX_NESTING_DEPTH)).toBe(0);
    const block = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(parseManifestText(block, 'f.yaml').errors[0].toString()).toMatch(/^f\.yaml:25\d: nesting deeper than 256 levels/);
    // Block scalars, quotes and brackets inside strings do not count.
    expect(nestingTooDeep(`a: |\n  ${'['.repeat(1000)}\nb: "${'{'.repeat(1000)}"\nc: x[${'['.repeat(300)}\n`, MAX_NESTING_DEPTH)).toBe(0);
  });

  test('an alias bomb is an error on its document\'s line', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const r = parseManifestText(`${SVC}---\n${lines.join('\n')}\n`, 'bomb.yaml');
    expect(r.errors.map((e) => e.toString())).toEqual([expect.stringMatching(/^bomb\.yaml:8: too many alias expansions/)]);
  });

  test('a scalar over 3 MiB is an error on its field', () => {
    const r = parseManifestText(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  big: ${'x'.repeat(3 * 1024 * 1024 + 1)}\n`, 'c.yaml');
    expect(r.errors.map((e) => e.location)).toEqual(['c.yaml:6 data.big']);
  });

  test('control characters and unknown tags are syntax errors with their line', () => {
    expect(parseManifestText(`${SVC}# \u0007\n`, 'c.yaml').errors[0].toString()).toMatch(/^c\.yaml:7: control character U\+0007/);
    expect(parseManifestText('apiVersion: v1\nkind: !custom Service\n', 't.yaml').errors[0].toString()).toMatch(/^t\.yaml:2: /);
  });

  // Expected values from running apimachinery v0.36.3's NewYAMLOrJSONDecoder on the same texts.
  const names = (text: string): unknown[] => parseManifestText(text, 's.json').objects.map((o) => o.ref.name);
  const cm = (name: string, extra = ''): string => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "${name}"${extra}}}`;

  test('a text starting with `{` is JSON where it parses, and YAML where kubectl falls back to YAML', () => {
    // Trailing commas and unquoted keys: JSON fails on the first value, YAML reads it (kubectl loads these).
    expect(names(`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a",},}`)).toEqual(['a']);
    expect(names('{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}')).toEqual(['b']);
    // Comments are neither: the JSON error is reported, with its line.
    const r = parseManifestText('{\n  // a comment\n  "apiVersion": "v1"\n}\n', 'a.json');
    expect(r.errors.map((e) => e.toString())).toEqual([expect.stringMatching(/^a\.json:2: invalid JSON/)]);
    expect(parseManifestText('[{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}]', 'a.json').objects).toHaveLength(1);
  });

  test('JSON objects back to back are a stream, as kubectl reads them', () => {
    expect(names(`${cm('a')}${cm('b')}\n${cm('c')}`)).toEqual(['a', 'b', 'c']);
    // After two objects the stream is JSON: a later syntax error stands, with its line.
    const r = parseManifestText(`${cm('a')}\n${cm('b')}\n{"apiVersion": \n`, 's.json');
    expect(r.objects.map((o) => o.ref.name)).toEqual(['a', 'b']);
    expect(r.errors.map((e) => e.toString())).toEqual([expect.stringMatching(/^s\.json:4: invalid JSON/)]);
    // After one object, the rest is YAML (more documents), with the file's lines.
    const mixed = parseManifestText(`${cm('a')}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`, 'm.json');
    expect(mixed.errors).toEqual([]);
    expect(mixed.objects.map((o) => [o.ref.name, o.source?.line])).toEqual([['a', 1], ['b', 2], ['c', 6]]);
    // ...and when that YAML fails before its first document, kubectl reports the JSON error.
    expect(parseManifestText(`${cm('a')}\n: : bad\n`, 'b.json').errors.map((e) => e.toString())).toEqual([expect.stringMatching(/^b\.json:2: invalid JSON/)]);
    // The second object's field lines are found in it, not in the first.
    const located = parseManifestText(`${cm('a')}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"},\n "data": {"k": "v"}}`, 'l.json');
    expect(located.objects[1].locator?.locate(['data', 'k']).line).toBe(3);
  });
});

describe('values', () => {
  test('merge keys merge as kubectl reads them', () => {
    const r = parseManifestText('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - &p {port: 80, protocol: TCP, name: a}\n  - <<: *p\n    port: 81\n    name: b\n', 's.yaml');
    expect(r.errors).toEqual([]);
    expect((r.objects[0].raw.spec as { ports: unknown[] }).ports).toEqual([{ port: 80, protocol: 'TCP', name: 'a' }, { port: 81, protocol: 'TCP', name: 'b' }]);
  });

  test('nested Lists flatten the same from files and from memory', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }] }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } }] };
    const fromFile = parseManifestText(JSON.stringify(list), 'l.json', { json: true }).objects.map((o) => o.ref.name);
    const fromMemory = fromObjects([list]).objects.map((o) => o.ref.name);
    expect(fromFile).toEqual(['a', 'b']);
    expect(fromMemory).toEqual(fromFile);
  });

  test('300,000 objects load (past where an argument spread overflows; 130,000 in one file are in the corpus)', () => {
    const objects = Array.from({ length: 300_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } }));
    const r = fromObjects([{ apiVersion: 'v1', kind: 'List', items: objects }]);
    expect(r.errors).toEqual([]);
    expect(r.objects).toHaveLength(300_000);
  });
});

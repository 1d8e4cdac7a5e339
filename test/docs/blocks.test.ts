/** The pieces of the docs checker: block extraction with directives, shell splitting, output matching. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { matchOutput, readBlocks, splitShell } from './blocks';

describe('readBlocks', () => {
  test('blocks with their language, line, code and the directive before them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-blocks-'));
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, [
      '# T', '', '```sh', 'npx netkit routes dist/', '```', '',
      '<!-- docs: skip needs a cluster -->', '', '```ts', 'const a = 1;', '```',
      '<!-- docs: output -->', '```', '$ netkit x', 'out', '```', '',
    ].join('\n'));
    expect(readBlocks('a.md', file)).toEqual([
      { file: 'a.md', line: 3, lang: 'sh', code: 'npx netkit routes dist/\n' },
      { file: 'a.md', line: 9, lang: 'ts', code: 'const a = 1;\n', directive: { name: 'skip', arg: 'needs a cluster' } },
      { file: 'a.md', line: 13, lang: '', code: '$ netkit x\nout\n', directive: { name: 'output', arg: '' } },
    ]);
    fs.writeFileSync(file, '```ts\nnever closed\n');
    expect(() => readBlocks('a.md', file)).toThrow('a.md:1: code block never closed');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('splitShell', () => {
  test('words, quotes, a comment with the exit code, a redirection', () => {
    expect(splitShell(`npx netkit trace dist/ http://x/ -H 'X-Canary: yes'   # exit 2: no route`)).toEqual({
      words: ['npx', 'netkit', 'trace', 'dist/', 'http://x/', '-H', 'X-Canary: yes'], comment: 'exit 2: no route', complex: false,
    });
    expect(splitShell('npx netkit validate dist/ -o sarif > netkit.sarif')).toEqual({ words: ['npx', 'netkit', 'validate', 'dist/', '-o', 'sarif'], redirect: 'netkit.sarif', comment: undefined, complex: false });
    expect(splitShell("npx netkit reach d --from 'tier in (a,b)'").complex).toBe(false);
  });

  test('pipes, chains, variables and globs are marked complex (never run as a netkit line)', () => {
    for (const line of ['npm ci && npm run synth', 'netkit routes dist/ | head', 'export X=$PWD/a', 'netkit validate *.yaml', 'cat "$HOME"']) {
      expect([line, splitShell(line).complex]).toEqual([line, true]);
    }
  });
});

describe('matchOutput', () => {
  test('lines match exactly; ... stands for any number of lines', () => {
    expect(matchOutput(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(matchOutput(['a', 'b'], ['a', 'c'])).toBe(false);
    expect(matchOutput(['a', '...', 'z'], ['a', 'b', 'c', 'z'])).toBe(true);
    expect(matchOutput(['a', '...', 'z'], ['a', 'z'])).toBe(true);
    expect(matchOutput(['a', '...', 'z'], ['a', 'b'])).toBe(false);
    expect(matchOutput(['a'], ['a', 'extra'])).toBe(false);
  });
});

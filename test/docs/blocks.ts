/**
 * Code blocks of the Markdown docs and the directive before each (see docs/docs-tests.md):
 * `<!-- docs: skip REASON -->`, `<!-- docs: continue -->`, `<!-- docs: run -->`,
 * `<!-- docs: file NAME -->`, `<!-- docs: paths -->`, `<!-- docs: output -->`.
 */
import * as fs from 'fs';

/** One fenced block. */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word (`ts`, `sh`, ...); empty for a bare fence. */
  readonly lang: string;
  readonly code: string;
  /** The directive in the HTML comment right before the fence (blank lines allowed between). */
  readonly directive?: { readonly name: string; readonly arg: string };
}

const DIRECTIVE = /^<!--\s*docs:\s*([a-z-]+)\s*(.*?)\s*-->$/;

/** The blocks of `file` (path relative to the repo root, for messages) read from `absolute`. */
export function readBlocks(file: string, absolute: string): DocBlock[] {
  const lines = fs.readFileSync(absolute, 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    let p = i - 1;
    while (p >= 0 && lines[p].trim() === '') p--;
    const d = p >= 0 ? DIRECTIVE.exec(lines[p].trim()) : null;
    blocks.push({
      file, line: i + 1, lang: open[2].toLowerCase(), code: lines.slice(i + 1, end).join('\n') + '\n',
      ...(d ? { directive: { name: d[1], arg: d[2] } } : {}),
    });
    i = end;
  }
  return blocks;
}

/** A shell line split into words, with its `# comment` and one `> file` redirection. */
export interface ShellLine {
  readonly words: readonly string[];
  readonly comment?: string;
  /** The file after `>`, when stdout is redirected. */
  readonly redirect?: string;
  /** True when the line uses what this splitter does not model (pipes, `&&`, `$VAR`, globs...). */
  readonly complex: boolean;
}

/**
 * Split one shell line as POSIX sh would for the simple commands the docs show: words, single
 * and double quotes, a trailing `# comment`, `> file`. Anything else marks the line complex.
 */
export function splitShell(line: string): ShellLine {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let comment: string | undefined;
  let complex = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      const inner = line.slice(i + 1, end);
      if (/[$`\\]/.test(inner)) complex = true;
      word += inner;
      inWord = true;
      i = end;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      comment = line.slice(i + 1).trim();
      break;
    } else {
      if (/[|&;<()$`*?\\]/.test(c)) complex = true;
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const at = words.indexOf('>');
  if (at >= 0) {
    if (at !== words.length - 2) complex = true;
    return { words: words.slice(0, at), comment, redirect: words[at + 1], complex };
  }
  if (words.some((w) => w.startsWith('>') || w.endsWith('>'))) complex = true;
  return { words, comment, complex };
}

/** Expected output lines against actual ones; a line `...` stands for any number of lines. */
export function matchOutput(expected: readonly string[], actual: readonly string[]): boolean {
  const go = (i: number, j: number): boolean => {
    if (i === expected.length) return j === actual.length;
    if (expected[i] === '...') return go(i + 1, j) || (j < actual.length && go(i, j + 1));
    return j < actual.length && expected[i] === actual[j] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/**
 * Colour for the text the CLI prints, on a terminal only. The renderers (lib/report) stay plain;
 * this marks known line shapes (trace results, validator severities, table headers, `error:`
 * lines) after the output was escaped, so colour codes are the only escapes that reach the
 * terminal. picocolors writes the SGR codes; when to colour follows no-color.org. FORCE_COLOR is
 * deliberately not read: test runners set it in their workers, and piped output stays plain.
 */
import pc from 'picocolors';

/** The environment variables that decide colour. */
export interface ColorEnv {
  readonly NO_COLOR?: string;
  readonly TERM?: string;
}

/**
 * Colour is on for a terminal stream only, and off there too when `NO_COLOR` is set to anything
 * non-empty (no-color.org) or `TERM=dumb`.
 */
export function colorEnabled(isTTY: boolean | undefined, env: ColorEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true && env.TERM !== 'dumb';
}

/** A table header: two or more upper-case column names separated by two or more spaces. */
const HEADER = /^(\s*)([A-Z][A-Z()-]*(?: {2,}[A-Z][A-Z()-]*)+)$/;
const SECTION = /^(HTTP entry points|HTTP routes|HTTP problems)$/;

/** Colour the results a command prints (text output only: JSON, YAML and the rest are left alone). */
export function colorStdout(text: string): string {
  const c = pc.createColors(true);
  return text.split('\n').map((line) => {
    let m: RegExpExecArray | null;
    if ((m = /^(result\s+)(OK)(.*)$/.exec(line))) return `${m[1]}${c.bold(c.green(m[2]))}${m[3]}`;
    if ((m = /^(result\s+)(FAIL)(.*)$/.exec(line))) return `${m[1]}${c.bold(c.red(m[2]))}${m[3]}`;
    if ((m = HEADER.exec(line))) return `${m[1]}${c.bold(m[2])}`;
    if (SECTION.test(line)) return c.bold(line);
    // Validator findings: `file:line Kind ns/name path: severity [rule-id] message`.
    if ((m = /^(.*?: )(error|warning|info)( \[[a-z0-9-]+\] .*)$/.exec(line))) {
      const paint = m[2] === 'error' ? c.red : m[2] === 'warning' ? c.yellow : c.cyan;
      return `${m[1]}${c.bold(paint(m[2]))}${m[3]}`;
    }
    if ((m = /^(\s+)(fix:)(.*)$/.exec(line))) return `${m[1]}${c.dim(m[2])}${m[3]}`;
    return line;
  }).join('\n');
}

/** Colour the logs on stderr: `error:` red, `warning:` yellow, notes dim. */
export function colorStderr(text: string): string {
  const c = pc.createColors(true);
  return text.split('\n').map((line) => {
    let m: RegExpExecArray | null;
    if ((m = /^(error:)(.*)$/.exec(line))) return `${c.bold(c.red(m[1]))}${m[2]}`;
    if ((m = /^(warning:)(.*)$/.exec(line))) return `${c.yellow(m[1])}${m[2]}`;
    if (/^(note:|tracing from )/.test(line)) return c.dim(line);
    return line;
  }).join('\n');
}

/**
 * True when the arguments ask for text output, the only output that is coloured: no `-o`/
 * `--output` other than `text` or `wide`, and no HTML on stdout (`graph --html -`).
 */
export function textOutput(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === '-o' || a === '--output') value = argv[i + 1];
    else if (a.startsWith('--output=')) value = a.slice('--output='.length);
    else if (/^-o[^-]/.test(a)) value = a.slice(2);
    else if (a === '--html' && argv[i + 1] === '-') return false;
    if (value !== undefined && value !== 'text' && value !== 'wide') return false;
  }
  return true;
}

/**
 * The corpus expectations as code: the command lines each case runs, and the problems in one
 * command's result. Shared by `corpus.test.ts` and `npm run fuzz`.
 */
import type { CorpusCase } from './corpus';
import { type CliJob, type JobResult, UNSAFE_OUTPUT, internalErrorIn } from './harness';

/** The commands every case goes through. */
export const COMMANDS = ['validate', 'validate-json', 'routes', 'trace', 'trace-url', 'graph', 'apply', 'verify'] as const;
export type CommandName = typeof COMMANDS[number];

/** The argv of `command` on case `c`. */
export function argvFor(c: CorpusCase, command: CommandName): string[] {
  const common = [...(c.options ?? []), ...(c.profile ? ['--profile', c.profile] : [])];
  const none = '/nonexistent/netkit-corpus/kubeconfig';
  switch (command) {
    case 'validate': return ['validate', ...c.paths, ...common];
    case 'validate-json': return ['validate', '-o', 'json', ...c.paths, ...common];
    case 'routes': return ['routes', ...c.paths, ...common];
    case 'trace': return ['trace', c.paths[0], 'web', ...common];
    case 'trace-url': return ['trace', c.paths[0], 'http://web/', ...common];
    case 'graph': return ['graph', '-o', 'json', ...c.paths, ...common];
    case 'apply': return ['apply', ...c.paths, '--applyset', 'corpus', '--dry-run', 'server', '--kubeconfig', none, ...common];
    case 'verify': return ['verify', '--live', ...c.paths, '--kubeconfig', none, ...common];
  }
}

/** Jobs for every case and command (ids `case/command`). */
export function corpusJobs(cases: readonly CorpusCase[], commands: readonly CommandName[] = COMMANDS, heavyCommands: readonly CommandName[] = commands): CliJob[] {
  return cases.flatMap((c) => (c.heavy ? heavyCommands : commands).map((cmd): CliJob => ({ type: 'cli', id: `${c.id}/${cmd}`, argv: argvFor(c, cmd) })));
}

/** Memory past which a run counts as a failure (the issue's 2 GiB). */
export const MAX_RSS = 2 * 1024 * 1024 * 1024;

/** The problems with one command's result on a case; empty when it behaved. */
export function problemsOf(c: CorpusCase, command: CommandName, r: JobResult): string[] {
  const out: string[] = [];
  const id = `${c.id}/${command}`;
  if (r.outcome !== 'done') return [`${id}: ${r.outcome} after ${r.ms} ms${r.detail ? ` (${r.detail})` : ''}`];
  const all = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const internal = internalErrorIn(all);
  if (internal) out.push(`${id}: ${internal}: ${all.slice(0, 600)}`);
  const unsafe = UNSAFE_OUTPUT.exec(all);
  if (unsafe) out.push(`${id}: unescaped U+${unsafe[0].charCodeAt(0).toString(16).padStart(4, '0')} in output`);
  for (const f of c.forbidden ?? []) {
    if (all.split('\n').some((l) => l.trimStart().startsWith(f))) out.push(`${id}: a forged line starting with ${JSON.stringify(f)}`);
  }
  if ((r.maxRss ?? 0) > MAX_RSS) out.push(`${id}: ${Math.round((r.maxRss ?? 0) / 2 ** 20)} MiB resident`);
  const code = r.code;
  const e = c.expect;
  const mentions = (text: string, what: readonly string[]): void => {
    for (const m of what) if (!text.includes(m)) out.push(`${id}: output does not mention ${JSON.stringify(m)}: ${text.slice(0, 400)}`);
  };
  const cluster = command === 'apply' || command === 'verify';
  if (e.kind === 'input-error') {
    if (code !== 1) out.push(`${id}: exit ${code}, expected 1 for an input error`);
    mentions(r.stderr ?? '', e.mentions);
    return out;
  }
  if (cluster) {
    // Valid input gets as far as the (missing) kubeconfig; apply first refuses validator errors.
    if (command === 'apply' && code === 2 && /refusing to apply/.test(r.stderr ?? '')) return out;
    if (code !== 1 || !/kubeconfig|cluster|connect/i.test(r.stderr ?? '')) out.push(`${id}: exit ${code}, expected 1 from the missing kubeconfig: ${(r.stderr ?? '').slice(0, 300)}`);
    return out;
  }
  const allowed: Record<Exclude<CommandName, 'apply' | 'verify'>, number[]> = {
    'validate': e.kind === 'findings' ? [2] : [0, 2], 'validate-json': e.kind === 'findings' ? [2] : [0, 2],
    'routes': [0, 2], 'trace': [0, 2], 'trace-url': [0, 2], 'graph': [0],
  };
  if (!allowed[command].includes(code ?? -1)) out.push(`${id}: exit ${code}, expected ${allowed[command].join(' or ')}: ${(r.stderr ?? '').slice(0, 300)}`);
  // A command that prints an error about the input must not exit 0.
  if (code === 0 && /^error: /m.test(r.stderr ?? '')) out.push(`${id}: printed an error but exited 0`);
  if (command === 'validate' && e.mentions) mentions(all, e.mentions);
  return out;
}

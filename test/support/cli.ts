/** Runs the CLI in-process, as the command-line tests do, capturing what it writes. */
import { runCli } from '../../lib/cli/main';

/** Exit code, stdout and stderr of `netkit ...argv`. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

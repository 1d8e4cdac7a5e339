import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../../lib/cli/main';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('netkit --version', () => {
  test.each([['--version'], ['-V']])('%s prints the package version on stdout and exits 0', async (flag) => {
    const { code, out, err } = await cli([flag]);
    expect({ code, out, err }).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });
});

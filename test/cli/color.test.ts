/** Colour on a terminal only (picocolors), never with NO_COLOR, never in JSON or YAML. */
/* eslint-disable no-control-regex -- these tests assert on the terminal escape codes themselves */
import * as path from 'path';
import { runCli } from '../../lib/cli/main';
import { colorEnabled, textOutput } from '../../lib/cli/color';

const SHOP = path.join(__dirname, 'fixtures', 'shop');
const ESC = '\u001b[';

async function run(argv: string[], tty: boolean, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s), isTTY: tty, columns: 200 },
    stderr: { write: (s: string) => (err += s), isTTY: tty },
  }, env);
  return { code, out, err };
}

const strip = (s: string): string => s.replace(/\u001b\[\d+m/g, '');

describe('colour', () => {
  test('a terminal gets coloured results and logs; removing the codes gives the plain text', async () => {
    const tty = await run(['trace', SHOP, 'web.shop:80', '--from', 'app=client'], true, { TERM: 'xterm-256color' });
    const plain = await run(['trace', SHOP, 'web.shop:80', '--from', 'app=client'], false);
    expect(tty.out).toContain(`result ${ESC}1m${ESC}32mOK${ESC}39m${ESC}22m`);
    expect(tty.err).toMatch(/^\u001b\[2mtracing from pod default\/client/);
    expect(strip(tty.out)).toBe(plain.out);
    expect(strip(tty.err)).toBe(plain.err);
    expect(plain.out).not.toContain(ESC);
  });

  test('a failing trace is red; validator severities and table headers are marked', async () => {
    expect((await run(['trace', SHOP, 'broken.shop', '--from', 'default/client'], true)).out).toContain(`${ESC}31mFAIL`);
    const v = await run(['validate', SHOP], true);
    expect(v.out).toMatch(/: \u001b\[1m\u001b\[3[13]m(error|warning)\u001b\[39m\u001b\[22m \[/);
    expect((await run(['routes', SHOP], true)).out.split('\n')[0]).toMatch(/^\u001b\[1mSERVICE {2,}TYPE/);
    expect((await run(['trace', SHOP, 'web.shop', '--from', 'nobody'], true)).err).toMatch(/^\u001b\[1m\u001b\[31merror:/);
  });

  test('NO_COLOR (non-empty), TERM=dumb and a pipe turn it off', async () => {
    for (const [tty, env] of [[true, { NO_COLOR: '1' }], [true, { TERM: 'dumb' }], [false, {}]] as const) {
      const r = await run(['validate', SHOP], tty, env);
      expect(r.out + r.err).not.toContain(ESC);
    }
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
  });

  test('JSON, YAML and HTML on stdout are never coloured, even on a terminal', async () => {
    for (const format of ['json', 'yaml']) {
      const r = await run(['validate', SHOP, '-o', format], true);
      expect(r.out).not.toContain(ESC);
    }
    expect(textOutput(['routes', 'dist/', '-o', 'wide'])).toBe(true);
    expect(textOutput(['routes', 'dist/', '--output=json'])).toBe(false);
    expect(textOutput(['routes', 'dist/', '-ojson'])).toBe(false);
    expect(textOutput(['graph', 'dist/', '--html', '-'])).toBe(false);
  });
});

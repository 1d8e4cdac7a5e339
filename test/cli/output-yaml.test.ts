/** `-o yaml` wherever `-o json` exists: the same document, in YAML. */
import * as path from 'path';
import { parse } from 'yaml';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, 'fixtures', 'shop');

describe('-o yaml', () => {
  test.each([
    ['routes', ['routes', SHOP]],
    ['routes --http', ['routes', SHOP, '--http']],
    ['trace', ['trace', SHOP, 'web.shop:80', '--from', 'default/client']],
    ['trace of a failing connection', ['trace', SHOP, 'broken.shop', '--from', 'default/client']],
    ['trace of a URL', ['trace', SHOP, 'http://web.shop/', '--from', 'default/client']],
    ['validate', ['validate', SHOP]],
    ['reach', ['reach', SHOP]],
    ['diff', ['diff', SHOP, SHOP]],
    ['graph', ['graph', SHOP]],
  ])('%s: the JSON document as YAML, same exit code', async (_name, argv) => {
    const json = await run(...argv, '-o', 'json');
    const yaml = await run(...argv, '-o', 'yaml');
    expect(yaml.code).toBe(json.code);
    expect(yaml.out).not.toMatch(/^[{[]/);
    expect(parse(yaml.out)).toEqual(JSON.parse(json.out));
  });

  test('an unknown format is still a usage error naming the choices', async () => {
    const r = await run('routes', SHOP, '-o', 'xml');
    expect(r.code).toBe(1);
    expect(r.err).toContain("Allowed choices are text, wide, json, yaml.");
  });
});

/** `netkit trace` on a dual-stack profile: IPv6 targets (`[fd00::1]:80`, bare with --port) and `--from` by an IPv6 pod IP. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Trace } from '../../lib/engine/trace';
import { run } from '../support/cli';

const SHOP = path.join(__dirname, 'fixtures', 'shop');
const json = (r: { out: string }): Trace => JSON.parse(r.out) as Trace;

let DIR: string;
let PROFILE: string;
beforeAll(() => {
  DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-ipv6-'));
  for (const f of fs.readdirSync(SHOP)) fs.copyFileSync(path.join(SHOP, f), path.join(DIR, f));
  fs.writeFileSync(path.join(DIR, 'web6.yaml'), [
    'apiVersion: v1', 'kind: Service', 'metadata: { name: web6, namespace: shop }',
    'spec: { ipFamilies: [IPv6], selector: { app: web }, ports: [{ name: http, port: 80, targetPort: http }] }', '',
  ].join('\n'));
  PROFILE = path.join(DIR, '..', `${path.basename(DIR)}-profile.yaml`);
  fs.writeFileSync(PROFILE, 'ipFamilies: [IPv4, IPv6]\n');
});
afterAll(() => { fs.rmSync(DIR, { recursive: true, force: true }); fs.rmSync(PROFILE, { force: true }); });

describe('trace with IPv6 targets', () => {
  test('a name of an IPv6-only Service, its ClusterIP in brackets with a port, and bare with --port', async () => {
    const byName = await run('trace', DIR, '--profile', PROFILE, 'web6.shop:80', '--from', 'default/client', '-o', 'json');
    expect(byName.code).toBe(0);
    const address = json(byName).address as string;
    expect(address).toMatch(/^fd00:10:96::/);
    const bracketed = json(await run('trace', DIR, '--profile', PROFILE, `[${address}]:80`, '--from', 'default/client', '-o', 'json'));
    expect(bracketed).toMatchObject({ ok: true, service: 'shop/web6', address });
    expect(bracketed.destinations.every((d) => d.ip.startsWith('fd00:10:244:'))).toBe(true);
    const bare = json(await run('trace', DIR, '--profile', PROFILE, address, '--port', '80', '--from', 'default/client', '-o', 'json'));
    expect(bare.destinations).toEqual(bracketed.destinations);
  });

  test('--from by a pod\'s IPv6 address starts at that pod', async () => {
    const first = json(await run('trace', DIR, '--profile', PROFILE, 'web6.shop:80', '--from', 'default/client', '-o', 'json'));
    const dest = first.destinations[0];
    const r = await run('trace', DIR, '--profile', PROFILE, 'web6.shop:80', '--from', dest.ip, '-o', 'json');
    expect(r.code).toBe(0);
    expect(json(r).request.from).toBe(`pod ${dest.pod}`);
  });

  test('the same Service on the default IPv4 cluster is rejected as the API server rejects it', async () => {
    const r = await run('validate', DIR);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Service "web6" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
  });
});

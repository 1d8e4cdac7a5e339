import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('bin/netkit.js runs the CLI as a process: stdout, stderr and exit codes', () => {
  const bin = path.join(ROOT, 'bin', 'netkit.js');
  const shop = path.join(__dirname, 'fixtures', 'shop');
  const ok = spawnSync(process.execPath, [bin, 'trace', shop, 'web.shop', '--from', 'pod:default/client'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(ok.stderr).toBe('');
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('result OK');
  const fail = spawnSync(process.execPath, [bin, 'routes', path.join(ROOT, 'no-such-dir')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(fail.status).toBe(1);
  expect(fail.stdout).toBe('');
  expect(fail.stderr.trim().split('\n')).toHaveLength(1);
}, 90_000);

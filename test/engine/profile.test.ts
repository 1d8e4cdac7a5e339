import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultProfile, loadProfile, syntheticNode, syntheticProfile } from '../../lib/engine/profile';

describe('cluster profile', () => {
  test('defaults: 3 nodes in zones a..c with the documented addresses', () => {
    const p = defaultProfile();
    expect(p.nodes.map((n) => [n.name, n.zone, n.podCIDR, n.internalIP])).toEqual([
      ['node-1', 'zone-a', '10.2.1.0/24', '10.1.0.1'],
      ['node-2', 'zone-b', '10.2.2.0/24', '10.1.0.2'],
      ['node-3', 'zone-c', '10.2.3.0/24', '10.1.0.3'],
    ]);
    expect(p).toMatchObject({ serviceCIDR: '10.96.0.0/12', nodePortRange: { min: 30000, max: 32767 }, clusterDomain: 'cluster.local', maxEndpointsPerSlice: 100 });
  });

  test('the address scheme scales past 255 nodes without collisions', () => {
    const p = syntheticProfile({ nodes: 5000, zones: 4 });
    expect(new Set(p.nodes.map((n) => n.podCIDR)).size).toBe(5000);
    expect(new Set(p.nodes.map((n) => n.internalIP)).size).toBe(5000);
    expect(syntheticNode(256, 'z').podCIDR).toBe('10.3.0.0/24');
    expect(p.nodes[3].zone).toBe('zone-d');
  });

  test('loadProfile validates and reports field paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-profile-'));
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, 'nodes:\n  - {name: a, zone: east}\n  - {name: b, zone: west, ready: false}\nmaxEndpointsPerSlice: 50\n');
    const r = loadProfile(good);
    expect(r.errors).toEqual([]);
    expect(r.profile!.nodes.map((n) => [n.name, n.zone, n.ready])).toEqual([['a', 'east', true], ['b', 'west', false]]);
    expect(r.profile!.maxEndpointsPerSlice).toBe(50);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'serviceCIDR: nope\nnodes: 2\n');
    const e = loadProfile(bad);
    expect(e.profile).toBeUndefined();
    expect(e.errors.map((x) => x.path)).toEqual(['serviceCIDR']);
    expect(loadProfile(path.join(dir, 'missing.yaml')).errors[0].code).toBe('io');
  });
});

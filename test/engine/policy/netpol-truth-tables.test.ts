/**
 * The upstream e2e NetworkPolicy specs (kubernetes `test/e2e/network/netpol/network_policy.go`)
 * as truth tables over the x/y/z a/b/c model (cases in netpol-e2e-cases.ts). A failure prints
 * both 9x9 grids.
 */
import { E2E_CASES } from './netpol-e2e-cases';
import { buildModel, netpol, probe } from './netpol-harness';

const cases = E2E_CASES;

describe('upstream e2e netpol truth tables (x/y/z a/b/c)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ipOf = (k: string): string => {
        const { cluster } = buildModel([]);
        const p = cluster.pods.get(k);
        if (!p) throw new Error(k);
        return p.ip;
      };
      const { cluster, policy } = buildModel(c.policies(ipOf));
      expect(probe(policy, cluster, c.port, c.protocol)).toBe(c.expect().table());
    });
  }

  it('pod IPs are stable across builds, so ipBlock cases aim at the intended pod', () => {
    expect(buildModel([]).cluster.pods.get('y/b')?.ip).toBe(buildModel([netpol('x', 'p', { podSelector: {} })]).cluster.pods.get('y/b')?.ip);
  });
});

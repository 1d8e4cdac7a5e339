/**
 * Cyclonus's generated cases (cyclonus-cases.ts) through the policy model: for every case and
 * every served port/protocol, the 9x9 grid must equal the one derived by hand from the API
 * reference. Loopback is not judged (the e2e suite and cyclonus's `--ignore-loopback` skip it).
 * The same cases run against the cyclonus binary itself in `npm run reach:peers`.
 */
import { CYCLONUS_CASES, expectedGrid, PROBES } from './cyclonus-cases';
import { buildModel, probeGrid, renderGrid } from './netpol-harness';

describe('cyclonus v0.5.6 generated cases (x/y/z a/b/c, every served port)', () => {
  it('covers every generator family it encodes, with a sizeable set', () => {
    const families = new Set(CYCLONUS_CASES.map((c) => c.family));
    expect([...families].sort()).toEqual(['action', 'conflict', 'namespace', 'peers', 'port-protocol', 'rules', 'target']);
    expect(CYCLONUS_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CYCLONUS_CASES.map((c) => c.name)).size).toBe(CYCLONUS_CASES.length);
  });

  for (const c of CYCLONUS_CASES) {
    it(`${c.family}: ${c.name}`, () => {
      const { cluster, policy } = buildModel([...c.policies], {}, c.nsLabels, c.podLabels);
      for (const { port, protocol } of PROBES) {
        const want = expectedGrid(c, port, protocol);
        const got = probeGrid(policy, cluster, port, protocol);
        const show = (g: Map<string, boolean>): string => `${port}/${protocol}\n${renderGrid((f, t) => g.get(`${f}>${t}`) ?? false)}`;
        expect(show(got)).toBe(show(want));
      }
    });
  }

  it('the ipBlock peers aim where the cases say: node-3 pods are 10.2.3.2-4', () => {
    const { cluster } = buildModel([]);
    expect(['x/c', 'y/c', 'z/c'].map((k) => cluster.pods.get(k)?.ip)).toEqual(['10.2.3.2', '10.2.3.3', '10.2.3.4']);
    expect(['x/a', 'x/b'].map((k) => cluster.pods.get(k)?.ip.startsWith('10.2.3.'))).toEqual([false, false]);
  });
});

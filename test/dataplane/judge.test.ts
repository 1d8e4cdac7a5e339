import { Cluster } from '../../lib/engine/cluster';
import { connect } from '../../lib/engine/trace';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';
import { deployment, service } from '../differential/scenarios';
import { BASE_CONCURRENCY, concurrencyFor, connectionsFor, expectation, judge, KNOWN_DIFFERENCES, MAX_CONCURRENCY, MIN_CONNECTIONS, MIN_POOLED_CONNECTIONS, MISS_BOUND, pooledConnections, poolKey, type Expectation } from './judge';

function cluster(objects: JsonObject[]): Cluster {
  const loaded = fromObjects(objects, '<test>');
  expect(loaded.errors).toEqual([]);
  return Cluster.build(loaded.objects);
}

const shares = (entries: [string, number][], extra: Partial<Expectation> = {}): Expectation => ({ shares: new Map(entries), sticky: false, ...extra });

describe('expectation', () => {
  const ns = 'demo';
  const c = cluster([
    deployment(ns, 'web', { replicas: 3, labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }),
    service(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    // targetPort 9999 is declared by no pod: kube-proxy still DNATs there, and nothing answers.
    service(ns, 'closed', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9999 }] }),
    service(ns, 'empty', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }),
  ]);
  const node = [...c.nodes.keys()][0];
  const ip = (name: string): string => c.services.get(`${ns}/${name}`)?.clusterIPs[0] ?? '';

  it('gives every endpoint pod its share', () => {
    const e = expectation(connect({ from: { node }, to: ip('web'), port: 80 }, c), c, 'nftables', 'cluster-ip');
    expect([...e.shares.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(e.shares.size).toBe(3);
    for (const k of e.shares.keys()) expect(k).toMatch(/^demo\/web-/);
  });

  it('counts a pod without the target port as refused', () => {
    const e = expectation(connect({ from: { node }, to: ip('closed'), port: 80 }, c), c, 'nftables', 'cluster-ip');
    expect([...e.shares.keys()]).toEqual(['refused']);
    expect(e.shares.get('refused')).toBeCloseTo(1, 5);
    expect(e.failure).toBeUndefined();
  });

  it('maps a Service without endpoints to refused (REJECT)', () => {
    const e = expectation(connect({ from: { node }, to: ip('empty'), port: 80 }, c), c, 'iptables', 'cluster-ip');
    expect(e.failure).toBe('no-endpoints');
    expect([...e.shares]).toEqual([['refused', 1]]);
  });

  it('applies the known iptables difference for a cluster IP port no Service has', () => {
    const t = connect({ from: { node }, to: ip('web'), port: 1 }, c);
    expect(t.failure?.code).toBe('no-such-port');
    expect([...expectation(t, c, 'nftables', 'cluster-ip-wrong-port').shares]).toEqual([['refused', 1]]);
    const e = expectation(t, c, 'iptables', 'cluster-ip-wrong-port');
    expect([...e.shares]).toEqual([['timeout', 1]]);
    expect(e.known).toBe(KNOWN_DIFFERENCES[0].id);
  });
});

describe('connectionsFor', () => {
  it('uses enough connections to see every share with probability 1 - MISS_BOUND', () => {
    const n = connectionsFor(shares(Array.from({ length: 250 }, (_, i): [string, number] => [`p${i}`, 1 / 250])));
    expect((1 - 1 / 250) ** n).toBeLessThanOrEqual(MISS_BOUND);
    expect(connectionsFor(shares([['a', 0.5], ['b', 0.5]]))).toBe(400);
    expect(connectionsFor(shares([['refused', 1]], { failure: 'no-endpoints' }))).toBeLessThan(20);
  });
});

describe('judge', () => {
  it('accepts counts within the bound', () => {
    expect(judge(shares([['a', 0.5], ['b', 0.5]]), new Map([['a', 190], ['b', 210]]))).toEqual([]);
  });

  it('flags an outcome without a share, a missed pod, and a skewed share', () => {
    expect(judge(shares([['a', 1]]), new Map([['a', 399], ['b', 1]]))).toEqual([expect.stringMatching(/^b: 1 of 400 connections, the engine gives it no share/)]);
    expect(judge(shares([['a', 0.5], ['b', 0.5]]), new Map([['a', 400]]))).toEqual([
      expect.stringMatching(/^a: 400 of 400/),
      expect.stringMatching(/^b: never reached/),
    ]);
    // 1/3 vs 1/2 over 400 connections is outside a 5.5-sigma bound.
    expect(judge(shares([['a', 1 / 3], ['b', 2 / 3]]), new Map([['a', 200], ['b', 200]]))).toHaveLength(2);
  });

  it('requires one pod per client under affinity', () => {
    const e = shares([['a', 0.5], ['b', 0.5]], { sticky: true });
    expect(judge(e, new Map([['b', 60]]))).toEqual([]);
    expect(judge(e, new Map([['a', 30], ['b', 30]]))).toHaveLength(1);
  });
});

describe('pools', () => {
  const ns = 'demo';
  const c = cluster([
    deployment(ns, 'web', { replicas: 3, labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }),
    service(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    service(ns, 'empty', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }),
    { ...service(ns, 'sticky', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], sessionAffinity: 'ClientIP' } },
  ]);
  const ip = (name: string): string => c.services.get(`${ns}/${name}`)?.clusterIPs[0] ?? '';
  const pods = [...c.pods.values()].sort((a, b) => a.name.localeCompare(b.name));
  const key = (from: Parameters<typeof connect>[0]['from'], svc = 'web'): string | undefined => {
    const t = connect({ from, to: ip(svc), port: 80 }, c);
    return poolKey(t, expectation(t, c, 'nftables', 'cluster-ip'));
  };

  it('pools a node and a pod on it (same kube-proxy, same Service port, same shares), not other nodes', () => {
    const [a] = pods;
    const other = [...c.nodes.keys()].find((n) => n !== a.nodeName) ?? '';
    expect(key({ node: a.nodeName })).toBeDefined();
    expect(key({ pod: `${ns}/${a.name}` })).toBe(key({ node: a.nodeName }));
    expect(key({ node: other })).not.toBe(key({ node: a.nodeName }));
  });

  it('does not pool failing or sticky flows', () => {
    expect(key({ node: pods[0].nodeName }, 'empty')).toBeUndefined();
    expect(key({ node: pods[0].nodeName }, 'sticky')).toBeUndefined();
  });

  it('splits a pool\'s connections, keeping a floor per flow', () => {
    expect(pooledConnections(3447, 2)).toBe(1724);
    expect(pooledConnections(MIN_CONNECTIONS, 2)).toBe(MIN_POOLED_CONNECTIONS);
    expect(pooledConnections(MIN_CONNECTIONS, 1)).toBe(MIN_CONNECTIONS);
  });
});

describe('concurrencyFor', () => {
  it('keeps about BASE_CONCURRENCY answered connections in flight', () => {
    expect(concurrencyFor(shares([['a', 1]]))).toBe(BASE_CONCURRENCY);
    expect(concurrencyFor(shares([['a', 0.5], ['timeout', 0.5]]))).toBe(2 * BASE_CONCURRENCY);
    expect(concurrencyFor(shares([['timeout', 1]], { failure: 'no-local-endpoints' }))).toBe(MAX_CONCURRENCY);
  });
});

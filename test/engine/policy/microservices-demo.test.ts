/**
 * Acceptance: Online Boutique with its 13 NetworkPolicies (test/fixtures/microservices-demo).
 * The cartservice policy admits only frontend and checkoutservice on 7070; redis-cart only
 * cartservice on 6379. Traces must fail naming the policy, and allowed flows must still pass.
 */
import { join } from 'path';
import { Cluster } from '../../../lib/engine/cluster';
import { connect, TraceContext, type ConnectRequest } from '../../../lib/engine/trace';
import { loadManifests } from '../../../lib/manifest';
import { syntheticProfile } from '../../../lib/engine/profile';

const dir = join(__dirname, '../../fixtures/microservices-demo');

function setup(): { cluster: Cluster; ctx: TraceContext } {
  const r = loadManifests([dir]);
  expect(r.errors).toEqual([]);
  const cluster = Cluster.build(r.objects, syntheticProfile());
  return { cluster, ctx: new TraceContext(cluster) };
}

describe('microservices-demo NetworkPolicies', () => {
  const { cluster, ctx } = setup();
  const trace = (from: string, to: string, port: number) => connect({ from: { pod: `default/${from}` }, to, port } as ConnectRequest, cluster, ctx);

  it('loads all 13 NetworkPolicies', () => {
    expect(ctx.policy?.networkPolicies).toHaveLength(13);
  });

  it('loadgenerator -> cartservice:7070 fails, naming the cartservice policy', () => {
    const t = trace('loadgenerator', 'cartservice', 7070);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('policy-denied');
    expect(t.failure?.message).toContain('NetworkPolicy default/cartservice');
    const v = t.destinations[0].reachability;
    expect(v?.ingress.allowed).toBe(false);
    expect(v?.ingress.isolatedBy.map((p) => p.name).sort()).toEqual(['cartservice', 'deny-all']);
    expect(v?.ingress.nearMiss).toMatchObject({ policy: { name: 'cartservice' }, path: 'spec.ingress[0]' });
  });

  it('frontend -> redis-cart:6379 fails, naming the redis-cart policy', () => {
    const t = trace('frontend', 'redis-cart', 6379);
    expect(t.ok).toBe(false);
    expect(t.failure?.code).toBe('policy-denied');
    expect(t.failure?.message).toContain('NetworkPolicy default/redis-cart');
  });

  it.each([
    ['frontend', 'cartservice', 7070, 'cartservice'],
    ['checkoutservice', 'cartservice', 7070, 'cartservice'],
    ['cartservice', 'redis-cart', 6379, 'redis-cart'],
    ['checkoutservice', 'emailservice', 5000, 'emailservice'],
    ['recommendationservice', 'productcatalogservice', 3550, 'productcatalogservice'],
    ['loadgenerator', 'frontend', 80, 'frontend'],
  ])('%s -> %s:%d is allowed by the %s policy', (from, to, port, policy) => {
    const t = trace(from, to, port);
    expect(t.ok).toBe(true);
    expect(t.destinations[0].reachability?.ingress.rule?.policy.name).toBe(policy);
  });

  it('emailservice: the Service port 5000 is translated to 8080 before the ingress rule is checked', () => {
    const t = trace('checkoutservice', 'emailservice', 5000);
    expect(t.destinations[0].port).toBe(8080);
    expect(t.destinations[0].reachability?.allowed).toBe(true);
  });

  it('a pod without a policy of its own is still covered by deny-all', () => {
    const t = trace('loadgenerator', 'adservice', 9555);
    expect(t.failure?.message).toContain('NetworkPolicy default/adservice');
  });
});

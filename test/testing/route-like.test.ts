import { Chart, Testing } from 'cdk8s';
import '../../lib/testing/jest';
import { checkRoutesLike, simulate } from '../../lib/testing';
import { CanaryGatewayChart } from '../../examples/canary-gateway';
import { Deployment, Service } from '../../lib';

describe('toRouteLike / checkRoutesLike', () => {
  test('a refactor that changes no routing passes: other construct ids and chart name, same objects', () => {
    const before = new CanaryGatewayChart(Testing.app(), 'canary-gateway');
    const after = new CanaryGatewayChart(Testing.app(), 'checkout-refactored');
    expect(after).toRouteLike(before);
    expect(simulate(after)).toRouteLike(simulate(before));
    expect(checkRoutesLike(after, before).message).toBe('expected a routing change, but the two route alike (16 witness requests compared)');
  });

  test('a canary weight change fails with the witness request and the distribution before -> after', () => {
    const before = new CanaryGatewayChart(Testing.app(), 'a');
    const after = new CanaryGatewayChart(Testing.app(), 'b', { canaryWeight: 25 });
    const r = checkRoutesLike(after, before);
    expect(r.pass).toBe(false);
    expect(r.message).toBe([
      'expected the same routing, but:',
      '1 behaviour change in 1 namespace, 16 witness requests',
      'namespace checkout:',
      '  routing   GET http://checkout.example.com/: checkout/checkout-v1:80 90% / checkout/checkout-v2:80 10% -> checkout/checkout-v1:80 75% / checkout/checkout-v2:80 25% (and 3 more requests with the same change)',
      '',
    ].join('\n'));
    expect(after).not.toRouteLike(before);
  });

  test('endpoints count, findings only when asked', () => {
    const chart = (replicas: number, probe: boolean) => {
      const c = new Chart(Testing.app(), 'c', { namespace: 'web' });
      const d = new Deployment(c, 'web', {
        metadata: { name: 'web' }, replicas, podLabels: { app: 'web' },
        containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080, name: 'http' }], ...(probe ? { readinessProbe: { httpGet: { path: '/', port: 'http' } } } : {}) }],
      });
      new Service(c, 'svc', { metadata: { name: 'web' }, selector: d, ports: [{ port: 80, targetPort: 'http' }] });
      return c;
    };
    expect(chart(3, true)).not.toRouteLike(chart(2, true));
    // Adding a readiness probe fixes a finding but routes alike.
    expect(chart(3, true)).toRouteLike(chart(3, false));
    expect(checkRoutesLike(chart(3, true), chart(3, false), { compare: ['finding'] }).pass).toBe(false);
  });
});

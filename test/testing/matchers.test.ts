import { Chart, Testing } from 'cdk8s';
import { Deployment, Service } from '../../lib';
import { checkResolves, checkRoute, simulate } from '../../lib/testing';
import '../../lib/testing/jest';
import { buildExamplesApp } from '../../examples/main';
import { DatabaseChart } from '../../examples/database';
import { WebAppChart } from '../../examples/web-app';

/** Two versions of one app behind one Service: 3 pods of v1, 1 of v2. */
function canaryChart(): Chart {
  const chart = new Chart(Testing.app(), 'canary', { namespace: 'shop' });
  for (const [version, replicas] of [['v1', 3], ['v2', 1]] as const) {
    new Deployment(chart, `cart-${version}`, {
      metadata: { name: `cart-${version}` },
      replicas,
      podLabels: { app: 'cart', version },
      containers: [{ name: 'cart', image: `cart:${version}`, ports: [{ containerPort: 8080, name: 'http' }] }],
    });
  }
  new Service(chart, 'cart', { metadata: { name: 'cart' }, selector: { app: 'cart' }, ports: [{ port: 80, targetPort: 'http', name: 'http' }] });
  new Deployment(chart, 'client', { metadata: { name: 'client' }, podLabels: { app: 'client' }, containers: [{ name: 'c', image: 'curl' }] });
  return chart;
}

describe('simulate() and the jest matchers', () => {
  test('toRouteTcp: by labels, by exact pods, and from a given pod', () => {
    const sim = simulate(buildExamplesApp(Testing.app()));
    const client = sim.pods({ app: 'web' })[0];
    const from = `${client.namespace}/${client.name}`;
    expect(sim).toRouteTcp('postgres-rw.data:5432', { from, to: 'app=postgres' });
    expect(sim).toRouteTcp('postgres-rw.data:postgres', { from, to: ['data/postgres-0', 'data/postgres-1', 'data/postgres-2'] });
    expect(sim).toRouteTcp('postgres-0.postgres.data:5432', { from, to: ['data/postgres-0'] });
    expect(sim).not.toRouteTcp('postgres-rw.data:5432', { from, to: ['data/postgres-0'] });
  });

  test('toFailToRoute with the reason', () => {
    const sim = simulate(buildExamplesApp(Testing.app()));
    const billing = sim.pods({ app: 'billing' })[0];
    expect(sim).toFailToRoute('billing-db:5432', 'external-name', `${billing.namespace}/${billing.name}`);
    expect(sim).toFailToRoute('no-such-service.data:80', 'nxdomain', `${billing.namespace}/${billing.name}`);
  });

  test('toSplit: equal weights per pod, summed per label', () => {
    const sim = simulate(canaryChart());
    expect(sim).toSplit('cart.shop:80', { 'version=v1': 75, 'version=v2': 25 });
    expect(sim).not.toSplit('cart.shop:80', { 'version=v1': 50, 'version=v2': 50 });
  });

  test('toResolve and toHaveReadyEndpoints, then a what-if readiness change', () => {
    const sim = simulate(buildExamplesApp(Testing.app()));
    const pgIPs = sim.pods({ app: 'postgres' }).map((p) => p.ip);
    expect(sim).toResolve('postgres.data.svc.cluster.local', { ips: pgIPs });
    expect(sim.service('data/postgres-rw')).toHaveReadyEndpoints(3);

    const events = sim.apply({ type: 'setPodReady', pod: 'data/postgres-1', ready: false });
    expect(events.length).toBeGreaterThan(0);
    expect(sim.service('data/postgres-rw')).toHaveReadyEndpoints(2);
    const web = sim.pods({ app: 'web' })[0];
    expect(sim).toRouteTcp('postgres-rw.data:5432', { from: `web/${web.name}`, to: ['data/postgres-0', 'data/postgres-2'] });
  });

  test('toResolve accepts an ExternalName alias (a CNAME) and can assert its target', () => {
    const sim = simulate(buildExamplesApp(Testing.app()));
    const billing = sim.pods({ app: 'billing' })[0];
    const fromPod = `${billing.namespace}/${billing.name}`;
    expect(sim).toResolve('billing-db', { fromPod });
    expect(sim).toResolve('billing-db', { fromPod, cname: 'billing.db.example.com' });
    expect(sim).toResolve('billing-db.billing.svc.cluster.local.', { fromPod, cname: 'Billing.DB.example.com.' });
    expect(sim).not.toResolve('billing-db', { fromPod, cname: 'other.example.com' });
    expect(sim).not.toResolve('billing-database', { fromPod });
    expect(sim).toResolve('billing-db.billing', { cname: 'billing.db.example.com' }); // as in the README, from the first pod

    const ok = checkResolves(sim, 'billing-db', { fromPod });
    expect(ok.message).toBe('expected billing-db not to resolve, but it resolves to CNAME billing.db.example.com (billing-db.billing.svc.cluster.local)');
    expect(checkResolves(sim, 'billing-db', { fromPod, cname: 'other.example.com' }).message)
      .toBe('expected billing-db to be a CNAME to other.example.com, but it is a CNAME billing.db.example.com (billing-db.billing.svc.cluster.local)');
    // An alias has no addresses in the simulation; `ips` says so instead of passing.
    const withIps = checkResolves(sim, 'billing-db', { fromPod, ips: ['10.0.0.1'] });
    expect(withIps.pass).toBe(false);
    expect(withIps.message).toContain('but it resolves to CNAME billing.db.example.com (an external target has no addresses in the simulation)');
    // A plain Service name is no CNAME.
    const plain = checkResolves(sim, 'postgres-rw.data', { fromPod, cname: 'billing.db.example.com' });
    expect(plain.pass).toBe(false);
    expect(plain.message).toContain('but it resolves to addresses');
  });

  test('a failing check explains itself with the trace', () => {
    const sim = simulate(canaryChart());
    const result = checkRoute(sim, 'cart.shop:80', { to: 'version=v2' });
    expect(result.pass).toBe(false);
    expect(result.message).toContain('expected cart.shop:80 to reach only pods with version=v2, but it reaches shop/cart-v1-');
    expect(result.message).toContain('trace  pod shop/cart-v1-');
    expect(result.message).toContain('rule   ClusterIP');
    expect(() => expect(sim).toRouteTcp('cart.shop:80', { to: 'version=v2' })).toThrow(/rule {3}ClusterIP/);
  });

  test('label requirements use the full selector syntax (app!=db is "not db", not a key "app!")', () => {
    const sim = simulate(canaryChart());
    // Before one parser, 'version!=v3' was read as the label "version!" = "v3" and matched no pod.
    expect(checkRoute(sim, 'cart.shop:80', { to: 'version!=v3' }).pass).toBe(true);
    expect(checkRoute(sim, 'cart.shop:80', { to: 'version!=v2' }).pass).toBe(false);
    expect(checkRoute(sim, 'cart.shop:80', { to: 'version in (v1,v2)' }).pass).toBe(true);
    expect(checkRoute(sim, 'cart.shop:80', { to: 'version notin (v1)' }).pass).toBe(false);
    expect(checkRoute(sim, 'cart.shop:80', { to: ['app=cart', '!canary'] }).pass).toBe(true);
    expect(checkRoute(sim, 'cart.shop:80', { to: 'app=cart,version=v1' }).pass).toBe(false);
    expect(sim).toSplit('cart.shop:80', { 'version!=v2': 75, 'version in (v2)': 25 });
    // The source by labels takes the same syntax.
    expect(checkRoute(sim, 'cart.shop:80', { from: 'app in (client)', to: 'app=cart' }).pass).toBe(true);
    expect(() => checkRoute(sim, 'cart.shop:80', { to: 'version=v1|v2' })).toThrow('invalid label selector "version=v1|v2"');
  });

  test('simulate() runs the construct validations first', () => {
    const chart = new Chart(Testing.app(), 'bad');
    new Service(chart, 'svc', { ports: [{ port: 80 }, { port: 81 }] });
    expect(() => simulate(chart)).toThrow('spec.ports[0].name: Required value');
  });

  test('toBeValid and toViolate run the bundled validator', () => {
    expect(new DatabaseChart(Testing.app(), 'database')).toBeValid();
    const web = new WebAppChart(Testing.app(), 'web-app');
    expect(web).toViolate('service-exposed-without-source-ranges');
    expect(web).toBeValid({ failOn: 'error' });
    expect(web).not.toBeValid();

    const chart = new Chart(Testing.app(), 'dangling', { namespace: 'shop' });
    new Service(chart, 'orphan', { metadata: { name: 'orphan' }, selector: { app: 'nothing' }, ports: [{ port: 80 }] });
    expect(chart).toViolate('service-selects-no-pod');
    expect(() => expect(chart).toBeValid()).toThrow(/service-selects-no-pod: Service shop\/orphan/);
  });
});

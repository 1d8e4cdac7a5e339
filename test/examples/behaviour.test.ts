/**
 * Behaviour tests for every example, written only with the public testing API: copy this file as
 * a template for your own charts. It asserts what the charts *do* (where connections and HTTP
 * requests go, which names resolve, what the validator says, what happens when a pod, a node or
 * a replica count changes), not what their YAML looks like.
 *
 * In your project the imports read:
 *
 *   import { simulate } from 'cdk8s-netkit/testing';   // here: '../../lib/testing'
 *   import 'cdk8s-netkit/testing/jest';                 // here: '../../lib/testing/jest' (registers the matchers)
 *   import { Service, ... } from 'cdk8s-netkit';         // here: '../../lib'
 *
 * Each `describe` builds its example fresh in every test (`simulate()` takes milliseconds), so a
 * what-if (`sim.apply(...)`) never leaks into the next test. Pod names of Deployments carry
 * hashes, so the tests look pods up by labels (`sim.pods({ app: 'web' })`) instead of naming them.
 */
import { Testing } from 'cdk8s';
import { IngressBackend, Service } from '../../lib';
import { simulate, Simulation } from '../../lib/testing';
import '../../lib/testing/jest';
import { BookinfoMeshChart } from '../../examples/bookinfo-mesh';
import { CanaryGatewayChart } from '../../examples/canary-gateway';
import { DatabaseChart } from '../../examples/database';
import { ExternalDatabaseChart } from '../../examples/external-database';
import { buildExamplesApp } from '../../examples/main';
import { ShopIngressChart } from '../../examples/shop-ingress';
import { WebAppChart } from '../../examples/web-app';

/** `namespace/name` of the pods with these labels, sorted: the form the matchers take. */
function podKeys(sim: Simulation, labels: Record<string, string>): string[] {
  return sim.pods(labels).map((p) => `${p.namespace}/${p.name}`);
}

/** The one pod with these labels (fails the test when there are none or several). */
function onePod(sim: Simulation, labels: Record<string, string>): string {
  const keys = podKeys(sim, labels);
  expect(keys).toHaveLength(1);
  return keys[0];
}

/** A node's InternalIP, where its NodePorts listen. */
function nodeIP(sim: Simulation, node: string): string {
  const info = sim.cluster.nodes.get(node);
  if (!info) throw new Error(`no node ${node}`);
  return info.internalIP;
}

describe('database: a 3-replica StatefulSet behind a headless and a ClusterIP Service', () => {
  const build = () => simulate(new DatabaseChart(Testing.app(), 'database'));
  const replicas = ['data/postgres-0', 'data/postgres-1', 'data/postgres-2'];

  test('clients reach every replica through postgres-rw, by port number or name, evenly', () => {
    const sim = build();
    expect(sim).toRouteTcp('postgres-rw.data:5432', { to: 'app=postgres' });
    expect(sim).toRouteTcp('postgres-rw.data:postgres', { to: replicas });
    expect(sim).toSplit('postgres-rw.data:5432', { 'data/postgres-0': 33.3, 'data/postgres-1': 33.3, 'data/postgres-2': 33.3 });
    expect(sim.service('data/postgres-rw')).toHaveReadyEndpoints(3);
    expect(sim.service('data/postgres')).toHaveReadyEndpoints(3);
  });

  test('each replica has a stable DNS name under the headless Service', () => {
    const sim = build();
    const ipOf = (name: string) => sim.pods({ app: 'postgres' }).find((p) => p.name === name)?.ip ?? 'none';
    expect(sim).toResolve('postgres-1.postgres.data.svc.cluster.local', { ips: [ipOf('postgres-1')] });
    // The headless Service name answers with every pod IP; the ClusterIP Service with its one virtual IP.
    expect(sim).toResolve('postgres.data.svc.cluster.local', { ips: sim.pods({ app: 'postgres' }).map((p) => p.ip) });
    expect(sim).toResolve('postgres-rw', { fromPod: 'data/postgres-0', ips: sim.service('data/postgres-rw').info.clusterIPs });
    expect(sim).toRouteTcp('postgres-2.postgres.data:5432', { to: ['data/postgres-2'] });
    // Only three replicas: there is no fourth name.
    expect(sim).not.toResolve('postgres-3.postgres.data.svc.cluster.local');
    expect(sim).toFailToRoute('postgres-3.postgres.data.svc.cluster.local:5432', 'nxdomain');
  });

  test('what-if: a replica fails its readiness probe', () => {
    const sim = build();
    sim.apply({ type: 'setPodReady', pod: 'data/postgres-1', ready: false });
    // Clients stop getting it...
    expect(sim.service('data/postgres-rw')).toHaveReadyEndpoints(2);
    expect(sim).toRouteTcp('postgres-rw.data:5432', { to: ['data/postgres-0', 'data/postgres-2'] });
    expect(sim).toSplit('postgres-rw.data:5432', { 'data/postgres-0': 50, 'data/postgres-2': 50 });
    // ...but peers still find it: the headless Service publishes not-ready addresses.
    expect(sim.service('data/postgres')).toHaveReadyEndpoints(3);
    expect(sim).toResolve('postgres-1.postgres.data.svc.cluster.local');
    expect(sim).toRouteTcp('postgres-1.postgres.data:5432', { from: 'data/postgres-0', to: ['data/postgres-1'] });
  });

  test('what-if: every replica unready, then scaled down to 2', () => {
    const sim = build();
    for (const pod of replicas) sim.apply({ type: 'setPodReady', pod, ready: false });
    expect(sim).toFailToRoute('postgres-rw.data:5432', 'pods-unready');

    const scaled = build();
    scaled.apply({ type: 'scale', workload: { kind: 'StatefulSet', namespace: 'data', name: 'postgres' }, replicas: 2 });
    expect(scaled.service('data/postgres-rw')).toHaveReadyEndpoints(2);
    expect(scaled).toFailToRoute('postgres-2.postgres.data.svc.cluster.local:5432', 'nxdomain');
    expect(scaled).toRouteTcp('postgres-rw.data:5432', { to: ['data/postgres-0', 'data/postgres-1'] });
  });

  test('validation: clean; a client Service with a typo in its selector is caught', () => {
    expect(new DatabaseChart(Testing.app(), 'database')).toBeValid({ failOn: 'info' });

    const broken = new DatabaseChart(Testing.app(), 'database');
    new Service(broken, 'readers', { metadata: { name: 'postgres-ro' }, selector: { app: 'postgress' }, ports: [{ port: 5432, name: 'postgres' }] });
    expect(broken).toViolate('service-selects-no-pod');
    expect(broken).not.toBeValid({ failOn: 'error' });
    // The simulation agrees: the Service exists but nothing answers behind it.
    expect(simulate(broken)).toFailToRoute('postgres-ro.data:5432', 'no-endpoints');
  });
});

describe('web-app: 3 replicas behind a ClusterIP, a NodePort and a LoadBalancer', () => {
  const build = () => simulate(new WebAppChart(Testing.app(), 'web-app'));

  test('the ClusterIP Service: both named ports, every replica, by DNS name', () => {
    const sim = build();
    const web = podKeys(sim, { app: 'web' });
    expect(web).toHaveLength(3);
    expect(sim).toResolve('web.web.svc.cluster.local', { ips: sim.service('web/web').info.clusterIPs });
    expect(sim).toRouteTcp('web.web:http', { to: web });
    expect(sim).toRouteTcp('web.web:metrics', { to: 'app=web' });
    expect(sim).toSplit('web.web:80', Object.fromEntries(web.map((p) => [p, 33.3])));
    // 8080 is the container port, not a Service port.
    expect(sim).toFailToRoute('web.web:8080', 'no-such-port');
    for (const svc of ['web/web', 'web/web-nodeport', 'web/web-public']) expect(sim.service(svc)).toHaveReadyEndpoints(3);
  });

  test('the NodePort answers on every node at 30080, from anywhere', () => {
    const sim = build();
    for (const node of ['node-1', 'node-2', 'node-3']) {
      expect(sim).toRouteTcp(`${nodeIP(sim, node)}:30080`, { from: 'external:198.51.100.20', to: podKeys(sim, { app: 'web' }) });
    }
  });

  test('the LoadBalancer admits only 203.0.113.0/24; cluster IPs are not reachable from outside', () => {
    const sim = build();
    const lb = sim.service('web/web-public').info;
    expect(sim).toRouteTcp(`${lb.loadBalancerIPs[0]}:80`, { from: 'external:203.0.113.9', to: 'app=web' });
    expect(sim).toFailToRoute(`${lb.loadBalancerIPs[0]}:80`, 'source-range', 'external:198.51.100.20');
    expect(sim).toFailToRoute(`${lb.clusterIPs[0]}:80`, 'unreachable', 'external:203.0.113.9');
  });

  test('what-if: node-2 goes down, then comes back', () => {
    const sim = build();
    const lb = sim.service('web/web-public').info;
    const survivors = sim.pods({ app: 'web' }).filter((p) => p.nodeName !== 'node-2').map((p) => `${p.namespace}/${p.name}`);
    expect(survivors).toHaveLength(2); // one replica per node

    sim.apply({ type: 'failNode', node: 'node-2' });
    expect(sim.service('web/web')).toHaveReadyEndpoints(2);
    expect(sim).toSplit('web.web:80', Object.fromEntries(survivors.map((p) => [p, 50])));
    // externalTrafficPolicy: Local: the load balancer only sends to nodes with a ready local pod...
    expect(sim).toSplit(`${lb.loadBalancerIPs[0]}:80`, Object.fromEntries(survivors.map((p) => [p, 50])), { from: 'external:203.0.113.9' });
    // ...and kube-proxy on node-2 drops what still arrives at the Service's NodePort there.
    expect(sim).toFailToRoute(`${nodeIP(sim, 'node-2')}:${lb.ports[0].nodePort}`, 'no-local-endpoints', 'external:203.0.113.9');

    sim.apply({ type: 'failNode', node: 'node-2', failed: false });
    expect(sim.service('web/web')).toHaveReadyEndpoints(3);
  });

  test('what-if: scaled to 1 replica', () => {
    const sim = build();
    sim.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'web', name: 'web' }, replicas: 1 });
    expect(sim.service('web/web-nodeport')).toHaveReadyEndpoints(1);
    expect(sim).toRouteTcp(`${nodeIP(sim, 'node-3')}:30080`, { from: 'external:198.51.100.20', to: podKeys(sim, { app: 'web' }) });
  });

  test('validation: the NodePort is flagged (a warning), nothing worse; a documented suppression clears it', () => {
    const chart = new WebAppChart(Testing.app(), 'web-app');
    expect(chart).toViolate('service-exposed-without-source-ranges');
    expect(chart).not.toBeValid();
    expect(chart).toBeValid({ failOn: 'error' });

    const accepted = new WebAppChart(Testing.app(), 'web-app');
    accepted.nodePort.apiObject.metadata.addAnnotation('netkit.io/suppress.service-exposed-without-source-ranges', 'nodes sit behind the office firewall');
    expect(accepted).not.toViolate('service-exposed-without-source-ranges');
    expect(accepted).toBeValid();
  });
});

describe('external-database: an ExternalName alias for a managed database', () => {
  const build = () => simulate(new ExternalDatabaseChart(Testing.app(), 'external-database'));

  test('billing-db is a CNAME to the provider; connections leave the cluster', () => {
    const sim = build();
    const billing = onePod(sim, { app: 'billing' });
    // An ExternalName answers with a CNAME; `cname` asserts its target.
    expect(sim).toResolve('billing-db', { fromPod: billing, cname: 'billing.db.example.com' });
    expect(sim).toFailToRoute('billing-db:5432', 'external-name', billing);
    expect(sim).toFailToRoute('billing-db.billing.svc.cluster.local:5432', 'external-name', billing);
    // A typo in DATABASE_HOST would not resolve at all.
    expect(sim).toFailToRoute('billing-database:5432', 'nxdomain', billing);
  });

  test('what-if: the alias is deleted', () => {
    const sim = build();
    sim.apply({ type: 'deleteObject', ref: { kind: 'Service', namespace: 'billing', name: 'billing-db' } });
    expect(sim).toFailToRoute('billing-db:5432', 'nxdomain', onePod(sim, { app: 'billing' }));
  });

  test('validation: clean; exposing the app without a readiness probe is caught', () => {
    expect(new ExternalDatabaseChart(Testing.app(), 'external-database')).toBeValid({ failOn: 'info' });

    const broken = new ExternalDatabaseChart(Testing.app(), 'external-database');
    new Service(broken, 'billing-svc', { metadata: { name: 'billing' }, selector: broken.app, ports: [{ port: 80, name: 'http', targetPort: 8080 }] });
    expect(broken).toViolate('service-pod-no-readiness-probe');
    expect(broken).toViolate('service-target-port-undeclared');
    expect(broken).toBeValid({ failOn: 'error' });
  });
});

describe('shop-ingress: TLS Ingress (ingress-nginx) with Prefix and Exact paths', () => {
  const build = () => simulate(new ShopIngressChart(Testing.app(), 'shop-ingress'));

  test('Prefix paths match whole segments; the longest wins', () => {
    const sim = build();
    expect(sim).toRoute('https://shop.example.com/', { to: 'frontend', pods: 'app=frontend' });
    expect(sim).toRoute('https://shop.example.com/cart', { to: 'shop/frontend' });
    expect(sim).toRoute('https://shop.example.com/api', { to: 'api', pods: 'app=api' });
    expect(sim).toRoute('https://shop.example.com/api/cart', { to: 'api', pods: podKeys(sim, { app: 'api' }) });
    expect(sim).toRoute('https://shop.example.com/apix', { to: 'frontend' });
  });

  test('Exact paths win over Prefix, and only for the exact path; they reach ports by number', () => {
    const sim = build();
    expect(sim).toRoute('https://shop.example.com/api/status', { to: 'api' });
    const status = sim.request('https://shop.example.com/api/status').backends;
    expect(status.map((b) => b.port)).toEqual([8081]); // the admin port
    expect(status[0].l4?.destinations.every((d) => d.port === 8081)).toBe(true);
    // One more character and it is the /api Prefix again, on the http port.
    expect(sim.request('https://shop.example.com/api/status/').backends.map((b) => b.port)).toEqual(['http']);

    expect(sim).toRoute('https://shop.example.com/healthz', { to: 'frontend', pods: podKeys(sim, { app: 'frontend' }) });
    expect(sim.request('https://shop.example.com/healthz').backends.map((b) => b.port)).toEqual([80]);
    expect(sim.request('https://shop.example.com/healthz/deep').backends.map((b) => b.port)).toEqual(['http']);
  });

  test('plain http is redirected to https (ssl-redirect); unknown hosts get 404', () => {
    const sim = build();
    expect(sim).toRoute('http://shop.example.com/api/cart', { status: 308 });
    expect(sim.request('http://shop.example.com/api/cart').response?.location).toBe('https://shop.example.com/api/cart');
    expect(sim).not.toRoute('http://shop.example.com/api/cart'); // a redirect is not "routed"
    expect(sim).toRoute('https://www.example.org/', { status: 404 });
  });

  test('the paths mean the same under the portable Ingress spec semantics', () => {
    const sim = simulate(new ShopIngressChart(Testing.app(), 'shop-ingress'), undefined, { ingressProfile: 'spec' });
    expect(sim).toRoute('https://shop.example.com/api/cart', { to: 'api' });
    expect(sim).toRoute('https://shop.example.com/apix', { to: 'frontend' });
    expect(sim.request('https://shop.example.com/api/status').backends.map((b) => b.port)).toEqual([8081]);
    expect(sim.request('https://shop.example.com/api/status/').backends.map((b) => b.port)).toEqual(['http']);
  });

  test('the Services behind the Ingress, at L4', () => {
    const sim = build();
    expect(sim.service('shop/frontend')).toHaveReadyEndpoints(2);
    expect(sim.service('shop/api')).toHaveReadyEndpoints(3);
    expect(sim).toRouteTcp('api.shop:admin', { to: 'app=api' });
    expect(sim).toSplit('frontend.shop:80', Object.fromEntries(podKeys(sim, { app: 'frontend' }).map((p) => [p, 50])));
  });

  test('what-if: node-1 goes down; then the api is scaled to zero', () => {
    const sim = build();
    const frontendLeft = sim.pods({ app: 'frontend' }).filter((p) => p.nodeName !== 'node-1').map((p) => `${p.namespace}/${p.name}`);
    sim.apply({ type: 'failNode', node: 'node-1' });
    expect(sim.service('shop/frontend')).toHaveReadyEndpoints(frontendLeft.length);
    expect(sim).toRoute('https://shop.example.com/', { to: 'frontend', pods: frontendLeft });
    expect(sim.service('shop/api')).toHaveReadyEndpoints(2);
    expect(sim).toRoute('https://shop.example.com/api/cart', { to: 'api' });

    sim.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'shop', name: 'api' }, replicas: 0 });
    expect(sim).not.toRoute('https://shop.example.com/api/cart');
    expect(sim).toRoute('https://shop.example.com/api/cart', { status: 503 });
    expect(sim).toRoute('https://shop.example.com/', { to: 'frontend' });
  });

  test('validation: clean; a path to a port the Service lacks is refused at synth', () => {
    expect(new ShopIngressChart(Testing.app(), 'shop-ingress')).toBeValid({ failOn: 'info' });

    const broken = new ShopIngressChart(Testing.app(), 'shop-ingress');
    broken.ingress.addHostRule('shop.example.com', '/admin', IngressBackend.fromService(broken.api, 9000));
    expect(() => simulate(broken)).toThrow(/Service "api" has no port 9000/);
  });
});

describe('canary-gateway: Gateway API weights 90/10, testers pinned to the canary', () => {
  const build = () => simulate(new CanaryGatewayChart(Testing.app(), 'canary-gateway'));

  test('the split is 90/10 per Service, and so per version', () => {
    const sim = build();
    expect(sim).toRoute('http://checkout.example.com/pay', { to: ['checkout-v1', 'checkout-v2'] });
    expect(sim).toSplit('http://checkout.example.com/pay', { 'checkout-v1': 90, 'checkout-v2': 10 });
    expect(sim).toSplit('http://checkout.example.com/pay', { 'version=v1': 90, 'version=v2': 10 });
    expect(sim).not.toSplit('http://checkout.example.com/pay', { 'version=v1': 80, 'version=v2': 20 }); // 4:1 pods, but weights decide
  });

  test('x-canary: always pins the canary; any other value gets the split', () => {
    const sim = build();
    expect(sim).toRoute('http://checkout.example.com/pay', { headers: { 'x-canary': 'always' }, to: 'checkout-v2', pods: 'version=v2' });
    expect(sim).toSplit('http://checkout.example.com/pay', { 'checkout-v2': 100 }, { headers: { 'X-Canary': 'always' } });
    expect(sim).toSplit('http://checkout.example.com/pay', { 'checkout-v1': 90, 'checkout-v2': 10 }, { headers: { 'x-canary': 'sometimes' } });
    expect(sim).toRoute('http://shop.example.com/pay', { status: 404 }); // the listener serves one hostname
  });

  test('the canaryWeight prop sets the split', () => {
    const sim = simulate(new CanaryGatewayChart(Testing.app(), 'canary-gateway', { canaryWeight: 25 }));
    expect(sim).toSplit('http://checkout.example.com/', { 'checkout-v1': 75, 'checkout-v2': 25 });
  });

  test('each version\'s Service reaches only its own pods', () => {
    const sim = build();
    expect(sim.service('checkout/checkout-v1')).toHaveReadyEndpoints(4);
    expect(sim.service('checkout/checkout-v2')).toHaveReadyEndpoints(1);
    expect(sim).toRouteTcp('checkout-v1.checkout:http', { to: 'version=v1' });
    expect(sim).toRouteTcp('checkout-v2.checkout:80', { to: podKeys(sim, { app: 'checkout', version: 'v2' }) });
    expect(sim).toSplit('checkout-v1.checkout:80', Object.fromEntries(podKeys(sim, { version: 'v1' }).map((p) => [p, 25])));
  });

  test('what-if: more canary replicas do not change the split', () => {
    const sim = build();
    sim.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'checkout', name: 'checkout-v2' }, replicas: 4 });
    expect(sim.service('checkout/checkout-v2')).toHaveReadyEndpoints(4);
    expect(sim).toSplit('http://checkout.example.com/', { 'version=v1': 90, 'version=v2': 10 });
  });

  test('what-if: the canary pod turns unready: its 10% and the testers get 503', () => {
    const sim = build();
    sim.apply({ type: 'setPodReady', pod: onePod(sim, { version: 'v2' }), ready: false });
    expect(sim).not.toRoute('http://checkout.example.com/'); // a share gets an error status
    expect(sim).toSplit('http://checkout.example.com/', { 'checkout-v1': 90, 'checkout-v2': 0 });
    expect(sim).toRoute('http://checkout.example.com/', { headers: { 'x-canary': 'always' }, status: 503 });
  });

  test('validation: clean', () => {
    expect(new CanaryGatewayChart(Testing.app(), 'canary-gateway')).toBeValid({ failOn: 'info' });
  });
});

describe('bookinfo-mesh: Istio ingress gateway, subsets, and header-based routing', () => {
  const build = () => simulate(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh'));

  test('north-south: the gateway serves productpage paths only', () => {
    const sim = build();
    for (const path of ['/productpage', '/static/css/style.css', '/login', '/logout', '/api/v1/products/0']) {
      expect(sim).toRoute(`http://bookinfo.example.com${path}`, { to: 'productpage', pods: 'app=productpage' });
    }
    expect(sim).toRoute('http://bookinfo.example.com/admin', { status: 404 });
    expect(sim).toRoute('http://bookinfo.example.com/login/again', { status: 404 }); // /login is exact
  });

  test('east-west: jason gets reviews v2, everyone else v1', () => {
    const sim = build();
    expect(sim).toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', to: 'reviews', subset: 'v1', pods: 'version=v1' });
    expect(sim).toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', headers: { 'end-user': 'jason' }, subset: 'v2', pods: 'version=v2' });
    expect(sim).toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', headers: { 'end-user': 'ann' }, subset: 'v1' });
    expect(sim).toSplit('http://reviews:9080/', { v1: 100, v2: 0, v3: 0 }, { from: 'app=productpage' });
    expect(sim).toSplit('http://reviews:9080/', { v2: 100 }, { from: 'app=productpage', headers: { 'end-user': 'jason' } });
    // reviews calls ratings, productpage calls details: both pinned to v1.
    expect(sim).toRoute('http://ratings:9080/ratings/0', { from: 'app=reviews,version=v2', to: 'ratings', subset: 'v1' });
    expect(sim).toRoute('http://details:9080/details/0', { from: 'app=productpage', to: 'details', subset: 'v1' });
  });

  test('at L4 (kube-proxy, no sidecar) reviews spreads over all three versions', () => {
    const sim = build();
    expect(sim).toResolve('reviews.bookinfo.svc.cluster.local', { ips: sim.service('bookinfo/reviews').info.clusterIPs });
    expect(sim.service('bookinfo/reviews')).toHaveReadyEndpoints(3);
    expect(sim).toRouteTcp('reviews.bookinfo:http', { from: onePod(sim, { app: 'productpage' }), to: 'app=reviews' });
    // Without injection (the namespace carries no istio-injection label), that is what clients get.
    const plain = simulate(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh'), undefined, { meshInjection: 'labels' });
    const thirds = { 'version=v1': 33.3, 'version=v2': 33.3, 'version=v3': 33.3 };
    expect(plain).toSplit('reviews.bookinfo:9080', thirds, { from: 'app=productpage' });
    expect(plain).toSplit('http://reviews:9080/', thirds, { from: 'app=productpage' });
  });

  test('what-if: the reviews-v2 pod turns unready: jason gets 503, the others are unaffected', () => {
    const sim = build();
    sim.apply({ type: 'setPodReady', pod: onePod(sim, { app: 'reviews', version: 'v2' }), ready: false });
    expect(sim.service('bookinfo/reviews')).toHaveReadyEndpoints(2);
    expect(sim).toRoute('http://reviews:9080/', { from: 'app=productpage', headers: { 'end-user': 'jason' }, status: 503 });
    expect(sim).toRoute('http://reviews:9080/', { from: 'app=productpage', subset: 'v1', pods: 'version=v1' });
  });

  test('validation: clean', () => {
    expect(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh')).toBeValid({ failOn: 'info' });
  });
});

describe('the examples app as a whole', () => {
  test('one cluster: a pod of one example reaches another example\'s Service', () => {
    const sim = simulate(buildExamplesApp(Testing.app()));
    expect(sim).toRouteTcp('postgres-rw.data:5432', { from: 'app=billing', to: 'app=postgres' });
    expect(sim).toRouteTcp('web.web.svc.cluster.local:80', { from: 'app=checkout,version=v2', to: 'app=web' });
    expect(buildExamplesApp(Testing.app())).toViolate('service-exposed-without-source-ranges');
    expect(buildExamplesApp(Testing.app())).toBeValid({ failOn: 'error' });
  });
});

describe('a failing matcher explains itself with the trace', () => {
  test('toRoute (HTTP): the route that won, and why the others lost', () => {
    const sim = simulate(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh'));
    const wrong = () => expect(sim).toRoute('http://reviews:9080/', { from: 'app=productpage', subset: 'v2' });
    expect(wrong).toThrow(/to be routed subset v2, but it reaches bookinfo\/reviews subset v1/);
    expect(wrong).toThrow(/^match {4}VirtualService bookinfo\/reviews http\[1\] \(default\): no match conditions/m);
    expect(wrong).toThrow(/http\[0\] \(jason\) +header end-user=jason +header end-user is missing/);
  });

  test('toRouteTcp (L4): DNS, the kube-proxy rule, and every destination with its share', () => {
    const sim = simulate(new DatabaseChart(Testing.app(), 'database'));
    const wrong = () => expect(sim).toRouteTcp('postgres-rw.data:5432', { to: ['data/postgres-0'] });
    expect(wrong).toThrow(/but it reaches data\/postgres-0, data\/postgres-1, data\/postgres-2/);
    expect(wrong).toThrow(/postgres-rw\.data\.svc\.cluster\.local {2}NOERROR {2}A /);
    expect(wrong).toThrow(/^rule {3}ClusterIP .* -> data\/postgres-rw port postgres/m);
    expect(wrong).toThrow(/data\/postgres-1 +10\.[\d.]+:5432 .* 33\.3%/);
  });
});

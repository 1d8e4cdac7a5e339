/**
 * The HTTP matchers and checks: `toRoute` (to Services, subsets, pods or a status) and `toSplit`
 * with an `http(s)://` URL, over the L7 examples and small inline charts; failing matchers print
 * the L7 trace.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { checkHttpRoute, checkHttpSplit, checkSplit, simulate } from '../../lib/testing';
import '../../lib/testing/jest';
import { BookinfoMeshChart } from '../../examples/bookinfo-mesh';
import { CanaryGatewayChart } from '../../examples/canary-gateway';
import { ShopIngressChart } from '../../examples/shop-ingress';

type Json = Record<string, unknown>;

/** A chart of raw objects (namespace `shop`): Deployments v1/v2 of `web` behind one Service, plus `extra`. */
function rawChart(extra: Json[]): Chart {
  const chart = new Chart(Testing.app(), 'raw');
  const deployment = (version: string, replicas: number): Json => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${version}`, namespace: 'shop' },
    spec: {
      replicas, selector: { matchLabels: { app: 'web', version } },
      template: { metadata: { labels: { app: 'web', version } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    },
  });
  const objects: Json[] = [
    deployment('v1', 3), deployment('v2', 1),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'client' } }, template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'curl' }] } } } },
    ...extra,
  ];
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o as never));
  return chart;
}

const gatewayApi: Json[] = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gw' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' }, spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
];
const route = (rules: Json[]): Json => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop' }, spec: { parentRefs: [{ name: 'public' }], hostnames: ['shop.example.com'], rules } });

describe('toRoute', () => {
  test('shop-ingress: paths to Services by name or namespace/name, pods by labels', () => {
    const sim = simulate(new ShopIngressChart(Testing.app(), 'shop-ingress'));
    expect(sim).toRoute('https://shop.example.com/api/cart', { to: 'api' });
    expect(sim).toRoute('https://shop.example.com/api/cart', { to: 'shop/api', pods: 'app=api' });
    expect(sim).toRoute('https://shop.example.com/apix', { to: 'frontend' });
    expect(sim).toRoute('https://shop.example.com/');
    expect(sim).not.toRoute('https://shop.example.com/', { to: 'api' });
    expect(sim).toRoute('https://shop.example.com/healthz', { pods: sim.pods({ app: 'frontend' }).map((p) => `${p.namespace}/${p.name}`) });
  });

  test('canary-gateway: a split is two Services; the tester header pins v2', () => {
    const sim = simulate(new CanaryGatewayChart(Testing.app(), 'canary-gateway'));
    expect(sim).toRoute('http://checkout.example.com/pay', { to: ['checkout-v1', 'checkout-v2'] });
    expect(sim).not.toRoute('http://checkout.example.com/pay', { to: 'checkout-v1' });
    expect(sim).toRoute('http://checkout.example.com/pay', { headers: { 'X-Canary': 'always' }, to: 'checkout-v2', pods: 'version=v2' });
  });

  test('bookinfo-mesh: from a pod (by its labels) through the sidecar, to a subset', () => {
    const sim = simulate(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh'));
    expect(sim).toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', to: 'reviews', subset: 'v1', pods: 'version=v1' });
    expect(sim).toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', headers: { 'end-user': 'jason' }, subset: 'v2' });
    expect(sim).not.toRoute('http://reviews:9080/reviews/0', { from: 'app=productpage', subset: 'v3' });
    expect(sim.request('http://reviews:9080/', { from: 'app=productpage' }).entry?.id).toBe('mesh');
  });

  test('status: a redirect, and 404 where no route matches', () => {
    const sim = simulate(rawChart([...gatewayApi, route([
      { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/new' } }], backendRefs: [{ name: 'web', port: 80 }] },
    ])]));
    expect(sim).toRoute('http://shop.example.com/old', { status: 301 });
    expect(sim).toRoute('http://shop.example.com/nothing', { status: 404 });
    expect(sim).not.toRoute('http://shop.example.com/new', { status: 404 });
    // Without `status`, a redirect is not "routed".
    expect(sim).not.toRoute('http://shop.example.com/old');
  });

  test('a share answered with an error fails the check, and says how much', () => {
    const sim = simulate(rawChart([...gatewayApi, route([{ backendRefs: [{ name: 'web', port: 80 }, { name: 'missing', port: 80 }] }])]));
    const r = checkHttpRoute(sim, 'http://shop.example.com/', { to: 'web' });
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/50% of the requests get an error status \(shop\/missing: Service shop\/missing does not exist\)/);
  });

  test('what-if: after scaling to zero the request fails', () => {
    const sim = simulate(rawChart([...gatewayApi, route([{ backendRefs: [{ name: 'web', port: 80 }] }])]));
    expect(sim).toRoute('http://shop.example.com/', { to: 'web' });
    sim.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'shop', name: 'web-v1' }, replicas: 0 });
    sim.apply({ type: 'scale', workload: { kind: 'Deployment', namespace: 'shop', name: 'web-v2' }, replicas: 0 });
    expect(sim).not.toRoute('http://shop.example.com/');
  });
});

describe('toSplit over HTTP', () => {
  test('Gateway API weights per Service and per pod label (canary-gateway, 90/10)', () => {
    const sim = simulate(new CanaryGatewayChart(Testing.app(), 'canary-gateway'));
    expect(sim).toSplit('http://checkout.example.com/', { 'checkout-v1': 90, 'checkout-v2': 10 });
    expect(sim).toSplit('http://checkout.example.com/', { 'version=v1': 90, 'version=v2': 10 });
    expect(sim).not.toSplit('http://checkout.example.com/', { 'checkout-v1': 50, 'checkout-v2': 50 });
  });

  test('Istio subsets from a pod: by subset name, whatever the pods behind them', () => {
    const sim = simulate(rawChart([
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'shop' }, spec: { host: 'web', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' }, spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: 'v1' }, weight: 90 }, { destination: { host: 'web', subset: 'v2' }, weight: 10 }] }] } },
    ]));
    expect(sim).toSplit('http://web.shop/', { v1: 90, v2: 10 }, { from: 'app=client' });
    expect(sim).toSplit('http://web.shop/', { 'version=v1': 90, 'version=v2': 10 }, { from: 'app=client' });
    // L4 would split 3:1 by pods; the subsets make it 90/10.
    expect(sim).toSplit('http://web.shop/', { web: 100 }, { from: 'app=client' });
    expect(checkSplit(sim, 'web.shop:80', { 'version=v1': 75, 'version=v2': 25 }, { from: 'app=client' }).pass).toBe(true);
  });
});

describe('failing HTTP matchers explain themselves with the trace', () => {
  const sim = simulate(new CanaryGatewayChart(Testing.app(), 'canary-gateway'));

  test('toRoute: the message names the Services reached and prints the L7 trace', () => {
    let message = '';
    try {
      expect(sim).toRoute('http://checkout.example.com/pay', { to: 'checkout-v2' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/expected GET http:\/\/checkout\.example\.com\/pay to be routed to checkout-v2, but it reaches checkout\/checkout-v1 \(90%\), checkout\/checkout-v2 \(10%\)/);
    expect(message).toMatch(/^request {2}GET http:\/\/checkout\.example\.com\/pay from outside the cluster$/m);
    expect(message).toMatch(/^entry {4}.*checkout\/public/m);
    expect(message).toMatch(/^lost\n.*HTTPRoute checkout\/checkout rule\[0\]/m);
    expect(message).toMatch(/^backend {2}checkout\/checkout-v1:80 weight 90 \(90%\)$/m);
    expect(message).toMatch(/^result OK$/m);
  });

  test('toSplit: the message shows the actual shares and the trace', () => {
    const r = checkHttpSplit(sim, 'http://checkout.example.com/', { 'checkout-v1': 50, 'checkout-v2': 50 });
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/to split checkout-v1: 90% \(expected 50%\), checkout-v2: 10% \(expected 50%\)/);
    expect(r.message).toMatch(/^backend {2}checkout\/checkout-v2:80 weight 10 \(10%\)$/m);
  });

  test('a host no entry point serves: the failure and a hint about `from`', () => {
    const r = checkHttpRoute(sim, 'http://checkout-v1.checkout:80/');
    expect(r.pass).toBe(false);
    expect(r.message).toMatch(/no Ingress, Gateway listener or Istio gateway serves/);
    expect(r.message).toMatch(/pass `from`/);
    expect(r.message).toMatch(/^result FAIL \(no-entry-point, HTTP 404\)/m);
  });

  test('a negated matcher that fails prints the trace too', () => {
    expect(() => expect(sim).not.toRoute('http://checkout.example.com/pay')).toThrow(/not to be routed, but it reaches checkout\/checkout-v1 \(90%\)[^]*result OK/);
  });
});

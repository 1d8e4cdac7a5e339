/**
 * The NetworkPolicy construct: what it synthesizes, what the API server would reject (synth-time
 * validation), the engine's verdicts on the synthesized policies, and interop with cdk8s-plus
 * both ways (cdk8s-plus workloads as selector and peers; our workloads as peers of cdk8s-plus's
 * `connections.allowTo`).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  Deployment, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, plusPodSelector, Protocol,
} from '../../lib/constructs';
import '../../lib/testing/jest';
import { checkDenies, simulate } from '../../lib/testing';
import { findObject, newChart, synth, synthError } from '../support/synth';

function shop(chart: Chart) {
  const web = new Deployment(chart, 'web', { metadata: { name: 'web' }, podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'web', ports: [{ containerPort: 8080, name: 'http' }] }] });
  const cart = new Deployment(chart, 'cart', { metadata: { name: 'cart' }, podLabels: { app: 'cart' }, containers: [{ name: 'cart', image: 'cart', ports: [{ containerPort: 7070, name: 'grpc' }] }] });
  const loadgen = new Deployment(chart, 'loadgen', { metadata: { name: 'loadgen' }, podLabels: { app: 'loadgen' }, containers: [{ name: 'lg', image: 'lg' }] });
  web.exposeViaService('web-svc', { metadata: { name: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  cart.exposeViaService('cart-svc', { metadata: { name: 'cart' }, ports: [{ port: 7070 }] });
  return { web, cart, loadgen };
}

describe('NetworkPolicy construct: synthesis', () => {
  test('a policy for a workload: podSelector from its labels, peers in the same namespace, policyTypes written out', () => {
    const chart = newChart('shop');
    const { web, cart } = shop(chart);
    const p = new NetworkPolicy(chart, 'cart-policy', { metadata: { name: 'cart' }, selector: cart });
    p.allowFrom(NetworkPolicyPeer.pods(web), NetworkPolicyPort.tcp(7070));
    expect(findObject(synth(chart), 'NetworkPolicy', 'cart').spec).toEqual({
      podSelector: { matchLabels: { app: 'cart' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 7070 }] }],
    });
  });

  test('denyAll isolates both directions; allowDns adds kube-dns on UDP and TCP 53', () => {
    const chart = newChart('shop');
    NetworkPolicy.denyAll(chart, 'deny', { metadata: { name: 'deny-all' } });
    const dns = new NetworkPolicy(chart, 'dns', { metadata: { name: 'dns' }, isolateIngress: false });
    dns.allowDns();
    const objects = synth(chart);
    expect(findObject(objects, 'NetworkPolicy', 'deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(findObject(objects, 'NetworkPolicy', 'dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('peers in other namespaces, namespaces by name or labels, ipBlocks, named ports and ranges', () => {
    const app = new App();
    const shopChart = new Chart(app, 'shop', { namespace: 'shop' });
    const opsChart = new Chart(app, 'ops', { namespace: 'ops' });
    const { cart } = shop(shopChart);
    const probe = new Deployment(opsChart, 'probe', { metadata: { name: 'probe' }, podLabels: { app: 'probe' }, containers: [{ name: 'p', image: 'p' }] });
    const p = new NetworkPolicy(shopChart, 'p', { metadata: { name: 'p' }, selector: cart });
    p.allowFrom(NetworkPolicyPeer.pods(probe), NetworkPolicyPort.named('grpc'));
    p.allowFrom(NetworkPolicyPeer.namespaces({ names: ['a', 'b'] }), NetworkPolicyPort.tcpRange(8000, 8100));
    p.allowFrom(NetworkPolicyPeer.pods({ role: 'x' }, { namespaces: { labels: { team: 'red' } } }), NetworkPolicyPort.named('grpc', Protocol.TCP));
    p.allowTo(NetworkPolicyPeer.ipBlock('203.0.113.0/24', ['203.0.113.8/29']), NetworkPolicyPort.tcp(443));
    const spec = findObject(synthAll(app), 'NetworkPolicy', 'p').spec as { ingress: unknown[]; egress: unknown[]; policyTypes: string[] };
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'probe' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ protocol: 'TCP', port: 'grpc' }] },
      { from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] } }], ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }] },
      { from: [{ podSelector: { matchLabels: { role: 'x' } }, namespaceSelector: { matchLabels: { team: 'red' } } }], ports: [{ protocol: 'TCP', port: 'grpc' }] },
    ]);
    expect(spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.8/29'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });
});

function synthAll(app: App) {
  return app.charts.flatMap((c) => c.toJson()) as ReturnType<typeof synth>;
}

describe('NetworkPolicy construct: synth-time validation (what the API server rejects)', () => {
  test('bad ports, ranges and ipBlocks fail synthesis with the field path', () => {
    const chart = newChart('shop');
    const p = new NetworkPolicy(chart, 'bad', { metadata: { name: 'bad' } });
    p.allowFrom(NetworkPolicyPeer.podsInNamespace(), NetworkPolicyPort.tcp(70000));
    p.allowFrom(NetworkPolicyPeer.podsInNamespace(), NetworkPolicyPort.tcpRange(9000, 8000));
    p.allowTo(NetworkPolicyPeer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']));
    p.allowTo(NetworkPolicyPeer.ipBlock('10.0.0.0/33'));
    p.allowFrom(NetworkPolicyPeer.podsInNamespace(), NetworkPolicyPort.named('Not_A_Name'));
    const msg = synthError(chart);
    expect(msg).toContain('NetworkPolicy "bad": spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    // Upstream reports the `port` value here (field.Invalid(endPort, port.Port.IntVal, ...)), not the endPort.
    expect(msg).toContain('spec.ingress[1].ports[0].endPort: Invalid value: 9000: must be greater than or equal to `port`');
    expect(msg).toContain('spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`');
    expect(msg).toContain('spec.egress[1].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33"');
    expect(msg).toContain('spec.ingress[2].ports[0].port: Invalid value: "Not_A_Name"');
  });

  test('a policy selecting a workload of another namespace is refused (a policy applies in its own namespace)', () => {
    const app = new App();
    const shopChart = new Chart(app, 'shop', { namespace: 'shop' });
    const opsChart = new Chart(app, 'ops', { namespace: 'ops' });
    const { cart } = shop(shopChart);
    new NetworkPolicy(opsChart, 'wrong', { metadata: { name: 'wrong' }, selector: cart });
    const errors = app.node.findAll().flatMap((c) => c.node.validate());
    expect(errors.join('\n')).toContain('spec.podSelector: selects the pods of shop/cart, which live in namespace "shop", but the policy is in "ops"');
  });

  test('a policy that isolates nothing and has no rule is refused', () => {
    const chart = newChart('shop');
    new NetworkPolicy(chart, 'noop', { metadata: { name: 'noop' }, isolateIngress: false });
    expect(synthError(chart)).toContain('the policy isolates no direction and has no rule');
  });
});

describe('NetworkPolicy construct: the engine\'s verdicts on the synthesized policies', () => {
  test('deny-all + cart admits web on 7070 + web admits everyone on 8080 + egress only to DNS and cart', () => {
    const chart = newChart('shop');
    const { web, cart } = shop(chart);
    NetworkPolicy.denyAll(chart, 'deny', { metadata: { name: 'deny-all' } });
    new NetworkPolicy(chart, 'cart-in', { metadata: { name: 'cart-in' }, selector: cart, ingress: [{ peers: [NetworkPolicyPeer.pods(web)], ports: [NetworkPolicyPort.named('grpc')] }] });
    new NetworkPolicy(chart, 'web-in', { metadata: { name: 'web-in' }, selector: web, ingress: [{ ports: [NetworkPolicyPort.tcp(8080)] }] });
    const egress = new NetworkPolicy(chart, 'egress', { metadata: { name: 'egress' }, isolateIngress: false });
    egress.allowDns();
    egress.allowTo(NetworkPolicyPeer.pods(cart), NetworkPolicyPort.tcp(7070));
    const sim = simulate(chart);
    expect(sim).toAllow('app=web', 'cart.shop:7070');
    expect(sim).toDeny('app=loadgen', 'cart.shop:7070', { by: 'cart-in' });
    // web-in admits anyone on 8080, but every pod's egress admits only DNS and cart.
    expect(sim).toDeny('app=loadgen', 'web.shop:80', { by: 'egress' });
    expect(sim).toDeny('app=cart', 'web.shop:80', { by: 'egress' });
  });

  test('without allowDns, egress isolation drops the DNS lookup (the trace says so)', () => {
    const chart = newChart('shop');
    const { web, cart } = shop(chart);
    new NetworkPolicy(chart, 'web-out', { metadata: { name: 'web-out' }, selector: web, isolateIngress: false, egress: [{ peers: [NetworkPolicyPeer.pods(cart)], ports: [NetworkPolicyPort.tcp(7070)] }] });
    const r = checkDenies(simulate(chart), 'app=web', 'cart.shop:7070');
    expect(r.pass).toBe(true);
    expect(r.message).toContain('the DNS lookup of cart.shop is dropped');
  });
});

describe('NetworkPolicy construct: cdk8s-plus interop', () => {
  test('a cdk8s-plus workload as the selector and a cdk8s-plus Pods.select as a peer', () => {
    const chart = newChart('shop');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 9000, securityContext: { ensureNonRoot: false } }] });
    api.exposeViaService({ name: 'api', ports: [{ port: 9000 }] });
    const gw = new kplus.Deployment(chart, 'gw', { containers: [{ image: 'gw', portNumber: 80, securityContext: { ensureNonRoot: false } }] });
    const other = new kplus.Deployment(chart, 'other', { containers: [{ image: 'o', portNumber: 81, securityContext: { ensureNonRoot: false } }] });
    const gwPods = kplus.Pods.select(chart, 'gw-pods', { labels: { 'cdk8s.io/metadata.addr': gw.podMetadata.getLabel('cdk8s.io/metadata.addr') as string } });
    new NetworkPolicy(chart, 'api-in', { metadata: { name: 'api-in' }, selector: api, ingress: [{ peers: [NetworkPolicyPeer.pods(gwPods)], ports: [NetworkPolicyPort.tcp(9000)] }] });
    const spec = findObject(synth(chart), 'NetworkPolicy', 'api-in').spec as { podSelector: { matchLabels: Record<string, string> } };
    expect(Object.keys(spec.podSelector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
    const label = (d: kplus.Deployment): string => `cdk8s.io/metadata.addr=${d.podMetadata.getLabel('cdk8s.io/metadata.addr')}`;
    const sim = simulate(chart);
    expect(sim).toAllow(label(gw), 'api.shop:9000');
    expect(sim).toDeny(label(other), 'api.shop:9000', { by: 'api-in' });
  });

  test('our workload as a peer of cdk8s-plus connections.allowTo (plusPodSelector), verdicts by the engine', () => {
    const chart = newChart('shop');
    const { cart } = shop(chart);
    const client = new kplus.Deployment(chart, 'client', { containers: [{ image: 'c', portNumber: 9000, securityContext: { ensureNonRoot: false } }] });
    const stranger = new kplus.Deployment(chart, 'stranger', { containers: [{ image: 's', portNumber: 9001, securityContext: { ensureNonRoot: false } }] });
    // Isolation.POD: cdk8s-plus writes an egress policy on client only; PEER: an ingress policy on cart.
    client.connections.allowTo(plusPodSelector(kplus, cart), { ports: [kplus.NetworkPolicyPort.tcp(7070)], isolation: kplus.PodConnectionsIsolation.PEER });
    const objects = synth(chart);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies).toHaveLength(1);
    expect(policies[0].metadata.namespace).toBe('shop');
    expect((policies[0].spec as { podSelector: unknown }).podSelector).toEqual({ matchLabels: { app: 'cart' } });
    const label = (d: kplus.Deployment): string => `cdk8s.io/metadata.addr=${d.podMetadata.getLabel('cdk8s.io/metadata.addr')}`;
    const sim = simulate(chart);
    expect(sim).toAllow(label(client), 'cart.shop:7070');
    expect(sim).toDeny(label(stranger), 'cart.shop:7070');
    expect(sim).toDeny('app=web', 'cart.shop:7070');
  });
});

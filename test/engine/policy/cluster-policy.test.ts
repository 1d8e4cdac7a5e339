/**
 * ClusterNetworkPolicy v1alpha2 (network-policy-api v0.3.0), AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy v1alpha1 and Istio AuthorizationPolicy over the x/y/z a/b/c model.
 * Expectations follow the API's documented semantics (apis/v1alpha2/clusternetworkpolicy_types.go:
 * Admin tier before NetworkPolicy, priority order, first matching rule wins, Pass goes to the
 * next tier, Baseline only when no NetworkPolicy isolates the pod).
 */
import { buildModel, netpol, probe, Reachability } from './netpol-harness';

type Json = Record<string, unknown>;
const ns = (n: string): Json => ({ matchLabels: { ns: n } });
const pod = (p: string): Json => ({ matchLabels: { pod: p } });

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: Json): Json {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, ...spec } };
}

describe('ClusterNetworkPolicy tiers', () => {
  it('an Admin Deny overrides a NetworkPolicy that allows', () => {
    const { cluster, policy } = buildModel([
      cnp('deny-y-to-x', 'Admin', 10, { subject: { namespaces: ns('x') }, ingress: [{ name: 'no-y', action: 'Deny', from: [{ namespaces: ns('y') }] }] }),
      netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expect('y/*', 'x/*', false).table());
    const v = policy.verdict({ from: { kind: 'pod', pod: cluster.pods.get('y/a') as never }, to: { kind: 'pod', pod: cluster.pods.get('x/b') as never }, port: 80, protocol: 'TCP' });
    expect(v.ingress).toMatchObject({ allowed: false, decidedBy: 'admin', rule: { policy: { kind: 'ClusterNetworkPolicy', name: 'deny-y-to-x' }, path: 'spec.ingress[0] (no-y)', action: 'Deny' } });
  });

  it('an Admin Accept admits what a NetworkPolicy default-deny would drop', () => {
    const { cluster, policy } = buildModel([
      cnp('accept-y-to-x-a', 'Admin', 10, { subject: { pods: { namespaceSelector: ns('x'), podSelector: pod('a') } }, ingress: [{ action: 'Accept', from: [{ namespaces: ns('y') }] }] }),
      netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/*', false).expect('y/*', 'x/a', true).table());
  });

  it('priority: the lower value wins within a tier', () => {
    const { cluster, policy } = buildModel([
      cnp('deny-y', 'Admin', 10, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('y') }] }] }),
      cnp('accept-y-b', 'Admin', 5, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Accept', from: [{ pods: { namespaceSelector: ns('y'), podSelector: pod('b') } }] }] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expect('y/*', 'x/*', false).expect('y/b', 'x/*', true).table());
  });

  it('Pass skips the Admin tier: NetworkPolicy decides when it isolates, else the Baseline tier', () => {
    const objs = [
      cnp('pass-y', 'Admin', 1, { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: ns('y') }] }] }),
      cnp('deny-later', 'Admin', 2, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('y') }] }] }),
      cnp('baseline-deny-y', 'Baseline', 1, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('y') }] }] }),
      netpol('x', 'allow-from-y', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }] }] }),
    ];
    const { cluster, policy } = buildModel(objs);
    // x/a: isolated by the NetworkPolicy, which admits y only (so x and z are denied there);
    // every other pod: the NetworkPolicy does not isolate it, so the baseline denies y (y -> y too).
    const want = new Reachability(true).expect('y/*', '*', false).expectAllIngress('x/a', false).expect('y/*', 'x/a', true);
    expect(probe(policy, cluster, 80)).toBe(want.table());
  });

  it('Baseline Accept does not override a NetworkPolicy that isolates the pod', () => {
    const { cluster, policy } = buildModel([
      cnp('baseline-accept', 'Baseline', 1, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }),
      netpol('x', 'deny', { podSelector: pod('a'), policyTypes: ['Ingress'] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/a', false).table());
  });

  it('egress networks, port ranges and destinationNamedPort', () => {
    const build = (ip: string) => buildModel([
      cnp('no-egress-to-y-b', 'Admin', 1, { subject: { namespaces: ns('x') }, egress: [
        { action: 'Deny', to: [{ networks: [`${ip}/32`] }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 80 } } } }] },
        { action: 'Deny', to: [{ namespaces: ns('z') }], protocols: [{ destinationNamedPort: 'serve-81-tcp' }] },
      ] }),
    ]);
    const ip = buildModel([]).cluster.pods.get('y/b')?.ip as string;
    const { cluster, policy } = build(ip);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expect('x/*', 'y/b', false).table());
    expect(probe(policy, cluster, 81)).toBe(new Reachability(true).expect('x/*', 'z/*', false).table());
  });

  it('same-priority policies that disagree are reported', () => {
    const { cluster, policy } = buildModel([
      cnp('a-accept', 'Admin', 7, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Accept', from: [{ namespaces: ns('y') }] }] }),
      cnp('b-deny', 'Admin', 7, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('y') }] }] }),
    ]);
    const v = policy.verdict({ from: { kind: 'pod', pod: cluster.pods.get('y/a') as never }, to: { kind: 'pod', pod: cluster.pods.get('x/a') as never }, port: 80, protocol: 'TCP' });
    expect(v.notes.join('\n')).toContain('share priority 7 and disagree');
  });

  it('a peer with no known field fails closed: Deny matches everything, Accept nothing', () => {
    const { cluster, policy } = buildModel([
      cnp('future-peer', 'Admin', 1, { subject: { namespaces: ns('x') }, ingress: [{ action: 'Deny', from: [{ futureField: {} }] }] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/*', false).table());
    expect(policy.problems[0].message).toContain('fail closed');
  });
});

describe('AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1', () => {
  it('ANP Allow/Deny in the Admin tier; BANP Deny below NetworkPolicy', () => {
    const { cluster, policy } = buildModel([
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'anp' }, spec: { priority: 3, subject: { namespaces: ns('x') }, ingress: [
        { action: 'Allow', from: [{ pods: { namespaceSelector: ns('z'), podSelector: pod('c') } }], ports: [{ portNumber: { protocol: 'TCP', port: 80 } }] },
        { action: 'Deny', from: [{ namespaces: ns('z') }] },
      ] } },
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: ns('y') }] }] } },
      netpol('y', 'allow-y', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: ns('y') }] }] }),
    ]);
    const want = new Reachability(true)
      .expect('z/*', 'x/*', false).expect('z/c', 'x/*', true)
      .expect('y/*', 'x/*', false).expect('y/*', 'z/*', false)
      .expectAllIngress('y/*', false).expect('y/*', 'y/*', true);
    expect(probe(policy, cluster, 80)).toBe(want.table());
  });
});

describe('Istio AuthorizationPolicy (mesh traffic)', () => {
  const mesh = { x: { 'istio-injection': 'enabled' }, y: { 'istio-injection': 'enabled' } };
  const ap = (name: string, namespace: string, spec: Json): Json => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec });

  it('ALLOW by source namespace: in-mesh clients of y are admitted, others (z is outside the mesh) are not', () => {
    const { cluster, policy } = buildModel([ap('allow-y', 'x', { selector: { matchLabels: { pod: 'a' } }, action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['y'] } }] }] })], {}, mesh);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true).table());
  });

  it('principals come from the service account; ALLOW with HTTP-only fields never matches plain TCP', () => {
    const { cluster, policy } = buildModel([
      ap('allow-default-sa', 'x', { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/y/sa/default'] } }] }] }),
      ap('allow-get', 'x', { action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }),
    ], {}, mesh);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/*', false).expect('y/*', 'x/*', true).table());
    const http = policy.verdict({ from: { kind: 'pod', pod: cluster.pods.get('z/a') as never }, to: { kind: 'pod', pod: cluster.pods.get('x/a') as never }, port: 80, protocol: 'TCP', http: { method: 'GET', path: '/' } });
    expect(http.mesh).toMatchObject({ allowed: true, rule: { policy: { name: 'allow-get' } } });
  });

  it('DENY with HTTP-only fields denies plain TCP (the HTTP fields are dropped)', () => {
    const { cluster, policy } = buildModel([ap('deny-admin', 'x', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'], ports: ['80'] } }] }] })], {}, mesh);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/*', false).table());
    expect(probe(policy, cluster, 81)).toBe(new Reachability(true).table());
  });
});

describe('CNI profile options', () => {
  const deny = [netpol('x', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })];
  it('loopback: allow (default) vs policy', () => {
    const a = buildModel(deny);
    const b = buildModel(deny, { loopback: 'policy' });
    const self = (m: typeof a) => m.policy.verdict({ from: { kind: 'pod', pod: m.cluster.pods.get('x/a') as never }, to: { kind: 'pod', pod: m.cluster.pods.get('x/a') as never }, port: 80, protocol: 'TCP' }).allowed;
    expect(self(a)).toBe(true);
    expect(self(b)).toBe(false);
  });

  it('nodeTraffic: the pod\'s own node is allowed by default, policed with "policy"', () => {
    const a = buildModel(deny);
    const b = buildModel(deny, { nodeTraffic: 'policy' });
    const fromNode = (m: typeof a) => {
      const p = m.cluster.pods.get('x/a') as never as { nodeName: string };
      return m.policy.verdict({ from: { kind: 'node', node: m.cluster.nodes.get(p.nodeName) as never }, to: { kind: 'pod', pod: p as never }, port: 80, protocol: 'TCP' }).allowed;
    };
    expect(fromNode(a)).toBe(true);
    expect(fromNode(b)).toBe(false);
  });

  it('endPort: ignore shrinks a range to its first port', () => {
    const objs = [netpol('x', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })];
    expect(probe(buildModel(objs, { endPort: 'ignore' }).policy, buildModel(objs).cluster, 81)).toBe(new Reachability(true).expectAllIngress('x/*', false).table());
  });

  it('serviceTranslation: pre-dnat checks egress ports against the Service port', () => {
    const { cluster, policy } = buildModel([netpol('x', 'egress-53', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]);
    const pre = buildModel([netpol('x', 'egress-53', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })], { serviceTranslation: 'pre-dnat' }).policy;
    const conn = { from: { kind: 'pod', pod: cluster.pods.get('x/a') }, to: { kind: 'pod', pod: cluster.pods.get('y/a') }, port: 5353, protocol: 'UDP', service: { ip: '10.96.0.10', port: 53 } } as never;
    expect(policy.verdict(conn).allowed).toBe(false);
    expect(pre.verdict(conn).allowed).toBe(true);
  });
});

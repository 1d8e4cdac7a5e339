/**
 * The upstream e2e NetworkPolicy specs (kubernetes `test/e2e/network/netpol/network_policy.go`)
 * as truth-table cases over the x/y/z a/b/c model: each case writes the spec's policy and the
 * expectations the spec asserts, in our own words. Used by netpol-truth-tables.test.ts and by
 * the peer comparison (scripts/peers/reach-compare.ts), so both run the same cases.
 */
import { netpol, Reachability } from './netpol-harness';

type Json = Record<string, unknown>;
const sel = (labels: Record<string, string>): Json => ({ matchLabels: labels });
const expr = (key: string, operator: string, values?: string[]): Json => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

/** One spec: its policies (given the model's pod IPs, for ipBlock cases), the probe, the expected grid. */
export interface E2eCase {
  readonly name: string;
  readonly policies: (ips: (pod: string) => string) => Json[];
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly expect: () => Reachability;
}

export const E2E_CASES: readonly E2eCase[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    policies: () => [netpol('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/*', false),
  },
  {
    name: "should support a 'default-deny-all' policy",
    policies: () => [netpol('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/*', false).expectAllEgress('x/*', false),
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    policies: () => [netpol('x', 'x-a-allows-x-b', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true),
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    policies: () => [
      netpol('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('x', 'allow-all-to-a', { podSelector: sel({ pod: 'a' }), ingress: [{}] }),
    ],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/*', false).expectAllIngress('x/a', true),
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    policies: () => [netpol('x', 'allow-ns-y', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true),
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    policies: () => [netpol('x', 'pod-in-b', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: expr('pod', 'In', ['b']) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true),
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    policies: () => [netpol('x', 'ns-in-y', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'In', ['y']) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true),
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    policies: () => [netpol('x', 'or', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }, { podSelector: expr('pod', 'NotIn', ['a']) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expect('x/a', 'x/a', false),
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    policies: () => [netpol('x', 'and', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']), podSelector: sel({ pod: 'b' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true),
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    policies: () => [netpol('x', 'multi', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']), podSelector: expr('pod', 'In', ['b', 'c']) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('y/c', 'x/a', true).expect('z/b', 'x/a', true).expect('z/c', 'x/a', true),
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    policies: () => [netpol('x', 'any', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }, { podSelector: sel({ pod: 'c' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true),
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    policies: () => [netpol('x', 'y-a', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }), podSelector: sel({ pod: 'a' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/a', 'x/a', true),
  },
  ...[80, 81].map((port): E2eCase => ({
    name: `should enforce policy based on Ports (port ${port})`,
    policies: () => [netpol('x', 'port-81', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }], ports: [{ port: 81, protocol: 'TCP' }] }] })],
    port,
    expect: () => port === 80 ? new Reachability(true).expectAllIngress('x/a', false) : new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true).expect('z/*', 'x/a', true),
  })),
  ...[80, 81].map((port): E2eCase => ({
    name: `should enforce multiple, stacked policies with overlapping podSelectors (port ${port})`,
    policies: () => [
      netpol('x', 'allow-81', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }], ports: [{ port: 81 }] }] }),
      netpol('x', 'allow-80', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }], ports: [{ port: 80 }] }] }),
    ],
    port,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true).expect('z/*', 'x/a', true),
  })),
  {
    name: 'should support allow-all policy',
    policies: () => [netpol('x', 'allow-all', { podSelector: {}, ingress: [{}] })],
    port: 81,
    expect: () => new Reachability(true),
  },
  ...[80, 81].map((port): E2eCase => ({
    name: `should allow ingress access on one named port (port ${port})`,
    policies: () => [netpol('x', 'named-81', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    port,
    expect: () => port === 81 ? new Reachability(true) : new Reachability(true).expectAllIngress('x/*', false),
  })),
  ...[80, 81].map((port): E2eCase => ({
    name: `should allow ingress access from namespace on one named port (port ${port})`,
    policies: () => [netpol('x', 'ns-named-80', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: expr('ns', 'In', ['y', 'z']) }], ports: [{ port: 'serve-80-tcp' }] }] })],
    port,
    expect: () => port === 80
      ? new Reachability(true).expectAllIngress('x/*', false).expect('y/*', 'x/*', true).expect('z/*', 'x/*', true)
      : new Reachability(true).expectAllIngress('x/*', false),
  })),
  ...[80, 81].map((port): E2eCase => ({
    name: `should allow egress access on one named port (port ${port})`,
    policies: () => [netpol('x', 'egress-named-80', { podSelector: {}, egress: [{ ports: [{ port: 'serve-80-tcp' }] }, { ports: [{ port: 53, protocol: 'UDP' }] }], policyTypes: ['Egress'] })],
    port,
    expect: () => port === 80 ? new Reachability(true) : new Reachability(true).expectAllEgress('x/*', false),
  })),
  {
    name: 'should deny egress from pods based on PodSelector',
    policies: () => [netpol('x', 'deny-egress-a', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllEgress('x/a', false),
  },
  {
    name: 'should deny egress from all pods in a namespace',
    policies: () => [netpol('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllEgress('x/*', false),
  },
  {
    name: 'should work with Ingress, Egress specified together',
    policies: () => [netpol('x', 'both', {
      podSelector: sel({ pod: 'a' }),
      ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }],
      egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }) }] }, { ports: [{ port: 53, protocol: 'UDP' }] }],
      policyTypes: ['Ingress', 'Egress'],
    })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expectAllEgress('x/a', false).expect('x/a', 'y/*', true),
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    policies: () => [
      netpol('x', 'a-egress-to-y', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }) }] }], policyTypes: ['Egress'] }),
      netpol('z', 'allow-from-x-a', { podSelector: sel({ pod: 'b' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'x' }), podSelector: sel({ pod: 'a' }) }] }] }),
    ],
    port: 80,
    expect: () => new Reachability(true).expectAllEgress('x/a', false).expect('x/a', 'y/*', true).expectAllIngress('z/b', false),
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    policies: () => [netpol('x', 'to-y-a', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }), podSelector: sel({ pod: 'a' }) }] }], policyTypes: ['Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllEgress('x/a', false).expect('x/a', 'y/a', true),
  },
  ...(['TCP', 'UDP'] as const).map((protocol): E2eCase => ({
    name: `should enforce ingress policy allowing any port traffic to a server on a specific protocol (${protocol})`,
    policies: () => [netpol('x', 'any-tcp', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    port: 80,
    protocol,
    expect: () => protocol === 'TCP' ? new Reachability(true) : new Reachability(true).expectAllIngress('x/a', false),
  })),
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    policies: () => [
      netpol('x', 'only-80', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 80 }] }] }),
      netpol('x', 'allow-all', { podSelector: sel({ pod: 'a' }), ingress: [{}] }),
    ],
    port: 81,
    expect: () => new Reachability(true),
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    policies: () => [
      netpol('x', 'only-80', { podSelector: sel({ pod: 'a' }), egress: [{ ports: [{ port: 80 }] }], policyTypes: ['Egress'] }),
      netpol('x', 'allow-all', { podSelector: sel({ pod: 'a' }), egress: [{}], policyTypes: ['Egress'] }),
    ],
    port: 81,
    expect: () => new Reachability(true),
  },
  {
    name: 'should allow egress access to server in CIDR block',
    policies: (ip) => [netpol('x', 'cidr', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ ipBlock: { cidr: `${ip('y/b')}/32` } }] }], policyTypes: ['Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expectAllEgress('x/a', false).expect('x/a', 'y/b', true),
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    policies: (ip) => [netpol('x', 'except', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [`${ip('y/b')}/32`] } }] }], policyTypes: ['Egress'] })],
    port: 80,
    expect: () => new Reachability(true).expect('x/a', 'y/b', false),
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    policies: (ip) => [
      netpol('x', 'except', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [`${ip('y/b')}/32`] } }] }], policyTypes: ['Egress'] }),
      netpol('x', 'allow-y-b', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ ipBlock: { cidr: `${ip('y/b')}/32` } }] }], policyTypes: ['Egress'] }),
    ],
    port: 80,
    expect: () => new Reachability(true),
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    policies: () => [
      netpol('x', 'allow-all-egress-a', { podSelector: sel({ pod: 'a' }), egress: [{}], policyTypes: ['Egress'] }),
      netpol('x', 'deny-egress-to-b', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ podSelector: sel({ pod: 'c' }) }] }], policyTypes: ['Egress'] }),
      netpol('x', 'deny-ingress-b', { podSelector: sel({ pod: 'b' }), policyTypes: ['Ingress'] }),
    ],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/b', false),
  },
  ...(['TCP', 'SCTP'] as const).map((protocol): E2eCase => ({
    name: `should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP' (${protocol})`,
    policies: () => [netpol('x', 'sctp-only', { podSelector: {}, ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] })],
    port: 81,
    protocol,
    expect: () => protocol === 'SCTP' ? new Reachability(true) : new Reachability(true).expectAllIngress('x/*', false),
  })),
  ...(['TCP', 'UDP'] as const).map((protocol): E2eCase => ({
    name: `should not allow access by TCP when a policy specifies only UDP (${protocol})`,
    policies: () => [netpol('x', 'udp-only', { podSelector: sel({ pod: 'a' }), ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })],
    port: 81,
    protocol,
    expect: () => protocol === 'UDP' ? new Reachability(true) : new Reachability(true).expectAllIngress('x/a', false),
  })),
  ...[80, 81, 82].map((port): E2eCase => ({
    name: `should enforce policy based on ports with endPort (port ${port})`,
    policies: () => [netpol('x', 'range', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }], ports: [{ port: 80, endPort: 81, protocol: 'TCP' }] }] })],
    port,
    expect: () => port === 82 ? new Reachability(true).expectAllIngress('x/a', false) : new Reachability(true).expectAllIngress('x/a', false).expect('y/*', 'x/a', true).expect('z/*', 'x/a', true),
  })),
  {
    name: 'should support a default-deny-ingress policy (UDP)',
    policies: () => [netpol('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })],
    port: 81,
    protocol: 'UDP',
    expect: () => new Reachability(true).expectAllIngress('x/*', false),
  },
  {
    name: 'policyTypes left out with egress rules: both directions isolate (defaults.go)',
    policies: () => [netpol('x', 'defaulted', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/a', 'x/b', true),
  },
  {
    name: 'an empty namespaceSelector with a podSelector selects that pod in every namespace',
    policies: () => [netpol('x', 'all-ns-b', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: {}, podSelector: sel({ pod: 'b' }) }] }] })],
    port: 80,
    expect: () => new Reachability(true).expectAllIngress('x/a', false).expect('*/b', 'x/a', true),
  },
];

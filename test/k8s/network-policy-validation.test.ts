/**
 * `validateNetworkPolicy` against the API server's ValidateNetworkPolicySpec (kubernetes
 * pkg/apis/networking/validation, v1.36) and ValidateLabelSelector (apimachinery), case by case.
 */
import { labelSelectorProblems, validateNetworkPolicy } from '../../lib/k8s/network-policy-validation';

const policy = (spec: unknown): Record<string, unknown> => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec });
const fields = (spec: unknown): string[] => validateNetworkPolicy(policy(spec)).map((p) => `${p.field}: ${p.message}`);

describe('validateNetworkPolicy', () => {
  test('a policy the API server admits has no problems', () => {
    expect(fields({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, { key: 'tier', operator: 'DoesNotExist' }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {}, namespaceSelector: { matchLabels: { team: 'a' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, endPort: 90 }, { port: 'http', protocol: 'UDP' }, { protocol: 'SCTP' }] }],
      egress: [{}, { to: [{ ipBlock: { cidr: 'fd00::/64', except: ['fd00::/96'] } }] }],
    })).toEqual([]);
    expect(fields({ podSelector: {} })).toEqual([]);
  });

  test('wrong JSON types are reported where they are, not thrown (the fuzz case: matchExpressions as a map)', () => {
    expect(fields({ podSelector: { matchExpressions: { key: 'app', operator: 'In', values: ['web'] } } }))
      .toEqual(['spec.podSelector.matchExpressions: Invalid type: expected an array, got object (the API server cannot decode the object)']);
    expect(fields({ podSelector: 'app=web', ingress: {}, policyTypes: 'Ingress' }).map((f) => f.split(':')[0]))
      .toEqual(['spec.podSelector', 'spec.ingress', 'spec.policyTypes']);
    expect(fields({ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 7 } } }], ports: [{ port: true }] }] }).map((f) => f.split(':')[0]))
      .toEqual(['spec.ingress[0].ports[0].port', 'spec.ingress[0].from[0].podSelector.matchLabels.app']);
    expect(validateNetworkPolicy({ spec: [] }).map((p) => p.field)).toEqual(['spec']);
  });

  test('label selectors: operators, their values, keys and values (ValidateLabelSelectorRequirement)', () => {
    expect(labelSelectorProblems({ matchExpressions: [
      { key: 'app', operator: 'In' },
      { key: 'app', operator: 'Exists', values: ['x'] },
      { key: 'app', operator: 'Equals', values: ['x'] },
      { key: '-bad', operator: 'NotIn', values: ['ok', 'not ok'] },
    ], matchLabels: { 'a/b/c': 'v' } }, 'sel').map((p) => p.field)).toEqual([
      'sel.matchLabels.a/b/c',
      'sel.matchExpressions[0].values',
      'sel.matchExpressions[1].values',
      'sel.matchExpressions[2].operator',
      'sel.matchExpressions[3].key',
      'sel.matchExpressions[3].values[1]',
    ]);
  });

  test('ports: range, endPort rules and protocols (ValidateNetworkPolicyPort)', () => {
    expect(fields({ podSelector: {}, ingress: [{ ports: [
      { port: 0 }, { port: 100, endPort: 99 }, { port: 100, endPort: 70000 }, { port: 'http', endPort: 90 }, { endPort: 90 },
      { port: 'not_a_name' }, { port: 80, protocol: 'ICMP' },
    ] }] })).toEqual([
      'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[1].endPort: Invalid value: 100: must be greater than or equal to `port`',
      'spec.ingress[0].ports[2].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
      'spec.ingress[0].ports[4].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      expect.stringMatching(/^spec\.ingress\[0\]\.ports\[5\]\.port: Invalid value: "not_a_name": /),
      'spec.ingress[0].ports[6].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    ]);
  });

  test('peers: at least one, ipBlock alone, CIDRs and strict-subset excepts (ValidateNetworkPolicyPeer, ValidateIPBlock)', () => {
    expect(fields({ podSelector: {}, egress: [{ to: [
      {},
      { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} },
      { ipBlock: { cidr: '' } },
      { ipBlock: { cidr: '10.0.0.0/33' } },
      { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16', '10.1.0.0/24', '10.0.1.0/24', 'fd00::/64', 'x'] } },
    ] }] })).toEqual([
      'spec.egress[0].to[0]: Required value: must specify a peer',
      'spec.egress[0].to[1]: Forbidden: may not specify both ipBlock and another peer',
      'spec.egress[0].to[2].ipBlock.cidr: Required value',
      expect.stringMatching(/^spec\.egress\[0\]\.to\[3\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.0\/33": must be a valid CIDR/),
      'spec.egress[0].to[4].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
      'spec.egress[0].to[4].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      'spec.egress[0].to[4].ipBlock.except[3]: Invalid value: "fd00::/64": must be a strict subset of `cidr`',
      expect.stringMatching(/^spec\.egress\[0\]\.to\[4\]\.ipBlock\.except\[4\]: Invalid value: "x": must be a valid CIDR/),
    ]);
  });

  test('policyTypes: Ingress and Egress only, at most two', () => {
    expect(fields({ podSelector: {}, policyTypes: ['Ingress', 'Outbound'] })).toEqual(['spec.policyTypes[1]: Unsupported value: "Outbound": supported values: "Ingress", "Egress"']);
    expect(fields({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toEqual(['spec.policyTypes: Invalid value: may not specify more than two policyTypes']);
  });
});

/**
 * Policies the API server (or a CRD schema) would refuse never crash the model: an invalid
 * NetworkPolicy is left out, as it never exists on a cluster, and said so in the verdicts it
 * could have changed; a malformed selector in a cluster policy selects nothing, also said so.
 */
import { buildModel, netpol, probe, Reachability } from './netpol-harness';

describe('policies the API server rejects', () => {
  test('an invalid NetworkPolicy (matchExpressions as a map, found by fuzzing) is not applied, and the verdicts in its namespace say why', () => {
    const { cluster, policy } = buildModel([
      netpol('x', 'deny-all', { podSelector: { matchExpressions: { key: 'pod', operator: 'In', values: ['a'] } }, policyTypes: ['Ingress'] }),
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).table());
    expect(policy.networkPolicies).toEqual([]);
    const into = policy.verdict({ from: { kind: 'pod', pod: cluster.pods.get('y/a') as never }, to: { kind: 'pod', pod: cluster.pods.get('x/a') as never }, port: 80, protocol: 'TCP' });
    expect(into.allowed).toBe(true);
    expect(into.unmodelled).toEqual([expect.stringMatching(/^NetworkPolicy x\/deny-all spec\.podSelector\.matchExpressions: Invalid type: expected an array.*the API server rejects this NetworkPolicy, so it is not applied here$/)]);
    // Elsewhere it could not have decided anything: not mentioned.
    const elsewhere = policy.verdict({ from: { kind: 'pod', pod: cluster.pods.get('y/a') as never }, to: { kind: 'pod', pod: cluster.pods.get('z/a') as never }, port: 80, protocol: 'TCP' });
    expect(elsewhere.unmodelled).toEqual([]);
  });

  test('a valid policy next to it still applies', () => {
    const { cluster, policy } = buildModel([
      netpol('x', 'bad', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }),
      netpol('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(policy.networkPolicies.map((p) => p.ref.name)).toEqual(['deny-all']);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).expectAllIngress('x/*', false).table());
  });

  test('a ClusterNetworkPolicy subject with a malformed selector selects nothing and is reported', () => {
    const { cluster, policy } = buildModel([
      { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'deny-y' }, spec: { tier: 'Admin', priority: 1, subject: { namespaces: { matchExpressions: { key: 'ns', operator: 'In', values: ['x'] } } }, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { ns: 'y' } } }] }] } },
    ]);
    expect(probe(policy, cluster, 80)).toBe(new Reachability(true).table());
    expect(policy.problems.map((p) => `${p.ref.name} ${p.path}`)).toEqual(['deny-y spec.subject.namespaces.matchExpressions']);
  });
});

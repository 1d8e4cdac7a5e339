/**
 * The model's reading of ClusterNetworkPolicy is held to the CRD of network-policy-api v0.3.0
 * (vendored from the Go module sigs.k8s.io/network-policy-api@v0.3.0, config/crd/standard):
 * every field and enum value the parser reads must exist in the served v1alpha2 schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';

type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: string[]; maximum?: number; minimum?: number };
type Crd = { spec: { group: string; names: { kind: string }; scope: string; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] } };
const dir = path.join(__dirname, '../../fixtures/crds/network-policy-api-v0.3.0');
const read = (channel: string): Crd => load(fs.readFileSync(path.join(dir, `${channel}-policy.networking.k8s.io_clusternetworkpolicies.yaml`), 'utf8')) as Crd;
const crd = read('standard');
const experimental = read('experimental');

function at(s: Schema, ...keys: string[]): Schema {
  let cur = s;
  for (const k of keys) {
    const next = k === '[]' ? cur.items : cur.properties?.[k];
    if (!next) throw new Error(`no ${keys.join('.')} in the CRD schema (stopped at ${k})`);
    cur = next;
  }
  return cur;
}

describe('ClusterNetworkPolicy CRD v0.3.0', () => {
  const v1alpha2 = crd.spec.versions.find((v) => v.name === 'v1alpha2');
  const spec = at(v1alpha2?.schema.openAPIV3Schema ?? {}, 'spec');

  it('is the cluster-scoped policy.networking.k8s.io kind, v1alpha2 served', () => {
    expect(crd.spec.group).toBe('policy.networking.k8s.io');
    expect(crd.spec.names.kind).toBe('ClusterNetworkPolicy');
    expect(crd.spec.scope).toBe('Cluster');
    expect(v1alpha2?.served).toBe(true);
  });

  it('tier, priority and actions are what the model evaluates', () => {
    expect(at(spec, 'tier').enum?.sort()).toEqual(['Admin', 'Baseline']);
    expect([at(spec, 'priority').minimum, at(spec, 'priority').maximum]).toEqual([0, 1000]);
    expect(at(spec, 'ingress', '[]', 'action').enum?.sort()).toEqual(['Accept', 'Deny', 'Pass']);
    expect(at(spec, 'egress', '[]', 'action').enum?.sort()).toEqual(['Accept', 'Deny', 'Pass']);
  });

  it('every subject, peer and protocol field the parser reads exists (standard channel)', () => {
    for (const k of ['namespaces', 'pods']) at(spec, 'subject', k);
    at(spec, 'subject', 'pods', 'namespaceSelector');
    at(spec, 'subject', 'pods', 'podSelector');
    for (const k of ['namespaces', 'pods']) at(spec, 'ingress', '[]', 'from', '[]', k);
    for (const k of ['namespaces', 'pods', 'networks']) at(spec, 'egress', '[]', 'to', '[]', k);
    for (const proto of ['tcp', 'udp', 'sctp']) {
      at(spec, 'ingress', '[]', 'protocols', '[]', proto, 'destinationPort', 'number');
      at(spec, 'ingress', '[]', 'protocols', '[]', proto, 'destinationPort', 'range', 'start');
      at(spec, 'ingress', '[]', 'protocols', '[]', proto, 'destinationPort', 'range', 'end');
    }
    at(spec, 'ingress', '[]', 'name');
  });

  it('the experimental channel adds the peers and named ports the parser also reads', () => {
    const exp = at(experimental.spec.versions.find((v) => v.name === 'v1alpha2')?.schema.openAPIV3Schema ?? {}, 'spec');
    for (const k of ['nodes', 'domainNames']) at(exp, 'egress', '[]', 'to', '[]', k);
    at(exp, 'ingress', '[]', 'protocols', '[]', 'destinationNamedPort');
  });
});

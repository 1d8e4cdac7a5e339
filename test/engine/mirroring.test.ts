/**
 * The mirroring controller (lib/engine/controllers/endpointslice-mirroring.ts, after
 * kubernetes pkg/controller/endpointslicemirroring) and hand-written slices as serialized.
 */
import { repackSubsets, parseEndpointIP } from '../../lib/engine/controllers/endpointslice-mirroring';
import { endpointSliceToJSON } from '../../lib/engine/serialize';
import { build, service } from './engine-helpers';

type Json = Record<string, unknown>;
const selectorless = (name: string): Json => service(name, { ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
const endpoints = (name: string, subsets: Json[], meta: Json = {}): Json => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, ...meta }, subsets });
const https = [{ name: 'https', port: 8443 }];

describe('EndpointSlice mirroring as upstream', () => {
  test('labels and annotations copied (but the trigger time), owned by the Endpoints, ready only, targetRef as written', () => {
    const c = build([
      selectorless('db'),
      endpoints('db', [{ addresses: [{ ip: '192.0.2.1', targetRef: { kind: 'Node', name: 'n1' }, nodeName: 'n1', hostname: 'h1' }], notReadyAddresses: [{ ip: '192.0.2.2' }], ports: https }],
        { labels: { team: 'a' }, annotations: { note: 'x', 'endpoints.kubernetes.io/last-change-trigger-time': 't', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }),
    ]);
    const slices = c.endpointSlices.get('default/db') ?? [];
    expect(slices).toHaveLength(1);
    const j = endpointSliceToJSON(slices[0]) as { metadata: Json; endpoints: Json[] };
    expect(j.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    expect(j.metadata.annotations).toEqual({ note: 'x' });
    expect(j.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Endpoints', name: 'db', controller: true, blockOwnerDeletion: true })]);
    expect(j.endpoints).toEqual([
      { addresses: ['192.0.2.1'], conditions: { ready: true }, hostname: 'h1', targetRef: { kind: 'Node', name: 'n1' }, nodeName: 'n1' },
      { addresses: ['192.0.2.2'], conditions: { ready: false } },
    ]);
    // The routing model still reads unset serving as ready.
    expect(slices[0].endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
  });

  test('subsets repacked: same ports merge, not ready wins; one slice per port set and address family', () => {
    const c = build([
      selectorless('db'),
      endpoints('db', [
        { addresses: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }, { ip: '2001:db8::1' }], ports: https },
        { addresses: [{ ip: '192.0.2.3' }], notReadyAddresses: [{ ip: '192.0.2.2' }], ports: https },
        { addresses: [{ ip: '198.51.100.1' }], ports: [{ name: 'https', port: 443 }] },
      ]),
    ]);
    const slices = c.endpointSlices.get('default/db') ?? [];
    const summary = slices.map((s) => `${s.addressType} ${s.ports.map((p) => p.port).join(',')}: ${s.endpoints.map((e) => `${e.addresses[0]}${e.conditions.ready ? '' : '(nr)'}`).join(' ')}`).sort();
    expect(summary).toEqual([
      'IPv4 443: 198.51.100.1',
      'IPv4 8443: 192.0.2.1 192.0.2.3 192.0.2.2(nr)',
      'IPv6 8443: 2001:db8::1',
    ]);
  });

  test('at most 1000 addresses per subset are mirrored (one slice), the rest reported', () => {
    const addresses = Array.from({ length: 1003 }, (_, i) => ({ ip: `10.200.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
    const c = build([selectorless('big'), endpoints('big', [{ addresses, ports: https }])]);
    const slices = c.endpointSlices.get('default/big') ?? [];
    expect(slices.map((s) => s.endpoints.length)).toEqual([1000]);
    expect(c.diagnostics.find((d) => d.code === 'endpoints-mirror-too-many')?.message).toContain('3 are left out');
  });

  test('skip-mirror, a leader-election lock and an Endpoints without a Service are kept but not mirrored', () => {
    const c = build([
      selectorless('skip'), endpoints('skip', [{ addresses: [{ ip: '192.0.2.1' }], ports: https }], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }),
      selectorless('lock'), endpoints('lock', [], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } }),
      endpoints('orphan', [{ addresses: [{ ip: '192.0.2.9' }], ports: https }]),
    ]);
    expect(c.endpointSlices.get('default/skip')).toBeUndefined();
    expect(c.endpointSlices.get('default/lock')).toBeUndefined();
    expect(c.endpointSlices.get('default/orphan')).toBeUndefined();
    expect(c.endpoints.get('default/skip')?.subsets[0].addresses[0].ip).toBe('192.0.2.1');
    expect(c.endpoints.get('default/orphan')?.subsets[0].addresses[0].ip).toBe('192.0.2.9');
    // Creating the Service later mirrors it; deleting it again keeps the Endpoints.
    c.apply({ type: 'upsertObject', object: selectorless('orphan') });
    expect(c.endpointSlices.get('default/orphan')?.[0].endpoints).toHaveLength(1);
    c.apply({ type: 'deleteObject', ref: { kind: 'Service', namespace: 'default', name: 'orphan' } });
    expect(c.endpointSlices.get('default/orphan')).toBeUndefined();
    expect(c.endpoints.get('default/orphan')).toBeDefined();
  });

  test('a hand-written slice is serialized as written: no invented owner, conditions or targetRef', () => {
    const c = build([
      selectorless('ext'),
      {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'ext-1', labels: { 'kubernetes.io/service-name': 'ext' }, annotations: { a: 'b' } },
        addressType: 'IPv4', ports: [{ name: 'https', port: 8443 }], endpoints: [{ addresses: ['203.0.113.1'] }, { addresses: ['203.0.113.2'], conditions: { serving: false } }],
      },
    ]);
    const j = endpointSliceToJSON((c.endpointSlices.get('default/ext') ?? [])[0]) as { metadata: Json; endpoints: Json[] };
    expect(j.metadata.ownerReferences).toBeUndefined();
    expect(j.metadata.annotations).toEqual({ a: 'b' });
    expect(j.endpoints).toEqual([{ addresses: ['203.0.113.1'], conditions: {} }, { addresses: ['203.0.113.2'], conditions: { serving: false } }]);
  });

  test('repackSubsets and the IP parse follow the upstream helpers', () => {
    const p = { name: 'a', port: 1, protocol: 'TCP' as const };
    const q = { name: 'b', port: 2, protocol: 'TCP' as const };
    const r = repackSubsets([
      { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], notReadyAddresses: [], ports: [p, q] },
      { addresses: [{ ip: '10.0.0.3' }], notReadyAddresses: [], ports: [q] },
    ]);
    expect(r.map((s) => `${s.ports.map((x) => x.name).join('')}:${s.addresses.map((a) => a.ip).join(',')}`).sort()).toEqual(['a:10.0.0.1,10.0.0.2', 'b:10.0.0.1,10.0.0.2,10.0.0.3']);
    expect(parseEndpointIP('010.1.2.3')).toEqual({ address: '10.1.2.3', family: 'IPv4' });
    expect(parseEndpointIP('::ffff:192.0.2.1')).toEqual({ address: '192.0.2.1', family: 'IPv4' });
    expect(parseEndpointIP('2001:DB8:0:0::1')).toEqual({ address: '2001:db8::1', family: 'IPv6' });
    expect(parseEndpointIP('not-an-ip')).toBeUndefined();
  });
});

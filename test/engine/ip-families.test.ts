/**
 * IP families and dual-stack (issue 16 point 5): the API server's initIPFamilyFields held to
 * upstream's own test table, and single-stack IPv6 and dual-stack profiles simulated end to end
 * (allocation, EndpointSlices per address type, Endpoints, DNS A/AAAA, kube-proxy, trace).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterIPv6Allocator } from '../../lib/engine/controllers/ipallocator';
import { DnsServer } from '../../lib/engine/dns';
import { initIPFamilyFields, invalidMessage, type FamilyError, type FamilyFields } from '../../lib/engine/ip-families';
import { profileFromObject, syntheticProfile } from '../../lib/engine/profile';
import { TraceContext, connect } from '../../lib/engine/trace';
import { parseSourceSpec, resolveSource } from '../../lib/engine/trace-source';
import { parseIpBlock, type IpFamily } from '../../lib/k8s/ip';
import { build, deployment, service } from './engine-helpers';

interface UpstreamCase {
  cluster: IpFamily[];
  name: string;
  service: { clusterIP: string | null; clusterIPs: string[] | null; ipFamilies: string[] | null; ipFamilyPolicy: string | null; selector: boolean };
  expectError: boolean;
  expectPolicy?: string;
  expectFamilies?: string[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'init-ip-fields-cases.json'), 'utf8')) as { cases: UpstreamCase[] };

describe('initIPFamilyFields against upstream TestCreateInitIPFields', () => {
  test('the fixture has every layout of the upstream table', () => {
    // 120 cases per single-stack layout, 140 per dual-stack order (scripts/extract-ipfamily-cases.py).
    expect(fixture.cases.length).toBe(520);
    expect(new Set(fixture.cases.map((c) => c.cluster.join(','))).size).toBe(4);
  });

  test.each(fixture.cases.map((c) => [`${c.cluster.join('+')} ${c.name}`, c] as const))('%s', (_name, c) => {
    const s = c.service;
    const r = initIPFamilyFields({
      type: 'ClusterIP',
      clusterIP: s.clusterIP ?? undefined,
      clusterIPs: s.clusterIPs ?? undefined,
      ipFamilies: s.ipFamilies ?? undefined,
      ipFamilyPolicy: s.ipFamilyPolicy ?? undefined,
      hasSelector: s.selector,
    }, c.cluster);
    if (c.expectError) {
      expect(Array.isArray(r)).toBe(true);
      expect((r as FamilyError[]).length).toBeGreaterThan(0);
    } else {
      expect(Array.isArray(r)).toBe(false);
      const f = r as FamilyFields;
      expect({ policy: f.ipFamilyPolicy, families: f.ipFamilies }).toEqual({ policy: c.expectPolicy, families: c.expectFamilies });
    }
  });
});

import { defaultProfile, syntheticProfile } from '../../lib/engine/profile';
import { nodeObject, profileOutput } from './profile';

// test/cluster/up creates these Node objects on the real control plane; they must carry the
// engine's profile exactly, or live-vs-engine comparisons would differ for reasons of setup.
describe('cluster profile for test/cluster/up', () => {
  test('the default profile gives the API server its service CIDR and NodePort range', () => {
    const out = profileOutput(defaultProfile());
    expect(out.serviceCIDR).toBe('10.96.0.0/12');
    expect(out.nodePortRange).toBe('30000-32767');
    expect(out.nodes).toHaveLength(3);
  });

  test('each Node carries the profile node name, zone, pod CIDR and InternalIP', () => {
    const profile = syntheticProfile({ nodes: 4, zones: ['east', 'west'] });
    const nodes = profileOutput(profile).nodes as Array<{
      metadata: { name: string; labels: Record<string, string> };
      spec: { podCIDR: string; podCIDRs: string[] };
      status: { addresses: Array<{ type: string; address: string }> };
    }>;
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    nodes.forEach((n, i) => {
      const want = profile.nodes[i];
      expect(n.metadata.labels['topology.kubernetes.io/zone']).toBe(want.zone);
      expect(n.metadata.labels['kubernetes.io/hostname']).toBe(want.name);
      expect(n.spec.podCIDR).toBe(want.podCIDR);
      expect(n.spec.podCIDRs).toEqual([want.podCIDR]);
      expect(n.status.addresses).toContainEqual({ type: 'InternalIP', address: want.internalIP });
    });
    expect(nodes[3].metadata.labels['topology.kubernetes.io/zone']).toBe('west');
  });

  test('pod capacity is the kubelet default maxPods (110), within what a /24 pod CIDR can address', () => {
    const node = nodeObject(defaultProfile().nodes[0]) as { status: { capacity: { pods: string }; allocatable: { pods: string } } };
    expect(node.status.allocatable.pods).toBe('110');
    expect(Number(node.status.capacity.pods)).toBeLessThanOrEqual(254);
    const small = nodeObject({ ...defaultProfile().nodes[0], allocatablePods: 20 }) as { status: { allocatable: { pods: string } } };
    expect(small.status.allocatable.pods).toBe('20');
  });
});

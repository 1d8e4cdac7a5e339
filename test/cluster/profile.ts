/**
 * Prints what test/cluster/up needs from the engine's cluster profile, as one JSON document on
 * stdout: the service CIDR and NodePort range for kube-apiserver, and one Node object per
 * profile node for the API server (KWOK then manages them as fake kubelets).
 *
 * Usage: ts-node --transpile-only test/cluster/profile.ts [profile.yaml]
 * Without a file it uses `defaultProfile()`, so the real cluster and the engine agree on node
 * names, zones, pod CIDRs and InternalIPs.
 */
import { DEFAULT_MAX_PODS, defaultProfile, loadProfile, syntheticProfile } from '../../lib/engine/profile';
import { ClusterProfileInfo, NodeInfo } from '../../lib/engine/model';
import { clusterFamilies, nodePodCIDRs, serviceCIDRFor } from '../../lib/engine/ip-families';
import type { IpFamily } from '../../lib/k8s/ip';

/** Output of this script, read by test/cluster/up. */
export interface ClusterProfileOutput {
  /** kube-apiserver's `--service-cluster-ip-range`: one range, or two (one per family, primary first). */
  readonly serviceCIDR: string;
  /** `min-max`, the form of kube-apiserver's --service-node-port-range. */
  readonly nodePortRange: string;
  readonly nodes: readonly object[];
}

/**
 * A Node as a kubelet registers it (pkg/kubelet/kubelet_node_status.go: labels, addresses,
 * capacity), plus the annotation KWOK's docs use to mark a fake node. spec.podCIDR is set here
 * because the node IPAM controller is off (--allocate-node-cidrs=false), as on clusters whose
 * CNI or cloud assigns pod ranges; KWOK hands out pod IPs from it.
 */
export function nodeObject(node: NodeInfo, maxPods: number = DEFAULT_MAX_PODS, families: readonly IpFamily[] = ['IPv4']): object {
  // spec.podCIDRs: one per family, primary first (KWOK gives a pod one IP from each).
  const podCIDRs = nodePodCIDRs(node, families);
  // Allocatable pods as the kubelet reports them (`maxPods`, default 110), the same number the
  // engine's scheduler filters on (NodeResourcesFit "Too many pods").
  const capacity = { cpu: '64', memory: '256Gi', pods: String(node.allocatablePods ?? maxPods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: { 'kubernetes.io/arch': 'amd64', type: 'kwok', ...node.labels },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {
      podCIDR: podCIDRs[0], podCIDRs,
      ...(node.taints && node.taints.length > 0 ? { taints: node.taints } : {}),
      ...(node.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      capacity,
      allocatable: capacity,
    },
  };
}

/** The script's output for one profile. */
export function profileOutput(profile: ClusterProfileInfo): ClusterProfileOutput {
  return {
    serviceCIDR: clusterFamilies(profile).map((f) => serviceCIDRFor(profile, f)).join(','),
    nodePortRange: `${profile.nodePortRange.min}-${profile.nodePortRange.max}`,
    nodes: profile.nodes.map((n) => nodeObject(n, profile.maxPods, clusterFamilies(profile))),
  };
}

function main(): void {
  const file = process.argv[2];
  // NETKIT_CLUSTER_IP_FAMILIES=dual: the default nodes, dual-stack IPv4 + IPv6 (IPv4 primary).
  const families = process.env.NETKIT_CLUSTER_IP_FAMILIES;
  if (families !== undefined && families !== '' && families !== 'ipv4' && families !== 'dual') {
    process.stderr.write(`NETKIT_CLUSTER_IP_FAMILIES=${families}: use ipv4 (the default) or dual\n`);
    process.exit(1);
  }
  let profile = families === 'dual' ? syntheticProfile({ ipFamilies: ['IPv4', 'IPv6'] }) : defaultProfile();
  if (file) {
    const loaded = loadProfile(file);
    if (!loaded.profile) {
      for (const e of loaded.errors) process.stderr.write(`${e.toString()}\n`);
      process.exit(1);
    }
    profile = loaded.profile;
  }
  process.stdout.write(`${JSON.stringify(profileOutput(profile))}\n`);
}

if (require.main === module) main();

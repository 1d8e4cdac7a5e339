/**
 * Reading a live cluster for `netkit verify --live`: the Services, Endpoints, EndpointSlices
 * and Pods of the namespaces the manifests use, and a cluster profile made from the live Nodes
 * (so the runtime simulates the same nodes and zones the cluster has).
 */
import type { ClusterProfileInfo, NodeInfo } from '../engine/model';
import { defaultProfile } from '../engine/profile';
import { nodeScheduling } from '../engine/controllers/node-controller';
import type { LiveState } from './compare';
import type { KubeClient, KubeObject } from './types';

type Json = Record<string, unknown>;

/** The Nodes as a profile: names, `topology.kubernetes.io/zone`, pod CIDR, InternalIP, Ready. Other settings are the defaults. */
export function profileFromNodes(nodes: readonly KubeObject[]): ClusterProfileInfo {
  const infos: NodeInfo[] = [...nodes]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((n) => {
      const spec = (n.spec ?? {}) as Json;
      const status = (n.status ?? {}) as Json;
      const addresses = (status.addresses ?? []) as { type?: string; address?: string }[];
      const conditions = (status.conditions ?? []) as { type?: string; status?: string }[];
      const labels = { ...(n.metadata.labels ?? {}) };
      return {
        name: n.metadata.name,
        zone: labels['topology.kubernetes.io/zone'] ?? '',
        podCIDR: typeof spec.podCIDR === 'string' ? spec.podCIDR : '',
        internalIP: addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
        ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
        labels,
        ...nodeScheduling(n),
      };
    });
  return { ...defaultProfile(), nodes: infos };
}

/**
 * The profile the runtime simulates a live cluster on: every Node, tainted ones included, with
 * their taints, allocatable pods and `unschedulable` (the scheduler filters on them as
 * TaintToleration and NodeUnschedulable do, and kube-proxy runs on every node, so leaving a
 * tainted node out would change NodePort and `externalTrafficPolicy: Local` answers).
 * `tainted` names the nodes with a `NoSchedule` or `NoExecute` taint, for a note to the user.
 */
export function liveProfile(nodes: readonly KubeObject[]): { readonly profile: ClusterProfileInfo | undefined; readonly tainted: readonly string[] } {
  const tainted = nodes.filter((n) => (nodeScheduling(n).taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
  return { profile: nodes.length > 0 ? profileFromNodes(nodes) : undefined, tainted: tainted.map((n) => n.metadata.name).sort() };
}

/** List the objects {@link LiveState} holds in each namespace (four LISTs per namespace). */
export async function readLive(client: KubeClient, namespaces: Iterable<string>): Promise<LiveState> {
  const services: KubeObject[] = [];
  const endpoints: KubeObject[] = [];
  const endpointSlices: KubeObject[] = [];
  const pods: KubeObject[] = [];
  for (const ns of [...new Set(namespaces)].sort()) {
    const [s, e, es, p] = await Promise.all([
      client.list('v1', 'Service', { namespace: ns }),
      client.list('v1', 'Endpoints', { namespace: ns }),
      client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: ns }),
      client.list('v1', 'Pod', { namespace: ns }),
    ]);
    services.push(...s);
    endpoints.push(...e);
    endpointSlices.push(...es);
    pods.push(...p);
  }
  return { services, endpoints, endpointSlices, pods };
}

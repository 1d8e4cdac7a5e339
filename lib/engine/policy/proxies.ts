/**
 * The pods an L7 proxy's connections leave from, for the policy check of the proxy -> backend
 * hop: the ingress controller (`PolicyModel.ingressControllerPods`) and a Gateway API
 * Gateway's proxy pods (here). Real pods of the manifests when they match the profile, else a
 * stand-in pod placed where the profile says, marked as such so traces can say what they assumed.
 */
import { matchesMap } from '../controllers/label-selector';
import type { ClusterStateView, PodInfo } from '../model';
import type { CniProfile } from './cni';

/** The label GEP-1762 in-cluster Gateway deployments put on their proxy pods (Istio sets it). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Pods found for a proxy, or a stand-in, with a sentence saying which. */
export interface ProxyPods {
  readonly pods: readonly PodInfo[];
  /** True when `pods` is one stand-in that is not in the manifests. */
  readonly standIn: boolean;
  /** Where they run, for traces: `pods labelled a=b in namespace n`. */
  readonly where: string;
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '(any labels)';
}

/** A pod that is not in the manifests: on the first node, an address high in its pod CIDR, no ports. */
export function standInPod(state: ClusterStateView, namespace: string, name: string, labels: Readonly<Record<string, string>>, hostOctet: number): PodInfo {
  const node = [...state.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  const base = node?.podCIDR.split('/')[0].split('.').slice(0, 3).join('.') ?? '10.244.0';
  return { namespace, name: `${name} (stand-in)`, labels, nodeName: node?.name ?? '', zone: node?.zone ?? '', ip: `${base}.${hostOctet}`, ready: true, serving: true, terminating: false, containerPorts: [] };
}

/** The proxy pods of Gateway `namespace/name`, as the profile's `gatewayProxy` places them. */
export function gatewayProxyPods(state: ClusterStateView, profile: CniProfile, gateway: { readonly namespace: string; readonly name: string }): ProxyPods {
  const where = profile.gatewayProxy === 'gateway-namespace'
    ? { namespace: gateway.namespace, podLabels: { [GATEWAY_NAME_LABEL]: gateway.name } }
    : profile.gatewayProxy;
  const real = [...state.pods.values()]
    .filter((p) => p.namespace === where.namespace && matchesMap(where.podLabels, p.labels))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const text = `pods labelled ${labelsText(where.podLabels)} in namespace ${where.namespace}`;
  if (real.length > 0) return { pods: real, standIn: false, where: text };
  return { pods: [standInPod(state, where.namespace, `${gateway.name}-proxy`, where.podLabels, 252)], standIn: true, where: text };
}

/**
 * The `default/kubernetes` Service, which every cluster has without a manifest: kube-apiserver
 * creates it (`pkg/controlplane/controller/kubernetesservice` CreateOrUpdateMasterServiceIfNeeded:
 * labels `provider: kubernetes`, `component: apiserver`, no selector, ClusterIP the first address
 * of the service CIDR, SingleStack, port `https` 443/TCP to the secure port) and its endpoint
 * reconciler writes the Endpoints (labelled `endpointslice.kubernetes.io/skip-mirror: "true"`, so
 * the mirroring controller leaves it alone) and an EndpointSlice named `kubernetes` labelled only
 * `kubernetes.io/service-name`, one ready endpoint per API server address, no owner
 * (`pkg/controlplane/reconcilers/endpointsadapter.go`). The address and port come from the
 * profile's `apiServer` ({@link ApiServerInfo}); with `endpoints: false`
 * (`--endpoint-reconciler-type=none`) there are neither Endpoints nor a slice.
 */
import type { JsonObject } from '../../manifest/objects';
import { addressInBlock, ipFamilyOf, parseIpBlock } from '../../k8s/ip';
import { clusterFamilies, serviceCIDRFor } from '../ip-families';
import { ApiServerInfo, ClusterProfileInfo, EndpointSliceInfo, EndpointsInfo } from '../model';
import { LABEL_SERVICE_NAME } from './endpointslice';
import { LABEL_SKIP_MIRROR } from './endpointslice-mirroring';

/** `default/kubernetes`, as Service key. */
export const KUBERNETES_SERVICE_KEY = 'default/kubernetes';
/** kube-apiserver's default `--secure-port`. */
export const DEFAULT_SECURE_PORT = 6443;

/** The source "file" of the Service kube-apiserver creates (no manifest wrote it). */
export const API_SERVER_SOURCE = '<kube-apiserver>';

/** Whether a Service is kube-apiserver's own `default/kubernetes` (not from the manifests). */
export function isApiServerService(svc: { readonly source?: { readonly file: string } }): boolean {
  return svc.source?.file === API_SERVER_SOURCE;
}

/** The API server of a profile with the defaults filled in (address undefined: the profile has no node to take it from). */
export function apiServerOf(profile: ClusterProfileInfo): { address?: string; port: number; endpoints: boolean } {
  const a: ApiServerInfo = profile.apiServer ?? {};
  const address = a.address ?? (profile.nodes.find((n) => n.internalIP !== '')?.internalIP || undefined);
  return { ...(address ? { address } : {}), port: a.port ?? DEFAULT_SECURE_PORT, endpoints: a.endpoints ?? true };
}

/** The Service manifest kube-apiserver creates (undefined when the service CIDR has no address for it). */
export function kubernetesServiceManifest(profile: ClusterProfileInfo): JsonObject | undefined {
  // The primary service range's first address, in its family (an IPv6 cluster's is IPv6).
  const family = clusterFamilies(profile)[0];
  const cidr = parseIpBlock(serviceCIDRFor(profile, family) ?? '');
  if (!cidr || cidr.size < 4n) return undefined;
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { provider: 'kubernetes', component: 'apiserver' } },
    spec: {
      type: 'ClusterIP', clusterIP: addressInBlock(cidr, 1n), ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiServerOf(profile).port }],
    },
  };
}

/** The Endpoints and EndpointSlice the endpoint reconciler writes, or undefined when it writes none. */
export function kubernetesEndpoints(profile: ClusterProfileInfo): { endpoints: EndpointsInfo; slice: EndpointSliceInfo } | undefined {
  const api = apiServerOf(profile);
  if (!api.endpoints || !api.address) return undefined;
  const port = { name: 'https', port: api.port, protocol: 'TCP' as const };
  return {
    endpoints: {
      namespace: 'default', name: 'kubernetes', labels: { [LABEL_SKIP_MIRROR]: 'true' }, annotations: {},
      subsets: [{ addresses: [{ ip: api.address }], notReadyAddresses: [], ports: [port] }],
    },
    slice: {
      namespace: 'default', name: 'kubernetes', serviceName: 'kubernetes', addressType: ipFamilyOf(api.address) === 'IPv6' ? 'IPv6' : 'IPv4', ports: [port],
      endpoints: [{
        addresses: [api.address], conditions: { ready: true, serving: true, terminating: false }, nodeName: '', zone: '',
        targetRef: { kind: 'Endpoint', namespace: 'default', name: api.address }, declared: { ready: true },
      }],
      labels: { [LABEL_SERVICE_NAME]: 'kubernetes' }, annotations: {}, ownerReferences: [], origin: 'apiserver',
    },
  };
}

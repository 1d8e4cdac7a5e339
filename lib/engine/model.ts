/**
 * The simulated cluster's data model: what the controllers produce and what kube-proxy, DNS,
 * the trace API and the validator read. Everything here is plain data (no methods), keyed so
 * that lookups are O(1), and deterministic for the same input.
 *
 * Keys: namespaced objects are keyed `namespace/name` (see {@link objectKey}).
 */

import type { ObjectRef, SourceLocation } from '../core/refs';
import type { IpFamily } from '../k8s/ip';
export type { ObjectRef, SourceLocation };

/** `namespace/name`, the key used by every map in {@link ClusterState}. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Wire values of `Service.spec.ports[].protocol` and container ports. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Wire values of `Service.spec.type`. */
export type ServiceTypeName = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** Wire values of `spec.externalTrafficPolicy` / `spec.internalTrafficPolicy`. */
export type TrafficPolicy = 'Cluster' | 'Local';

/** A node of the simulated cluster (from the cluster profile, or a `Node` manifest). */
export interface NodeInfo {
  readonly name: string;
  /** `topology.kubernetes.io/zone`. */
  readonly zone: string;
  /** The node's pod CIDR, e.g. `10.2.1.0/24`; pod IPs are allocated from it. */
  readonly podCIDR: string;
  /** The node's IPv6 pod CIDR (`spec.podCIDRs`), set when the cluster has IPv6 (`ip-families.ts`). */
  readonly podCIDRv6?: string;
  /** The node's InternalIP, the address NodePorts are reached on. */
  readonly internalIP: string;
  /** A failed node's pods are not ready (as the node lifecycle controller marks them). */
  readonly ready: boolean;
  /** Node labels (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`, plus a Node manifest's). */
  readonly labels?: Readonly<Record<string, string>>;
  /** `status.allocatable.pods` (kubelet `maxPods`); default the profile's `maxPods` (110). */
  readonly allocatablePods?: number;
  /** `spec.taints`. */
  readonly taints?: readonly NodeTaint[];
  /** `spec.unschedulable` (cordoned). */
  readonly unschedulable?: boolean;
}

/** A node taint (`spec.taints[]`). */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A container port as declared in a pod template. */
export interface ContainerPortInfo {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** A pod the workload controllers created (or a bare Pod manifest). */
export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeName: string;
  readonly zone: string;
  /** `status.podIP`: the IP of the cluster's primary family. */
  readonly ip: string;
  /** `status.podIPs`, primary first, when the cluster has two families (else just `ip`). */
  readonly ips?: readonly string[];
  /** PodReady condition. */
  readonly ready: boolean;
  /** Serving: ready ignoring termination (EndpointSlice `serving`). */
  readonly serving: boolean;
  /** Has a deletionTimestamp. */
  readonly terminating: boolean;
  /** `spec.hostname` (StatefulSet pods get their pod name). */
  readonly hostname?: string;
  /** `spec.subdomain` (StatefulSet pods get `spec.serviceName`). */
  readonly subdomain?: string;
  /** Ports of all containers, in declaration order. */
  readonly containerPorts: readonly ContainerPortInfo[];
  /** The workload that owns the pod, when there is one. */
  readonly owner?: ObjectRef;
  /** `spec.hostNetwork`: the pod's IP is its node's InternalIP. */
  readonly hostNetwork?: boolean;
  /** Resolver settings other than the default (ClusterFirst, no dnsConfig, no hostAliases). */
  readonly dns?: PodDnsSettings;
}

/**
 * A pod that ran to completion (`status.phase: Succeeded`): a Job's pods. Kept apart from
 * {@link PodInfo}: a finished pod has no running containers, holds no node capacity for the
 * scheduler and is never an endpoint (`ShouldPodBeInEndpoints` for restartPolicy Never/OnFailure).
 */
export interface FinishedPodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly phase: 'Succeeded';
  /** The Job that made it. */
  readonly owner: ObjectRef;
  /** `batch.kubernetes.io/job-completion-index` of an Indexed Job's pod. */
  readonly completionIndex?: number;
  /** `spec.hostname` (Indexed Jobs: `<job>-<index>`). */
  readonly hostname?: string;
}

/**
 * The pod spec fields that decide how a pod resolves names: what kubelet writes into its
 * resolv.conf (`pkg/kubelet/network/dns` GetPodDNS) and /etc/hosts (hostAliases).
 */
export interface PodDnsSettings {
  /** `spec.dnsPolicy` (default ClusterFirst). */
  readonly dnsPolicy: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** `spec.hostNetwork`: ClusterFirst then falls back to the node's resolver. */
  readonly hostNetwork: boolean;
  /** `spec.dnsConfig.nameservers`. */
  readonly nameservers: readonly string[];
  /** `spec.dnsConfig.searches`. */
  readonly searches: readonly string[];
  /** `spec.dnsConfig.options` (`ndots` is the one the model reads). */
  readonly options: readonly { readonly name: string; readonly value?: string }[];
  /** `spec.hostAliases`: /etc/hosts lines, consulted before DNS. */
  readonly hostAliases: readonly { readonly ip: string; readonly hostnames: readonly string[] }[];
}

/** One `Service.spec.ports[]` entry with defaults applied. */
export interface ServicePortInfo {
  /** Empty string when the Service has a single unnamed port. */
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Defaults to `port` when the manifest leaves it out. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

/** A Service with defaults applied and addresses allocated. */
export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceTypeName;
  /** `undefined` when the Service has no selector (its Endpoints are managed by hand). */
  readonly selector?: Readonly<Record<string, string>>;
  /** `clusterIP: None`. */
  readonly headless: boolean;
  /** Allocated or explicit cluster IPs; empty for headless and ExternalName Services. */
  readonly clusterIPs: readonly string[];
  /**
   * `spec.ipFamilies` as the API server fills them (`ip-families.ts`); set when the cluster is
   * not IPv4 single-stack (where it is always `[IPv4]`, except a selector-less headless Service).
   */
  readonly ipFamilies?: readonly IpFamily[];
  /** `spec.ipFamilyPolicy`, set with `ipFamilies`. */
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  readonly ports: readonly ServicePortInfo[];
  readonly externalName?: string;
  readonly externalIPs: readonly string[];
  /** `status.loadBalancer.ingress[].ip`, simulated for LoadBalancer Services. */
  readonly loadBalancerIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds` (default 10800) when affinity is ClientIP. */
  readonly sessionAffinityTimeoutSeconds?: number;
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly healthCheckNodePort?: number;
  readonly publishNotReadyAddresses: boolean;
  readonly trafficDistribution?: string;
  readonly source?: SourceLocation;
}

/** `EndpointSlice.endpoints[].conditions`. */
export interface EndpointConditions {
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** One `EndpointSlice.endpoints[]` entry. */
export interface EndpointInfo {
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditions;
  readonly nodeName: string;
  readonly zone: string;
  readonly hostname?: string;
  readonly targetRef: ObjectRef;
  /** Topology hints (`hints.forZones`), set when topology-aware routing applies. */
  readonly forZones?: readonly string[];
  /** `hints.forNodes`, set for `trafficDistribution: PreferSameNode`. */
  readonly forNodes?: readonly string[];
  /**
   * Set on endpoints the EndpointSlice controller did not write (mirrored from a hand-written
   * Endpoints, or in a hand-written slice): the conditions and targetRef exactly as the object
   * has them. `conditions`/`targetRef` above are then discovery/v1's reading of them (unset
   * ready = ready, unset serving = ready, unset terminating = false; no targetRef = the address).
   */
  readonly declared?: DeclaredEndpointFields;
}

/** What a mirrored or hand-written slice endpoint says itself (serialized as is). */
export interface DeclaredEndpointFields {
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly targetRef?: DeclaredTargetRef;
}

/** An `ObjectReference` as written (all fields optional, uid kept). */
export interface DeclaredTargetRef {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly apiVersion?: string;
  readonly resourceVersion?: string;
  readonly fieldPath?: string;
}

/** A `metadata.ownerReferences[]` entry. */
export interface OwnerReferenceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** One `EndpointSlice.ports[]` entry (the resolved container port for that slice). */
export interface EndpointPortInfo {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly appProtocol?: string;
}

/** An EndpointSlice as the EndpointSlice controller maintains it. */
export interface EndpointSliceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly serviceName: string;
  readonly addressType: 'IPv4' | 'IPv6';
  readonly ports: readonly EndpointPortInfo[];
  readonly endpoints: readonly EndpointInfo[];
  readonly labels: Readonly<Record<string, string>>;
  /** `metadata.annotations` (mirrored slices copy the Endpoints' ones; absent: none). */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * `metadata.ownerReferences` when the owner is not the Service: the Endpoints for mirrored
   * slices, as written for hand-written ones (maybe none). Absent: the Service (controller-made).
   */
  readonly ownerReferences?: readonly OwnerReferenceInfo[];
  /** Who wrote it: the mirroring controller, a person, or kube-apiserver (`default/kubernetes`); absent: the EndpointSlice controller. */
  readonly origin?: 'mirrored' | 'hand-written' | 'apiserver';
}

/** Cluster-wide settings of the simulation (see `lib/engine/profile.ts` for defaults). */
export interface ClusterProfileInfo {
  readonly nodes: readonly NodeInfo[];
  /** e.g. `10.96.0.0/12`. */
  readonly serviceCIDR: string;
  readonly nodePortRange: { readonly min: number; readonly max: number };
  /** e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** EndpointSlice controller `--max-endpoints-per-slice` (default 100). */
  readonly maxEndpointsPerSlice: number;
  /** Pool for simulated LoadBalancer ingress IPs (default `192.0.2.0/24`, RFC 5737 TEST-NET-1). */
  readonly loadBalancerCIDR?: string;
  /** Pods a node accepts (kubelet `maxPods`, node `status.allocatable.pods`) unless the node says otherwise. @default 110 */
  readonly maxPods?: number;
  /** The cluster's IP families, primary first. @default ['IPv4'] */
  readonly ipFamilies?: readonly IpFamily[];
  /** The IPv6 service CIDR, used when `ipFamilies` has IPv6. @default 'fd00:10:96::/112' */
  readonly serviceCIDRv6?: string;
  /** The API server behind the `default/kubernetes` Service. @default - see {@link ApiServerInfo} */
  readonly apiServer?: ApiServerInfo;
}

/**
 * kube-apiserver as the `default/kubernetes` Service sees it (`--advertise-address`,
 * `--secure-port`, `--endpoint-reconciler-type`).
 */
export interface ApiServerInfo {
  /** The advertised address its Endpoints/EndpointSlice name. @default - the first profile node's InternalIP (a single control-plane node) */
  readonly address?: string;
  /** `--secure-port`, the Service's targetPort. @default 6443 */
  readonly port?: number;
  /** False for `--endpoint-reconciler-type=none`: the Service gets no Endpoints and no EndpointSlice. @default true */
  readonly endpoints?: boolean;
}

/** One `Endpoints.subsets[].addresses[]` entry. */
export interface EndpointAddressInfo {
  readonly ip: string;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly targetRef?: ObjectRef;
}

/** One `Endpoints.subsets[]` entry: addresses sharing one port set. */
export interface EndpointSubsetInfo {
  readonly addresses: readonly EndpointAddressInfo[];
  readonly notReadyAddresses: readonly EndpointAddressInfo[];
  readonly ports: readonly EndpointPortInfo[];
}

/** A v1 Endpoints object as the Endpoints controller maintains it (keyed like its Service). */
export interface EndpointsInfo {
  readonly namespace: string;
  readonly name: string;
  readonly subsets: readonly EndpointSubsetInfo[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * The read side of a built cluster: what kube-proxy, DNS, trace and the validator consume.
 * Maps are keyed by {@link objectKey}; slices and Endpoints are keyed by their Service's key.
 */
export interface ClusterStateView {
  readonly profile: ClusterProfileInfo;
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly pods: ReadonlyMap<string, PodInfo>;
  readonly services: ReadonlyMap<string, ServiceInfo>;
  /** Service key -> its EndpointSlices (selector Services only). */
  readonly endpointSlices: ReadonlyMap<string, readonly EndpointSliceInfo[]>;
  /** Namespaces that exist (declared, or implied by an object in them). */
  readonly namespaces: ReadonlySet<string>;
  /** What of the input is simulated; answers name the unsimulated objects that could change them. */
  readonly coverage?: CoverageView;
  /**
   * The simulation's diagnostics (`Cluster.diagnostics`): a trace to the name of a Service the
   * API server refused says why it does not resolve.
   */
  readonly diagnostics?: readonly { readonly code: string; readonly message: string; readonly object?: ObjectRef }[];
}

/** How the engine treats an object (see `lib/engine/coverage.ts`). */
export type CoverageStatus = 'simulated' | 'not-relevant' | 'not-simulated';

/** One classified object. */
export interface CoverageItem {
  readonly ref: ObjectRef;
  readonly apiVersion: string;
  readonly status: CoverageStatus;
  /** Why: what of it the engine does or does not model. */
  readonly reason: string;
  readonly source?: SourceLocation;
}

/** What an answer is about, for deciding which unsimulated objects could change it. */
export interface AnswerScope {
  /** The Service the answer goes through, with its selector. */
  readonly service?: { readonly namespace: string; readonly name: string; readonly selector?: Readonly<Record<string, string>> };
  /** Pods the answer ends at (or would end at). */
  readonly destinationPods?: readonly PodInfo[];
  /** The pod the connection starts from. */
  readonly sourcePod?: PodInfo;
  /** Gateways (`namespace/name`) the request entered. */
  readonly gateways?: readonly string[];
}

/** The read side of {@link CoverageItem}s of a cluster. */
export interface CoverageView {
  /** Relevant to routing but not simulated. */
  readonly notSimulated: readonly CoverageItem[];
  /** The unsimulated objects that could change an answer about `scope`. */
  relevantTo(scope: AnswerScope): CoverageItem[];
  /** Unsimulated objects making pods a Service selects: its endpoints are unknown, not empty. */
  podSourcesFor(service: { readonly namespace: string; readonly name: string; readonly selector?: Readonly<Record<string, string>> }): CoverageItem[];
}

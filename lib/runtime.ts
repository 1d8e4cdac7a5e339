/**
 * The public surface of the local runtime: load manifests, build the simulated cluster, apply
 * changes, and trace connections. (The model's `Protocol` type is not re-exported here: the
 * constructs' `Protocol` enum carries the same wire values.)
 */
export { loadManifests, fromObjects, parseManifestText, ManifestError } from './manifest';
export type { ManifestObject, LoadResult } from './manifest';
export { Cluster } from './engine/cluster';
export type { BuildOptions } from './engine/cluster';
export type { ClusterChange, WatchEvent, WatchEventType } from './engine/changes';
export type { Diagnostic } from './engine/diagnostics';
export { defaultProfile, syntheticProfile, loadProfile, profileFromObject } from './engine/profile';
export type { SyntheticProfileOptions, ProfileFile } from './engine/profile';
export { endpointsToJSON, endpointSliceToJSON } from './engine/serialize';
export { connect, TraceContext } from './engine/trace';
export type { ConnectRequest, Trace, TraceDestination, TraceFailureCode, TraceRoute, TraceSource } from './engine/trace';
export { DnsModel } from './engine/dns';
export type { DnsAnswer, DnsRecord, DnsResolution, DnsOptions } from './engine/dns';
export { ProxyModel } from './engine/proxy';
export { objectKey } from './engine/model';
export type {
  ClusterProfileInfo, ClusterStateView, NodeInfo, PodInfo, ServiceInfo, ServicePortInfo,
  EndpointSliceInfo, EndpointInfo, EndpointPortInfo, EndpointConditions, ObjectRef, SourceLocation,
} from './engine/model';

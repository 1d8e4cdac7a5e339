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
export { L7Model, parseL7Objects } from './engine/l7';
export type {
  L7ClusterInput, L7Options, IngressProfile, HttpRequest, L7Trace, L7Step, L7Candidate, L7Backend, L7Response, L7TlsHandling, L7UpstreamRequest,
  L7FailureCode, L7RouteChoice, L7RequestInfo, EntryPointInfo, EntryPointKind, L7ObjectRef, L7RouteRow,
  L7ParentStatus, L7RouteStatus, L7Problem, L7ProblemCode, L7Object, L7Objects, L7Kind, L7KindMap,
} from './engine/l7';

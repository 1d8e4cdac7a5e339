/**
 * cdk8s-netkit: typed cdk8s constructs for Kubernetes networking, a validator, and a local
 * runtime that replays manifests through a model of the cluster's networking.
 *
 * The constructs and the API-server field checks load with the package. The runtime (engine,
 * manifest reader), the rules, the graph and the cdk8s validation plugin load on first use of
 * one of their exports: a cdk8s program that only uses the constructs does not pay for zod,
 * the YAML readers, the engine and 50 rules at start-up (issue 21). What each name is does not
 * change: the getters return the very objects the modules export.
 */
import type * as RuntimeApi from './runtime';
import type * as PluginApi from './plugin';
import type * as RulesApi from './rules';
import type * as GraphApi from './graph';

export * from './constructs';
export { formatProblem } from './k8s/problems';
export type { FieldProblem } from './k8s/problems';
export { validateService } from './k8s/service-validation';
export type { ServiceWire, ServiceSpecWire, ServicePortWire, ServiceValidationOptions } from './k8s/service-validation';
export { validatePodSpec, validateLabels } from './k8s/pod-validation';
export type { PodSpecWire, ContainerWire } from './k8s/pod-validation';
export * as names from './k8s/names';

// Types of the lazily loaded parts: type-only, nothing is loaded for them.
export type {
  ManifestObject, LoadResult, BuildOptions, ClusterChange, WatchEvent, WatchEventType, Diagnostic,
  SyntheticProfileOptions, ProfileFile, ConnectRequest, Trace, TraceDestination, TraceFailureCode,
  TraceRoute, TraceSource, DnsAnswer, DnsRecord, DnsResolution, DnsOptions, ClusterProfileInfo,
  ClusterStateView, NodeInfo, PodInfo, ServiceInfo, ServicePortInfo, EndpointSliceInfo, EndpointInfo,
  EndpointPortInfo, EndpointConditions, ObjectRef, SourceLocation, L7ClusterInput, L7Options, IngressProfile,
  HttpRequest, L7Trace, L7Step, L7Candidate, L7Backend, L7Response, L7TlsHandling, L7UpstreamRequest, L7FailureCode, L7RouteChoice,
  L7RequestInfo, EntryPointInfo, EntryPointKind, L7ObjectRef, L7RouteRow, L7ParentStatus, L7RouteStatus,
  L7Problem, L7ProblemCode, L7Object, L7Objects, L7Kind, L7KindMap,
} from './runtime';
export type { NetkitValidationProps } from './plugin';
export type { Rule, RuleSeverity, RuleSetting, RulesConfig, Violation, ValidateOptions, ValidationResult, RuleReuse } from './rules';
export type {
  RoutingGraph, GraphNode, GraphNodeKind, GraphEdge, GraphEdgeKind, GraphPort, GraphFinding, GraphTrace, GraphSummary,
  GraphInput, GraphFromObjectsOptions, GraphSource, GraphLayout, HtmlOptions,
} from './graph';

// The lazily loaded values. Classes are declared twice (the constructor as a value, the
// instance type under the same name) so `new Cluster(...)`, `x instanceof Cluster` and
// `let c: Cluster` work as with a plain re-export.
/** See {@link RuntimeApi.loadManifests}. */
export declare const loadManifests: typeof RuntimeApi.loadManifests;
/** See {@link RuntimeApi.fromObjects}. */
export declare const fromObjects: typeof RuntimeApi.fromObjects;
/** See {@link RuntimeApi.parseManifestText}. */
export declare const parseManifestText: typeof RuntimeApi.parseManifestText;
/** See {@link RuntimeApi.ManifestError}. */
export declare const ManifestError: typeof RuntimeApi.ManifestError;
export type ManifestError = RuntimeApi.ManifestError;
/** See {@link RuntimeApi.Cluster}. */
export declare const Cluster: typeof RuntimeApi.Cluster;
export type Cluster = RuntimeApi.Cluster;
/** See {@link RuntimeApi.defaultProfile}. */
export declare const defaultProfile: typeof RuntimeApi.defaultProfile;
/** See {@link RuntimeApi.syntheticProfile}. */
export declare const syntheticProfile: typeof RuntimeApi.syntheticProfile;
/** See {@link RuntimeApi.loadProfile}. */
export declare const loadProfile: typeof RuntimeApi.loadProfile;
/** See {@link RuntimeApi.profileFromObject}. */
export declare const profileFromObject: typeof RuntimeApi.profileFromObject;
/** See {@link RuntimeApi.endpointsToJSON}. */
export declare const endpointsToJSON: typeof RuntimeApi.endpointsToJSON;
/** See {@link RuntimeApi.endpointSliceToJSON}. */
export declare const endpointSliceToJSON: typeof RuntimeApi.endpointSliceToJSON;
/** See {@link RuntimeApi.connect}. */
export declare const connect: typeof RuntimeApi.connect;
/** See {@link RuntimeApi.TraceContext}. */
export declare const TraceContext: typeof RuntimeApi.TraceContext;
export type TraceContext = RuntimeApi.TraceContext;
/** See {@link RuntimeApi.DnsModel}. */
export declare const DnsModel: typeof RuntimeApi.DnsModel;
export type DnsModel = RuntimeApi.DnsModel;
/** See {@link RuntimeApi.ProxyModel}. */
export declare const ProxyModel: typeof RuntimeApi.ProxyModel;
export type ProxyModel = RuntimeApi.ProxyModel;
/** See {@link RuntimeApi.objectKey}. */
export declare const objectKey: typeof RuntimeApi.objectKey;
/** See {@link RuntimeApi.L7Model}. */
export declare const L7Model: typeof RuntimeApi.L7Model;
export type L7Model = RuntimeApi.L7Model;
/** See {@link RuntimeApi.parseL7Objects}. */
export declare const parseL7Objects: typeof RuntimeApi.parseL7Objects;
/** See {@link PluginApi.NetkitValidation}. */
export declare const NetkitValidation: typeof PluginApi.NetkitValidation;
export type NetkitValidation = PluginApi.NetkitValidation;
/** See {@link RulesApi.RULES}. */
export declare const RULES: typeof RulesApi.RULES;
/** See {@link RulesApi.runRules}. */
export declare const runRules: typeof RulesApi.runRules;
/** See {@link RulesApi.validateObjects}. */
export declare const validateObjects: typeof RulesApi.validateObjects;
/** See {@link RulesApi.failing}. */
export declare const failing: typeof RulesApi.failing;
/** See {@link GraphApi.GRAPH_SCHEMA}. */
export declare const GRAPH_SCHEMA: typeof GraphApi.GRAPH_SCHEMA;
/** See {@link GraphApi.buildGraph}. */
export declare const buildGraph: typeof GraphApi.buildGraph;
/** See {@link GraphApi.graphFromObjects}. */
export declare const graphFromObjects: typeof GraphApi.graphFromObjects;
/** See {@link GraphApi.layoutGraph}. */
export declare const layoutGraph: typeof GraphApi.layoutGraph;
/** See {@link GraphApi.renderGraphHtml}. */
export declare const renderGraphHtml: typeof GraphApi.renderGraphHtml;

/** The lazily exported names of each module (test/index-exports.test.ts checks them against the modules). */
const LAZY: ReadonlyArray<readonly [() => object, readonly string[]]> = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  [() => require('./runtime') as object, ['loadManifests', 'fromObjects', 'parseManifestText', 'ManifestError', 'Cluster', 'defaultProfile',
    'syntheticProfile', 'loadProfile', 'profileFromObject', 'endpointsToJSON', 'endpointSliceToJSON', 'connect', 'TraceContext', 'DnsModel',
    'ProxyModel', 'objectKey', 'L7Model', 'parseL7Objects']],
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  [() => require('./plugin') as object, ['NetkitValidation']],
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  [() => require('./rules') as object, ['RULES', 'runRules', 'validateObjects', 'failing']],
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  [() => require('./graph') as object, ['GRAPH_SCHEMA', 'buildGraph', 'graphFromObjects', 'layoutGraph', 'renderGraphHtml']],
];

// Node's ESM loader finds a CommonJS module's named exports by reading its text
// (cjs-module-lexer: `exports.name =` assignments), so `import { Cluster } from 'cdk8s-netkit'`
// in an ES module needs these names written out; the getters below replace the placeholders.
exports.loadManifests = exports.fromObjects = exports.parseManifestText = exports.ManifestError = exports.Cluster = undefined;
exports.defaultProfile = exports.syntheticProfile = exports.loadProfile = exports.profileFromObject = undefined;
exports.endpointsToJSON = exports.endpointSliceToJSON = exports.connect = exports.TraceContext = exports.DnsModel = undefined;
exports.ProxyModel = exports.objectKey = exports.L7Model = exports.parseL7Objects = exports.NetkitValidation = undefined;
exports.RULES = exports.runRules = exports.validateObjects = exports.failing = undefined;
exports.GRAPH_SCHEMA = exports.buildGraph = exports.graphFromObjects = exports.layoutGraph = exports.renderGraphHtml = undefined;

for (const [load, keys] of LAZY) {
  let loaded: Record<string, unknown> | undefined;
  for (const key of keys) {
    Object.defineProperty(exports, key, {
      enumerable: true,
      configurable: true,
      get: () => (loaded ??= load() as Record<string, unknown>)[key],
    });
  }
}

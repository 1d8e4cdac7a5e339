/**
 * cdk8s-netkit: typed cdk8s constructs for Kubernetes networking, a validator, and a local
 * runtime that replays manifests through a model of the cluster's networking.
 */
export * from './constructs';
export { formatProblem } from './k8s/problems';
export type { FieldProblem } from './k8s/problems';
export { validateService } from './k8s/service-validation';
export type { ServiceWire, ServiceSpecWire, ServicePortWire, ServiceValidationOptions } from './k8s/service-validation';
export { validatePodSpec, validateLabels } from './k8s/pod-validation';
export type { PodSpecWire, ContainerWire } from './k8s/pod-validation';
export * as names from './k8s/names';
export * from './runtime';
export { NetkitValidation } from './plugin';
export type { NetkitValidationProps } from './plugin';
export { RULES, runRules, validateObjects, failing } from './rules';
export { GRAPH_SCHEMA, buildGraph, graphFromObjects, layoutGraph, renderGraphHtml } from './graph';
export type {
  RoutingGraph, GraphNode, GraphNodeKind, GraphEdge, GraphEdgeKind, GraphPort, GraphFinding, GraphTrace, GraphSummary,
  GraphInput, GraphFromObjectsOptions, GraphSource, GraphLayout, HtmlOptions,
} from './graph';
export type { Rule, RuleSeverity, RuleSetting, RulesConfig, Violation, ValidateOptions, ValidationResult } from './rules';

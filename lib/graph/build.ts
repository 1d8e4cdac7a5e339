/**
 * Build the routing graph from a simulated cluster and the validator's findings, or straight
 * from loaded manifests ({@link graphFromObjects}: cluster and rules share one profile, so the
 * findings talk about the pods that are drawn).
 */
import { Cluster } from '../engine/cluster';
import { L7Model } from '../engine/l7/model';
import type { L7Options } from '../engine/l7/types';
import type { SimulationBudget } from '../engine/budget';
import type { ClusterProfileInfo, ClusterStateView } from '../engine/model';
import { defaultProfile } from '../engine/profile';
import type { ManifestObject } from '../manifest/objects';
import { sizedProfile } from '../engine/profile';
import { runRules, crashViolation } from '../rules/runner';
import type { RulesConfig, Violation } from '../rules/types';
import { GraphBuilder } from './builder';
import { addL4 } from './l4';
import { l7Source } from './l7';
import { addDeniedEdges, DEFAULT_DENIED_LIMIT } from './policy';
import { TraceRecorder } from './traces';
import type { RoutingGraph } from './model';

/**
 * Adds more nodes, edges and traces to the graph (the L7 model's entry points and routes).
 * Runs after the L4 part, so Service and port ids exist.
 */
export type GraphSource = (builder: GraphBuilder) => void;

/** Input of {@link buildGraph}. */
export interface GraphInput {
  readonly cluster: ClusterStateView;
  /** Validator findings to place on the graph. @default none */
  readonly violations?: readonly Violation[];
  /** Extra sources run after the L4 one. @default none */
  readonly sources?: readonly GraphSource[];
  /** Denied edges drawn at most (`0`: none, and no policy work). @default DEFAULT_DENIED_LIMIT (2000) */
  readonly deniedLimit?: number;
}

/** The routing graph of a cluster state. Pure: same input, same graph. */
export function buildGraph(input: GraphInput): RoutingGraph {
  const b = new GraphBuilder(input.cluster);
  const recorder = new TraceRecorder(input.cluster);
  addL4(b, recorder);
  for (const source of input.sources ?? []) source(b);
  if (input.deniedLimit !== 0) {
    const denied = addDeniedEdges(b, recorder.policy, input.deniedLimit ?? DEFAULT_DENIED_LIMIT);
    b.countDenied(denied.pairs, denied.drawn);
  }
  return b.finish(input.violations ?? []);
}

/** Options of {@link graphFromObjects}. */
export interface GraphFromObjectsOptions {
  /** Cluster profile. @default sized to the input as `netkit validate` does (3 nodes for small inputs) */
  readonly profile?: ClusterProfileInfo;
  /** Per-rule settings for the validator. */
  readonly rules?: RulesConfig;
  /** Extra sources (see {@link GraphSource}). */
  readonly sources?: readonly GraphSource[];
  /** Draw HTTP routing (Ingress, Gateway API, Istio) with these options, or not at all (`false`). @default {} */
  readonly l7?: L7Options | false;
  /** Simulation limits. @default DEFAULT_BUDGET of lib/engine/budget.ts */
  readonly budget?: SimulationBudget;
  /** Denied edges drawn at most (`0`: none). @default DEFAULT_DENIED_LIMIT (2000) */
  readonly deniedLimit?: number;
}

/**
 * Simulate `objects`, run the validator on the same cluster profile, and build the graph with
 * its L4 part and (unless turned off) the HTTP routes of the L7 model.
 */
export function graphFromObjects(objects: readonly ManifestObject[], options: GraphFromObjectsOptions = {}): { graph: RoutingGraph; cluster: Cluster } {
  const profile = options.profile ?? sizedProfile(objects) ?? defaultProfile();
  const cluster = Cluster.build(objects, profile, { budget: options.budget });
  const result = runRules(objects, { profile, rules: options.rules, budget: options.budget });
  const violations = [...result.violations, ...result.crashes.map(crashViolation)];
  const l7 = options.l7 === false ? [] : [l7Source(L7Model.build(cluster, options.l7))];
  return { graph: buildGraph({ cluster, violations, sources: [...l7, ...(options.sources ?? [])], deniedLimit: options.deniedLimit }), cluster };
}

import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-33';

/**
 * A construct whose pods a Service can select by their labels: the workloads of this library
 * implement it. The labels are the ones on the pod template, visible in the YAML.
 */
export interface ISelectablePods extends IConstruct {
  /** Labels every pod of this workload carries and that select exactly its pods. */
  readonly podSelectorLabels: Readonly<Record<string, string>>;
}

/**
 * What a Service can select:
 * - a workload of this library (`Deployment`, `StatefulSet`),
 * - a cdk8s-plus workload or `Pods.select(...)` (anything with `toPodSelectorConfig()`),
 * - plain labels, e.g. `{ app: 'web' }`.
 */
export type PodSelection = ISelectablePods | kplus.IPodSelector | Readonly<Record<string, string>>;

/** The labels a selection stands for, and why it can't be used by a Service if it can't. */
export interface ResolvedSelection {
  readonly labels: Readonly<Record<string, string>>;
  /** Set when the selection has parts a Service cannot express (label expressions). */
  readonly problem?: string;
}

function isSelectablePods(target: PodSelection): target is ISelectablePods {
  return typeof (target as ISelectablePods).podSelectorLabels === 'object' && 'node' in target;
}

function isKplusSelector(target: PodSelection): target is kplus.IPodSelector {
  return typeof (target as kplus.IPodSelector).toPodSelectorConfig === 'function';
}

/**
 * Reads the labels of a selection. Called at synth time, so labels added to a workload after
 * it was selected are seen.
 */
export function resolveSelection(target: PodSelection): ResolvedSelection {
  if (isSelectablePods(target)) return { labels: { ...target.podSelectorLabels } };
  if (isKplusSelector(target)) {
    const selector = target.toPodSelectorConfig().labelSelector._toKube();
    const expressions = selector.matchExpressions ?? [];
    return {
      labels: { ...(selector.matchLabels ?? {}) },
      problem: expressions.length > 0
        ? `${target.node.path} selects pods with label expressions (${expressions.map((e) => `${e.key} ${e.operator}`).join(', ')}), ` +
          'which a Service selector cannot express: Services select by exact labels only'
        : undefined,
    };
  }
  return { labels: { ...target } };
}

import { Construct, IConstruct } from 'constructs';

/**
 * A construct whose pods a Service can select by their labels: the workloads of this library
 * implement it. The labels are the ones on the pod template, visible in the YAML.
 */
export interface ISelectablePods extends IConstruct {
  /** Labels every pod of this workload carries and that select exactly its pods. */
  readonly podSelectorLabels: Readonly<Record<string, string>>;
}

/**
 * A cdk8s-plus pod selector (a cdk8s-plus workload, `Pods.select(...)`, any cdk8s-plus-3x
 * version), described by the part this library reads, so that no cdk8s-plus version is
 * imposed on your project: the labels of its `toPodSelectorConfig()`.
 */
export interface IPlusPodSelector extends IConstruct {
  /** As cdk8s-plus's `IPodSelector.toPodSelectorConfig()`. */
  toPodSelectorConfig(): {
    readonly labelSelector: PlusWireSelector;
    /** cdk8s-plus's `NamespaceSelectorConfig`: the namespaces the pods are in (NetworkPolicy peers read it). */
    readonly namespaces?: { readonly labelSelector?: PlusWireSelector; readonly names?: readonly string[] };
  };
}

/** A cdk8s-plus `LabelSelector`, by the part this library reads. */
export interface PlusWireSelector {
  /** cdk8s-plus's `LabelSelector._toKube()`: the wire selector. */
  _toKube(): {
    readonly matchLabels?: { readonly [key: string]: string };
    readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
  };
}

/** The part of a cdk8s-plus module that {@link plusPodSelector} uses: `LabelSelector.of`. */
export interface PlusLabelSelectors<L> {
  readonly LabelSelector: { of(options: { readonly labels?: { readonly [key: string]: string } }): L };
}

/**
 * Lets cdk8s-plus select the pods of a workload of this library (`kplus.Service.select`,
 * network policies), with the cdk8s-plus version your project uses:
 *
 * ```ts
 * import * as kplus from 'cdk8s-plus-33';
 * new kplus.Service(chart, 'web-plus', { ports: [{ port: 80 }] }).select(plusPodSelector(kplus, web));
 * plusWorkload.connections.allowTo(plusPodSelector(kplus, web)); // a NetworkPolicy peer too
 * ```
 * @param plus your cdk8s-plus module (any cdk8s-plus-3x)
 * @param pods a workload of this library
 */
export function plusPodSelector<L>(plus: PlusLabelSelectors<L>, pods: ISelectablePods): PlusPodSelector<L> {
  let n = 0;
  while (pods.node.tryFindChild(`PlusPodSelector${n === 0 ? '' : n}`)) n++;
  return new PlusPodSelector(pods, `PlusPodSelector${n === 0 ? '' : n}`, plus);
}

/**
 * A cdk8s-plus `IPodSelector` for the pods of a workload of this library; made by
 * {@link plusPodSelector}. A child of the workload that synthesizes nothing.
 */
export class PlusPodSelector<L> extends Construct {
  private readonly pods: ISelectablePods;
  private readonly plus: PlusLabelSelectors<L>;

  /** @internal use {@link plusPodSelector} */
  public constructor(pods: ISelectablePods, id: string, plus: PlusLabelSelectors<L>) {
    super(pods as unknown as Construct, id);
    this.pods = pods;
    this.plus = plus;
  }

  /**
   * The workload's pod labels as a cdk8s-plus `LabelSelector`, and its namespace by name (as
   * cdk8s-plus's own workloads report theirs), read at synth time.
   */
  public toPodSelectorConfig(): { readonly labelSelector: L; readonly namespaces?: { readonly names: string[] } } {
    const ns = (this.pods as { readonly namespace?: string }).namespace;
    return { labelSelector: this.plus.LabelSelector.of({ labels: { ...this.pods.podSelectorLabels } }), namespaces: ns !== undefined ? { names: [ns] } : undefined };
  }

  /**
   * As cdk8s-plus's `INetworkPolicyPeer.toNetworkPolicyPeerConfig()`: the workload's pods as a
   * peer of a cdk8s-plus `NetworkPolicy` or of `connections.allowTo` / `allowFrom`.
   */
  public toNetworkPolicyPeerConfig(): { readonly podSelector: { readonly labelSelector: L; readonly namespaces?: { readonly names: string[] } } } {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** As cdk8s-plus's `INetworkPolicyPeer.toPodSelector()`: this selector. */
  public toPodSelector(): this {
    return this;
  }
}

/**
 * What a Service can select:
 * - a workload of this library (`Deployment`, `StatefulSet`),
 * - a cdk8s-plus workload or `Pods.select(...)` (anything with `toPodSelectorConfig()`),
 * - plain labels, e.g. `{ app: 'web' }`.
 */
export type PodSelection = ISelectablePods | IPlusPodSelector | Readonly<Record<string, string>>;

/** The labels a selection stands for, and why it can't be used by a Service if it can't. */
export interface ResolvedSelection {
  readonly labels: Readonly<Record<string, string>>;
  /** Set when the selection has parts a Service cannot express (label expressions). */
  readonly problem?: string;
}

function isSelectablePods(target: PodSelection): target is ISelectablePods {
  return typeof (target as ISelectablePods).podSelectorLabels === 'object' && 'node' in target;
}

function isKplusSelector(target: PodSelection): target is IPlusPodSelector {
  return typeof (target as IPlusPodSelector).toPodSelectorConfig === 'function';
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

/**
 * What a rule reads: the loaded objects, indexed by kind, and the simulated cluster built from
 * them (lazily, once per run). Helpers here only *read* engine state; selection, port resolution
 * and placement stay in `lib/engine`.
 */
import { Cluster } from '../engine/cluster';
import { L7Model } from '../engine/l7/model';
import { PolicyModel } from '../engine/policy';
import { sizedProfile } from '../engine/profile';
import type { SimulationBudget } from '../engine/budget';
import type { ClusterProfileInfo, EndpointInfo, EndpointSliceInfo, PodInfo, ServiceInfo } from '../engine/model';
import { objectKey } from '../engine/model';
import type { ManifestObject } from '../manifest/objects';
import { refKey } from '../manifest/objects';
import { unservedApiMessage } from '../k8s/removed-apis';
import { podTemplateOf, type PodTemplateRef } from '../manifest/pod-template';
import type { ShadowProbes } from './l7/shadow';

/** A Service with a selector: its endpoints are managed by the EndpointSlice controller. */
export type SelectorService = ServiceInfo & { readonly selector: Readonly<Record<string, string>> };

function hasSelector(svc: ServiceInfo): svc is SelectorService {
  return svc.selector !== undefined;
}

export { podTemplateOf, type PodTemplateRef };

/** Options that shape the simulated cluster. */
export interface ContextOptions {
  /** Cluster profile (nodes, CIDRs, NodePort range). @default the engine's default profile */
  readonly profile?: ClusterProfileInfo;
  /** Ids of the registered rules. */
  readonly knownRuleIds?: ReadonlySet<string>;
  /** Simulation limits. @default DEFAULT_BUDGET of lib/engine/budget.ts */
  readonly budget?: SimulationBudget;
  /**
   * The cluster already simulated from the same objects and profile (so a caller that has one,
   * such as `netkit diff`, does not build it twice). Ignored when some objects use an API
   * version no longer served: the rules simulate without them.
   */
  readonly cluster?: Cluster;
  /** The L7 model over {@link cluster}, built with `l4: false`; used with it. */
  readonly l7?: L7Model;
  /** The reachability model over {@link cluster} (`PolicyModel.build` of its state and objects); used with it. */
  readonly policy?: PolicyModel;
  /** Shadowing probes kept across runs over two models (`netkit diff`; see {@link ShadowProbes}); used with {@link l7}. */
  readonly shadowProbes?: ShadowProbes;
}

/** A Service whose endpoints Kubernetes manages, with its loaded object. */
export interface SelectorServiceRef {
  readonly object: ManifestObject;
  readonly svc: SelectorService;
}

/**
 * The read-only view a rule's `check` gets. Answers that several rules ask for (pod templates,
 * admitted Services, the pods behind a Service) are computed once per run and shared: rules
 * only read them, and neither the objects nor the built cluster change during a run.
 */
export class RuleContext {
  private clusterCache?: Cluster;
  private l7Cache?: L7Model;
  private policyCache?: PolicyModel;
  private podTemplatesCache?: readonly PodTemplateRef[];
  private selectorServicesCache?: readonly SelectorServiceRef[];
  private readonly serviceInfoCache = new Map<ManifestObject, ServiceInfo | null>();
  private readonly slicesCache = new Map<ServiceInfo, readonly EndpointSliceInfo[]>();
  private readonly endpointsCache = new Map<ServiceInfo, readonly EndpointInfo[]>();
  private readonly podsCache = new Map<ServiceInfo, readonly PodInfo[]>();
  private readonly ownerCache = new Map<string, ManifestObject | null>();
  private readonly byKindMap = new Map<string, ManifestObject[]>();
  private readonly byRef = new Map<string, ManifestObject>();
  /** Set by {@link over}: the context whose simulation this one reads. */
  private parent?: RuleContext;

  /** The objects rules check: every input object except those in {@link unservedObjects}. */
  public readonly objects: readonly ManifestObject[];
  /**
   * Objects of a known kind in an apiVersion the API server no longer serves (`apps/v1beta2`
   * Deployments): their fields follow old schemas, so only `api-version-removed` sees them.
   */
  public readonly unservedObjects: readonly ManifestObject[];

  constructor(input: readonly ManifestObject[], private readonly options: ContextOptions = {}) {
    const objects: ManifestObject[] = [];
    const unserved: ManifestObject[] = [];
    for (const o of input) (unservedApiMessage(o.ref.kind, o.apiVersion) !== undefined ? unserved : objects).push(o);
    this.objects = objects;
    this.unservedObjects = unserved;
    if (options.cluster && unserved.length === 0) {
      this.clusterCache = options.cluster;
      this.l7Cache = options.l7;
      this.policyCache = options.policy;
    }
    for (const o of objects) {
      const list = this.byKindMap.get(o.ref.kind) ?? [];
      list.push(o);
      this.byKindMap.set(o.ref.kind, list);
      this.byRef.set(refKey(o.ref), o);
    }
  }

  /** The cluster profile rules check against (the engine's default unless given). */
  public get profile(): ClusterProfileInfo {
    return this.options.profile ?? this.cluster.profile;
  }

  /** Ids of every registered rule (for checks on suppression annotations). */
  public get knownRuleIds(): ReadonlySet<string> {
    return this.options.knownRuleIds ?? new Set();
  }

  /**
   * A context over some of this context's objects that reads the same simulation, L7 and
   * reachability models (built on first use, once): for rules that look at each object alone.
   */
  public over(objects: readonly ManifestObject[]): RuleContext {
    const sub = new RuleContext(objects, { ...this.options, cluster: undefined, l7: undefined, policy: undefined });
    sub.parent = this;
    return sub;
  }

  /** The simulated cluster (built on first use). */
  public get cluster(): Cluster {
    if (this.parent) return this.parent.cluster;
    this.clusterCache ??= Cluster.build(this.objects, this.options.profile ?? sizedProfile(this.objects), { budget: this.options.budget });
    return this.clusterCache;
  }

  /**
   * The L7 routing model (Ingress, Gateway API, Istio) over the simulated cluster, built on
   * first use. Built without the L4 continuation: the L7 rules ask routing decisions, not pods.
   */
  public get l7(): L7Model {
    if (this.parent) return this.parent.l7;
    this.l7Cache ??= L7Model.build(this.cluster, { l4: false });
    return this.l7Cache;
  }

  /** The shadowing probes to record into and take from, when the caller keeps them across runs (with the {@link l7} model it gave). */
  public get shadowProbes(): ShadowProbes | undefined {
    if (this.parent) return this.parent.shadowProbes;
    return this.options.shadowProbes && this.l7 === this.options.l7 ? this.options.shadowProbes : undefined;
  }

  /** The reachability model (NetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy) over the simulated cluster. */
  public get policy(): PolicyModel {
    if (this.parent) return this.parent.policy;
    this.policyCache ??= PolicyModel.build({ state: this.cluster, objects: this.cluster.objects.values() });
    return this.policyCache;
  }

  /** Objects of one kind, in input order. */
  public ofKind(kind: string): readonly ManifestObject[] {
    return this.byKindMap.get(kind) ?? [];
  }

  /** The object with this kind, namespace and name. */
  public find(kind: string, namespace: string | undefined, name: string): ManifestObject | undefined {
    return this.byRef.get(refKey(namespace === undefined ? { kind, name } : { kind, namespace, name }));
  }

  /** Every pod spec in the input (bare Pods and workload templates), in input order. */
  public podTemplates(): readonly PodTemplateRef[] {
    if (!this.podTemplatesCache) {
      const out: PodTemplateRef[] = [];
      for (const o of this.objects) {
        const t = podTemplateOf(o);
        if (t) out.push(t);
      }
      this.podTemplatesCache = out;
    }
    return this.podTemplatesCache;
  }

  /** The Service the cluster admitted for this object (undefined when the API server would reject it). */
  public serviceInfo(o: ManifestObject): ServiceInfo | undefined {
    let svc = this.serviceInfoCache.get(o);
    if (svc === undefined) {
      svc = this.cluster.services.get(objectKey(o.ref.namespace ?? 'default', o.ref.name)) ?? null;
      this.serviceInfoCache.set(o, svc);
    }
    return svc ?? undefined;
  }

  /**
   * Services whose endpoints Kubernetes manages: admitted, with a selector, not ExternalName.
   * The routing rules iterate these.
   */
  public selectorServices(): readonly SelectorServiceRef[] {
    if (!this.selectorServicesCache) {
      const out: SelectorServiceRef[] = [];
      for (const object of this.ofKind('Service')) {
        const svc = this.serviceInfo(object);
        if (svc && hasSelector(svc) && svc.type !== 'ExternalName') out.push({ object, svc });
      }
      this.selectorServicesCache = out;
    }
    return this.selectorServicesCache;
  }

  /** The EndpointSlices the controller made for a Service. */
  public slicesOf(svc: ServiceInfo): readonly EndpointSliceInfo[] {
    let slices = this.slicesCache.get(svc);
    if (!slices) {
      slices = this.cluster.endpointSlices.get(objectKey(svc.namespace, svc.name)) ?? [];
      this.slicesCache.set(svc, slices);
    }
    return slices;
  }

  /** The endpoints the EndpointSlice controller made for a Service, across all its slices. */
  public endpointsOf(svc: ServiceInfo): readonly EndpointInfo[] {
    let out = this.endpointsCache.get(svc);
    if (!out) {
      const slices = this.slicesOf(svc);
      out = slices.length === 1 ? slices[0].endpoints : slices.flatMap((s) => s.endpoints);
      this.endpointsCache.set(svc, out);
    }
    return out;
  }

  /** The pods behind a Service's endpoints (the pods its selector picked that have an IP). */
  public podsOf(svc: ServiceInfo): readonly PodInfo[] {
    let out = this.podsCache.get(svc);
    if (!out) {
      const pods: PodInfo[] = [];
      // A pod is in one slice once, but in several slices when their port sets differ.
      const seen = this.slicesOf(svc).length > 1 ? new Set<PodInfo>() : undefined;
      const all = this.cluster.pods;
      for (const e of this.endpointsOf(svc)) {
        const pod = all.get(objectKey(e.targetRef.namespace ?? svc.namespace, e.targetRef.name));
        if (!pod || seen?.has(pod)) continue;
        seen?.add(pod);
        pods.push(pod);
      }
      out = pods;
      this.podsCache.set(svc, out);
    }
    return out;
  }

  /** The loaded object of the workload that owns a pod (or the bare Pod itself). */
  public ownerObject(pod: PodInfo): ManifestObject | undefined {
    const owner = pod.owner;
    if (!owner) return this.find('Pod', pod.namespace, pod.name);
    // Pods of one workload share their owner: look it up once.
    const key = refKey(owner);
    let found = this.ownerCache.get(key);
    if (found === undefined) {
      const direct = this.find(owner.kind, owner.namespace, owner.name);
      // A Deployment's pods belong to its ReplicaSet `<deployment>-<template hash>`.
      found = (direct || owner.kind !== 'ReplicaSet' ? direct : this.find('Deployment', owner.namespace, owner.name.replace(/-[^-]+$/, ''))) ?? null;
      this.ownerCache.set(key, found);
    }
    return found ?? undefined;
  }
}

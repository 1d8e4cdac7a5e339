/**
 * The simulated API server's object store and the indexes the controllers share (the role of
 * client-go's informer caches in kube-controller-manager): every loaded object, the derived
 * nodes, pods, Services, Endpoints and EndpointSlices, and the indexes that keep a change at
 * O(pods of the Services it touches). Controllers (`controllers/*-controller.ts`) read and write
 * it; none of them holds another's state.
 */
import { ManifestObject } from '../manifest/objects';
import type { HostPort } from './controllers/pod-template';
import { WatchEvent } from './changes';
import { DiagnosticSink } from './diagnostics';
import { PodLabelIndex, ServiceSelectorIndex } from './indexes';
import { ClusterProfileInfo, EndpointSliceInfo, EndpointsInfo, NodeInfo, ObjectRef, PodInfo, ServiceInfo } from './model';

/**
 * What the controllers keep per pod besides its {@link PodInfo}, in one record: at 150,000 pods
 * one map entry and one object instead of a map per field (owner, Services, wanted readiness,
 * host ports), and the per-Service and per-node sets hold the record, so a sync reads the pod
 * without a lookup by key.
 */
export interface PodRecord {
  /** `namespace/name`, the key of `ClusterStore.pods`. */
  readonly key: string;
  /** The pod as `ClusterStore.pods` holds it now (replaced, never mutated, when it changes). */
  pod: PodInfo;
  /** Key of the workload that owns it (`Kind/namespace/name`), if any. */
  readonly owner: string | undefined;
  /** Keys of the Services selecting it (lists may be shared between pods: copy on write). */
  services: readonly string[];
  /** The PodReady it would have on a healthy node (user overrides; a failing readiness probe). */
  wantedReady: boolean;
  /** Host ports it holds (released with it). */
  readonly hostPorts: readonly HostPort[] | undefined;
  /** On its node's network: its IP is the node's, not from the pod CIDR. */
  readonly hostNetwork: boolean;
}

/** Labels and annotations of a Service (read by the Endpoints and EndpointSlice controllers). */
export interface ServiceMeta {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * The work one change leaves for the controllers that react to it, as their work queues: the
 * Services whose Endpoints/EndpointSlices must be re-synced, and the watch events produced.
 */
export interface SyncQueue {
  /** Service keys (`namespace/name`) to re-sync. */
  readonly touched: Set<string>;
  /** Endpoints/EndpointSlice watch events, in the order they happened. */
  readonly events: WatchEvent[];
}

/** A fresh, empty {@link SyncQueue}. */
export function newQueue(): SyncQueue {
  return { touched: new Set(), events: [] };
}

/**
 * A controller that reacts to changes of objects of some kinds (an informer's event handlers).
 * Several controllers may watch one kind; they run in registration order.
 */
export interface ObjectController {
  /** Kinds (as in `ObjectRef.kind`) whose changes this controller handles. */
  readonly kinds: readonly string[];
  /** An object of one of {@link kinds} was created or replaced (`previous` is the old version). */
  upsert(obj: ManifestObject, previous: ManifestObject | undefined, q: SyncQueue): void;
  /** An object was deleted (`obj` is the stored version, when there was one). */
  remove(ref: ObjectRef, obj: ManifestObject | undefined, q: SyncQueue): void;
}

/**
 * `Cluster.endpoints`: v1 Endpoints by Service key, where the build only marks which Services'
 * Endpoints are due ({@link defer}) and the first read of any kind computes them all
 * ({@link settle}). kube-proxy, DNS, traces and the rules read EndpointSlices, so a validate or a
 * trace never pays for the v1 objects (150,000 addresses at Kubernetes' limits). Every read
 * settles first, and `Cluster.apply` settles before it changes any pod or Service, so a read
 * always sees what an eager build would have written, in the same order (the entry's place is
 * reserved when deferred).
 */
export class EndpointsMap extends Map<string, EndpointsInfo> {
  private pending = new Set<string>();
  private compute: ((key: string) => EndpointsInfo) | undefined;

  /** How a deferred key's Endpoints are computed (from the store as it is when settled). */
  public computeWith(compute: (key: string) => EndpointsInfo): void {
    this.compute = compute;
  }

  /** Reserve `key`'s place (insertion order) and compute its value on the first read. */
  public defer(key: string): void {
    super.set(key, undefined as unknown as EndpointsInfo);
    this.pending.add(key);
  }

  /** Compute every deferred entry now (before the state it was computed from changes). */
  public settle(): void {
    if (this.pending.size === 0) return;
    const keys = this.pending;
    this.pending = new Set();
    for (const k of keys) super.set(k, (this.compute as (key: string) => EndpointsInfo)(k));
  }

  public override get size(): number { this.settle(); return super.size; }
  public override get(key: string): EndpointsInfo | undefined { this.settle(); return super.get(key); }
  public override has(key: string): boolean { this.settle(); return super.has(key); }
  // A write replaces or removes one entry; the others are computed from pods and Services, which it does not change.
  public override set(key: string, value: EndpointsInfo): this { this.pending.delete(key); return super.set(key, value); }
  public override delete(key: string): boolean { this.pending.delete(key); return super.delete(key); }
  public override clear(): void { this.pending.clear(); super.clear(); }
  public override keys(): ReturnType<Map<string, EndpointsInfo>['keys']> { this.settle(); return super.keys(); }
  public override values(): ReturnType<Map<string, EndpointsInfo>['values']> { this.settle(); return super.values(); }
  public override entries(): ReturnType<Map<string, EndpointsInfo>['entries']> { this.settle(); return super.entries(); }
  public override [Symbol.iterator](): ReturnType<Map<string, EndpointsInfo>['entries']> { this.settle(); return super[Symbol.iterator](); }
  public override forEach(fn: (value: EndpointsInfo, key: string, map: Map<string, EndpointsInfo>) => void, thisArg?: unknown): void {
    this.settle();
    super.forEach(fn, thisArg);
  }
}

/** Objects, derived state and shared indexes of one simulated cluster. */
export class ClusterStore {
  public readonly nodes = new Map<string, NodeInfo>();
  public readonly pods = new Map<string, PodInfo>();
  public readonly services = new Map<string, ServiceInfo>();
  public readonly endpointSlices = new Map<string, EndpointSliceInfo[]>();
  public readonly endpoints = new EndpointsMap();
  public readonly namespaces = new Set<string>(['default']);
  public readonly objects = new Map<string, ManifestObject>();
  public readonly sink = new DiagnosticSink();

  /** Selector Services by one selector pair. */
  public readonly serviceIndex = new ServiceSelectorIndex();
  /** Pod key -> its record (same keys as {@link pods}). */
  public readonly podRecords = new Map<string, PodRecord>();
  /** Service key -> the pods it selects. */
  public readonly servicePods = new Map<string, Set<PodRecord>>();
  public readonly serviceMeta = new Map<string, ServiceMeta>();
  /**
   * Pods by label pair and by node: only a Service created after its pods and a node change read
   * them, never the build (Services come first), so each is made from {@link podRecords} on its
   * first use and kept up to date from then on. Set order is pod creation order either way.
   */
  private labelIndex: PodLabelIndex | undefined;
  private nodeIndex: Map<string, Set<PodRecord>> | undefined;

  /** Bumped on every node change; caches derived from the node set compare it. */
  public nodeGeneration = 0;

  constructor(public readonly profile: ClusterProfileInfo) {
    for (const n of profile.nodes) this.nodes.set(n.name, n);
  }

  /** A pod was created: index it (where the indexes exist yet). */
  public indexPod(rec: PodRecord): void {
    this.labelIndex?.add(rec.key, rec.pod.namespace, rec.pod.labels);
    if (this.nodeIndex) addToNode(this.nodeIndex, rec);
  }

  /** A pod was deleted: drop it from the indexes. */
  public unindexPod(rec: PodRecord): void {
    this.labelIndex?.remove(rec.key, rec.pod.namespace, rec.pod.labels);
    this.nodeIndex?.get(rec.pod.nodeName)?.delete(rec);
  }

  /** Keys of the pods in `ns` whose labels match every pair of `selector`, in creation order. */
  public selectPods(ns: string, selector: Readonly<Record<string, string>>): string[] {
    if (this.podRecords.size === 0) return [];
    if (!this.labelIndex) {
      this.labelIndex = new PodLabelIndex();
      for (const rec of this.podRecords.values()) this.labelIndex.add(rec.key, rec.pod.namespace, rec.pod.labels);
    }
    return this.labelIndex.select(ns, selector, (p) => this.pods.get(p)?.labels);
  }

  /** The pods bound to a node, in creation order. */
  public podsOnNode(node: string): ReadonlySet<PodRecord> | undefined {
    if (!this.nodeIndex) {
      this.nodeIndex = new Map();
      for (const rec of this.podRecords.values()) addToNode(this.nodeIndex, rec);
    }
    return this.nodeIndex.get(node);
  }

  /** Record that the node set or a node's zone/readiness changed. */
  public nodesChanged(): void {
    this.nodeGeneration++;
  }

  /** Report a change that names an object the cluster does not have. */
  public unknown(what: string, key: string): void {
    this.sink.add({ severity: 'warning', code: 'change-unknown-target', message: `change refers to unknown ${what} ${key}; ignored`, hint: 'use namespace/name keys as in cluster.pods' });
  }
}

function addToNode(index: Map<string, Set<PodRecord>>, rec: PodRecord): void {
  let onNode = index.get(rec.pod.nodeName);
  if (!onNode) { onNode = new Set(); index.set(rec.pod.nodeName, onNode); }
  onNode.add(rec);
}

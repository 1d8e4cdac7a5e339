/**
 * The simulated cluster: manifests + profile in, pods, Services, Endpoints and EndpointSlices
 * out, kept up to date by incremental changes. Laid out as kube-controller-manager is: one store
 * with shared indexes (`store.ts`), one controller per concern in `controllers/*-controller.ts`
 * reacting to the changes of the kinds it watches, each naming the upstream code it follows.
 * This class only orders the build and routes changes to the controllers that watch their kind.
 */
import { performance } from 'perf_hooks';
import { JsonObject, ManifestObject, fromObjects, manifestKey, refKey } from '../manifest/objects';
import { DEFAULT_BUDGET, SimulationBudget, SimulationBudgetError, checkBudget } from './budget';
import { ClusterChange, WatchEvent } from './changes';
import { Coverage } from './coverage';
import { EndpointsController } from './controllers/endpoints-controller';
import { JobController } from './controllers/job';
import { API_SERVER_SOURCE, kubernetesEndpoints, kubernetesServiceManifest } from './controllers/kubernetes-service';
import { NodeController } from './controllers/node-controller';
import { PodController } from './controllers/pod-controller';
import { ServiceController } from './controllers/service-controller';
import { WORKLOAD_FACTORIES, WorkloadController } from './controllers/workload-controller';
import { Diagnostic, DiagnosticSink } from './diagnostics';
import {
  ClusterProfileInfo, ClusterStateView, EndpointSliceInfo, EndpointsInfo, FinishedPodInfo, NodeInfo, ObjectRef, PodInfo,
  ServiceInfo,
} from './model';
import { nodeAddressFamilyNotes } from './ip-families';
import { defaultProfile } from './profile';
import { ClusterStore, ObjectController, SyncQueue, newQueue } from './store';

/** Options of {@link Cluster.build}. */
export interface BuildOptions {
  /** Changes applied right after the build (mark pods unready, scale, fail nodes, ...). */
  readonly overrides?: readonly ClusterChange[];
  /** Limits on what the input may ask the simulation for (see `budget.ts`). @default DEFAULT_BUDGET */
  readonly budget?: SimulationBudget;
}

/** A simulated cluster. Read it through {@link ClusterStateView}; change it with {@link Cluster.apply}. */
export class Cluster implements ClusterStateView {
  /** Build from loaded manifests (see `lib/manifest`) and a profile (default: 3 nodes, 3 zones). */
  public static build(objects: readonly ManifestObject[], profile: ClusterProfileInfo = defaultProfile(), options: BuildOptions = {}): Cluster {
    // Refuse before any work: a `replicas: 2000000` must not take minutes and gigabytes.
    const over = checkBudget(objects, profile, options.budget ?? DEFAULT_BUDGET);
    if (over.length > 0) throw new SimulationBudgetError(over);
    const c = new Cluster(profile);
    c.init(objects);
    for (const change of options.overrides ?? []) c.apply(change);
    return c;
  }

  public readonly nodes: Map<string, NodeInfo>;
  public readonly pods: Map<string, PodInfo>;
  public readonly services: Map<string, ServiceInfo>;
  public readonly endpointSlices: Map<string, EndpointSliceInfo[]>;
  /** Service key -> its v1 Endpoints (selector Services, or hand-written for selector-less ones). */
  public readonly endpoints: Map<string, EndpointsInfo>;
  public readonly namespaces: Set<string>;
  /** Every loaded object by `Kind/namespace/name` (see {@link manifestKey}: kinds of non-Kubernetes API groups are qualified by the group). */
  public readonly objects: Map<string, ManifestObject>;
  /** Build time per phase in milliseconds (for benchmarks). */
  public readonly timings = new Map<string, number>();

  private readonly store: ClusterStore;
  private readonly podController: PodController;
  private readonly workloadController: WorkloadController;
  private readonly nodeController: NodeController;
  private readonly serviceController: ServiceController;
  private readonly endpointsController: EndpointsController;
  private readonly jobController: JobController;
  private coverageCache: Coverage | undefined;
  /** Kind -> the controllers watching it, in registration order. */
  private readonly watchers = new Map<string, ObjectController[]>();

  private constructor(public readonly profile: ClusterProfileInfo) {
    const store = new ClusterStore(profile);
    this.store = store;
    this.nodes = store.nodes;
    this.pods = store.pods;
    this.services = store.services;
    this.endpointSlices = store.endpointSlices;
    this.endpoints = store.endpoints;
    this.namespaces = store.namespaces;
    this.objects = store.objects;
    this.podController = new PodController(store);
    this.workloadController = new WorkloadController(store, this.podController);
    this.nodeController = new NodeController(store, this.podController, this.workloadController);
    this.serviceController = new ServiceController(store);
    this.endpointsController = new EndpointsController(store);
    this.jobController = new JobController(store);
    // Informer fan-out: the ServiceController admits a Service before the EndpointsController syncs it.
    for (const c of [this.nodeController, this.serviceController, this.endpointsController, this.podController, this.workloadController, this.jobController]) {
      this.watch(c);
    }
  }

  /** Pods that ran to completion (a Job's), by Job key `Job/namespace/name`: never endpoints, no node capacity. */
  public get finishedPods(): ReadonlyMap<string, readonly FinishedPodInfo[]> {
    return this.jobController.finished;
  }

  /** Every loaded object classified: simulated, not relevant to routing, or relevant but not simulated. */
  public get coverage(): Coverage {
    this.coverageCache ??= new Coverage(this.store.objects.values());
    return this.coverageCache;
  }

  /** Problems found while simulating (allocation conflicts, unschedulable pods, ...). */
  public get diagnostics(): readonly Diagnostic[] {
    return this.store.sink.items;
  }

  /** Apply one change; returns the Endpoints/EndpointSlice watch events it caused. */
  public apply(change: ClusterChange): WatchEvent[] {
    // Deferred v1 Endpoints are computed from the state before this change (see EndpointsMap).
    this.store.endpoints.settle();
    const q = newQueue();
    if (change.type === 'upsertObject' || change.type === 'deleteObject') this.coverageCache = undefined;
    switch (change.type) {
      case 'setPodReady':
        this.podController.setReady(change.pod, change.ready, q.touched);
        break;
      case 'setPodTerminating':
        this.podController.setTerminating(change.pod, change.terminating ?? true, q.touched);
        this.workloadController.podTerminationChanged(change.pod, q.touched);
        break;
      case 'scale':
        if (!this.workloadController.scale(refKey(change.workload), change.replicas, q.touched)) this.store.unknown('workload', refKey(change.workload));
        break;
      case 'failNode':
        if (!this.nodeController.setFailed(change.node, change.failed ?? true, q.touched)) { this.store.unknown('node', change.node); break; }
        this.endpointsController.nodesFailedOrRecovered(q.touched);
        break;
      case 'upsertObject':
        this.upsert(change.object, q);
        break;
      case 'deleteObject':
        this.remove(change.ref, q);
        break;
    }
    // A readiness change may unblock (or block) an OrderedReady StatefulSet's next step.
    this.workloadController.drain(q.touched);
    for (const svc of q.touched) this.endpointsController.syncService(svc, q.events);
    return q.events;
  }

  private watch(c: ObjectController): void {
    for (const kind of c.kinds) {
      const list = this.watchers.get(kind) ?? [];
      list.push(c);
      this.watchers.set(kind, list);
    }
  }

  // ---- build ----

  private init(objects: readonly ManifestObject[]): void {
    const store = this.store;
    let t = performance.now();
    const phase = (name: string): void => {
      const now = performance.now();
      this.timings.set(name, now - t);
      t = now;
    };
    for (const o of objects) {
      store.objects.set(manifestKey(o), o);
      if (o.ref.namespace !== undefined) store.namespaces.add(o.ref.namespace);
      if (o.typed?.kind === 'Namespace') store.namespaces.add(o.ref.name);
    }
    for (const o of objects) if (o.typed?.kind === 'Node') this.nodeController.applyManifest(o, o.typed);
    for (const n of store.nodes.values()) this.nodeController.register(n);

    // Services: explicit reservations for all, then dynamic allocation (see controllers/service.ts),
    // in the order `netkit apply` creates them (file order: Services are one step of its kind order),
    // so a contested clusterIP or nodePort goes to the first created, as the API server decides.
    // kube-apiserver's own `default/kubernetes` comes first (unless the manifests write it).
    const services = objects.filter((x) => x.typed?.kind === 'Service');
    const apiService = store.objects.has('Service/default/kubernetes') ? undefined : kubernetesServiceObject(this.profile);
    this.serviceController.admitAll(apiService ? [apiService, ...services] : services);
    phase('nodes and Services (defaults, ClusterIPs, NodePorts)');

    // Pods: bare Pods first (they may pin IPs), then workloads, each in namespace/kind/name order.
    for (const o of sortByRef(objects.filter((x) => x.typed?.kind === 'Pod'))) this.podController.addBarePod(o, new Set());
    for (const o of sortByRef(objects.filter((x) => WORKLOAD_FACTORIES.has(x.ref.kind)))) this.workloadController.add(o, new Set());
    for (const o of sortByRef(objects.filter((x) => this.jobController.kinds.includes(x.ref.kind)))) this.jobController.add(o);
    phase('workloads -> pods (placement, pod IPs, label indexes)');

    const events: WatchEvent[] = [];
    // v1 Endpoints on first read: kube-proxy, DNS and the rules read EndpointSlices (store.ts EndpointsMap).
    for (const key of store.services.keys()) this.endpointsController.syncService(key, events, true);
    this.endpointsController.syncAllUserEndpoints(objects, events);
    if (apiService && !store.objects.has('Endpoints/default/kubernetes')) this.endpointsController.addApiServerEndpoints(kubernetesEndpoints(this.profile), events);
    phase('Endpoints and EndpointSlices');
    for (const d of nodeAddressFamilyNotes(this.profile, store.services.values(), store.pods.values())) store.sink.add(d);
  }

  // ---- objects ----

  private upsert(input: ManifestObject | JsonObject, q: SyncQueue): void {
    const obj = toManifestObject(input, this.store.sink);
    if (!obj) return;
    const key = manifestKey(obj);
    const previous = this.store.objects.get(key);
    this.store.objects.set(key, obj);
    if (obj.ref.namespace !== undefined) this.store.namespaces.add(obj.ref.namespace);
    if (obj.typed?.kind === 'Namespace') this.store.namespaces.add(obj.ref.name);
    // Kinds the loader does not type (ReplicationController, Job, CronJob, Rollout) dispatch by their ref kind.
    for (const c of this.watchers.get(obj.typed?.kind ?? (UNTYPED_WORKLOAD_KINDS.has(obj.ref.kind) ? obj.ref.kind : '')) ?? []) c.upsert(obj, previous, q);
  }

  private remove(ref: ObjectRef, q: SyncQueue): void {
    const full: ObjectRef = ref.namespace === undefined && !['Namespace', 'Node'].includes(ref.kind) ? { ...ref, namespace: 'default' } : ref;
    const key = refKey(full);
    const obj = this.store.objects.get(key);
    this.store.objects.delete(key);
    const watchers = this.watchers.get(full.kind);
    if (!watchers) {
      if (!obj) this.store.unknown('object', key);
      return;
    }
    for (const c of watchers) c.remove(full, obj, q);
  }
}

/** The `default/kubernetes` Service as a loaded object (not in `objects`: no manifest wrote it). */
function kubernetesServiceObject(profile: ClusterProfileInfo): ManifestObject | undefined {
  const m = kubernetesServiceManifest(profile);
  return m ? fromObjects([m], API_SERVER_SOURCE).objects[0] : undefined;
}

/** Workload kinds the loader does not type; changes to them dispatch by `ref.kind`. */
const UNTYPED_WORKLOAD_KINDS = new Set(['ReplicationController', 'Rollout', 'Job', 'CronJob']);

function sortByRef(objs: readonly ManifestObject[]): ManifestObject[] {
  // Each key built once, not twice per comparison.
  const keyed = objs.map((o) => ({ o, k: `${o.ref.namespace ?? ''}\u0000${o.ref.kind}\u0000${o.ref.name}` }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.o);
}

function toManifestObject(input: ManifestObject | JsonObject, sink: DiagnosticSink): ManifestObject | undefined {
  if (isManifestObject(input)) return input;
  const r = fromObjects([input], '<change>');
  for (const e of r.errors) sink.add({ severity: 'error', code: `manifest-${e.code}`, message: e.message, source: e.source, path: e.path, hint: e.hint });
  return r.objects[0];
}

function isManifestObject(v: ManifestObject | JsonObject): v is ManifestObject {
  const r = (v as { ref?: unknown }).ref;
  return typeof r === 'object' && r !== null && 'raw' in v;
}

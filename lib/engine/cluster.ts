/**
 * The simulated cluster: manifests + profile in, pods, Services, Endpoints and EndpointSlices
 * out, kept up to date by incremental changes. Each controller lives in `controllers/` and names
 * the upstream code it follows; this class wires them together and keeps the indexes that make
 * a change cost O(pods of the Services it touches) rather than O(cluster).
 */
import { performance } from 'perf_hooks';
import { JsonObject, ManifestObject, fromObjects, manifestKey, refKey } from '../manifest/objects';
import type { NodeManifest, PodManifest, ServiceManifest } from '../manifest/types';
import { ClusterChange, WatchEvent } from './changes';
import { daemonSetWorkload } from './controllers/daemonset';
import { deploymentWorkload } from './controllers/deployment';
import { computeEndpoints, managesEndpoints } from './controllers/endpoints';
import { desiredEndpoints, hintsMode, sliceLabels } from './controllers/endpointslice';
import { reconcileSlices } from './controllers/endpointslice-reconciler';
import { mirrorEndpoints, userSlice } from './controllers/endpointslice-mirroring';
import { PodIPAllocator } from './controllers/pod-ipam';
import { PodSeed, containerPortsOf } from './controllers/pod-template';
import { podsToDelete, replicaSetWorkload } from './controllers/replicaset';
import { Scheduler } from './controllers/scheduler';
import { ServiceAllocator, ServiceDraft } from './controllers/service';
import { podOrdinal, statefulSetWorkload } from './controllers/statefulset';
import { autoHints, zoneRatios } from './controllers/topology-hints';
import { Workload } from './controllers/workload';
import { Diagnostic, DiagnosticSink } from './diagnostics';
import { nameSuffix } from './hash';
import {
  ClusterProfileInfo, ClusterStateView, EndpointSliceInfo, EndpointsInfo, NodeInfo, ObjectRef, PodInfo,
  ServiceInfo, objectKey,
} from './model';
import { defaultProfile, syntheticNode } from './profile';
import { PodLabelIndex, ServiceSelectorIndex } from './indexes';

/** Options of {@link Cluster.build}. */
export interface BuildOptions {
  /** Changes applied right after the build (mark pods unready, scale, fail nodes, ...). */
  readonly overrides?: readonly ClusterChange[];
}

interface WorkloadState {
  workload: Workload;
  replicas: number;
  /** Pod keys in creation order. */
  pods: string[];
}

interface ServiceMeta {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** A simulated cluster. Read it through {@link ClusterStateView}; change it with {@link Cluster.apply}. */
export class Cluster implements ClusterStateView {
  /** Build from loaded manifests (see `lib/manifest`) and a profile (default: 3 nodes, 3 zones). */
  public static build(objects: readonly ManifestObject[], profile: ClusterProfileInfo = defaultProfile(), options: BuildOptions = {}): Cluster {
    const c = new Cluster(profile);
    c.init(objects);
    for (const change of options.overrides ?? []) c.apply(change);
    return c;
  }

  public readonly nodes = new Map<string, NodeInfo>();
  public readonly pods = new Map<string, PodInfo>();
  public readonly services = new Map<string, ServiceInfo>();
  public readonly endpointSlices = new Map<string, EndpointSliceInfo[]>();
  /** Service key -> its v1 Endpoints (selector Services, or hand-written for selector-less ones). */
  public readonly endpoints = new Map<string, EndpointsInfo>();
  public readonly namespaces = new Set<string>(['default']);
  /** Every loaded object by `Kind/namespace/name` (see {@link manifestKey}: kinds of non-Kubernetes API groups are qualified by the group). */
  public readonly objects = new Map<string, ManifestObject>();
  /** Build time per phase in milliseconds (for benchmarks). */
  public readonly timings = new Map<string, number>();

  private readonly sink = new DiagnosticSink();
  private readonly scheduler: Scheduler;
  private readonly podIPs = new PodIPAllocator();
  private readonly allocator: ServiceAllocator;
  private readonly workloads = new Map<string, WorkloadState>();
  private readonly podOwner = new Map<string, string>();
  private readonly podsByNode = new Map<string, Set<string>>();
  /** The PodReady a pod would have on a healthy node (user overrides). */
  private readonly podReadyWanted = new Map<string, boolean>();
  /** OrderedReady StatefulSets one of whose pods changed readiness (re-synced at the end of `apply`). */
  private readonly orderedDirty = new Set<string>();
  private readonly podIndex = new PodLabelIndex();
  private readonly serviceIndex = new ServiceSelectorIndex();
  private readonly podServices = new Map<string, readonly string[]>();
  private readonly servicePods = new Map<string, Set<string>>();
  private readonly serviceMeta = new Map<string, ServiceMeta>();
  private readonly sliceNames = new Set<string>();
  private zoneRatioCache: Map<string, number> | undefined | null = null;
  /** `nodes` as an array, rebuilt after node changes. */
  private nodeList: NodeInfo[] | undefined;
  /** Highest generated node index handed out (profile nodes count as used). */
  private nodeSeq: number;

  private constructor(public readonly profile: ClusterProfileInfo) {
    for (const n of profile.nodes) this.nodes.set(n.name, n);
    this.nodeSeq = profile.nodes.length;
    this.scheduler = new Scheduler([]);
    this.allocator = new ServiceAllocator(profile, this.sink);
  }

  /** Problems found while simulating (allocation conflicts, unschedulable pods, ...). */
  public get diagnostics(): readonly Diagnostic[] {
    return this.sink.items;
  }

  /** Apply one change; returns the Endpoints/EndpointSlice watch events it caused. */
  public apply(change: ClusterChange): WatchEvent[] {
    const events: WatchEvent[] = [];
    const touched = new Set<string>();
    switch (change.type) {
      case 'setPodReady':
        this.podReadyWanted.set(change.pod, change.ready);
        this.refreshPod(change.pod, touched);
        break;
      case 'setPodTerminating': {
        const pod = this.pods.get(change.pod);
        if (!pod) { this.unknown('pod', change.pod); break; }
        const terminating = change.terminating ?? true;
        this.replacePod({ ...pod, terminating, ready: pod.serving && !terminating }, touched);
        break;
      }
      case 'scale': {
        const st = this.workloads.get(refKey(change.workload));
        if (!st) { this.unknown('workload', refKey(change.workload)); break; }
        st.replicas = change.replicas;
        this.syncWorkload(refKey(change.workload), touched);
        break;
      }
      case 'failNode': {
        const node = this.nodes.get(change.node);
        if (!node) { this.unknown('node', change.node); break; }
        const ready = !(change.failed ?? true);
        this.nodes.set(node.name, { ...node, ready });
        this.scheduler.setNodeReady(node.name, ready);
        this.zoneRatioCache = null;
    this.nodeList = undefined;
        for (const p of this.podsByNode.get(node.name) ?? []) this.refreshPod(p, touched);
        // Auto topology hints depend on ready nodes per zone.
        for (const [key, meta] of this.serviceMeta) {
          const svc = this.services.get(key);
          if (svc && hintsMode(svc, meta.annotations) === 'auto') touched.add(key);
        }
        break;
      }
      case 'upsertObject':
        this.upsert(change.object, touched, events);
        break;
      case 'deleteObject':
        this.remove(change.ref, touched, events);
        break;
    }
    // A readiness change may unblock (or block) an OrderedReady StatefulSet's next step.
    for (const wk of this.orderedDirty) {
      this.orderedDirty.delete(wk);
      this.syncWorkload(wk, touched);
    }
    for (const svc of touched) this.syncService(svc, events);
    return events;
  }

  // ---- build ----

  private init(objects: readonly ManifestObject[]): void {
    let t = performance.now();
    const phase = (name: string): void => {
      const now = performance.now();
      this.timings.set(name, now - t);
      t = now;
    };
    for (const o of objects) {
      this.objects.set(manifestKey(o), o);
      if (o.ref.namespace !== undefined) this.namespaces.add(o.ref.namespace);
      if (o.typed?.kind === 'Namespace') this.namespaces.add(o.ref.name);
    }
    for (const o of objects) if (o.typed?.kind === 'Node') this.applyNodeManifest(o, o.typed);
    for (const n of this.nodes.values()) this.addNodeToControllers(n);

    // Services: explicit reservations for all, then dynamic allocation (see controllers/service.ts).
    const drafts: ServiceDraft[] = [];
    for (const o of sortByRef(objects.filter((x) => x.typed?.kind === 'Service'))) {
      const d = this.allocator.admit(o, o.typed as ServiceManifest);
      if (d) drafts.push(d);
    }
    for (const d of drafts) {
      const info = this.allocator.complete(d);
      this.registerService(info, this.objects.get(refKey(d.ref)) as ManifestObject);
    }
    phase('nodes and Services (defaults, ClusterIPs, NodePorts)');

    // Pods: bare Pods first (they may pin IPs), then workloads, each in namespace/kind/name order.
    for (const o of sortByRef(objects.filter((x) => x.typed?.kind === 'Pod'))) this.addBarePod(o, new Set());
    for (const o of sortByRef(objects.filter((x) => WORKLOAD_KINDS.has(x.ref.kind)))) this.addWorkload(o, new Set());
    phase('workloads -> pods (placement, pod IPs, label indexes)');

    const events: WatchEvent[] = [];
    for (const key of this.services.keys()) this.syncService(key, events);
    for (const o of objects) {
      if (o.typed?.kind === 'Endpoints' || o.typed?.kind === 'EndpointSlice') this.syncUserEndpoints(serviceKeyOfEndpoints(o), events);
    }
    phase('Endpoints and EndpointSlices');
  }

  private applyNodeManifest(o: ManifestObject, n: NodeManifest): void {
    const existing = this.nodes.get(o.ref.name);
    const labels = n.metadata.labels ?? {};
    // New nodes continue the profile's address scheme after every index used so far.
    const seq = existing ? 0 : ++this.nodeSeq;
    const base = existing ?? syntheticNode(seq, this.profile.nodes.length > 0
      ? this.profile.nodes[(seq - 1) % this.profile.nodes.length].zone : 'zone-a');
    const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? base.zone;
    const readyCond = n.status?.conditions?.find((c) => c.type === 'Ready');
    const node: NodeInfo = {
      name: o.ref.name,
      zone,
      podCIDR: n.spec?.podCIDR ?? base.podCIDR,
      internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? base.internalIP,
      ready: readyCond ? readyCond.status === 'True' : true,
      labels: { ...base.labels, ...labels, 'kubernetes.io/hostname': o.ref.name, 'topology.kubernetes.io/zone': zone },
    };
    this.nodes.set(node.name, node);
  }

  private addNodeToControllers(n: NodeInfo): void {
    this.scheduler.addNode(n);
    if (!this.podIPs.addNode(n)) {
      this.sink.add({ severity: 'error', code: 'node-pod-cidr', message: `node ${n.name}: podCIDR ${n.podCIDR} is not an IPv4 CIDR; its pods get no IP`, object: { kind: 'Node', name: n.name } });
    }
    this.zoneRatioCache = null;
    this.nodeList = undefined;
  }

  // ---- services ----

  private registerService(info: ServiceInfo, obj: ManifestObject): void {
    const key = objectKey(info.namespace, info.name);
    const meta = (obj.raw.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
    this.services.set(key, info);
    this.serviceMeta.set(key, { labels: meta.labels ?? {}, annotations: meta.annotations ?? {} });
    if (info.selector && managesEndpoints(info)) {
      this.serviceIndex.add(key, info.namespace, info.selector);
      const selected = this.podIndex.select(info.namespace, info.selector, (p) => this.pods.get(p)?.labels);
      this.servicePods.set(key, new Set(selected));
      // Lists may be shared between pods of one workload: copy on write.
      for (const p of selected) this.podServices.set(p, [...(this.podServices.get(p) ?? []), key]);
    }
  }

  private unregisterService(key: string): ServiceInfo | undefined {
    const info = this.services.get(key);
    if (!info) return undefined;
    if (info.selector) this.serviceIndex.remove(key, info.namespace, info.selector);
    for (const p of this.servicePods.get(key) ?? []) {
      const list = this.podServices.get(p);
      if (list) this.podServices.set(p, list.filter((s) => s !== key));
    }
    this.servicePods.delete(key);
    this.services.delete(key);
    this.serviceMeta.delete(key);
    this.allocator.release(info);
    return info;
  }

  /** Recompute a Service's Endpoints and EndpointSlices, emitting events for what changed. */
  private syncService(key: string, events: WatchEvent[]): void {
    const svc = this.services.get(key);
    const meta = this.serviceMeta.get(key);
    if (!svc || !meta || !managesEndpoints(svc)) {
      if (!svc || svc.selector !== undefined || svc.type === 'ExternalName') this.dropManaged(key, events);
      return;
    }
    const pods: PodInfo[] = [];
    for (const p of this.servicePods.get(key) ?? []) {
      const pod = this.pods.get(p);
      if (pod) pods.push(pod);
    }
    // Endpoints controller
    const next = computeEndpoints(svc, meta.labels, pods);
    const prev = this.endpoints.get(key);
    if (!prev || !sameEndpoints(prev, next)) {
      this.endpoints.set(key, next);
      events.push({ type: prev ? 'MODIFIED' : 'ADDED', kind: 'Endpoints', object: next });
    }
    // EndpointSlice controller
    const mode = hintsMode(svc, meta.annotations);
    const existing = this.endpointSlices.get(key) ?? [];
    const r = reconcileSlices({
      namespace: svc.namespace,
      serviceName: svc.name,
      labels: sliceLabels(svc, meta.labels),
      existing,
      desired: desiredEndpoints(svc, pods, mode),
      maxEndpointsPerSlice: this.profile.maxEndpointsPerSlice,
      newName: () => this.newSliceName(svc),
      rehint: mode === 'auto' ? (slices) => autoHints(slices, this.zoneRatios()) : undefined,
    });
    for (const s of r.deleted) this.sliceNames.delete(`${s.namespace}/${s.name}`);
    this.endpointSlices.set(key, r.slices);
    for (const s of r.created) events.push({ type: 'ADDED', kind: 'EndpointSlice', object: s });
    for (const s of r.updated) events.push({ type: 'MODIFIED', kind: 'EndpointSlice', object: s });
    for (const s of r.deleted) events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
  }

  private dropManaged(key: string, events: WatchEvent[]): void {
    const svc = this.services.get(key);
    if (svc && svc.selector === undefined && svc.type !== 'ExternalName') return; // hand-managed endpoints stay
    const ep = this.endpoints.get(key);
    if (ep) {
      this.endpoints.delete(key);
      events.push({ type: 'DELETED', kind: 'Endpoints', object: ep });
    }
    for (const s of this.endpointSlices.get(key) ?? []) {
      this.sliceNames.delete(`${s.namespace}/${s.name}`);
      events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    }
    this.endpointSlices.delete(key);
  }

  /** Hand-written Endpoints/EndpointSlices of a selector-less Service (mirrored as upstream). */
  private syncUserEndpoints(svcKey: string | undefined, events: WatchEvent[]): void {
    if (svcKey === undefined) return;
    const svc = this.services.get(svcKey);
    if (!svc || svc.selector !== undefined || svc.type === 'ExternalName') return;
    const [ns, name] = splitKey(svcKey);
    const epObj = this.objects.get(refKey({ kind: 'Endpoints', namespace: ns, name }));
    const slices: EndpointSliceInfo[] = [];
    for (const o of this.objects.values()) {
      if (o.typed?.kind !== 'EndpointSlice' || o.ref.namespace !== ns) continue;
      if (o.typed.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
      const s = userSlice(o, o.typed);
      if (s) slices.push(s);
    }
    let endpoints: EndpointsInfo | undefined;
    if (epObj?.typed?.kind === 'Endpoints') {
      const m = mirrorEndpoints(epObj, epObj.typed, this.profile.maxEndpointsPerSlice, (i) => `${name}-${nameSuffix(`${svcKey}/mirror/${i}`)}`);
      endpoints = m.endpoints;
      slices.push(...m.slices);
    }
    const prevEp = this.endpoints.get(svcKey);
    if (endpoints) {
      this.endpoints.set(svcKey, endpoints);
      events.push({ type: prevEp ? 'MODIFIED' : 'ADDED', kind: 'Endpoints', object: endpoints });
    } else if (prevEp) {
      this.endpoints.delete(svcKey);
      events.push({ type: 'DELETED', kind: 'Endpoints', object: prevEp });
    }
    const prev = this.endpointSlices.get(svcKey) ?? [];
    const names = new Set(slices.map((s) => s.name));
    for (const s of prev) if (!names.has(s.name)) events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    const prevNames = new Set(prev.map((s) => s.name));
    for (const s of slices) events.push({ type: prevNames.has(s.name) ? 'MODIFIED' : 'ADDED', kind: 'EndpointSlice', object: s });
    if (slices.length > 0) this.endpointSlices.set(svcKey, slices); else this.endpointSlices.delete(svcKey);
  }

  private newSliceName(svc: ServiceInfo): string {
    // Upstream: generateName `<service>-` (prefix cut to fit 63 characters) + 5 random characters.
    const prefix = svc.name.length > 57 ? svc.name.slice(0, 57) : svc.name;
    for (let i = 0; ; i++) {
      const name = `${prefix}-${nameSuffix(`${svc.namespace}/${svc.name}/${i}`)}`;
      const k = `${svc.namespace}/${name}`;
      if (!this.sliceNames.has(k)) {
        this.sliceNames.add(k);
        return name;
      }
    }
  }

  private zoneRatios(): Map<string, number> | undefined {
    if (this.zoneRatioCache === null) this.zoneRatioCache = zoneRatios(this.nodes.values());
    return this.zoneRatioCache;
  }

  // ---- pods ----

  private addWorkload(o: ManifestObject, touched: Set<string>): void {
    let w: Workload | undefined;
    switch (o.typed?.kind) {
      case 'Deployment': w = deploymentWorkload(o, o.typed, this.sink); break;
      case 'ReplicaSet': w = replicaSetWorkload(o, o.typed, this.sink); break;
      case 'StatefulSet': w = statefulSetWorkload(o, o.typed, this.sink); break;
      case 'DaemonSet': w = daemonSetWorkload(o, o.typed, this.sink); break;
      default: return;
    }
    if (!w) return;
    const key = refKey(o.ref);
    this.workloads.set(key, { workload: w, replicas: w.replicas, pods: [] });
    this.syncWorkload(key, touched);
  }

  /** Make a workload's pods match its desired set (create missing, delete surplus). */
  private syncWorkload(key: string, touched: Set<string>): void {
    const st = this.workloads.get(key);
    if (!st) return;
    if (!this.nodeList) this.nodeList = [...this.nodes.values()];
    if ((st.workload.ref.kind === 'Deployment' || st.workload.ref.kind === 'ReplicaSet') && this.scaleReplicaSet(key, st, touched)) return;
    if (st.workload.orderedReady) { this.syncOrderedReady(key, st, touched); return; }
    const desired = st.workload.desiredPods(st.replicas, this.nodeList);
    const wanted = new Map<string, PodSeed>();
    if (st.pods.length > 0) for (const d of desired) wanted.set(objectKey(d.namespace, d.name), d);
    const keep: string[] = [];
    for (const p of st.pods) {
      const seed = wanted.get(p);
      const pod = this.pods.get(p);
      if (seed && pod && sameSeed(seed, pod)) keep.push(p);
      else this.deletePod(p, touched);
    }
    const kept = new Set(keep);
    for (const seed of desired) {
      const p = objectKey(seed.namespace, seed.name);
      if (kept.has(p)) continue;
      if (this.pods.has(p) && this.podOwner.get(p) !== key) {
        this.sink.add({ severity: 'error', code: 'pod-name-conflict', message: `pod ${p} of ${key} clashes with an existing pod`, object: st.workload.ref, source: st.workload.source });
        continue;
      }
      if (this.createPod(seed, key, touched)) keep.push(p);
    }
    st.pods = keep;
  }

  /**
   * A StatefulSet with `podManagementPolicy: OrderedReady` (upstream `stateful_set_control.go`,
   * monotonic): create missing ordinals upwards while every lower pod is Running and Ready, then
   * delete condemned ordinals from the highest down. Pods whose template changed are replaced by
   * name as for Parallel (rolling updates are not modelled).
   */
  private syncOrderedReady(key: string, st: WorkloadState, touched: Set<string>): void {
    const desired = st.workload.desiredPods(st.replicas, this.nodeList as NodeInfo[]);
    const wanted = new Map<string, PodSeed>();
    for (const d of desired) wanted.set(objectKey(d.namespace, d.name), d);
    const owned: string[] = [];
    const condemned: PodInfo[] = [];
    for (const p of st.pods) {
      const pod = this.pods.get(p);
      if (!pod) continue;
      const seed = wanted.get(p);
      if (!seed) { owned.push(p); condemned.push(pod); } else if (sameSeed(seed, pod)) owned.push(p); else this.deletePod(p, touched);
    }
    st.pods = owned;
    const has = new Set(owned);
    // Replicas in ordinal order: create the first missing one, and stop at any pod not Running and Ready.
    for (const seed of desired) {
      const p = objectKey(seed.namespace, seed.name);
      if (!has.has(p)) {
        if (this.pods.has(p)) {
          this.sink.add({ severity: 'error', code: 'pod-name-conflict', message: `pod ${p} of ${key} clashes with an existing pod`, object: st.workload.ref, source: st.workload.source });
          return;
        }
        if (!this.createPod(seed, key, touched)) return; // a Pending pod blocks the ordinals above it
        st.pods.push(p);
      }
      if (!(this.pods.get(p) as PodInfo).ready) return;
    }
    // Condemned pods, highest ordinal first, each once the previous one is gone. A terminating pod
    // is waited for; an unready one only goes first when it is the lowest-ordinal unhealthy pod.
    condemned.sort((a, b) => podOrdinal(b) - podOrdinal(a));
    const firstUnhealthy = [...condemned].reverse().find((pod) => !pod.ready);
    for (const pod of condemned) {
      if (pod.terminating || (!pod.ready && pod !== firstUnhealthy)) return;
      const p = objectKey(pod.namespace, pod.name);
      this.deletePod(p, touched);
      st.pods = st.pods.filter((x) => x !== p);
    }
  }

  /**
   * A ReplicaSet (or a Deployment's) whose template is unchanged only scales: a scale-down deletes
   * the pods upstream ranks first (`podsToDelete`), a scale-up adds pods under unused names.
   * Returns false when it has no pods yet or its template changed (syncWorkload then replaces
   * pods by name).
   */
  private scaleReplicaSet(key: string, st: WorkloadState, touched: Set<string>): boolean {
    const alive = st.pods.filter((p) => this.pods.has(p));
    if (alive.length === 0) return false;
    const nodes = this.nodeList as NodeInfo[];
    const probe = st.workload.desiredPods(1, nodes)[0];
    const pods = alive.map((p) => this.pods.get(p) as PodInfo);
    if (!probe || !pods.every((p) => sameSeed(probe, p))) return false;
    if (pods.length > st.replicas) {
      const victims = new Set(podsToDelete(pods, pods.length - st.replicas).map((p) => objectKey(p.namespace, p.name)));
      for (const v of victims) this.deletePod(v, touched);
      st.pods = alive.filter((p) => !victims.has(p));
      return true;
    }
    st.pods = alive;
    if (pods.length === st.replicas) return true;
    const used = new Set(alive);
    for (const seed of st.workload.desiredPods(st.replicas + alive.length, nodes)) {
      if (st.pods.length >= st.replicas) break;
      const p = objectKey(seed.namespace, seed.name);
      if (used.has(p)) continue;
      if (this.pods.has(p)) {
        this.sink.add({ severity: 'error', code: 'pod-name-conflict', message: `pod ${p} of ${key} clashes with an existing pod`, object: st.workload.ref, source: st.workload.source });
        continue;
      }
      if (this.createPod(seed, key, touched)) st.pods.push(p);
    }
    return true;
  }

  private addBarePod(o: ManifestObject, touched: Set<string>): void {
    if (o.typed?.kind !== 'Pod') return;
    const p: PodManifest = o.typed;
    const meta = p.metadata;
    const readyCond = p.status?.conditions?.find((c) => c.type === 'Ready');
    const seed: PodSeed = {
      namespace: o.ref.namespace ?? 'default',
      name: o.ref.name,
      labels: meta.labels ?? {},
      containerPorts: containerPortsOf(p.spec),
      hostname: p.spec?.hostname,
      subdomain: p.spec?.subdomain,
      nodeSelector: p.spec?.nodeSelector,
      nodeName: p.spec?.nodeName,
      podIP: p.status?.podIP,
      ready: readyCond ? readyCond.status === 'True' : true,
      source: o.source,
    };
    const key = objectKey(seed.namespace, seed.name);
    if (this.createPod(seed, undefined, touched) && typeof (meta as Record<string, unknown>).deletionTimestamp === 'string') {
      const pod = this.pods.get(key) as PodInfo;
      this.replacePod({ ...pod, terminating: true, ready: false }, touched);
    }
  }

  private createPod(seed: PodSeed, ownerKey: string | undefined, touched: Set<string>): boolean {
    const key = objectKey(seed.namespace, seed.name);
    const node = this.scheduler.place(ownerKey ?? key, seed.nodeSelector, seed.nodeName);
    const ref = (): ObjectRef => seed.owner ?? { kind: 'Pod', namespace: seed.namespace, name: seed.name };
    if (!node) {
      this.sink.add({
        severity: 'warning', code: 'pod-unschedulable',
        message: seed.nodeName ? `pod ${key} is pinned to unknown node ${seed.nodeName}; it stays Pending` : `pod ${key} fits no ready node${seed.nodeSelector ? ' matching its nodeSelector' : ''}; it stays Pending`,
        object: ref(), source: seed.source, path: seed.nodeName ? 'spec.nodeName' : 'spec.nodeSelector',
        hint: 'check nodeSelector/nodeName against the cluster profile nodes',
      });
      return false;
    }
    let ip: string | undefined;
    if (seed.podIP) { ip = seed.podIP; this.podIPs.reserve(node.name, ip); } else ip = this.podIPs.allocate(node.name);
    if (!ip) {
      this.scheduler.unbind(ownerKey ?? key, node.name);
      this.sink.add({ severity: 'warning', code: 'pod-cidr-exhausted', message: `pod ${key}: node ${node.name}'s podCIDR ${node.podCIDR} is full; the pod gets no IP`, object: ref(), source: seed.source });
      return false;
    }
    const wanted = seed.ready ?? true;
    if (!wanted) this.podReadyWanted.set(key, false); // absent means ready
    const serving = wanted && node.ready;
    // A fixed object shape (optional fields present, maybe undefined) keeps V8 fast at 150k pods.
    const pod: PodInfo = {
      namespace: seed.namespace,
      name: seed.name,
      labels: seed.labels,
      nodeName: node.name,
      zone: node.zone,
      ip,
      ready: serving,
      serving,
      terminating: false,
      hostname: seed.hostname || undefined,
      subdomain: seed.subdomain || undefined,
      containerPorts: seed.containerPorts,
      owner: seed.owner,
    };
    this.pods.set(key, pod);
    if (ownerKey) this.podOwner.set(key, ownerKey);
    let onNode = this.podsByNode.get(node.name);
    if (!onNode) { onNode = new Set(); this.podsByNode.set(node.name, onNode); }
    onNode.add(key);
    this.namespaces.add(seed.namespace);
    this.podIndex.add(key, seed.namespace, seed.labels);
    const svcs = this.serviceIndex.servicesFor(seed.namespace, seed.labels);
    this.podServices.set(key, svcs);
    for (const s of svcs) {
      this.servicePods.get(s)?.add(key);
      touched.add(s);
    }
    return true;
  }

  private deletePod(key: string, touched: Set<string>): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.pods.delete(key);
    this.podIndex.remove(key, pod.namespace, pod.labels);
    for (const s of this.podServices.get(key) ?? []) {
      this.servicePods.get(s)?.delete(key);
      touched.add(s);
    }
    this.podServices.delete(key);
    this.podsByNode.get(pod.nodeName)?.delete(key);
    this.podIPs.release(pod.nodeName, pod.ip);
    this.scheduler.unbind(this.podOwner.get(key) ?? key, pod.nodeName);
    this.podOwner.delete(key);
    this.podReadyWanted.delete(key);
  }

  /** Recompute a pod's readiness from its wanted PodReady and its node's health. */
  private refreshPod(key: string, touched: Set<string>): void {
    const pod = this.pods.get(key);
    if (!pod) { this.unknown('pod', key); return; }
    const nodeReady = this.nodes.get(pod.nodeName)?.ready ?? false;
    const serving = (this.podReadyWanted.get(key) ?? true) && nodeReady;
    if (serving === pod.serving) return;
    this.replacePod({ ...pod, serving, ready: serving && !pod.terminating }, touched);
  }

  /** Replace a pod whose labels did not change. */
  private replacePod(pod: PodInfo, touched: Set<string>): void {
    const key = objectKey(pod.namespace, pod.name);
    if (this.pods.get(key)?.ready !== pod.ready) {
      const owner = this.podOwner.get(key);
      if (owner !== undefined && this.workloads.get(owner)?.workload.orderedReady) this.orderedDirty.add(owner);
    }
    this.pods.set(key, pod);
    for (const s of this.podServices.get(key) ?? []) touched.add(s);
  }

  // ---- objects ----

  private upsert(input: ManifestObject | JsonObject, touched: Set<string>, events: WatchEvent[]): void {
    const obj = toManifestObject(input, this.sink);
    if (!obj) return;
    const key = manifestKey(obj);
    const previous = this.objects.get(key);
    this.objects.set(key, obj);
    if (obj.ref.namespace !== undefined) this.namespaces.add(obj.ref.namespace);
    switch (obj.typed?.kind) {
      case 'Namespace':
        this.namespaces.add(obj.ref.name);
        break;
      case 'Node': {
        this.applyNodeManifest(obj, obj.typed);
        const node = this.nodes.get(obj.ref.name) as NodeInfo;
        this.addNodeToControllers(node);
        this.scheduler.setNodeReady(node.name, node.ready);
        for (const p of this.podsByNode.get(node.name) ?? []) this.refreshPod(p, touched);
        for (const [wk, st] of this.workloads) if (st.workload.ref.kind === 'DaemonSet') this.syncWorkload(wk, touched);
        break;
      }
      case 'Service': {
        const svcKey = objectKey(obj.ref.namespace ?? 'default', obj.ref.name);
        const old = this.unregisterService(svcKey);
        const d = this.allocator.admit(obj, obj.typed, old);
        if (d) this.registerService(this.allocator.complete(d), obj);
        touched.add(svcKey);
        this.syncUserEndpoints(svcKey, events);
        break;
      }
      case 'Pod': {
        const podKey = objectKey(obj.ref.namespace ?? 'default', obj.ref.name);
        this.deletePod(podKey, touched);
        this.addBarePod(obj, touched);
        break;
      }
      case 'Deployment': case 'ReplicaSet': case 'StatefulSet': case 'DaemonSet': {
        const st = this.workloads.get(key);
        if (st) {
          this.workloads.delete(key);
          this.addWorkloadKeeping(obj, st, touched);
        } else {
          this.addWorkload(obj, touched);
        }
        break;
      }
      case 'Endpoints': case 'EndpointSlice':
        this.syncUserEndpoints(serviceKeyOfEndpoints(obj), events);
        if (previous && previous.typed?.kind === 'EndpointSlice') this.syncUserEndpoints(serviceKeyOfEndpoints(previous), events);
        break;
      default:
        break;
    }
  }

  private addWorkloadKeeping(obj: ManifestObject, old: WorkloadState, touched: Set<string>): void {
    let w: Workload | undefined;
    switch (obj.typed?.kind) {
      case 'Deployment': w = deploymentWorkload(obj, obj.typed, this.sink); break;
      case 'ReplicaSet': w = replicaSetWorkload(obj, obj.typed, this.sink); break;
      case 'StatefulSet': w = statefulSetWorkload(obj, obj.typed, this.sink); break;
      case 'DaemonSet': w = daemonSetWorkload(obj, obj.typed, this.sink); break;
      default: break;
    }
    const key = refKey(obj.ref);
    if (!w) {
      for (const p of old.pods) this.deletePod(p, touched);
      return;
    }
    // syncWorkload keeps the pods whose name and template stay the same and replaces the rest.
    this.workloads.set(key, { workload: w, replicas: w.replicas, pods: old.pods });
    this.syncWorkload(key, touched);
  }

  private remove(ref: ObjectRef, touched: Set<string>, events: WatchEvent[]): void {
    const full: ObjectRef = ref.namespace === undefined && !['Namespace', 'Node'].includes(ref.kind) ? { ...ref, namespace: 'default' } : ref;
    const key = refKey(full);
    const obj = this.objects.get(key);
    this.objects.delete(key);
    const ns = full.namespace ?? 'default';
    switch (full.kind) {
      case 'Service': {
        const svcKey = objectKey(ns, full.name);
        this.unregisterService(svcKey);
        this.dropManagedAfterDelete(svcKey, events);
        break;
      }
      case 'Pod':
        this.deletePod(objectKey(ns, full.name), touched);
        break;
      case 'Deployment': case 'ReplicaSet': case 'StatefulSet': case 'DaemonSet': {
        const st = this.workloads.get(key);
        if (st) for (const p of st.pods) this.deletePod(p, touched);
        this.workloads.delete(key);
        break;
      }
      case 'Node': {
        // Pods on a deleted node are garbage-collected (pkg/controller/podgc); owners recreate them.
        for (const p of [...(this.podsByNode.get(full.name) ?? [])]) this.deletePod(p, touched);
        this.nodes.delete(full.name);
        this.scheduler.setNodeReady(full.name, false);
        this.zoneRatioCache = null;
    this.nodeList = undefined;
        for (const [wk, st] of this.workloads) if (st.workload.ref.kind !== 'DaemonSet') this.syncWorkload(wk, touched);
        for (const [wk, st] of this.workloads) if (st.workload.ref.kind === 'DaemonSet') this.syncWorkload(wk, touched);
        break;
      }
      case 'Endpoints': case 'EndpointSlice':
        if (obj) this.syncUserEndpoints(serviceKeyOfEndpoints(obj), events);
        break;
      default:
        if (!obj) this.unknown('object', key);
    }
  }

  private dropManagedAfterDelete(svcKey: string, events: WatchEvent[]): void {
    const ep = this.endpoints.get(svcKey);
    if (ep) { this.endpoints.delete(svcKey); events.push({ type: 'DELETED', kind: 'Endpoints', object: ep }); }
    for (const s of this.endpointSlices.get(svcKey) ?? []) {
      this.sliceNames.delete(`${s.namespace}/${s.name}`);
      events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    }
    this.endpointSlices.delete(svcKey);
  }

  private unknown(what: string, key: string): void {
    this.sink.add({ severity: 'warning', code: 'change-unknown-target', message: `change refers to unknown ${what} ${key}; ignored`, hint: 'use namespace/name keys as in cluster.pods' });
  }
}

function sortByRef(objs: readonly ManifestObject[]): ManifestObject[] {
  const k = (o: ManifestObject): string => `${o.ref.namespace ?? ''}\u0000${o.ref.kind}\u0000${o.ref.name}`;
  return [...objs].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function serviceKeyOfEndpoints(o: ManifestObject): string | undefined {
  const ns = o.ref.namespace ?? 'default';
  if (o.typed?.kind === 'Endpoints') return objectKey(ns, o.ref.name);
  if (o.typed?.kind === 'EndpointSlice') {
    const svc = o.typed.metadata.labels?.['kubernetes.io/service-name'];
    return svc ? objectKey(ns, svc) : undefined;
  }
  return undefined;
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

function sameSeed(seed: PodSeed, pod: PodInfo): boolean {
  if (seed.labels !== pod.labels && JSON.stringify(seed.labels) !== JSON.stringify(pod.labels)) return false;
  if (seed.containerPorts !== pod.containerPorts && JSON.stringify(seed.containerPorts) !== JSON.stringify(pod.containerPorts)) return false;
  return (seed.hostname ?? undefined) === pod.hostname && (seed.subdomain ?? undefined) === pod.subdomain &&
    (seed.nodeName === undefined || seed.nodeName === pod.nodeName);
}

function sameEndpoints(a: EndpointsInfo, b: EndpointsInfo): boolean {
  if (a.subsets.length !== b.subsets.length) return false;
  if (JSON.stringify(a.annotations) !== JSON.stringify(b.annotations) || JSON.stringify(a.labels) !== JSON.stringify(b.labels)) return false;
  for (let i = 0; i < a.subsets.length; i++) {
    const x = a.subsets[i];
    const y = b.subsets[i];
    if (x.addresses.length !== y.addresses.length || x.notReadyAddresses.length !== y.notReadyAddresses.length || x.ports.length !== y.ports.length) return false;
    for (let j = 0; j < x.addresses.length; j++) if (!sameAddr(x.addresses[j], y.addresses[j])) return false;
    for (let j = 0; j < x.notReadyAddresses.length; j++) if (!sameAddr(x.notReadyAddresses[j], y.notReadyAddresses[j])) return false;
    for (let j = 0; j < x.ports.length; j++) {
      const p = x.ports[j];
      const q = y.ports[j];
      if (p.name !== q.name || p.port !== q.port || p.protocol !== q.protocol || p.appProtocol !== q.appProtocol) return false;
    }
  }
  return true;
}

function sameAddr(a: EndpointsInfo['subsets'][number]['addresses'][number], b: EndpointsInfo['subsets'][number]['addresses'][number]): boolean {
  return a.ip === b.ip && a.hostname === b.hostname && a.nodeName === b.nodeName && a.targetRef?.name === b.targetRef?.name;
}

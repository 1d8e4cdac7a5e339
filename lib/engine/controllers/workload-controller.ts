/**
 * The workload controllers' common sync loop (`pkg/controller/{deployment,replicaset,statefulset,
 * daemon}`): each workload kind turns its object into a {@link Workload} (the pods it wants for a
 * replica count); this controller makes the pods match, creating missing ones and deleting
 * surplus, and re-syncs when nodes or pod readiness change. New workload kinds register a
 * factory in {@link WORKLOAD_FACTORIES}.
 */
import { ManifestObject, refKey } from '../../manifest/objects';
import { DiagnosticSink } from '../diagnostics';
import { NodeInfo, ObjectRef, PodInfo, objectKey } from '../model';
import { ClusterStore, ObjectController, SyncQueue } from '../store';
import { daemonSetWorkload } from './daemonset';
import { deploymentWorkload } from './deployment';
import { PodController } from './pod-controller';
import { PodSeed } from './pod-template';
import { podsToDelete, replicaSetWorkload } from './replicaset';
import { replicationControllerWorkload } from './replicationcontroller';
import { rolloutWorkload } from './rollout';
import { podOrdinal, statefulSetWorkload } from './statefulset';
import { Workload } from './workload';

/** Turns a workload object into what makes its pods; undefined when the API server would reject it. */
export type WorkloadFactory = (obj: ManifestObject, sink: DiagnosticSink, objects: ReadonlyMap<string, ManifestObject>) => Workload | undefined;

/** Workload kinds the engine simulates, by kind. */
export const WORKLOAD_FACTORIES: ReadonlyMap<string, WorkloadFactory> = new Map<string, WorkloadFactory>([
  ['Deployment', (o, s) => (o.typed?.kind === 'Deployment' ? deploymentWorkload(o, o.typed, s) : undefined)],
  ['ReplicaSet', (o, s) => (o.typed?.kind === 'ReplicaSet' ? replicaSetWorkload(o, o.typed, s) : undefined)],
  ['StatefulSet', (o, s) => (o.typed?.kind === 'StatefulSet' ? statefulSetWorkload(o, o.typed, s) : undefined)],
  ['DaemonSet', (o, s) => (o.typed?.kind === 'DaemonSet' ? daemonSetWorkload(o, o.typed, s) : undefined)],
  // Kinds the loader does not type: read from the raw object (controllers/raw-template.ts).
  ['ReplicationController', (o, s) => replicationControllerWorkload(o, s)],
  ['Rollout', (o, s, objects) => rolloutWorkload(o, s, objects)],
]);

/** Kinds scaled as ReplicaSets are (`FilterActivePods`, the scale-down ranking): the replication manager is the ReplicaSet controller. */
const REPLICASET_LIKE = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'Rollout']);

interface WorkloadState {
  workload: Workload;
  replicas: number;
  /** Pod keys in creation order. */
  pods: string[];
}

/** Keeps every workload's pods equal to its desired set. */
export class WorkloadController implements ObjectController {
  public readonly kinds: readonly string[] = [...WORKLOAD_FACTORIES.keys()];
  private readonly workloads = new Map<string, WorkloadState>();
  /** OrderedReady StatefulSets one of whose pods changed readiness (re-synced by {@link drain}). */
  private readonly orderedDirty = new Set<string>();
  /** `nodes` as an array, rebuilt after node changes. */
  private nodeList: NodeInfo[] | undefined;
  private nodeListGeneration = -1;

  constructor(private readonly store: ClusterStore, private readonly pods: PodController) {
    pods.onOwnedPodReadiness((owner) => {
      if (this.workloads.get(owner)?.workload.orderedReady) this.orderedDirty.add(owner);
    });
  }

  /** Create a workload's pods (build and creates). */
  public add(o: ManifestObject, touched: Set<string>): void {
    const factory = WORKLOAD_FACTORIES.get(o.typed?.kind ?? o.ref.kind);
    const w = factory?.(o, this.store.sink, this.store.objects);
    if (!w) return;
    const key = refKey(o.ref);
    this.workloads.set(key, { workload: w, replicas: w.replicas, pods: [] });
    this.sync(key, touched);
  }

  public upsert(obj: ManifestObject, _previous: ManifestObject | undefined, q: SyncQueue): void {
    const key = refKey(obj.ref);
    const st = this.workloads.get(key);
    if (st) {
      this.workloads.delete(key);
      this.replace(obj, st, q.touched);
    } else {
      this.add(obj, q.touched);
    }
  }

  public remove(ref: ObjectRef, _obj: ManifestObject | undefined, q: SyncQueue): void {
    const key = refKey(ref);
    const st = this.workloads.get(key);
    if (st) for (const p of st.pods) this.pods.deletePod(p, q.touched);
    this.workloads.delete(key);
  }

  /** Set a workload's replica count; false when there is no such workload. */
  public scale(key: string, replicas: number, touched: Set<string>): boolean {
    const st = this.workloads.get(key);
    if (!st) return false;
    st.replicas = replicas;
    this.sync(key, touched);
    return true;
  }

  /** A node joined or changed: Pending pods may fit now, and DaemonSets place their pods on it. */
  public nodeAdded(touched: Set<string>): void {
    for (const [wk, st] of this.workloads) if (st.workload.ref.kind !== 'DaemonSet') this.sync(wk, touched);
    for (const [wk, st] of this.workloads) if (st.workload.ref.kind === 'DaemonSet') this.sync(wk, touched);
  }

  /** A node left: owners recreate the pods garbage-collected with it, DaemonSets last. */
  public nodeRemoved(touched: Set<string>): void {
    for (const [wk, st] of this.workloads) if (st.workload.ref.kind !== 'DaemonSet') this.sync(wk, touched);
    for (const [wk, st] of this.workloads) if (st.workload.ref.kind === 'DaemonSet') this.sync(wk, touched);
  }

  /**
   * A pod got (or lost) a deletionTimestamp. A ReplicaSet counts only active pods
   * (`controller.FilterActivePods`: not terminating, not finished), so it creates a replacement
   * while the old pod still terminates; StatefulSets and DaemonSets wait for the pod to be gone.
   */
  public podTerminationChanged(podKey: string, touched: Set<string>): void {
    const owner = this.store.podRecords.get(podKey)?.owner;
    const st = owner === undefined ? undefined : this.workloads.get(owner);
    if (owner !== undefined && st && REPLICASET_LIKE.has(st.workload.ref.kind)) this.sync(owner, touched);
  }

  /** Re-sync the workloads a readiness change may unblock (or block). */
  public drain(touched: Set<string>): void {
    for (const wk of this.orderedDirty) {
      this.orderedDirty.delete(wk);
      this.sync(wk, touched);
    }
  }

  private replace(obj: ManifestObject, old: WorkloadState, touched: Set<string>): void {
    const w = WORKLOAD_FACTORIES.get(obj.typed?.kind ?? obj.ref.kind)?.(obj, this.store.sink, this.store.objects);
    const key = refKey(obj.ref);
    if (!w) {
      for (const p of old.pods) this.pods.deletePod(p, touched);
      return;
    }
    // sync keeps the pods whose name and template stay the same and replaces the rest.
    this.workloads.set(key, { workload: w, replicas: w.replicas, pods: old.pods });
    this.sync(key, touched);
  }

  private nodes(): NodeInfo[] {
    if (!this.nodeList || this.nodeListGeneration !== this.store.nodeGeneration) {
      this.nodeList = [...this.store.nodes.values()];
      this.nodeListGeneration = this.store.nodeGeneration;
    }
    return this.nodeList;
  }

  /** Make a workload's pods match its desired set (create missing, delete surplus). */
  private sync(key: string, touched: Set<string>): void {
    const st = this.workloads.get(key);
    if (!st) return;
    const nodes = this.nodes();
    if (REPLICASET_LIKE.has(st.workload.ref.kind) && this.scaleReplicaSet(key, st, nodes, touched)) return;
    if (st.workload.orderedReady) { this.syncOrderedReady(key, st, nodes, touched); return; }
    const store = this.store;
    const desired = st.workload.desiredPods(st.replicas, nodes);
    const wanted = new Map<string, PodSeed>();
    if (st.pods.length > 0) for (const d of desired) wanted.set(objectKey(d.namespace, d.name), d);
    const keep: string[] = [];
    for (const p of st.pods) {
      const seed = wanted.get(p);
      const pod = store.pods.get(p);
      if (seed && pod && sameSeed(seed, pod)) keep.push(p);
      else this.pods.deletePod(p, touched);
    }
    const kept = new Set(keep);
    for (const seed of desired) {
      const p = objectKey(seed.namespace, seed.name);
      if (kept.has(p)) continue;
      const other = store.podRecords.get(p);
      if (other && other.owner !== key) {
        this.conflict(p, key, st);
        continue;
      }
      if (this.pods.createPod(seed, key, touched, p)) keep.push(p);
    }
    st.pods = keep;
  }

  private conflict(p: string, key: string, st: WorkloadState): void {
    this.store.sink.add({ severity: 'error', code: 'pod-name-conflict', message: `pod ${p} of ${key} clashes with an existing pod`, object: st.workload.ref, source: st.workload.source });
  }

  /**
   * A StatefulSet with `podManagementPolicy: OrderedReady` (upstream `stateful_set_control.go`,
   * monotonic): create missing ordinals upwards while every lower pod is Running and Ready, then
   * delete condemned ordinals from the highest down. Pods whose template changed are replaced by
   * name as for Parallel (rolling updates are not modelled).
   */
  private syncOrderedReady(key: string, st: WorkloadState, nodes: readonly NodeInfo[], touched: Set<string>): void {
    const store = this.store;
    const desired = st.workload.desiredPods(st.replicas, nodes);
    const wanted = new Map<string, PodSeed>();
    for (const d of desired) wanted.set(objectKey(d.namespace, d.name), d);
    const owned: string[] = [];
    const condemned: PodInfo[] = [];
    for (const p of st.pods) {
      const pod = store.pods.get(p);
      if (!pod) continue;
      const seed = wanted.get(p);
      if (!seed) { owned.push(p); condemned.push(pod); } else if (sameSeed(seed, pod)) owned.push(p); else this.pods.deletePod(p, touched);
    }
    st.pods = owned;
    const has = new Set(owned);
    // Replicas in ordinal order: create the first missing one, and stop at any pod not Running and Ready.
    for (const seed of desired) {
      const p = objectKey(seed.namespace, seed.name);
      if (!has.has(p)) {
        if (store.pods.has(p)) {
          this.conflict(p, key, st);
          return;
        }
        if (!this.pods.createPod(seed, key, touched, p)) return; // a Pending pod blocks the ordinals above it
        st.pods.push(p);
      }
      if (!(store.pods.get(p) as PodInfo).ready) return;
    }
    // Condemned pods, highest ordinal first, each once the previous one is gone. A terminating pod
    // is waited for; an unready one only goes first when it is the lowest-ordinal unhealthy pod.
    condemned.sort((a, b) => podOrdinal(b) - podOrdinal(a));
    const firstUnhealthy = [...condemned].reverse().find((pod) => !pod.ready);
    for (const pod of condemned) {
      if (pod.terminating || (!pod.ready && pod !== firstUnhealthy)) return;
      const p = objectKey(pod.namespace, pod.name);
      this.pods.deletePod(p, touched);
      st.pods = st.pods.filter((x) => x !== p);
    }
  }

  /**
   * A ReplicaSet (or a Deployment's) whose template is unchanged only scales: a scale-down deletes
   * the pods upstream ranks first (`podsToDelete`), a scale-up adds pods under unused names.
   * Returns false when it has no pods yet or its template changed (sync then replaces pods by name).
   */
  private scaleReplicaSet(key: string, st: WorkloadState, nodes: readonly NodeInfo[], touched: Set<string>): boolean {
    const store = this.store;
    const alive = st.pods.filter((p) => store.pods.has(p));
    if (alive.length === 0) return false;
    const probe = st.workload.desiredPods(1, nodes)[0];
    const all = alive.map((p) => store.pods.get(p) as PodInfo);
    if (!probe || !all.every((p) => sameSeed(probe, p))) return false;
    // Terminating pods stay (until gone) but do not count (FilterActivePods).
    const pods = all.filter((p) => !p.terminating);
    const terminating = all.length - pods.length;
    if (pods.length > st.replicas) {
      const victims = new Set(podsToDelete(pods, pods.length - st.replicas).map((p) => objectKey(p.namespace, p.name)));
      for (const v of victims) this.pods.deletePod(v, touched);
      st.pods = alive.filter((p) => !victims.has(p));
      return true;
    }
    st.pods = alive;
    if (pods.length === st.replicas) return true;
    const used = new Set(alive);
    for (const seed of st.workload.desiredPods(st.replicas + alive.length, nodes)) {
      if (st.pods.length - terminating >= st.replicas) break;
      const p = objectKey(seed.namespace, seed.name);
      if (used.has(p)) continue;
      if (store.pods.has(p)) {
        this.conflict(p, key, st);
        continue;
      }
      if (this.pods.createPod(seed, key, touched, p)) st.pods.push(p);
    }
    return true;
  }
}

/** Whether a running pod still matches the seed its workload would create under that name. */
function sameSeed(seed: PodSeed, pod: PodInfo): boolean {
  if (seed.labels !== pod.labels && JSON.stringify(seed.labels) !== JSON.stringify(pod.labels)) return false;
  if (seed.containerPorts !== pod.containerPorts && JSON.stringify(seed.containerPorts) !== JSON.stringify(pod.containerPorts)) return false;
  return (seed.hostname ?? undefined) === pod.hostname && (seed.subdomain ?? undefined) === pod.subdomain &&
    (seed.nodeName === undefined || seed.nodeName === pod.nodeName);
}

/**
 * Pod lifecycle: what kube-scheduler's binding, the node IPAM (`pkg/controller/nodeipam`) and the
 * kubelet's status updates do for one pod. Creates pods from seeds (placement, pod IP, label
 * indexes, Services selecting it), deletes them, and keeps PodReady in step with the wanted
 * readiness and the node's health. Bare `Pod` manifests come in here too.
 */
import { asObject } from '../../core/json';
import { ManifestObject } from '../../manifest/objects';
import type { PodManifest } from '../../manifest/types';
import { NodeInfo, ObjectRef, PodInfo, objectKey } from '../model';
import { ClusterStore, ObjectController, PodRecord, SyncQueue } from '../store';
import { FamilyPodIPs, PodIPAllocator, PodIPv6Allocator } from './pod-ipam';
import { clusterFamilies, podIPs } from '../ip-families';
import { PodSeed, containerPortsOf, dnsSettingsOf, schedulingOf } from './pod-template';
import { DEFAULT_MAX_PODS } from '../profile';
import { Scheduler } from './scheduler';

/** Creates, deletes and updates pods; owns the scheduler and the pod IP allocator. */
export class PodController implements ObjectController {
  public readonly kinds = ['Pod'] as const;
  public readonly scheduler: Scheduler;
  private readonly podIPs = new PodIPAllocator();
  /** Called with the owner key when a pod of a workload changes readiness. */
  private readonly readinessListeners: ((ownerKey: string) => void)[] = [];

  /** Pod IPs of each family when the cluster is not IPv4 single-stack (`ip-families.ts`). */
  private readonly familyIPs?: FamilyPodIPs;

  constructor(private readonly store: ClusterStore) {
    this.scheduler = new Scheduler([], store.profile.maxPods ?? DEFAULT_MAX_PODS);
    const families = clusterFamilies(store.profile);
    if (families.length > 1 || families[0] !== 'IPv4') this.familyIPs = new FamilyPodIPs(families, this.podIPs, new PodIPv6Allocator());
  }

  /** Be told when a pod owned by a workload changes readiness (OrderedReady StatefulSets wait on it). */
  public onOwnedPodReadiness(listener: (ownerKey: string) => void): void {
    this.readinessListeners.push(listener);
  }

  /** A node joined or changed: the scheduler and the pod IP allocator learn it. */
  public addNode(n: NodeInfo): void {
    this.scheduler.addNode(n);
    if (this.familyIPs) {
      for (const f of this.familyIPs.addNode(n)) {
        const cidr = f === 'IPv4' ? n.podCIDR : n.podCIDRv6;
        this.store.sink.add({ severity: 'error', code: 'node-pod-cidr', message: `node ${n.name}: ${f} podCIDR ${cidr ?? '(none)'} is not an ${f} CIDR; its pods get no IP`, object: { kind: 'Node', name: n.name }, source: this.store.objects.get(`Node/${n.name}`)?.source, path: 'spec.podCIDRs' });
      }
    } else if (!this.podIPs.addNode(n)) {
      this.store.sink.add({ severity: 'error', code: 'node-pod-cidr', message: `node ${n.name}: podCIDR ${n.podCIDR} is not an IPv4 CIDR; its pods get no IP`, object: { kind: 'Node', name: n.name }, source: this.store.objects.get(`Node/${n.name}`)?.source, path: 'spec.podCIDR' });
    }
  }

  public upsert(obj: ManifestObject, _previous: ManifestObject | undefined, q: SyncQueue): void {
    this.deletePod(objectKey(obj.ref.namespace ?? 'default', obj.ref.name), q.touched);
    this.addBarePod(obj, q.touched);
  }

  public remove(ref: ObjectRef, _obj: ManifestObject | undefined, q: SyncQueue): void {
    this.deletePod(objectKey(ref.namespace ?? 'default', ref.name), q.touched);
  }

  /** Set a pod's wanted PodReady (a readiness probe passing or failing). */
  public setReady(key: string, ready: boolean, touched: Set<string>): void {
    const rec = this.store.podRecords.get(key);
    if (!rec) { this.store.unknown('pod', key); return; }
    rec.wantedReady = ready;
    this.refresh(rec, touched);
  }

  /** Give a pod a deletionTimestamp, or take it away. */
  public setTerminating(key: string, terminating: boolean, touched: Set<string>): void {
    const rec = this.store.podRecords.get(key);
    if (!rec) { this.store.unknown('pod', key); return; }
    const pod = rec.pod;
    if (pod.terminating !== terminating) this.scheduler.setTerminating(rec.owner ?? key, pod.nodeName, terminating);
    this.replace(rec, { ...pod, terminating, ready: pod.serving && !terminating }, touched);
  }

  /** A bare Pod manifest: its own nodeName/podIP/Ready status and deletionTimestamp are honoured. */
  public addBarePod(o: ManifestObject, touched: Set<string>): void {
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
      scheduling: schedulingOf(p.spec),
      dns: dnsSettingsOf(p.spec),
      podIP: p.status?.podIP,
      ...(Array.isArray(asObject(o.raw.status)?.podIPs) ? { podIPs: (asObject(o.raw.status)?.podIPs as unknown[]).map((e) => String(asObject(e)?.ip ?? '')).filter((ip) => ip !== '') } : {}),
      ready: readyCond ? readyCond.status === 'True' : true,
      source: o.source,
    };
    const key = objectKey(seed.namespace, seed.name);
    if (this.createPod(seed, undefined, touched) && typeof (meta as Record<string, unknown>).deletionTimestamp === 'string') {
      const rec = this.store.podRecords.get(key) as PodRecord;
      this.replace(rec, { ...rec.pod, terminating: true, ready: false }, touched);
    }
  }

  /** Place, address and index a pod; false when it stays Pending (reported). `key` is the pod's `namespace/name`. */
  public createPod(seed: PodSeed, ownerKey: string | undefined, touched: Set<string>, key = objectKey(seed.namespace, seed.name)): boolean {
    const store = this.store;
    const placement = this.scheduler.place(ownerKey ?? key, seed, seed.nodeName);
    if (!placement.node) {
      store.sink.add({
        severity: 'warning', code: 'pod-unschedulable',
        message: seed.nodeName ? `pod ${key} is pinned to unknown node ${seed.nodeName}; it stays Pending` : `pod ${key} stays Pending: ${placement.message}`,
        object: seedRef(seed), source: seed.source, path: seed.nodeName ? 'spec.nodeName' : 'spec',
        hint: seed.nodeName ? 'check nodeName against the cluster profile nodes' : 'check replicas, nodeSelector, affinity, tolerations and host ports against the cluster profile nodes (maxPods, labels, taints)',
      });
      return false;
    }
    const node = placement.node;
    const hostPorts = seed.scheduling?.hostPorts;
    let ip: string | undefined;
    let ips: string[] | undefined;
    // hostNetwork pods share their node's network namespace: the pod IP is the node IP.
    if (seed.scheduling?.hostNetwork) ip = node.internalIP;
    else if (this.familyIPs) { ips = this.familyIPs.allocate(node.name, seed.podIPs ?? (seed.podIP ? [seed.podIP] : [])); ip = ips?.[0]; }
    else if (seed.podIP) { ip = seed.podIP; this.podIPs.reserve(node.name, ip); } else ip = this.podIPs.allocate(node.name);
    if (!ip) {
      this.scheduler.unbind(ownerKey ?? key, node.name, hostPorts);
      store.sink.add({ severity: 'warning', code: 'pod-cidr-exhausted', message: `pod ${key}: node ${node.name}'s podCIDR ${node.podCIDR} is full; the pod gets no IP`, object: seedRef(seed), source: seed.source });
      return false;
    }
    const wanted = seed.ready ?? true;
    const serving = wanted && node.ready;
    // A fixed object shape (optional fields present, maybe undefined) keeps V8 fast at 150k pods.
    // Two literals with the same key order rather than one with a spread for `ips` (a literal
    // with a spread is built property by property at run time, for every pod).
    const pod: PodInfo = ips && ips.length > 1 ? {
      namespace: seed.namespace,
      name: seed.name,
      labels: seed.labels,
      nodeName: node.name,
      zone: node.zone,
      ip,
      ips,
      ready: serving,
      serving,
      terminating: false,
      hostname: seed.hostname || undefined,
      subdomain: seed.subdomain || undefined,
      containerPorts: seed.containerPorts,
      owner: seed.owner,
      hostNetwork: seed.scheduling?.hostNetwork || undefined,
    } : {
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
      hostNetwork: seed.scheduling?.hostNetwork || undefined,
    };
    // Absent, not undefined, for the default resolver (no spread: it takes V8's slow path).
    if (seed.dns) (pod as { dns?: PodInfo['dns'] }).dns = seed.dns;
    store.pods.set(key, pod);
    const svcs = store.serviceIndex.servicesFor(seed.namespace, seed.labels);
    const rec: PodRecord = {
      key, pod, owner: ownerKey || undefined, services: svcs, wantedReady: wanted,
      hostPorts: hostPorts && hostPorts.length > 0 ? hostPorts : undefined, hostNetwork: seed.scheduling?.hostNetwork === true,
    };
    store.podRecords.set(key, rec);
    store.indexPod(rec);
    store.namespaces.add(seed.namespace);
    for (const s of svcs) {
      store.servicePods.get(s)?.add(rec);
      touched.add(s);
    }
    return true;
  }

  /** Remove a pod and everything indexed for it. */
  public deletePod(key: string, touched: Set<string>): void {
    const store = this.store;
    const rec = store.podRecords.get(key);
    if (!rec) return;
    const pod = rec.pod;
    store.pods.delete(key);
    store.podRecords.delete(key);
    store.unindexPod(rec);
    for (const s of rec.services) {
      store.servicePods.get(s)?.delete(rec);
      touched.add(s);
    }
    if (rec.hostNetwork) { /* the node's address */ } else if (this.familyIPs) this.familyIPs.release(pod.nodeName, podIPs(pod));
    else this.podIPs.release(pod.nodeName, pod.ip);
    this.scheduler.unbind(rec.owner ?? key, pod.nodeName, rec.hostPorts, pod.terminating);
  }

  /** Recompute a pod's readiness from its wanted PodReady and its node's health. */
  public refresh(rec: PodRecord, touched: Set<string>): void {
    const pod = rec.pod;
    const nodeReady = this.store.nodes.get(pod.nodeName)?.ready ?? false;
    const serving = rec.wantedReady && nodeReady;
    if (serving === pod.serving) return;
    this.replace(rec, { ...pod, serving, ready: serving && !pod.terminating }, touched);
  }

  /** Replace a pod whose labels did not change. */
  private replace(rec: PodRecord, pod: PodInfo, touched: Set<string>): void {
    if (rec.pod.ready !== pod.ready && rec.owner !== undefined) for (const l of this.readinessListeners) l(rec.owner);
    rec.pod = pod;
    this.store.pods.set(rec.key, pod);
    for (const s of rec.services) touched.add(s);
  }
}

/** The object a pod's diagnostics name: its workload, or the bare Pod. */
function seedRef(seed: PodSeed): ObjectRef {
  return seed.owner ?? { kind: 'Pod', namespace: seed.namespace, name: seed.name };
}

/**
 * Nodes: profile nodes and `Node` manifests become {@link NodeInfo}s; a node's failure or recovery
 * changes its pods' readiness as the node lifecycle controller (`pkg/controller/nodelifecycle`)
 * marks them, and a deleted node's pods are garbage-collected (`pkg/controller/podgc`). Workload
 * owners react through {@link WorkloadController.nodeAdded}/{@link WorkloadController.nodeRemoved}.
 */
import { ManifestObject } from '../../manifest/objects';
import type { NodeManifest } from '../../manifest/types';
import { NodeInfo, NodeTaint, ObjectRef } from '../model';
import { syntheticNode } from '../profile';
import { asObject } from '../../core/json';
import { clusterFamilies, isCidrOf, syntheticPodCIDRv6 } from '../ip-families';
import { ClusterStore, ObjectController, SyncQueue } from '../store';
import { PodController } from './pod-controller';
import { WorkloadController } from './workload-controller';

/** Keeps `store.nodes` and the node-dependent controllers in step. */
export class NodeController implements ObjectController {
  public readonly kinds = ['Node'] as const;
  /** Highest generated node index handed out (profile nodes count as used). */
  private nodeSeq: number;

  constructor(
    private readonly store: ClusterStore,
    private readonly pods: PodController,
    private readonly workloads: WorkloadController,
  ) {
    this.nodeSeq = store.profile.nodes.length;
  }

  /** Take in a Node manifest (build: before any pod is placed). */
  public applyManifest(o: ManifestObject, n: NodeManifest): void {
    const existing = this.store.nodes.get(o.ref.name);
    const profile = this.store.profile;
    const labels = n.metadata.labels ?? {};
    // New nodes continue the profile's address scheme after every index used so far.
    const seq = existing ? 0 : ++this.nodeSeq;
    const base = existing ?? syntheticNode(seq, profile.nodes.length > 0
      ? profile.nodes[(seq - 1) % profile.nodes.length].zone : 'zone-a');
    const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? base.zone;
    const readyCond = n.status?.conditions?.find((c) => c.type === 'Ready');
    // spec.podCIDRs holds one range per family on a dual-stack node (ip-families.ts).
    const hasV6 = clusterFamilies(profile).includes('IPv6');
    const cidrs = hasV6 ? nodeCIDRsOf(o, n.spec?.podCIDR) : [];
    const v6 = hasV6 ? cidrs.find((c) => isCidrOf(c, 'IPv6')) ?? base.podCIDRv6 ?? syntheticPodCIDRv6(seq || this.nodeSeq) : undefined;
    const node: NodeInfo = {
      name: o.ref.name,
      zone,
      podCIDR: hasV6 ? cidrs.find((c) => !isCidrOf(c, 'IPv6')) ?? base.podCIDR : n.spec?.podCIDR ?? base.podCIDR,
      ...(v6 !== undefined ? { podCIDRv6: v6 } : {}),
      internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? base.internalIP,
      ready: readyCond ? readyCond.status === 'True' : true,
      labels: { ...base.labels, ...labels, 'kubernetes.io/hostname': o.ref.name, 'topology.kubernetes.io/zone': zone },
      ...nodeScheduling(n, base),
    };
    this.store.nodes.set(node.name, node);
  }

  /** Hand a node to the scheduler and the pod IP allocator. */
  public register(n: NodeInfo): void {
    this.pods.addNode(n);
    this.store.nodesChanged();
  }

  public upsert(obj: ManifestObject, _previous: ManifestObject | undefined, q: SyncQueue): void {
    if (obj.typed?.kind !== 'Node') return;
    this.applyManifest(obj, obj.typed);
    const node = this.store.nodes.get(obj.ref.name) as NodeInfo;
    this.register(node);
    this.pods.scheduler.setNodeReady(node.name, node.ready);
    for (const p of this.store.podsOnNode(node.name) ?? []) this.pods.refresh(p, q.touched);
    this.workloads.nodeAdded(q.touched);
  }

  public remove(ref: ObjectRef, _obj: ManifestObject | undefined, q: SyncQueue): void {
    // Pods on a deleted node are garbage-collected (pkg/controller/podgc); owners recreate them.
    for (const p of [...(this.store.podsOnNode(ref.name) ?? [])]) this.pods.deletePod(p.key, q.touched);
    this.store.nodes.delete(ref.name);
    this.pods.scheduler.setNodeReady(ref.name, false);
    this.store.nodesChanged();
    this.workloads.nodeRemoved(q.touched);
  }

  /** Fail a node (its pods become not ready) or recover it; false when there is no such node. */
  public setFailed(name: string, failed: boolean, touched: Set<string>): boolean {
    const node = this.store.nodes.get(name);
    if (!node) return false;
    const ready = !failed;
    this.store.nodes.set(node.name, { ...node, ready });
    this.pods.scheduler.setNodeReady(node.name, ready);
    this.store.nodesChanged();
    for (const p of this.store.podsOnNode(node.name) ?? []) this.pods.refresh(p, touched);
    return true;
  }
}

/** `status.allocatable.pods`, `spec.taints` and `spec.unschedulable` of a Node object (else the base node's). */
export function nodeScheduling(n: unknown, base: Partial<NodeInfo> = {}): Pick<NodeInfo, 'allocatablePods' | 'taints' | 'unschedulable'> {
  const raw = n as { spec?: { taints?: unknown; unschedulable?: unknown }; status?: { allocatable?: Record<string, unknown> } };
  const pods = raw.status?.allocatable?.pods;
  const parsed = typeof pods === 'number' ? pods : typeof pods === 'string' && /^\d+$/.test(pods) ? Number(pods) : undefined;
  const taints: readonly NodeTaint[] | undefined = Array.isArray(raw.spec?.taints)
    ? (raw.spec.taints as unknown[]).flatMap((t): NodeTaint[] => {
      const x = t as { key?: unknown; value?: unknown; effect?: unknown };
      return typeof x.key === 'string' && (x.effect === 'NoSchedule' || x.effect === 'PreferNoSchedule' || x.effect === 'NoExecute')
        ? [{ key: x.key, value: typeof x.value === 'string' ? x.value : undefined, effect: x.effect }] : [];
    })
    : base.taints;
  const out: { allocatablePods?: number; taints?: NodeInfo['taints']; unschedulable?: boolean } = {};
  const allocatable = parsed ?? base.allocatablePods;
  if (allocatable !== undefined) out.allocatablePods = allocatable;
  if (taints && taints.length > 0) out.taints = taints;
  if (raw.spec?.unschedulable === true) out.unschedulable = true;
  return out;
}

/** A Node manifest's `spec.podCIDRs` (read raw: the typed schema has `podCIDR` only), else its `podCIDR`. */
function nodeCIDRsOf(o: ManifestObject, podCIDR: string | undefined): string[] {
  const list = asObject(o.raw.spec)?.podCIDRs;
  const cidrs = Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
  return cidrs.length > 0 ? cidrs : podCIDR !== undefined ? [podCIDR] : [];
}

/**
 * Placement as kube-scheduler does it: filter, then score.
 *
 * Filters, in the default plugin order (`pkg/scheduler/apis/config/v1/default_plugins.go`),
 * each node stopping at its first failure (`frameworkImpl.RunFilterPlugins`), with upstream's
 * reason strings:
 * - NodeUnschedulable (`plugins/nodeunschedulable`): cordoned nodes, unless tolerated;
 * - TaintToleration (`plugins/tainttoleration`): NoSchedule/NoExecute taints, including the
 *   `node.kubernetes.io/not-ready` taint a failed node carries (`pkg/controller/nodelifecycle`);
 * - NodeAffinity (`plugins/nodeaffinity`): nodeSelector and required node affinity terms;
 * - NodePorts (`plugins/nodeports`): host ports already taken on the node;
 * - NodeResourcesFit (`plugins/noderesources/fit.go`): the pod count against allocatable pods.
 * No feasible node: the pod stays Pending with the FitError message (`framework/types.go`), e.g.
 * `0/3 nodes are available: 3 Too many pods.` plus the PostFilter outcomes.
 *
 * Scoring stands in for the default `PodTopologySpread` system constraints (zones, hostnames) and
 * `NodeResourcesBalancedAllocation`: the feasible zone holding the fewest pods of the same owner
 * (ties: least-loaded zone, then zone order), then the least-loaded feasible node in it (ties:
 * node order). Deterministic, where upstream breaks ties at random.
 */
import { NodeInfo, NodeTaint } from '../model';
import { matchesMap } from './label-selector';
import type { HostPort, NodeSelectorRequirement, NodeSelectorTerm, PodScheduling, Toleration } from './pod-template';

/** What a pod asks of its node. */
export interface PlacementRequest {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly scheduling?: PodScheduling;
}

/** Where a pod went, or why it stays Pending. */
export type Placement = { readonly node: NodeInfo } | { readonly node?: undefined; readonly message: string };

const NOT_READY_TAINT: NodeTaint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
const UNSCHEDULABLE_TAINT: NodeTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** `v1.Toleration.ToleratesTaint` (staging/src/k8s.io/api/core/v1/toleration.go). */
export function tolerates(t: Toleration, taint: NodeTaint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.key && (t.operator ?? 'Equal') === 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** `nodeaffinity` NodeSelectorRequirement matching over labels (matchFields: metadata.name only). */
function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const a = Number(value);
      const b = Number(values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** Required node affinity: terms are ORed; an empty term matches nothing (`nodeaffinity.NewNodeSelector`). */
function termsMatch(terms: readonly NodeSelectorTerm[], node: NodeInfo): boolean {
  const labels = node.labels ?? {};
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    return exprs.every((r) => requirementMatches(r, labels[r.key])) &&
      fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.name));
  });
}

/** `HostPortInfo` conflict: same protocol and port, and either address a wildcard or both equal. */
function portConflicts(used: readonly HostPort[], want: HostPort): boolean {
  return used.some((u) => u.port === want.port && u.protocol === want.protocol &&
    (u.hostIP === '0.0.0.0' || want.hostIP === '0.0.0.0' || u.hostIP === want.hostIP));
}

/** Filter reasons that preemption cannot resolve (`UnschedulableAndUnresolvable`). */
const UNRESOLVABLE = new Set(['node(s) were unschedulable', "node(s) didn't match Pod's node affinity/selector"]);

/** A binary min-heap of node indexes ordered by (load, index). */
class NodeHeap {
  private readonly items: number[] = [];

  constructor(private readonly load: Int32Array) {}

  public push(i: number): void {
    const a = this.items;
    a.push(i);
    let c = a.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.less(a[c], a[p])) break;
      // A temporary, not a destructuring swap: that allocates an array per step.
      const t = a[c]; a[c] = a[p]; a[p] = t;
      c = p;
    }
  }

  public peek(): number | undefined {
    return this.items[0];
  }

  public pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === p) break;
        const t = a[m]; a[m] = a[p]; a[p] = t;
        p = m;
      }
    }
    return top;
  }

  public remove(i: number): void {
    const idx = this.items.indexOf(i);
    if (idx < 0) return;
    this.items.splice(idx, 1);
    // Loads may have changed under the heap: rebuild the order (zones are small).
    const rest = this.items.splice(0);
    for (const x of rest) this.push(x);
  }

  private less(a: number, b: number): boolean {
    return this.load[a] < this.load[b] || (this.load[a] === this.load[b] && a < b);
  }
}

/** Tracks node load and places pods. */
export class Scheduler {
  private readonly nodes: NodeInfo[] = [];
  private readonly indexByName = new Map<string, number>();
  private load = new Int32Array(16);
  private readonly zones: string[] = [];
  private readonly zoneIndex = new Map<string, number>();
  private zoneLoad: number[] = [];
  private readonly heaps: NodeHeap[] = [];
  /** owner key -> pods per zone. */
  private readonly ownerZones = new Map<string, number[]>();
  /** Node index -> host ports its pods hold. */
  private readonly hostPorts = new Map<number, HostPort[]>();
  /** True while no node has taints, a cordon or its own pod limit: the heap fast path is exact. */
  private uniform = true;

  /** @param maxPods allocatable pods of nodes that do not say (kubelet `maxPods`). */
  constructor(nodes: readonly NodeInfo[], private readonly maxPods = 110) {
    for (const n of nodes) this.addNode(n);
  }

  /** Add (or replace) a node. */
  public addNode(n: NodeInfo): void {
    if ((n.taints?.length ?? 0) > 0 || n.unschedulable || (n.allocatablePods !== undefined && n.allocatablePods !== this.maxPods)) this.uniform = false;
    const existing = this.indexByName.get(n.name);
    if (existing !== undefined) {
      const old = this.nodes[existing];
      this.nodes[existing] = n;
      if (old.zone !== n.zone || old.ready !== n.ready) this.rebuildHeaps();
      return;
    }
    const i = this.nodes.length;
    this.nodes.push(n);
    this.indexByName.set(n.name, i);
    if (i >= this.load.length) {
      const grown = new Int32Array(this.load.length * 2);
      grown.set(this.load);
      this.load = grown;
      this.rebuildHeaps();
    }
    const z = this.zoneOf(n.zone);
    if (n.ready) this.heaps[z].push(i);
  }

  /** Mark a node ready or not; not-ready nodes get no new pods. */
  public setNodeReady(name: string, ready: boolean): void {
    const i = this.indexByName.get(name);
    if (i === undefined) return;
    this.nodes[i] = { ...this.nodes[i], ready };
    this.rebuildHeaps();
  }

  /**
   * Choose a node for a pod of `owner` (any string key). `pinned` (`spec.nodeName`) bypasses the
   * scheduler, as the kubelet admits such pods directly; an unknown node leaves the pod Pending.
   */
  public place(owner: string, request: PlacementRequest = {}, pinned?: string): Placement {
    if (pinned !== undefined) {
      const i = this.indexByName.get(pinned);
      if (i === undefined) return { message: `node ${pinned} does not exist` };
      const z = this.zoneIndex.get(this.nodes[i].zone) as number;
      if (this.nodes[i].ready) this.heaps[z].remove(i);
      this.bind(i, owner, request.scheduling?.hostPorts);
      if (this.nodes[i].ready) this.heaps[z].push(i);
      return { node: this.nodes[i] };
    }
    const counts = this.ownerZones.get(owner) ?? new Array<number>(this.zones.length).fill(0);
    const constrained = (request.nodeSelector && Object.keys(request.nodeSelector).length > 0) || request.scheduling !== undefined;
    if (!constrained && this.uniform) {
      let best = -1;
      for (let z = 0; z < this.zones.length; z++) {
        const top = this.heaps[z].peek();
        if (top === undefined || this.load[top] >= this.capacity(top)) continue;
        if (best < 0 || (counts[z] ?? 0) < (counts[best] ?? 0) ||
          ((counts[z] ?? 0) === (counts[best] ?? 0) && this.zoneLoad[z] < this.zoneLoad[best])) best = z;
      }
      if (best >= 0) {
        const i = this.heaps[best].pop() as number;
        this.bind(i, owner);
        this.heaps[best].push(i);
        return { node: this.nodes[i] };
      }
    }
    return this.placeFiltered(owner, counts, request);
  }

  /**
   * A pod of `owner` on `nodeName` got (or lost) a deletionTimestamp. It still takes its place on
   * the node (NodeResourcesFit counts every pod bound there) but no longer counts for spreading
   * (PodTopologySpread's countPodsMatchSelector skips terminating pods).
   */
  public setTerminating(owner: string, nodeName: string, terminating: boolean): void {
    const i = this.indexByName.get(nodeName);
    const counts = this.ownerZones.get(owner);
    if (i === undefined || !counts) return;
    const z = this.zoneIndex.get(this.nodes[i].zone) as number;
    counts[z] += terminating ? -1 : 1;
  }

  /** Forget one pod of `owner` on `nodeName` (and the host ports it held); `terminating`: it no longer counted for spreading. */
  public unbind(owner: string, nodeName: string, hostPorts?: readonly HostPort[], terminating = false): void {
    const i = this.indexByName.get(nodeName);
    if (i === undefined) return;
    const z = this.zoneIndex.get(this.nodes[i].zone) as number;
    if (this.nodes[i].ready) this.heaps[z].remove(i);
    this.load[i]--;
    this.zoneLoad[z]--;
    const counts = this.ownerZones.get(owner);
    if (counts && !terminating) counts[z]--;
    if (hostPorts && hostPorts.length > 0) {
      const held = this.hostPorts.get(i) ?? [];
      for (const p of hostPorts) {
        const at = held.findIndex((h) => h.port === p.port && h.protocol === p.protocol && h.hostIP === p.hostIP);
        if (at >= 0) held.splice(at, 1);
      }
    }
    if (this.nodes[i].ready) this.heaps[z].push(i);
  }

  private capacity(i: number): number {
    return this.nodes[i].allocatablePods ?? this.maxPods;
  }

  /** The first filter a node fails for this pod, as upstream words it; undefined when it fits. */
  private filter(i: number, request: PlacementRequest): string | undefined {
    const n = this.nodes[i];
    const tolerations = request.scheduling?.tolerations ?? [];
    if (n.unschedulable && !tolerations.some((t) => tolerates(t, UNSCHEDULABLE_TAINT))) return 'node(s) were unschedulable';
    const taints = n.ready ? n.taints ?? [] : [...(n.taints ?? []), NOT_READY_TAINT];
    for (const taint of taints) {
      if (taint.effect === 'PreferNoSchedule') continue;
      if (!tolerations.some((t) => tolerates(t, taint))) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    }
    if (request.nodeSelector && !matchesMap(request.nodeSelector, n.labels ?? {})) return "node(s) didn't match Pod's node affinity/selector";
    const terms = request.scheduling?.requiredNodeTerms;
    if (terms && !termsMatch(terms, n)) return "node(s) didn't match Pod's node affinity/selector";
    const wanted = request.scheduling?.hostPorts ?? [];
    if (wanted.length > 0) {
      const used = this.hostPorts.get(i) ?? [];
      if (wanted.some((p) => portConflicts(used, p))) return "node(s) didn't have free ports for the requested pod ports";
    }
    if (this.load[i] >= this.capacity(i)) return 'Too many pods';
    return undefined;
  }

  private placeFiltered(owner: string, counts: number[], request: PlacementRequest): Placement {
    let best = -1;
    let bestZone = -1;
    const reasons = new Map<string, number>();
    for (let i = 0; i < this.nodes.length; i++) {
      const why = this.filter(i, request);
      if (why !== undefined) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        continue;
      }
      const z = this.zoneIndex.get(this.nodes[i].zone) as number;
      const better = best < 0 ||
        (counts[z] ?? 0) < (counts[bestZone] ?? 0) ||
        ((counts[z] ?? 0) === (counts[bestZone] ?? 0) && (this.zoneLoad[z] < this.zoneLoad[bestZone] ||
          (z === bestZone && this.load[i] < this.load[best])));
      if (better) { best = i; bestZone = z; }
    }
    if (best < 0) return { message: fitError(this.nodes.length, reasons) };
    const ready = this.nodes[best].ready;
    if (ready) this.heaps[bestZone].remove(best);
    this.bind(best, owner, request.scheduling?.hostPorts);
    if (ready) this.heaps[bestZone].push(best);
    return { node: this.nodes[best] };
  }

  private bind(i: number, owner: string, hostPorts?: readonly HostPort[]): void {
    this.load[i]++;
    const z = this.zoneIndex.get(this.nodes[i].zone) as number;
    this.zoneLoad[z]++;
    let counts = this.ownerZones.get(owner);
    if (!counts) { counts = []; this.ownerZones.set(owner, counts); }
    while (counts.length < this.zones.length) counts.push(0);
    counts[z]++;
    if (hostPorts && hostPorts.length > 0) {
      const held = this.hostPorts.get(i) ?? [];
      held.push(...hostPorts);
      this.hostPorts.set(i, held);
    }
  }

  private zoneOf(zone: string): number {
    let z = this.zoneIndex.get(zone);
    if (z === undefined) {
      z = this.zones.length;
      this.zones.push(zone);
      this.zoneIndex.set(zone, z);
      this.zoneLoad.push(0);
      this.heaps.push(new NodeHeap(this.load));
    }
    return z;
  }

  private rebuildHeaps(): void {
    this.heaps.length = 0;
    for (let z = 0; z < this.zones.length; z++) this.heaps.push(new NodeHeap(this.load));
    const zoneLoad = new Array<number>(this.zones.length).fill(0);
    this.nodes.forEach((n, i) => {
      const z = this.zoneOf(n.zone);
      zoneLoad[z] = (zoneLoad[z] ?? 0) + this.load[i];
      if (n.ready) this.heaps[z].push(i);
    });
    this.zoneLoad = zoneLoad;
  }
}

/**
 * The FitError message (`pkg/scheduler/framework/types.go` FitError.Error): reasons counted and
 * sorted as strings, then the PostFilter outcomes: `plugins/dynamicresources` (nothing to
 * deallocate) and `plugins/defaultpreemption` (reasons preemption cannot resolve are "not
 * helpful", the rest find no victims among equal-priority pods). Checked against the live
 * control plane (test/differential scenario host-network).
 */
export function fitError(nodes: number, reasons: ReadonlyMap<string, number>): string {
  const histogram = (m: ReadonlyMap<string, number>): string => [...m].map(([r, c]) => `${c} ${r}`).sort().join(', ');
  if (nodes === 0) return 'no nodes available to schedule pods';
  const preemption = new Map<string, number>();
  for (const [r, c] of reasons) {
    const key = UNRESOLVABLE.has(r) || r.startsWith('node(s) had untolerated taint') ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';
    preemption.set(key, (preemption.get(key) ?? 0) + c);
  }
  // PostFilter plugins run in order and their messages join with ", ": DynamicResources (no
  // claims on the pod) and then DefaultPreemption, as kube-scheduler v1.36 words it.
  return `0/${nodes} nodes are available: ${histogram(reasons)}. no new claims to deallocate, preemption: 0/${nodes} nodes are available: ${histogram(preemption)}.`;
}

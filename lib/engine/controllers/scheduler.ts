/**
 * Deterministic placement, a stand-in for kube-scheduler's default spreading (`PodTopologySpread`
 * system defaults over zones and hostnames, `NodeResourcesBalancedAllocation`): for each pod,
 * pick the zone holding the fewest pods of the same owner (ties: least-loaded zone, then zone
 * order), then the least-loaded ready node in that zone (ties: node order). nodeSelector is
 * honoured; affinity, taints and resources are not simulated.
 */
import { NodeInfo } from '../model';
import { matchesMap } from './label-selector';

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
      [a[c], a[p]] = [a[p], a[c]];
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
        [a[m], a[p]] = [a[p], a[m]];
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

  constructor(nodes: readonly NodeInfo[]) {
    for (const n of nodes) this.addNode(n);
  }

  /** Add (or replace) a node. */
  public addNode(n: NodeInfo): void {
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
   * Choose a node for a pod of `owner` (any string key); `pinned` bypasses the choice.
   * Returns undefined when no node fits (the pod stays Pending).
   */
  public place(owner: string, nodeSelector?: Readonly<Record<string, string>>, pinned?: string): NodeInfo | undefined {
    if (pinned !== undefined) {
      const i = this.indexByName.get(pinned);
      if (i === undefined) return undefined;
      const z = this.zoneIndex.get(this.nodes[i].zone) as number;
      if (this.nodes[i].ready) this.heaps[z].remove(i);
      this.bind(i, owner);
      if (this.nodes[i].ready) this.heaps[z].push(i);
      return this.nodes[i];
    }
    const counts = this.ownerZones.get(owner) ?? new Array<number>(this.zones.length).fill(0);
    if (nodeSelector && Object.keys(nodeSelector).length > 0) return this.placeFiltered(owner, counts, nodeSelector);
    let best = -1;
    for (let z = 0; z < this.zones.length; z++) {
      if (this.heaps[z].peek() === undefined) continue;
      if (best < 0 || (counts[z] ?? 0) < (counts[best] ?? 0) ||
        ((counts[z] ?? 0) === (counts[best] ?? 0) && this.zoneLoad[z] < this.zoneLoad[best])) best = z;
    }
    if (best < 0) return undefined;
    const i = this.heaps[best].pop() as number;
    this.bind(i, owner);
    this.heaps[best].push(i);
    return this.nodes[i];
  }

  /** Forget one pod of `owner` on `nodeName`. */
  public unbind(owner: string, nodeName: string): void {
    const i = this.indexByName.get(nodeName);
    if (i === undefined) return;
    const z = this.zoneIndex.get(this.nodes[i].zone) as number;
    if (this.nodes[i].ready) this.heaps[z].remove(i);
    this.load[i]--;
    this.zoneLoad[z]--;
    const counts = this.ownerZones.get(owner);
    if (counts) counts[z]--;
    if (this.nodes[i].ready) this.heaps[z].push(i);
  }

  private placeFiltered(owner: string, counts: number[], selector: Readonly<Record<string, string>>): NodeInfo | undefined {
    let best = -1;
    let bestZone = -1;
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[i];
      if (!n.ready || !matchesMap(selector, n.labels ?? {})) continue;
      const z = this.zoneIndex.get(n.zone) as number;
      const better = best < 0 ||
        (counts[z] ?? 0) < (counts[bestZone] ?? 0) ||
        ((counts[z] ?? 0) === (counts[bestZone] ?? 0) && (this.zoneLoad[z] < this.zoneLoad[bestZone] ||
          (z === bestZone && this.load[i] < this.load[best])));
      if (better) { best = i; bestZone = z; }
    }
    if (best < 0) return undefined;
    this.heaps[bestZone].remove(best);
    this.bind(best, owner);
    this.heaps[bestZone].push(best);
    return this.nodes[best];
  }

  private bind(i: number, owner: string): void {
    this.load[i]++;
    const z = this.zoneIndex.get(this.nodes[i].zone) as number;
    this.zoneLoad[z]++;
    let counts = this.ownerZones.get(owner);
    if (!counts) { counts = []; this.ownerZones.set(owner, counts); }
    while (counts.length < this.zones.length) counts.push(0);
    counts[z]++;
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

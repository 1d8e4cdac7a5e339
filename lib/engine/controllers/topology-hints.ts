/**
 * Topology Aware Routing (`service.kubernetes.io/topology-mode: Auto`), following kubernetes
 * `staging/src/k8s.io/endpointslice/topologycache` (topologycache.go AddHints/getAllocations,
 * utils.go getGivingAndReceivingZones/redistributeHints):
 * - zone weights are the share of ready nodes' CPU per zone; we assume equal CPU per node, so the
 *   share of ready nodes (control-plane nodes are not simulated);
 * - hints are off when fewer than 2 zones, fewer ready endpoints than zones, or when the
 *   minimum allocations (desired / 1.2, rounded up) exceed the ready endpoints;
 * - every ready endpoint first gets its own zone; zones holding more than their desired share
 *   give endpoints to zones below it (at least 0.5 endpoint of imbalance), in slice order.
 * Simplifications: upstream only re-hints slices being created or updated and keeps valid hints
 * of unchanged slices; we recompute hints over all slices each time (deterministic), and ties
 * between zones go to zone-name order instead of Go map order.
 */
import { EndpointInfo, EndpointSliceInfo, NodeInfo } from '../model';

const OVERLOAD_THRESHOLD = 0.2;

interface Allocation { readonly minimum: number; readonly desired: number }

/** Zone -> share of ready nodes. Undefined when hints cannot apply (fewer than 2 zones). */
export function zoneRatios(nodes: Iterable<NodeInfo>): Map<string, number> | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    if (!n.ready) continue;
    if (!n.zone) return undefined; // upstream bails out when any node lacks a zone
    counts.set(n.zone, (counts.get(n.zone) ?? 0) + 1);
    total++;
  }
  if (counts.size < 2) return undefined;
  const out = new Map<string, number>();
  for (const z of [...counts.keys()].sort()) out.set(z, (counts.get(z) as number) / total);
  return out;
}

function allocations(ratios: Map<string, number>, total: number): Map<string, Allocation> | undefined {
  if (ratios.size > total) return undefined;
  let remaining = total;
  const out = new Map<string, Allocation>();
  for (const [zone, ratio] of ratios) {
    const desired = ratio * total;
    const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
    out.set(zone, { minimum, desired: Math.max(desired, minimum) });
    remaining -= minimum;
    if (remaining < 0) return undefined;
  }
  return out;
}

function most(m: Map<string, number>): [string, number] {
  let zone = '';
  let num = 0;
  for (const [z, n] of m) if (n > num) { zone = z; num = n; }
  return [zone, num];
}

/**
 * Endpoint lists with Auto hints applied (same shape as `slices`); endpoints keep no hints when
 * hints don't apply.
 */
export function autoHints(slices: readonly EndpointSliceInfo[], ratios: Map<string, number> | undefined): EndpointInfo[][] {
  const strip = (): EndpointInfo[][] => slices.map((s) => s.endpoints.map((e) => withHint(e, undefined)));
  if (!ratios) return strip();
  let total = 0;
  for (const s of slices) for (const e of s.endpoints) {
    if (!e.conditions.ready) continue;
    if (!e.zone) return strip();
    total++;
  }
  const alloc = allocations(ratios, total);
  if (!alloc) return strip();
  const out: EndpointInfo[][] = [];
  const byZone = new Map<string, number>();
  for (const s of slices) {
    out.push(s.endpoints.map((e) => {
      if (!e.conditions.ready) return withHint(e, undefined);
      byZone.set(e.zone, (byZone.get(e.zone) ?? 0) + 1);
      return withHint(e, e.zone);
    }));
  }
  // Giving and receiving zones (utils.go getGivingAndReceivingZones).
  const givingD = new Map<string, number>();
  const receivingD = new Map<string, number>();
  for (const [zone, a] of alloc) {
    const have = byZone.get(zone) ?? 0;
    if (have > a.desired) givingD.set(zone, have - a.desired);
    else if (have < a.desired) receivingD.set(zone, a.desired - have);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [gz, g] = most(givingD);
    const [rz, r] = most(receivingD);
    if (gz === '' || rz === '' || (g < 1 && r < 1) || g < 0.5 || r < 0.5) break;
    giving.set(gz, (giving.get(gz) ?? 0) + 1);
    givingD.set(gz, g - 1);
    receiving.set(rz, (receiving.get(rz) ?? 0) + 1);
    receivingD.set(rz, r - 1);
  }
  // Redistribute in slice order (utils.go redistributeHints).
  for (const list of out) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (!e.conditions.ready) continue;
      if (giving.size === 0 || receiving.size === 0) return out;
      const left = giving.get(e.zone) ?? 0;
      if (left <= 0) continue;
      for (const [rz, want] of [...receiving.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (want <= 0) continue;
        list[i] = withHint(e, rz);
        if (left === 1) giving.delete(e.zone); else giving.set(e.zone, left - 1);
        if (want === 1) receiving.delete(rz); else receiving.set(rz, want - 1);
        break;
      }
    }
  }
  return out;
}

function withHint(e: EndpointInfo, zone: string | undefined): EndpointInfo {
  if (zone === undefined) {
    if (e.forZones === undefined) return e;
    const copy = { ...e };
    delete copy.forZones;
    return copy;
  }
  if (e.forZones && e.forZones.length === 1 && e.forZones[0] === zone) return e;
  return { ...e, forZones: [zone] };
}

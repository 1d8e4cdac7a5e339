/**
 * The EndpointSlice reconciler, following kubernetes `staging/src/k8s.io/endpointslice/reconciler.go`
 * (reconcileByAddressType, reconcileByPortMapping, finalize; formerly
 * `pkg/controller/endpointslice/reconciler.go`). Per port set:
 * 1. walk existing slices: keep desired endpoints (updated in place), drop the others; a slice
 *    whose endpoints or labels changed is updated, one left empty is deleted, the rest unchanged;
 * 2. pack remaining endpoints into the slices being updated, fullest first;
 * 3. if fewer than `max` remain, put them in the unchanged slice that ends up closest to full
 *    (`getSliceToFill`), else create new slices.
 * Slices of port sets no longer wanted are deleted; a Service without endpoints keeps one empty
 * placeholder slice; creates are turned into updates of slices that would be deleted (finalize).
 * Upstream pops endpoints from a set in random order; we take them in pod order.
 */
import { EndpointInfo, EndpointPortInfo, EndpointSliceInfo } from '../model';
import { DesiredGroup, endpointEqual, endpointKey, sameEndpointIdentity } from './endpointslice';
import { portSetKey } from './endpoints';

/** What one reconcile changed. `slices` is the Service's new slice list. */
export interface SliceChanges {
  readonly slices: EndpointSliceInfo[];
  readonly created: EndpointSliceInfo[];
  readonly updated: EndpointSliceInfo[];
  readonly deleted: EndpointSliceInfo[];
}

/** Inputs of {@link reconcileSlices}. */
export interface ReconcileInput {
  readonly namespace: string;
  readonly serviceName: string;
  /** Desired labels of every slice. */
  readonly labels: Readonly<Record<string, string>>;
  readonly existing: readonly EndpointSliceInfo[];
  /** Desired endpoints per port set; their `endpoints` maps are consumed (emptied of what gets placed), lists only read. */
  readonly desired: ReadonlyMap<string, DesiredGroup>;
  readonly maxEndpointsPerSlice: number;
  /** A fresh, unused slice name (`<service>-<suffix>`). */
  readonly newName: () => string;
  /** Post-processing of endpoint lists (Auto topology hints); same shape in and out. */
  readonly rehint?: (slices: readonly EndpointSliceInfo[]) => EndpointInfo[][];
  /** The address type of the slices reconciled (`reconcileByAddressType`). @default 'IPv4' */
  readonly addressType?: 'IPv4' | 'IPv6';
}

interface Work {
  name: string;
  ports: readonly EndpointPortInfo[];
  endpoints: EndpointInfo[];
  labels: Readonly<Record<string, string>>;
  /** The existing slice this came from. */
  readonly from?: EndpointSliceInfo;
}

/** Reconcile one Service's slices of one address type (IPv4 unless `addressType` says). `existing` is not modified; `desired`'s endpoint maps are used up. */
export function reconcileSlices(input: ReconcileInput): SliceChanges {
  const max = input.maxEndpointsPerSlice;
  const toCreate: Work[] = [];
  const toUpdate: Work[] = [];
  const toDelete: EndpointSliceInfo[] = [];
  const unchangedAll: EndpointSliceInfo[] = [];

  const existingByKey = new Map<string, EndpointSliceInfo[]>();
  for (const s of input.existing) {
    const k = portSetKey(s.ports);
    const list = existingByKey.get(k);
    if (list) list.push(s); else existingByKey.set(k, [s]);
  }

  const desiredKeys = [...input.desired.keys()].sort();
  for (const key of desiredKeys) {
    const group = input.desired.get(key) as DesiredGroup;
    const existing = existingByKey.get(key);
    // Consumed in place (see ReconcileInput.desired): a taken endpoint's entry is set to
    // undefined, which neither copies the map nor shrinks it entry by entry.
    // A plain list (no slice existed when it was made) is keyed only if slices of this port set exist.
    const list = Array.isArray(group.endpoints) && !existing ? group.endpoints : undefined;
    const remaining: Map<string, EndpointInfo | undefined> = list ? EMPTY : Array.isArray(group.endpoints) ? keyed(group.endpoints) : group.endpoints;
    const unchanged: EndpointSliceInfo[] = [];
    const updates: Work[] = [];
    // 1. existing slices of this port set
    if (existing) {
      for (const s of existing) {
        const kept: EndpointInfo[] = [];
        let changed = false;
        for (const e of s.endpoints) {
          const k = endpointKey(e);
          const want = remaining.get(k);
          if (want === undefined || !sameEndpointIdentity(want, e)) continue;
          kept.push(want);
          if (want !== e && !endpointEqual(want, e)) changed = true;
          remaining.set(k, undefined);
        }
        const labelsChanged = !sameLabels(s.labels, input.labels);
        if (changed || kept.length !== s.endpoints.length) {
          if (kept.length === 0) toDelete.push(s);
          else updates.push({ name: s.name, ports: s.ports, endpoints: kept, labels: input.labels, from: s });
        } else if (labelsChanged) {
          updates.push({ name: s.name, ports: s.ports, endpoints: kept, labels: input.labels, from: s });
        } else {
          unchanged.push(s);
        }
      }
    }
    // What is left to place, in desired (pod) order.
    let rest: EndpointInfo[];
    if (list) rest = list;
    else {
      rest = [];
      for (const e of remaining.values()) if (e !== undefined) rest.push(e);
    }
    let next = 0;
    const take = (): EndpointInfo => rest[next++];
    let left = rest.length;
    // 2. fill slices being updated, fullest first
    if (left > 0 && updates.length > 0) {
      const order = [...updates].sort((a, b) => b.endpoints.length - a.endpoints.length);
      for (const w of order) {
        while (left > 0 && w.endpoints.length < max) { w.endpoints.push(take() as EndpointInfo); left--; }
      }
    }
    // 3. one unchanged slice that fits the rest, else new slices
    while (left > 0) {
      let fill: Work | undefined;
      if (left < max && unchanged.length > 0) {
        unchanged.sort((a, b) => b.endpoints.length - a.endpoints.length);
        const i = unchanged.findIndex((s) => s.endpoints.length + left <= max);
        if (i >= 0) {
          const s = unchanged.splice(i, 1)[0];
          fill = { name: s.name, ports: s.ports, endpoints: [...s.endpoints], labels: input.labels, from: s };
          updates.push(fill);
        }
      }
      if (!fill) {
        fill = { name: '', ports: group.ports, endpoints: [], labels: input.labels };
        toCreate.push(fill);
      }
      while (left > 0 && fill.endpoints.length < max) { fill.endpoints.push(take() as EndpointInfo); left--; }
    }
    toUpdate.push(...updates);
    unchangedAll.push(...unchanged);
  }
  // Port sets no longer desired.
  for (const [key, slices] of existingByKey) if (!input.desired.has(key)) toDelete.push(...slices);

  // Placeholder: a Service with no endpoints keeps one empty slice.
  if (input.existing.length === toDelete.length && toCreate.length === 0) {
    const isPlaceholder = (s: EndpointSliceInfo): boolean => s.ports.length === 0 && s.endpoints.length === 0 && sameLabels(s.labels, input.labels);
    if (toDelete.length === 1 && isPlaceholder(toDelete[0])) {
      unchangedAll.push(toDelete[0]);
      toDelete.length = 0;
    } else {
      toCreate.push({ name: '', ports: [], endpoints: [], labels: input.labels });
    }
  }

  // Auto topology hints over the resulting slices.
  if (input.rehint) {
    const all: Work[] = [
      ...unchangedAll.map((s): Work => ({ name: s.name, ports: s.ports, endpoints: s.endpoints as EndpointInfo[], labels: s.labels, from: s })),
      ...toUpdate, ...toCreate,
    ];
    const hinted = input.rehint(all.map((w) => toInfo(input, w)));
    const stillUnchanged: EndpointSliceInfo[] = [];
    all.forEach((w, i) => {
      const next = hinted[i];
      const isUnchanged = i < unchangedAll.length;
      const differs = next.some((e, j) => e !== w.endpoints[j]);
      if (isUnchanged && !differs) { stillUnchanged.push(w.from as EndpointSliceInfo); return; }
      w.endpoints = next;
      if (isUnchanged) toUpdate.push(w);
    });
    unchangedAll.length = 0;
    unchangedAll.push(...stillUnchanged);
  }

  // finalize: turn creates into updates of slices that would be deleted.
  while (toDelete.length > 0 && toCreate.length > 0) {
    const victim = toDelete.shift() as EndpointSliceInfo;
    const w = toCreate.pop() as Work;
    w.name = victim.name;
    toUpdate.push({ ...w, from: victim });
  }
  for (const w of toCreate) w.name = input.newName();

  const updatedByName = new Map<string, EndpointSliceInfo>();
  const updated: EndpointSliceInfo[] = [];
  for (const w of toUpdate) {
    const info = toInfo(input, w);
    updatedByName.set(w.name, info);
    updated.push(info);
  }
  const deletedNames = new Set(toDelete.map((s) => s.name));
  const created = toCreate.map((w) => toInfo(input, w));
  const slices: EndpointSliceInfo[] = [];
  for (const s of input.existing) {
    if (deletedNames.has(s.name)) continue;
    slices.push(updatedByName.get(s.name) ?? s);
  }
  slices.push(...created);
  return { slices, created, updated, deleted: toDelete };
}

const EMPTY: Map<string, EndpointInfo | undefined> = new Map();

/** A desired list keyed by {@link endpointKey} (a later endpoint of the same key replaces an earlier one in its place, as `Map.set` does). */
function keyed(list: readonly EndpointInfo[]): Map<string, EndpointInfo | undefined> {
  const m = new Map<string, EndpointInfo | undefined>();
  for (const e of list) m.set(endpointKey(e), e);
  return m;
}

function toInfo(input: ReconcileInput, w: Work): EndpointSliceInfo {
  return {
    namespace: input.namespace,
    name: w.name,
    serviceName: input.serviceName,
    addressType: input.addressType ?? 'IPv4',
    ports: w.ports,
    endpoints: w.endpoints,
    labels: w.labels,
  };
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

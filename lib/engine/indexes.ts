/**
 * The label indexes that keep selection linear: pods by (namespace, label, value) and Services
 * by one (namespace, key, value) pair of their selector. Selecting never scans all pods or all
 * Services: a Service's candidates are the pods carrying its rarest selector pair, and a pod's
 * candidate Services are those indexed under one of its labels.
 */
import { matchesMap } from './controllers/label-selector';

type Labels = Readonly<Record<string, string>>;

function pairKey(ns: string, k: string, v: string): string {
  return `${ns}\u0000${k}\u0000${v}`;
}

/**
 * Pair keys per labels object: pods of one workload share their labels object, so the keys are
 * built once per workload, not once per pod.
 */
const pairKeyCache = new WeakMap<Labels, { ns: string; keys: string[] }>();

function pairKeys(ns: string, labels: Labels): string[] {
  const hit = pairKeyCache.get(labels);
  if (hit && hit.ns === ns) return hit.keys;
  const keys: string[] = [];
  for (const k in labels) keys.push(pairKey(ns, k, labels[k]));
  pairKeyCache.set(labels, { ns, keys });
  return keys;
}

/** Pods by label pair. */
export class PodLabelIndex {
  private readonly byPair = new Map<string, Set<string>>();

  /** Index a pod's labels. */
  public add(podKey: string, ns: string, labels: Labels): void {
    for (const key of pairKeys(ns, labels)) {
      let set = this.byPair.get(key);
      if (!set) { set = new Set(); this.byPair.set(key, set); }
      set.add(podKey);
    }
  }

  /** Remove a pod. */
  public remove(podKey: string, ns: string, labels: Labels): void {
    for (const key of pairKeys(ns, labels)) {
      const set = this.byPair.get(key);
      if (!set) continue;
      set.delete(podKey);
      if (set.size === 0) this.byPair.delete(key);
    }
  }

  /** Pods that carry every pair of `selector`, given a lookup for their labels. */
  public select(ns: string, selector: Labels, labelsOf: (podKey: string) => Labels | undefined): string[] {
    let smallest: Set<string> | undefined;
    for (const k in selector) {
      const set = this.byPair.get(pairKey(ns, k, selector[k]));
      if (!set) return [];
      if (!smallest || set.size < smallest.size) smallest = set;
    }
    if (!smallest) return [];
    const out: string[] = [];
    for (const p of smallest) {
      const labels = labelsOf(p);
      if (labels && matchesMap(selector, labels)) out.push(p);
    }
    return out;
  }
}

/** Services by the first (sorted) pair of their selector. */
export class ServiceSelectorIndex {
  private readonly byPair = new Map<string, Map<string, Labels>>();
  /** servicesFor results per labels object; dropped whenever a Service changes. */
  private cache = new WeakMap<Labels, { ns: string; services: string[] }>();

  private static keyOf(ns: string, selector: Labels): string | undefined {
    let first: string | undefined;
    for (const k in selector) if (first === undefined || k < first) first = k;
    return first === undefined ? undefined : pairKey(ns, first, selector[first]);
  }

  /** Index a Service's selector. */
  public add(svcKey: string, ns: string, selector: Labels): void {
    const key = ServiceSelectorIndex.keyOf(ns, selector);
    if (key === undefined) return;
    let m = this.byPair.get(key);
    if (!m) { m = new Map(); this.byPair.set(key, m); }
    m.set(svcKey, selector);
    this.cache = new WeakMap();
  }

  /** Remove a Service. */
  public remove(svcKey: string, ns: string, selector: Labels): void {
    const key = ServiceSelectorIndex.keyOf(ns, selector);
    if (key === undefined) return;
    const m = this.byPair.get(key);
    m?.delete(svcKey);
    if (m && m.size === 0) this.byPair.delete(key);
    this.cache = new WeakMap();
  }

  /** Services whose selector matches these pod labels. */
  public servicesFor(ns: string, labels: Labels): readonly string[] {
    const hit = this.cache.get(labels);
    if (hit && hit.ns === ns) return hit.services;
    const out: string[] = [];
    for (const key of pairKeys(ns, labels)) {
      const m = this.byPair.get(key);
      if (!m) continue;
      for (const [svc, selector] of m) if (matchesMap(selector, labels)) out.push(svc);
    }
    this.cache.set(labels, { ns, services: out });
    return out;
  }
}

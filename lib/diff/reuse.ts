/**
 * Which witness requests cannot route differently between the two sides of a diff, so they need
 * not be routed at all (issue 20, performance): a witness whose outcome reads nothing that changed
 * has the same outcome, text and ambiguities on both sides, and adds nothing to the comparison but
 * its count.
 *
 * What an outside witness's outcome reads (lib/engine/l7, traced with `l4: false`, as
 * {@link WitnessSide} routes it): the compiled L7 objects (Ingress, Gateway API and Istio kinds, in
 * load order), Namespace labels, Secrets, the names of all loaded objects, the Services its routes
 * reference (`BackendResolver.resolvePort`, `WitnessSide.portText`), the profile and the L7 options.
 * Pods and endpoints are read only by the L4 hop, by mesh senders and sidecars, and by Istio's
 * gateway proxies. Routes are found by host: a route whose hostnames do not match a request's host
 * takes no part in routing it (Gateway API and Ingress host matching, exact or wildcard suffix).
 *
 * So when the sides differ only in
 * - HTTPRoutes that name their hostnames and attach to Gateways only (both versions),
 * - Services present on both sides, and
 * - objects that only make pods (workloads), when neither side has Istio objects,
 * a witness is unchanged unless it is a mesh request, or its host matches a hostname of a changed
 * HTTPRoute, or of an HTTPRoute that mentions a changed Service. Anything else (an object added,
 * removed or moved, a Gateway, an Ingress, a Namespace, a Secret, any other kind, a Service named
 * by a route without hostnames) and every witness is routed on both sides, as before.
 */
import type { Cluster } from '../engine/cluster';
import type { L7Model } from '../engine/l7/model';
import { isL7Object } from '../engine/l7/parse';
import { refKey, type ManifestObject } from '../manifest/objects';
import type { HttpRequest } from '../engine/l7/types';
import type { Witness } from './witness';
import { sameJson } from './same-json';

/** Kinds whose objects only make pods (and so endpoints): L7 routing without the L4 hop reads neither. */
const POD_MAKERS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const ISTIO_KINDS = ['VirtualService', 'DestinationRule', 'IstioGateway', 'ServiceEntry'] as const;

/** One side as the diff built it: its cluster and its L7 model (same profile and L7 options on both sides). */
export interface ReuseSide {
  readonly cluster: Cluster;
  readonly model: L7Model;
}

/** What {@link unchangedWitnesses}' predicate reads of a witness: its URL and whether a mesh pod sends it. */
export type UnchangedWitness = (w: Pick<Witness, 'url' | 'meshFrom'>) => boolean;

/**
 * A request (as the shadowing rule's probes send it) that routes the same on both sides by the
 * same argument: sent from outside the cluster (no sending pod, not a mesh call) to a host the
 * predicate calls unchanged.
 */
export function unchangedRequest(unchanged: UnchangedWitness, r: HttpRequest): boolean {
  return r.from === undefined && r.via !== 'mesh' && unchanged({ url: r.url });
}

/**
 * A predicate that is true for witnesses whose outcome is the same on both sides without routing
 * them, or undefined when the sides differ in something this analysis does not narrow down (then
 * every witness must be routed).
 */
export function unchangedWitnesses(before: ReuseSide, after: ReuseSide, identical: ReadonlySet<ManifestObject> = new Set(),
  sameServices?: ReadonlySet<string>): UnchangedWitness | undefined {
  const a = before.cluster.objects; const b = after.cluster.objects;
  if (a.size !== b.size) return undefined;
  if (ISTIO_KINDS.some((k) => before.model.parsed.byKind[k].length > 0 || after.model.parsed.byKind[k].length > 0)) return undefined;
  const hosts = new Set<string>();
  const changedServices: string[] = [];
  // Same keys in the same load order (L7 objects' order stands in for creation order).
  const ib = b.entries();
  for (const [key, x] of a) {
    const next = ib.next();
    if (next.done) return undefined;
    const [keyB, y] = next.value;
    if (key !== keyB) return undefined;
    if (x === y || identical.has(y) || (x.apiVersion === y.apiVersion && sameJson(x.raw, y.raw))) continue;
    if (x.apiVersion !== y.apiVersion || x.ref.kind !== y.ref.kind) return undefined;
    if (x.ref.kind === 'HTTPRoute' && isL7Object(x) && isL7Object(y)) {
      const hx = gatewayRouteHosts(x); const hy = gatewayRouteHosts(y);
      if (!hx || !hy) return undefined;
      for (const h of [...hx, ...hy]) hosts.add(h);
    } else if (x.ref.kind === 'Service' && x.apiVersion === 'v1') {
      changedServices.push(`${x.ref.namespace ?? ''}/${x.ref.name}`);
    } else if (!POD_MAKERS.has(x.ref.kind) || isL7Object(x)) {
      return undefined;
    }
  }
  // Services as simulated (a change elsewhere can move an allocation): any difference counts
  // but the file the manifest came from (no witness outcome names it).
  const sa = before.cluster.services; const sb = after.cluster.services;
  if (sa.size !== sb.size) return undefined;
  const same = sameServices ?? sameServiceKeys(before.cluster, after.cluster);
  for (const key of sa.keys()) {
    if (!sb.has(key)) return undefined;
    if (!same.has(key)) changedServices.push(key);
  }
  if (changedServices.length > 0) {
    // A route that mentions the Service's name anywhere (backendRefs, mirrors, filters) is taken
    // to read it: its hostnames join the changed ones; an L7 object without such hostnames
    // (an Ingress, a Gateway, a route without hostnames) could read it for any host.
    const names = [...new Set(changedServices.map((k) => k.slice(k.indexOf('/') + 1)))];
    for (const side of [a, b]) {
      for (const o of side.values()) {
        if (!isL7Object(o)) continue;
        const text = JSON.stringify(o.raw);
        if (!names.some((n) => text.includes(n))) continue;
        const h = o.ref.kind === 'HTTPRoute' ? gatewayRouteHosts(o) : undefined;
        if (!h) return undefined;
        for (const x of h) hosts.add(x);
      }
    }
  }
  const exact = new Set<string>(); const suffixes: string[] = [];
  for (const h of hosts) {
    if (h.startsWith('*.')) suffixes.push(h.slice(1));
    else exact.add(h);
  }
  return (w) => {
    if (w.meshFrom !== undefined) return false;
    const host = hostOf(w.url);
    if (host === undefined || host.includes('*')) return false;
    return !exact.has(host) && !suffixes.some((s) => host.endsWith(s));
  };
}

/**
 * Keys of the Services simulated the same on both sides: every field of the admitted Service
 * (ClusterIPs, ports, NodePorts, ...) but the file its manifest came from.
 */
export function sameServiceKeys(before: Cluster, after: Cluster): Set<string> {
  const out = new Set<string>();
  for (const [key, s] of before.services) {
    const t = after.services.get(key);
    if (t && sameJson(s, t, 'source')) out.add(key);
  }
  return out;
}

/**
 * The objects of `after` identical to an object of `before`: same kind, namespace and name, each
 * given once on both sides, same apiVersion and the same content (the file and line may differ).
 * Read by {@link unchangedWitnesses} (pass it as `identical`) and by the rule runner's reuse.
 */
export function identicalObjects(before: readonly ManifestObject[], after: readonly ManifestObject[]): Set<ManifestObject> {
  const once = (list: readonly ManifestObject[]): Map<string, ManifestObject | null> => {
    const m = new Map<string, ManifestObject | null>();
    for (const o of list) {
      const k = refKey(o.ref);
      m.set(k, m.has(k) ? null : o);
    }
    return m;
  };
  const a = once(before); const b = once(after);
  const out = new Set<ManifestObject>();
  for (const [k, y] of b) {
    const x = a.get(k);
    if (x && y && (x === y || (x.apiVersion === y.apiVersion && sameJson(x.raw, y.raw)))) out.add(y);
  }
  return out;
}

/** Lower-cased hostnames of an HTTPRoute that names them and attaches to Gateways only; else undefined. */
function gatewayRouteHosts(o: ManifestObject): string[] | undefined {
  const spec = o.raw.spec as { hostnames?: unknown; parentRefs?: unknown } | undefined;
  const hostnames = spec?.hostnames; const parents = spec?.parentRefs;
  if (!Array.isArray(hostnames) || hostnames.length === 0 || !hostnames.every((h) => typeof h === 'string' && h !== '')) return undefined;
  if (!Array.isArray(parents)) return undefined;
  for (const p of parents as unknown[]) {
    if (typeof p !== 'object' || p === null) return undefined;
    const { kind, group } = p as { kind?: unknown; group?: unknown };
    if ((kind !== undefined && kind !== 'Gateway') || (group !== undefined && group !== GATEWAY_GROUP)) return undefined;
  }
  return (hostnames as string[]).map((h) => h.toLowerCase());
}

/** The host of an absolute URL, lower-cased; undefined when it cannot be read. */
function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  return m && m[1] !== '' ? m[1].toLowerCase() : undefined;
}

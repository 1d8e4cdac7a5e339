/**
 * Endpoint selection for one node, following `CategorizeEndpoints` and `topologyModeFromHints`
 * in `pkg/proxy/topology.go` (kubernetes): Ready endpoints, falling back to Serving+Terminating
 * endpoints independently for Cluster and Local policy; zone hints used only when every ready
 * endpoint has hints and at least one is hinted for the node's zone.
 */
import type { ProxyEndpoint } from './types';
import { compareEndpoints } from './endpoints';

/** The endpoints one traffic policy uses on one node. */
export interface EndpointSet {
  /** Sorted with {@link compareEndpoints}. */
  readonly endpoints: readonly ProxyEndpoint[];
  /** True when no endpoint was ready and serving+terminating endpoints were used instead. */
  readonly terminatingFallback: boolean;
  /** The zone whose hints narrowed the set (Cluster policy only). */
  readonly topologyZone?: string;
}

/** An endpoint that some policy may use somewhere in the cluster (`hasAnyEndpoints` upstream). */
export function isUsable(ep: ProxyEndpoint): boolean {
  return ep.ready || (ep.serving && ep.terminating);
}

function servingTerminating(ep: ProxyEndpoint): boolean {
  return ep.serving && ep.terminating;
}

/** Whether zone hints apply for a node in `zone` (the PreferSameZone mode of `topologyModeFromHints`). */
export function useZoneHints(endpoints: readonly ProxyEndpoint[], zone: string): boolean {
  let anyReady = false;
  let hintedForZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    anyReady = true;
    if (ep.forZones.length === 0) return false;
    if (!hintedForZone && ep.forZones.includes(zone)) hintedForZone = true;
  }
  return anyReady && hintedForZone;
}

function sorted(list: ProxyEndpoint[]): ProxyEndpoint[] {
  return list.sort(compareEndpoints);
}

/** Endpoints for Cluster traffic policy as seen from a node in `zone`. */
export function clusterEndpointSet(endpoints: readonly ProxyEndpoint[], zone: string): EndpointSet {
  const hints = useZoneHints(endpoints, zone);
  const ready = endpoints.filter((ep) => ep.ready && (!hints || ep.forZones.includes(zone)));
  if (ready.length > 0) return { endpoints: sorted(ready), terminatingFallback: false, topologyZone: hints ? zone : undefined };
  // No ready endpoint anywhere (topology was already ignored in that case): use terminating ones.
  const terminating = endpoints.filter(servingTerminating);
  return { endpoints: sorted(terminating), terminatingFallback: terminating.length > 0 };
}

/** Endpoints for Local traffic policy given the endpoints on the node itself. */
export function localEndpointSet(nodeEndpoints: readonly ProxyEndpoint[]): EndpointSet {
  const ready = nodeEndpoints.filter((ep) => ep.ready);
  if (ready.length > 0) return { endpoints: sorted(ready), terminatingFallback: false };
  const terminating = nodeEndpoints.filter(servingTerminating);
  return { endpoints: sorted(terminating), terminatingFallback: terminating.length > 0 };
}

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
  /** The node whose hints narrowed the set (PreferSameNode; Cluster policy only). */
  readonly topologyNode?: string;
}

/** Topology mode of `topologyModeFromHints`: '' (none), PreferSameNode or PreferSameZone. */
export type TopologyMode = '' | 'PreferSameNode' | 'PreferSameZone';

/** An endpoint that some policy may use somewhere in the cluster (`hasAnyEndpoints` upstream). */
export function isUsable(ep: ProxyEndpoint): boolean {
  return ep.ready || (ep.serving && ep.terminating);
}

function servingTerminating(ep: ProxyEndpoint): boolean {
  return ep.serving && ep.terminating;
}

/**
 * `topologyModeFromHints`: PreferSameNode when every ready endpoint has node hints and one is
 * hinted for this node; else PreferSameZone when every ready endpoint has zone hints and one is
 * hinted for this zone; else no topology.
 */
export function topologyMode(endpoints: readonly ProxyEndpoint[], nodeName: string, zone: string): TopologyMode {
  let anyReady = false;
  let allNode = true;
  let forNode = false;
  let allZone = true;
  let forZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    anyReady = true;
    if (ep.forNodes.length === 0) allNode = false;
    else if (ep.forNodes.includes(nodeName)) forNode = true;
    if (ep.forZones.length === 0) allZone = false;
    else if (ep.forZones.includes(zone)) forZone = true;
  }
  if (!anyReady) return '';
  if (allNode && forNode) return 'PreferSameNode';
  if (allZone && forZone) return 'PreferSameZone';
  return '';
}

/** True when some endpoint carries node hints, so Cluster sets may differ per node (not only per zone). */
export function hasNodeHints(endpoints: readonly ProxyEndpoint[]): boolean {
  return endpoints.some((ep) => ep.forNodes.length > 0);
}

function sorted(list: ProxyEndpoint[]): ProxyEndpoint[] {
  return list.sort(compareEndpoints);
}

/** Endpoints for Cluster traffic policy as seen from `nodeName` in `zone`. */
export function clusterEndpointSet(endpoints: readonly ProxyEndpoint[], nodeName: string, zone: string): EndpointSet {
  const mode = topologyMode(endpoints, nodeName, zone);
  const available = (ep: ProxyEndpoint): boolean =>
    mode === '' || (mode === 'PreferSameNode' ? ep.forNodes.includes(nodeName) : ep.forZones.includes(zone));
  const ready = endpoints.filter((ep) => ep.ready && available(ep));
  if (ready.length > 0) {
    return {
      endpoints: sorted(ready),
      terminatingFallback: false,
      topologyZone: mode === 'PreferSameZone' ? zone : undefined,
      topologyNode: mode === 'PreferSameNode' ? nodeName : undefined,
    };
  }
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

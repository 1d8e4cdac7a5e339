/**
 * Turns a Service's EndpointSlices into the endpoint list of one Service port, as kube-proxy's
 * EndpointSlice cache does (`pkg/proxy/endpointslicecache.go` in kubernetes): the slice port is
 * matched by name and protocol, the endpoint's first address is used, duplicates across slices
 * are merged.
 */
import type { EndpointSliceInfo, ServicePortInfo } from '../model';
import type { ProxyEndpoint } from './types';

/** IP family of a proxy table; kube-proxy runs one proxier per family. */
export type IPFamily = 'IPv4' | 'IPv6';

/** The IP family of an address (a `:` means IPv6). */
export function ipFamily(ip: string): IPFamily {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

const NO_ZONES: readonly string[] = [];

/**
 * The endpoints of `port` found in `slices` for one address family. Slices are read in name order
 * so the result is deterministic; the first slice that lists an `ip:port` wins.
 */
export function collectEndpoints(
  slices: readonly EndpointSliceInfo[] | undefined,
  port: ServicePortInfo,
  family: IPFamily,
): ProxyEndpoint[] {
  if (!slices || slices.length === 0) return [];
  const ordered = slices.length > 1 ? [...slices].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : slices;
  const out: ProxyEndpoint[] = [];
  const seen = ordered.length > 1 ? new Set<string>() : undefined;
  for (const slice of ordered) {
    if (slice.addressType !== family) continue;
    const slicePort = slice.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
    if (!slicePort) continue;
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0];
      if (ip === undefined) continue;
      if (seen) {
        const id = `${ip}:${slicePort.port}`;
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const ref = ep.targetRef;
      out.push({
        ip,
        port: slicePort.port,
        nodeName: ep.nodeName,
        zone: ep.zone,
        ready: ep.conditions.ready,
        serving: ep.conditions.serving,
        terminating: ep.conditions.terminating,
        forZones: ep.forZones ?? NO_ZONES,
        forNodes: ep.forNodes ?? NO_ZONES,
        pod: ref && ref.kind === 'Pod' ? `${ref.namespace ?? slice.namespace}/${ref.name}` : undefined,
      });
    }
  }
  return out;
}

/**
 * `hasEndpoints` without building the endpoint list: some endpoint of `port` in `family` is
 * ready, or serving and terminating.
 */
export function anyUsableEndpoint(slices: readonly EndpointSliceInfo[] | undefined, port: ServicePortInfo, family: IPFamily): boolean {
  if (!slices) return false;
  for (const slice of slices) {
    if (slice.addressType !== family) continue;
    if (!slice.ports.some((p) => p.name === port.name && p.protocol === port.protocol)) continue;
    for (const ep of slice.endpoints) {
      const c = ep.conditions;
      if (ep.addresses.length > 0 && (c.ready || (c.serving && c.terminating))) return true;
    }
  }
  return false;
}

/** Deterministic display order: by pod key, then IP, then port. */
export function compareEndpoints(a: ProxyEndpoint, b: ProxyEndpoint): number {
  const pa = a.pod ?? '';
  const pb = b.pod ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  return a.port - b.port;
}

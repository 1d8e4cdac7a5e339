/**
 * Selector-less Services: their endpoints are written by hand. Hand-written EndpointSlices
 * (labelled `kubernetes.io/service-name`) are used as they are; a hand-written v1 Endpoints is
 * mirrored into EndpointSlices as kubernetes `pkg/controller/endpointslicemirroring` does
 * (one slice set per subset, at most `maxEndpointsPerSlice` per slice, ready = listed in
 * `addresses`, managed-by `endpointslicemirroring-controller.k8s.io`). Simplifications: mirrored
 * slices are rebuilt rather than reconciled, and IPv6 / invalid addresses are not filtered.
 */
import { ManifestObject } from '../../manifest/objects';
import type { EndpointSliceManifest, EndpointsManifest } from '../../manifest/types';
import { EndpointAddressInfo, EndpointInfo, EndpointPortInfo, EndpointSliceInfo, EndpointsInfo, EndpointSubsetInfo } from '../model';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './endpointslice';

/** A hand-written EndpointSlice in the engine's model (FQDN slices are skipped). */
export function userSlice(o: ManifestObject, s: EndpointSliceManifest): EndpointSliceInfo | undefined {
  if (s.addressType === 'FQDN') return undefined;
  const ns = o.ref.namespace ?? 'default';
  return {
    namespace: ns,
    name: o.ref.name,
    serviceName: s.metadata.labels?.[LABEL_SERVICE_NAME] ?? '',
    addressType: s.addressType,
    ports: (s.ports ?? []).filter((p) => p.port !== undefined).map((p) => ({
      name: p.name ?? '', port: p.port as number, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    })),
    endpoints: (s.endpoints ?? []).map((e): EndpointInfo => {
      // API defaulting: nil ready means ready; serving defaults to ready; terminating to false.
      const ready = e.conditions?.ready ?? true;
      return {
        addresses: e.addresses,
        conditions: { ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false },
        nodeName: e.nodeName ?? '',
        zone: e.zone ?? '',
        ...(e.hostname ? { hostname: e.hostname } : {}),
        targetRef: { kind: 'Endpoint', namespace: ns, name: e.addresses[0] },
      };
    }),
    labels: s.metadata.labels ?? {},
  };
}

/** Mirror a hand-written Endpoints object into EndpointSlices. */
export function mirrorEndpoints(
  o: ManifestObject,
  e: EndpointsManifest,
  max: number,
  nameFor: (i: number) => string,
): { endpoints: EndpointsInfo; slices: EndpointSliceInfo[] } {
  const ns = o.ref.namespace ?? 'default';
  const subsets: EndpointSubsetInfo[] = (e.subsets ?? []).map((s) => {
    const addr = (a: { ip: string; hostname?: string; nodeName?: string }): EndpointAddressInfo => ({
      ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    });
    return {
      addresses: (s.addresses ?? []).map(addr),
      notReadyAddresses: (s.notReadyAddresses ?? []).map(addr),
      ports: (s.ports ?? []).map((p): EndpointPortInfo => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
    };
  });
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.metadata.labels ?? {})) labels[k] = v;
  labels[LABEL_SERVICE_NAME] = o.ref.name;
  labels[LABEL_MANAGED_BY] = 'endpointslicemirroring-controller.k8s.io';
  const slices: EndpointSliceInfo[] = [];
  let n = 0;
  for (const s of subsets) {
    const eps: EndpointInfo[] = [
      ...s.addresses.map((a) => toEndpoint(a, true, ns)),
      ...s.notReadyAddresses.map((a) => toEndpoint(a, false, ns)),
    ];
    for (let i = 0; i < eps.length; i += max) {
      slices.push({ namespace: ns, name: nameFor(n++), serviceName: o.ref.name, addressType: 'IPv4', ports: s.ports, endpoints: eps.slice(i, i + max), labels });
    }
  }
  return {
    endpoints: { namespace: ns, name: o.ref.name, subsets, labels: e.metadata.labels ?? {}, annotations: e.metadata.annotations ?? {} },
    slices,
  };
}

function toEndpoint(a: EndpointAddressInfo, ready: boolean, ns: string): EndpointInfo {
  return {
    addresses: [a.ip],
    conditions: { ready, serving: ready, terminating: false },
    nodeName: a.nodeName ?? '',
    zone: '',
    ...(a.hostname ? { hostname: a.hostname } : {}),
    targetRef: { kind: 'Endpoint', namespace: ns, name: a.ip },
  };
}

/**
 * Selector-less Services: their endpoints are written by hand, as EndpointSlices (kept exactly as
 * written, {@link userSlice}) or as a v1 Endpoints that the mirroring controller copies into
 * EndpointSlices, following kubernetes `pkg/controller/endpointslicemirroring` (v1.36):
 *
 * - `syncEndpoints`: nothing is mirrored when the Endpoints has the label
 *   `endpointslice.kubernetes.io/skip-mirror: "true"` or the leader-election annotation
 *   (`shouldMirror`), when there is no Service of that name, or when the Service has a selector
 *   (the EndpointSlice controller owns its slices then). The Endpoints itself stays either way.
 * - `reconciler.reconcile`: the subsets are canonicalized first (`endpointsv1.RepackSubsets`:
 *   addresses grouped by the exact set of ports they serve, not-ready winning over ready), at
 *   most `maxEndpointsPerSubset` (1000, `--mirroring-max-endpoints-per-subset`) addresses of
 *   each are mirrored, ready ones first; invalid IPs are skipped (both reported as upstream's
 *   `TooManyAddressesToMirror` / `InvalidIPAddress` events are, here as warnings).
 * - one slice per port set and address family (IPv4, IPv6 by the parsed address, which is
 *   re-stringified), holding up to `maxEndpointsPerSubset` endpoints (`reconcileByPortMapping`).
 * - `newEndpointSlice`: the Endpoints' labels plus `kubernetes.io/service-name` and
 *   `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`; its
 *   annotations except `endpoints.kubernetes.io/last-change-trigger-time` and
 *   `kubectl.kubernetes.io/last-applied-configuration`; owned by the Endpoints (controller
 *   reference). `addressToEndpoint`: addresses, `conditions.ready` only (serving and
 *   terminating unset), the address's own targetRef, nodeName and hostname; no zone.
 *
 * Not modelled: mirrored slices are rebuilt on every change rather than updated in place (names
 * stay the same while the port sets do), and the order of endpoints in a slice (upstream pops
 * them from a set).
 */
import * as ipaddr from 'ipaddr.js';
import { ManifestObject } from '../../manifest/objects';
import type { EndpointSliceManifest, EndpointsManifest } from '../../manifest/types';
import {
  DeclaredTargetRef, EndpointAddressInfo, EndpointInfo, EndpointPortInfo, EndpointSliceInfo, EndpointsInfo, EndpointSubsetInfo,
  ObjectRef, OwnerReferenceInfo,
} from '../model';
import { simulatedUID } from '../serialize';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './endpointslice';

/** The mirroring controller's name (`managed-by` label of the slices it writes). */
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** Label on an Endpoints that keeps it from being mirrored. */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** `resourcelock.LeaderElectionRecordAnnotationKey`: Endpoints used as leader locks are not mirrored. */
export const LEADER_ELECTION_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** kube-controller-manager `--mirroring-max-endpoints-per-subset` default. */
export const MAX_MIRRORED_PER_SUBSET = 1000;
/** Annotations newEndpointSlice does not copy. */
const NOT_COPIED = new Set(['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function declaredRef(v: unknown): DeclaredTargetRef | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) if (typeof v[k] === 'string') out[k] = v[k] as string;
  return out;
}

/** The model's identity for an endpoint: its targetRef when it names something, else the address. */
function identity(ref: DeclaredTargetRef | undefined, ns: string, address: string): ObjectRef {
  return ref?.name ? { kind: ref.kind ?? '', namespace: ref.namespace ?? ns, name: ref.name } : { kind: 'Endpoint', namespace: ns, name: address };
}

function ownerReferencesOf(raw: unknown): OwnerReferenceInfo[] {
  const list = isObj(raw) && Array.isArray(raw.ownerReferences) ? raw.ownerReferences : [];
  return list.filter(isObj).map((r) => ({
    apiVersion: String(r.apiVersion ?? ''), kind: String(r.kind ?? ''), name: String(r.name ?? ''),
    ...(typeof r.uid === 'string' ? { uid: r.uid } : {}),
    ...(typeof r.controller === 'boolean' ? { controller: r.controller } : {}),
    ...(typeof r.blockOwnerDeletion === 'boolean' ? { blockOwnerDeletion: r.blockOwnerDeletion } : {}),
  }));
}

/** A hand-written EndpointSlice, kept as written (FQDN slices are skipped: kube-proxy ignores them). */
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
      // discovery/v1's reading: nil ready means ready; serving defaults to ready; terminating to false.
      const ready = e.conditions?.ready ?? true;
      const ref = declaredRef(e.targetRef);
      return {
        addresses: e.addresses,
        conditions: { ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false },
        nodeName: e.nodeName ?? '',
        zone: e.zone ?? '',
        ...(e.hostname ? { hostname: e.hostname } : {}),
        targetRef: identity(ref, ns, e.addresses[0]),
        declared: {
          ...(e.conditions?.ready !== undefined ? { ready: e.conditions.ready } : {}),
          ...(e.conditions?.serving !== undefined ? { serving: e.conditions.serving } : {}),
          ...(e.conditions?.terminating !== undefined ? { terminating: e.conditions.terminating } : {}),
          ...(ref ? { targetRef: ref } : {}),
        },
      };
    }),
    labels: s.metadata.labels ?? {},
    annotations: s.metadata.annotations ?? {},
    ownerReferences: ownerReferencesOf(o.raw.metadata),
    origin: 'hand-written',
  };
}

/** Whether the mirroring controller copies this Endpoints (`shouldMirror`); the Service is checked apart. */
export function shouldMirror(e: EndpointsManifest): boolean {
  return e.metadata.labels?.[LABEL_SKIP_MIRROR] !== 'true' && e.metadata.annotations?.[LEADER_ELECTION_ANNOTATION] === undefined;
}

/** An Endpoints address as written, with its targetRef. */
function addressInfo(a: { ip: string; hostname?: string; nodeName?: string; [x: string]: unknown }): EndpointAddressInfo {
  const ref = declaredRef(a.targetRef);
  return {
    ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    // As written (no namespace filled in): serialized back the way the object has it.
    ...(ref?.name ? { targetRef: { kind: ref.kind ?? '', ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name } } : {}),
  };
}

/** The Endpoints object as the engine keeps it (as written: the API server does not repack it). */
export function userEndpoints(o: ManifestObject, e: EndpointsManifest): EndpointsInfo {
  const ns = o.ref.namespace ?? 'default';
  const subsets: EndpointSubsetInfo[] = (e.subsets ?? []).map((s) => ({
    addresses: (s.addresses ?? []).map((a) => addressInfo(a)),
    notReadyAddresses: (s.notReadyAddresses ?? []).map((a) => addressInfo(a)),
    ports: (s.ports ?? []).map((p): EndpointPortInfo => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
  }));
  return { namespace: ns, name: o.ref.name, subsets, labels: e.metadata.labels ?? {}, annotations: e.metadata.annotations ?? {} };
}

interface RawAddress {
  readonly ip: string;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly targetRef?: DeclaredTargetRef;
}

interface RepackedSubset {
  readonly addresses: RawAddress[];
  readonly notReadyAddresses: RawAddress[];
  readonly ports: EndpointPortInfo[];
}

/**
 * `endpointsv1.RepackSubsets`: map every port to the addresses serving it (not ready wins when an
 * address is listed both ways), group ports whose address sets are identical, one subset per group,
 * addresses sorted by IP (then targetRef uid). Addresses are the same when IP and targetRef uid are.
 */
export function repackSubsets(subsets: readonly { addresses: readonly RawAddress[]; notReadyAddresses: readonly RawAddress[]; ports: readonly EndpointPortInfo[] }[]): RepackedSubset[] {
  const addrs = new Map<string, RawAddress>();
  const byPort = new Map<string, { port: EndpointPortInfo | undefined; ready: Map<string, boolean> }>();
  const note = (a: RawAddress, port: EndpointPortInfo | undefined, ready: boolean): void => {
    const k = `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
    if (!addrs.has(k)) addrs.set(k, a);
    const pk = port ? `${port.name}\u0000${port.port}\u0000${port.protocol}\u0000${port.appProtocol ?? ''}` : '(none)';
    let slot = byPort.get(pk);
    if (!slot) byPort.set(pk, (slot = { port, ready: new Map() }));
    if (slot.ready.get(k) !== false) slot.ready.set(k, ready);
  };
  for (const s of subsets) {
    const ports: (EndpointPortInfo | undefined)[] = s.ports.length > 0 ? [...s.ports] : [undefined]; // the sentinel for port-less subsets
    for (const p of ports) {
      for (const a of s.addresses) note(a, p, true);
      for (const a of s.notReadyAddresses) note(a, p, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPortInfo[] }>();
  for (const { port, ready } of byPort.values()) {
    const key = [...ready].map(([k, r]) => `${k}=${r}`).sort().join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ready, ports: [] }));
    if (port) g.ports.push(port);
  }
  const less = (a: RawAddress, b: RawAddress): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : 1);
  return [...groups.values()].map((g) => ({
    addresses: [...g.ready].filter(([, r]) => r).map(([k]) => addrs.get(k) as RawAddress).sort(less),
    notReadyAddresses: [...g.ready].filter(([, r]) => !r).map(([k]) => addrs.get(k) as RawAddress).sort(less),
    ports: g.ports,
  }));
}

/** `addressToEndpoint`'s parse: the canonical form and family of an IP, or undefined when it is not one. */
export function parseEndpointIP(ip: string): { address: string; family: 'IPv4' | 'IPv6' } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return { address: ipaddr.IPv4.parse(ip).toString(), family: 'IPv4' };
  // ParseIPSloppy also takes leading zeros in IPv4 octets (read as decimal).
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split('.').map((x) => parseInt(x, 10));
    return parts.every((n) => n <= 255) ? { address: parts.join('.'), family: 'IPv4' } : undefined;
  }
  if (!ipaddr.IPv6.isValid(ip)) return undefined;
  const v6 = ipaddr.IPv6.parse(ip);
  // Go's To4(): an IPv4-mapped IPv6 address is an IPv4 address.
  if (v6.isIPv4MappedAddress()) return { address: v6.toIPv4Address().toString(), family: 'IPv4' };
  return { address: v6.toRFC5952String(), family: 'IPv6' };
}

/** What one mirroring sync produced. */
export interface Mirrored {
  readonly slices: EndpointSliceInfo[];
  /** Addresses left out: not valid IPs, and beyond the per-subset limit. */
  readonly invalid: number;
  readonly overLimit: number;
}

/**
 * Mirror a hand-written Endpoints into EndpointSlices (the caller has checked {@link shouldMirror}
 * and that a selector-less Service of the same name exists). `nameFor(i)` names the i-th slice.
 */
export function mirrorEndpoints(o: ManifestObject, e: EndpointsManifest, nameFor: (i: number) => string, maxPerSubset = MAX_MIRRORED_PER_SUBSET): Mirrored {
  const ns = o.ref.namespace ?? 'default';
  const raw = (e.subsets ?? []).map((s) => {
    const a = (x: { ip: string; hostname?: string; nodeName?: string; [k: string]: unknown }): RawAddress => ({
      ip: x.ip, ...(x.hostname ? { hostname: x.hostname } : {}), ...(x.nodeName ? { nodeName: x.nodeName } : {}),
      ...(declaredRef(x.targetRef) ? { targetRef: declaredRef(x.targetRef) } : {}),
    });
    return {
      addresses: (s.addresses ?? []).map(a), notReadyAddresses: (s.notReadyAddresses ?? []).map(a),
      ports: (s.ports ?? []).map((p): EndpointPortInfo => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
    };
  });
  const labels: Record<string, string> = { ...(e.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: o.ref.name, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) annotations[k] = v;
  const owner: OwnerReferenceInfo = { apiVersion: 'v1', kind: 'Endpoints', name: o.ref.name, uid: simulatedUID({ kind: 'Endpoints', namespace: ns, name: o.ref.name }), controller: true, blockOwnerDeletion: true };
  const slices: EndpointSliceInfo[] = [];
  let invalid = 0;
  let overLimit = 0;
  for (const s of repackSubsets(raw)) {
    const groups: Record<'IPv4' | 'IPv6', Map<string, EndpointInfo>> = { IPv4: new Map(), IPv6: new Map() };
    let added = 0;
    const take = (a: RawAddress, ready: boolean): void => {
      if (added >= maxPerSubset) return;
      const ip = parseEndpointIP(a.ip);
      if (!ip) { invalid++; return; }
      added++;
      const ep: EndpointInfo = {
        addresses: [ip.address],
        conditions: { ready, serving: ready, terminating: false },
        nodeName: a.nodeName ?? '',
        zone: '',
        ...(a.hostname ? { hostname: a.hostname } : {}),
        targetRef: identity(a.targetRef, ns, ip.address),
        declared: { ready, ...(a.targetRef ? { targetRef: a.targetRef } : {}) },
      };
      // EndpointSet: the same endpoint twice is one.
      groups[ip.family].set(JSON.stringify([ep.addresses, ready, a.targetRef ?? null, ep.nodeName, ep.hostname ?? null]), ep);
    };
    for (const a of s.addresses) take(a, true);
    for (const a of s.notReadyAddresses) take(a, false);
    overLimit += s.addresses.length + s.notReadyAddresses.length - added;
    for (const family of ['IPv4', 'IPv6'] as const) {
      const eps = [...groups[family].values()];
      if (eps.length === 0) continue;
      slices.push({
        namespace: ns, name: nameFor(slices.length), serviceName: o.ref.name, addressType: family, ports: s.ports,
        endpoints: eps.slice(0, maxPerSubset), labels, annotations, ownerReferences: [owner], origin: 'mirrored',
      });
    }
  }
  return { slices, invalid, overLimit: overLimit - invalid };
}

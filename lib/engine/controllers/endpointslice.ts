/**
 * EndpointSlice controller: desired endpoints per Service, following kubernetes
 * `staging/src/k8s.io/endpointslice/reconciler.go` (Reconcile) and `utils.go` (podToEndpoint,
 * getEndpointPorts, setEndpointSliceLabels):
 * - every pod with an IP is included, terminating ones too (`ShouldPodBeInEndpoints(pod, true)`);
 * - conditions: `serving` = PodReady, `terminating` = deletionTimestamp set,
 *   `ready` = publishNotReadyAddresses || (serving && !terminating);
 * - ports: each Service port resolved per pod (FindPort, by name and protocol); ports that don't
 *   resolve are left out, so such a pod lands in the slice set of its own port set;
 * - `hostname` when the pod's hostname is set and its subdomain is the Service name;
 * - hints for `trafficDistribution` (`staging/src/k8s.io/endpointslice/trafficdist`): PreferClose
 *   and PreferSameZone give each endpoint `forZones: [its zone]`; PreferSameNode adds
 *   `forNodes: [its node]`. The topology annotation (Auto) is handled in `topology-hints.ts` and
 *   takes precedence, as upstream (`hintsEnabled`).
 */
import { EndpointConditions, EndpointInfo, EndpointPortInfo, ObjectRef, PodInfo, ServiceInfo } from '../model';
import { ResolvedPorts, hostnameFor, podRef, portSetKey, resolvePorts } from './endpoints';

/** `endpointslice.kubernetes.io/managed-by` value of the upstream controller. */
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

/** How topology hints are set for a Service. */
export type HintsMode = 'none' | 'auto' | 'zone' | 'node';

/**
 * Upstream `hintsEnabled`: the deprecated `service.kubernetes.io/topology-aware-hints`
 * annotation is read first, then `service.kubernetes.io/topology-mode`; `Auto`/`auto` enables.
 * Otherwise `trafficDistribution` decides.
 */
export function hintsMode(svc: ServiceInfo, annotations: Readonly<Record<string, string>>): HintsMode {
  const v = annotations['service.kubernetes.io/topology-aware-hints'] ?? annotations['service.kubernetes.io/topology-mode'];
  if (v === 'Auto' || v === 'auto') return 'auto';
  switch (svc.trafficDistribution) {
    case 'PreferClose':
    case 'PreferSameZone': return 'zone';
    case 'PreferSameNode': return 'node';
    default: return 'none';
  }
}

/** Upstream `setEndpointSliceLabels`: the Service's labels, then the controller's own. */
export function sliceLabels(svc: ServiceInfo, serviceLabels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in serviceLabels) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY) out[k] = serviceLabels[k];
  }
  if (svc.headless) out['service.kubernetes.io/headless'] = '';
  out[LABEL_SERVICE_NAME] = svc.name;
  out[LABEL_MANAGED_BY] = MANAGED_BY;
  return out;
}

/**
 * The key the reconciler finds an endpoint by: its pod's name. Upstream's identity is the
 * addresses and the targetRef; a Service's endpoints are pods of its namespace with one address
 * each, so the name (a string already hashed, where `namespace/name/ip` was a new one per endpoint
 * and sync) finds the one candidate and {@link sameEndpointIdentity} confirms it.
 */
export function endpointKey(e: EndpointInfo): string {
  return e.targetRef.name;
}

/** Same address and targetRef namespace: with the same {@link endpointKey}, the same endpoint as upstream hashes it. */
export function sameEndpointIdentity(a: EndpointInfo, b: EndpointInfo): boolean {
  return a.addresses[0] === b.addresses[0] && (a.targetRef.namespace ?? '') === (b.targetRef.namespace ?? '');
}

/**
 * Endpoints that want the same port set, in pod order: keyed by {@link endpointKey}, or a plain
 * list when the caller knows no slice exists yet (nothing to match them against; the keys, pod
 * names of one namespace, are distinct).
 */
export interface DesiredGroup {
  readonly ports: readonly EndpointPortInfo[];
  readonly endpoints: Map<string, EndpointInfo> | EndpointInfo[];
}

/**
 * The eight possible condition triples, shared by every endpoint (they are read-only): a slice
 * endpoint then costs no conditions object of its own.
 */
const CONDITIONS: readonly EndpointConditions[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => Object.freeze({ ready: (i & 4) !== 0, serving: (i & 2) !== 0, terminating: (i & 1) !== 0 }));

/** The shared {@link EndpointConditions} object for these values. */
export function endpointConditions(ready: boolean, serving: boolean, terminating: boolean): EndpointConditions {
  return CONDITIONS[(ready ? 4 : 0) + (serving ? 2 : 0) + (terminating ? 1 : 0)];
}

/** One pod as a slice endpoint; `targetRef` may be passed to share it with the pod's Endpoints address. */
export function podToEndpoint(pod: PodInfo, svc: ServiceInfo, mode: HintsMode, targetRef: ObjectRef = podRef(pod)): EndpointInfo {
  const serving = pod.serving;
  const terminating = pod.terminating;
  const ready = svc.publishNotReadyAddresses || (serving && !terminating);
  const hostname = hostnameFor(pod, svc);
  const ep: { -readonly [K in keyof EndpointInfo]: EndpointInfo[K] } = {
    addresses: [pod.ip],
    conditions: endpointConditions(ready, serving, terminating),
    nodeName: pod.nodeName,
    zone: pod.zone,
    targetRef,
  };
  if (hostname) ep.hostname = hostname;
  if ((mode === 'zone' || mode === 'node') && pod.zone) ep.forZones = [pod.zone];
  if (mode === 'node' && pod.nodeName) ep.forNodes = [pod.nodeName];
  return ep;
}

/**
 * Group a Service's pods into desired endpoint sets by resolved port set. `refs[i]`, when given,
 * is `pods[i]`'s targetRef. `asList`: the groups hold plain lists (the Service has no slices yet),
 * which saves a map entry per endpoint.
 */
export function desiredEndpoints(svc: ServiceInfo, pods: readonly PodInfo[], mode: HintsMode, refs?: readonly ObjectRef[], asList = false): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>();
  // Numeric targetPorts resolve the same for every pod, named ones the same for pods sharing
  // their container ports: resolve and key them once.
  const allNumeric = svc.ports.every((p) => typeof p.targetPort === 'number');
  let last: ResolvedPorts | undefined;
  let g: DesiredGroup | undefined;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    if (!pod.ip) continue;
    if (!last || (!allNumeric && last.containerPorts !== pod.containerPorts)) {
      const ports = resolvePorts(svc, pod);
      const key = portSetKey(ports);
      if (!last || key !== last.key) {
        g = groups.get(key);
        if (!g) { g = { ports, endpoints: asList ? [] : new Map() }; groups.set(key, g); }
      }
      last = { containerPorts: pod.containerPorts, ports, key };
    }
    const ep = podToEndpoint(pod, svc, mode, refs?.[i]);
    const eps = (g as DesiredGroup).endpoints;
    if (Array.isArray(eps)) eps.push(ep);
    else eps.set(endpointKey(ep), ep);
  }
  return groups;
}

/** Field-wise equality beyond identity (upstream `EndpointsEqualBeyondHash`). */
export function endpointEqual(a: EndpointInfo, b: EndpointInfo): boolean {
  return a.conditions.ready === b.conditions.ready && a.conditions.serving === b.conditions.serving &&
    a.conditions.terminating === b.conditions.terminating && a.nodeName === b.nodeName && a.zone === b.zone &&
    a.hostname === b.hostname && sameList(a.forZones, b.forZones) && sameList(a.forNodes, b.forNodes) &&
    sameList(a.addresses, b.addresses);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
import { EndpointInfo, EndpointPortInfo, PodInfo, ServiceInfo } from '../model';
import { hostnameFor, portSetKey, resolvePorts } from './endpoints';

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

/** The endpoint identity the reconciler matches on (upstream hashes addresses and targetRef). */
export function endpointKey(e: EndpointInfo): string {
  return `${e.targetRef.namespace ?? ''}/${e.targetRef.name}/${e.addresses[0]}`;
}

/** Endpoints that want the same port set, keyed by {@link endpointKey} in insertion order. */
export interface DesiredGroup {
  readonly ports: readonly EndpointPortInfo[];
  readonly endpoints: Map<string, EndpointInfo>;
}

/** One pod as a slice endpoint. */
export function podToEndpoint(pod: PodInfo, svc: ServiceInfo, mode: HintsMode): EndpointInfo {
  const serving = pod.serving;
  const terminating = pod.terminating;
  const ready = svc.publishNotReadyAddresses || (serving && !terminating);
  const hostname = hostnameFor(pod, svc);
  const ep: { -readonly [K in keyof EndpointInfo]: EndpointInfo[K] } = {
    addresses: [pod.ip],
    conditions: { ready, serving, terminating },
    nodeName: pod.nodeName,
    zone: pod.zone,
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
  };
  if (hostname) ep.hostname = hostname;
  if ((mode === 'zone' || mode === 'node') && pod.zone) ep.forZones = [pod.zone];
  if (mode === 'node' && pod.nodeName) ep.forNodes = [pod.nodeName];
  return ep;
}

/** Group a Service's pods into desired endpoint sets by resolved port set. */
export function desiredEndpoints(svc: ServiceInfo, pods: Iterable<PodInfo>, mode: HintsMode): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>();
  // Fast path: numeric targetPorts resolve the same for every pod.
  const allNumeric = svc.ports.every((p) => typeof p.targetPort === 'number');
  let sharedPorts: EndpointPortInfo[] | undefined;
  let sharedKey = '';
  for (const pod of pods) {
    if (!pod.ip) continue;
    let ports: EndpointPortInfo[];
    let key: string;
    if (allNumeric) {
      if (!sharedPorts) { sharedPorts = resolvePorts(svc, pod); sharedKey = portSetKey(sharedPorts); }
      ports = sharedPorts;
      key = sharedKey;
    } else {
      ports = resolvePorts(svc, pod);
      key = portSetKey(ports);
    }
    let g = groups.get(key);
    if (!g) { g = { ports, endpoints: new Map() }; groups.set(key, g); }
    const ep = podToEndpoint(pod, svc, mode);
    g.endpoints.set(endpointKey(ep), ep);
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

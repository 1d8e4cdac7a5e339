/**
 * Endpoints controller, following kubernetes `pkg/controller/endpoint/endpoints_controller.go`
 * (syncService) and `pkg/api/v1/endpoints/util.go` (RepackSubsets):
 * - only Services with a selector (and not ExternalName) get an Endpoints object;
 * - pods are included as `ShouldPodBeInEndpoints(pod, publishNotReadyAddresses)`: terminating
 *   pods are left out unless the Service publishes not-ready addresses;
 * - ready pods go to `addresses`, others to `notReadyAddresses`; `publishNotReadyAddresses`
 *   puts every pod in `addresses`;
 * - each Service port resolves per pod (FindPort); a pod gets the ports that resolve, and
 *   subsets are packed as RepackSubsets does: ports served by the same addresses share a subset
 *   (a pod can be listed in several subsets);
 * - `hostname` is set when the pod's hostname is set and its subdomain is the Service name;
 * - more than 1000 addresses are truncated (ready ones kept first, proportionally per subset)
 *   and annotated `endpoints.kubernetes.io/over-capacity: truncated`;
 * - labels: the Service's, `service.kubernetes.io/headless` set for headless Services (and
 *   removed otherwise), and `endpoints.kubernetes.io/managed-by: endpoint-controller` (the label
 *   the 1.36 controller sets; older releases set `endpointslice.kubernetes.io/skip-mirror`).
 * Ordering is deterministic (addresses by IP, ports by name) rather than upstream's hash order.
 */
import { EndpointAddressInfo, EndpointPortInfo, EndpointsInfo, EndpointSubsetInfo, ObjectRef, PodInfo, ServiceInfo } from '../model';
import { findPort } from './find-port';

/** Upstream `maxCapacity`. */
export const ENDPOINTS_MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/** Whether the Endpoints controller manages this Service. */
export function managesEndpoints(svc: ServiceInfo): boolean {
  return svc.selector !== undefined && svc.type !== 'ExternalName';
}

/** Labels of controller-managed Endpoints/EndpointSlices copied from the Service. */
export function headlessLabel(svc: ServiceInfo): Record<string, string> {
  return svc.headless ? { 'service.kubernetes.io/headless': '' } : {};
}

/** `endpoints.kubernetes.io/managed-by` value of the upstream Endpoints controller. */
export const ENDPOINTS_MANAGED_BY = 'endpoint-controller';

/** Upstream syncService: the Service's labels, the headless label as the Service is, and the managed-by label. */
export function endpointsLabels(svc: ServiceInfo, serviceLabels: Readonly<Record<string, string>>): Record<string, string> {
  // Copied key by key, leaving the headless label out, rather than spread and `delete`d: a
  // deleted property turns the object into a slow dictionary, once per Service sync.
  const out: Record<string, string> = {};
  for (const k in serviceLabels) {
    if (k !== 'service.kubernetes.io/headless') out[k] = serviceLabels[k];
    else if (svc.headless) out[k] = '';
  }
  if (svc.headless) out['service.kubernetes.io/headless'] = '';
  out['endpoints.kubernetes.io/managed-by'] = ENDPOINTS_MANAGED_BY;
  return out;
}

/** Upstream `ShouldSetHostname`. */
export function hostnameFor(pod: PodInfo, svc: ServiceInfo): string | undefined {
  return pod.hostname && pod.subdomain === svc.name && pod.namespace === svc.namespace ? pod.hostname : undefined;
}

/** Resolve the Service's ports for one pod (ports whose named targetPort doesn't resolve are left out). */
export function resolvePorts(svc: ServiceInfo, pod: PodInfo): EndpointPortInfo[] {
  const out: EndpointPortInfo[] = [];
  for (const sp of svc.ports) {
    const port = findPort(pod.containerPorts, sp.targetPort, sp.protocol);
    if (port === undefined) continue;
    out.push(sp.appProtocol !== undefined
      ? { name: sp.name, port, protocol: sp.protocol, appProtocol: sp.appProtocol }
      : { name: sp.name, port, protocol: sp.protocol });
  }
  return out;
}

/** A pod's resolved Service ports, kept for the next pod with the same container ports. */
export interface ResolvedPorts {
  readonly containerPorts: PodInfo['containerPorts'];
  readonly ports: EndpointPortInfo[];
  readonly key: string;
}

/** A stable key for a port set (order-insensitive). */
export function portSetKey(ports: readonly EndpointPortInfo[]): string {
  const parts = ports.map((p) => `${p.name}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}`);
  parts.sort();
  return parts.join('\u0001');
}

/** Addresses that share one port list. */
interface AddressGroup {
  readonly ports: EndpointPortInfo[];
  readonly ready: EndpointAddressInfo[];
  readonly notReady: EndpointAddressInfo[];
}

/**
 * Upstream `RepackSubsets` (`pkg/api/v1/endpoints/util.go`): every port maps to the addresses
 * that offer it, and ports offered by exactly the same addresses share a subset, so a pod with
 * ports {http, metrics} next to pods with only {http} is listed twice: with every pod under
 * `http`, and alone under `metrics`. `groups` partition the pods by their resolved port set, so
 * a port's addresses are the union of the groups that have it, and two ports share a subset
 * exactly when the same groups have them.
 */
function repack(groups: readonly AddressGroup[]): AddressGroup[] {
  if (groups.length < 2) return [...groups];
  const byPort = new Map<string, { port: EndpointPortInfo; groups: number[] }>();
  groups.forEach((g, i) => {
    for (const p of g.ports) {
      const k = portSetKey([p]);
      let e = byPort.get(k);
      if (!e) byPort.set(k, (e = { port: p, groups: [] }));
      e.groups.push(i);
    }
  });
  const bySet = new Map<string, { ports: EndpointPortInfo[]; groups: number[] }>();
  for (const e of byPort.values()) {
    const k = e.groups.join(',');
    let s = bySet.get(k);
    if (!s) bySet.set(k, (s = { ports: [], groups: e.groups }));
    s.ports.push(e.port);
  }
  return [...bySet.values()].map((s) => ({
    ports: sortPorts(s.ports),
    ready: s.groups.flatMap((i) => groups[i].ready),
    notReady: s.groups.flatMap((i) => groups[i].notReady),
  }));
}

/** A pod as the `targetRef` of an endpoint. */
export function podRef(pod: PodInfo): ObjectRef {
  return { kind: 'Pod', namespace: pod.namespace, name: pod.name };
}

/**
 * Compute the Endpoints object for a Service and the pods its selector matches. `refs[i]`, when
 * given, is `pods[i]`'s targetRef (shared with its EndpointSlice endpoint: one object per pod).
 */
export function computeEndpoints(svc: ServiceInfo, labels: Readonly<Record<string, string>>, pods: readonly PodInfo[], refs?: readonly ObjectRef[]): EndpointsInfo {
  const groups = new Map<string, AddressGroup>();
  // Numeric targetPorts resolve the same for every pod, named ones the same for pods sharing
  // their container ports (a workload's pods share one list): resolve and key them once.
  const allNumeric = svc.ports.every((p) => typeof p.targetPort === 'number');
  let last: ResolvedPorts | undefined;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    if (!pod.ip) continue;
    if (pod.terminating && !svc.publishNotReadyAddresses) continue;
    if (!last || (!allNumeric && last.containerPorts !== pod.containerPorts)) {
      const resolved = sortPorts(resolvePorts(svc, pod));
      last = { containerPorts: pod.containerPorts, ports: resolved, key: portSetKey(resolved) };
    }
    const ports = last.ports;
    const key = last.key;
    if (svc.ports.length > 0 && ports.length === 0) continue; // no port of this pod serves the Service
    let g = groups.get(key);
    if (!g) { g = { ports, ready: [], notReady: [] }; groups.set(key, g); }
    const hostname = hostnameFor(pod, svc);
    const targetRef = refs?.[i] ?? podRef(pod);
    // One literal shape per branch (no spread: it takes V8's slow path).
    const addr: EndpointAddressInfo = hostname
      ? { ip: pod.ip, hostname, nodeName: pod.nodeName, targetRef }
      : { ip: pod.ip, nodeName: pod.nodeName, targetRef };
    // tolerateUnreadyEndpoints: publishNotReadyAddresses puts all in addresses.
    if (svc.publishNotReadyAddresses || pod.ready) g.ready.push(addr);
    else g.notReady.push(addr);
  }
  const toSubset = (g: AddressGroup): EndpointSubsetInfo => ({ addresses: g.ready.sort(byIP), notReadyAddresses: g.notReady.sort(byIP), ports: g.ports });
  // One port set (the usual case): nothing to repack or order.
  const subsets: EndpointSubsetInfo[] = groups.size === 1
    ? [toSubset(groups.values().next().value as AddressGroup)]
    : repack([...groups.values()])
      .map((g) => ({ key: portSetKey(g.ports), g }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ g }) => toSubset(g));
  const annotations: Record<string, string> = {};
  const truncated = truncate(subsets);
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  return {
    namespace: svc.namespace,
    name: svc.name,
    subsets: truncated ?? subsets,
    labels: endpointsLabels(svc, labels),
    annotations,
  };
}

function byIP(a: EndpointAddressInfo, b: EndpointAddressInfo): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
}

function sortPorts(ports: EndpointPortInfo[]): EndpointPortInfo[] {
  return ports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port));
}

/**
 * Upstream `truncateEndpoints`: keep at most 1000 addresses. When ready addresses alone exceed
 * the cap, not-ready ones are dropped and ready ones cut; otherwise not-ready ones are cut.
 * Each subset keeps `ceil(share * room)`, bounded by what is left.
 */
function truncate(subsets: EndpointSubsetInfo[]): EndpointSubsetInfo[] | undefined {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) { totalReady += s.addresses.length; totalNotReady += s.notReadyAddresses.length; }
  if (totalReady + totalNotReady <= ENDPOINTS_MAX_CAPACITY) return undefined;
  const cutReady = totalReady > ENDPOINTS_MAX_CAPACITY;
  const room = cutReady ? ENDPOINTS_MAX_CAPACITY : ENDPOINTS_MAX_CAPACITY - totalReady;
  const total = cutReady ? totalReady : totalNotReady;
  let left = room;
  return subsets.map((s) => {
    const n = cutReady ? s.addresses.length : s.notReadyAddresses.length;
    const keep = Math.min(Math.ceil((n / total) * room), left);
    left -= keep;
    return cutReady
      ? { ...s, addresses: s.addresses.slice(0, keep), notReadyAddresses: [] }
      : { ...s, notReadyAddresses: s.notReadyAddresses.slice(0, keep) };
  });
}

/**
 * `netkit verify --live`: compare what the runtime predicts for a set of manifests with what a
 * real cluster made of them: Services, v1 Endpoints and EndpointSlices. Pure: the live objects
 * come in as JSON, the prediction as the engine's state.
 *
 * What is normalized away, because a real cluster decides it and the runtime cannot know it:
 * - allocated addresses: ClusterIPs, NodePorts, health-check node ports and LoadBalancer
 *   ingress are compared only when the manifest sets them;
 * - pod names and IPs: endpoints are identified by the pod their `targetRef` names. Pods with
 *   stable names (StatefulSet, bare Pods) pair by name; pods with generated names (Deployment,
 *   ReplicaSet, DaemonSet) pair within their workload, preferring a live pod on the same node;
 * - which pod the scheduler puts on which node: kube-scheduler breaks ties at random, so the
 *   runtime's placement is compared per workload as a spread (sorted pod counts per node and per
 *   zone, a `placement` difference), and each endpoint's nodeName and zone are compared with the
 *   node its live pod runs on (the zone from the simulated profile, which verify builds from the
 *   live Nodes);
 * - EndpointSlice names (generated suffixes): slices are grouped per Service by address type and
 *   port set, and the endpoints of each group are compared as a set, plus the number of slices;
 * - the ownership labels `netkit apply` adds (the controllers copy Service labels onto
 *   Endpoints and EndpointSlices), and live-only bookkeeping such as
 *   `endpoints.kubernetes.io/last-change-trigger-time`.
 *
 * Everything else the runtime predicts is compared: Service spec fields with the API server's
 * defaults applied, Endpoints subsets (addresses vs notReadyAddresses, hostname, nodeName), slice
 * endpoints (conditions ready/serving/terminating, hostname, nodeName, zone, zone hints) and the
 * labels the controllers put on Endpoints and slices.
 */
import type { EndpointInfo, EndpointPortInfo, EndpointSliceInfo, EndpointsInfo, NodeInfo, PodInfo, ServiceInfo } from '../engine/model';
import type { ManifestObject } from '../manifest/objects';
import { arr, canon, obj, str, type Json } from './json';
import { OWNERSHIP_LABELS } from './ownership';
import type { KubeObject } from './types';

/** The live objects of the namespaces involved. */
export interface LiveState {
  readonly services: readonly KubeObject[];
  readonly endpoints: readonly KubeObject[];
  readonly endpointSlices: readonly KubeObject[];
  readonly pods: readonly KubeObject[];
}

/** The parts of the engine's state the comparison reads (a built `Cluster` has them all). */
export interface SimulatedState {
  readonly services: ReadonlyMap<string, ServiceInfo>;
  readonly pods: ReadonlyMap<string, PodInfo>;
  readonly endpointSlices: ReadonlyMap<string, readonly EndpointSliceInfo[]>;
  readonly endpoints: ReadonlyMap<string, EndpointsInfo>;
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** The loaded manifests by `Kind/namespace/name` (to know which fields were set explicitly). */
  readonly objects: ReadonlyMap<string, ManifestObject>;
}

/** One difference between prediction and cluster. */
export interface Difference {
  /** The object: `Service web/web`, `Endpoints web/web`, `EndpointSlices of Service web/web [IPv4 http/TCP/8080]`. */
  readonly object: string;
  /** The field or element: `spec.ports[0].targetPort`, `endpoint pod web/web-0: conditions.ready`. */
  readonly field: string;
  /** What the runtime predicts (`null` when it predicts nothing there). */
  readonly expected: unknown;
  /** What the cluster has (`null` when nothing). */
  readonly live: unknown;
  /** `service` for Service fields, `placement` for how a workload's pods spread over nodes and zones (kube-scheduler's choice), else `controller`. */
  readonly kind: 'service' | 'controller' | 'placement';
}

/** Options of {@link compareLive}. */
export interface CompareOptions {
  /** Leave out how a workload's pods are spread over nodes (kube-scheduler's choice, not the endpoint controllers'). @default false */
  readonly ignorePlacement?: boolean;
  /** Compare only the objects and workloads of this namespace (`netkit verify -n`). */
  readonly namespace?: string;
}

/** What {@link compareLive} returns. */
export interface Comparison {
  readonly differences: Difference[];
  /** How many objects of each sort were compared. */
  readonly compared: { readonly services: number; readonly endpoints: number; readonly endpointSliceGroups: number; readonly workloads: number };
}

const IGNORED_LABELS = new Set(OWNERSHIP_LABELS);
const IGNORED_ANNOTATIONS = new Set(['endpoints.kubernetes.io/last-change-trigger-time']);

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'default'}/${name}`;
}

function labelsWithout(labels: unknown, ignored: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(labels))) if (!ignored.has(k)) out[k] = String(v);
  return out;
}

// ---- pod identity ----

interface PodIdentity {
  /** `Kind/namespace/name` of the workload, or `Pod/namespace/name` for bare pods. */
  readonly workload: string;
  /** Stable names pair by name only. */
  readonly stable: boolean;
  readonly name: string;
  readonly nodeName: string;
  /** The pod's Ready condition (the runtime: ready ignoring termination, as a deleted pod keeps its condition). */
  readonly ready: boolean;
  /** Has a deletionTimestamp. */
  readonly terminating: boolean;
}

/** A pod's workload: a ReplicaSet named `<deployment>-<pod-template-hash>` stands for its Deployment. */
function workloadOf(namespace: string, name: string, owner: { kind: string; name: string } | undefined, templateHash: string | undefined): { workload: string; stable: boolean } {
  if (!owner) return { workload: `Pod/${namespace}/${name}`, stable: true };
  if (owner.kind === 'ReplicaSet' && templateHash && owner.name.endsWith(`-${templateHash}`)) {
    return { workload: `Deployment/${namespace}/${owner.name.slice(0, -templateHash.length - 1)}`, stable: false };
  }
  return { workload: `${owner.kind}/${namespace}/${owner.name}`, stable: owner.kind === 'StatefulSet' };
}

function enginePodIdentity(p: PodInfo): PodIdentity {
  return {
    ...workloadOf(p.namespace, p.name, p.owner, p.labels['pod-template-hash']),
    name: key(p.namespace, p.name), nodeName: p.nodeName, ready: p.serving, terminating: p.terminating,
  };
}

function livePodIdentity(p: KubeObject): PodIdentity {
  const ns = p.metadata.namespace ?? 'default';
  const owner = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
  return {
    ...workloadOf(ns, p.metadata.name, owner, p.metadata.labels?.['pod-template-hash']),
    name: key(ns, p.metadata.name),
    nodeName: str(obj(p.spec).nodeName) ?? '',
    ready: arr(obj(p.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: p.metadata.deletionTimestamp !== undefined,
  };
}

/**
 * Pair live pods with the runtime's. Stable names (StatefulSet, bare Pods) pair by name only.
 * Generated names pair within their workload: equal names first, then terminating with
 * terminating (by node and readiness, readiness, node), then the same node and readiness, then
 * the same readiness, then the same node, then in name order. Readiness comes
 * before the node so that "two of four pods unready" compares as such although the names are
 * random: the runtime's unready pods stand for the cluster's (where they run is compared apart,
 * as placement). Returns live -> engine `namespace/name`.
 */
export function pairPods(engine: Iterable<PodInfo>, live: readonly KubeObject[]): Map<string, string> {
  const byWorkload = new Map<string, { e: PodIdentity[]; l: PodIdentity[] }>();
  const slot = (w: string) => {
    let s = byWorkload.get(w);
    if (!s) byWorkload.set(w, (s = { e: [], l: [] }));
    return s;
  };
  for (const p of engine) { const id = enginePodIdentity(p); slot(id.workload).e.push(id); }
  for (const p of live) { const id = livePodIdentity(p); slot(id.workload).l.push(id); }
  const out = new Map<string, string>();
  for (const { e, l } of byWorkload.values()) {
    e.sort((a, b) => a.name.localeCompare(b.name));
    l.sort((a, b) => a.name.localeCompare(b.name));
    const freeE = new Set(e);
    const pass = (match: (live: PodIdentity, engine: PodIdentity) => boolean): void => {
      for (const le of l) {
        if (out.has(le.name)) continue;
        const ee = e.find((x) => freeE.has(x) && match(le, x));
        if (ee) { out.set(le.name, ee.name); freeE.delete(ee); }
      }
    };
    pass((a, b) => a.name === b.name);
    if (l.some((x) => x.stable) || e.some((x) => x.stable)) continue;
    // A terminating pod stands for a terminating pod first: ReplicaSets replace it at once, so a
    // workload then has pods of both kinds.
    pass((a, b) => a.terminating === b.terminating && a.nodeName === b.nodeName && a.ready === b.ready);
    pass((a, b) => a.terminating === b.terminating && a.ready === b.ready);
    pass((a, b) => a.terminating === b.terminating && a.nodeName === b.nodeName);
    pass((a, b) => a.terminating === b.terminating);
    pass((a, b) => a.nodeName === b.nodeName && a.ready === b.ready);
    pass((a, b) => a.ready === b.ready);
    pass((a, b) => a.nodeName === b.nodeName);
    pass(() => true);
  }
  return out;
}

// ---- endpoints, normalized ----

/** How the live pods relate to the runtime's. */
interface PodMap {
  /** live pod `namespace/name` -> the runtime's pod it pairs with. */
  readonly liveToEngine: ReadonlyMap<string, string>;
  /** the runtime's pod -> where its live pod runs, when the scheduler placed it elsewhere. */
  readonly moved: ReadonlyMap<string, { readonly nodeName: string; readonly zone: string }>;
}

/** One endpoint (slice endpoint or Endpoints address), normalized. */
interface NormEndpoint {
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

function liveEndpointId(targetRef: Json | undefined, address: string | undefined, pods: PodMap): string {
  if (targetRef && targetRef.kind === 'Pod' && typeof targetRef.name === 'string') {
    const live = key(str(targetRef.namespace), targetRef.name);
    const mapped = pods.liveToEngine.get(live);
    return mapped ? `pod ${mapped}` : `pod ${live} (live name, no predicted pod pairs with it)`;
  }
  return `address ${address ?? '?'}`;
}

/** The runtime's endpoint identity, and its node and zone (those of the live pod when it was placed elsewhere). */
function engineEndpoint(targetRef: { kind: string; namespace?: string; name: string } | undefined, address: string, nodeName: string | undefined, zone: string | undefined, pods: PodMap): { id: string; nodeName: string | null; zone: string | null } {
  if (targetRef && targetRef.kind === 'Pod') {
    const k = key(targetRef.namespace, targetRef.name);
    const moved = pods.moved.get(k);
    return { id: `pod ${k}`, nodeName: moved?.nodeName ?? (nodeName || null), zone: moved ? moved.zone || null : zone || null };
  }
  return { id: `address ${address}`, nodeName: nodeName || null, zone: zone || null };
}

/**
 * A port set as one key, `name/protocol/port[/appProtocol]` per port, sorted: the endpoint
 * controllers keep one group of slices (and the Endpoints controller one subset) per port set.
 */
export function portKey(ports: readonly Json[]): string {
  return ports.map((p) => `${str(p.name) ?? ''}/${str(p.protocol) ?? 'TCP'}/${String(p.port ?? '')}${p.appProtocol !== undefined ? `/${String(p.appProtocol)}` : ''}`).sort().join(' ');
}

function enginePortsJson(ports: readonly EndpointPortInfo[]): Json[] {
  return ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port, ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }));
}

function engineSliceEndpoint(e: EndpointInfo, pods: PodMap): NormEndpoint {
  const at = engineEndpoint(e.targetRef, e.addresses[0], e.nodeName, e.zone, pods);
  return {
    id: at.id,
    fields: {
      'conditions.ready': e.conditions.ready, 'conditions.serving': e.conditions.serving, 'conditions.terminating': e.conditions.terminating,
      hostname: e.hostname ?? null, nodeName: at.nodeName, zone: at.zone, 'hints.forZones': e.forZones ? [...e.forZones].sort() : null,
    },
  };
}

/**
 * A live slice endpoint's conditions with discovery/v1's reading of unset ones: a nil `ready`
 * means ready (the API documents it for consumers); serving defaults to ready, terminating to false.
 */
export function sliceEndpointConditions(conditions: unknown): EndpointInfo['conditions'] {
  const c = obj(conditions);
  return { ready: c.ready !== false, serving: c.serving === undefined ? c.ready !== false : c.serving === true, terminating: c.terminating === true };
}

function liveSliceEndpoint(e: Json, pods: PodMap): NormEndpoint {
  const c = sliceEndpointConditions(e.conditions);
  const hints = arr(obj(e.hints).forZones).map((z) => String(z.name)).sort();
  return {
    id: liveEndpointId(e.targetRef ? obj(e.targetRef) : undefined, str((e.addresses as unknown[] | undefined)?.[0]), pods),
    fields: {
      'conditions.ready': c.ready,
      'conditions.serving': c.serving,
      'conditions.terminating': c.terminating,
      hostname: str(e.hostname) ?? null,
      nodeName: str(e.nodeName) ?? null,
      zone: str(e.zone) ?? null,
      'hints.forZones': hints.length > 0 ? hints : null,
    },
  };
}

function engineAddress(a: { ip: string; hostname?: string; nodeName?: string; targetRef?: { kind: string; namespace?: string; name: string } }, pods: PodMap): NormEndpoint {
  const at = engineEndpoint(a.targetRef, a.ip, a.nodeName, undefined, pods);
  return { id: at.id, fields: { hostname: a.hostname ?? null, nodeName: at.nodeName } };
}

function liveAddress(a: Json, pods: PodMap): NormEndpoint {
  return {
    id: liveEndpointId(a.targetRef ? obj(a.targetRef) : undefined, str(a.ip), pods),
    fields: { hostname: str(a.hostname) ?? null, nodeName: str(a.nodeName) ?? null },
  };
}

/** Compare two endpoint sets; `prefix` names the group. */
function compareEndpointSets(object: string, prefix: string, expected: readonly NormEndpoint[], live: readonly NormEndpoint[], out: Difference[]): void {
  const e = new Map(expected.map((x) => [x.id, x]));
  const l = new Map(live.map((x) => [x.id, x]));
  const ids = [...new Set([...e.keys(), ...l.keys()])].sort();
  for (const id of ids) {
    const a = e.get(id);
    const b = l.get(id);
    if (!a || !b) {
      out.push({ object, field: `${prefix}${id}`, expected: a ? 'present' : null, live: b ? 'present' : null, kind: 'controller' });
      continue;
    }
    for (const f of Object.keys(a.fields)) {
      if (canon(a.fields[f]) !== canon(b.fields[f])) out.push({ object, field: `${prefix}${id}: ${f}`, expected: a.fields[f], live: b.fields[f], kind: 'controller' });
    }
  }
}

// ---- placement ----

/** Pod counts per node and per zone, largest first: the shape of a spread, whichever nodes it uses. */
function spread(nodes: readonly string[], zoneOf: (node: string) => string): { readonly nodes: number[]; readonly zones: number[] } {
  const counts = (keys: readonly string[]): number[] => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.values()].sort((a, b) => b - a);
  };
  return { nodes: counts(nodes), zones: counts(nodes.map(zoneOf)) };
}

/**
 * How each workload's pods are spread, runtime vs live: pods per node and per zone as sorted
 * counts. kube-scheduler breaks ties between equal nodes at random, so which node gets a pod is
 * not predictable; how evenly they spread is (PodTopologySpread's system defaults). Returns
 * the number of workloads compared.
 */
function comparePlacement(state: SimulatedState, livePods: readonly KubeObject[], out: Difference[], namespace: string | undefined): number {
  const zoneOf = (n: string): string => state.nodes.get(n)?.zone || '(no zone)';
  const e = new Map<string, string[]>();
  const l = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, id: PodIdentity): void => { m.set(id.workload, [...(m.get(id.workload) ?? []), id.nodeName || '(unscheduled)']); };
  // Terminating pods are left out on both sides: they are on their way out, and the scheduler's
  // spreading does not count them either (PodTopologySpread's countPodsMatchSelector skips pods
  // with a deletionTimestamp, pkg/scheduler/framework/plugins/podtopologyspread/common.go).
  for (const p of state.pods.values()) { const id = enginePodIdentity(p); if (!id.terminating) add(e, id); }
  for (const p of livePods) { const id = livePodIdentity(p); if (!id.terminating) add(l, id); }
  const workloads = [...e.keys()].filter((w) => !w.startsWith('Pod/') && (namespace === undefined || w.split('/')[1] === namespace)).sort();
  for (const w of workloads) {
    const [kind, ns, name] = w.split('/');
    const want = spread(e.get(w) ?? [], zoneOf);
    const got = spread(l.get(w) ?? [], zoneOf);
    if (canon(want.nodes) !== canon(got.nodes)) out.push({ object: `${kind} ${ns}/${name}`, field: 'pods per node', expected: want.nodes, live: got.nodes, kind: 'placement' });
    if (canon(want.zones) !== canon(got.zones)) out.push({ object: `${kind} ${ns}/${name}`, field: 'pods per zone', expected: want.zones, live: got.zones, kind: 'placement' });
  }
  return workloads.length;
}

// ---- Services ----

/** A selector map, or null when absent or empty (a Service with an empty selector has none). */
function nonEmpty(selector: unknown): Json | null {
  return Object.keys(obj(selector)).length > 0 ? obj(selector) : null;
}

function rawSpec(state: SimulatedState, svc: ServiceInfo): Json {
  const o = state.objects.get(`Service/${svc.namespace}/${svc.name}`);
  return obj(obj(o?.raw).spec);
}

function compareService(state: SimulatedState, svc: ServiceInfo, live: KubeObject, out: Difference[]): void {
  const object = `Service ${svc.namespace}/${svc.name}`;
  const spec = obj(live.spec);
  const raw = rawSpec(state, svc);
  const diff = (field: string, expected: unknown, actual: unknown): void => {
    if (canon(expected) !== canon(actual)) out.push({ object, field, expected, live: actual ?? null, kind: 'service' });
  };
  diff('spec.type', svc.type, spec.type ?? 'ClusterIP');
  if (typeof raw.clusterIP === 'string' && raw.clusterIP !== '') diff('spec.clusterIP', raw.clusterIP, spec.clusterIP);
  else if (svc.type !== 'ExternalName') diff('spec.clusterIP (headless)', svc.headless ? 'None' : 'allocated', spec.clusterIP === 'None' ? 'None' : spec.clusterIP ? 'allocated' : null);
  // The runtime's model keeps no selector for an ExternalName Service (the endpoint controllers
  // skip that type), but the API server stores the one the manifest gives: expect that one.
  const selector = svc.type === 'ExternalName' ? nonEmpty(raw.selector) : svc.selector ?? null;
  diff('spec.selector', selector, nonEmpty(spec.selector));
  if (svc.ipFamilies) {
    // Dual-stack and IPv6 clusters (initIPFamilyFields): the filled families and policy, and one
    // ClusterIP per family in that order (the addresses themselves are the allocator's choice).
    diff('spec.ipFamilyPolicy', svc.ipFamilyPolicy ?? null, spec.ipFamilyPolicy ?? null);
    diff('spec.ipFamilies', [...svc.ipFamilies], Array.isArray(spec.ipFamilies) ? spec.ipFamilies : null);
    const familyOf = (ip: unknown): string => (typeof ip === 'string' && ip.includes(':') ? 'IPv6' : 'IPv4');
    const liveIPs = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs : []).filter((ip) => ip !== 'None');
    diff('spec.clusterIPs (families)', svc.clusterIPs.map(familyOf), liveIPs.map(familyOf));
  }
  if (svc.type === 'ExternalName') diff('spec.externalName', svc.externalName ?? null, spec.externalName ?? null);
  const livePorts = arr(spec.ports);
  const rawPorts = arr(raw.ports);
  if (livePorts.length !== svc.ports.length) diff('spec.ports (count)', svc.ports.length, livePorts.length);
  svc.ports.forEach((p, i) => {
    const lp = livePorts[i];
    if (!lp) return;
    const at = `spec.ports[${i}]`;
    diff(`${at}.name`, p.name, lp.name ?? '');
    diff(`${at}.port`, p.port, lp.port);
    diff(`${at}.protocol`, p.protocol, lp.protocol ?? 'TCP');
    // ExternalName Services keep targetPort as given; the API server defaults it to port otherwise.
    if (svc.type !== 'ExternalName') diff(`${at}.targetPort`, p.targetPort, lp.targetPort ?? lp.port);
    diff(`${at}.appProtocol`, p.appProtocol ?? null, lp.appProtocol ?? null);
    if (rawPorts[i]?.nodePort !== undefined) diff(`${at}.nodePort`, rawPorts[i].nodePort, lp.nodePort ?? null);
  });
  diff('spec.externalIPs', [...svc.externalIPs].sort(), [...((spec.externalIPs as string[] | undefined) ?? [])].sort());
  diff('spec.loadBalancerSourceRanges', [...svc.loadBalancerSourceRanges].sort(), [...((spec.loadBalancerSourceRanges as string[] | undefined) ?? [])].sort());
  diff('spec.sessionAffinity', svc.sessionAffinity, spec.sessionAffinity ?? 'None');
  if (svc.sessionAffinity === 'ClientIP') {
    diff('spec.sessionAffinityConfig.clientIP.timeoutSeconds', svc.sessionAffinityTimeoutSeconds ?? 10800, obj(obj(spec.sessionAffinityConfig).clientIP).timeoutSeconds ?? null);
  }
  if (svc.type !== 'ExternalName') {
    // The API server sets these only where they apply; unset means Cluster.
    diff('spec.externalTrafficPolicy', svc.externalTrafficPolicy, spec.externalTrafficPolicy ?? 'Cluster');
    diff('spec.internalTrafficPolicy', svc.internalTrafficPolicy, spec.internalTrafficPolicy ?? 'Cluster');
  }
  if (raw.healthCheckNodePort !== undefined) diff('spec.healthCheckNodePort', raw.healthCheckNodePort, spec.healthCheckNodePort ?? null);
  diff('spec.publishNotReadyAddresses', svc.publishNotReadyAddresses, spec.publishNotReadyAddresses === true);
  diff('spec.trafficDistribution', svc.trafficDistribution ?? null, spec.trafficDistribution ?? null);
}

// ---- Endpoints (v1) ----

function compareEndpoints(object: string, expected: EndpointsInfo | undefined, live: KubeObject | undefined, pods: PodMap, out: Difference[]): void {
  if (!expected && !live) return;
  if (!expected || !live) {
    out.push({ object, field: '(object)', expected: expected ? 'present' : null, live: live ? 'present' : null, kind: 'controller' });
    return;
  }
  const labelsE = labelsWithout(expected.labels, IGNORED_LABELS);
  const labelsL = labelsWithout(live.metadata.labels, IGNORED_LABELS);
  if (canon(labelsE) !== canon(labelsL)) out.push({ object, field: 'metadata.labels', expected: labelsE, live: labelsL, kind: 'controller' });
  const annE = labelsWithout(expected.annotations, IGNORED_ANNOTATIONS);
  const annL = labelsWithout(live.metadata.annotations, IGNORED_ANNOTATIONS);
  if (canon(annE) !== canon(annL)) out.push({ object, field: 'metadata.annotations', expected: annE, live: annL, kind: 'controller' });

  type Group = { ready: NormEndpoint[]; notReady: NormEndpoint[] };
  const group = (m: Map<string, Group>, k: string): Group => {
    let g = m.get(k);
    if (!g) m.set(k, (g = { ready: [], notReady: [] }));
    return g;
  };
  const eg = new Map<string, Group>();
  for (const s of expected.subsets) {
    const g = group(eg, portKey(enginePortsJson(s.ports)));
    g.ready.push(...s.addresses.map((a) => engineAddress(a, pods)));
    g.notReady.push(...s.notReadyAddresses.map((a) => engineAddress(a, pods)));
  }
  const lg = new Map<string, Group>();
  for (const s of arr(live.subsets)) {
    const g = group(lg, portKey(arr(s.ports)));
    g.ready.push(...arr(s.addresses).map((a) => liveAddress(a, pods)));
    g.notReady.push(...arr(s.notReadyAddresses).map((a) => liveAddress(a, pods)));
  }
  for (const k of [...new Set([...eg.keys(), ...lg.keys()])].sort()) {
    const a = eg.get(k) ?? { ready: [], notReady: [] };
    const b = lg.get(k) ?? { ready: [], notReady: [] };
    const where = `subsets[ports ${k || '(none)'}]`;
    compareEndpointSets(object, `${where}.addresses: `, a.ready, b.ready, out);
    compareEndpointSets(object, `${where}.notReadyAddresses: `, a.notReady, b.notReady, out);
  }
}

// ---- EndpointSlices ----

interface SliceGroup {
  slices: number;
  endpoints: NormEndpoint[];
  labels: Record<string, string>[];
}

function compareSlices(svc: ServiceInfo, expected: readonly EndpointSliceInfo[], live: readonly KubeObject[], pods: PodMap, out: Difference[]): number {
  const base = `EndpointSlices of Service ${svc.namespace}/${svc.name}`;
  const slot = (m: Map<string, SliceGroup>, k: string): SliceGroup => {
    let g = m.get(k);
    if (!g) m.set(k, (g = { slices: 0, endpoints: [], labels: [] }));
    return g;
  };
  const eg = new Map<string, SliceGroup>();
  for (const s of expected) {
    const g = slot(eg, `${s.addressType} ${portKey(enginePortsJson(s.ports))}`);
    g.slices++;
    g.endpoints.push(...s.endpoints.map((e) => engineSliceEndpoint(e, pods)));
    g.labels.push(labelsWithout(s.labels, IGNORED_LABELS));
  }
  const lg = new Map<string, SliceGroup>();
  for (const s of live) {
    const g = slot(lg, `${String(s.addressType)} ${portKey(arr(s.ports))}`);
    g.slices++;
    g.endpoints.push(...arr(s.endpoints).map((e) => liveSliceEndpoint(e, pods)));
    g.labels.push(labelsWithout(s.metadata.labels, IGNORED_LABELS));
  }
  const keys = [...new Set([...eg.keys(), ...lg.keys()])].sort();
  for (const k of keys) {
    const object = `${base} [${k.trim() || 'no ports'}]`;
    const a = eg.get(k);
    const b = lg.get(k);
    if (!a || !b) {
      out.push({ object, field: '(slices)', expected: a ? `${a.slices} slice(s), ${a.endpoints.length} endpoint(s)` : null, live: b ? `${b.slices} slice(s), ${b.endpoints.length} endpoint(s)` : null, kind: 'controller' });
      continue;
    }
    if (a.slices !== b.slices) out.push({ object, field: 'number of slices', expected: a.slices, live: b.slices, kind: 'controller' });
    const want = a.labels[0] ?? {};
    const bad = b.labels.find((l) => canon(l) !== canon(want));
    if (bad) out.push({ object, field: 'metadata.labels', expected: want, live: bad, kind: 'controller' });
    compareEndpointSets(object, 'endpoint ', a.endpoints, b.endpoints, out);
  }
  return keys.length;
}

/** Pair the pods and note the runtime's pods whose live pod runs on another node. */
function podMap(state: SimulatedState, livePods: readonly KubeObject[]): PodMap {
  const liveToEngine = pairPods(state.pods.values(), livePods);
  const liveNode = new Map(livePods.map((p) => [key(p.metadata.namespace, p.metadata.name), str(obj(p.spec).nodeName) ?? '']));
  const moved = new Map<string, { nodeName: string; zone: string }>();
  for (const [l, e] of liveToEngine) {
    const nodeName = liveNode.get(l) ?? '';
    const pod = state.pods.get(e);
    if (pod && nodeName !== pod.nodeName) moved.set(e, { nodeName, zone: state.nodes.get(nodeName)?.zone ?? '' });
  }
  return { liveToEngine, moved };
}

/** Compare the prediction with the live objects of the same namespaces. */
export function compareLive(state: SimulatedState, live: LiveState, options: CompareOptions = {}): Comparison {
  const out: Difference[] = [];
  const liveServices = new Map(live.services.map((s) => [key(s.metadata.namespace, s.metadata.name), s]));
  const liveEndpoints = new Map(live.endpoints.map((s) => [key(s.metadata.namespace, s.metadata.name), s]));
  const liveSlices = new Map<string, KubeObject[]>();
  for (const s of live.endpointSlices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = key(s.metadata.namespace, svc);
    liveSlices.set(k, [...(liveSlices.get(k) ?? []), s]);
  }
  const pods = podMap(state, live.pods);
  let services = 0;
  let endpoints = 0;
  let groups = 0;
  for (const k of [...state.services.keys()].sort()) {
    // Services no manifest wrote (kube-apiserver's default/kubernetes) are the cluster's own, not a prediction.
    if (!state.objects.has(`Service/${k}`)) continue;
    const svc = state.services.get(k) as ServiceInfo;
    if (options.namespace !== undefined && svc.namespace !== options.namespace) continue;
    const ls = liveServices.get(k);
    services++;
    if (!ls) {
      out.push({ object: `Service ${k}`, field: '(object)', expected: 'present', live: null, kind: 'service' });
      continue;
    }
    compareService(state, svc, ls, out);
    const ee = state.endpoints.get(k);
    const le = liveEndpoints.get(k);
    if (ee || le) endpoints++;
    compareEndpoints(`Endpoints ${k}`, ee, le, pods, out);
    groups += compareSlices(svc, state.endpointSlices.get(k) ?? [], liveSlices.get(k) ?? [], pods, out);
  }
  const workloads = options.ignorePlacement ? 0 : comparePlacement(state, live.pods, out, options.namespace);
  return { differences: out, compared: { services, endpoints, endpointSliceGroups: groups, workloads } };
}

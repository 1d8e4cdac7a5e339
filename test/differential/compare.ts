/**
 * How the differential suite holds the engine against a real control plane. The object-level
 * comparison is `lib/apply/compare.ts` (`netkit verify --live`): Services, Endpoints subsets and
 * EndpointSlice groups with generated names and pod names normalized. This module adds what a
 * test needs beyond what a user's `verify` does:
 *
 * - **predict**: the engine built from the scenario's manifests (and the same changes through
 *   `Cluster.apply`) against the live objects. Which node a pod lands on and which IP it gets are
 *   kube-scheduler's and KWOK's choices: pods-per-node is left out here (compareLive still checks
 *   each endpoint's node and zone against its live pod), and so are zone hints, which follow the
 *   pod's zone; when Endpoints are truncated, *which* 1000 addresses are kept follows the pod
 *   IPs, so only the counts per subset are compared.
 * - **replay**: the engine fed the live pods themselves (as bare Pods with their node, IP,
 *   Ready condition and deletionTimestamp) plus the scenario's Services and hand-written
 *   endpoints. Inputs are then identical, so everything is compared exactly: pod IPs, nodeName,
 *   zone, zone hints, hostnames, which addresses a truncated Endpoints keeps.
 * - **slice shape**: the number and sizes of slices per port set. Upstream packs endpoints as
 *   they arrive (`staging/src/k8s.io/endpointslice/reconciler.go`), so after endpoints were
 *   added or removed the split depends on the order and batching the controller saw; the shape
 *   is compared only while the history is the same as one build (see `Checkpoint.freshSlices`).
 * - **reconciler replay**: after a step that only removed endpoints or changed them in place,
 *   the engine's reconciler (`reconcileSlices`) is run on the *live* slices from before the step
 *   and must give exactly the live slices after it: same names, same endpoints in each.
 */
import { compareLive, pairPods, portKey, sliceEndpointConditions, type Comparison, type Difference, type LiveState, type SimulatedState } from '../../lib/apply/compare';
import { arr, canon, obj, type Json } from '../../lib/apply/json';
import { profileFromNodes } from '../../lib/apply/live';
import type { KubeObject } from '../../lib/apply/types';
import { Cluster } from '../../lib/engine/cluster';
import { OVER_CAPACITY_ANNOTATION } from '../../lib/engine/controllers/endpoints';
import { desiredEndpoints, hintsMode, sliceLabels } from '../../lib/engine/controllers/endpointslice';
import { reconcileSlices } from '../../lib/engine/controllers/endpointslice-reconciler';
import { matchesMap } from '../../lib/engine/controllers/label-selector';
import { podsOfFamily, serviceFamilies } from '../../lib/engine/ip-families';
import { cidrContains, parseIPv4Cidr as parseCIDR, parseIPv4 } from '../../lib/k8s/ip';
import type { EndpointInfo, EndpointSliceInfo, EndpointsInfo, PodInfo, Protocol } from '../../lib/engine/model';
import { kubernetesServiceManifest } from '../../lib/engine/controllers/kubernetes-service';
import { endpointSliceToJSON, endpointsToJSON } from '../../lib/engine/serialize';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';

/** Everything read from the cluster at one checkpoint. */
export interface LiveSnapshot extends LiveState {
  readonly nodes: readonly KubeObject[];
}

/** The kinds the replay takes from the scenario's manifests (workloads and pods come from the cluster). */
const REPLAY_KINDS = new Set(['Service', 'Endpoints', 'EndpointSlice', 'Namespace']);

// ---------------------------------------------------------------- live pods as manifests

/**
 * A live pod as a bare Pod manifest the engine accepts: labels, node, hostname/subdomain, the
 * container ports, podIP, the Ready condition and deletionTimestamp. Pods without an IP are
 * left out, as both endpoint controllers skip them (`ShouldPodBeInEndpoints`).
 */
export function podManifest(p: KubeObject): JsonObject | undefined {
  const spec = obj(p.spec);
  const status = obj(p.status);
  if (typeof status.podIP !== 'string' || status.podIP === '') return undefined;
  // ShouldPodBeInEndpoints: a finished pod (Succeeded, or Failed under restartPolicy Never) is no endpoint.
  if (status.phase === 'Succeeded' && spec.restartPolicy !== 'Always') return undefined;
  if (status.phase === 'Failed' && spec.restartPolicy === 'Never') return undefined;
  const ports = (c: Json): Json => ({ name: c.name, ...(Array.isArray(c.ports) ? { ports: c.ports } : {}), ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}) });
  const ready = arr(status.conditions).find((c) => c.type === 'Ready');
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: p.metadata.name, namespace: p.metadata.namespace, labels: p.metadata.labels ?? {},
      ...(p.metadata.deletionTimestamp ? { deletionTimestamp: p.metadata.deletionTimestamp } : {}),
    },
    spec: {
      nodeName: spec.nodeName,
      ...(spec.hostname ? { hostname: spec.hostname } : {}),
      ...(spec.subdomain ? { subdomain: spec.subdomain } : {}),
      // The pod's IP is its node's: the engine must know why (the data plane serves it there).
      ...(spec.hostNetwork === true ? { hostNetwork: true } : {}),
      containers: arr(spec.containers).map(ports),
      ...(Array.isArray(spec.initContainers) ? { initContainers: arr(spec.initContainers).map(ports) } : {}),
    },
    status: { podIP: status.podIP, ...(Array.isArray(status.podIPs) ? { podIPs: status.podIPs } : {}), conditions: [{ type: 'Ready', status: ready?.status === 'True' ? 'True' : 'False' }] },
  };
}

/** Build the engine from the live pods and nodes plus the scenario's Services and hand-written endpoints. */
export function replayCluster(objects: readonly JsonObject[], live: LiveSnapshot): Cluster {
  const kept = objects.filter((o) => REPLAY_KINDS.has(String(o.kind)));
  const pods = live.pods.map(podManifest).filter((p): p is JsonObject => p !== undefined);
  const loaded = fromObjects([...kept, ...pods], '<replay>');
  if (loaded.errors.length > 0) throw new Error(`replay manifests do not load: ${loaded.errors.map(String).join('; ')}`);
  return Cluster.build(loaded.objects, profileFromNodes(live.nodes));
}

/** The live pods as the replay sees them: without owners (in the replay they are bare pods, paired by name). */
function replayPods(pods: readonly KubeObject[]): KubeObject[] {
  return pods.map((p) => ({ ...p, metadata: { ...p.metadata, ownerReferences: [] } }));
}

// ---------------------------------------------------------------- predict and replay

/**
 * The engine's Services less kube-apiserver's `default/kubernetes`: a snapshot reads the
 * scenario's namespace only (that Service is compared apart, {@link compareKubernetesService}).
 */
function withoutApiServerService<T>(services: ReadonlyMap<string, T>): Map<string, T> {
  return new Map([...services].filter(([k]) => k !== 'default/kubernetes'));
}

function replayView(c: Cluster): SimulatedState {
  return { services: c.services, pods: c.pods, endpointSlices: c.endpointSlices, endpoints: c.endpoints, nodes: c.nodes, objects: c.objects };
}

/** Differences of one mode, with what was compared. */
export interface ModeResult {
  readonly differences: Difference[];
  readonly compared: Comparison['compared'];
}

/** Endpoints keys (`ns/name`) whose Endpoints are over capacity on either side. */
function truncatedKeys(engine: ReadonlyMap<string, EndpointsInfo>, live: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const [k, e] of engine) if (e.annotations[OVER_CAPACITY_ANNOTATION] !== undefined) out.add(k);
  for (const e of live) if (e.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined) out.add(`${e.metadata.namespace}/${e.metadata.name}`);
  return out;
}

/** Ready/not-ready address counts per port set of an Endpoints object. */
function subsetCounts(subsets: readonly { ports: readonly Json[]; ready: number; notReady: number }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of subsets) out[portKey(s.ports)] = `${s.ready} ready, ${s.notReady} not ready`;
  return out;
}

function compareTruncated(key: string, e: EndpointsInfo | undefined, l: KubeObject | undefined, out: Difference[]): void {
  const object = `Endpoints ${key}`;
  const ea = e?.annotations[OVER_CAPACITY_ANNOTATION] ?? null;
  const la = l?.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] ?? null;
  if (ea !== la) out.push({ object, field: `metadata.annotations["${OVER_CAPACITY_ANNOTATION}"]`, expected: ea, live: la, kind: 'controller' });
  const ec = subsetCounts((e?.subsets ?? []).map((s) => ({ ports: s.ports.map((p) => ({ ...p } as Json)), ready: s.addresses.length, notReady: s.notReadyAddresses.length })));
  const lc = subsetCounts(arr(l?.subsets).map((s) => ({ ports: arr(s.ports), ready: arr(s.addresses).length, notReady: arr(s.notReadyAddresses).length })));
  for (const k of [...new Set([...Object.keys(ec), ...Object.keys(lc)])].sort()) {
    if (ec[k] !== lc[k]) out.push({ object, field: `subsets[ports ${k || '(none)'}] (truncated: counts)`, expected: ec[k] ?? null, live: lc[k] ?? null, kind: 'controller' });
  }
}

/**
 * The engine built from manifests against the live cluster, placement left out (see the module
 * comment). `freshSlices` false drops the slice-count comparison (history-dependent).
 */
export function comparePredicted(engine: Cluster, live: LiveSnapshot, freshSlices: boolean): ModeResult {
  const truncated = truncatedKeys(engine.endpoints, live.endpoints);
  const endpoints = new Map([...engine.endpoints].filter(([k]) => !truncated.has(k)));
  const view = { services: withoutApiServerService(engine.services), pods: engine.pods, endpointSlices: engine.endpointSlices, endpoints, nodes: engine.nodes, objects: engine.objects };
  const liveView: LiveState = { ...live, endpoints: live.endpoints.filter((e) => !truncated.has(`${e.metadata.namespace}/${e.metadata.name}`)) };
  const c = compareLive(view, liveView, { ignorePlacement: true });
  const differences = c.differences.filter((d) => !d.field.endsWith(': hints.forZones') && (freshSlices || d.field !== 'number of slices'));
  for (const k of [...truncated].sort()) {
    compareTruncated(k, engine.endpoints.get(k), live.endpoints.find((e) => `${e.metadata.namespace}/${e.metadata.name}` === k), differences);
  }
  return { differences, compared: c.compared };
}

/**
 * The engine replaying the live pods against the live cluster: exact, placement included, plus
 * every endpoint's address. `freshSlices` false drops the slice count (the replay builds in one go).
 */
export function compareReplayed(replay: Cluster, live: LiveSnapshot, freshSlices: boolean): ModeResult {
  const c = compareLive({ ...replayView(replay), services: withoutApiServerService(replay.services) }, { ...live, pods: replayPods(live.pods) });
  const differences = c.differences.filter((d) => freshSlices || d.field !== 'number of slices');
  differences.push(...compareAddresses(replay, live));
  return { differences, compared: c.compared };
}

/** Every slice endpoint's addresses, by pod, in the replay and live (compareLive identifies endpoints by pod, not by IP). */
function compareAddresses(replay: Cluster, live: LiveSnapshot): Difference[] {
  const out: Difference[] = [];
  const addr = (m: Map<string, string>, svc: string, ref: Json | undefined, addresses: unknown, type: string): void => {
    const a = Array.isArray(addresses) ? addresses.join(',') : '';
    // A dual-stack pod is in one slice per address type: the type is part of the key.
    m.set(`${svc} ${ref?.kind === 'Pod' ? `pod ${String(ref.namespace)}/${String(ref.name)}` : `address ${a}`}${type === 'IPv4' ? '' : ` (${type})`}`, a);
  };
  const e = new Map<string, string>();
  for (const [svc, slices] of replay.endpointSlices) {
    for (const s of slices) for (const ep of s.endpoints) addr(e, svc, { kind: ep.targetRef.kind, namespace: ep.targetRef.namespace, name: ep.targetRef.name }, ep.addresses, s.addressType);
  }
  const l = new Map<string, string>();
  for (const s of live.endpointSlices) {
    const svc = `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? '?'}`;
    for (const ep of arr(s.endpoints)) addr(l, svc, ep.targetRef ? obj(ep.targetRef) : undefined, ep.addresses, String(s.addressType));
  }
  for (const k of [...e.keys()].filter((x) => l.has(x)).sort()) {
    if (e.get(k) !== l.get(k)) out.push({ object: `EndpointSlices of Service ${k.split(' ')[0]}`, field: `${k.slice(k.indexOf(' ') + 1)}: addresses`, expected: e.get(k), live: l.get(k), kind: 'controller' });
  }
  return out;
}

// ---------------------------------------------------------------- slice shape

/** Per Service (`ns/name`) and port group: slice sizes, largest first. */
export type SliceShape = Map<string, number[]>;

/** The engine's slice shape, for Services that have slices. */
export function engineShape(slices: ReadonlyMap<string, readonly EndpointSliceInfo[]>): SliceShape {
  const out: SliceShape = new Map();
  for (const [svc, list] of slices) {
    for (const s of list) {
      const k = `${svc} [${s.addressType === 'IPv4' ? '' : `${s.addressType} `}${portKey(s.ports.map((p) => ({ ...p } as Json)))}]`;
      out.set(k, [...(out.get(k) ?? []), s.endpoints.length]);
    }
  }
  for (const v of out.values()) v.sort((a, b) => b - a);
  return out;
}

/** The live slice shape (slices labelled with their Service). */
export function liveShape(slices: readonly KubeObject[]): SliceShape {
  const out: SliceShape = new Map();
  for (const s of slices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = `${s.metadata.namespace}/${svc} [${s.addressType === 'IPv4' || s.addressType === undefined ? '' : `${String(s.addressType)} `}${portKey(arr(s.ports))}]`;
    out.set(k, [...(out.get(k) ?? []), arr(s.endpoints).length]);
  }
  for (const v of out.values()) v.sort((a, b) => b - a);
  return out;
}

/** Differences between two shapes (`100+100+50` style). */
export function compareShapes(expected: SliceShape, live: SliceShape): Difference[] {
  const out: Difference[] = [];
  const show = (v: number[] | undefined): string | null => (v ? v.join('+') : null);
  for (const k of [...new Set([...expected.keys(), ...live.keys()])].sort()) {
    const a = show(expected.get(k));
    const b = show(live.get(k));
    if (a !== b) out.push({ object: `EndpointSlices of Service ${k.split(' [')[0]}`, field: `slice sizes [${k.split(' [')[1]}`, expected: a, live: b, kind: 'controller' });
  }
  return out;
}

/** What must hold for any slice set: at most `max` endpoints per slice, no endpoint in two slices of a group. */
export function sliceInvariants(slices: readonly KubeObject[], max: number): Difference[] {
  const out: Difference[] = [];
  const seen = new Map<string, string>();
  for (const s of slices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'] ?? '?';
    const eps = arr(s.endpoints);
    if (eps.length > max) out.push({ object: `EndpointSlice ${s.metadata.namespace}/${s.metadata.name}`, field: 'endpoints (count)', expected: `<= ${max}`, live: eps.length, kind: 'controller' });
    for (const e of eps) {
      const k = `${svc} [${portKey(arr(s.ports))}] ${String((e.addresses as unknown[] | undefined)?.[0])}`;
      const other = seen.get(k);
      if (other && other !== s.metadata.name) out.push({ object: `EndpointSlices of Service ${s.metadata.namespace}/${svc}`, field: `endpoint ${k}: in two slices`, expected: 'one slice', live: `${other}, ${s.metadata.name}`, kind: 'controller' });
      seen.set(k, s.metadata.name);
    }
  }
  return out;
}

// ---------------------------------------------------------------- live self-consistency

/**
 * What the controllers copy from pods and nodes, checked on the live objects themselves: an
 * endpoint's nodeName is its pod's node, its zone the node's zone label, and the pod IP lies in
 * the node's podCIDR (KWOK's IPAM). The engine assumes all three.
 */
export function liveConsistency(live: LiveSnapshot): Difference[] {
  const out: Difference[] = [];
  const nodes = new Map(live.nodes.map((n) => [n.metadata.name, n]));
  const pods = new Map(live.pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  for (const s of live.endpointSlices) {
    for (const e of arr(s.endpoints)) {
      const ref = obj(e.targetRef);
      if (ref.kind !== 'Pod') continue;
      const pod = pods.get(`${String(ref.namespace)}/${String(ref.name)}`);
      const object = `EndpointSlice ${s.metadata.namespace}/${s.metadata.name}`;
      if (!pod) continue; // deleted since the slice was read
      const nodeName = String(obj(pod.spec).nodeName ?? '');
      const node = nodes.get(nodeName);
      if (e.nodeName !== nodeName) out.push({ object, field: `endpoint pod ${String(ref.name)}: nodeName`, expected: nodeName, live: e.nodeName ?? null, kind: 'placement' });
      const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
      if ((e.zone ?? undefined) !== zone) out.push({ object, field: `endpoint pod ${String(ref.name)}: zone`, expected: zone ?? null, live: e.zone ?? null, kind: 'placement' });
      const cidr = parseCIDR(String(obj(node?.spec).podCIDR ?? ''));
      const ip = parseIPv4(String((e.addresses as unknown[] | undefined)?.[0] ?? ''));
      // hostNetwork pods carry their node's InternalIP instead.
      const hostNetwork = obj(pod.spec).hostNetwork === true;
      const internalIP = arr(obj(node?.status).addresses).find((a) => obj(a).type === 'InternalIP');
      if (hostNetwork) {
        const want = internalIP ? String(obj(internalIP).address) : undefined;
        const got = (e.addresses as string[] | undefined)?.[0];
        if (want !== undefined && got !== want) out.push({ object, field: `endpoint pod ${String(ref.name)}: hostNetwork address is the node IP`, expected: want, live: String(got), kind: 'placement' });
      } else if (cidr && ip !== undefined && !cidrContains(cidr, ip)) out.push({ object, field: `endpoint pod ${String(ref.name)}: address in node podCIDR`, expected: String(obj(node?.spec).podCIDR), live: (e.addresses as string[])[0], kind: 'placement' });
    }
  }
  return out;
}

// ---------------------------------------------------------------- reconciler replay

/** A live EndpointSlice in the engine's model (what `reconcileSlices` takes as existing). */
export function sliceInfo(s: KubeObject): EndpointSliceInfo {
  const ns = s.metadata.namespace ?? 'default';
  return {
    namespace: ns,
    name: s.metadata.name,
    serviceName: s.metadata.labels?.['kubernetes.io/service-name'] ?? '',
    addressType: s.addressType === 'IPv6' ? 'IPv6' : 'IPv4',
    ports: arr(s.ports).map((p) => ({
      name: typeof p.name === 'string' ? p.name : '', port: Number(p.port), protocol: (typeof p.protocol === 'string' ? p.protocol : 'TCP') as Protocol,
      ...(typeof p.appProtocol === 'string' ? { appProtocol: p.appProtocol } : {}),
    })),
    endpoints: arr(s.endpoints).map((e): EndpointInfo => {
      const ref = obj(e.targetRef);
      const hints = obj(e.hints);
      const zones = arr(hints.forZones).map((z) => String(z.name));
      const forNodes = arr(hints.forNodes).map((z) => String(z.name));
      return {
        addresses: (e.addresses as string[] | undefined) ?? [],
        conditions: sliceEndpointConditions(e.conditions),
        nodeName: typeof e.nodeName === 'string' ? e.nodeName : '',
        zone: typeof e.zone === 'string' ? e.zone : '',
        ...(typeof e.hostname === 'string' ? { hostname: e.hostname } : {}),
        targetRef: { kind: String(ref.kind ?? ''), namespace: String(ref.namespace ?? ns), name: String(ref.name ?? '') },
        ...(zones.length > 0 ? { forZones: zones } : {}),
        ...(forNodes.length > 0 ? { forNodes } : {}),
      };
    }),
    labels: s.metadata.labels ?? {},
  };
}

function members(s: { endpoints: readonly EndpointInfo[] }): string {
  return s.endpoints.map((e) => e.targetRef.name).sort().join(',');
}

/**
 * Run the engine's reconciler on the live slices from before a step and the live pods after
 * it (through `replay`, the engine built from those pods); the result must be the live slices
 * after the step: the same slice names holding the same endpoints. Only meaningful when the
 * step added no endpoint (see the module comment); slices the reconciler would create are
 * compared by size.
 */
export function replayReconciler(before: readonly KubeObject[], after: readonly KubeObject[], replay: Cluster, liveServices: readonly KubeObject[], max: number): Difference[] {
  const out: Difference[] = [];
  for (const [key, svc] of replay.services) {
    if (!svc.selector || svc.type === 'ExternalName') continue;
    // One reconcile per address type, as the controller's reconcileByAddressType.
    for (const family of serviceFamilies(svc)) {
    const of = (list: readonly KubeObject[]): KubeObject[] => list.filter((s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name']}` === key && (s.addressType ?? 'IPv4') === family);
    const prev = of(before);
    if (prev.length === 0) continue;
    const liveSvc = liveServices.find((s) => `${s.metadata.namespace}/${s.metadata.name}` === key);
    const labels = liveSvc?.metadata.labels ?? {};
    const annotations = liveSvc?.metadata.annotations ?? {};
    const pods: PodInfo[] = podsOfFamily([...replay.pods.values()].filter((p) => p.namespace === svc.namespace && matchesMap(svc.selector ?? {}, p.labels)), family);
    let n = 0;
    const r = reconcileSlices({
      namespace: svc.namespace, serviceName: svc.name, labels: sliceLabels(svc, labels),
      existing: prev.map(sliceInfo), desired: desiredEndpoints(svc, pods, hintsMode(svc, annotations)),
      maxEndpointsPerSlice: max, newName: () => `(new ${++n})`, addressType: family,
    });
    const object = `EndpointSlices of Service ${key}${family === 'IPv4' ? '' : ` [${family}]`} (reconciler replay)`;
    const now = new Map(of(after).map((s) => [s.metadata.name, sliceInfo(s)]));
    const predicted = new Map(r.slices.map((s) => [s.name, s]));
    for (const [name, s] of predicted) {
      if (name.startsWith('(new')) continue;
      const l = now.get(name);
      if (!l) out.push({ object, field: `slice ${name}`, expected: `${s.endpoints.length} endpoints`, live: null, kind: 'controller' });
      else if (members(s) !== members(l)) out.push({ object, field: `slice ${name}: endpoints`, expected: members(s) || '(none)', live: members(l) || '(none)', kind: 'controller' });
    }
    const createdSizes = r.created.map((s) => s.endpoints.length).sort((a, b) => b - a).join('+');
    const liveNew = [...now.values()].filter((s) => !predicted.has(s.name));
    const liveNewSizes = liveNew.map((s) => s.endpoints.length).sort((a, b) => b - a).join('+');
    if (createdSizes !== liveNewSizes) out.push({ object, field: 'new slices (sizes)', expected: createdSizes || '(none)', live: liveNewSizes || '(none)', kind: 'controller' });
    }
  }
  return out;
}

// ---------------------------------------------------------------- pod pairing

/**
 * Live pod `ns/name` -> engine pod `ns/name`, as compareLive pairs them (`pairPods`: stable names
 * by name; a Deployment's generated names within the workload, by readiness and node). The
 * runner uses it to give a readiness flip of a live pod to the engine pod standing for it.
 */
export function pairLivePods(engine: Cluster, livePods: readonly KubeObject[]): Map<string, string> {
  return pairPods(engine.pods.values(), livePods);
}

// ---------------------------------------------------------------- pods of ReplicationControllers and Jobs

/** Owner kinds whose pods {@link comparePodsByOwner} counts (the kinds of issue 16's workloads that have no slice of their own to show them). */
const COUNTED_OWNERS = new Set(['ReplicationController', 'Job']);

/** Labels whose values are the API server's (uids), compared by presence only. */
const UID_LABELS = new Set(['controller-uid', 'batch.kubernetes.io/controller-uid']);

function podGroupKey(phase: string, owner: { kind: string; name: string }): string {
  return `${phase} pods of ${owner.kind} ${owner.name}`;
}

/**
 * Labels the API server copies from the node when it binds a pod (the
 * `PodTopologyLabelsAdmission` plugin on `pods/binding`): where a pod lands is placement, left out.
 */
const NODE_TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/zone', 'topology.kubernetes.io/region']);

function labelShape(labels: Readonly<Record<string, string>>): string {
  return canonLabels(Object.fromEntries(Object.entries(labels).filter(([k]) => !NODE_TOPOLOGY_LABELS.has(k)).map(([k, v]) => [k, UID_LABELS.has(k) ? '<uid>' : v])));
}

function canonLabels(l: Record<string, string>): string {
  return Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join(',');
}

/**
 * Pods of ReplicationControllers and Jobs, engine against live, per owner and phase: how many,
 * and the label sets they carry (uids compared by presence). Engine pods are Running (a
 * ReplicationController's) or Succeeded (a Job's finished pods); live pods are counted by
 * `status.phase`, Pending ones as Pending. A CronJob that has not fired has no Jobs either side.
 */
export function comparePodsByOwner(engine: Cluster, live: LiveSnapshot, namespace: string): Difference[] {
  const e = new Map<string, Map<string, number>>();
  const add = (m: Map<string, Map<string, number>>, k: string, shape: string): void => {
    const g = m.get(k) ?? new Map<string, number>();
    g.set(shape, (g.get(shape) ?? 0) + 1);
    m.set(k, g);
  };
  for (const p of engine.pods.values()) {
    if (p.namespace !== namespace || !p.owner || !COUNTED_OWNERS.has(p.owner.kind)) continue;
    add(e, podGroupKey(p.terminating ? 'Terminating' : 'Running', p.owner), labelShape(p.labels));
  }
  for (const pods of engine.finishedPods.values()) {
    for (const p of pods) if (p.namespace === namespace) add(e, podGroupKey(p.phase, p.owner), labelShape(p.labels));
  }
  const l = new Map<string, Map<string, number>>();
  for (const p of live.pods) {
    const owner = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (!owner || !COUNTED_OWNERS.has(owner.kind)) continue;
    const phase = p.metadata.deletionTimestamp ? 'Terminating' : String(obj(p.status).phase ?? 'Pending');
    add(l, podGroupKey(phase, owner), labelShape(p.metadata.labels ?? {}));
  }
  const out: Difference[] = [];
  const show = (g: Map<string, number> | undefined): string | null => (g ? [...g].map(([s, n]) => `${n} x {${s}}`).sort().join('; ') : null);
  for (const k of [...new Set([...e.keys(), ...l.keys()])].sort()) {
    const a = show(e.get(k));
    const b = show(l.get(k));
    if (a !== b) out.push({ object: `namespace ${namespace}`, field: k, expected: a, live: b, kind: 'controller' });
  }
  return out;
}

// ---------------------------------------------------------------- hand-written and mirrored objects, as serialized

/** The EndpointSlice controller's managed-by value: its slices are compared by compareLive. */
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

function canonPorts(ports: readonly Json[]): Json[] {
  return ports.map((p) => ({ name: typeof p.name === 'string' ? p.name : '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function canonRef(r: unknown): Json | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Json;
  return { kind: o.kind ?? null, namespace: o.namespace ?? null, name: o.name ?? null };
}

/** A slice reduced to what its writer decides (server fields, generated names and uids left out). */
function canonSlice(s: Json): Json {
  const m = obj(s.metadata);
  const eps = arr(s.endpoints).map((e) => ({
    addresses: e.addresses ?? [], conditions: obj(e.conditions), hostname: e.hostname ?? null, nodeName: e.nodeName ?? null, zone: e.zone ?? null,
    targetRef: canonRef(e.targetRef),
  })).sort((a, b) => JSON.stringify(a.addresses).localeCompare(JSON.stringify(b.addresses)));
  return {
    labels: obj(m.labels), annotations: obj(m.annotations),
    ownerReferences: arr(m.ownerReferences).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, controller: r.controller ?? null, blockOwnerDeletion: r.blockOwnerDeletion ?? null })),
    addressType: s.addressType, ports: canonPorts(arr(s.ports)), endpoints: eps,
  };
}

/** An Endpoints reduced the same way (subsets in order, as written: the API server keeps them). */
function canonEndpoints(e: Json): Json {
  const m = obj(e.metadata);
  const addr = (a: Json): Json => ({ ip: a.ip, hostname: a.hostname ?? null, nodeName: a.nodeName ?? null, targetRef: canonRef(a.targetRef) });
  return {
    labels: obj(m.labels), annotations: obj(m.annotations),
    subsets: arr(e.subsets).map((s) => ({ addresses: arr(s.addresses).map(addr), notReadyAddresses: arr(s.notReadyAddresses).map(addr), ports: canonPorts(arr(s.ports)) })),
  };
}

/**
 * What compareLive leaves out about endpoints nobody's controller computed from pods: every
 * Endpoints the scenario writes (also those without a Service, or labelled skip-mirror) and every
 * EndpointSlice not written by the EndpointSlice controller (hand-written, or mirrored from an
 * Endpoints), compared in full as serialized (`endpointsToJSON`, `endpointSliceToJSON`): labels,
 * annotations, ownerReferences, ports, endpoint conditions exactly as set, targetRef. Hand-written
 * slices pair by name, mirrored ones by Service, address type and port set.
 */
export function compareHandWritten(engine: Cluster, live: LiveSnapshot, namespace: string, objects: readonly JsonObject[]): Difference[] {
  const out: Difference[] = [];
  const diff = (object: string, field: string, a: unknown, b: unknown): void => {
    const x = a === undefined ? null : canon(a);
    const y = b === undefined ? null : canon(b);
    if (x !== y) out.push({ object, field, expected: a ?? null, live: b ?? null, kind: 'controller' });
  };
  for (const o of objects) {
    if (o.kind !== 'Endpoints') continue;
    const name = String(obj(o.metadata).name);
    const e = engine.endpoints.get(`${namespace}/${name}`);
    const l = live.endpoints.find((x) => x.metadata.name === name);
    diff(`Endpoints ${namespace}/${name}`, '(as serialized)', e ? canonEndpoints(endpointsToJSON(e)) : undefined, l ? canonEndpoints(l as unknown as Json) : undefined);
  }
  const key = (s: Json): string => {
    const m = obj(s.metadata);
    const labels = obj(m.labels) as Record<string, string>;
    if (labels['endpointslice.kubernetes.io/managed-by'] === 'endpointslicemirroring-controller.k8s.io') {
      return `mirrored for ${labels['kubernetes.io/service-name']} [${String(s.addressType)} ${portKey(arr(s.ports))}]`;
    }
    return `${String(m.name)}`;
  };
  const e = new Map<string, Json>();
  for (const slices of engine.endpointSlices.values()) {
    for (const s of slices) if (s.namespace === namespace && s.origin !== undefined) { const j = endpointSliceToJSON(s); e.set(key(j), j); }
  }
  const l = new Map<string, Json>();
  for (const s of live.endpointSlices) {
    if (s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === SLICE_CONTROLLER) continue;
    const j = s as unknown as Json;
    l.set(key(j), j);
  }
  for (const k of [...new Set([...e.keys(), ...l.keys()])].sort()) {
    const a = e.get(k);
    const b = l.get(k);
    diff(`EndpointSlice ${namespace}/${k}`, '(as serialized)', a ? canonSlice(a) : undefined, b ? canonSlice(b) : undefined);
  }
  return out;
}

// ---------------------------------------------------------------- default/kubernetes

/**
 * kube-apiserver's `default/kubernetes` Service and endpoints, engine against live: the fields
 * the API server sets (labels, ClusterIP, ipFamilyPolicy, the https port and its targetPort) and,
 * as serialized, its Endpoints and EndpointSlices (none when the reconciler writes none).
 */
export function compareKubernetesService(engine: Cluster, live: { service?: KubeObject; endpoints: readonly KubeObject[]; endpointSlices: readonly KubeObject[] }): Difference[] {
  const out: Difference[] = [];
  const object = 'Service default/kubernetes';
  const e = engine.services.get('default/kubernetes');
  const l = live.service;
  if (!e || !l) {
    if (!!e !== !!l) out.push({ object, field: '(object)', expected: e ? 'present' : null, live: l ? 'present' : null, kind: 'service' });
    return out;
  }
  const spec = obj(l.spec);
  const field = (name: string, a: unknown, b: unknown): void => {
    if (canon(a) !== canon(b)) out.push({ object, field: name, expected: a ?? null, live: b ?? null, kind: 'service' });
  };
  field('metadata.labels', obj(kubernetesServiceManifest(engine.profile)?.metadata).labels ?? null, l.metadata.labels ?? {});
  field('spec.clusterIPs', e.clusterIPs, spec.clusterIPs);
  field('spec.type', e.type, spec.type);
  field('spec.selector', e.selector ?? null, spec.selector ?? null);
  field('spec.ports', e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort })),
    arr(spec.ports).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort })));
  const ee = engine.endpoints.get('default/kubernetes');
  field('Endpoints (as serialized)', ee ? canonEndpoints(endpointsToJSON(ee)) : null, live.endpoints[0] ? canonEndpoints(live.endpoints[0] as unknown as Json) : null);
  field('EndpointSlices (as serialized)', (engine.endpointSlices.get('default/kubernetes') ?? []).map((s) => canonSlice(endpointSliceToJSON(s))),
    live.endpointSlices.map((s) => canonSlice(s as unknown as Json)));
  return out;
}

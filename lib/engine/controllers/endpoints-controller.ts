/**
 * The Endpoints controller (`pkg/controller/endpoint`), the EndpointSlice controller
 * (`pkg/controller/endpointslice`) and the mirroring controller
 * (`pkg/controller/endpointslicemirroring`) as one sync per Service: selector Services get
 * computed Endpoints and reconciled slices; selector-less ones keep their hand-written Endpoints
 * (mirrored into slices) and EndpointSlices. Emits the watch events a kube-proxy would see.
 */
import { ManifestObject, refKey } from '../../manifest/objects';
import { nameSuffix } from '../hash';
import { EndpointSliceInfo, EndpointsInfo, ObjectRef, PodInfo, ServiceInfo, objectKey } from '../model';
import { ClusterStore, ObjectController, ServiceMeta, SyncQueue } from '../store';
import { WatchEvent } from '../changes';
import { computeEndpoints, managesEndpoints, podRef } from './endpoints';
import { desiredEndpoints, hintsMode, sliceLabels } from './endpointslice';
import { MAX_MIRRORED_PER_SUBSET, mirrorEndpoints, shouldMirror, userEndpoints, userSlice } from './endpointslice-mirroring';
import { reconcileSlices } from './endpointslice-reconciler';
import { KUBERNETES_SERVICE_KEY } from './kubernetes-service';
import { autoHints, zoneRatios } from './topology-hints';
import { podsOfFamily, serviceFamilies } from '../ip-families';

/** Keeps `store.endpoints` and `store.endpointSlices` in step with Services and pods. */
export class EndpointsController implements ObjectController {
  public readonly kinds = ['Service', 'Endpoints', 'EndpointSlice'] as const;
  private readonly sliceNames = new Set<string>();
  private zoneRatioCache: Map<string, number> | undefined;
  private zoneRatioGeneration = -1;

  constructor(private readonly store: ClusterStore) {
    store.endpoints.computeWith((key) => this.endpointsOf(key));
  }

  public upsert(obj: ManifestObject, previous: ManifestObject | undefined, q: SyncQueue): void {
    if (obj.typed?.kind === 'Service') {
      const svcKey = objectKey(obj.ref.namespace ?? 'default', obj.ref.name);
      q.touched.add(svcKey);
      this.syncUserEndpoints(svcKey, q.events);
      return;
    }
    this.syncUserEndpoints(serviceKeyOfEndpoints(obj), q.events);
    if (previous && previous.typed?.kind === 'EndpointSlice') this.syncUserEndpoints(serviceKeyOfEndpoints(previous), q.events);
  }

  public remove(ref: ObjectRef, obj: ManifestObject | undefined, q: SyncQueue): void {
    if (ref.kind === 'Service') {
      const key = objectKey(ref.namespace ?? 'default', ref.name);
      this.dropAfterDelete(key, q.events);
      this.syncUserEndpoints(key, q.events); // a hand-written Endpoints outlives its Service
    }
    else if (obj) this.syncUserEndpoints(serviceKeyOfEndpoints(obj), q.events);
  }

  /** Hand-written Endpoints/EndpointSlices of every loaded object (build). */
  public syncAllUserEndpoints(objects: readonly ManifestObject[], events: WatchEvent[]): void {
    for (const o of objects) {
      if (o.typed?.kind === 'Endpoints' || o.typed?.kind === 'EndpointSlice') this.syncUserEndpoints(serviceKeyOfEndpoints(o), events);
    }
  }

  /** kube-apiserver's endpoints of `default/kubernetes` (see kubernetes-service.ts); none when its reconciler writes none. */
  public addApiServerEndpoints(e: { endpoints: EndpointsInfo; slice: EndpointSliceInfo } | undefined, events: WatchEvent[]): void {
    if (!e) return;
    this.store.endpoints.set(KUBERNETES_SERVICE_KEY, e.endpoints);
    this.store.endpointSlices.set(KUBERNETES_SERVICE_KEY, [e.slice]);
    events.push({ type: 'ADDED', kind: 'Endpoints', object: e.endpoints }, { type: 'ADDED', kind: 'EndpointSlice', object: e.slice });
  }

  /** Node readiness changed: Services with automatic topology hints depend on ready nodes per zone. */
  public nodesFailedOrRecovered(touched: Set<string>): void {
    for (const [key, meta] of this.store.serviceMeta) {
      const svc = this.store.services.get(key);
      if (svc && hintsMode(svc, meta.annotations) === 'auto') touched.add(key);
    }
  }

  /**
   * Recompute a Service's Endpoints and EndpointSlices, emitting events for what changed. With
   * `deferEndpoints` (the build, whose events nobody sees) the v1 Endpoints are only marked due:
   * `store.endpoints` computes them on first read (see `EndpointsMap`).
   */
  public syncService(key: string, events: WatchEvent[], deferEndpoints = false): void {
    const store = this.store;
    const svc = store.services.get(key);
    const meta = store.serviceMeta.get(key);
    if (!svc || !meta || !managesEndpoints(svc)) {
      if (!svc || svc.selector !== undefined || svc.type === 'ExternalName') this.dropManaged(key, events);
      return;
    }
    const pods: PodInfo[] = [];
    const refs: ObjectRef[] = [];
    const selected = store.servicePods.get(key);
    if (selected) {
      for (const rec of selected) {
        const pod = rec.pod;
        pods.push(pod);
        refs.push(podRef(pod));
      }
    }
    const families = serviceFamilies(svc);
    if (deferEndpoints) store.endpoints.defer(key);
    else {
      const next = primaryFamilyEndpoints(svc, meta.labels, families, pods, refs);
      const prev = store.endpoints.get(key);
      if (!prev || !sameEndpoints(prev, next)) {
        store.endpoints.set(key, next);
        events.push({ type: prev ? 'MODIFIED' : 'ADDED', kind: 'Endpoints', object: next });
      }
    }
    // EndpointSlice controller
    const mode = hintsMode(svc, meta.annotations);
    const existing = store.endpointSlices.get(key) ?? [];
    if (families.length > 1 || families[0] !== 'IPv4' || existing.some((s) => s.addressType !== 'IPv4')) {
      this.syncFamilies(svc, meta.labels, families, pods, mode, existing, events);
      return;
    }
    const r = reconcileSlices({
      namespace: svc.namespace,
      serviceName: svc.name,
      labels: sliceLabels(svc, meta.labels),
      existing,
      // No slice yet (every Service at build): plain lists, nothing to match against.
      desired: desiredEndpoints(svc, pods, mode, refs, existing.length === 0),
      maxEndpointsPerSlice: store.profile.maxEndpointsPerSlice,
      newName: () => this.newSliceName(svc),
      rehint: mode === 'auto' ? (slices) => autoHints(slices, this.zoneRatios()) : undefined,
    });
    for (const s of r.deleted) this.sliceNames.delete(`${s.namespace}/${s.name}`);
    store.endpointSlices.set(key, r.slices);
    for (const s of r.created) events.push({ type: 'ADDED', kind: 'EndpointSlice', object: s });
    for (const s of r.updated) events.push({ type: 'MODIFIED', kind: 'EndpointSlice', object: s });
    for (const s of r.deleted) events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
  }

  /** A selector Service's v1 Endpoints computed from the store as it is now (`EndpointsMap`'s deferred entries). */
  private endpointsOf(key: string): EndpointsInfo {
    const svc = this.store.services.get(key) as ServiceInfo;
    const meta = this.store.serviceMeta.get(key) as ServiceMeta;
    const pods: PodInfo[] = [];
    for (const rec of this.store.servicePods.get(key) ?? []) pods.push(rec.pod);
    return primaryFamilyEndpoints(svc, meta.labels, serviceFamilies(svc), pods);
  }

  /**
   * Upstream `Reconcile`: one slice set per address type the Service has (reconcileByAddressType,
   * each with the pods' addresses of that family), and the slices of an address type it no
   * longer has deleted.
   */
  private syncFamilies(svc: ServiceInfo, labels: Readonly<Record<string, string>>, families: readonly ('IPv4' | 'IPv6')[], pods: readonly PodInfo[],
    mode: ReturnType<typeof hintsMode>, existing: readonly EndpointSliceInfo[], events: WatchEvent[]): void {
    const key = objectKey(svc.namespace, svc.name);
    const all: EndpointSliceInfo[] = [];
    const deleted: EndpointSliceInfo[] = existing.filter((s) => !families.includes(s.addressType));
    for (const family of families) {
      const r = reconcileSlices({
        namespace: svc.namespace,
        serviceName: svc.name,
        labels: sliceLabels(svc, labels),
        existing: existing.filter((s) => s.addressType === family),
        desired: desiredEndpoints(svc, podsOfFamily(pods, family), mode),
        maxEndpointsPerSlice: this.store.profile.maxEndpointsPerSlice,
        newName: () => this.newSliceName(svc),
        rehint: mode === 'auto' ? (slices) => autoHints(slices, this.zoneRatios()) : undefined,
        addressType: family,
      });
      all.push(...r.slices);
      for (const s of r.created) events.push({ type: 'ADDED', kind: 'EndpointSlice', object: s });
      for (const s of r.updated) events.push({ type: 'MODIFIED', kind: 'EndpointSlice', object: s });
      deleted.push(...r.deleted);
    }
    for (const s of deleted) {
      this.sliceNames.delete(`${s.namespace}/${s.name}`);
      events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    }
    this.store.endpointSlices.set(key, all);
  }

  private dropManaged(key: string, events: WatchEvent[]): void {
    const store = this.store;
    const svc = store.services.get(key);
    if (svc && svc.selector === undefined) return; // hand-managed endpoints stay (mirrored for any type, as upstream)
    this.dropAfterDelete(key, events);
  }

  private dropAfterDelete(svcKey: string, events: WatchEvent[]): void {
    const store = this.store;
    const ep = store.endpoints.get(svcKey);
    if (ep) { store.endpoints.delete(svcKey); events.push({ type: 'DELETED', kind: 'Endpoints', object: ep }); }
    for (const s of store.endpointSlices.get(svcKey) ?? []) {
      this.sliceNames.delete(`${s.namespace}/${s.name}`);
      events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    }
    store.endpointSlices.delete(svcKey);
  }

  /**
   * Hand-written Endpoints and EndpointSlices of a selector-less Service (see
   * endpointslice-mirroring.ts): slices kept as written, the Endpoints kept and mirrored unless
   * `shouldMirror` says no. An Endpoints without a Service stays (the API server keeps it) but is
   * not mirrored; hand-written slices without a Service are not kept (no Service routes them).
   */
  private syncUserEndpoints(svcKey: string | undefined, events: WatchEvent[]): void {
    if (svcKey === undefined) return;
    const store = this.store;
    const svc = store.services.get(svcKey);
    if (svc && svc.selector !== undefined) return; // the Endpoints and EndpointSlice controllers own them
    const [ns, name] = splitKey(svcKey);
    const epObj = store.objects.get(refKey({ kind: 'Endpoints', namespace: ns, name }));
    const slices: EndpointSliceInfo[] = [];
    if (svc) {
      for (const o of store.objects.values()) {
        if (o.typed?.kind !== 'EndpointSlice' || o.ref.namespace !== ns) continue;
        if (o.typed.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
        const s = userSlice(o, o.typed);
        if (s) slices.push(s);
      }
    }
    let endpoints: EndpointsInfo | undefined;
    if (epObj?.typed?.kind === 'Endpoints') {
      endpoints = userEndpoints(epObj, epObj.typed);
      if (svc && shouldMirror(epObj.typed)) {
        const m = mirrorEndpoints(epObj, epObj.typed, (i) => `${name.length > 57 ? name.slice(0, 57) : name}-${nameSuffix(`${svcKey}/mirror/${i}`)}`);
        slices.push(...m.slices);
        if (m.invalid > 0) store.sink.add({ severity: 'warning', code: 'endpoints-mirror-invalid-ip', message: `Endpoints ${svcKey}: ${m.invalid} address(es) are not valid IPs and are not mirrored to EndpointSlices`, object: epObj.ref, source: epObj.source, path: 'subsets' });
        if (m.overLimit > 0) store.sink.add({ severity: 'warning', code: 'endpoints-mirror-too-many', message: `Endpoints ${svcKey}: at most ${MAX_MIRRORED_PER_SUBSET} addresses per subset are mirrored to EndpointSlices; ${m.overLimit} are left out (kube-proxy does not route to them)`, object: epObj.ref, source: epObj.source, path: 'subsets' });
      }
    }
    const prevEp = store.endpoints.get(svcKey);
    if (endpoints) {
      store.endpoints.set(svcKey, endpoints);
      events.push({ type: prevEp ? 'MODIFIED' : 'ADDED', kind: 'Endpoints', object: endpoints });
    } else if (prevEp) {
      store.endpoints.delete(svcKey);
      events.push({ type: 'DELETED', kind: 'Endpoints', object: prevEp });
    }
    const prev = store.endpointSlices.get(svcKey) ?? [];
    const names = new Set(slices.map((s) => s.name));
    for (const s of prev) if (!names.has(s.name)) events.push({ type: 'DELETED', kind: 'EndpointSlice', object: s });
    const prevNames = new Set(prev.map((s) => s.name));
    for (const s of slices) events.push({ type: prevNames.has(s.name) ? 'MODIFIED' : 'ADDED', kind: 'EndpointSlice', object: s });
    if (slices.length > 0) store.endpointSlices.set(svcKey, slices); else store.endpointSlices.delete(svcKey);
  }

  private newSliceName(svc: ServiceInfo): string {
    // Upstream: generateName `<service>-` (prefix cut to fit 63 characters) + 5 random characters.
    const prefix = svc.name.length > 57 ? svc.name.slice(0, 57) : svc.name;
    for (let i = 0; ; i++) {
      const name = `${prefix}-${nameSuffix(`${svc.namespace}/${svc.name}/${i}`)}`;
      const k = `${svc.namespace}/${name}`;
      if (!this.sliceNames.has(k)) {
        this.sliceNames.add(k);
        return name;
      }
    }
  }

  private zoneRatios(): Map<string, number> | undefined {
    if (this.zoneRatioGeneration !== this.store.nodeGeneration) {
      this.zoneRatioCache = zoneRatios(this.store.nodes.values());
      this.zoneRatioGeneration = this.store.nodeGeneration;
    }
    return this.zoneRatioCache;
  }
}

/**
 * Endpoints controller: the Service's primary family (`podToEndpointAddressForService`).
 * podsOfFamily keeps each pod in place (only its address changes), so `refs` still lines up.
 */
function primaryFamilyEndpoints(svc: ServiceInfo, labels: Readonly<Record<string, string>>, families: readonly ('IPv4' | 'IPv6')[], pods: readonly PodInfo[], refs?: readonly ObjectRef[]): EndpointsInfo {
  return computeEndpoints(svc, labels, svc.ipFamilies ? podsOfFamily(pods, families[0]) : pods, refs);
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The Service a hand-written Endpoints (same name) or EndpointSlice (`kubernetes.io/service-name`) belongs to. */
function serviceKeyOfEndpoints(o: ManifestObject): string | undefined {
  const ns = o.ref.namespace ?? 'default';
  if (o.typed?.kind === 'Endpoints') return objectKey(ns, o.ref.name);
  if (o.typed?.kind === 'EndpointSlice') {
    const svc = o.typed.metadata.labels?.['kubernetes.io/service-name'];
    return svc ? objectKey(ns, svc) : undefined;
  }
  return undefined;
}

function sameEndpoints(a: EndpointsInfo, b: EndpointsInfo): boolean {
  if (a.subsets.length !== b.subsets.length) return false;
  if (!sameStrings(a.annotations, b.annotations) || !sameStrings(a.labels, b.labels)) return false;
  for (let i = 0; i < a.subsets.length; i++) {
    const x = a.subsets[i];
    const y = b.subsets[i];
    if (x.addresses.length !== y.addresses.length || x.notReadyAddresses.length !== y.notReadyAddresses.length || x.ports.length !== y.ports.length) return false;
    for (let j = 0; j < x.addresses.length; j++) if (!sameAddr(x.addresses[j], y.addresses[j])) return false;
    for (let j = 0; j < x.notReadyAddresses.length; j++) if (!sameAddr(x.notReadyAddresses[j], y.notReadyAddresses[j])) return false;
    for (let j = 0; j < x.ports.length; j++) {
      const p = x.ports[j];
      const q = y.ports[j];
      if (p.name !== q.name || p.port !== q.port || p.protocol !== q.protocol || p.appProtocol !== q.appProtocol) return false;
    }
  }
  return true;
}

function sameAddr(a: EndpointsInfo['subsets'][number]['addresses'][number], b: EndpointsInfo['subsets'][number]['addresses'][number]): boolean {
  return a.ip === b.ip && a.hostname === b.hostname && a.nodeName === b.nodeName && a.targetRef?.name === b.targetRef?.name;
}

/** Same keys in the same order with the same values (what comparing their JSON text did, without building it). */
function sameStrings(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a[ka[i]] !== b[kb[i]]) return false;
  return true;
}

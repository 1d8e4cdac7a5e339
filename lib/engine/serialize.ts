/**
 * The engine's Endpoints and EndpointSlices as real Kubernetes JSON (`v1` Endpoints,
 * `discovery.k8s.io/v1` EndpointSlice), e.g. for `kubectl`-style output and for measuring the
 * bytes a watch sends.
 */
import { fnv1a32 } from './hash';
import { EndpointAddressInfo, EndpointPortInfo, EndpointSliceInfo, EndpointsInfo, ObjectRef } from './model';

type Json = Record<string, unknown>;

/**
 * A deterministic UUID-shaped uid for a simulated object (upstream puts the pod's uid in every
 * targetRef; it matters for the serialized size).
 */
export function simulatedUID(r: ObjectRef): string {
  const id = `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  const h = [fnv1a32(id), fnv1a32(`a${id}`), fnv1a32(`b${id}`), fnv1a32(`c${id}`)].map((n) => n.toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function targetRef(r: ObjectRef): Json {
  const out: Json = { kind: r.kind };
  if (r.namespace !== undefined) out.namespace = r.namespace;
  out.name = r.name;
  out.uid = simulatedUID(r);
  return out;
}

function portJson(p: EndpointPortInfo): Json {
  const out: Json = {};
  if (p.name !== '') out.name = p.name;
  out.port = p.port;
  out.protocol = p.protocol;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

function addressJson(a: EndpointAddressInfo): Json {
  const out: Json = { ip: a.ip };
  if (a.hostname) out.hostname = a.hostname;
  if (a.nodeName) out.nodeName = a.nodeName;
  if (a.targetRef) out.targetRef = targetRef(a.targetRef);
  return out;
}

function meta(namespace: string, name: string, labels: Readonly<Record<string, string>>, annotations?: Readonly<Record<string, string>>): Json {
  const m: Json = { name, namespace };
  if (Object.keys(labels).length > 0) m.labels = { ...labels };
  if (annotations && Object.keys(annotations).length > 0) m.annotations = { ...annotations };
  return m;
}

/** A v1 Endpoints object. */
export function endpointsToJSON(e: EndpointsInfo): Json {
  const out: Json = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta(e.namespace, e.name, e.labels, e.annotations) };
  if (e.subsets.length > 0) {
    out.subsets = e.subsets.map((s) => {
      const sub: Json = {};
      if (s.addresses.length > 0) sub.addresses = s.addresses.map(addressJson);
      if (s.notReadyAddresses.length > 0) sub.notReadyAddresses = s.notReadyAddresses.map(addressJson);
      if (s.ports.length > 0) sub.ports = s.ports.map(portJson);
      return sub;
    });
  }
  return out;
}

/**
 * A discovery.k8s.io/v1 EndpointSlice object: owned by the Service when the EndpointSlice
 * controller made it, by the Endpoints when mirrored, as written when hand-written; mirrored and
 * hand-written endpoints carry their conditions and targetRef as declared (nothing invented).
 */
export function endpointSliceToJSON(s: EndpointSliceInfo): Json {
  const metadata = meta(s.namespace, s.name, s.labels, s.annotations);
  const owners = s.ownerReferences ?? [{ apiVersion: 'v1', kind: 'Service', name: s.serviceName, controller: true, blockOwnerDeletion: true }];
  if (owners.length > 0) metadata.ownerReferences = owners.map((o) => ({ ...o }));
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata,
    addressType: s.addressType,
    endpoints: s.endpoints.map((e) => {
      const d = e.declared;
      const conditions: Json = d ? {} : { ready: e.conditions.ready, serving: e.conditions.serving, terminating: e.conditions.terminating };
      if (d?.ready !== undefined) conditions.ready = d.ready;
      if (d?.serving !== undefined) conditions.serving = d.serving;
      if (d?.terminating !== undefined) conditions.terminating = d.terminating;
      const ep: Json = { addresses: [...e.addresses], conditions };
      if (e.hostname) ep.hostname = e.hostname;
      if (!d) ep.targetRef = targetRef(e.targetRef);
      else if (d.targetRef) ep.targetRef = { ...d.targetRef };
      if (e.nodeName) ep.nodeName = e.nodeName;
      if (e.zone) ep.zone = e.zone;
      if (e.forZones || e.forNodes) {
        const hints: Json = {};
        if (e.forZones) hints.forZones = e.forZones.map((name) => ({ name }));
        if (e.forNodes) hints.forNodes = e.forNodes.map((name) => ({ name }));
        ep.hints = hints;
      }
      return ep;
    }),
    ports: s.ports.map(portJson),
  };
}

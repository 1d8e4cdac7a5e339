/**
 * Hand-made "live" objects for the comparison tests: what a real cluster would hold for the same
 * manifests, built from the runtime's state and then changed the ways a cluster differs (pod
 * names with another pod-template-hash and random suffixes, other slice names, allocated
 * ClusterIPs, the ownership labels apply adds, API server defaults, controller bookkeeping).
 */
import type { LiveState } from '../../lib/apply/compare';
import type { KubeObject } from '../../lib/apply/types';
import { Cluster } from '../../lib/engine/cluster';
import { endpointSliceToJSON, endpointsToJSON } from '../../lib/engine/serialize';
import { fromObjects } from '../../lib/manifest';

type Json = Record<string, unknown>;

export const OWNERSHIP = { 'applyset.kubernetes.io/part-of': 'applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1' };

/** The shop: a Deployment behind a ClusterIP Service, a StatefulSet behind its headless Service, an ExternalName. */
export function shopManifests(): Json[] {
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres', ports: [{ containerPort: 5432, name: 'pg' }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'billing', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'billing.example.com' } },
  ];
}

/** Build the runtime's state for manifests (throws on manifest errors: fixtures must be valid). */
export function simulate(manifests: readonly Json[]): Cluster {
  const { objects, errors } = fromObjects(manifests);
  if (errors.length > 0) throw new Error(errors.map((e) => e.toString()).join('\n'));
  return Cluster.build(objects);
}

const LIVE_HASH = '7c9d8f6b5';

/** The live name of a runtime pod: Deployment pods get another hash and suffix, others keep theirs. */
export function liveName(name: string, labels: Readonly<Record<string, string>>): string {
  const hash = labels['pod-template-hash'];
  if (!hash) return name;
  const suffix = name.slice(name.lastIndexOf('-') + 1);
  return name.replace(`-${hash}-${suffix}`, `-${LIVE_HASH}-${suffix.split('').reverse().join('')}`);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The live objects a cluster would hold for the runtime's state `c`. */
export function liveFromSimulation(c: Cluster): LiveState {
  const rename = new Map<string, string>();
  for (const p of c.pods.values()) rename.set(p.name, liveName(p.name, p.labels));
  const fixRefs = (o: Json): Json => {
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const j = v as Json;
        if (j.kind === 'Pod' && typeof j.name === 'string') j.name = rename.get(j.name) ?? j.name;
        Object.values(j).forEach(walk);
      }
    };
    walk(o);
    return o;
  };
  const services: KubeObject[] = [];
  for (const svc of c.services.values()) {
    const written = c.objects.get(`Service/${svc.namespace}/${svc.name}`);
    if (!written) continue; // default/kubernetes: the API server's own, not from the manifests
    const raw = clone(written.raw as Json);
    const meta = raw.metadata as Json;
    const spec = raw.spec as Json;
    meta.labels = { ...(meta.labels as Json | undefined), ...OWNERSHIP };
    meta.resourceVersion = '100';
    spec.type = spec.type ?? 'ClusterIP';
    spec.sessionAffinity = 'None';
    if (svc.type !== 'ExternalName') {
      spec.clusterIP = svc.headless ? 'None' : '10.96.7.7';
      spec.clusterIPs = [spec.clusterIP];
      spec.internalTrafficPolicy = 'Cluster';
      spec.ports = (spec.ports as Json[]).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p }));
    }
    services.push(raw as unknown as KubeObject);
  }
  const pods: KubeObject[] = [...c.pods.values()].map((p) => {
    const hash = p.labels['pod-template-hash'];
    const owner = p.owner ? { ...p.owner, name: hash ? p.owner.name.replace(hash, LIVE_HASH) : p.owner.name, controller: true } : undefined;
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: rename.get(p.name) as string, namespace: p.namespace, labels: hash ? { ...p.labels, 'pod-template-hash': LIVE_HASH } : { ...p.labels }, ...(owner ? { ownerReferences: [owner] } : {}) },
      spec: { nodeName: p.nodeName },
    };
  });
  const endpointSlices: KubeObject[] = [];
  for (const slices of c.endpointSlices.values()) {
    for (const s of slices) {
      if (s.origin === 'apiserver') continue; // default/kubernetes's, as its Service above
      const j = fixRefs(clone(endpointSliceToJSON(s)));
      const meta = j.metadata as Json;
      meta.name = `${s.serviceName}-live${endpointSlices.length}`;
      meta.labels = { ...(meta.labels as Json), ...OWNERSHIP };
      // Upstream writes the empty port name explicitly.
      j.ports = (j.ports as Json[]).map((p) => ({ name: '', ...p }));
      endpointSlices.push(j as unknown as KubeObject);
    }
  }
  const endpoints: KubeObject[] = [...c.endpoints.values()].filter((e) => c.objects.has(`Service/${e.namespace}/${e.name}`) || c.objects.has(`Endpoints/${e.namespace}/${e.name}`)).map((e) => {
    const j = fixRefs(clone(endpointsToJSON(e)));
    const meta = j.metadata as Json;
    meta.labels = { ...(meta.labels as Json | undefined), ...OWNERSHIP };
    meta.annotations = { ...(meta.annotations as Json | undefined), 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' };
    return j as unknown as KubeObject;
  });
  return { services, endpoints, endpointSlices, pods };
}

/** A mutable copy of a live state. */
export function mutable(l: LiveState): { services: Json[]; endpoints: Json[]; endpointSlices: Json[]; pods: Json[] } {
  return clone(l) as unknown as { services: Json[]; endpoints: Json[]; endpointSlices: Json[]; pods: Json[] };
}

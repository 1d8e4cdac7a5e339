import { denialReason } from '../../engine/trace';
import type { PodInfo } from '../../engine/model';
import type { ManifestObject } from '../../manifest/objects';
import type { RuleContext } from '../context';
import type { Finding, Rule } from '../types';

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Pods behind a Service port (by number or name) with the port they receive on, from the EndpointSlices. */
function backends(ctx: RuleContext, ns: string, name: string, port: number | string | undefined): { pod: PodInfo; port: number }[] {
  const svc = ctx.cluster.services.get(`${ns}/${name}`);
  if (!svc) return [];
  const sp = svc.ports.find((p) => (typeof port === 'number' ? p.port === port : port === undefined ? svc.ports.length === 1 : p.name === port));
  if (!sp) return [];
  const out: { pod: PodInfo; port: number }[] = [];
  for (const slice of ctx.slicesOf(svc)) {
    const ep = slice.ports.find((p) => p.name === sp.name && p.protocol === sp.protocol);
    if (!ep) continue;
    for (const e of slice.endpoints) {
      const pod = ctx.cluster.pods.get(`${e.targetRef.namespace ?? ns}/${e.targetRef.name}`);
      if (pod) out.push({ pod, port: ep.port });
    }
  }
  return out;
}

/** Ingress backends as `[path, service, port]`. */
function ingressBackends(o: ManifestObject): [string, string, number | string | undefined][] {
  const spec = obj(o.raw.spec);
  const out: [string, string, number | string | undefined][] = [];
  const add = (path: string, b: unknown): void => {
    const svc = obj(obj(b).service);
    const port = obj(svc.port);
    if (typeof svc.name === 'string') out.push([path, svc.name, typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined]);
  };
  if (spec.defaultBackend) add('spec.defaultBackend', spec.defaultBackend);
  arr(spec.rules).forEach((r, i) => arr(obj(obj(r).http).paths).forEach((p, j) => add(`spec.rules[${i}].http.paths[${j}].backend`, obj(p).backend)));
  return out;
}

/** The entry point's own hop, controller (or load balancer) -> backend pod, through the policy model. */
export const backendUnreachableByPolicy: Rule = {
  id: 'backend-unreachable-by-policy',
  family: 'routing',
  severity: 'error',
  summary: 'An Ingress backend or a LoadBalancer/NodePort Service whose pods a NetworkPolicy (or cluster policy) does not let the entry point reach.',
  why: 'The route resolves, but the hop from the Ingress controller pod (or, for a LoadBalancer/NodePort, from outside through the node) to the backend pod is dropped: clients get timeouts or 502/504 although every name and port is right.',
  fix: 'Admit the entry point in the backend pods\' ingress rules: the controller\'s namespace and pods (namespaceSelector kubernetes.io/metadata.name=<controller namespace>), or an ipBlock for outside clients.',
  mirrors: 'NetworkPolicy evaluated after Service DNAT; ingress-nginx proxies to pod IPs (its Helm chart labels)',
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.policy;
    if (model.networkPolicies.length + model.clusterPolicies.length === 0) return out;
    const controllers = ctx.ofKind('Ingress').length > 0 ? model.ingressControllerPods() : [];
    for (const o of ctx.ofKind('Ingress')) {
      const ns = o.ref.namespace ?? 'default';
      for (const [path, name, port] of ingressBackends(o)) {
        const denied = backends(ctx, ns, name, port).map((b) => ({ b, v: model.verdict({ from: { kind: 'pod', pod: controllers[0] }, to: { kind: 'pod', pod: b.pod }, port: b.port, protocol: 'TCP' }) })).filter((x) => !x.v.allowed);
        if (denied.length === 0) continue;
        const c = controllers[0];
        out.push({ object: o, path, message: `the Ingress controller (${c.namespace}/${c.name}) cannot reach ${denied.length} pod(s) of Service ${ns}/${name}: ${denied[0].b.pod.namespace}/${denied[0].b.pod.name}:${denied[0].b.port}: ${denialReason(denied[0].v)}` });
      }
    }
    for (const svc of ctx.cluster.services.values()) {
      if (svc.type !== 'LoadBalancer' && svc.type !== 'NodePort') continue;
      const o = ctx.find('Service', svc.namespace, svc.name);
      if (!o) continue;
      const nodes = [...ctx.cluster.nodes.values()];
      svc.ports.forEach((sp, i) => {
        for (const b of backends(ctx, svc.namespace, svc.name, sp.port)) {
          // Cluster policy: kube-proxy SNATs to the entry node, so the pod sees another node's IP; Local keeps the client IP.
          const other = nodes.find((n) => n.name !== b.pod.nodeName);
          const from = svc.externalTrafficPolicy === 'Local' || !other ? { kind: 'external' as const, ip: '203.0.113.1' } : { kind: 'node' as const, node: other };
          const v = model.verdict({ from, to: { kind: 'pod', pod: b.pod }, port: b.port, protocol: sp.protocol });
          if (v.allowed) continue;
          out.push({ object: o, path: `spec.ports[${i}]`, message: `${svc.type} traffic from outside the cluster (seen as ${from.kind === 'node' ? `node ${from.node.name}'s IP after SNAT, externalTrafficPolicy: Cluster` : 'the client IP, externalTrafficPolicy: Local'}) cannot reach ${b.pod.namespace}/${b.pod.name}:${b.port}: ${denialReason(v)}` });
          break;
        }
      });
    }
    return out;
  },
};

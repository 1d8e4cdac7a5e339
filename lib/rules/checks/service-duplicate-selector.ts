import type { ManifestObject } from '../../manifest/objects';
import type { ServicePortInfo } from '../../engine/model';
import type { Finding, Rule } from '../types';

/** Port-name prefixes that declare an application protocol (the Istio naming convention). */
const NAMED_PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis']);

/**
 * The application protocol a Service port declares: its `appProtocol`, else the protocol its
 * name starts with (`http`, `http-api`, `grpc-web-x`, ...). Undefined when it declares none.
 */
export function declaredAppProtocol(p: ServicePortInfo): string | undefined {
  if (p.appProtocol) return p.appProtocol.toLowerCase();
  const name = p.name.toLowerCase();
  if (name.startsWith('grpc-web')) return 'grpc-web';
  const prefix = name.split('-')[0];
  return NAMED_PROTOCOLS.has(prefix) ? prefix : undefined;
}

/**
 * The protocol family a declaration belongs to: gRPC, gRPC-Web, h2c (`kubernetes.io/h2c`, KEP-3726
 * standard names) and HTTP/2 all run over HTTP/2 (Istio maps each to its HTTP/2 listener,
 * `pkg/config/protocol` IsHTTP2), so `grpc` on one Service and `kubernetes.io/h2c` on another
 * declare the same wire protocol.
 */
export function protocolFamily(app: string): string {
  const a = app.toLowerCase();
  if (a === 'grpc' || a === 'grpc-web' || a === 'h2c' || a === 'http2' || a === 'kubernetes.io/h2c') return 'http2';
  return a;
}

interface Use { readonly object: ManifestObject; readonly index: number; readonly port: ServicePortInfo; readonly app: string }

/**
 * istioctl IST0116 (DeploymentAssociatedToMultipleService: same port, different protocols).
 * Which pods and container ports each Service port reaches is read from the engine's
 * EndpointSlices; two Service ports conflict when they reach the same container port (number
 * and L4 protocol) of the same pod and declare different application protocols.
 */
export const serviceDuplicateSelector: Rule = {
  id: 'service-duplicate-selector',
  family: 'routing',
  severity: 'warning',
  summary: 'Two Services select the same pod and forward to the same container port, but declare different application protocols for it (by `appProtocol` or port-name prefix).',
  why: 'One container port speaks one protocol. Protocol-aware proxies (a service mesh, L7 load balancers) handle the same traffic differently depending on which Service the client used, so one of the two declarations is wrong and its clients get protocol errors. Ports without a declared protocol, or with equal ones, are not flagged; neither are different Service port numbers.',
  fix: 'Give both Service ports the same `appProtocol` and name prefix (e.g. `http-web` in both), or point one Service at a different container port.',
  mirrors: 'istioctl analyze IST0116 (DeploymentAssociatedToMultipleService); IST0137 (DeploymentConflictingPorts) in spirit',
  check(ctx) {
    const out: Finding[] = [];
    // pod + container port + L4 protocol -> the Service ports that reach it with a declared protocol
    const uses = new Map<string, Use[]>();
    for (const { object: o, svc } of ctx.selectorServices()) {
      for (const s of ctx.slicesOf(svc)) {
        for (const ep of s.ports) {
          const index = svc.ports.findIndex((p) => p.name === ep.name && p.protocol === ep.protocol);
          const port = svc.ports[index];
          const app = port && declaredAppProtocol(port);
          if (!app) continue;
          for (const e of s.endpoints) {
            const key = `${e.targetRef.namespace ?? svc.namespace}/${e.targetRef.name}|${ep.port}/${ep.protocol}`;
            const list = uses.get(key) ?? [];
            if (!list.some((u) => u.object === o && u.index === index)) list.push({ object: o, index, port, app });
            uses.set(key, list);
          }
        }
      }
    }
    const reported = new Set<string>();
    for (const [key, list] of uses) {
      const [pod, target] = key.split('|');
      for (let j = 1; j < list.length; j++) {
        const later = list[j];
        const earlier = list.slice(0, j).find((u) => u.object !== later.object && protocolFamily(u.app) !== protocolFamily(later.app));
        if (!earlier) continue;
        const pair = `${earlier.object.ref.name}#${earlier.index}|${later.object.ref.name}#${later.index}`;
        if (reported.has(pair)) continue;
        reported.add(pair);
        out.push({
          object: later.object, path: `spec.ports[${later.index}]`,
          message: `port ${later.port.port} (${later.app}) and Service "${earlier.object.ref.name}" port ${earlier.port.port} (${earlier.app}) both forward to container port ${target} of pod ${pod}`,
        });
      }
    }
    return out;
  },
};

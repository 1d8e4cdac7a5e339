/**
 * Istio's protocol selection for a Service port, and the Service ports that VirtualService HTTP
 * routes use (read from the L7 model's route rows).
 *
 * Protocol selection follows istio `pkg/config/kube/conversion.go` ConvertProtocol: UDP and SCTP
 * ports are what they say; otherwise `appProtocol` (with the Kubernetes standard names
 * `kubernetes.io/h2c`, `kubernetes.io/ws`, `kubernetes.io/wss`), else the port name, where
 * `grpc-web*` and the part before the first `-` name the protocol (`pkg/config/protocol`
 * Parse, case-insensitive). Anything else is left to protocol sniffing.
 */
import type { ServiceInfo, ServicePortInfo } from '../../engine/model';
import type { L7Model } from '../../engine/l7/model';
import type { L7ObjectRef } from '../../engine/l7/types';

/** The protocol Istio assigns, or `auto` when it sniffs. */
export type MeshProtocol = 'http' | 'http2' | 'https' | 'grpc' | 'grpc-web' | 'http_proxy' | 'tcp' | 'udp' | 'sctp' | 'tls' | 'mongo' | 'redis' | 'mysql' | 'auto';

const PARSEABLE: ReadonlySet<string> = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);

/** Protocols whose traffic the sidecar routes with VirtualService `http` rules. */
export const HTTP_FAMILY: ReadonlySet<MeshProtocol> = new Set<MeshProtocol>(['http', 'http2', 'grpc', 'grpc-web', 'http_proxy']);

/** How Istio reads the protocol of a Service port, and from which field. */
export function meshProtocol(port: ServicePortInfo): { readonly protocol: MeshProtocol; readonly from: 'protocol' | 'appProtocol' | 'name' | 'none' } {
  if (port.protocol === 'UDP') return { protocol: 'udp', from: 'protocol' };
  if (port.protocol === 'SCTP') return { protocol: 'sctp', from: 'protocol' };
  let name = port.name;
  let from: 'appProtocol' | 'name' = 'name';
  if (port.appProtocol) {
    from = 'appProtocol';
    name = port.appProtocol;
    if (name === 'kubernetes.io/h2c') return { protocol: 'http2', from };
    if (name === 'kubernetes.io/ws') return { protocol: 'http', from };
    if (name === 'kubernetes.io/wss') return { protocol: 'https', from };
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('grpc-web')) return { protocol: 'grpc-web', from };
  const prefix = lower.split('-')[0];
  if (PARSEABLE.has(prefix)) return { protocol: prefix as MeshProtocol, from };
  return { protocol: 'auto', from: 'none' };
}

/** A Service port that HTTP routes of VirtualServices send to, with the VirtualServices. */
export interface MeshHttpPort {
  readonly service: ServiceInfo;
  /** Index in `spec.ports`. */
  readonly index: number;
  readonly port: ServicePortInfo;
  /** `ns/name` of the VirtualServices whose http routes use the port. */
  readonly virtualServices: readonly string[];
  readonly refs: readonly L7ObjectRef[];
  /**
   * True when a route names this port, or the Service has only this TCP port: HTTP traffic is
   * sure to arrive here. False for the other ports of a multi-port Service a destination
   * without a port reaches (only if clients call that port).
   */
  readonly explicit: boolean;
}

/**
 * Service ports that VirtualService http routes forward to (route rows with backends): the
 * destination port when one is given, else every TCP port (the sidecar keeps the port the
 * client called).
 */
export function meshHttpPorts(model: L7Model): MeshHttpPort[] {
  const byKey = new Map<string, { service: ServiceInfo; index: number; port: ServicePortInfo; vs: Set<string>; refs: L7ObjectRef[]; explicit: boolean }>();
  for (const row of model.routes()) {
    if (row.kind !== 'VirtualService' || row.action !== 'forward') continue;
    const vs = `${row.object.namespace ?? ''}/${row.object.name}`;
    for (const b of row.backends) {
      const svc = model.state.services.get(b.service);
      if (!svc || svc.type === 'ExternalName') continue;
      const tcpPorts = svc.ports.filter((p) => p.protocol === 'TCP').length;
      svc.ports.forEach((port, index) => {
        if (port.protocol !== 'TCP') return;
        if (typeof b.port === 'number' && port.port !== b.port) return;
        const key = `${b.service}#${index}`;
        let entry = byKey.get(key);
        if (!entry) { entry = { service: svc, index, port, vs: new Set(), refs: [], explicit: false }; byKey.set(key, entry); }
        if (typeof b.port === 'number' || tcpPorts === 1) entry.explicit = true;
        if (!entry.vs.has(vs)) { entry.vs.add(vs); entry.refs.push(row.object); }
      });
    }
  }
  return [...byKey.values()].map((e) => ({ service: e.service, index: e.index, port: e.port, virtualServices: [...e.vs].sort(), refs: e.refs, explicit: e.explicit }));
}

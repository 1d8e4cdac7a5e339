import { meshHttpPorts, meshProtocol } from '../l7/mesh-protocol';
import type { Finding, Rule } from '../types';

/** Service ports VirtualService http routes send to, with no protocol Istio can read (istio ConvertProtocol). */
export const meshPortProtocolUndeclared: Rule = {
  id: 'mesh-port-protocol-undeclared',
  family: 'routing',
  severity: 'info',
  summary: 'A Service port that VirtualService `http` routes send to, with neither an `appProtocol` nor a name that declares the protocol (`http`, `http-*`, `http2`, `grpc`, ...).',
  why: 'Without a declared protocol Istio sniffs the first bytes of each connection. That works for plain HTTP clients but not for server-first protocols, adds a detection delay, and makes the routing depend on what the client sends; Istio recommends declaring every port.',
  fix: 'Set `appProtocol: http` (or `http2`, `grpc`), or name the port `http` / `http-<suffix>`.',
  mirrors: 'istio.io docs "Protocol Selection" (explicit protocol selection); istioctl analyze IST0118 PortNameIsNotUnderNamingConvention; Kiali KIA0601',
  check(ctx) {
    const out: Finding[] = [];
    for (const use of meshHttpPorts(ctx.l7)) {
      if (meshProtocol(use.port).protocol !== 'auto') continue;
      const object = ctx.find('Service', use.service.namespace, use.service.name);
      if (!object) continue;
      out.push({
        object, path: `spec.ports[${use.index}]`,
        message: `port ${use.port.port}${use.port.name ? ` (${use.port.name})` : ' (unnamed)'} declares no protocol, and the http routes of VirtualService ${use.virtualServices.join(', ')} send to it: Istio has to sniff it`,
      });
    }
    return out;
  },
};

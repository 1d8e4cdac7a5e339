import { HTTP_FAMILY, meshHttpPorts, meshProtocol } from '../l7/mesh-protocol';
import type { Finding, Rule } from '../types';

/** Service ports VirtualService http routes send to, declared as a non-HTTP protocol (istio ConvertProtocol). */
export const meshPortProtocolMismatch: Rule = {
  id: 'mesh-port-protocol-mismatch',
  family: 'routing',
  severity: 'warning',
  summary: 'A Service port that VirtualService `http` routes send to, but whose name or `appProtocol` declares a non-HTTP protocol to Istio (`tcp-*`, `tls`, `https`, `mongo`, `mysql`, `redis`).',
  why: 'Istio picks a port\'s protocol from `appProtocol`, else from the port name\'s prefix. A port declared TCP (or TLS, ...) gets a TCP proxy: VirtualService `http` rules for that host and port do not apply (only `tcp`/`tls` routes do), and HTTP retries, timeouts, header routing and metrics are lost.',
  fix: 'Name the port `http`, `http-<suffix>`, `http2`, `grpc` or `grpc-web`, or set `appProtocol: http` (or `http2`, `grpc`).',
  mirrors: 'istio pkg/config/kube/conversion.go ConvertProtocol; istio.io docs "Protocol Selection"; istioctl analyze IST0118; Kiali KIA0601/KIA0602',
  check(ctx) {
    const out: Finding[] = [];
    for (const use of meshHttpPorts(ctx.l7)) {
      if (!use.explicit) continue;
      const { protocol, from } = meshProtocol(use.port);
      if (protocol === 'auto' || HTTP_FAMILY.has(protocol)) continue;
      const object = ctx.find('Service', use.service.namespace, use.service.name);
      if (!object) continue;
      const field = from === 'appProtocol' ? 'appProtocol' : 'name';
      out.push({
        object, path: `spec.ports[${use.index}].${field}`,
        message: `port ${use.port.port}${use.port.name ? ` (${use.port.name})` : ''} is ${protocol} to Istio (from its ${field}), but the http routes of VirtualService ${use.virtualServices.join(', ')} send to it: Istio proxies it as ${protocol} and the http rules do not apply`,
      });
    }
    return out;
  },
};

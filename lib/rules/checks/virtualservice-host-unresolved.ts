import { objectOf, problemFindings } from '../l7/problems';
import { unresolvedVirtualServiceHosts } from '../l7/vs-hosts';
import type { Finding, Rule } from '../types';

/**
 * VirtualService hosts that never see a request: gateway-bound with no host the Gateway's
 * servers admit (IST0132), or mesh-bound with a cluster name that is no Service
 * (lib/rules/l7/vs-hosts.ts, plus the L7 model's own `vs-host-unknown` problems).
 */
export const virtualServiceHostUnresolved: Rule = {
  id: 'virtualservice-host-unresolved',
  family: 'routing',
  severity: 'warning',
  summary: 'A VirtualService bound to a Gateway none of whose servers accepts any of its hosts, or bound to the mesh with a cluster host (short name or `*.svc.cluster.local`) that is no Service or ServiceEntry.',
  why: 'An Istio gateway hands a request only to VirtualServices whose host matches one of its servers\' `hosts` (with their `namespace/` part), and sidecars apply a VirtualService only to hosts that exist: otherwise the rules never see a request, and the gateway answers 404.',
  fix: 'Add the host to the Gateway server\'s `hosts` (e.g. `shop/shop.example.com`), or fix the VirtualService host; short names are read in the VirtualService\'s namespace, so use `<service>.<namespace>.svc.cluster.local` for Services elsewhere.',
  mirrors: 'istioctl analyze IST0132 VirtualServiceHostNotFoundInGateway (virtualservice/gateways.go); istio/api virtual_service.proto hosts',
  check(ctx) {
    const out: Finding[] = problemFindings(ctx, ['vs-host-unknown']);
    const seen = new Set(out.map((f) => `${f.object.ref.namespace}/${f.object.ref.name}|${f.path}`));
    for (const p of unresolvedVirtualServiceHosts(ctx.l7)) {
      const object = objectOf(ctx, p.vs.ref);
      if (!object || seen.has(`${object.ref.namespace}/${object.ref.name}|${p.path}`)) continue;
      out.push({ object, path: p.path, message: p.message });
    }
    return out;
  },
};

import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/**
 * VirtualService hosts that never see a request: gateway-bound with no host the Gateway's
 * servers admit (IST0132), or mesh-bound with a cluster name that is no Service: the L7 model's
 * `vs-host-unknown` problems (lib/engine/l7/istio.ts, which also marks such a gateway binding
 * as not accepted).
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
    return problemFindings(ctx, ['vs-host-unknown']);
  },
};

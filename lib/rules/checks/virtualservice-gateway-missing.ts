import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** `spec.gateways` entries naming no Gateway (the L7 model's `vs-gateway-missing`). */
export const virtualServiceGatewayMissing: Rule = {
  id: 'virtualservice-gateway-missing',
  family: 'routing',
  severity: 'error',
  summary: 'A VirtualService bound to a gateway (`spec.gateways`, `<namespace>/<name>` or a name in its own namespace) that does not exist.',
  why: 'The routes are attached only to the gateways listed, so for a missing one they apply nowhere: requests through the intended ingress gateway get 404.',
  fix: 'Name an existing Istio Gateway (or Kubernetes Gateway) as `<namespace>/<name>`, or `mesh` for sidecar traffic.',
  mirrors: 'istioctl analyze IST0101 (virtualservice/gateways.go); Kiali KIA1102',
  check(ctx) {
    return problemFindings(ctx, ['vs-gateway-missing']);
  },
};

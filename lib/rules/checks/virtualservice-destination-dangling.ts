import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** VirtualService destinations the L7 model cannot resolve (`vs-destination-unknown`): host, or port. */
export const virtualServiceDestinationDangling: Rule = {
  id: 'virtualservice-destination-dangling',
  family: 'routing',
  severity: 'error',
  summary: 'A VirtualService destination host that is neither a Service nor a ServiceEntry host, or a destination port the Service does not expose.',
  why: 'Envoy has no cluster for the destination, so its share of the matched requests gets 503 (NR / no healthy upstream). Short names resolve in the VirtualService\'s namespace, not the Service\'s.',
  fix: 'Use `<service>.<namespace>.svc.cluster.local` (or the short name in the same namespace), a ServiceEntry host for external destinations, and a port the Service has.',
  mirrors: 'istioctl analyze IST0101 ReferencedResourceNotFound (virtualservice/destinationhosts.go); Kiali KIA1101',
  check(ctx) {
    return problemFindings(ctx, ['vs-destination-unknown']);
  },
};

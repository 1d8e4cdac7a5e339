import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** DestinationRule hosts that resolve to no Service or ServiceEntry (the L7 model's `dr-host-unknown`). */
export const destinationRuleHostUnknown: Rule = {
  id: 'destinationrule-host-unknown',
  family: 'routing',
  severity: 'warning',
  summary: 'A DestinationRule whose host is neither a Service nor a ServiceEntry host.',
  why: 'Istio ignores rules for hosts outside its registry, so the subsets and traffic policy (TLS, load balancing, outlier detection) never apply. Short names resolve in the DestinationRule\'s namespace.',
  fix: 'Use the Service\'s FQDN (`<service>.<namespace>.svc.cluster.local`) or short name in its namespace, or a ServiceEntry host.',
  mirrors: 'istioctl analyze IST0174 (UnknownDestinationRuleHost); Kiali KIA0202',
  check(ctx) {
    return problemFindings(ctx, ['dr-host-unknown']);
  },
};

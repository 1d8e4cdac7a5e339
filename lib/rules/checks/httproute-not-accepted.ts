import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Every Gateway API route kind the model attaches (the checks apply to all of them). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/**
 * HTTPRoute parentRefs the L7 model could not attach (`route-not-accepted`): it follows the
 * Gateway API attachment rules (parent exists, sectionName/port match a listener, listener
 * protocol and allowedRoutes kinds/namespaces admit the route, hostnames intersect).
 */
export const httpRouteNotAccepted: Rule = {
  id: 'httproute-not-accepted',
  family: 'routing',
  severity: 'error',
  summary: 'A route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) parentRef that would not be Accepted: the Gateway (or GAMMA Service) does not exist, no listener matches its sectionName or port, the listener\'s allowedRoutes exclude the route\'s namespace or kind, or no hostname intersects the listener\'s.',
  why: 'The implementation sets `Accepted: False` (NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname) and programs none of the route\'s rules on that parent: its requests get 404 from the Gateway.',
  fix: 'Point parentRefs at an existing Gateway (namespace included when it is elsewhere) and listener; allow the route\'s namespace in the listener\'s `allowedRoutes.namespaces` (`from: All` or a Selector); make the route hostnames intersect the listener hostname.',
  mirrors: 'gateway-api apis/v1 httproute_types.go (ParentRefs, Hostnames), gateway_types.go (AllowedRoutes); conformance HTTPRouteInvalidParentRef*, HTTPRouteHostnameIntersection, HTTPRouteDisallowedKind; Kiali KIA1401',
  check(ctx) {
    return problemFindings(ctx, ['route-not-accepted'], { kinds: ROUTE_KINDS });
  },
};

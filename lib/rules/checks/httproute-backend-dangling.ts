import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Every Gateway API route kind the model attaches (the checks apply to all of them). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** HTTPRoute backendRefs the L7 model cannot resolve (`backend-not-found`, `backend-port`, `backend-invalid-kind`). */
export const httpRouteBackendDangling: Rule = {
  id: 'httproute-backend-dangling',
  family: 'routing',
  severity: 'error',
  summary: 'A route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) backendRef to a Service that does not exist, to a port the Service does not have, or to a kind that is not a Service.',
  why: 'The route gets `ResolvedRefs: False` (BackendNotFound, InvalidKind) and the backend\'s share of the rule\'s requests is answered with 500; when every backend of a rule is invalid, all of its requests get 500.',
  fix: 'Reference an existing Service (namespace included when it is elsewhere) and one of its `spec.ports[].port` numbers.',
  mirrors: 'gateway-api apis/v1 shared_types.go BackendRef, httproute_types.go BackendRefs ("all traffic ... MUST receive a 500"); conformance HTTPRouteInvalidNonExistentBackendRef, HTTPRouteInvalidBackendRefUnknownKind; Kiali KIA1402',
  check(ctx) {
    // A Service backendRef without a port is rejected by the CRD itself: httproute-invalid reports it.
    const portless = new Set<string>();
    for (const route of ctx.l7.parsed.byKind.HTTPRoute) {
      route.spec.rules.forEach((rule, i) => (rule.backendRefs ?? []).forEach((b, j) => {
        if (b.port === undefined && b.kind === 'Service' && (b.group === '' || b.group === 'core')) portless.add(`${route.namespace}/${route.name}|spec.rules[${i}].backendRefs[${j}]`);
      }));
    }
    return problemFindings(ctx, ['backend-not-found', 'backend-port', 'backend-invalid-kind'], { kinds: ROUTE_KINDS })
      .filter((f) => !portless.has(`${f.object.ref.namespace}/${f.object.ref.name}|${f.path}`));
  },
};

import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** HTTPRoute backendRefs the L7 model cannot resolve (`backend-not-found`, `backend-port`, `backend-invalid-kind`). */
export const httpRouteBackendDangling: Rule = {
  id: 'httproute-backend-dangling',
  family: 'routing',
  severity: 'error',
  summary: 'An HTTPRoute backendRef to a Service that does not exist, to a port the Service does not have, or to a kind that is not a Service.',
  why: 'The route gets `ResolvedRefs: False` (BackendNotFound, InvalidKind) and the backend\'s share of the rule\'s requests is answered with 500; when every backend of a rule is invalid, all of its requests get 500.',
  fix: 'Reference an existing Service (namespace included when it is elsewhere) and one of its `spec.ports[].port` numbers.',
  mirrors: 'gateway-api apis/v1 shared_types.go BackendRef, httproute_types.go BackendRefs ("all traffic ... MUST receive a 500"); conformance HTTPRouteInvalidNonExistentBackendRef, HTTPRouteInvalidBackendRefUnknownKind; Kiali KIA1402',
  check(ctx) {
    return problemFindings(ctx, ['backend-not-found', 'backend-port', 'backend-invalid-kind'], { kinds: ['HTTPRoute'] });
  },
};

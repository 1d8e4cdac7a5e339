import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Every Gateway API route kind the model attaches (the checks apply to all of them). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** Cross-namespace backendRefs without a ReferenceGrant (the L7 model's `ref-not-permitted`). */
export const httpRouteRefNotPermitted: Rule = {
  id: 'httproute-ref-not-permitted',
  family: 'routing',
  severity: 'error',
  summary: 'A route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) backendRef to a Service in another namespace that no ReferenceGrant in that namespace allows.',
  why: 'Without a grant from the target namespace the implementation refuses the reference (`ResolvedRefs: False`, RefNotPermitted) and answers the backend\'s share of requests with 500.',
  fix: 'Add a ReferenceGrant in the Service\'s namespace with `from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: <route namespace>}]` and `to: [{group: "", kind: Service}]` (optionally with the Service name), or move the route next to the Service.',
  mirrors: 'gateway-api apis/v1beta1 referencegrant_types.go; conformance HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRouteReferenceGrant; Kiali KIA1601',
  check(ctx) {
    return problemFindings(ctx, ['ref-not-permitted'], { kinds: ROUTE_KINDS });
  },
};

import { validateHttpRoute } from '../../k8s/gateway-validation';
import { admissionFindings } from '../l7/admission';
import type { Rule } from '../types';

/** The HTTPRoute CRD's OpenAPI schema and CEL rules (Gateway API v1.6.1), over manifests. */
export const httpRouteInvalid: Rule = {
  id: 'httproute-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'HTTPRoute fields the CRD schema or its CEL rules reject: path match values, header and query names, methods, filters (type and field, redirect with rewrite, path modifiers, mirror fractions, CORS wildcards), backendRefs without a port, timeouts, parentRef sectionNames, limits.',
  why: 'The API server evaluates the CRD\'s `x-kubernetes-validations` on create, so `kubectl apply` fails and none of the route\'s rules are programmed; schema-only tools (kubeconform) do not run CEL and miss these. Exact and PathPrefix values must start with `/` and must not contain `//`, `/./`, `/../`, `%2f` or `#`.',
  fix: 'Change the field as the message says.',
  mirrors: 'gateway-api v1.6.1 gateway.networking.k8s.io_httproutes.yaml x-kubernetes-validations (apis/v1/httproute_types.go markers)',
  scope: 'object',
  check(ctx) {
    return admissionFindings(ctx, [{ key: 'HTTPRoute', validate: validateHttpRoute }]);
  },
};

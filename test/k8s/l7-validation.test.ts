/**
 * The HTTPRoute filter CEL rules of the Gateway API v1.6.1 CRD (`gateway.networking.k8s.io_httproutes.yaml`
 * `x-kubernetes-validations` under `filters[].requestRedirect.path`, `urlRewrite.path`,
 * `requestMirror` and `cors`), checked by `validateHttpRoute`: the same function the HttpRoute
 * construct runs at synth and the `httproute-invalid` rule runs over manifests.
 */
import { validateHttpRoute, type HttpRouteFilterWire } from '../../lib/k8s/gateway-validation';

const routeWith = (filters: HttpRouteFilterWire[], backendFilters: HttpRouteFilterWire[] = []) => ({
  metadata: { name: 'r' }, spec: { rules: [{ filters, backendRefs: [{ name: 'web', port: 80, filters: backendFilters }] }] },
});
const fields = (route: ReturnType<typeof routeWith>) => validateHttpRoute(route).map((p) => `${p.field}: ${p.message}`);

describe('HTTPRoute filter CEL rules (gateway-api v1.6.1 CRD)', () => {
  test('path modifiers: the type names the field that is set, on rule and backendRef filters', () => {
    expect(fields(routeWith([{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch' } } }], [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replaceFullPath: '/x' } } }]))).toEqual([
      "spec.rules[0].filters[0].requestRedirect.path: Invalid value: replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
      "spec.rules[0]: Invalid value: RequestRedirect filter must not be used together with backendRefs",
      "spec.rules[0]: Invalid value: When using a filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
      "spec.rules[0].backendRefs[0].filters[0].urlRewrite.path: Invalid value: type must be 'ReplaceFullPath' when replaceFullPath is set",
      "spec.rules[0].backendRefs[0].filters[0].urlRewrite.path: Invalid value: replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
    ]);
    expect(fields(routeWith([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/x' } } }]))).toEqual([]);
  });

  test('mirrors: percent or fraction, numerator <= denominator (default 100), a port for Services', () => {
    expect(fields(routeWith([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'm' }, percent: 10, fraction: { numerator: 101 } } }]))).toEqual([
      'spec.rules[0].filters[0].requestMirror.backendRef: Invalid value: Must have port for Service reference',
      'spec.rules[0].filters[0].requestMirror: Invalid value: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
      'spec.rules[0].filters[0].requestMirror.fraction: Invalid value: numerator must be less than or equal to denominator (101 > 100)',
    ]);
    expect(fields(routeWith([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'm', port: 80 }, fraction: { numerator: 1, denominator: 3 } } }]))).toEqual([]);
    expect(fields(routeWith([{ type: 'RequestMirror', requestMirror: { backendRef: { group: 'example.com', kind: 'Bucket', name: 'm' } } }]))).toEqual([]);
  });

  test('CORS: "*" only alone (the CRD says "other methods" for headers too)', () => {
    expect(fields(routeWith([{ type: 'CORS', cors: { allowOrigins: ['*', 'https://a.example'], allowMethods: ['*'], allowHeaders: ['x', '*'] } }]))).toEqual([
      "spec.rules[0].filters[0].cors.allowOrigins: Invalid value: AllowOrigins cannot contain '*' alongside other origins",
      "spec.rules[0].filters[0].cors.allowHeaders: Invalid value: AllowHeaders cannot contain '*' alongside other methods",
    ]);
  });
});

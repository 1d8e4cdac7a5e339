import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** `spec.gatewayClassName` naming a GatewayClass the manifests do not define (the L7 model's `gateway-class-missing`). */
export const gatewayClassMissing: Rule = {
  id: 'gateway-class-missing',
  family: 'routing',
  severity: 'info',
  summary: 'A Gateway whose `gatewayClassName` names a GatewayClass that is not among the manifests.',
  why: 'Implementations program only Gateways of their own class. Most install their GatewayClass themselves, so this is usually fine; a misspelt class name looks the same and leaves the Gateway unprogrammed (no addresses, routes get nothing).',
  fix: 'Use the GatewayClass name of the installed implementation (`kubectl get gatewayclass`), or add the GatewayClass to the manifests.',
  mirrors: 'gateway-api apis/v1 gateway_types.go GatewaySpec.GatewayClassName; Kiali KIA1504',
  check(ctx) {
    return problemFindings(ctx, ['gateway-class-missing']);
  },
};

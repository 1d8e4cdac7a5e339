import { validateGateway, validateGatewayClass, validateReferenceGrant } from '../../k8s/gateway-validation';
import { admissionFindings } from '../l7/admission';
import type { Rule } from '../types';

/** The Gateway, GatewayClass and ReferenceGrant CRDs' schema and CEL rules (Gateway API v1.6.1). */
export const gatewayInvalid: Rule = {
  id: 'gateway-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Gateway, GatewayClass or ReferenceGrant fields the CRD schema or its CEL rules reject: listener names, hostnames, ports, protocol and TLS combinations, duplicate listeners, controller names, grant kinds.',
  why: 'The API server rejects the object on create: a Gateway that is never stored serves no listener, and a ReferenceGrant that is never stored permits nothing.',
  fix: 'Change the field as the message says.',
  mirrors: 'gateway-api v1.6.1 CRDs gateways, gatewayclasses, referencegrants (x-kubernetes-validations, OpenAPI patterns)',
  scope: 'object',
  check(ctx) {
    return admissionFindings(ctx, [
      { key: 'Gateway', validate: validateGateway },
      { key: 'GatewayClass', validate: validateGatewayClass },
      { key: 'ReferenceGrant', validate: validateReferenceGrant },
    ]);
  },
};

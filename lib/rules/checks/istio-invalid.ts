import { validateDestinationRule, validateIstioGateway, validateServiceEntry, validateVirtualService } from '../../k8s/istio-validation';
import { admissionFindings } from '../l7/admission';
import type { Rule } from '../types';

/** Istio's validating webhook (pkg/config/validation) over VirtualService, DestinationRule, Gateway, ServiceEntry. */
export const istioInvalid: Rule = {
  id: 'istio-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'VirtualService, DestinationRule, Istio Gateway or ServiceEntry fields Istio\'s validating webhook rejects: hosts, gateway names, route+redirect combinations, negative or all-zero weights, string matches, subsets, server ports and TLS.',
  why: 'istiod\'s admission webhook refuses the object, so `kubectl apply` fails and the mesh keeps the previous configuration (or none).',
  fix: 'Change the field as the message says.',
  mirrors: 'istio pkg/config/validation validation.go (ValidateVirtualService, ValidateDestinationRule, ValidateGateway, ValidateServiceEntry); istioctl analyze IST0106',
  scope: 'object',
  check(ctx) {
    return admissionFindings(ctx, [
      { key: 'VirtualService', validate: validateVirtualService },
      { key: 'DestinationRule', validate: validateDestinationRule },
      { key: 'IstioGateway', validate: validateIstioGateway },
      { key: 'ServiceEntry', validate: validateServiceEntry },
    ]);
  },
};

import { validateIngress, validateIngressClass } from '../../k8s/ingress-validation';
import { admissionFindings } from '../l7/admission';
import type { Rule } from '../types';

/** The API server's Ingress and IngressClass validation, over manifests (lib/k8s/ingress-validation). */
export const ingressInvalid: Rule = {
  id: 'ingress-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Ingress or IngressClass fields the API server rejects: path syntax per pathType, hosts (DNS names, `*.` wildcard, no IP or port), backends (service or resource, port name or number), TLS hosts, class names.',
  why: '`kubectl apply` fails for the whole Ingress, so none of its hosts or paths are served. Exact and Prefix paths must start with `/` and must not contain `//`, `/./`, `/../` or an encoded slash; hosts are DNS names, `*.` covers one label, and `*` alone, IPs and ports are rejected.',
  fix: 'Change the field as the message says (each message names the field and the allowed values).',
  mirrors: 'kubernetes pkg/apis/networking/validation ValidateIngressCreate (validateHTTPIngressPath, validateIngressBackend, validateIngressTLS), ValidateIngressClass',
  check(ctx) {
    return admissionFindings(ctx, [
      { key: 'Ingress', validate: validateIngress },
      { key: 'IngressClass', validate: validateIngressClass },
    ]);
  },
};

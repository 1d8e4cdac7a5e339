import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** `spec.ingressClassName` naming an IngressClass the manifests do not define (the L7 model's `ingress-class-missing`). */
export const ingressClassMissing: Rule = {
  id: 'ingress-class-missing',
  family: 'routing',
  severity: 'warning',
  summary: 'An Ingress whose `ingressClassName` names an IngressClass that is not among the manifests.',
  why: 'Controllers serve only Ingresses of their own class. Unless the controller\'s installation creates that IngressClass, no controller picks the Ingress up and its hosts are not served (a typo in the class name looks exactly like this).',
  fix: 'Use the class name of an installed controller (`kubectl get ingressclass`), or add the IngressClass to the manifests; suppress the finding when the controller installs the class itself.',
  mirrors: 'k8s.io/api networking/v1 IngressSpec.IngressClassName; ingress-nginx ingress class filtering',
  check(ctx) {
    return problemFindings(ctx, ['ingress-class-missing']);
  },
};

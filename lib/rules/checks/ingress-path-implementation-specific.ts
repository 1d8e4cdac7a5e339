import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** `pathType: ImplementationSpecific` (the L7 model's `ingress-implementation-specific`). */
export const ingressPathImplementationSpecific: Rule = {
  id: 'ingress-path-implementation-specific',
  family: 'routing',
  severity: 'info',
  summary: 'An Ingress path with `pathType: ImplementationSpecific`.',
  why: 'Its matching is whatever the controller decides: ingress-nginx treats it as a plain string prefix (`/api` also matches `/apiv2`) or as a regex with `use-regex`, other controllers as Prefix or Exact. The same manifest routes differently when the controller changes.',
  fix: 'Use `Prefix` (element-wise: `/api` matches `/api` and `/api/x`, not `/apix`) or `Exact`, unless you rely on the controller\'s regex paths.',
  mirrors: 'k8s.io/api networking/v1 PathType; ingress-nginx location.go (ImplementationSpecific as a string prefix); kubernetes/ingress-nginx#7196',
  check(ctx) {
    return problemFindings(ctx, ['ingress-implementation-specific']);
  },
};

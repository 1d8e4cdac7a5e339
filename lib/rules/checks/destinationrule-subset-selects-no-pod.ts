import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Subsets a VirtualService routes to whose labels no pod of the host's Service carries (the L7 model's `dr-subset-no-pods` warnings; unused subsets are not reported). */
export const destinationRuleSubsetSelectsNoPod: Rule = {
  id: 'destinationrule-subset-selects-no-pod',
  family: 'routing',
  severity: 'error',
  summary: 'A DestinationRule subset a VirtualService routes to whose labels, together with the Service\'s selector, match no pod.',
  why: 'The subset\'s Envoy cluster has no endpoints, so every request a VirtualService routes to it gets 503 (UH, no healthy upstream).',
  fix: 'Use labels the Service\'s pods carry (e.g. `version: v2` on the v2 Deployment\'s pod template), or deploy the workload the subset is meant for.',
  mirrors: 'istioctl analyze IST0173 DestinationRuleSubsetNotSelectPods (destinationrule/subset.go); Kiali KIA0203',
  check(ctx) {
    return problemFindings(ctx, ['dr-subset-no-pods'], { severities: ['warning'] });
  },
};

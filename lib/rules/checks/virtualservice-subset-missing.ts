import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Destinations naming a subset no DestinationRule defines for the host (the L7 model's `vs-subset-missing`). */
export const virtualServiceSubsetMissing: Rule = {
  id: 'virtualservice-subset-missing',
  family: 'routing',
  severity: 'error',
  summary: 'A VirtualService destination `subset` that no DestinationRule for that host defines.',
  why: 'The subset has no Envoy cluster, so the destination\'s share of requests gets 503 (NR); this is the classic "make before break" mistake of applying the VirtualService before the DestinationRule.',
  fix: 'Define the subset (name and pod labels) in the DestinationRule for the same host, or fix the subset name.',
  mirrors: 'istioctl analyze IST0101 (virtualservice/destinationrules.go); Kiali KIA1107; istio.io best practices "make-before-break"',
  check(ctx) {
    return problemFindings(ctx, ['vs-subset-missing']);
  },
};

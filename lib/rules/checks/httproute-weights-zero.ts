import { objectOf } from '../l7/problems';
import type { Finding, Rule } from '../types';

/** HTTPRoute rules whose backendRefs all weigh 0 (reads the L7 model's parsed routes, weights defaulted to 1). */
export const httpRouteWeightsZero: Rule = {
  id: 'httproute-weights-zero',
  family: 'routing',
  severity: 'warning',
  summary: 'An HTTPRoute rule whose backendRefs all have `weight: 0`.',
  why: 'A backend\'s share is weight / sum of weights, and weight 0 sends it nothing: with every weight 0 no backend is chosen and every request the rule matches gets 500. This is usually a canary or drain step taken one step too far.',
  fix: 'Give at least one backendRef a positive weight (an omitted weight is 1), or remove the rule if it is meant to be off.',
  mirrors: 'gateway-api apis/v1 shared_types.go BackendRef.Weight ("If weight is set to 0, no traffic should be forwarded"); conformance HTTPRouteWeight',
  check(ctx) {
    const out: Finding[] = [];
    for (const route of ctx.l7.parsed.byKind.HTTPRoute) {
      route.spec.rules.forEach((rule, i) => {
        const refs = rule.backendRefs ?? [];
        if (refs.length === 0 || refs.some((b) => b.weight > 0)) return;
        const object = objectOf(ctx, route.ref);
        if (object) {
          out.push({
            object, path: `spec.rules[${i}].backendRefs`,
            message: `every backendRef of rule ${rule.name ?? i} has weight 0 (${refs.map((b) => b.name).join(', ')}): no backend is chosen, requests get 500`,
          });
        }
      });
    }
    return out;
  },
};

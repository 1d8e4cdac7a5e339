import { objectOf } from '../l7/problems';
import type { Finding, Rule } from '../types';

/**
 * Istio route weights as the proxy applies them (`virtual_service.proto` HTTPRouteDestination:
 * weight / sum; a lone destination takes everything; an omitted weight is 0 among several).
 * Reads the L7 model's parsed VirtualServices. All-zero weights are `istio-invalid` (the webhook rejects them).
 */
export const virtualServiceWeights: Rule = {
  id: 'virtualservice-weights',
  family: 'routing',
  severity: 'warning',
  summary: 'VirtualService route weights that do not add up to 100, a destination left without a weight next to weighted ones, or a lone destination with a weight other than 100.',
  why: 'Envoy sends each destination weight / (sum of weights) of the requests, so weights meant as percentages silently change meaning when they do not add up to 100 (90 + 20 is 82% / 18%); a destination without a weight among several gets nothing; a single destination gets everything whatever its weight.',
  fix: 'Write weights as percentages that add up to 100, and give every destination of a split its weight.',
  mirrors: 'istio/api networking/v1alpha3 virtual_service.proto HTTPRouteDestination.weight; Kiali KIA1104; older Istio webhooks required a total of 100',
  check(ctx) {
    const out: Finding[] = [];
    for (const vs of ctx.l7.parsed.byKind.VirtualService) {
      const object = objectOf(ctx, vs.ref);
      if (!object) continue;
      vs.spec.http.forEach((http, i) => {
        const dests = http.route ?? [];
        const at = `spec.http[${i}].route`;
        if (dests.length === 1) {
          const w = dests[0].weight;
          if (w !== undefined && w !== 100) out.push({ object, path: `${at}[0].weight`, message: `the only destination (${dests[0].destination.host}) has weight ${w}, but a lone destination gets 100% of the requests` });
          return;
        }
        if (dests.length < 2 || dests.every((d) => d.weight === undefined)) return;
        const total = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
        if (total === 0) return;
        const shares = dests.map((d) => `${d.destination.host}${d.destination.subset ? `/${d.destination.subset}` : ''} ${Math.round(((d.weight ?? 0) / total) * 1000) / 10}%`).join(', ');
        dests.forEach((d, j) => {
          if (d.weight === undefined) out.push({ object, path: `${at}[${j}]`, message: `destination ${d.destination.host}${d.destination.subset ? ` subset ${d.destination.subset}` : ''} has no weight while others have one: it gets no requests (shares: ${shares})` });
        });
        if (total !== 100) out.push({ object, path: at, message: `weights add up to ${total}, not 100: the actual shares are ${shares}` });
      });
    }
    return out;
  },
};

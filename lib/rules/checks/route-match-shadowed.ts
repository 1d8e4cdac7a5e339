import { label } from '../../engine/l7/parse';
import { objectOf } from '../l7/problems';
import { shadowedMatches, type ShadowPlace } from '../l7/shadow';
import type { Finding, Rule } from '../types';

/**
 * HTTPRoute and VirtualService matches that never win: witness requests for the match, routed
 * by the L7 model at every place the route is attached, all end on another rule (lib/rules/l7/shadow.ts).
 */
export const routeMatchShadowed: Rule = {
  id: 'route-match-shadowed',
  family: 'routing',
  severity: 'warning',
  summary: 'An HTTPRoute or VirtualService match that never wins: every request it accepts is taken first by another rule (of the same or another object).',
  why: 'Gateway API picks the most specific match across all routes on a listener and host (Exact, longest prefix, method, headers, query; then the oldest route); Istio takes the first matching http route, with several VirtualServices for one gateway host merged in creation order. A rule behind an identical or broader one receives nothing, which is usually a copy-paste mistake or two teams claiming the same path; when only creation order decides, the winner can change on re-apply.',
  fix: 'Make the match more specific than the one that wins (a longer path, a header), remove the duplicate, or (Istio) move catch-all routes to the end.',
  mirrors: 'istioctl analyze IST0130 VirtualServiceUnreachableRule / IST0131 VirtualServiceIneffectiveMatch (validation.go analyzeUnreachableHTTPRules), extended across objects; gateway-api httproute_types.go match precedence; gateway-api#4303',
  check(ctx) {
    const out: Finding[] = [];
    for (const s of shadowedMatches(ctx.l7, ctx.shadowProbes)) {
      const object = objectOf(ctx, s.object);
      if (!object) continue;
      const first = s.places[0];
      const more = s.places.length > 1 ? ` (and ${s.places.length - 1} more place${s.places.length > 2 ? 's' : ''})` : '';
      const elsewhere = s.winningPlaces > 0 ? ' (it wins elsewhere)' : '';
      const w = first.winner;
      const winner = `${w.kind} ${w.object ? label(w.object) : ''} ${w.kind === 'VirtualService' ? 'http' : 'rule'}[${w.rule}]${w.match !== undefined ? ` match[${w.match}]` : ''} (${w.description})`;
      const order = first.ambiguities.some((a) => a.kind === 'creation-order') ? '; only creation order decides this, and the manifests do not fix it' : '';
      const what = s.kind === 'VirtualService' ? `http[${s.rule}]${s.match !== undefined ? ` match[${s.match}]` : ''}` : `rule[${s.rule}] match[${s.match ?? 0}] (${s.text})`;
      out.push({
        object, path: s.path,
        message: `${what} never wins ${placeText(first)}${more}${elsewhere}: ${first.request} goes to ${winner}${order}`,
      });
    }
    return out;
  },
};

function placeText(p: ShadowPlace): string {
  return p.entry === 'mesh' ? `in the mesh for ${p.host}` : `on ${p.entry} for host ${p.host}`;
}

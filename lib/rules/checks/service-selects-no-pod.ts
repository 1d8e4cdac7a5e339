import { matchesMap } from '../../engine/controllers/label-selector';
import type { Finding, Rule } from '../types';

/** kube-linter `dangling-service` / kube-score `service-targets-pod`, answered by the EndpointSlice controller. */
export const serviceSelectsNoPod: Rule = {
  id: 'service-selects-no-pod',
  family: 'routing',
  severity: 'error',
  summary: 'A Service whose selector matches no pod in its namespace.',
  why: 'The Service gets no endpoints: connections to it are rejected (kube-proxy installs a REJECT rule) and DNS for a headless Service returns nothing.',
  fix: 'Make the selector a subset of the pod template labels of the workload it should reach (and put both in the same namespace).',
  mirrors: 'kube-linter dangling-service; kube-score service-targets-pod; kubernetes pkg/controller/endpointslice',
  check(ctx) {
    const out: Finding[] = [];
    const templates = ctx.podTemplates();
    for (const { object: o, svc } of ctx.selectorServices()) {
      if (ctx.endpointsOf(svc).length > 0) continue;
      // Pods that match but were never placed (unschedulable, no IP) are the engine's diagnostics, not this rule.
      const selector = svc.selector;
      if (templates.some((t) => (t.object.ref.namespace ?? 'default') === svc.namespace && matchesMap(selector, t.labels))) continue;
      const sel = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
      out.push({ object: o, path: 'spec.selector', message: `selector ${sel} matches no pod in namespace "${svc.namespace}": the Service has no endpoints` });
    }
    return out;
  },
};

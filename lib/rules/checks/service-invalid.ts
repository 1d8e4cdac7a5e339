import { validateService } from '../../k8s/service-validation';
import type { Finding, Rule } from '../types';

/** Per-object wrapper of `validateService` (lib/k8s): the API server's `ValidateService`. */
export const serviceInvalid: Rule = {
  id: 'service-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Service fields the API server rejects: name, ports, port names, nodePort range, type-specific fields, ExternalName, traffic policies.',
  why: '`kubectl apply` fails for the whole Service, so nothing routes to the pods behind it.',
  fix: 'Change the field as the message says (each message names the field and the allowed values).',
  mirrors: 'kubernetes pkg/apis/core/validation ValidateService; NodePort allocator range check',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    const nodePortRange = ctx.profile.nodePortRange;
    for (const o of ctx.ofKind('Service')) {
      if (o.typed?.kind !== 'Service') continue;
      for (const p of validateService(o.typed, { nodePortRange })) out.push({ object: o, path: p.field, message: p.message, fix: p.fix });
    }
    return out;
  },
};

import { validateNetworkPolicy } from '../../k8s/network-policy-validation';
import type { Finding, Rule } from '../types';

/** Per-object wrapper of `validateNetworkPolicy` (lib/k8s): the API server's `ValidateNetworkPolicySpec`. */
export const networkPolicyInvalid: Rule = {
  id: 'networkpolicy-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'NetworkPolicy fields the API server rejects: field types, label selectors, ports and endPort, peers (none, or ipBlock with another), ipBlock CIDRs and except, policyTypes.',
  why: '`kubectl apply` fails for the whole NetworkPolicy, so the isolation it was written for never takes effect; the simulation leaves it out too.',
  fix: 'Change the field as the message says (each message names the field and what is allowed).',
  mirrors: 'kubernetes pkg/apis/networking/validation ValidateNetworkPolicySpec; apimachinery ValidateLabelSelector',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.ofKind('NetworkPolicy')) {
      if (o.apiVersion !== 'networking.k8s.io/v1') continue;
      for (const p of validateNetworkPolicy(o.raw)) out.push({ object: o, path: p.field, message: p.message, fix: p.fix });
    }
    return out;
  },
};

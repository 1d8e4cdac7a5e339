import { unservedApiMessage } from '../../k8s/removed-apis';
import type { Finding, Rule } from '../types';

/**
 * Objects of a known kind in an apiVersion the API server no longer serves. The rule context
 * keeps them away from every other rule (their fields follow an old schema) and from the
 * simulation, and this rule says so.
 */
export const apiVersionRemoved: Rule = {
  id: 'api-version-removed',
  family: 'api-server',
  severity: 'error',
  summary: 'Objects in an apiVersion the API server no longer serves, or never served for their kind (e.g. apps/v1beta2 Deployment, extensions/v1beta1 Ingress, batch/v1beta1 Job).',
  why: '`kubectl apply` fails with "no matches for kind"; the object is also left out of the simulation, so routes to its pods are missing.',
  fix: 'Change `apiVersion` to the served version the message names and check the fields that changed with it (e.g. `spec.selector` is required in apps/v1).',
  mirrors: 'Kubernetes deprecated API migration guide; kubent, pluto',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.unservedObjects) {
      const message = unservedApiMessage(o.ref.kind, o.apiVersion);
      if (message) out.push({ object: o, path: 'apiVersion', message });
    }
    return out;
  },
};

import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/**
 * The same host + path + pathType in two Ingresses of one class (the L7 model's
 * `ingress-duplicate-path`, found while it merges a class's Ingresses per host as controllers do).
 */
export const ingressDuplicatePath: Rule = {
  id: 'ingress-duplicate-path',
  family: 'routing',
  severity: 'error',
  summary: 'Two Ingresses of the same class define the same host, path and pathType.',
  why: 'Controllers merge every Ingress of their class per host, and one host+path can only go to one backend: ingress-nginx keeps the oldest Ingress\'s path (its admission webhook rejects the newer one), other controllers pick by their own order. One of the two backends never gets these requests, and which one can change when objects are recreated.',
  fix: 'Give each host+path one owner: remove the path from one Ingress, change the host or path, or use the controller\'s canary mechanism if the second backend is meant to take a share.',
  mirrors: 'ingress-nginx docs/how-it-works.md ("oldest rule wins") and admission webhook (controller.go: "host and path is already defined in ingress"); no linter checks this across objects',
  check(ctx) {
    return problemFindings(ctx, ['ingress-duplicate-path']);
  },
};

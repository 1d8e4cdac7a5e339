import type { Finding, Rule } from '../types';

/** kube-linter `host-network`, Polaris `hostNetworkSet`. */
export const podHostNetwork: Rule = {
  id: 'pod-host-network',
  family: 'exposure',
  severity: 'warning',
  summary: 'A pod (or pod template) with `hostNetwork: true`.',
  why: 'The pod shares the node\'s network namespace: every port it listens on is open on the node, NetworkPolicies do not apply, and two replicas on one node collide on ports.',
  fix: 'Remove `hostNetwork` and expose the pod through a Service.',
  mirrors: 'kube-linter host-network; Polaris hostNetworkSet',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.podTemplates()) {
      if (t.spec.hostNetwork === true) out.push({ object: t.object, path: `${t.at}.hostNetwork`, message: 'hostNetwork: true puts the pod on the node\'s network' });
    }
    return out;
  },
};

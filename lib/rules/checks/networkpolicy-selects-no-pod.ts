import type { Finding, Rule } from '../types';

/** kube-linter `dangling-networkpolicy`, kubescape C-0299, answered by the policy model's selection. */
export const networkPolicySelectsNoPod: Rule = {
  id: 'networkpolicy-selects-no-pod',
  family: 'routing',
  severity: 'warning',
  summary: 'A NetworkPolicy whose podSelector matches no pod in its namespace.',
  why: 'The policy isolates nothing and admits nothing: the traffic it was written for is decided by other policies (or allowed), usually because a label or the namespace is wrong.',
  fix: 'Make spec.podSelector match the labels of the pods it should protect, in the policy\'s namespace.',
  mirrors: 'kube-linter dangling-networkpolicy; kubescape C-0299',
  check(ctx) {
    const out: Finding[] = [];
    for (const np of ctx.policy.networkPolicies) {
      if (ctx.policy.selectedPods(np).length > 0) continue;
      const o = ctx.find('NetworkPolicy', np.namespace, np.ref.name);
      if (!o) continue;
      out.push({ object: o, path: 'spec.podSelector', message: `podSelector ${JSON.stringify(np.podSelector)} matches no pod in namespace "${np.namespace}": the policy applies to nothing` });
    }
    return out;
  },
};

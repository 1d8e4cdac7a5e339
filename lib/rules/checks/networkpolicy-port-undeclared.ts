import type { Finding, Rule } from '../types';

/** The policy model resolves ports on the destination pod (NetworkPolicyPort: named ports by name and protocol). */
export const networkPolicyPortUndeclared: Rule = {
  id: 'networkpolicy-port-undeclared',
  family: 'routing',
  severity: 'warning',
  summary: 'A NetworkPolicy ingress port that no selected pod declares as a container port.',
  why: 'A named port that no selected pod defines never matches, so the rule admits nothing; a numeric port no container declares usually means the policy names the Service port instead of the targetPort (policies see traffic after kube-proxy\'s DNAT).',
  fix: 'Use the container port (the Service\'s targetPort) or a port name the pod template declares.',
  mirrors: 'kubernetes NetworkPolicyPort semantics (staging/src/k8s.io/api/networking/v1/types.go)',
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.policy;
    for (const np of model.networkPolicies) {
      if (!np.policyTypes.includes('Ingress')) continue;
      const pods = model.selectedPods(np);
      if (pods.length === 0) continue;
      const o = ctx.find('NetworkPolicy', np.namespace, np.ref.name);
      if (!o) continue;
      for (const r of np.ingress ?? []) {
        (r.ports ?? []).forEach((clause, i) => {
          if (clause.port === undefined) return;
          const declared = pods.some((pod) => pod.containerPorts.some((c) => c.protocol === clause.protocol && (typeof clause.port === 'string'
            ? c.name === clause.port
            : c.containerPort >= (clause.port as number) && c.containerPort <= (clause.endPort ?? (clause.port as number)))));
          if (declared) return;
          const what = typeof clause.port === 'string' ? `named port "${clause.port}"` : `port ${clause.port}${clause.endPort ? `-${clause.endPort}` : ''}`;
          out.push({ object: o, path: `spec.ingress[${r.index}].ports[${i}]`, message: `${what}/${clause.protocol} is declared by none of the ${pods.length} selected pod(s)${typeof clause.port === 'string' ? ': a named port that no pod defines matches nothing' : ' (is it the Service port? policies see the targetPort)'}` });
        });
      }
    }
    return out;
  },
};

import { matchesSelector } from '../../engine/controllers/label-selector';
import type { Finding, Rule } from '../types';

/** kube-linter `dangling-networkpolicypeer-podselector`, answered by the policy model's peer matching. */
export const networkPolicyPeerMatchesNothing: Rule = {
  id: 'networkpolicy-peer-matches-nothing',
  family: 'routing',
  severity: 'warning',
  summary: 'A NetworkPolicy peer (podSelector / namespaceSelector) that matches no pod or namespace among the manifests.',
  why: 'The rule admits nobody: the clients it was meant for are denied once the pod is isolated. Typical causes are a label typo, or a namespaceSelector on a label the namespace does not carry (use kubernetes.io/metadata.name).',
  fix: 'Match the labels the client pods and namespaces really carry; namespaces always carry kubernetes.io/metadata.name=<name>.',
  mirrors: 'kube-linter dangling-networkpolicypeer-podselector',
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.policy;
    const pods = [...ctx.cluster.pods.values()];
    for (const np of model.networkPolicies) {
      const o = ctx.find('NetworkPolicy', np.namespace, np.ref.name);
      if (!o) continue;
      for (const [dir, rules, key] of [['ingress', np.ingress, 'from'], ['egress', np.egress, 'to']] as const) {
        for (const r of rules ?? []) {
          (r.peers ?? []).forEach((peer, i) => {
            if (peer.kind !== 'pods') return;
            const path = `spec.${dir}[${r.index}].${key}[${i}]`;
            if (peer.namespaceSelector && ![...model.namespaceLabels.values()].some((l) => matchesSelector(peer.namespaceSelector ?? {}, l))) {
              out.push({ object: o, path: `${path}.namespaceSelector`, message: `namespaceSelector ${JSON.stringify(peer.namespaceSelector)} matches no namespace (namespaces carry kubernetes.io/metadata.name plus the labels their manifests give)` });
              return;
            }
            const any = pods.some((p) => model.netpolPeerMatches(peer, np.namespace, { kind: 'pod', pod: p }, p.ip));
            if (!any) out.push({ object: o, path, message: `peer ${JSON.stringify(peer.podSelector ?? {})}${peer.namespaceSelector ? ` in namespaces ${JSON.stringify(peer.namespaceSelector)}` : ` in namespace "${np.namespace}"`} matches no pod among the manifests: this ${dir} rule admits nobody through it` });
          });
        }
      }
    }
    return out;
  },
};

import { policyLabel } from '../../engine/policy';
import { workloadOf } from '../../engine/policy/workload';
import type { Finding, Rule } from '../types';

/** policy-assistant / cyclonus lint CheckDNSBlockedOnUDP, answered by the policy model on the post-DNAT DNS port. */
export const networkPolicyBlocksDns: Rule = {
  id: 'networkpolicy-blocks-dns',
  family: 'routing',
  severity: 'error',
  summary: 'Egress isolation that drops the pod\'s DNS lookups (UDP to cluster DNS on its port after the kube-dns Service\'s DNAT).',
  why: 'Every name lookup of the pod times out, so every connection by name fails although the policy admits the destination. Egress is checked after kube-proxy\'s DNAT: a rule for port 53 misses CoreDNS listening on another targetPort.',
  fix: 'Add an egress rule to the DNS pods (namespaceSelector kubernetes.io/metadata.name=kube-system, podSelector k8s-app=kube-dns) on UDP and TCP at CoreDNS\'s container port.',
  mirrors: 'cyclonus lint CheckDNSBlockedOnUDP / CheckDNSBlockedOnTCP',
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.policy;
    const seen = new Set<string>();
    for (const pod of ctx.cluster.pods.values()) {
      const isolating = model.isolating(pod).egress;
      if (isolating.length === 0 && model.clusterPolicies.length === 0) continue;
      const w = workloadOf(pod);
      const wid = `${pod.namespace}/${w.name}`;
      if (seen.has(wid)) continue;
      seen.add(wid);
      const dns = model.dnsVerdict(pod);
      if (dns.udp.allowed) continue;
      const side = dns.udp.egress.allowed ? dns.udp.ingress : dns.udp.egress;
      const blame = side.rule?.policy ?? isolating[0]?.ref;
      if (!blame) continue;
      const o = blame.kind === 'NetworkPolicy' ? ctx.find('NetworkPolicy', blame.namespace, blame.name) : ctx.ofKind(blame.kind).find((x) => x.ref.name === blame.name);
      if (!o) continue;
      out.push({ object: o, path: blame.kind === 'NetworkPolicy' ? 'spec.egress' : side.rule?.path ?? 'spec', message: `${w.kind} ${wid} cannot resolve names: ${side.reason} (UDP ${model.profile.dns.targetPort} to ${dns.dnsPod.namespace}/${dns.dnsPod.name}); decided by ${policyLabel(blame)}` });
    }
    return out;
  },
};

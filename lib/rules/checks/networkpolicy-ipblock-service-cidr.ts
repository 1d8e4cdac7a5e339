import { cidrContains, parseIPv4, parseIPv4Cidr } from '../../k8s/ip';
import type { Finding, Rule } from '../types';

/** Policies are evaluated after kube-proxy's DNAT (the policy model's post-dnat default). */
export const networkPolicyIpBlockServiceCidr: Rule = {
  id: 'networkpolicy-ipblock-service-cidr',
  family: 'routing',
  severity: 'warning',
  summary: 'A NetworkPolicy ipBlock inside the service CIDR or naming a Service ClusterIP.',
  why: 'Kube-proxy rewrites the ClusterIP to a pod IP before the CNI evaluates egress, so an ipBlock that aims at ClusterIPs never matches (on the common post-DNAT datapaths) and the connection is denied.',
  fix: 'Select the Service\'s pods with a podSelector (and namespaceSelector) instead of its ClusterIP.',
  mirrors: 'NetworkPolicy docs (ipBlock: "cluster-external IPs"); CNI behaviour after Service DNAT',
  check(ctx) {
    const out: Finding[] = [];
    const svcCidr = parseIPv4Cidr(ctx.cluster.profile.serviceCIDR);
    if (!svcCidr) return out;
    const byIp = new Map<number, string>();
    for (const s of ctx.cluster.services.values()) for (const ip of s.clusterIPs) {
      const n = parseIPv4(ip);
      if (n !== undefined) byIp.set(n, `${s.namespace}/${s.name}`);
    }
    for (const np of ctx.policy.networkPolicies) {
      const o = ctx.find('NetworkPolicy', np.namespace, np.ref.name);
      if (!o) continue;
      for (const [dir, rules, key] of [['ingress', np.ingress, 'from'], ['egress', np.egress, 'to']] as const) {
        for (const r of rules ?? []) {
          (r.peers ?? []).forEach((peer, i) => {
            if (peer.kind !== 'ipBlock') return;
            const block = parseIPv4Cidr(peer.cidr);
            if (!block || block.prefix < svcCidr.prefix || !cidrContains(svcCidr, block.base)) return;
            const services = [...byIp.entries()].filter(([n]) => cidrContains(block, n)).map(([, s]) => s);
            out.push({ object: o, path: `spec.${dir}[${r.index}].${key}[${i}].ipBlock.cidr`, message: `${peer.cidr} lies in the service CIDR ${ctx.cluster.profile.serviceCIDR}${services.length ? ` (ClusterIP of ${services.slice(0, 3).join(', ')})` : ''}: after kube-proxy's DNAT the packet carries a pod IP, so this ipBlock never matches` });
          });
        }
      }
    }
    return out;
  },
};

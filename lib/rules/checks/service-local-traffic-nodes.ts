import type { Finding, Rule } from '../types';

/** kube-proxy with `externalTrafficPolicy: Local` only forwards to endpoints on the receiving node. */
export const serviceLocalTrafficNodes: Rule = {
  id: 'service-local-traffic-nodes',
  family: 'routing',
  severity: 'info',
  summary: '`externalTrafficPolicy: Local` on a Service whose ready endpoints leave some ready nodes without a local endpoint.',
  why: 'On those nodes the NodePort drops external traffic (a LoadBalancer health check takes them out of rotation), and load is spread per node rather than per pod.',
  fix: 'Run a pod on every node that receives traffic (DaemonSet, or topology spread), or accept it; for plain NodePort clients, use `Cluster`.',
  mirrors: 'kubernetes pkg/proxy (iptables proxier: externalTrafficPolicy Local, healthcheck node port)',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.ofKind('Service')) {
      const svc = ctx.serviceInfo(o);
      if (!svc || !svc.selector || svc.externalTrafficPolicy !== 'Local') continue;
      if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') continue;
      const withEndpoint = new Set(ctx.endpointsOf(svc).filter((e) => e.conditions.ready).map((e) => e.nodeName));
      const ready = [...ctx.cluster.nodes.values()].filter((n) => n.ready);
      const without = ready.filter((n) => !withEndpoint.has(n.name)).map((n) => n.name).sort();
      if (without.length === 0) continue;
      const list = without.length > 5 ? `${without.slice(0, 5).join(', ')} and ${without.length - 5} more` : without.join(', ');
      out.push({ object: o, path: 'spec.externalTrafficPolicy', message: `${without.length} of ${ready.length} ready nodes have no ready local endpoint and drop external traffic: ${list}` });
    }
    return out;
  },
};

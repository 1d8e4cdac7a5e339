import type { Finding, Rule } from '../types';

/** Where the simulated scheduler placed a Service's endpoints: all on one node is one failure away from none. */
export const serviceEndpointsSingleNode: Rule = {
  id: 'service-endpoints-single-node',
  family: 'routing',
  severity: 'warning',
  summary: 'A Service with two or more endpoints, all on one node, in a cluster with more than one ready node.',
  why: 'Replicas do not protect against a node failure: when that node goes, the Service has no endpoints.',
  fix: 'Relax `nodeName`/`nodeSelector` pinning, or spread the pods (topologySpreadConstraints, pod anti-affinity).',
  mirrors: 'kubernetes scheduler PodTopologySpread (spreading intent); Polaris/kube-score pod anti-affinity advice',
  check(ctx) {
    const out: Finding[] = [];
    const readyNodes = [...ctx.cluster.nodes.values()].filter((n) => n.ready).length;
    if (readyNodes < 2) return out;
    for (const o of ctx.ofKind('Service')) {
      const svc = ctx.serviceInfo(o);
      if (!svc || !svc.selector) continue;
      const eps = ctx.endpointsOf(svc);
      if (eps.length < 2) continue;
      const nodes = new Set(eps.map((e) => e.nodeName));
      if (nodes.size !== 1) continue;
      out.push({ object: o, path: 'spec.selector', message: `all ${eps.length} endpoints run on node ${[...nodes][0]} (the cluster has ${readyNodes} ready nodes)` });
    }
    return out;
  },
};

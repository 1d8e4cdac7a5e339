import { asStringMap, dig } from '../json';
import type { Finding, Rule } from '../types';

/** Cloud providers read this annotation as an alternative to `spec.loadBalancerSourceRanges`. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** kube-linter `exposed-services`, kube-score `service-type`, narrowed to exposure without a source restriction. */
export const serviceExposedWithoutSourceRanges: Rule = {
  id: 'service-exposed-without-source-ranges',
  family: 'exposure',
  severity: 'warning',
  summary: 'A LoadBalancer Service without `loadBalancerSourceRanges`, or a NodePort Service (which cannot restrict sources).',
  why: 'The Service is reachable from any address that reaches the load balancer or a node; kube-proxy only filters LoadBalancer traffic by source ranges.',
  fix: 'For LoadBalancer, list the client CIDRs in `loadBalancerSourceRanges`; instead of NodePort, use a LoadBalancer with source ranges or an Ingress/Gateway.',
  mirrors: 'kube-linter exposed-services; kube-score service-type; Datree SERVICE_INCORRECT_TYPE_VALUE_NODEPORT; kube-proxy loadBalancerSourceRanges filtering',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.ofKind('Service')) {
      const svc = ctx.serviceInfo(o);
      if (!svc) continue;
      if (svc.type === 'NodePort') {
        out.push({ object: o, path: 'spec.type', message: 'type NodePort opens the port on every node to any source' });
      } else if (svc.type === 'LoadBalancer' && svc.loadBalancerSourceRanges.length === 0
        && !asStringMap(dig(o.raw, 'metadata', 'annotations'))[SOURCE_RANGES_ANNOTATION]) {
        out.push({ object: o, path: 'spec.loadBalancerSourceRanges', message: 'LoadBalancer without loadBalancerSourceRanges accepts traffic from any source (0.0.0.0/0), and its nodePorts are open on every node' });
      }
    }
    return out;
  },
};

import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/**
 * Routing input the L7 model reads but does not simulate (`not-simulated`): Istio tcp/tls routes,
 * ServiceImport backends, BackendTLSPolicy targets other than Services. Reported so no routing
 * object is dropped silently: answers about the traffic they route are incomplete.
 */
export const routingNotSimulated: Rule = {
  id: 'routing-not-simulated',
  family: 'routing',
  severity: 'info',
  summary: 'Routing configuration the engine reads but does not simulate: Istio VirtualService `tcp`/`tls` routes, ServiceImport (multi-cluster) backendRefs, BackendTLSPolicy targets that are not Services.',
  why: 'Traces and checks do not follow this configuration, so answers about the traffic it routes (where a TCP connection to the host goes, which cluster a ServiceImport share reaches) are incomplete; the finding says which objects and fields.',
  fix: 'Nothing to fix in the manifests; verify this traffic on a cluster (`netkit apply` then `netkit verify`), or suppress the finding with a reason.',
  mirrors: 'DESIGN.md "Never silently wrong" (coverage); Gateway API extended backend kinds (ServiceImport, KEP-1645); istio VirtualService TCPRoute/TLSRoute',
  check(ctx) {
    return problemFindings(ctx, ['not-simulated']);
  },
};

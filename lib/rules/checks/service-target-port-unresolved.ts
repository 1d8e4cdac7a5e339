import type { Finding, Rule } from '../types';

/**
 * A named targetPort resolves per pod by name AND protocol (`FindPort`); the EndpointSlice
 * controller leaves unresolved ports out of the pod's slice. This rule reads those slices.
 */
export const serviceTargetPortUnresolved: Rule = {
  id: 'service-target-port-unresolved',
  family: 'routing',
  severity: 'error',
  summary: 'A named targetPort that no selected pod declares with that name and protocol.',
  why: 'The endpoints carry no such port, so connections to this Service port have nowhere to go (kube-proxy rejects them), although the Service has endpoints.',
  fix: 'Name the container port exactly as the targetPort (same protocol), or use the container port number.',
  mirrors: 'kubernetes pkg/api/v1/pod FindPort + pkg/controller/endpointslice getEndpointPorts; Kiali KIA0701',
  check(ctx) {
    const out: Finding[] = [];
    for (const { object: o, svc } of ctx.selectorServices()) {
      const slices = ctx.slicesOf(svc);
      svc.ports.forEach((port, i) => {
        if (typeof port.targetPort !== 'string') return;
        let total = 0;
        let missing = 0;
        for (const s of slices) {
          total += s.endpoints.length;
          if (!s.ports.some((p) => p.name === port.name && p.protocol === port.protocol)) missing += s.endpoints.length;
        }
        if (total === 0 || missing === 0) return;
        const pods = ctx.podsOf(svc);
        const otherProtocol = pods.some((p) => p.containerPorts.some((c) => c.name === port.targetPort && c.protocol !== port.protocol));
        const what = `targetPort "${port.targetPort}"/${port.protocol}`;
        const message = missing === total
          ? `${what} is not a container port of any selected pod${otherProtocol ? ' (a port with that name exists, but with another protocol)' : ''}: port ${port.port} routes nowhere`
          : `${what} is missing on ${missing} of ${total} selected pods: those pods get no traffic on port ${port.port}`;
        out.push({ object: o, path: `spec.ports[${i}].targetPort`, message });
      });
    }
    return out;
  },
};

import type { Finding, Rule } from '../types';

/** A numeric targetPort that no selected pod declares (Kiali KIA0701, for numbers). */
export const serviceTargetPortUndeclared: Rule = {
  id: 'service-target-port-undeclared',
  family: 'routing',
  severity: 'warning',
  summary: 'A numeric targetPort that none of the selected pods declares as a container port (with that protocol).',
  why: 'Traffic is forwarded to that port anyway; if nothing listens there, connections are refused. An undeclared port is usually a typo or a stale number.',
  fix: 'Declare the port in the container (`ports: [{containerPort: N}]`) or point targetPort at the port the container declares (by name).',
  mirrors: 'Kiali KIA0701 (Deployment exposing same port as Service not found); istioctl IST0162 for gateways',
  check(ctx) {
    const out: Finding[] = [];
    for (const { object: o, svc } of ctx.selectorServices()) {
      const numeric = svc.ports.filter((p) => typeof p.targetPort === 'number');
      if (numeric.length === 0) continue;
      const pods = ctx.podsOf(svc);
      if (pods.length === 0) continue;
      svc.ports.forEach((port, i) => {
        if (typeof port.targetPort !== 'number') return;
        const declared = pods.some((p) => p.containerPorts.some((c) => c.containerPort === port.targetPort && c.protocol === port.protocol));
        if (declared) return;
        const declaredOther = pods.some((p) => p.containerPorts.some((c) => c.containerPort === port.targetPort));
        out.push({
          object: o, path: `spec.ports[${i}].targetPort`,
          message: `targetPort ${port.targetPort}/${port.protocol} is not declared by any of the ${pods.length} selected pod(s)${declaredOther ? ' (it is declared with another protocol)' : ''}`,
        });
      });
    }
    return out;
  },
};

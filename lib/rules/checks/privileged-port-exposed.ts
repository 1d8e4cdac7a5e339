import type { Finding, Rule } from '../types';

/** Ports below this need root or `CAP_NET_BIND_SERVICE` to bind (the Linux default `ip_unprivileged_port_start`). */
const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * kube-linter `privileged-ports`, narrowed to ports a Service actually forwards to: the
 * container port each Service port resolves to is read from the engine's EndpointSlices.
 */
export const privilegedPortExposed: Rule = {
  id: 'privileged-port-exposed',
  family: 'exposure',
  severity: 'info',
  summary: 'A Service forwards to a container port below 1024 on the pods it selects.',
  why: 'Binding a port below 1024 needs root or the NET_BIND_SERVICE capability in the container, which rules out running as non-root with all capabilities dropped; the Service port can stay low while the container listens high.',
  fix: 'Let the container listen on a port of 1024 or above and keep the low number as the Service `port` (e.g. port 80, targetPort 8080).',
  mirrors: 'kube-linter privileged-ports',
  check(ctx) {
    const out: Finding[] = [];
    for (const { object: o, svc } of ctx.selectorServices()) {
      const slices = ctx.slicesOf(svc);
      svc.ports.forEach((port, i) => {
        const low = new Set<number>();
        let pods = 0;
        for (const s of slices) {
          const resolved = s.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
          if (!resolved || resolved.port <= 0 || resolved.port >= FIRST_UNPRIVILEGED_PORT) continue;
          low.add(resolved.port);
          pods += s.endpoints.length;
        }
        if (pods === 0) return;
        const numbers = [...low].sort((a, b) => a - b).map((n) => `${n}/${port.protocol}`).join(', ');
        out.push({ object: o, path: `spec.ports[${i}].targetPort`, message: `port ${port.port} forwards to privileged container port ${numbers} on ${pods} selected pod(s)` });
      });
    }
    return out;
  },
};

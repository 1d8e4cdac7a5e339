import type { EndpointSliceInfo, ServicePortInfo } from '../../engine/model';
import type { Finding, Rule } from '../types';

/** The container port a Service port resolves to in one EndpointSlice (the engine's FindPort result). */
function resolvedIn(s: EndpointSliceInfo, p: ServicePortInfo): number | undefined {
  return s.ports.find((e) => e.name === p.name && e.protocol === p.protocol)?.port;
}

/**
 * Two cases of one port meaning different things per protocol, both read from engine state:
 * a Service port number exposed over two protocols to different container ports (resolved per
 * EndpointSlice), and a named targetPort the selected pods declare with more than one protocol.
 * Mirrors the mixed-protocol Service review of KEP-1435 and istioctl IST0116 (protocol
 * consistency), at info level: both are legal.
 */
export const serviceMixedProtocols: Rule = {
  id: 'service-mixed-protocols',
  family: 'routing',
  severity: 'info',
  summary: 'A Service port number exposed over TCP and UDP (or SCTP) to different container ports, or a named targetPort the selected pods declare with different protocols.',
  why: 'A port number served over two protocols is expected to reach one server (DNS on 53/TCP and 53/UDP); sending each protocol to a different container port is usually a copy-paste slip. A port name declared TCP on some pods and UDP on others resolves only on the pods whose protocol matches the Service port, so the others silently get no traffic on it.',
  fix: 'Point both protocols of the port number at the same container port, and use one protocol per container port name across the pods a Service selects.',
  mirrors: 'KEP-1435 mixed-protocol Services; istioctl IST0116 protocol consistency; kubernetes FindPort (name and protocol)',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.ofKind('Service')) {
      const svc = ctx.serviceInfo(o);
      if (!svc || svc.type === 'ExternalName') continue;
      const slices = ctx.cluster.endpointSlices.get(`${svc.namespace}/${svc.name}`) ?? [];
      // Same port number, two protocols, different backends.
      svc.ports.forEach((p, i) => {
        for (let j = 0; j < i; j++) {
          const q = svc.ports[j];
          if (q.port !== p.port || q.protocol === p.protocol) continue;
          let differ: string | undefined;
          if (typeof p.targetPort === 'number' && typeof q.targetPort === 'number') {
            if (p.targetPort !== q.targetPort) differ = `${q.targetPort}/${q.protocol} and ${p.targetPort}/${p.protocol}`;
          } else {
            for (const s of slices) {
              const a = resolvedIn(s, q);
              const b = resolvedIn(s, p);
              if (a !== undefined && b !== undefined && a !== b) { differ = `${a}/${q.protocol} and ${b}/${p.protocol}`; break; }
            }
          }
          if (differ) out.push({ object: o, path: `spec.ports[${i}].targetPort`, message: `port ${p.port} is exposed over ${q.protocol} and ${p.protocol} but forwards to different container ports (${differ})` });
        }
      });
      // A named targetPort with more than one protocol across the selected pods.
      if (!svc.selector) continue;
      const pods = ctx.podsOf(svc);
      svc.ports.forEach((p, i) => {
        if (typeof p.targetPort !== 'string') return;
        const protocols = new Map<string, number>();
        for (const pod of pods) {
          for (const c of pod.containerPorts) if (c.name === p.targetPort) protocols.set(c.protocol, (protocols.get(c.protocol) ?? 0) + 1);
        }
        if (protocols.size < 2) return;
        const spread = [...protocols].map(([proto, n]) => `${proto} on ${n} pod(s)`).join(', ');
        out.push({ object: o, path: `spec.ports[${i}].targetPort`, message: `targetPort "${p.targetPort}" is declared ${spread}; port ${p.port}/${p.protocol} reaches only the ${p.protocol} ones` });
      });
    }
    return out;
  },
};

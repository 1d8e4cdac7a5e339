import { asArray, asNumber, asObject, asString, dig } from '../json';
import type { Finding, Rule } from '../types';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** kube-linter `liveness-port` / `readiness-port` / `startup-port` (util.CheckProbePort). */
export const probePortNotDeclared: Rule = {
  id: 'probe-port-not-declared',
  family: 'routing',
  severity: 'warning',
  summary: 'A liveness, readiness or startup probe on a port the container does not declare.',
  why: 'A named probe port that is not declared makes the probe fail, so the pod never becomes ready (no endpoints) or restarts forever; an undeclared number often means the probe checks the wrong port.',
  fix: 'Probe a port the container declares, by its name or number.',
  mirrors: 'kube-linter liveness-port, readiness-port, startup-port',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.podTemplates()) {
      asArray(t.spec.containers).forEach((c, ci) => {
        const declared = asArray(dig(c, 'ports')).map((p) => ({ name: asString(dig(p, 'name')), number: asNumber(dig(p, 'containerPort')) }));
        for (const probe of PROBES) {
          for (const handler of HANDLERS) {
            const h = asObject(dig(c, probe, handler));
            if (!h) continue;
            const port = h.port;
            const at = `${t.at}.containers[${ci}].${probe}.${handler}.port`;
            const cname = asString(dig(c, 'name')) ?? `#${ci}`;
            if (typeof port === 'string' && !declared.some((d) => d.name === port)) {
              out.push({ object: t.object, path: at, message: `container "${cname}" ${probe} uses port name "${port}", which the container does not declare: the probe always fails` });
            } else if (typeof port === 'number' && !declared.some((d) => d.number === port)) {
              out.push({ object: t.object, path: at, message: `container "${cname}" ${probe} probes port ${port}, which the container does not declare` });
            }
          }
        }
      });
    }
    return out;
  },
};

import { asArray, asNumber, asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** kube-linter `ssh-port` (container port 22/TCP), extended to Service ports. */
export const sshPortExposed: Rule = {
  id: 'ssh-port-exposed',
  family: 'exposure',
  severity: 'warning',
  summary: 'Port 22/TCP (SSH) declared by a container or exposed by a Service.',
  why: 'SSH into containers bypasses the Kubernetes API\'s access control and audit; an exposed SSH port is a common attack target.',
  fix: 'Remove the SSH port; use `kubectl exec` or `kubectl debug` for access.',
  mirrors: 'kube-linter ssh-port',
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.podTemplates()) {
      asArray(t.spec.containers).forEach((c, ci) => {
        asArray(dig(c, 'ports')).forEach((p, pi) => {
          if (asNumber(dig(p, 'containerPort')) === 22 && (asString(dig(p, 'protocol')) ?? 'TCP') === 'TCP') {
            out.push({ object: t.object, path: `${t.at}.containers[${ci}].ports[${pi}].containerPort`, message: `container "${asString(dig(c, 'name')) ?? ci}" declares port 22/TCP (SSH)` });
          }
        });
      });
    }
    for (const o of ctx.ofKind('Service')) {
      const svc = ctx.serviceInfo(o);
      svc?.ports.forEach((p, i) => {
        if (p.protocol !== 'TCP') return;
        if (p.port === 22) out.push({ object: o, path: `spec.ports[${i}].port`, message: 'the Service exposes port 22/TCP (SSH)' });
        else if (p.targetPort === 22) out.push({ object: o, path: `spec.ports[${i}].targetPort`, message: `the Service forwards port ${p.port} to 22/TCP (SSH)` });
      });
    }
    return out;
  },
};

import { asArray, asNumber, asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** Polaris `hostPortSet`, Datree `CONTAINERS_INCORRECT_KEY_HOSTPORT`. */
export const podHostPort: Rule = {
  id: 'pod-host-port',
  family: 'exposure',
  severity: 'warning',
  summary: 'A container port with `hostPort`.',
  why: 'The port is opened on the node\'s address, bypassing Services and NetworkPolicies, and limits the workload to one pod per node.',
  fix: 'Remove `hostPort` and expose the port through a Service.',
  mirrors: 'Polaris hostPortSet; Datree CONTAINERS_INCORRECT_KEY_HOSTPORT',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.podTemplates()) {
      for (const group of ['containers', 'initContainers'] as const) {
        asArray(t.spec[group]).forEach((c, ci) => {
          asArray(dig(c, 'ports')).forEach((p, pi) => {
            const hostPort = asNumber(dig(p, 'hostPort'));
            if (hostPort === undefined || hostPort === 0) return;
            out.push({ object: t.object, path: `${t.at}.${group}[${ci}].ports[${pi}].hostPort`, message: `container "${asString(dig(c, 'name')) ?? ci}" opens hostPort ${hostPort} on its node` });
          });
        });
      }
    }
    return out;
  },
};

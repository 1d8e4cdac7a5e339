import { dns1123LabelProblems } from '../../k8s/names';
import { asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** The StatefulSet controller sets each pod's `subdomain` to `serviceName`; pod validation checks it. */
export const statefulSetServiceNameInvalid: Rule = {
  id: 'statefulset-service-name-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'A StatefulSet `serviceName` that is not a DNS-1123 label.',
  why: 'Each pod gets `subdomain: <serviceName>`; the API server rejects every pod, so the set never gets a replica.',
  fix: 'Set `spec.serviceName` to the name of a headless Service (lowercase letters, digits and `-`).',
  mirrors: 'kubernetes pkg/apis/core/validation ValidatePodSpec (spec.subdomain: ValidateDNS1123Label); pkg/controller/statefulset newStatefulSetPod',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.ofKind('StatefulSet')) {
      const name = asString(dig(o.raw, 'spec', 'serviceName'));
      if (name === undefined || name === '') continue;
      for (const msg of dns1123LabelProblems(name)) out.push({ object: o, path: 'spec.serviceName', message: `Invalid value: "${name}": ${msg}` });
    }
    return out;
  },
};

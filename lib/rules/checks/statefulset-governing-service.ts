import { asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/**
 * kube-score `statefulset-has-servicename`, answered from the simulated cluster: the Service
 * must exist in the namespace, be headless and have this set's pods among its endpoints.
 */
export const statefulSetGoverningService: Rule = {
  id: 'statefulset-governing-service',
  family: 'routing',
  severity: 'error',
  summary: 'A StatefulSet whose governing Service (`spec.serviceName`) is missing, not headless, or does not select its pods.',
  why: 'Pods get stable DNS names (`<pod>.<service>.<ns>.svc`) only from a headless Service that selects them; without it peers cannot find each other.',
  fix: 'Create a headless Service (`clusterIP: None`) named `spec.serviceName` in the same namespace whose selector matches the pod template labels.',
  mirrors: 'kube-score statefulset-has-servicename; kubernetes pkg/controller/statefulset + CoreDNS kubernetes plugin (pod records of headless Services)',
  check(ctx) {
    const out: Finding[] = [];
    const sets = ctx.ofKind('StatefulSet');
    const podCount = new Map<string, number>();
    if (sets.length > 0) {
      for (const p of ctx.cluster.pods.values()) {
        if (p.owner?.kind === 'StatefulSet') podCount.set(`${p.namespace}/${p.owner.name}`, (podCount.get(`${p.namespace}/${p.owner.name}`) ?? 0) + 1);
      }
    }
    for (const o of sets) {
      const ns = o.ref.namespace ?? 'default';
      const name = asString(dig(o.raw, 'spec', 'serviceName')) ?? '';
      if (name === '') {
        out.push({ object: o, path: 'spec.serviceName', message: 'no spec.serviceName: the pods get no stable DNS names', fix: 'set `spec.serviceName` to a headless Service that selects the pods' });
        continue;
      }
      const svcObj = ctx.find('Service', ns, name);
      if (!svcObj) {
        out.push({ object: o, path: 'spec.serviceName', message: `Service "${name}" does not exist in namespace "${ns}"` });
        continue;
      }
      const svc = ctx.serviceInfo(svcObj);
      if (!svc) continue; // rejected by the API server: service-invalid reports it
      if (!svc.headless) {
        out.push({ object: o, path: 'spec.serviceName', message: `Service "${name}" is not headless (clusterIP is not None), so there are no per-pod DNS records`, fix: `set \`clusterIP: None\` on Service "${name}" (keep a separate ClusterIP Service for load-balanced traffic)` });
      }
      if ((podCount.get(`${ns}/${o.ref.name}`) ?? 0) === 0) continue;
      const selects = ctx.podsOf(svc).some((p) => p.owner?.kind === 'StatefulSet' && p.owner.name === o.ref.name);
      if (!selects) {
        out.push({ object: o, path: 'spec.serviceName', message: `Service "${name}" does not select this StatefulSet's pods (its selector matches none of them)`, fix: `make Service "${name}"'s selector a subset of the pod template labels` });
      }
    }
    return out;
  },
};

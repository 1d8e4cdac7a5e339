import type { ManifestObject } from '../../manifest/objects';
import { podTemplateOf } from '../context';
import { asArray, asObject, asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** True when the container (or restartable init container, a sidecar) has a readiness probe. */
function hasReadinessProbe(c: unknown): boolean {
  return asObject(dig(c, 'readinessProbe')) !== undefined;
}

/**
 * kube-score `pod-probes` (a pod targeted by a Service without a readiness probe). The pods come
 * from the engine's EndpointSlices for each Service; the finding is on the pod's template.
 */
export const servicePodNoReadinessProbe: Rule = {
  id: 'service-pod-no-readiness-probe',
  family: 'routing',
  severity: 'warning',
  summary: 'A pod selected by a Service (that does not publish not-ready addresses) in which no container has a readinessProbe.',
  why: 'Without a readiness probe a pod is Ready as soon as its containers start: the Service sends traffic before the application listens and keeps sending it when the application stops serving, so clients see refused or failed connections during rollouts and outages.',
  fix: 'Add a `readinessProbe` to the serving container (httpGet, tcpSocket or grpc on the port the Service targets).',
  mirrors: 'kube-score pod-probes (readiness probe on Service-targeted pods)',
  check(ctx) {
    const out: Finding[] = [];
    // One finding per pod template, naming every Service that selects it.
    const byTemplate = new Map<string, { finding: Omit<Finding, 'message'>; services: string[] }>();
    // A workload's pods share its template: judge each owner once (null: it has a probe, or no template).
    const judged = new Map<ManifestObject, { key: string; at: string } | null>();
    for (const { svc } of ctx.selectorServices()) {
      if (svc.publishNotReadyAddresses) continue;
      for (const pod of ctx.podsOf(svc)) {
        const owner = ctx.ownerObject(pod);
        if (!owner) continue;
        let verdict = judged.get(owner);
        if (verdict === undefined) {
          const t = podTemplateOf(owner);
          const sidecars = t ? asArray(t.spec.initContainers).filter((c) => asString(dig(c, 'restartPolicy')) === 'Always') : [];
          verdict = !t || [...asArray(t.spec.containers), ...sidecars].some(hasReadinessProbe) ? null
            : { key: `${owner.ref.kind}/${owner.ref.namespace ?? ''}/${owner.ref.name}`, at: t.at };
          judged.set(owner, verdict);
        }
        if (verdict === null) continue;
        let entry = byTemplate.get(verdict.key);
        if (!entry) {
          entry = { finding: { object: owner, path: `${verdict.at}.containers` }, services: [] };
          byTemplate.set(verdict.key, entry);
        }
        if (!entry.services.includes(svc.name)) entry.services.push(svc.name);
      }
    }
    for (const { finding, services } of byTemplate.values()) {
      const names = services.map((s) => `"${s}"`).join(', ');
      out.push({ ...finding, message: `no container has a readinessProbe, but Service ${names} routes to these pods: they receive traffic as soon as they start` });
    }
    return out;
  },
};

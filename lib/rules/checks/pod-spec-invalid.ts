import { type PodSpecWire, validatePodSpec } from '../../k8s/pod-validation';
import { asArray, asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** Per-object wrapper of `validatePodSpec` (lib/k8s) over Pods and workload templates. */
export const podSpecInvalid: Rule = {
  id: 'pod-spec-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Pod specs the API server rejects: container names, container port numbers and names, duplicate port names, volume mounts without a volume.',
  why: 'The workload (or each pod it creates) is rejected, so there are no pods to route to.',
  fix: 'Fix the container port or volume as the message says.',
  mirrors: 'kubernetes pkg/apis/core/validation ValidatePodSpec; kube-score container-ports-check; kube-linter invalid-target-ports',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.podTemplates()) {
      const claims = t.object.ref.kind === 'StatefulSet'
        ? asArray(dig(t.object.raw, 'spec', 'volumeClaimTemplates')).map((c) => asString(dig(c, 'metadata', 'name')) ?? '')
        : [];
      for (const p of validatePodSpec(t.spec as PodSpecWire, t.at, claims)) out.push({ object: t.object, path: p.field, message: p.message, fix: p.fix });
    }
    return out;
  },
};

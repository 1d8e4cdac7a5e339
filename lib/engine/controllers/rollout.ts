/**
 * Argo Rollouts (`argoproj.io/v1alpha1` Rollout, controller `rollout/` of argoproj/argo-rollouts):
 * what exists right after the first apply. A Rollout makes one ReplicaSet
 * `<rollout>-<rollouts-pod-template-hash>` of `spec.replicas` pods from `spec.template`, or from
 * the template of the Deployment `spec.workloadRef` names; the pods carry the
 * `rollouts-pod-template-hash` label. The first revision goes to full scale at once for both
 * strategies (no steps run before a stable ReplicaSet exists).
 *
 * Service handling, stated exactly: the controller adds `rollouts-pod-template-hash: <hash>` to
 * the selectors of `canary.stableService`/`canary.canaryService` and
 * `blueGreen.activeService`/`blueGreen.previewService`. With one revision every one of those
 * Services selects the same ReplicaSet, so the engine keeps their selectors as written and names
 * them in an info diagnostic: pods of other workloads that match such a selector would be left out
 * live by the hash label, and the engine does not check that. Not simulated, reported as
 * warnings: later revisions (canary steps, weights, blue-green switch-over and preview scale),
 * `trafficRouting` (Istio, NGINX, SMI, ALB, Gateway API plugins), analysis and experiments,
 * and the scale-down of a referenced Deployment (`workloadRef.scaleDown`).
 */
import { ManifestObject, manifestKey } from '../../manifest/objects';
import { DiagnosticSink } from '../diagnostics';
import { podTemplateHash } from './deployment';
import { dig, intField, jsonObject, rawTemplate } from './raw-template';
import { replicaSetPods } from './replicaset';
import { checkSelector, TemplateParts, Workload } from './workload';
import type { LabelSelectorManifest } from '../../manifest/types';

/** The label Argo Rollouts puts on a revision's pods (and patches into Service selectors). */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

/** The Services a Rollout's strategy names (their selectors get the hash label live). */
export function rolloutServices(obj: ManifestObject): string[] {
  const out: string[] = [];
  for (const [strategy, fields] of [['canary', ['stableService', 'canaryService']], ['blueGreen', ['activeService', 'previewService']]] as const) {
    for (const f of fields) {
      const v = dig(obj.raw, 'spec', 'strategy', strategy, f);
      if (typeof v === 'string' && v !== '') out.push(v);
    }
  }
  return out;
}

/** A Rollout as a workload (its first revision), or undefined when it makes no pods. */
export function rolloutWorkload(obj: ManifestObject, sink: DiagnosticSink, objects: ReadonlyMap<string, ManifestObject>): Workload | undefined {
  if (!obj.apiVersion.startsWith('argoproj.io/')) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const name = `Rollout ${namespace}/${obj.ref.name}`;
  const ref = jsonObject(dig(obj.raw, 'spec', 'workloadRef'));
  let template: TemplateParts | undefined;
  let rawTemplateValue: unknown;
  if (ref) {
    const kind = typeof ref.kind === 'string' ? ref.kind : '';
    const target = typeof ref.name === 'string' ? objects.get(manifestKey({ ref: { kind, namespace, name: ref.name }, apiVersion: typeof ref.apiVersion === 'string' ? ref.apiVersion : 'apps/v1' })) : undefined;
    if (kind !== 'Deployment' || !target) {
      sink.add({ severity: 'warning', code: 'rollout-workload-ref', message: `${name}: spec.workloadRef names ${kind || '?'} ${String(ref.name)}, which is not a loaded Deployment; its pods are unknown`, object: obj.ref, source: obj.source, path: 'spec.workloadRef' });
      return undefined;
    }
    template = rawTemplate(target, ['spec', 'template'], sink);
    rawTemplateValue = dig(target.raw, 'spec', 'template');
    sink.add({ severity: 'info', code: 'rollout-not-simulated', message: `${name}: the referenced Deployment ${ref.name} keeps its own pods in the engine (workloadRef.scaleDown is not simulated)`, object: obj.ref, source: obj.source, path: 'spec.workloadRef' });
  } else {
    template = rawTemplate(obj, ['spec', 'template'], sink);
    rawTemplateValue = dig(obj.raw, 'spec', 'template');
  }
  if (!template) return undefined;
  const selector = dig(obj.raw, 'spec', 'selector') as LabelSelectorManifest | undefined;
  if (!checkSelector(obj, selector, template.labels, sink)) return undefined;
  const replicas = intField(obj, ['spec', 'replicas'], 1, sink);
  if (replicas === null || replicas === undefined) return undefined;
  const hash = podTemplateHash(rawTemplateValue);
  const rsName = `${obj.ref.name}-${hash}`;
  const labels = { ...template.labels, [ROLLOUT_HASH_LABEL]: hash };
  const strategy = jsonObject(dig(obj.raw, 'spec', 'strategy'));
  if (dig(strategy, 'canary', 'trafficRouting') !== undefined) {
    sink.add({ severity: 'warning', code: 'rollout-not-simulated', message: `${name}: canary trafficRouting is not simulated (the first revision gets all traffic through its Services as written)`, object: obj.ref, source: obj.source, path: 'spec.strategy.canary.trafficRouting' });
  }
  if (strategy && (strategy.canary !== undefined || strategy.blueGreen !== undefined)) {
    sink.add({ severity: 'info', code: 'rollout-not-simulated', message: `${name}: only the first revision is simulated (steps, weights, analysis and blue-green switch-over are not); the Services ${rolloutServices(obj).join(', ') || '(none)'} select it`, object: obj.ref, source: obj.source, path: 'spec.strategy' });
  }
  return {
    ref: obj.ref,
    source: obj.source,
    replicas,
    desiredPods: (n) => replicaSetPods(namespace, rsName, { labels, spec: template.spec }, n, { kind: 'ReplicaSet', namespace, name: rsName }, obj.source),
  };
}

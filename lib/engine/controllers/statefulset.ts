/**
 * StatefulSet controller (kubernetes `pkg/controller/statefulset/stateful_set_utils.go`): pods
 * `<name>-<ordinal>` for ordinals `start..start+replicas-1`, `spec.hostname` = pod name,
 * `spec.subdomain` = `spec.serviceName`, and the `statefulset.kubernetes.io/pod-name` and
 * `apps.kubernetes.io/pod-index` labels. Scale-down removes the highest ordinal first.
 */
import { ManifestObject } from '../../manifest/objects';
import { StatefulSetManifest } from '../../manifest/schemas';
import { DiagnosticSink } from '../diagnostics';
import { containerPortsOf, PodSeed } from './pod-template';
import { checkSelector, Workload } from './workload';

/** A StatefulSet manifest as a workload. */
export function statefulSetWorkload(obj: ManifestObject, s: StatefulSetManifest, diags: DiagnosticSink): Workload | undefined {
  const templateLabels = s.spec?.template?.metadata?.labels ?? {};
  if (!checkSelector(obj, s.spec?.selector, templateLabels, diags)) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const name = obj.ref.name;
  const spec = s.spec?.template?.spec;
  const ports = containerPortsOf(spec);
  const start = s.spec?.ordinals?.start ?? 0;
  const serviceName = s.spec?.serviceName;
  return {
    ref: obj.ref,
    source: obj.source,
    replicas: s.spec?.replicas ?? 1,
    desiredPods: (replicas) => {
      const owner = { kind: 'StatefulSet', namespace, name };
      const out: PodSeed[] = [];
      for (let i = 0; i < replicas; i++) {
        const ordinal = start + i;
        const podName = `${name}-${ordinal}`;
        out.push({
          namespace, name: podName,
          labels: { ...templateLabels, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(ordinal) },
          containerPorts: ports,
          hostname: podName,
          subdomain: serviceName || undefined,
          nodeSelector: spec?.nodeSelector,
          owner,
          source: obj.source,
        });
      }
      return out;
    },
  };
}

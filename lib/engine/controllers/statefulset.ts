/**
 * StatefulSet controller (kubernetes `pkg/controller/statefulset/stateful_set_utils.go`): pods
 * `<name>-<ordinal>` for ordinals `start..start+replicas-1`, `spec.hostname` = pod name,
 * `spec.subdomain` = `spec.serviceName`, and the `statefulset.kubernetes.io/pod-name` and
 * `apps.kubernetes.io/pod-index` labels. Scale-down removes the highest ordinal first.
 *
 * `podManagementPolicy` (`stateful_set_control.go`): with `OrderedReady` (the default) the
 * controller is monotonic. Scale-up walks ordinals upwards and stops at the first pod that is
 * missing (it creates that one) or not Running and Ready; scale-down deletes the highest
 * condemned ordinal only once every pod in range is Running and Ready, one at a time, and waits
 * on an unready condemned pod unless it is the lowest-ordinal unhealthy pod. `Parallel`
 * creates and deletes all at once. The engine creates pods instantly, so one sync here runs
 * the controller's successive syncs up to the point where it would wait; the cluster re-syncs
 * the StatefulSet when one of its pods changes readiness.
 */
import { ManifestObject } from '../../manifest/objects';
import type { StatefulSetManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { containerPortsOf, dnsSettingsOf, PodSeed, schedulingOf } from './pod-template';
import { checkSelector, Workload } from './workload';

/** A StatefulSet manifest as a workload. */
export function statefulSetWorkload(obj: ManifestObject, s: StatefulSetManifest, diags: DiagnosticSink): Workload | undefined {
  const templateLabels = s.spec?.template?.metadata?.labels ?? {};
  if (!checkSelector(obj, s.spec?.selector, templateLabels, diags)) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const name = obj.ref.name;
  const spec = s.spec?.template?.spec;
  const ports = containerPortsOf(spec);
  const scheduling = schedulingOf(spec);
  const dns = dnsSettingsOf(spec);
  const start = s.spec?.ordinals?.start ?? 0;
  const serviceName = s.spec?.serviceName;
  return {
    ref: obj.ref,
    source: obj.source,
    replicas: s.spec?.replicas ?? 1,
    orderedReady: s.spec?.podManagementPolicy !== 'Parallel',
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
          scheduling,
          dns,
          owner,
          source: obj.source,
        });
      }
      return out;
    },
  };
}

/** A StatefulSet pod's ordinal (`apps.kubernetes.io/pod-index`, else the name's `-<n>` suffix); -1 when neither. */
export function podOrdinal(pod: { readonly name: string; readonly labels: Readonly<Record<string, string>> }): number {
  const text = pod.labels['apps.kubernetes.io/pod-index'] ?? /-(\d+)$/.exec(pod.name)?.[1];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

/**
 * Replication manager (kubernetes `pkg/controller/replication`): the ReplicaSet controller run on
 * ReplicationControllers through a conversion layer (`replication_controller.go`,
 * `conversion.go`), so scaling, `FilterActivePods` and the scale-down ranking are the
 * ReplicaSet's (see `replicaset.ts` and the workload controller). What differs is the API:
 * `spec.selector` is an equality map, defaulted to the template labels when empty
 * (`pkg/apis/core/v1/defaults.go` SetDefaults_ReplicationController), and validation requires
 * the template labels to match it (`ValidateReplicationControllerSpec`). Pods are named
 * `<rc>-` + 5 characters and owned by the ReplicationController.
 */
import { ManifestObject } from '../../manifest/objects';
import { DiagnosticSink } from '../diagnostics';
import { matchesMap } from './label-selector';
import { dig, intField, jsonObject, rawTemplate } from './raw-template';
import { replicaSetPods } from './replicaset';
import { Workload } from './workload';

/** A v1 ReplicationController as a workload, or undefined when the API server would reject it. */
export function replicationControllerWorkload(obj: ManifestObject, sink: DiagnosticSink): Workload | undefined {
  if (obj.apiVersion !== 'v1') return undefined;
  const template = rawTemplate(obj, ['spec', 'template'], sink);
  if (!template) return undefined;
  const replicas = intField(obj, ['spec', 'replicas'], 1, sink);
  if (replicas === null || replicas === undefined) return undefined;
  const raw = jsonObject(dig(obj.raw, 'spec', 'selector'));
  const selector: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === 'string') selector[k] = v;
  const effective = Object.keys(selector).length > 0 ? selector : template.labels;
  const name = `${obj.ref.kind} ${obj.ref.namespace ?? 'default'}/${obj.ref.name}`;
  if (Object.keys(effective).length === 0) {
    sink.add({ severity: 'error', code: 'workload-selector-missing', message: `${name} has no spec.selector and no template labels to default it from; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.selector', hint: 'give spec.template.metadata.labels (the selector defaults to them)' });
    return undefined;
  }
  if (!matchesMap(effective, template.labels)) {
    sink.add({ severity: 'error', code: 'workload-selector-mismatch', message: `${name}: spec.selector does not match spec.template.metadata.labels; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.selector', hint: 'make the template labels include every selector label' });
    return undefined;
  }
  const namespace = obj.ref.namespace ?? 'default';
  return {
    ref: obj.ref,
    source: obj.source,
    replicas,
    desiredPods: (n) => replicaSetPods(namespace, obj.ref.name, template, n, { kind: 'ReplicationController', namespace, name: obj.ref.name }, obj.source),
  };
}

/**
 * ReplicaSet controller (kubernetes `pkg/controller/replicaset/replica_set.go`): `replicas`
 * pods from the template, named by generateName `<rs>-` + 5 characters. Upstream suffixes are
 * random; ours are a hash of the ReplicaSet and the pod's slot, so names are deterministic.
 * Simplification: scale-down removes the newest pods (upstream ranks unready/unscheduled first).
 */
import { ManifestObject } from '../../manifest/objects';
import { ReplicaSetManifest } from '../../manifest/schemas';
import { DiagnosticSink } from '../diagnostics';
import { nameSuffix } from '../hash';
import { ObjectRef, SourceLocation } from '../model';
import { containerPortsOf, PodSeed } from './pod-template';
import { checkSelector, TemplateParts, Workload } from './workload';

/** Pods of ReplicaSet `rsName` in `namespace`, slots 0..replicas-1. */
export function replicaSetPods(
  namespace: string,
  rsName: string,
  template: TemplateParts,
  replicas: number,
  owner: ObjectRef,
  source: SourceLocation | undefined,
): PodSeed[] {
  const out: PodSeed[] = [];
  const used = new Set<string>();
  const ports = containerPortsOf(template.spec);
  for (let i = 0; i < replicas; i++) {
    let name = `${rsName}-${nameSuffix(`${namespace}/${rsName}/${i}`)}`;
    for (let salt = 1; used.has(name); salt++) name = `${rsName}-${nameSuffix(`${namespace}/${rsName}/${i}/${salt}`)}`;
    used.add(name);
    out.push({
      namespace, name, labels: template.labels, containerPorts: ports,
      hostname: template.spec?.hostname, subdomain: template.spec?.subdomain,
      nodeSelector: template.spec?.nodeSelector, owner, source,
    });
  }
  return out;
}

/** A ReplicaSet manifest as a workload, or undefined when the API server would reject it. */
export function replicaSetWorkload(obj: ManifestObject, rs: ReplicaSetManifest, diags: DiagnosticSink): Workload | undefined {
  const labels = rs.spec?.template?.metadata?.labels ?? {};
  if (!checkSelector(obj, rs.spec?.selector, labels, diags)) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const template: TemplateParts = { labels, spec: rs.spec?.template?.spec };
  return {
    ref: obj.ref,
    source: obj.source,
    replicas: rs.spec?.replicas ?? 1,
    desiredPods: (replicas) => replicaSetPods(namespace, obj.ref.name, template, replicas, { kind: 'ReplicaSet', namespace, name: obj.ref.name }, obj.source),
  };
}

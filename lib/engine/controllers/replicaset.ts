/**
 * ReplicaSet controller (kubernetes `pkg/controller/replicaset/replica_set.go`): `replicas`
 * pods from the template, named by generateName `<rs>-` + 5 characters. Upstream suffixes are
 * random; ours are a hash of the ReplicaSet and the pod's slot, so names are deterministic.
 * Scale-down deletes the pods upstream ranks first ({@link podsToDelete}).
 */
import { ManifestObject } from '../../manifest/objects';
import type { ReplicaSetManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { fnv1a32, fnv1a32UpdateInt, nameSuffix, suffixOfHash } from '../hash';
import { ObjectRef, PodInfo, SourceLocation } from '../model';
import { containerPortsOf, dnsSettingsOf, PodSeed, schedulingOf } from './pod-template';
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
  const scheduling = schedulingOf(template.spec);
  const dns = dnsSettingsOf(template.spec);
  // nameSuffix(`${namespace}/${rsName}/${i}`), without building that string per pod.
  const prefixHash = fnv1a32(`${namespace}/${rsName}/`);
  for (let i = 0; i < replicas; i++) {
    let name = `${rsName}-${suffixOfHash(fnv1a32UpdateInt(prefixHash, i))}`;
    for (let salt = 1; used.has(name); salt++) name = `${rsName}-${nameSuffix(`${namespace}/${rsName}/${i}/${salt}`)}`;
    used.add(name);
    out.push({
      namespace, name, labels: template.labels, containerPorts: ports,
      hostname: template.spec?.hostname, subdomain: template.spec?.subdomain,
      nodeSelector: template.spec?.nodeSelector, owner, source, scheduling, dns,
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

/**
 * Which `count` pods a ReplicaSet scale-down deletes, as upstream `getPodsToDelete` sorts them
 * (`ActivePodsWithRanks` in `pkg/controller/controller_utils.go`): not-ready pods before ready
 * ones, then pods on the node holding the most pods of the set, then the newest. `pods` are in
 * creation order. Not simulated: pod-deletion-cost, time since ready, restart counts.
 */
export function podsToDelete(pods: readonly PodInfo[], count: number): PodInfo[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of pods) onNode.set(p.nodeName, (onNode.get(p.nodeName) ?? 0) + 1);
  const ranked = pods.map((pod, created) => ({ pod, created, rank: onNode.get(pod.nodeName) ?? 0 }));
  ranked.sort((a, b) => (Number(a.pod.ready) - Number(b.pod.ready)) || (b.rank - a.rank) || (b.created - a.created));
  return ranked.slice(0, count).map((r) => r.pod);
}

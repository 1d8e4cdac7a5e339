/** The top-level workload a pod belongs to (Deployment through its ReplicaSet), for grouping and templates. */
import type { ObjectRef, PodInfo } from '../model';

/**
 * The workload owning `pod`: a Deployment when the owner is a ReplicaSet named
 * `<deployment>-<pod-template-hash>` (as the Deployment controller names it,
 * `pkg/controller/deployment/sync.go`), else the owner itself, else the bare Pod.
 */
export function workloadOf(pod: PodInfo): ObjectRef {
  const o = pod.owner;
  if (!o) return { kind: 'Pod', namespace: pod.namespace, name: pod.name };
  const hash = pod.labels['pod-template-hash'];
  if (o.kind === 'ReplicaSet' && hash && o.name.endsWith(`-${hash}`)) return { kind: 'Deployment', namespace: o.namespace ?? pod.namespace, name: o.name.slice(0, -hash.length - 1) };
  return { kind: o.kind, namespace: o.namespace ?? pod.namespace, name: o.name };
}

/**
 * Deployment controller (kubernetes `pkg/controller/deployment/sync.go`): one ReplicaSet named
 * `<deployment>-<pod-template-hash>` whose pods carry the `pod-template-hash` label. The hash is
 * FNV-32a of the template (as `controller.ComputeHash`), rendered with apimachinery's
 * SafeEncodeString; we hash our stable JSON of the template, so values differ from a real cluster
 * but are stable. Rollout history (old ReplicaSets, surge) is not simulated.
 */
import { ManifestObject } from '../../manifest/objects';
import type { DeploymentManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { fnv1a32 } from '../hash';
import { replicaSetPods } from './replicaset';
import { stableStringify } from './pod-template';
import { checkSelector, Workload } from './workload';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** `rand.SafeEncodeString(fmt.Sprint(hash))`: each decimal digit mapped into the alphabet. */
export function podTemplateHash(template: unknown): string {
  const digits = String(fnv1a32(stableStringify(template ?? {})));
  let out = '';
  for (const ch of digits) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

/** A Deployment manifest as a workload (through its ReplicaSet). */
export function deploymentWorkload(obj: ManifestObject, d: DeploymentManifest, diags: DiagnosticSink): Workload | undefined {
  const templateLabels = d.spec?.template?.metadata?.labels ?? {};
  if (!checkSelector(obj, d.spec?.selector, templateLabels, diags)) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const hash = podTemplateHash(d.spec?.template);
  const rsName = `${obj.ref.name}-${hash}`;
  const labels = { ...templateLabels, 'pod-template-hash': hash };
  return {
    ref: obj.ref,
    source: obj.source,
    replicas: d.spec?.replicas ?? 1,
    desiredPods: (replicas) => replicaSetPods(namespace, rsName, { labels, spec: d.spec?.template?.spec }, replicas,
      { kind: 'ReplicaSet', namespace, name: rsName }, obj.source),
  };
}

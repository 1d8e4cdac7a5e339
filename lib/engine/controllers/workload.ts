/** What every workload controller exposes to the cluster: the pods it wants for a replica count. */
import { ManifestObject } from '../../manifest/objects';
import type { LabelSelectorManifest, PodSpecManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { NodeInfo, ObjectRef, SourceLocation } from '../model';
import { matchesSelector } from './label-selector';
import { PodSeed } from './pod-template';

/** A workload (Deployment, ReplicaSet, StatefulSet, DaemonSet) reduced to what makes pods. */
export interface Workload {
  readonly ref: ObjectRef;
  readonly source?: SourceLocation;
  /** `spec.replicas` (default 1); unused for DaemonSets. */
  readonly replicas: number;
  /** Desired pods for `replicas`, in creation order (a StatefulSet scales down from the end; ReplicaSets by rank, see `podsToDelete`). */
  desiredPods(replicas: number, nodes: readonly NodeInfo[]): PodSeed[];
  /**
   * StatefulSet `podManagementPolicy: OrderedReady` (the default): pods are created in ordinal
   * order, each only once the lower ones are Running and Ready, and removed highest first, one
   * at a time (see `controllers/statefulset.ts`). Absent or false: all at once.
   */
  readonly orderedReady?: boolean;
}

/** The parts of a pod template the controllers read. */
export interface TemplateParts {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec?: PodSpecManifest;
}

/**
 * apps/v1 requires a selector that matches the template labels (apiserver validation,
 * `pkg/apis/apps/validation`); a workload failing that is rejected, so it makes no pods.
 */
export function checkSelector(
  obj: ManifestObject,
  selector: LabelSelectorManifest | undefined,
  labels: Readonly<Record<string, string>>,
  diags: DiagnosticSink,
): boolean {
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    diags.add({ severity: 'error', code: 'workload-selector-missing', message: `${obj.ref.kind} ${obj.ref.namespace}/${obj.ref.name} has no spec.selector; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.selector', hint: 'add spec.selector.matchLabels equal to the pod template labels' });
    return false;
  }
  if (!matchesSelector(selector, labels)) {
    diags.add({ severity: 'error', code: 'workload-selector-mismatch', message: `${obj.ref.kind} ${obj.ref.namespace}/${obj.ref.name}: spec.selector does not match spec.template.metadata.labels; the API server rejects it`, object: obj.ref, source: obj.source, path: 'spec.selector', hint: 'make the template labels include every selector label' });
    return false;
  }
  return true;
}

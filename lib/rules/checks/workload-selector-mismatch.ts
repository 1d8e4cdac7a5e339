import { diagnosticFindings } from '../from-diagnostics';
import type { Rule } from '../types';

/** Query over the engine's workload controllers (diagnostics `workload-selector-missing`/`-mismatch`). */
export const workloadSelectorMismatch: Rule = {
  id: 'workload-selector-mismatch',
  family: 'api-server',
  severity: 'error',
  summary: 'A Deployment, ReplicaSet, StatefulSet or DaemonSet has no selector, or one that does not match its pod template labels.',
  why: 'apps/v1 rejects it ("selector does not match template labels"), so no pods are created.',
  fix: 'Set `spec.selector.matchLabels` to labels the pod template carries.',
  mirrors: 'kubernetes pkg/apis/apps/validation ValidatePodTemplateSpecForReplicaSet; kube-linter mismatching-selector; kube-score deployment-pod-selector-labels-match-template-metadata-labels',
  check: (ctx) => diagnosticFindings(ctx, ['workload-selector-missing', 'workload-selector-mismatch']),
};

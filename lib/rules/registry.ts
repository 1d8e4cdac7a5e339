/** Every rule, in documentation order (family, then severity of impact). */
import { labelsInvalid } from './checks/labels-invalid';
import { objectNameInvalid } from './checks/object-name-invalid';
import { podHostNetwork } from './checks/pod-host-network';
import { podHostPort } from './checks/pod-host-port';
import { podSpecInvalid } from './checks/pod-spec-invalid';
import { privilegedPortExposed } from './checks/privileged-port-exposed';
import { probePortNotDeclared } from './checks/probe-port-not-declared';
import { serviceClusterIPConflict } from './checks/service-clusterip-conflict';
import { serviceClusterIPOutOfRange } from './checks/service-clusterip-out-of-range';
import { serviceDuplicateSelector } from './checks/service-duplicate-selector';
import { serviceEndpointsSingleNode } from './checks/service-endpoints-single-node';
import { serviceExposedWithoutSourceRanges } from './checks/service-exposed-without-source-ranges';
import { serviceInvalid } from './checks/service-invalid';
import { serviceLocalTrafficNodes } from './checks/service-local-traffic-nodes';
import { serviceMixedProtocols } from './checks/service-mixed-protocols';
import { serviceNodePortConflict } from './checks/service-nodeport-conflict';
import { servicePodNoReadinessProbe } from './checks/service-pod-no-readiness-probe';
import { serviceSelectsNoPod } from './checks/service-selects-no-pod';
import { serviceTargetPortUndeclared } from './checks/service-target-port-undeclared';
import { serviceTargetPortUnresolved } from './checks/service-target-port-unresolved';
import { sshPortExposed } from './checks/ssh-port-exposed';
import { statefulSetGoverningService } from './checks/statefulset-governing-service';
import { statefulSetServiceNameInvalid } from './checks/statefulset-service-name-invalid';
import { suppressionInvalid } from './checks/suppression-invalid';
import { workloadSelectorMismatch } from './checks/workload-selector-mismatch';
import type { Rule } from './types';

/** The built-in rules. Ids are unique (checked by the tests). */
export const RULES: readonly Rule[] = [
  // API server rejects it
  objectNameInvalid,
  labelsInvalid,
  serviceInvalid,
  podSpecInvalid,
  serviceNodePortConflict,
  serviceClusterIPConflict,
  serviceClusterIPOutOfRange,
  workloadSelectorMismatch,
  statefulSetServiceNameInvalid,
  // accepted, but routes wrong
  serviceSelectsNoPod,
  serviceTargetPortUnresolved,
  serviceTargetPortUndeclared,
  statefulSetGoverningService,
  probePortNotDeclared,
  servicePodNoReadinessProbe,
  serviceEndpointsSingleNode,
  serviceLocalTrafficNodes,
  serviceDuplicateSelector,
  serviceMixedProtocols,
  // exposure
  serviceExposedWithoutSourceRanges,
  podHostNetwork,
  podHostPort,
  sshPortExposed,
  privilegedPortExposed,
  // the validator itself
  suppressionInvalid,
];

/** A rule by id. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

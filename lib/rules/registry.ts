/** Every rule, in documentation order (family, then severity of impact). */
import { destinationRuleHostUnknown } from './checks/destinationrule-host-unknown';
import { destinationRuleSubsetSelectsNoPod } from './checks/destinationrule-subset-selects-no-pod';
import { gatewayClassMissing } from './checks/gateway-class-missing';
import { gatewayCertificateNotFound } from './checks/gateway-certificate-not-found';
import { gatewayInvalid } from './checks/gateway-invalid';
import { gatewayListenerInvalid } from './checks/gateway-listener-invalid';
import { httpRouteBackendDangling } from './checks/httproute-backend-dangling';
import { httpRouteInvalid } from './checks/httproute-invalid';
import { httpRouteNotAccepted } from './checks/httproute-not-accepted';
import { httpRouteRefNotPermitted } from './checks/httproute-ref-not-permitted';
import { httpRouteWeightsZero } from './checks/httproute-weights-zero';
import { ingressBackendDangling } from './checks/ingress-backend-dangling';
import { ingressClassDefaultAmbiguous } from './checks/ingress-class-default-ambiguous';
import { ingressClassMissing } from './checks/ingress-class-missing';
import { ingressDuplicatePath } from './checks/ingress-duplicate-path';
import { ingressInvalid } from './checks/ingress-invalid';
import { ingressPathImplementationSpecific } from './checks/ingress-path-implementation-specific';
import { ingressTlsIncomplete } from './checks/ingress-tls-incomplete';
import { istioInvalid } from './checks/istio-invalid';
import { routingNotSimulated } from './checks/routing-not-simulated';
import { labelsInvalid } from './checks/labels-invalid';
import { meshPortProtocolMismatch } from './checks/mesh-port-protocol-mismatch';
import { meshPortProtocolUndeclared } from './checks/mesh-port-protocol-undeclared';
import { objectNameInvalid } from './checks/object-name-invalid';
import { apiVersionRemoved } from './checks/api-version-removed';
import { objectNotSimulated } from './checks/object-not-simulated';
import { podHostNetwork } from './checks/pod-host-network';
import { podHostPort } from './checks/pod-host-port';
import { podSpecInvalid } from './checks/pod-spec-invalid';
import { privilegedPortExposed } from './checks/privileged-port-exposed';
import { probePortNotDeclared } from './checks/probe-port-not-declared';
import { routeMatchShadowed } from './checks/route-match-shadowed';
import { serviceClusterIPConflict } from './checks/service-clusterip-conflict';
import { serviceClusterIPOutOfRange } from './checks/service-clusterip-out-of-range';
import { serviceDuplicateSelector } from './checks/service-duplicate-selector';
import { serviceEndpointsSingleNode } from './checks/service-endpoints-single-node';
import { serviceExposedWithoutSourceRanges } from './checks/service-exposed-without-source-ranges';
import { serviceInvalid } from './checks/service-invalid';
import { serviceIPFamiliesRejected } from './checks/service-ip-families-rejected';
import { serviceLocalTrafficNodes } from './checks/service-local-traffic-nodes';
import { serviceMixedProtocols } from './checks/service-mixed-protocols';
import { serviceNodePortConflict } from './checks/service-nodeport-conflict';
import { servicePodNoReadinessProbe } from './checks/service-pod-no-readiness-probe';
import { serviceSelectsNoPod } from './checks/service-selects-no-pod';
import { backendUnreachableByPolicy } from './checks/backend-unreachable-by-policy';
import { networkPolicyBlocksDns } from './checks/networkpolicy-blocks-dns';
import { networkPolicyIpBlockServiceCidr } from './checks/networkpolicy-ipblock-service-cidr';
import { networkPolicyPeerMatchesNothing } from './checks/networkpolicy-peer-matches-nothing';
import { networkPolicyPortUndeclared } from './checks/networkpolicy-port-undeclared';
import { networkPolicyInvalid } from './checks/networkpolicy-invalid';
import { networkPolicySelectsNoPod } from './checks/networkpolicy-selects-no-pod';
import { serviceTargetPortUndeclared } from './checks/service-target-port-undeclared';
import { serviceTargetPortUnresolved } from './checks/service-target-port-unresolved';
import { sshPortExposed } from './checks/ssh-port-exposed';
import { statefulSetGoverningService } from './checks/statefulset-governing-service';
import { statefulSetServiceNameInvalid } from './checks/statefulset-service-name-invalid';
import { suppressionInvalid } from './checks/suppression-invalid';
import { virtualServiceDestinationDangling } from './checks/virtualservice-destination-dangling';
import { virtualServiceGatewayMissing } from './checks/virtualservice-gateway-missing';
import { virtualServiceHostUnresolved } from './checks/virtualservice-host-unresolved';
import { virtualServiceSubsetMissing } from './checks/virtualservice-subset-missing';
import { virtualServiceWeights } from './checks/virtualservice-weights';
import { workloadSelectorMismatch } from './checks/workload-selector-mismatch';
import type { Rule } from './types';

/** The built-in rules. Ids are unique (checked by the tests). */
export const RULES: readonly Rule[] = [
  // API server rejects it
  apiVersionRemoved,
  objectNameInvalid,
  labelsInvalid,
  serviceInvalid,
  podSpecInvalid,
  serviceNodePortConflict,
  serviceClusterIPConflict,
  serviceClusterIPOutOfRange,
  serviceIPFamiliesRejected,
  workloadSelectorMismatch,
  statefulSetServiceNameInvalid,
  ingressInvalid,
  httpRouteInvalid,
  gatewayInvalid,
  istioInvalid,
  networkPolicyInvalid,
  // accepted, but routes wrong
  serviceSelectsNoPod,
  networkPolicySelectsNoPod,
  networkPolicyPeerMatchesNothing,
  networkPolicyBlocksDns,
  backendUnreachableByPolicy,
  networkPolicyPortUndeclared,
  networkPolicyIpBlockServiceCidr,
  serviceTargetPortUnresolved,
  serviceTargetPortUndeclared,
  statefulSetGoverningService,
  probePortNotDeclared,
  servicePodNoReadinessProbe,
  serviceEndpointsSingleNode,
  serviceLocalTrafficNodes,
  serviceDuplicateSelector,
  serviceMixedProtocols,
  // L7: Ingress
  ingressBackendDangling,
  ingressDuplicatePath,
  ingressClassMissing,
  ingressClassDefaultAmbiguous,
  ingressTlsIncomplete,
  ingressPathImplementationSpecific,
  // L7: Gateway API
  httpRouteNotAccepted,
  httpRouteBackendDangling,
  httpRouteRefNotPermitted,
  httpRouteWeightsZero,
  gatewayListenerInvalid,
  gatewayCertificateNotFound,
  gatewayClassMissing,
  // L7: Istio
  virtualServiceDestinationDangling,
  virtualServiceSubsetMissing,
  virtualServiceGatewayMissing,
  virtualServiceHostUnresolved,
  virtualServiceWeights,
  destinationRuleSubsetSelectsNoPod,
  destinationRuleHostUnknown,
  meshPortProtocolMismatch,
  meshPortProtocolUndeclared,
  // L7: across APIs
  routeMatchShadowed,
  routingNotSimulated,
  // exposure
  serviceExposedWithoutSourceRanges,
  podHostNetwork,
  podHostPort,
  sshPortExposed,
  privilegedPortExposed,
  // the validator itself
  suppressionInvalid,
  objectNotSimulated,
];

/** A rule by id. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

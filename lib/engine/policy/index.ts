/**
 * Reachability: NetworkPolicy, ClusterNetworkPolicy (and ANP/BANP), Istio AuthorizationPolicy,
 * evaluated on the simulated cluster after Service translation. One place for every policy
 * decision; trace, the validator, testing and the graph ask here.
 */
export * from './types';
export * from './cni';
export { PolicyModel, type PolicyConnection, type PolicyInputs, type PolicyPeer } from './evaluate';
export { isPolicyObject } from './parse';
export { workloadOf } from './workload';

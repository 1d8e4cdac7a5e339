/** The kube-proxy model: shared per-Service tables with lazy per-node views. */
export * from './types';
export { ProxyModel, isProxied, DEFAULT_AFFINITY_TIMEOUT_SECONDS } from './proxier';
export { ServicePortTable } from './table';
export type { EndpointSet } from './categorize';
export { ipFamily, type IPFamily } from './endpoints';

import { diagnosticFindings } from '../from-diagnostics';
import type { Rule } from '../types';

/** Query over the engine's ClusterIP allocation (diagnostic `clusterip-conflict`). */
export const serviceClusterIPConflict: Rule = {
  id: 'service-clusterip-conflict',
  family: 'api-server',
  severity: 'error',
  summary: 'Two Services ask for the same clusterIP.',
  why: 'A ClusterIP belongs to one Service: the second is rejected with "provided IP is already allocated".',
  fix: 'Remove `clusterIP` to have one allocated, or pick a free address in the service CIDR.',
  mirrors: 'kubernetes pkg/registry/core/service/ipallocator (Allocate: ErrAllocated)',
  check: (ctx) => diagnosticFindings(ctx, ['clusterip-conflict']),
};

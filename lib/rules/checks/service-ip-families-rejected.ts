import { diagnosticFindings } from '../from-diagnostics';
import type { Rule } from '../types';

/**
 * Query over the engine's Service admission (`lib/engine/ip-families.ts` initIPFamilyFields):
 * diagnostics `service-ip-family-unavailable` (a family or dual-stack the cluster profile does not
 * have) and `service-ip-family-invalid` (clusterIP, clusterIPs and ipFamilies that disagree).
 * Unsupported or duplicate values are left to `service-invalid`.
 */
export const serviceIPFamiliesRejected: Rule = {
  id: 'service-ip-families-rejected',
  family: 'api-server',
  severity: 'error',
  summary: "A Service asks for IP families the cluster does not have, or its clusterIPs disagree with clusterIP or ipFamilies.",
  why: 'The API server refuses the Service (for example "this cluster is not configured for dual-stack services" or "IPv6: not configured on this cluster"), so it gets no ClusterIP, no endpoints and no DNS name.',
  fix: 'Ask for families the cluster has (`ipFamilyPolicy: PreferDualStack` works on single- and dual-stack clusters), set `ipFamilies` in the cluster profile to match the real cluster, or make clusterIP, clusterIPs and ipFamilies agree.',
  mirrors: 'kubernetes pkg/registry/core/service/storage/alloc.go (initIPFamilyFields) and pkg/apis/core/validation (ValidateServiceClusterIPsRelatedFields)',
  check: (ctx) => diagnosticFindings(ctx, ['service-ip-family-unavailable', 'service-ip-family-invalid']),
};

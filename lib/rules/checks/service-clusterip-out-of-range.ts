import { parseIp } from '../../k8s/ip';
import { diagnosticFindings } from '../from-diagnostics';
import { asArray, asString, dig } from '../json';
import type { Rule } from '../types';

/**
 * Query over the engine's ClusterIP allocation (diagnostic `clusterip-invalid`). Malformed
 * addresses are left to `service-invalid`.
 */
export const serviceClusterIPOutOfRange: Rule = {
  id: 'service-clusterip-out-of-range',
  family: 'api-server',
  severity: 'error',
  summary: 'A Service asks for a clusterIP outside the service CIDR (or its network/broadcast address).',
  why: 'The API server rejects it: "provided IP is not in the valid range".',
  fix: 'Remove `clusterIP` to have one allocated, or use an address inside the service CIDR of the cluster profile.',
  mirrors: 'kubernetes pkg/registry/core/service/ipallocator (Allocate: ErrNotInRange)',
  check: (ctx) => diagnosticFindings(ctx, ['clusterip-invalid'], (d) => {
    const o = d.object && ctx.find(d.object.kind, d.object.namespace, d.object.name);
    const ip = o ? asString(dig(o.raw, 'spec', 'clusterIP')) ?? asString(asArray(dig(o.raw, 'spec', 'clusterIPs'))[0]) : undefined;
    return ip !== undefined && parseIp(ip) !== undefined;
  }),
};

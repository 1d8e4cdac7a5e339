import { diagnosticFindings } from '../from-diagnostics';
import type { Rule } from '../types';

/** Query over the engine's NodePort allocation (diagnostic `nodeport-conflict`). */
export const serviceNodePortConflict: Rule = {
  id: 'service-nodeport-conflict',
  family: 'api-server',
  severity: 'error',
  summary: 'Two Services ask for the same nodePort.',
  why: 'NodePorts are cluster-wide: the second Service is rejected with "provided port is already allocated".',
  fix: 'Leave `nodePort` out to have one allocated, or pick a port no other Service uses.',
  mirrors: 'kubernetes pkg/registry/core/service/portallocator (Allocate: ErrAllocated)',
  check: (ctx) => diagnosticFindings(ctx, ['nodeport-conflict']),
};

import { IConstruct } from 'constructs';

/**
 * Context key for a cluster whose API server runs with a non-default
 * `--service-node-port-range`, e.g. `app.node.setContext(NODE_PORT_RANGE_CONTEXT, '20000-22767')`.
 */
export const NODE_PORT_RANGE_CONTEXT = 'netkit:nodePortRange';

/** The NodePort range construct validations check against (default 30000-32767). */
export function nodePortRangeOf(scope: IConstruct): { min: number; max: number } {
  const value: unknown = scope.node.tryGetContext(NODE_PORT_RANGE_CONTEXT);
  if (typeof value === 'string') {
    const match = /^(\d+)-(\d+)$/.exec(value.trim());
    if (match) return { min: Number(match[1]), max: Number(match[2]) };
  }
  return { min: 30000, max: 32767 };
}

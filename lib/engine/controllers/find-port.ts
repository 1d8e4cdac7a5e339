/**
 * Named targetPort resolution, as `FindPort` in kubernetes `pkg/api/v1/pod/util.go`: a number
 * is used as is; a name is looked up in the pod's container ports by name AND protocol, in
 * container order (native sidecar init containers included, as recent upstream does).
 */
import { ContainerPortInfo, Protocol } from '../model';

/** The container port a Service port reaches on this pod, or undefined when the name doesn't resolve. */
export function findPort(
  containerPorts: readonly ContainerPortInfo[],
  targetPort: number | string,
  protocol: Protocol,
): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  for (const p of containerPorts) {
    if (p.name === targetPort && p.protocol === protocol) return p.containerPort;
  }
  return undefined;
}

/** From a pod spec to what the scheduler and the endpoint controllers need (shared by all workload controllers). */
import { PodSpecManifest } from '../../manifest/schemas';
import { ContainerPortInfo, ObjectRef, SourceLocation } from '../model';

/** A pod before placement: identity, labels and ports; the scheduler adds node and IP. */
export interface PodSeed {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly containerPorts: readonly ContainerPortInfo[];
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Pinned node (`spec.nodeName`, DaemonSet pods). */
  readonly nodeName?: string;
  /** Explicit `status.podIP` of a bare Pod manifest. */
  readonly podIP?: string;
  /** Initial PodReady (bare Pods may declare it in status); default true. */
  readonly ready?: boolean;
  readonly owner?: ObjectRef;
  readonly source?: SourceLocation;
}

/** Ports of all containers in declaration order, then of native sidecars (restartPolicy Always). */
export function containerPortsOf(spec: PodSpecManifest | undefined): ContainerPortInfo[] {
  const out: ContainerPortInfo[] = [];
  const add = (ports: NonNullable<PodSpecManifest['containers']>[number]['ports']): void => {
    for (const p of ports ?? []) {
      out.push({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' });
    }
  };
  for (const c of spec?.containers ?? []) add(c.ports);
  for (const c of spec?.initContainers ?? []) if (c.restartPolicy === 'Always') add(c.ports);
  return out;
}

/** JSON with sorted keys, so hashes don't depend on key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

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

/**
 * JSON with sorted keys, so hashes don't depend on key order. Unlike JSON.stringify, object
 * entries whose value is undefined (or a function) are kept as `null`. Built in one pass into
 * one string (no per-level arrays and joins): every Deployment's template is hashed at build.
 */
export function stableStringify(v: unknown): string {
  return appendStable('', v);
}

function appendStable(out: string, v: unknown): string {
  if (typeof v !== 'object' || v === null) return out + (JSON.stringify(v) ?? 'null');
  if (Array.isArray(v)) {
    out += '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      // A hole stays empty, as Array.prototype.join writes it.
      if (i in v) out = appendStable(out, v[i]);
    }
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  out += '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out = appendStable(out + JSON.stringify(keys[i]) + ':', o[keys[i]]);
  }
  return out + '}';
}

/** From a pod spec to what the scheduler and the endpoint controllers need (shared by all workload controllers). */
import type { PodSpecManifest } from '../../manifest/types';
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
 * entries whose value is undefined (or a function) are kept as `null`.
 *
 * Every Deployment's template is hashed at build, so this avoids garbage: pieces go into one
 * reused list joined once, strings that need no escaping are not re-encoded, and keys are sorted
 * only when they are not in order already (synthesized manifests usually are).
 */
export function stableStringify(v: unknown): string {
  count = 0;
  try {
    writeStable(v);
  } finally {
    // Blank the rest instead of shortening the list (a shorter length gives the backing store
    // back, and the next template would grow it again), unless the list is far too long now.
    if (parts.length > 2 * count + 64) parts.length = count;
    for (let i = count; i < parts.length; i++) parts[i] = '';
  }
  return parts.join('');
}

/** The pieces of the string being built, reused by every call (nothing in here calls back out). */
const parts: string[] = [];
/** How many pieces the current call wrote. */
let count = 0;

function put(piece: string): void {
  parts[count++] = piece;
}

/** Whether JSON.stringify escapes something in `s`: quote, backslash, controls, (lone) surrogates. */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

function writeString(s: string): void {
  if (needsEscape(s)) {
    put(JSON.stringify(s));
  } else {
    put('"');
    put(s);
    put('"');
  }
}

function writeStable(v: unknown): void {
  if (typeof v === 'string') {
    writeString(v);
    return;
  }
  if (typeof v !== 'object' || v === null) {
    put(JSON.stringify(v) ?? 'null');
    return;
  }
  if (Array.isArray(v)) {
    put('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) put(',');
      // A hole stays empty, as Array.prototype.join writes it.
      if (i in v) writeStable(v[i]);
    }
    put(']');
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!inOrder(keys)) keys.sort();
  put('{');
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) put(',');
    writeString(keys[i]);
    put(':');
    writeStable(o[keys[i]]);
  }
  put('}');
}

/** Whether keys are in the order the default sort gives (UTF-16 code units, as `<` compares). */
function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

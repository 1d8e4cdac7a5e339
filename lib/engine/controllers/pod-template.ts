/** From a pod spec to what the scheduler and the endpoint controllers need (shared by all workload controllers). */
import type { PodSpecManifest } from '../../manifest/types';
import { ContainerPortInfo, ObjectRef, PodDnsSettings, SourceLocation } from '../model';

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
  /** Explicit `status.podIPs[].ip` of a bare Pod manifest (dual-stack). */
  readonly podIPs?: readonly string[];
  /** Initial PodReady (bare Pods may declare it in status); default true. */
  readonly ready?: boolean;
  readonly owner?: ObjectRef;
  readonly source?: SourceLocation;
  /** What the scheduler's filters read beyond nodeSelector (shared by the pods of one template). */
  readonly scheduling?: PodScheduling;
  /** Resolver settings (shared by the pods of one template); undefined for the default. */
  readonly dns?: PodDnsSettings;
}

/** A `spec.tolerations[]` entry. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: string;
}

/** A `nodeSelectorTerms[].matchExpressions[]` / `matchFields[]` requirement. */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  readonly values?: readonly string[];
}

/** One `nodeSelectorTerms[]` entry (terms are ORed, requirements inside one ANDed). */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** A host port a pod asks for (`containerPort.hostPort`, or every container port with hostNetwork). */
export interface HostPort {
  readonly port: number;
  readonly protocol: string;
  readonly hostIP: string;
}

/** Pod spec fields the scheduler's filter plugins read. */
export interface PodScheduling {
  readonly tolerations: readonly Toleration[];
  /** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`. */
  readonly requiredNodeTerms?: readonly NodeSelectorTerm[];
  readonly hostPorts: readonly HostPort[];
  /** `spec.hostNetwork`: the pod gets its node's IP. */
  readonly hostNetwork: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Json : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The scheduling-relevant parts of a pod spec; undefined when there are none (the common case,
 * which keeps the scheduler on its fast path). With hostNetwork every container port is a host
 * port (the API server defaults `hostPort` to `containerPort`, pkg/apis/core/v1/defaults.go).
 */
export function schedulingOf(spec: PodSpecManifest | undefined): PodScheduling | undefined {
  const raw = obj(spec) ?? {};
  const hostNetwork = raw.hostNetwork === true;
  const tolerations = arr(raw.tolerations).flatMap((t) => (obj(t) ? [obj(t) as Toleration] : []));
  const required = obj(obj(obj(raw.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  const terms = required ? arr(required.nodeSelectorTerms).flatMap((t) => (obj(t) ? [obj(t) as NodeSelectorTerm] : [])) : undefined;
  const hostPorts: HostPort[] = [];
  const containers = [...arr(raw.containers), ...arr(raw.initContainers).filter((c) => obj(c)?.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of arr(obj(c)?.ports)) {
      const port = obj(p);
      if (!port) continue;
      const hp = typeof port.hostPort === 'number' && port.hostPort > 0 ? port.hostPort : hostNetwork && typeof port.containerPort === 'number' ? port.containerPort : undefined;
      if (hp === undefined) continue;
      hostPorts.push({ port: hp, protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP', hostIP: typeof port.hostIP === 'string' && port.hostIP !== '' ? port.hostIP : '0.0.0.0' });
    }
  }
  if (!hostNetwork && tolerations.length === 0 && !terms && hostPorts.length === 0) return undefined;
  return { tolerations, requiredNodeTerms: terms, hostPorts, hostNetwork };
}

const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

/**
 * How a pod resolves names, from its spec; undefined for the default (ClusterFirst without
 * dnsConfig or hostAliases, not on the host network), so most pods share nothing extra.
 */
export function dnsSettingsOf(spec: PodSpecManifest | undefined): PodDnsSettings | undefined {
  const raw = obj(spec) ?? {};
  const policy = DNS_POLICIES.find((p) => p === raw.dnsPolicy) ?? 'ClusterFirst';
  const hostNetwork = raw.hostNetwork === true;
  const config = obj(raw.dnsConfig);
  const aliases = arr(raw.hostAliases).flatMap((a) => {
    const alias = obj(a);
    return alias && typeof alias.ip === 'string' ? [{ ip: alias.ip, hostnames: strings(alias.hostnames) }] : [];
  });
  if (policy === 'ClusterFirst' && !hostNetwork && !config && aliases.length === 0) return undefined;
  const options = arr(config?.options).flatMap((o) => {
    const option = obj(o);
    return option && typeof option.name === 'string' ? [{ name: option.name, ...(typeof option.value === 'string' ? { value: option.value } : {}) }] : [];
  });
  return { dnsPolicy: policy, hostNetwork, nameservers: strings(config?.nameservers), searches: strings(config?.searches), options, hostAliases: aliases };
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

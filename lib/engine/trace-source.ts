/**
 * The text forms of a trace's two ends, shared by `netkit trace` and the testing helpers so both
 * accept the same spellings: a {@link TraceSource} (`--from`: pod, node, external client,
 * `deploy/NAME`-style workload references as kubectl writes them, or pod labels) and a target
 * (`host:port`, `[v6]:port`, a bare IP).
 */
import type { TraceSource } from './trace';
import type { ClusterStateView, PodInfo } from './model';
import { workloadOf } from './policy/workload';
import { isIpAddress } from '../k8s/ip';
import { podIPs } from './ip-families';
import { looksLikeSelector, matchesLabelSelector, parseSelector, SelectorSyntaxError, type LabelSelector } from '../k8s/selector';

/** A `from` string that names no source; the message says which forms are accepted. */
export class TraceSourceSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceSourceSyntaxError';
  }
}

/** Every `--from` form, for error messages. */
const FROM_FORMS = 'pod:NAMESPACE/NAME, NAMESPACE/NAME, deploy/NAME, sts/NAME, ds/NAME, pod/NAME (with -n), node:NAME, external:IP or pod labels such as app=web';

/**
 * Parse a source: `pod:NS/NAME` (or just `NS/NAME`), `node:NAME`, `external:IP`.
 * @throws TraceSourceSyntaxError when `value` is none of these forms
 */
export function parseTraceSource(value: string): TraceSource {
  const m = /^(pod|node|external)[:=](.+)$/.exec(value.trim());
  if (m) {
    const [, kind, rest] = m;
    if (kind === 'pod') {
      if (!rest.includes('/')) throw new TraceSourceSyntaxError(`--from pod:${rest}: give the pod as namespace/name, e.g. pod:default/client`);
      return { pod: rest };
    }
    return kind === 'node' ? { node: rest } : { external: rest };
  }
  if (/^[^/:\s]+\/[^/:\s]+$/.test(value)) return { pod: value };
  throw new TraceSourceSyntaxError(`--from ${value}: expected ${FROM_FORMS}`);
}

/** The kinds a `TYPE/NAME` source may name. */
export type SourceWorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';

/**
 * Resource names and short names as `kubectl get TYPE/NAME` accepts them for the kinds that own
 * pods (kubectl's RESTMapper: plural, singular and the short names `deploy`, `sts`, `ds`, `po`).
 */
const WORKLOAD_TYPES: Readonly<Record<string, SourceWorkloadKind>> = {
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  po: 'Pod', pod: 'Pod', pods: 'Pod',
};

/** A `from` as written: a source, a workload (`deploy/web`) or pod labels to pick the source pod by once the cluster is known. */
export type SourceSpec =
  | { readonly source: TraceSource }
  | { readonly selector: LabelSelector }
  | { readonly workload: { readonly kind: SourceWorkloadKind; readonly name: string } }
  /** A pod IP of either family (`10.2.1.2`, `fd00:10:244:1::2`): the pod that has it in `status.podIPs`. */
  | { readonly podIP: string };

/**
 * Parse a `from` that may also name a workload or pod labels: `pod:`/`node:`/`external:` forms and
 * `NS/NAME` as {@link parseTraceSource}; `TYPE/NAME` with a kubectl resource name or short name
 * (`deploy/web`, `sts/postgres`, `ds/agent`, `pod/client`) as that workload in the namespace
 * given separately (`-n`); anything with a selector operator (`app=web`, `tier in (a,b)`,
 * `!canary`) as a label selector (see lib/k8s/selector). `TYPE/NAME` wins over `NS/NAME`
 * when the first part is a resource name, as `kubectl exec deploy/web` reads it.
 * @throws TraceSourceSyntaxError when it is none of these
 */
export function parseSourceSpec(value: string): SourceSpec {
  if (isIpAddress(value.trim())) return { podIP: value.trim() };
  if (!hasSourceKind(value) && looksLikeSelector(value)) {
    try {
      return { selector: parseSelector(value) };
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw new TraceSourceSyntaxError(`--from ${value}: ${e.problem}`);
      throw e;
    }
  }
  const typed = /^([a-z]+)\/([^/:\s]+)$/.exec(value.trim());
  const kind = typed ? WORKLOAD_TYPES[typed[1]] : undefined;
  if (typed && kind) return { workload: { kind, name: typed[2] } };
  return { source: parseTraceSource(value) };
}

/** What a spec resolved to, and how it was chosen (for the CLI to say). */
export type SourceResolution =
  | { readonly ok: true; readonly source: TraceSource; readonly chosen?: string }
  | { readonly ok: false; readonly message: string };

/** Pods owned by `kind/name` (a Deployment through its ReplicaSet), or the pod itself, in `namespace` or any. */
function podsOf(state: ClusterStateView, kind: SourceWorkloadKind, name: string, namespace: string | undefined): PodInfo[] {
  const out: PodInfo[] = [];
  for (const pod of state.pods.values()) {
    if (namespace !== undefined && pod.namespace !== namespace) continue;
    if (kind === 'Pod' ? pod.name === name : (() => { const w = workloadOf(pod); return w.kind === kind && w.name === name; })()) out.push(pod);
  }
  return out;
}

const key = (p: PodInfo): string => `${p.namespace}/${p.name}`;

/** The pod a list stands for: the first ready one by `namespace/name`, else the first. */
function firstPod(pods: readonly PodInfo[]): PodInfo {
  const sorted = [...pods].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return sorted.find((p) => p.ready) ?? sorted[0];
}

const KIND_WORD: Readonly<Record<SourceWorkloadKind, string>> = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Pod: 'pod' };

/**
 * Resolve a spec in `state`. `namespace` (`-n`) scopes workload names and selectors; without it a
 * workload is looked up in `default`, else in the one namespace that has it (two namespaces with
 * it is an error naming them), and a selector matches pods in every namespace. A workload or a
 * selector stands for its first ready pod by `namespace/name`; `chosen` says which and why.
 */
export function resolveSource(spec: SourceSpec, state: ClusterStateView, namespace?: string): SourceResolution {
  if ('source' in spec) return { ok: true, source: spec.source };
  if ('podIP' in spec) {
    const pods = [...state.pods.values()].filter((p) => !p.hostNetwork && podIPs(p).includes(spec.podIP) && (namespace === undefined || p.namespace === namespace));
    if (pods.length === 0) return { ok: false, message: `no pod has the IP ${spec.podIP}; for a client outside the cluster use external:${spec.podIP}` };
    const pod = firstPod(pods);
    return { ok: true, source: { pod: key(pod) }, chosen: `pod ${key(pod)}, the pod with IP ${spec.podIP}` };
  }
  if ('selector' in spec) {
    const pods = [...state.pods.values()].filter((p) => (namespace === undefined || p.namespace === namespace) && matchesLabelSelector(spec.selector, p.labels));
    const where = namespace !== undefined ? ` in namespace ${namespace}` : '';
    if (pods.length === 0) return { ok: false, message: `no pod${where} has these labels (see \`netkit routes\` for the pods)` };
    const pod = firstPod(pods);
    return { ok: true, source: { pod: key(pod) }, chosen: `pod ${key(pod)}, chosen by the selector ${spec.selector.text}: the first of ${pods.length} matching pod${pods.length === 1 ? '' : 's'}${where}` };
  }
  const { kind, name } = spec.workload;
  const word = KIND_WORD[kind];
  let pods: PodInfo[];
  if (namespace !== undefined) {
    pods = podsOf(state, kind, name, namespace);
    if (pods.length === 0) return { ok: false, message: `no ${word} ${name} with pods in namespace ${namespace}${hint(state, kind, name)}` };
  } else {
    pods = podsOf(state, kind, name, 'default');
    if (pods.length === 0) {
      const all = podsOf(state, kind, name, undefined);
      const namespaces = [...new Set(all.map((p) => p.namespace))].sort();
      if (namespaces.length === 0) return { ok: false, message: `no ${word} ${name} with pods in any namespace` };
      if (namespaces.length > 1) return { ok: false, message: `${word} ${name} is in namespaces ${namespaces.join(', ')}: pass -n to choose one` };
      pods = all;
    }
  }
  const pod = firstPod(pods);
  if (kind === 'Pod') return { ok: true, source: { pod: key(pod) } };
  return { ok: true, source: { pod: key(pod) }, chosen: `pod ${key(pod)}, the first ${pod.ready ? 'ready ' : ''}pod of ${word} ${pod.namespace}/${name} (${pods.length} pod${pods.length === 1 ? '' : 's'})` };
}

/** ` (it is in namespace X)` when the workload exists elsewhere: the likely fix for a wrong `-n`. */
function hint(state: ClusterStateView, kind: SourceWorkloadKind, name: string): string {
  const namespaces = [...new Set(podsOf(state, kind, name, undefined).map((p) => p.namespace))].sort();
  return namespaces.length > 0 ? ` (there is one in namespace ${namespaces.join(', ')})` : '';
}

/** True when `value` names the source's kind explicitly (`pod:`, `node=`, ...), so it is not read as labels. */
function hasSourceKind(value: string): boolean {
  return /^(pod|node|external)[:=]/.test(value.trim());
}

/** A trace target split into host and port. */
export interface TraceTarget {
  /** A DNS name or an IP address. */
  readonly host: string;
  /** A port number or a Service port name, when the target has one. */
  readonly port?: number | string;
}

/** A target that is not `host`, `host:port` or `[v6]:port`. */
export class TraceTargetSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceTargetSyntaxError';
  }
}

/**
 * Split a target as people type it: `web`, `web:80`, `web.shop:http`, `10.96.0.10:53`, a bare IPv6
 * address, or `[fd00::1]:80` (IPv6 with a port goes in brackets, as in a URL). A port is a
 * number 1-65535 or a port name (IANA_SVC_NAME as `validation.IsValidPortName` checks it:
 * lowercase letters, digits and `-`, at most 15, at least one letter).
 * @throws TraceTargetSyntaxError on anything else (two colons outside brackets, a bad port)
 */
export function parseTraceTarget(value: string): TraceTarget {
  const target = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(target);
  let host: string;
  let port: string | undefined;
  if (bracketed) [host, port] = [bracketed[1], bracketed[2]];
  else if (isIpAddress(target)) host = target;
  else {
    const at = target.lastIndexOf(':');
    [host, port] = at < 0 ? [target, undefined] : [target.slice(0, at), target.slice(at + 1)];
    if (host.includes(':')) throw new TraceTargetSyntaxError(`${value}: expected HOST, HOST:PORT or HOST:PORT-NAME (an IPv6 address with a port goes in brackets, e.g. [fd00::1]:80)`);
  }
  if (host === '') throw new TraceTargetSyntaxError(`${value}: no host before the port`);
  if (port === undefined) return { host };
  if (/^\d+$/.test(port)) {
    const n = Number(port);
    if (n < 1 || n > 65535) throw new TraceTargetSyntaxError(`${value}: port ${port} is not 1-65535`);
    return { host, port: n };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(port) || port.length > 15 || !/[a-z]/.test(port) || port.includes('--')) {
    throw new TraceTargetSyntaxError(`${value}: "${port}" is neither a port number nor a port name (such as http)`);
  }
  return { host, port };
}

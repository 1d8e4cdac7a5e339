/**
 * Policy objects from loaded manifests into the model of `types.ts`, with the API server's
 * defaults applied. Field meanings follow the upstream types:
 * - NetworkPolicy: `staging/src/k8s.io/api/networking/v1/types.go`, defaults from
 *   `pkg/apis/networking/v1/defaults.go` (protocol TCP, policyTypes Ingress [+ Egress when
 *   egress rules exist]).
 * - ClusterNetworkPolicy: network-policy-api v0.3.0 `apis/v1alpha2` (same shape as `v1beta1`).
 * - AdminNetworkPolicy / BaselineAdminNetworkPolicy: network-policy-api `apis/v1alpha1`.
 * - AuthorizationPolicy: Istio `security/v1beta1/authorization.proto`.
 * Anything the model cannot read is a {@link PolicyProblem}, never silently dropped.
 */
import { labelSelectorProblems, validateNetworkPolicy } from '../../k8s/network-policy-validation';
import type { ManifestObject } from '../../manifest/objects';
import type { LabelSelectorManifest } from '../../manifest/types';
import type { Protocol } from '../model';
import type {
  AuthorizationPolicyModel, AuthzOperation, AuthzRule, AuthzSource, ClusterPeer, ClusterPolicyModel, ClusterRule,
  NetpolPeer, NetpolRule, NetworkPolicyModel, PolicyProblem, PolicyRef, PortClause,
} from './types';

type Obj = Readonly<Record<string, unknown>>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}
function arr(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function strs(v: unknown): string[] | undefined {
  const a = arr(v);
  return a ? a.filter((x): x is string => typeof x === 'string') : undefined;
}
/** A selector no labels satisfy (`In` with no values): what a selector the API rejects selects here. */
const SELECTS_NOTHING: LabelSelectorManifest = { matchExpressions: [{ key: '', operator: 'In', values: [] }] };

/**
 * A label selector as written, checked first: one the API server (or a CRD schema) would refuse,
 * e.g. `matchExpressions` written as a map, is reported and selects nothing.
 */
function selector(v: unknown, ref: PolicyRef, path: string, problems: PolicyProblem[]): LabelSelectorManifest {
  const bad = labelSelectorProblems(v, path);
  if (bad.length === 0) return (obj(v) ?? {}) as LabelSelectorManifest;
  problems.push({ ref, path: bad[0].field, message: `${bad[0].message}; this selector selects nothing here` });
  return SELECTS_NOTHING;
}
function protocolOf(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

/** Policy kinds this module reads, by API group. */
export const POLICY_GROUPS: Readonly<Record<string, string>> = {
  NetworkPolicy: 'networking.k8s.io',
  ClusterNetworkPolicy: 'policy.networking.k8s.io',
  AdminNetworkPolicy: 'policy.networking.k8s.io',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io',
  AuthorizationPolicy: 'security.istio.io',
};

/** True for an object this module models. */
export function isPolicyObject(o: ManifestObject): boolean {
  const group = POLICY_GROUPS[o.ref.kind];
  return group !== undefined && o.apiVersion.startsWith(`${group}/`);
}

function refOf(o: ManifestObject, kind: PolicyRef['kind']): PolicyRef {
  return { kind, namespace: o.ref.namespace, name: o.ref.name, source: o.source };
}

/**
 * A `NetworkPolicy` (networking.k8s.io/v1), checked first as the API server's
 * `ValidateNetworkPolicy` checks it: one it would reject never takes effect, so it is left out
 * (undefined) and reported as a rejected problem. Past the check every selector and peer is
 * well formed, so they are read as written.
 */
export function parseNetworkPolicy(o: ManifestObject, problems: PolicyProblem[]): NetworkPolicyModel | undefined {
  const ref = refOf(o, 'NetworkPolicy');
  const invalid = validateNetworkPolicy(o.raw);
  if (invalid.length > 0) {
    problems.push({ ref, path: invalid[0].field, message: `${invalid[0].message}: the API server rejects this NetworkPolicy, so it is not applied here${invalid.length > 1 ? ` (${invalid.length - 1} more problem(s), see \`netkit validate\`)` : ''}`, rejected: true });
    return undefined;
  }
  const spec = obj(o.raw.spec) ?? {};
  const ingressRaw = arr(spec.ingress);
  const egressRaw = arr(spec.egress);
  const declared = strs(spec.policyTypes);
  const policyTypes: ('Ingress' | 'Egress')[] = declared && declared.length > 0
    ? declared.filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress')
    : ['Ingress', ...(egressRaw && egressRaw.length > 0 ? ['Egress' as const] : [])];
  const rules = (list: readonly unknown[] | undefined, peerKey: 'from' | 'to'): NetpolRule[] =>
    (list ?? []).map((r, index) => {
      const rule = obj(r) ?? {};
      const peersRaw = arr(rule[peerKey]);
      const portsRaw = arr(rule.ports);
      return {
        index,
        peers: peersRaw && peersRaw.length > 0 ? peersRaw.map((p) => netpolPeer(p)) : undefined,
        ports: portsRaw && portsRaw.length > 0 ? portsRaw.map((p) => netpolPort(p)) : undefined,
      };
    });
  return {
    ref,
    namespace: o.ref.namespace ?? 'default',
    podSelector: validSelector(spec.podSelector) ?? {},
    ingress: rules(ingressRaw, 'from'),
    egress: rules(egressRaw, 'to'),
    policyTypes,
  };
}

/** A selector that passed validation (`ValidateLabelSelector`). */
function validSelector(v: unknown): LabelSelectorManifest | undefined {
  return v === undefined || v === null ? undefined : (obj(v) ?? {}) as LabelSelectorManifest;
}

/** A validated peer: exactly one of ipBlock or the selectors (`ValidateNetworkPolicyPeer`). */
function netpolPeer(v: unknown): NetpolPeer {
  const p = obj(v) ?? {};
  const block = obj(p.ipBlock);
  if (block) return { kind: 'ipBlock', cidr: str(block.cidr) ?? '', except: strs(block.except) ?? [] };
  return { kind: 'pods', podSelector: validSelector(p.podSelector), namespaceSelector: validSelector(p.namespaceSelector) };
}

function netpolPort(v: unknown): PortClause {
  const p = obj(v) ?? {};
  const port = typeof p.port === 'number' || typeof p.port === 'string' ? p.port : undefined;
  const endPort = typeof p.endPort === 'number' ? p.endPort : undefined;
  return { protocol: protocolOf(p.protocol), port, endPort: typeof port === 'number' ? endPort : undefined };
}

/** A `ClusterNetworkPolicy` (v1alpha2 / v1beta1), an `AdminNetworkPolicy` or a `BaselineAdminNetworkPolicy` (v1alpha1). */
export function parseClusterPolicy(o: ManifestObject, problems: PolicyProblem[]): ClusterPolicyModel {
  const kind = o.ref.kind as 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  const ref: PolicyRef = { kind, name: o.ref.name, source: o.source };
  const spec = obj(o.raw.spec) ?? {};
  let tier: 'Admin' | 'Baseline';
  let priority: number;
  if (kind === 'ClusterNetworkPolicy') {
    tier = spec.tier === 'Baseline' ? 'Baseline' : 'Admin';
    if (spec.tier !== 'Admin' && spec.tier !== 'Baseline') problems.push({ ref, path: 'spec.tier', message: `tier ${JSON.stringify(spec.tier)} is not Admin or Baseline (the API server rejects it); treated as Admin` });
    priority = typeof spec.priority === 'number' ? spec.priority : 0;
  } else if (kind === 'AdminNetworkPolicy') {
    tier = 'Admin';
    priority = typeof spec.priority === 'number' ? spec.priority : 0;
  } else {
    // BANP is a singleton named "default" below every NetworkPolicy; it orders after any CNP Baseline policy.
    tier = 'Baseline';
    priority = 1001;
  }
  const subj = obj(spec.subject) ?? {};
  const pods = obj(subj.pods);
  const subject = pods
    ? { namespaceSelector: selector(pods.namespaceSelector, ref, 'spec.subject.pods.namespaceSelector', problems), podSelector: selector(pods.podSelector, ref, 'spec.subject.pods.podSelector', problems) }
    : { namespaceSelector: selector(subj.namespaces, ref, 'spec.subject.namespaces', problems) };
  if (!pods && subj.namespaces === undefined) problems.push({ ref, path: 'spec.subject', message: 'subject sets neither namespaces nor pods; it selects nothing here' });
  const v1alpha1 = kind !== 'ClusterNetworkPolicy';
  const rules = (list: unknown, peerKey: 'from' | 'to', at: string): ClusterRule[] =>
    (arr(list) ?? []).map((r, index) => {
      const rule = obj(r) ?? {};
      const rawAction = str(rule.action);
      const action = rawAction === 'Allow' || rawAction === 'Accept' ? 'Accept' : rawAction === 'Pass' ? 'Pass' : 'Deny';
      if (rawAction !== (v1alpha1 ? 'Allow' : 'Accept') && rawAction !== 'Deny' && rawAction !== 'Pass') {
        problems.push({ ref, path: `${at}[${index}].action`, message: `action ${JSON.stringify(rawAction)} is not valid for ${kind}; treated as Deny (fail closed)` });
      }
      const peers = (arr(rule[peerKey]) ?? []).map((p, i) => clusterPeer(p, ref, `${at}[${index}].${peerKey}[${i}]`, problems));
      const ports = v1alpha1 ? anpPorts(rule.ports) : cnpProtocols(rule.protocols);
      return { index, name: str(rule.name), action, peers, ports };
    });
  return { ref, tier, priority, subject, ingress: rules(spec.ingress, 'from', 'spec.ingress'), egress: rules(spec.egress, 'to', 'spec.egress') };
}

function clusterPeer(v: unknown, ref: PolicyRef, path: string, problems: PolicyProblem[]): ClusterPeer {
  const p = obj(v) ?? {};
  if (p.namespaces !== undefined) return { kind: 'namespaces', namespaceSelector: selector(p.namespaces, ref, `${path}.namespaces`, problems) };
  const pods = obj(p.pods);
  if (pods) return { kind: 'pods', namespaceSelector: selector(pods.namespaceSelector, ref, `${path}.pods.namespaceSelector`, problems), podSelector: selector(pods.podSelector, ref, `${path}.pods.podSelector`, problems) };
  if (p.nodes !== undefined) return { kind: 'nodes', nodeSelector: selector(p.nodes, ref, `${path}.nodes`, problems) };
  if (p.networks !== undefined) return { kind: 'networks', cidrs: strs(p.networks) ?? [] };
  if (p.domainNames !== undefined) return { kind: 'domainNames', names: strs(p.domainNames) ?? [] };
  problems.push({ ref, path, message: `peer has no field this model knows (${Object.keys(p).join(', ') || 'empty'}); fail closed as the API says: an Accept rule matches nothing, Deny/Pass match everything` });
  return { kind: 'unknown' };
}

function cnpProtocols(v: unknown): PortClause[] | undefined {
  const list = arr(v);
  if (!list || list.length === 0) return undefined;
  const out: PortClause[] = [];
  for (const item of list) {
    const p = obj(item) ?? {};
    const named = str(p.destinationNamedPort);
    if (named) {
      // A named port matches the container port of that name on the destination, any protocol it declares.
      for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) out.push({ protocol, port: named });
      continue;
    }
    for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
      const proto = obj(p[key]);
      if (!proto) continue;
      const dp = obj(proto.destinationPort);
      const range = obj(dp?.range);
      if (range && typeof range.start === 'number' && typeof range.end === 'number') out.push({ protocol, port: range.start, endPort: range.end });
      else if (dp && typeof dp.number === 'number') out.push({ protocol, port: dp.number });
      else out.push({ protocol });
    }
  }
  return out;
}

function anpPorts(v: unknown): PortClause[] | undefined {
  const list = arr(v);
  if (!list || list.length === 0) return undefined;
  const out: PortClause[] = [];
  for (const item of list) {
    const p = obj(item) ?? {};
    const num = obj(p.portNumber);
    const range = obj(p.portRange);
    if (num && typeof num.port === 'number') out.push({ protocol: protocolOf(num.protocol), port: num.port });
    else if (range && typeof range.start === 'number' && typeof range.end === 'number') out.push({ protocol: protocolOf(range.protocol), port: range.start, endPort: range.end });
    else if (typeof p.namedPort === 'string') for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) out.push({ protocol, port: p.namedPort });
  }
  return out;
}

/** An Istio `AuthorizationPolicy`. `rootNamespace`: mesh config `rootNamespace` (default istio-system). */
export function parseAuthorizationPolicy(o: ManifestObject, rootNamespace: string, problems: PolicyProblem[]): AuthorizationPolicyModel {
  const ref = refOf(o, 'AuthorizationPolicy');
  const spec = obj(o.raw.spec) ?? {};
  const namespace = o.ref.namespace ?? 'default';
  const action = (['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const).find((a) => a === spec.action) ?? 'ALLOW';
  if (action === 'CUSTOM') problems.push({ ref, path: 'spec.action', message: 'CUSTOM delegates to an external authorizer, which is not simulated' });
  if (spec.targetRef !== undefined || spec.targetRefs !== undefined) problems.push({ ref, path: 'spec.targetRefs', message: 'targetRef(s) (waypoint / gateway attachment) are not simulated; the policy is applied by its selector only' });
  const sel = obj(spec.selector);
  const rules: AuthzRule[] = (arr(spec.rules) ?? []).map((r, index) => {
    const rule = obj(r) ?? {};
    const from: AuthzSource[] = (arr(rule.from) ?? []).map((f) => {
      const s = obj(obj(f)?.source) ?? {};
      const known = new Set(['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks']);
      return {
        principals: strs(s.principals), notPrincipals: strs(s.notPrincipals), namespaces: strs(s.namespaces), notNamespaces: strs(s.notNamespaces),
        ipBlocks: strs(s.ipBlocks), notIpBlocks: strs(s.notIpBlocks), unmodelled: Object.keys(s).filter((k) => !known.has(k)),
      };
    });
    const to: AuthzOperation[] = (arr(rule.to) ?? []).map((t) => {
      const op = obj(obj(t)?.operation) ?? {};
      return {
        ports: strs(op.ports), notPorts: strs(op.notPorts), paths: strs(op.paths), notPaths: strs(op.notPaths),
        methods: strs(op.methods), notMethods: strs(op.notMethods), hosts: strs(op.hosts), notHosts: strs(op.notHosts),
      };
    });
    const hasWhen = (arr(rule.when) ?? []).length > 0;
    if (hasWhen) problems.push({ ref, path: `spec.rules[${index}].when`, message: 'when conditions are not simulated; the rule is evaluated without them' });
    return { index, from, to, hasWhen };
  });
  return { ref, namespace, rootNamespace: namespace === rootNamespace, selector: sel ? (obj(sel.matchLabels) as Record<string, string> | undefined) ?? {} : undefined, action, rules };
}

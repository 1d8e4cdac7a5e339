/**
 * The reachability model's data: policies as parsed from manifests (NetworkPolicy v1,
 * ClusterNetworkPolicy v1alpha2/v1beta1, AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1,
 * Istio AuthorizationPolicy) and the verdicts the evaluator returns. Plain data only.
 */
import type { LabelSelectorManifest } from '../../manifest/types';
import type { Protocol, SourceLocation } from '../model';

/** A policy object, as named in verdicts: `NetworkPolicy shop/allow-web`, `ClusterNetworkPolicy deny-all`. */
export interface PolicyRef {
  readonly kind: 'NetworkPolicy' | 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'AuthorizationPolicy';
  readonly namespace?: string;
  readonly name: string;
  readonly source?: SourceLocation;
}

/** `NetworkPolicy shop/web`, `ClusterNetworkPolicy deny-all`. */
export function policyLabel(ref: PolicyRef): string {
  return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** A port clause: every port of the protocol, one number, a range, or a name resolved on the destination pod. */
export interface PortClause {
  readonly protocol: Protocol;
  /** Undefined: every port of the protocol. */
  readonly port?: number | string;
  /** Inclusive end of a numeric range (`endPort`, or a CNP `range`). */
  readonly endPort?: number;
}

/** One peer of a NetworkPolicy rule (`NetworkPolicyPeer`). */
export type NetpolPeer =
  | { readonly kind: 'pods'; readonly podSelector?: LabelSelectorManifest; readonly namespaceSelector?: LabelSelectorManifest }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] };

/** One ingress or egress rule of a NetworkPolicy. `peers` undefined: every peer; `ports` undefined: every port. */
export interface NetpolRule {
  readonly index: number;
  readonly peers?: readonly NetpolPeer[];
  readonly ports?: readonly PortClause[];
}

/** A NetworkPolicy v1 with `policyTypes` defaulted as the API server does. */
export interface NetworkPolicyModel {
  readonly ref: PolicyRef;
  readonly namespace: string;
  readonly podSelector: LabelSelectorManifest;
  readonly ingress?: readonly NetpolRule[];
  readonly egress?: readonly NetpolRule[];
  /** After defaulting (`pkg/apis/networking/v1/defaults.go` SetDefaults_NetworkPolicy). */
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
}

/** A peer of a cluster-scoped policy rule. */
export type ClusterPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelectorManifest }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelectorManifest; readonly podSelector: LabelSelectorManifest }
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelectorManifest }
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  | { readonly kind: 'domainNames'; readonly names: readonly string[] }
  /** A peer with no known field: fail closed (Accept matches nothing, Deny/Pass match everything). */
  | { readonly kind: 'unknown' };

/** One rule of a ClusterNetworkPolicy (or ANP/BANP converted to one). */
export interface ClusterRule {
  readonly index: number;
  readonly name?: string;
  readonly action: 'Accept' | 'Deny' | 'Pass';
  readonly peers: readonly ClusterPeer[];
  /** Undefined: every port. */
  readonly ports?: readonly PortClause[];
}

/** A ClusterNetworkPolicy; ANP is its Admin tier, BANP its Baseline tier. */
export interface ClusterPolicyModel {
  readonly ref: PolicyRef;
  readonly tier: 'Admin' | 'Baseline';
  readonly priority: number;
  readonly subject: { readonly namespaceSelector: LabelSelectorManifest; readonly podSelector?: LabelSelectorManifest };
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
}

/** One rule of an Istio AuthorizationPolicy (the fields this model reads). */
export interface AuthzRule {
  readonly index: number;
  /** Each `from[].source`; a request matches when any matches (empty: any source). */
  readonly from: readonly AuthzSource[];
  /** Each `to[].operation`; empty: any operation. */
  readonly to: readonly AuthzOperation[];
  /** `when` conditions are not modelled: a rule with them is reported. */
  readonly hasWhen: boolean;
}

/** `Source` of an AuthorizationPolicy rule. */
export interface AuthzSource {
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  /** Fields the model does not evaluate (requestPrincipals, remoteIpBlocks, ...). */
  readonly unmodelled: readonly string[];
}

/** `Operation` of an AuthorizationPolicy rule. */
export interface AuthzOperation {
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
}

/** An Istio AuthorizationPolicy (security.istio.io/v1 or v1beta1). */
export interface AuthorizationPolicyModel {
  readonly ref: PolicyRef;
  readonly namespace: string;
  /** Root-namespace policies apply mesh-wide. */
  readonly rootNamespace: boolean;
  /** `selector.matchLabels`; undefined: every workload of the namespace. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** `rules` left out: ALLOW matches nothing, DENY matches nothing; `rules: [{}]` matches everything. */
  readonly rules: readonly AuthzRule[];
}

/** A policy-related input the model could not read fully; reported with every answer it could change. */
export interface PolicyProblem {
  readonly ref: PolicyRef;
  readonly path: string;
  readonly message: string;
  /**
   * The API server would reject the whole policy, so the model leaves it out; verdicts for pods
   * in its namespace mention it (had it been admitted, it could have decided them).
   */
  readonly rejected?: boolean;
}

/** Which layer made the decision for one direction. */
export type DecidedBy =
  /** No policy of any kind selects the pod for this direction: allowed. */
  | 'default-allow'
  /** A ClusterNetworkPolicy/ANP Admin-tier rule (Accept or Deny). */
  | 'admin'
  /** NetworkPolicy: the pod is isolated and a rule admits the peer, or none does. */
  | 'networkpolicy'
  /** A ClusterNetworkPolicy/BANP Baseline-tier rule (Accept or Deny). */
  | 'baseline'
  /** The CNI profile decides without policies (loopback, traffic from the pod's own node, host-network pods). */
  | 'profile'
  /** Policies do not apply (the end is not a pod: outside the cluster, a node). */
  | 'not-applicable';

/** The rule that decided, with where it is. */
export interface RuleHit {
  readonly policy: PolicyRef;
  /** JSON path of the rule, e.g. `spec.ingress[1]`. */
  readonly path: string;
  readonly action?: 'Accept' | 'Deny' | 'Pass';
}

/** The closest rule that did not admit the connection, and what differed. */
export interface NearMiss {
  readonly policy: PolicyRef;
  readonly path: string;
  /** e.g. `peer matches, port 8080/TCP is not 7070/TCP`. */
  readonly reason: string;
}

/** The decision for one direction (the source's egress, or the destination's ingress). */
export interface DirectionVerdict {
  readonly allowed: boolean;
  readonly decidedBy: DecidedBy;
  /** The rule that admitted or denied (admin/baseline rules, or the first NetworkPolicy rule that admits). */
  readonly rule?: RuleHit;
  /** Rules passed over on the way (`Pass` actions). */
  readonly passed?: readonly RuleHit[];
  /** NetworkPolicies that select the pod for this direction (so isolate it). */
  readonly isolatedBy: readonly PolicyRef[];
  readonly nearMiss?: NearMiss;
  /** One sentence. */
  readonly reason: string;
}

/** The decision for one connection after Service translation: both directions must allow. */
export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
  /** Mesh authorization (Istio AuthorizationPolicy) when the destination is in the mesh. */
  readonly mesh?: MeshVerdict;
  /** Inputs the model does not evaluate that could change this answer. */
  readonly unmodelled: readonly string[];
  /** Facts worth knowing (loopback, profile choices, same-priority ambiguity). */
  readonly notes: readonly string[];
}

/** The Istio authorization decision at the destination's sidecar. */
export interface MeshVerdict {
  readonly allowed: boolean;
  readonly rule?: RuleHit;
  readonly reason: string;
}

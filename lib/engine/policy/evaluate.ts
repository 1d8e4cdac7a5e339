/**
 * The reachability decision for one connection, as a policy-enforcing CNI behind kube-proxy
 * makes it: after Service translation (pod IP and targetPort), the source pod's egress and the
 * destination pod's ingress must both allow. Each direction is decided tier by tier, as
 * network-policy-api v0.3.0 orders them (`apis/v1alpha2/clusternetworkpolicy_types.go`):
 * Admin-tier ClusterNetworkPolicies (and AdminNetworkPolicies) by priority, first matching rule
 * wins, `Pass` skips to the next tier; then NetworkPolicy (isolation + union of rules,
 * `staging/src/k8s.io/api/networking/v1/types.go`); then the Baseline tier (and the
 * BaselineAdminNetworkPolicy) when no NetworkPolicy isolates the pod; then allow.
 */
import type { ManifestObject } from '../../manifest/objects';
import { matchesMap, matchesSelector } from '../controllers/label-selector';
import type { ClusterStateView, NodeInfo, PodInfo, Protocol } from '../model';
import { cidrContains, inAnyRange, parseIPv4, parseIPv4Cidr, type IPv4CIDR } from '../../k8s/ip';
import { type CniProfile, cniProfile } from './cni';
import { workloadOf } from './workload';
import { isPolicyObject, parseAuthorizationPolicy, parseClusterPolicy, parseNetworkPolicy } from './parse';
import {
  type AuthorizationPolicyModel, type AuthzRule, type ClusterPeer, type ClusterPolicyModel, type ClusterRule, type DirectionVerdict,
  type MeshVerdict, type NearMiss, type NetpolPeer, type NetpolRule, type NetworkPolicyModel, type PolicyProblem, type PolicyRef,
  type PolicyVerdict, type PortClause, type RuleHit, policyLabel,
} from './types';

/** One end of a connection. Pods are policed; nodes and outside addresses only match ipBlocks / networks. */
export type PolicyPeer =
  | { readonly kind: 'pod'; readonly pod: PodInfo }
  | { readonly kind: 'node'; readonly node: NodeInfo }
  | { readonly kind: 'external'; readonly ip: string };

/** A connection after Service translation. */
export interface PolicyConnection {
  readonly from: PolicyPeer;
  readonly to: PolicyPeer;
  /** The port the destination receives on (targetPort after DNAT). */
  readonly port: number;
  readonly protocol: Protocol;
  /** The Service address and port before DNAT, when the connection went through one (for `pre-dnat` profiles). */
  readonly service?: { readonly ip: string; readonly port: number };
  /** HTTP request details, for mesh authorization of HTTP traffic. */
  readonly http?: { readonly method?: string; readonly path?: string; readonly host?: string };
}

/** What the model reads: the simulated cluster and the loaded objects (policies, Namespaces, workloads). */
export interface PolicyInputs {
  readonly state: ClusterStateView;
  readonly objects: Iterable<ManifestObject>;
}

/** Facts about a pod that `PodInfo` does not carry, read from its template. */
interface PodExtra {
  readonly hostNetwork: boolean;
  readonly serviceAccount: string;
}

type Direction = 'ingress' | 'egress';

interface Candidate {
  readonly hit: RuleHit;
  readonly priority: number;
}

/**
 * The policy model over one cluster state. Build once (`PolicyModel.build`), ask many times:
 * selections are computed lazily and cached per pod.
 */
export class PolicyModel {
  /** Build from the engine state and the loaded objects. */
  static build(inputs: PolicyInputs, profile: Partial<CniProfile> = {}): PolicyModel {
    return new PolicyModel(inputs, cniProfile(profile));
  }

  readonly networkPolicies: readonly NetworkPolicyModel[];
  readonly clusterPolicies: readonly ClusterPolicyModel[];
  readonly authorizationPolicies: readonly AuthorizationPolicyModel[];
  /** Inputs read only in part; see each message. */
  readonly problems: readonly PolicyProblem[];
  /** Namespace labels, with `kubernetes.io/metadata.name` as the API server sets it. */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The DNS pods client lookups go to (real ones from the manifests, else one stand-in). */
  readonly dnsPods: readonly PodInfo[];

  private readonly byNamespace = new Map<string, NetworkPolicyModel[]>();
  // Per-pod caches keyed by the PodInfo object: a model is built over one state snapshot.
  private readonly isolation = new WeakMap<PodInfo, { ingress: NetworkPolicyModel[]; egress: NetworkPolicyModel[] }>();
  private readonly clusterSubjects = new WeakMap<PodInfo, { admin: ClusterPolicyModel[]; baseline: ClusterPolicyModel[] }>();
  private readonly extras = new WeakMap<PodInfo, PodExtra>();
  /** Pods the peer sets were computed over. */
  private readonly indexed = new WeakSet<PodInfo>();
  private readonly templates = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly meshNamespaces = new Set<string>();
  private readonly peerSets = new WeakMap<NetpolPeer, Set<PodInfo>>();
  private readonly blocks = new WeakMap<NetpolPeer, { cidr: IPv4CIDR; except: IPv4CIDR[] } | null>();
  private readonly ipNumbers = new Map<string, number | null>();

  private constructor(private readonly inputs: PolicyInputs, readonly profile: CniProfile) {
    const problems: PolicyProblem[] = [];
    const nps: NetworkPolicyModel[] = [];
    const cnps: ClusterPolicyModel[] = [];
    const authz: AuthorizationPolicyModel[] = [];
    const nsLabels = new Map<string, Record<string, string>>();
    for (const ns of inputs.state.namespaces) nsLabels.set(ns, { 'kubernetes.io/metadata.name': ns });
    for (const o of inputs.objects) {
      if (o.ref.kind === 'Namespace' && o.apiVersion === 'v1') {
        const labels = (o.raw.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
        nsLabels.set(o.ref.name, { ...labels, 'kubernetes.io/metadata.name': o.ref.name });
        continue;
      }
      if (o.ref.kind === 'Pod' && o.apiVersion === 'v1') {
        this.templates.set(`Pod/${o.ref.namespace ?? 'default'}/${o.ref.name}`, (o.raw.spec ?? {}) as Record<string, unknown>);
      } else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(o.ref.kind)) {
        const spec = ((o.raw.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec) ?? {};
        this.templates.set(`${o.ref.kind}/${o.ref.namespace ?? 'default'}/${o.ref.name}`, spec);
      }
      if (!isPolicyObject(o)) continue;
      if (o.ref.kind === 'NetworkPolicy') {
        // The API server refuses an invalid NetworkPolicy, so it never takes effect; skipped and said so.
        const np = parseNetworkPolicy(o, problems);
        if (np) nps.push(np);
      }
      else if (o.ref.kind === 'AuthorizationPolicy') authz.push(parseAuthorizationPolicy(o, profile.istioRootNamespace, problems));
      else cnps.push(parseClusterPolicy(o, problems));
    }
    // Namespaces of the cluster add-ons the model stands in for (cluster DNS, the Ingress controller).
    for (const ns of [profile.dns.namespace, profile.ingressController.namespace]) if (!nsLabels.has(ns)) nsLabels.set(ns, { 'kubernetes.io/metadata.name': ns });
    const byName = (a: { ref: PolicyRef }, b: { ref: PolicyRef }): number => (policyLabel(a.ref) < policyLabel(b.ref) ? -1 : policyLabel(a.ref) > policyLabel(b.ref) ? 1 : 0);
    this.networkPolicies = nps.sort(byName);
    // Precedence: lower priority value first; equal priorities have no defined order (reported).
    this.clusterPolicies = cnps.sort((a, b) => a.priority - b.priority || byName(a, b));
    this.authorizationPolicies = authz.sort(byName);
    this.problems = problems;
    this.namespaceLabels = nsLabels;
    for (const np of this.networkPolicies) {
      const list = this.byNamespace.get(np.namespace) ?? [];
      list.push(np);
      this.byNamespace.set(np.namespace, list);
    }
    for (const [ns, labels] of nsLabels) {
      if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined) this.meshNamespaces.add(ns);
    }
    this.dnsPods = this.findDnsPods();
  }

  // ---- selection ----

  private nsLabels(ns: string): Readonly<Record<string, string>> {
    return this.namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  }

  /** hostNetwork and serviceAccountName from the pod's template (owner workload or bare Pod). */
  extra(pod: PodInfo): PodExtra {
    let e = this.extras.get(pod);
    if (!e) {
      const key = `${pod.namespace}/${pod.name}`;
      const w = workloadOf(pod);
      const spec = this.templates.get(`${w.kind}/${w.namespace ?? pod.namespace}/${w.name}`) ?? this.templates.get(`Pod/${key}`) ?? {};
      e = { hostNetwork: spec.hostNetwork === true, serviceAccount: typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' ? spec.serviceAccount : 'default' };
      this.extras.set(pod, e);
    }
    return e;
  }

  /** NetworkPolicies that select `pod` for each direction (so isolate it). */
  isolating(pod: PodInfo): { readonly ingress: readonly NetworkPolicyModel[]; readonly egress: readonly NetworkPolicyModel[] } {
    let iso = this.isolation.get(pod);
    if (!iso) {
      iso = { ingress: [], egress: [] };
      for (const np of this.byNamespace.get(pod.namespace) ?? []) {
        if (!matchesSelector(np.podSelector, pod.labels)) continue;
        if (np.policyTypes.includes('Ingress')) iso.ingress.push(np);
        if (np.policyTypes.includes('Egress')) iso.egress.push(np);
      }
      this.isolation.set(pod, iso);
    }
    return iso;
  }

  /** Pods a NetworkPolicy selects (its `spec.podSelector` in its namespace). */
  selectedPods(np: NetworkPolicyModel): PodInfo[] {
    return [...this.inputs.state.pods.values()].filter((p) => p.namespace === np.namespace && matchesSelector(np.podSelector, p.labels));
  }

  /** Cluster-scoped policies whose subject is `pod`, per tier, in precedence order. */
  clusterSubjectOf(pod: PodInfo): { readonly admin: readonly ClusterPolicyModel[]; readonly baseline: readonly ClusterPolicyModel[] } {
    let s = this.clusterSubjects.get(pod);
    if (!s) {
      s = { admin: [], baseline: [] };
      for (const cnp of this.clusterPolicies) {
        if (!this.subjectSelects(cnp, pod)) continue;
        (cnp.tier === 'Admin' ? s.admin : s.baseline).push(cnp);
      }
      this.clusterSubjects.set(pod, s);
    }
    return s;
  }

  /** True when the cluster policy's subject selects `pod`. Host-network pods are never subjects (the API says so). */
  subjectSelects(cnp: ClusterPolicyModel, pod: PodInfo): boolean {
    if (this.extra(pod).hostNetwork) return false;
    if (!matchesSelector(cnp.subject.namespaceSelector, this.nsLabels(pod.namespace))) return false;
    return !cnp.subject.podSelector || matchesSelector(cnp.subject.podSelector, pod.labels);
  }

  private ipOf(peer: PolicyPeer): string {
    return peer.kind === 'pod' ? peer.pod.ip : peer.kind === 'node' ? peer.node.internalIP : peer.ip;
  }

  /** A host-network pod's traffic is its node's traffic. */
  private normalise(peer: PolicyPeer): PolicyPeer {
    if (peer.kind === 'pod' && this.extra(peer.pod).hostNetwork && this.profile.hostNetwork === 'unpoliced') {
      const node = this.inputs.state.nodes.get(peer.pod.nodeName);
      if (node) return { kind: 'node', node };
    }
    return peer;
  }

  /** Whether a NetworkPolicy peer matches `other` (seen from a policy in `ns`). */
  netpolPeerMatches(peer: NetpolPeer, ns: string, other: PolicyPeer, ip: string): boolean {
    if (peer.kind === 'ipBlock') {
      if (!peer.cidr) return false;
      if (other.kind === 'pod' && !this.profile.ipBlockMatchesPods) return false;
      return this.inBlock(ip, peer);
    }
    if (other.kind !== 'pod') return false;
    // Pods a selector peer matches, computed once per peer: a matrix asks the same peer about every pod.
    let set = this.peerSets.get(peer);
    if (!set) {
      set = new Set();
      for (const p of this.inputs.state.pods.values()) {
        this.indexed.add(p);
        if (this.podPeerMatches(peer, ns, p)) set.add(p);
      }
      for (const p of this.dnsPods) {
        this.indexed.add(p);
        if (this.podPeerMatches(peer, ns, p)) set.add(p);
      }
      this.peerSets.set(peer, set);
    }
    return set.has(other.pod) || (!this.indexed.has(other.pod) && this.podPeerMatches(peer, ns, other.pod));
  }

  /** ipBlock membership; IPv4 on numbers (a matrix asks it per cell), anything else through ipaddr.js. */
  private inBlock(ip: string, peer: NetpolPeer & { kind: 'ipBlock' }): boolean {
    let compiled = this.blocks.get(peer);
    if (compiled === undefined) {
      const cidr = parseIPv4Cidr(peer.cidr);
      const except = peer.except.map((e) => parseIPv4Cidr(e));
      compiled = cidr && except.every((e) => e) ? { cidr, except: except as IPv4CIDR[] } : null;
      this.blocks.set(peer, compiled);
    }
    let n = this.ipNumbers.get(ip);
    if (n === undefined) {
      n = parseIPv4(ip) ?? null;
      this.ipNumbers.set(ip, n);
    }
    if (compiled && n !== null) return cidrContains(compiled.cidr, n) && !compiled.except.some((e) => cidrContains(e, n as number));
    return inAnyRange(ip, [peer.cidr]) && !inAnyRange(ip, peer.except);
  }

  private podPeerMatches(peer: NetpolPeer & { kind: 'pods' }, ns: string, pod: PodInfo): boolean {
    if (peer.namespaceSelector === undefined) {
      if (pod.namespace !== ns) return false;
    } else if (!matchesSelector(peer.namespaceSelector, this.nsLabels(pod.namespace))) return false;
    return peer.podSelector === undefined || matchesSelector(peer.podSelector, pod.labels);
  }

  private clusterPeerMatches(peer: ClusterPeer, other: PolicyPeer, ip: string, action: ClusterRule['action']): boolean {
    switch (peer.kind) {
      case 'namespaces':
        return other.kind === 'pod' && matchesSelector(peer.namespaceSelector, this.nsLabels(other.pod.namespace));
      case 'pods':
        return other.kind === 'pod' && matchesSelector(peer.namespaceSelector, this.nsLabels(other.pod.namespace)) && matchesSelector(peer.podSelector, other.pod.labels);
      case 'nodes':
        return other.kind === 'node' && matchesSelector(peer.nodeSelector, other.node.labels ?? {});
      case 'networks':
        return inAnyRange(ip, peer.cidrs);
      case 'domainNames':
        return false;
      case 'unknown':
        return action !== 'Accept';
    }
  }

  /** Whether a port clause admits `port/protocol` on the destination (named ports resolve on `dst`'s containers). */
  portMatches(clause: PortClause, port: number, protocol: Protocol, dst: PolicyPeer): boolean {
    if (clause.protocol !== protocol) return false;
    if (clause.port === undefined) return true;
    if (typeof clause.port === 'string') {
      if (dst.kind !== 'pod') return false;
      return dst.pod.containerPorts.some((c) => c.name === clause.port && c.protocol === protocol && c.containerPort === port);
    }
    if (clause.endPort !== undefined && this.profile.endPort === 'honor') return port >= clause.port && port <= clause.endPort;
    return port === clause.port;
  }

  private portsMatch(ports: readonly PortClause[] | undefined, port: number, protocol: Protocol, dst: PolicyPeer): boolean {
    return ports === undefined || ports.some((c) => this.portMatches(c, port, protocol, dst));
  }

  // ---- decision ----

  /** The verdict for one connection. */
  verdict(conn: PolicyConnection): PolicyVerdict {
    const from = this.normalise(conn.from);
    const to = this.normalise(conn.to);
    const notes: string[] = [];
    const unmodelled: string[] = [];
    const same = from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod;
    let egress: DirectionVerdict;
    let ingress: DirectionVerdict;
    if (same && this.profile.loopback === 'allow') {
      const v: DirectionVerdict = { allowed: true, decidedBy: 'profile', isolatedBy: [], reason: 'a pod connecting to itself is not policed (CNI profile loopback: allow)' };
      egress = v;
      ingress = v;
      notes.push('loopback: the pod reaches itself; CNIs differ here (profile option loopback)');
    } else {
      egress = from.kind === 'pod'
        ? this.direction('egress', from.pod, to, conn, notes)
        : { allowed: true, decidedBy: 'not-applicable', isolatedBy: [], reason: `the source is ${from.kind === 'node' ? `node ${from.node.name}'s host network` : `outside address ${from.ip}`}; egress policy does not apply` };
      if (to.kind === 'pod') {
        if (from.kind === 'node' && this.profile.nodeTraffic === 'allow-own-node' && from.node.name === to.pod.nodeName) {
          ingress = { allowed: true, decidedBy: 'profile', isolatedBy: this.isolating(to.pod).ingress.map((p) => p.ref), reason: `traffic from the pod's own node ${from.node.name} is always allowed (CNI profile nodeTraffic: allow-own-node)` };
        } else {
          ingress = this.direction('ingress', to.pod, from, conn, notes);
        }
      } else {
        ingress = { allowed: true, decidedBy: 'not-applicable', isolatedBy: [], reason: `the destination is ${to.kind === 'node' ? `node ${to.node.name}'s host network` : `outside address ${to.ip}`}; ingress policy does not apply` };
      }
    }
    if (conn.from.kind === 'pod' && from.kind === 'node') notes.push(`${conn.from.pod.namespace}/${conn.from.pod.name} uses the host network: its traffic is node ${from.node.name}'s (CNI profile hostNetwork: unpoliced)`);
    if (conn.to.kind === 'pod' && to.kind === 'node') notes.push(`${conn.to.pod.namespace}/${conn.to.pod.name} uses the host network: NetworkPolicy does not isolate it (CNI profile hostNetwork: unpoliced)`);
    let mesh: MeshVerdict | undefined;
    if (to.kind === 'pod' && this.inMesh(to.pod) && this.authorizationPolicies.length > 0) mesh = this.meshVerdict(from, to.pod, conn, unmodelled);
    for (const p of this.problems) {
      const rel = p.ref.kind === 'AuthorizationPolicy' ? mesh !== undefined
        : p.rejected ? [conn.from, conn.to].some((e) => e.kind === 'pod' && e.pod.namespace === p.ref.namespace)
          : this.touches(p.ref, egress, ingress);
      if (rel) unmodelled.push(`${policyLabel(p.ref)} ${p.path}: ${p.message}`);
    }
    return { allowed: egress.allowed && ingress.allowed && (mesh?.allowed ?? true), egress, ingress, mesh, unmodelled, notes };
  }

  /**
   * Only the decision of {@link verdict}, without explanations: what a connectivity matrix asks a
   * million times. Same logic, no strings.
   */
  allows(conn: PolicyConnection): boolean {
    const from = this.normalise(conn.from);
    const to = this.normalise(conn.to);
    // Loopback skips NetworkPolicy under the profile, not the mesh's authorization (as verdict()).
    const loopback = from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod && this.profile.loopback === 'allow';
    if (!loopback && from.kind === 'pod' && !this.directionAllows('egress', from.pod, to, conn)) return false;
    if (to.kind === 'pod') {
      const ownNode = from.kind === 'node' && this.profile.nodeTraffic === 'allow-own-node' && from.node.name === to.pod.nodeName;
      if (!loopback && !ownNode && !this.directionAllows('ingress', to.pod, from, conn)) return false;
      if (this.authorizationPolicies.length > 0 && this.inMesh(to.pod)) return this.meshVerdict(from, to.pod, conn, []).allowed;
    }
    return true;
  }

  /**
   * What one direction's rules are matched against, shared by the matrix fast path
   * (`directionAllows`) and the explained verdict (`direction`) so the two cannot drift: the
   * pod named ports resolve on (the destination: `pod` for ingress, `other` for egress), and the
   * peer address and port the CNI sees (after kube-proxy's DNAT, or the Service's ClusterIP and
   * port for egress under the `pre-dnat` profile).
   */
  private addressed(dir: Direction, pod: PodInfo, other: PolicyPeer, conn: PolicyConnection): { readonly dst: PolicyPeer; readonly ip: string; readonly port: number } {
    const dst: PolicyPeer = dir === 'ingress' ? { kind: 'pod', pod } : other;
    if (dir === 'egress' && conn.service && this.profile.serviceTranslation === 'pre-dnat') return { dst, ip: conn.service.ip, port: conn.service.port };
    return { dst, ip: this.ipOf(other), port: conn.port };
  }

  /** Whether a NetworkPolicy rule's peers admit `other` (no `from`/`to`: every peer). */
  private rulePeerMatches(r: NetpolRule, ns: string, other: PolicyPeer, ip: string): boolean {
    return r.peers === undefined || r.peers.some((p) => this.netpolPeerMatches(p, ns, other, ip));
  }

  private directionAllows(dir: Direction, pod: PodInfo, other: PolicyPeer, conn: PolicyConnection): boolean {
    const { dst, ip, port } = this.addressed(dir, pod, other, conn);
    const tiers = this.clusterPolicies.length > 0 ? this.clusterSubjectOf(pod) : undefined;
    if (tiers && tiers.admin.length > 0) {
      const admin = this.tier(tiers.admin, dir, other, ip, port, conn.protocol, dst, []);
      if (admin && admin.hit.action !== 'Pass') return admin.hit.action === 'Accept';
    }
    const isolatedBy = this.isolating(pod)[dir];
    if (isolatedBy.length > 0) {
      for (const np of isolatedBy) {
        for (const r of (dir === 'ingress' ? np.ingress : np.egress) ?? []) {
          if (this.rulePeerMatches(r, np.namespace, other, ip) && this.portsMatch(r.ports, port, conn.protocol, dst)) return true;
        }
      }
      return false;
    }
    if (tiers && tiers.baseline.length > 0) {
      const baseline = this.tier(tiers.baseline, dir, other, ip, port, conn.protocol, dst, []);
      if (baseline && baseline.hit.action !== 'Pass') return baseline.hit.action === 'Accept';
    }
    return true;
  }

  private touches(ref: PolicyRef, ...dirs: DirectionVerdict[]): boolean {
    const k = policyLabel(ref);
    return dirs.some((d) => (d.rule && policyLabel(d.rule.policy) === k) || d.isolatedBy.some((r) => policyLabel(r) === k) || (d.passed ?? []).some((h) => policyLabel(h.policy) === k) || ref.kind !== 'NetworkPolicy');
  }

  /** One direction for `pod` (the policy's side) against `other` (the peer). */
  private direction(dir: Direction, pod: PodInfo, other: PolicyPeer, conn: PolicyConnection, notes: string[]): DirectionVerdict {
    const { dst, ip, port } = this.addressed(dir, pod, other, conn);
    const isolatedBy = this.isolating(pod)[dir];
    const tiers = this.clusterSubjectOf(pod);
    const passed: RuleHit[] = [];
    const admin = this.tier(tiers.admin, dir, other, ip, port, conn.protocol, dst, notes);
    if (admin?.hit.action === 'Pass') passed.push(admin.hit);
    else if (admin) {
      const allowed = admin.hit.action === 'Accept';
      return { allowed, decidedBy: 'admin', rule: admin.hit, isolatedBy: isolatedBy.map((p) => p.ref), reason: `${policyLabel(admin.hit.policy)} (Admin tier, priority ${admin.priority}) ${admin.hit.path} ${allowed ? 'accepts' : 'denies'} it; NetworkPolicies are not consulted` };
    }
    if (isolatedBy.length > 0) {
      let miss: NearMiss | undefined;
      let missScore = -1;
      for (const np of isolatedBy) {
        const rules = (dir === 'ingress' ? np.ingress : np.egress) ?? [];
        for (const r of rules) {
          const peerOk = this.rulePeerMatches(r, np.namespace, other, ip);
          const portOk = this.portsMatch(r.ports, port, conn.protocol, dst);
          const path = `spec.${dir}[${r.index}]`;
          if (peerOk && portOk) {
            return { allowed: true, decidedBy: 'networkpolicy', rule: { policy: np.ref, path }, passed: passed.length ? passed : undefined, isolatedBy: isolatedBy.map((p) => p.ref), reason: `${policyLabel(np.ref)} ${path} admits it` };
          }
          const score = peerOk ? 2 : portOk ? 1 : 0;
          if (score > missScore) {
            missScore = score;
            miss = { policy: np.ref, path, reason: peerOk ? `the peer matches but port ${port}/${conn.protocol} is not among ${describePorts(r.ports ?? [])}` : portOk ? `port ${port}/${conn.protocol} matches but the ${dir === 'ingress' ? 'source' : 'destination'} is not among its ${dir === 'ingress' ? 'from' : 'to'} peers` : `neither the peer nor port ${port}/${conn.protocol} matches` };
          }
        }
      }
      const names = isolatedBy.map((p) => policyLabel(p.ref)).join(', ');
      const none = isolatedBy.every((np) => ((dir === 'ingress' ? np.ingress : np.egress) ?? []).length === 0);
      return {
        allowed: false, decidedBy: 'networkpolicy', passed: passed.length ? passed : undefined, isolatedBy: isolatedBy.map((p) => p.ref), nearMiss: miss,
        reason: `${pod.namespace}/${pod.name} is isolated for ${dir} by ${names}, and ${none ? `${isolatedBy.length > 1 ? 'they have' : 'it has'} no ${dir} rule (default deny)` : `no ${dir} rule admits ${describePeer(other)} on ${port}/${conn.protocol}`}`,
      };
    }
    const baseline = this.tier(tiers.baseline, dir, other, ip, port, conn.protocol, dst, notes);
    if (baseline && baseline.hit.action !== 'Pass') {
      const allowed = baseline.hit.action === 'Accept';
      return { allowed, decidedBy: 'baseline', rule: baseline.hit, passed: passed.length ? passed : undefined, isolatedBy: [], reason: `no NetworkPolicy isolates ${pod.namespace}/${pod.name} for ${dir}; ${policyLabel(baseline.hit.policy)} (Baseline tier) ${baseline.hit.path} ${allowed ? 'accepts' : 'denies'} it` };
    }
    if (baseline) passed.push(baseline.hit);
    return { allowed: true, decidedBy: 'default-allow', passed: passed.length ? passed : undefined, isolatedBy: [], reason: `no policy isolates ${pod.namespace}/${pod.name} for ${dir}` };
  }

  /** First matching rule of a tier, in precedence order; notes when an equal-priority policy disagrees. */
  private tier(policies: readonly ClusterPolicyModel[], dir: Direction, other: PolicyPeer, ip: string, port: number, protocol: Protocol, dst: PolicyPeer, notes: string[]): Candidate | undefined {
    let found: Candidate | undefined;
    for (const cnp of policies) {
      if (found && cnp.priority !== found.priority) break;
      for (const r of dir === 'ingress' ? cnp.ingress : cnp.egress) {
        if (!r.peers.some((p) => this.clusterPeerMatches(p, other, ip, r.action))) continue;
        if (!this.portsMatch(r.ports, port, protocol, dst)) continue;
        const hit: RuleHit = { policy: cnp.ref, path: `spec.${dir}[${r.index}]${r.name ? ` (${r.name})` : ''}`, action: r.action };
        if (!found) found = { hit, priority: cnp.priority };
        else if (found.hit.action !== r.action) {
          notes.push(`${policyLabel(found.hit.policy)} and ${policyLabel(cnp.ref)} share priority ${cnp.priority} and disagree (${found.hit.action} vs ${r.action}); the API leaves the winner to the implementation, traced: the first by name`);
        }
        break;
      }
    }
    return found;
  }

  /** The Ingress controller's pods (real ones from the manifests, else one stand-in with the profile's labels). */
  ingressControllerPods(): PodInfo[] {
    const { namespace, podLabels } = this.profile.ingressController;
    const real = [...this.inputs.state.pods.values()].filter((p) => p.namespace === namespace && matchesMap(podLabels, p.labels));
    if (real.length > 0) return real;
    const node = [...this.inputs.state.nodes.values()][0];
    const base = node?.podCIDR.split('/')[0].split('.').slice(0, 3).join('.') ?? '10.244.0';
    return [{
      namespace, name: 'ingress-controller (stand-in)', labels: podLabels, nodeName: node?.name ?? '', zone: node?.zone ?? '', ip: `${base}.253`,
      ready: true, serving: true, terminating: false, containerPorts: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { name: 'https', containerPort: 443, protocol: 'TCP' }],
    }];
  }

  // ---- DNS ----

  private findDnsPods(): PodInfo[] {
    const { namespace, podLabels, targetPort } = this.profile.dns;
    const real = [...this.inputs.state.pods.values()].filter((p) => p.namespace === namespace && matchesMap(podLabels, p.labels));
    if (real.length > 0) return real;
    // CoreDNS is not among the manifests: a stand-in with the labels and ports a kubeadm CoreDNS has.
    const node = [...this.inputs.state.nodes.values()][0];
    const base = node?.podCIDR.split('/')[0].split('.').slice(0, 3).join('.') ?? '10.244.0';
    return [{
      namespace, name: 'coredns (stand-in)', labels: podLabels, nodeName: node?.name ?? '', zone: node?.zone ?? '', ip: `${base}.254`,
      ready: true, serving: true, terminating: false,
      containerPorts: [{ name: 'dns', containerPort: targetPort, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: targetPort, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }],
    }];
  }

  /**
   * Whether `pod` can query cluster DNS: its egress (and the DNS pod's ingress) for UDP and TCP
   * on the DNS target port, after the kube-dns Service's DNAT.
   */
  dnsVerdict(pod: PodInfo): { readonly udp: PolicyVerdict; readonly tcp: PolicyVerdict; readonly dnsPod: PodInfo } {
    const dnsPod = this.dnsPods[0];
    const to: PolicyPeer = { kind: 'pod', pod: dnsPod };
    const from: PolicyPeer = { kind: 'pod', pod };
    const port = this.profile.dns.targetPort;
    return { udp: this.verdict({ from, to, port, protocol: 'UDP' }), tcp: this.verdict({ from, to, port, protocol: 'TCP' }), dnsPod };
  }

  // ---- mesh ----

  /** Whether the pod has an Istio sidecar (injection selectors: namespace labels, pod label). */
  inMesh(pod: PodInfo): boolean {
    const label = pod.labels['sidecar.istio.io/inject'];
    if (label === 'false') return false;
    return label === 'true' || this.meshNamespaces.has(pod.namespace);
  }

  private meshVerdict(from: PolicyPeer, dst: PodInfo, conn: PolicyConnection, unmodelled: string[]): MeshVerdict {
    const applies = this.authorizationPolicies.filter((ap) => (ap.namespace === dst.namespace || ap.rootNamespace) && (ap.selector === undefined || matchesMap(ap.selector, dst.labels)));
    if (applies.length === 0) return { allowed: true, reason: 'no AuthorizationPolicy applies to the destination workload' };
    const principal = from.kind === 'pod' && this.inMesh(from.pod) ? `${this.profile.trustDomain}/ns/${from.pod.namespace}/sa/${this.extra(from.pod).serviceAccount}` : undefined;
    const srcNs = from.kind === 'pod' && principal ? from.pod.namespace : undefined;
    const ctx: AuthzCtx = { principal, namespace: srcNs, ip: this.ipOf(from), port: conn.port, http: conn.http };
    for (const ap of applies.filter((a) => a.action === 'CUSTOM' || a.action === 'AUDIT')) unmodelled.push(`${policyLabel(ap.ref)}: action ${ap.action} is not simulated`);
    for (const ap of applies.filter((a) => a.action === 'DENY')) {
      const r = ap.rules.find((rule) => authzRuleMatches(rule, ctx, 'DENY'));
      if (r) return { allowed: false, rule: { policy: ap.ref, path: `spec.rules[${r.index}]` }, reason: `${policyLabel(ap.ref)} (DENY) spec.rules[${r.index}] matches` };
    }
    const allows = applies.filter((a) => a.action === 'ALLOW');
    if (allows.length === 0) return { allowed: true, reason: 'no ALLOW AuthorizationPolicy applies to the destination, and no DENY matches' };
    for (const ap of allows) {
      const r = ap.rules.find((rule) => authzRuleMatches(rule, ctx, 'ALLOW'));
      if (r) return { allowed: true, rule: { policy: ap.ref, path: `spec.rules[${r.index}]` }, reason: `${policyLabel(ap.ref)} (ALLOW) spec.rules[${r.index}] matches` };
    }
    return { allowed: false, reason: `ALLOW policies apply to ${dst.namespace}/${dst.name} (${allows.map((a) => policyLabel(a.ref)).join(', ')}) and none matches ${principal ? `principal ${principal}` : 'a source without mesh identity'}${conn.http ? '' : ' on a TCP connection'}` };
  }
}

interface AuthzCtx {
  readonly principal?: string;
  readonly namespace?: string;
  readonly ip: string;
  readonly port: number;
  readonly http?: PolicyConnection['http'];
}

/** Istio string match: exact, `prefix*`, `*suffix`, or `*`. */
function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function anyMatch(list: readonly string[] | undefined, value: string | undefined): boolean | undefined {
  if (list === undefined) return undefined;
  return value !== undefined && list.some((p) => istioMatch(p, value));
}

/**
 * One rule (`from` AND `to`), as Istio's RBAC filter builds it
 * (`pilot/pkg/security/authz/builder`): on a TCP connection an ALLOW rule with HTTP-only fields
 * matches nothing, a DENY rule drops its HTTP-only fields (so denies more).
 */
function authzRuleMatches(rule: AuthzRule, c: AuthzCtx, action: 'ALLOW' | 'DENY'): boolean {
  const fromOk = rule.from.length === 0 || rule.from.some((s) => {
    const checks = [
      anyMatch(s.principals, c.principal), s.notPrincipals && !anyMatch(s.notPrincipals, c.principal),
      anyMatch(s.namespaces, c.namespace), s.notNamespaces && !anyMatch(s.notNamespaces, c.namespace),
      s.ipBlocks === undefined ? undefined : inAnyRange(c.ip, s.ipBlocks.map(asCidr)), s.notIpBlocks === undefined ? undefined : !inAnyRange(c.ip, s.notIpBlocks.map(asCidr)),
    ];
    return checks.every((x) => x === undefined || x === true);
  });
  if (!fromOk) return false;
  if (rule.to.length === 0) return true;
  return rule.to.some((op) => {
    const httpFields = op.paths || op.notPaths || op.methods || op.notMethods || op.hosts || op.notHosts;
    if (!c.http && httpFields && action === 'ALLOW') return false;
    const port = String(c.port);
    const checks = [
      anyMatch(op.ports, port), op.notPorts && !anyMatch(op.notPorts, port),
      ...(c.http ? [
        anyMatch(op.paths, c.http.path), op.notPaths && !anyMatch(op.notPaths, c.http.path),
        anyMatch(op.methods, c.http.method), op.notMethods && !anyMatch(op.notMethods, c.http.method),
        anyMatch(op.hosts, c.http.host), op.notHosts && !anyMatch(op.notHosts, c.http.host),
      ] : []),
    ];
    return checks.every((x) => x === undefined || x === true);
  });
}

function asCidr(s: string): string {
  return s.includes('/') ? s : s.includes(':') ? `${s}/128` : `${s}/32`;
}

function describePorts(ports: readonly PortClause[]): string {
  return ports.map((p) => `${p.port === undefined ? 'any' : p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}/${p.protocol}`).join(', ') || 'any port';
}

function describePeer(p: PolicyPeer): string {
  return p.kind === 'pod' ? `pod ${p.pod.namespace}/${p.pod.name}` : p.kind === 'node' ? `node ${p.node.name}` : p.ip;
}

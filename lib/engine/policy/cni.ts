/**
 * Where CNIs differ on NetworkPolicy enforcement, the choice the model makes. Defaults are the
 * common behaviour (Calico, Cilium, kube-router, OVN-Kubernetes and the upstream conformance
 * tests agree on them); each option names what differs. See docs/reachability.md.
 */

/** How the policy model treats the points where CNIs differ. */
export interface CniProfile {
  /**
   * A pod connecting to itself (through its own Service): `allow` (default; most CNIs never
   * police loopback, and the upstream e2e netpol suite ignores it, kubernetes#95879) or `policy`
   * (evaluated like any other pair).
   * @default 'allow'
   */
  readonly loopback: 'allow' | 'policy';
  /**
   * Traffic from a node's host network to a pod: `allow-own-node` (default; the NetworkPolicy
   * documentation: traffic from the node where a pod runs is always allowed, kubelet probes
   * depend on it), `policy` (matched by ipBlock like any address; Cilium with
   * `policy-enforcement=always` and some Calico setups).
   * @default 'allow-own-node'
   */
  readonly nodeTraffic: 'allow-own-node' | 'policy';
  /**
   * Host-network pods: `unpoliced` (default; NetworkPolicy selects them but CNIs cannot isolate a
   * host-network pod, the API docs leave it undefined) or `policy` (evaluated as selected).
   * @default 'unpoliced'
   */
  readonly hostNetwork: 'unpoliced' | 'policy';
  /**
   * Where egress is evaluated for traffic to a Service: `post-dnat` (default; kube-proxy's DNAT
   * runs first, so egress sees the pod IP and targetPort, a "port 53" rule misses CoreDNS on
   * 5353) or `pre-dnat` (egress ports and ipBlocks see the ClusterIP and Service port, as some
   * eBPF datapaths that translate at the socket do for ipBlock/port rules).
   * @default 'post-dnat'
   */
  readonly serviceTranslation: 'post-dnat' | 'pre-dnat';
  /**
   * `endPort`: `honor` (default; GA since 1.25) or `ignore` (CNIs without support enforce only
   * `port`, so the range shrinks to its first port).
   * @default 'honor'
   */
  readonly endPort: 'honor' | 'ignore';
  /**
   * Whether ipBlock peers match pod IPs: `true` (default; upstream e2e "should allow egress
   * access to server in CIDR block" relies on it) or `false` (Cilium: CIDR rules do not select
   * in-cluster endpoints).
   * @default true
   */
  readonly ipBlockMatchesPods: boolean;
  /** The cluster DNS the pods use (for "egress isolation blocks DNS"). */
  readonly dns: {
    /** @default 'kube-system' */
    readonly namespace: string;
    /** @default { 'k8s-app': 'kube-dns' } */
    readonly podLabels: Readonly<Record<string, string>>;
    /** The port CoreDNS listens on after the kube-dns Service's DNAT. @default 53 */
    readonly targetPort: number;
  };
  /**
   * Where the Ingress controller's pods run (for "a backend its entry point cannot reach"): pods
   * of the manifests matching these labels in this namespace, else a stand-in there.
   * @default ingress-nginx's Helm chart: namespace ingress-nginx, app.kubernetes.io/name=ingress-nginx
   */
  readonly ingressController: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /**
   * Where a Gateway's (Gateway API) proxy pods run, for the policy check of the Gateway ->
   * backend hop: `gateway-namespace` (default; the in-cluster deployment of GEP-1762 that
   * Istio and others use: pods labelled `gateway.networking.k8s.io/gateway-name: <Gateway>` in
   * the Gateway's namespace), or a namespace and pod labels shared by every Gateway's proxies
   * (Envoy Gateway: `envoy-gateway-system`). Real pods of the manifests that match are used;
   * without any, a stand-in pod there, and the trace says so.
   * @default 'gateway-namespace'
   */
  readonly gatewayProxy: 'gateway-namespace' | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** Istio: the mesh root namespace (mesh-wide AuthorizationPolicies). @default 'istio-system' */
  readonly istioRootNamespace: string;
  /** Istio trust domain for principals (`<td>/ns/<ns>/sa/<sa>`). @default 'cluster.local' */
  readonly trustDomain: string;
}

/** The common default of every option. */
export const DEFAULT_CNI_PROFILE: CniProfile = {
  loopback: 'allow',
  nodeTraffic: 'allow-own-node',
  hostNetwork: 'unpoliced',
  serviceTranslation: 'post-dnat',
  endPort: 'honor',
  ipBlockMatchesPods: true,
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, targetPort: 53 },
  ingressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
  gatewayProxy: 'gateway-namespace',
  istioRootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
};

/** The defaults with `partial` laid over them. */
export function cniProfile(partial: Partial<CniProfile> = {}): CniProfile {
  return { ...DEFAULT_CNI_PROFILE, ...partial, dns: { ...DEFAULT_CNI_PROFILE.dns, ...(partial.dns ?? {}) } };
}

import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  type LabelSelectorWire, type NetworkPolicyPeerWire, type NetworkPolicyPortWire, type NetworkPolicySpecWire, validateNetworkPolicySpec,
} from '../k8s/network-policy-validation';
import { NamespacedResource } from './resource';
import { type IPlusPodSelector, type ISelectablePods, type PodSelection } from './selection';
import { Protocol } from './service';

/** The label the API server puts on every Namespace (`kubernetes.io/metadata.name`), used to select namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A port (or range, or every port) of one protocol that a rule admits (`NetworkPolicyPort`). */
export class NetworkPolicyPort {
  /** One TCP port. */
  public static tcp(port: number): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.TCP, port });
  }
  /** One UDP port. */
  public static udp(port: number): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.UDP, port });
  }
  /** One SCTP port. */
  public static sctp(port: number): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.SCTP, port });
  }
  /** TCP ports `from` to `to`, inclusive (`endPort`; some CNIs enforce only `from`, see docs/reachability.md). */
  public static tcpRange(from: number, to: number): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.TCP, port: from, endPort: to });
  }
  /** UDP ports `from` to `to`, inclusive. */
  public static udpRange(from: number, to: number): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.UDP, port: from, endPort: to });
  }
  /** Every TCP port. */
  public static allTcp(): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.TCP });
  }
  /** Every UDP port. */
  public static allUdp(): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol: Protocol.UDP });
  }
  /**
   * A named container port, resolved on each destination pod: it admits the pod's container
   * port of that name and protocol (a pod without one is not admitted by this clause).
   */
  public static named(name: string, protocol: Protocol = Protocol.TCP): NetworkPolicyPort {
    return new NetworkPolicyPort({ protocol, port: name });
  }

  private constructor(private readonly wire: { readonly protocol: Protocol; readonly port?: number | string; readonly endPort?: number }) {}

  /** The wire form (protocol always written, as the API server defaults it to TCP). */
  public toWire(): NetworkPolicyPortWire {
    return { protocol: this.wire.protocol, port: this.wire.port, endPort: this.wire.endPort };
  }
}

/** Namespaces, by name or by labels. */
export interface NamespaceSelection {
  /** Namespaces with these names (through the `kubernetes.io/metadata.name` label the API server sets). @default - none */
  readonly names?: readonly string[];
  /** Namespaces carrying all these labels. `{}` selects every namespace. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Who a rule admits (`NetworkPolicyPeer`): pods, namespaces or an IP range. Resolved at synth time. */
export class NetworkPolicyPeer {
  /**
   * Pods of a workload of this library (in its namespace), of a cdk8s-plus selector (with the
   * namespaces it names), or with these labels (in `options.namespaces`, by default the
   * policy's own namespace).
   */
  public static pods(selection: PodSelection, options: { readonly namespaces?: NamespaceSelection } = {}): NetworkPolicyPeer {
    return new NetworkPolicyPeer((policyNs) => podsPeer(selection, options.namespaces, policyNs));
  }
  /** Every pod of the selected namespaces. */
  public static namespaces(selection: NamespaceSelection): NetworkPolicyPeer {
    return new NetworkPolicyPeer(() => ({ namespaceSelector: namespaceSelector(selection) }));
  }
  /** Every pod of the policy's own namespace. */
  public static podsInNamespace(): NetworkPolicyPeer {
    return new NetworkPolicyPeer(() => ({ podSelector: {} }));
  }
  /** Every pod of every namespace (not addresses outside the cluster: use {@link NetworkPolicyPeer.ipBlock}). */
  public static allPods(): NetworkPolicyPeer {
    return new NetworkPolicyPeer(() => ({ namespaceSelector: {} }));
  }
  /**
   * An IP range, minus `except`. Meant for addresses outside the cluster: whether it also
   * matches pod IPs differs between CNIs, and it never matches a Service ClusterIP (policies
   * see addresses after kube-proxy's DNAT). See docs/reachability.md.
   */
  public static ipBlock(cidr: string, except: readonly string[] = []): NetworkPolicyPeer {
    return new NetworkPolicyPeer(() => ({ ipBlock: { cidr, except: except.length > 0 ? [...except] : undefined } }));
  }
  /** Cluster DNS as kubeadm installs it: pods `k8s-app=kube-dns` in kube-system. */
  public static clusterDns(): NetworkPolicyPeer {
    return new NetworkPolicyPeer(() => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }));
  }

  private constructor(private readonly render: (policyNamespace: string | undefined) => NetworkPolicyPeerWire) {}

  /** The wire peer as seen from a policy in `policyNamespace`. */
  public toWire(policyNamespace: string | undefined): NetworkPolicyPeerWire {
    return this.render(policyNamespace);
  }
}

function namespaceSelector(sel: NamespaceSelection): LabelSelectorWire {
  const names = sel.names ?? [];
  return {
    matchLabels: sel.labels ? { ...sel.labels, ...(names.length === 1 ? { [NAMESPACE_NAME_LABEL]: names[0] } : {}) } : names.length === 1 ? { [NAMESPACE_NAME_LABEL]: names[0] } : undefined,
    matchExpressions: names.length > 1 ? [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] : undefined,
  };
}

function isSelectable(s: PodSelection): s is ISelectablePods {
  return typeof (s as ISelectablePods).podSelectorLabels === 'object' && 'node' in s;
}

function isPlus(s: PodSelection): s is IPlusPodSelector {
  return typeof (s as IPlusPodSelector).toPodSelectorConfig === 'function';
}

/** The wire selector and namespaces of a selection (read at synth time). */
function podSelectorOf(s: PodSelection): { selector: LabelSelectorWire; namespaces?: NamespaceSelection | LabelSelectorWire } {
  if (isSelectable(s)) {
    const ns = (s as { namespace?: string }).namespace;
    return { selector: { matchLabels: { ...s.podSelectorLabels } }, namespaces: ns !== undefined ? { names: [ns] } : undefined };
  }
  if (isPlus(s)) {
    const config = s.toPodSelectorConfig();
    const wire = config.labelSelector._toKube();
    const ns = config.namespaces;
    const nsWire = ns?.labelSelector?._toKube();
    const hasLabels = nsWire !== undefined && (Object.keys(nsWire.matchLabels ?? {}).length > 0 || (nsWire.matchExpressions ?? []).length > 0);
    return {
      selector: { matchLabels: wire.matchLabels ? { ...wire.matchLabels } : undefined, matchExpressions: wire.matchExpressions?.map((e) => ({ ...e, values: e.values ? [...e.values] : undefined })) },
      namespaces: hasLabels ? nsWire : ns?.names ? { names: ns.names } : undefined,
    };
  }
  return { selector: { matchLabels: { ...s } } };
}

function podsPeer(selection: PodSelection, namespaces: NamespaceSelection | undefined, policyNs: string | undefined): NetworkPolicyPeerWire {
  const { selector, namespaces: own } = podSelectorOf(selection);
  const ns = namespaces ?? own;
  if (ns === undefined) return { podSelector: selector };
  if ('names' in ns || 'labels' in ns) {
    const sel = ns as NamespaceSelection;
    // Pods in the policy's own namespace need no namespaceSelector (the YAML stays as people write it).
    if (sel.labels === undefined && sel.names?.length === 1 && sel.names[0] === policyNs) return { podSelector: selector };
    return { podSelector: selector, namespaceSelector: namespaceSelector(sel) };
  }
  return { podSelector: selector, namespaceSelector: ns as LabelSelectorWire };
}

/** One ingress or egress rule: peers (none: every peer) and ports (none: every port). */
export interface NetworkPolicyRule {
  /** @default - every peer, including addresses outside the cluster */
  readonly peers?: readonly NetworkPolicyPeer[];
  /** @default - every port and protocol */
  readonly ports?: readonly NetworkPolicyPort[];
}

/** Props of {@link NetworkPolicy}. */
export interface NetworkPolicyProps {
  /** @default - name generated by cdk8s from the construct path */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The pods the policy applies to, in the policy's namespace: a workload of this library, a
   * cdk8s-plus selector, or labels.
   * @default - every pod of the namespace
   */
  readonly selector?: PodSelection;
  /** Ingress rules; the selected pods accept only what some rule of some policy admits. @default - none */
  readonly ingress?: readonly NetworkPolicyRule[];
  /** Egress rules. @default - none */
  readonly egress?: readonly NetworkPolicyRule[];
  /**
   * Isolate the selected pods for ingress even with no rule (deny all ingress). As the API
   * server defaults it, a NetworkPolicy always isolates ingress unless `policyTypes` says
   * otherwise; set false for an egress-only policy.
   * @default true
   */
  readonly isolateIngress?: boolean;
  /**
   * Isolate the selected pods for egress even with no rule (deny all egress). Egress is
   * isolated anyway once there is an egress rule.
   * @default false
   */
  readonly isolateEgress?: boolean;
}

/**
 * A NetworkPolicy (`networking.k8s.io/v1`): which traffic the selected pods accept and send.
 * `policyTypes` is always written out, so the YAML says which directions are isolated without
 * relying on the API server's defaulting.
 *
 * @example
 * const cart = new NetworkPolicy(chart, 'cart', { selector: cartService });
 * cart.allowFrom(NetworkPolicyPeer.pods(frontend), NetworkPolicyPort.tcp(7070));
 * NetworkPolicy.denyAll(chart, 'deny-all');
 */
export class NetworkPolicy extends NamespacedResource {
  /** A policy that selects every pod of the namespace and isolates both directions: nothing in or out unless another policy admits it. */
  public static denyAll(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata } = {}): NetworkPolicy {
    return new NetworkPolicy(scope, id, { metadata: props.metadata, isolateIngress: true, isolateEgress: true });
  }

  public readonly apiObject: ApiObject;
  private readonly selector?: PodSelection;
  private readonly ingressRules: NetworkPolicyRule[];
  private readonly egressRules: NetworkPolicyRule[];
  private isolateIngress: boolean;
  private isolateEgress: boolean;

  public constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(scope, id);
    this.selector = props.selector;
    this.ingressRules = [...(props.ingress ?? [])];
    this.egressRules = [...(props.egress ?? [])];
    this.isolateIngress = props.isolateIngress ?? true;
    this.isolateEgress = props.isolateEgress ?? false;
    this.apiObject = this.createApiObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }, { metadata: props.metadata, spec: () => this.renderSpec() });
  }

  /** Admit `peer` into the selected pods on `ports` (none: every port). Isolates ingress. */
  public allowFrom(peer: NetworkPolicyPeer, ...ports: NetworkPolicyPort[]): void {
    this.isolateIngress = true;
    this.ingressRules.push({ peers: [peer], ports: ports.length > 0 ? ports : undefined });
  }

  /** Let the selected pods connect to `peer` on `ports` (none: every port). Isolates egress. */
  public allowTo(peer: NetworkPolicyPeer, ...ports: NetworkPolicyPort[]): void {
    this.isolateEgress = true;
    this.egressRules.push({ peers: [peer], ports: ports.length > 0 ? ports : undefined });
  }

  /**
   * Let the selected pods query cluster DNS (UDP and TCP 53 to kube-dns, the port CoreDNS
   * listens on after the kube-dns Service's DNAT). Isolates egress.
   */
  public allowDns(): void {
    this.allowTo(NetworkPolicyPeer.clusterDns(), NetworkPolicyPort.udp(53), NetworkPolicyPort.tcp(53));
  }

  private renderSpec(): NetworkPolicySpecWire {
    const ns = this.namespace;
    const rule = (r: NetworkPolicyRule) => ({
      peers: r.peers && r.peers.length > 0 ? r.peers.map((p) => p.toWire(ns)) : undefined,
      ports: r.ports && r.ports.length > 0 ? r.ports.map((p) => p.toWire()) : undefined,
    });
    const egressIsolated = this.isolateEgress || this.egressRules.length > 0;
    const ingressIsolated = this.isolateIngress || this.ingressRules.length > 0;
    return {
      podSelector: this.selector === undefined ? {} : podSelectorOf(this.selector).selector,
      policyTypes: [...(ingressIsolated ? ['Ingress'] : []), ...(egressIsolated ? ['Egress'] : [])],
      ingress: this.ingressRules.length > 0 ? this.ingressRules.map(rule).map((r) => ({ from: r.peers, ports: r.ports })) : undefined,
      egress: this.egressRules.length > 0 ? this.egressRules.map(rule).map((r) => ({ to: r.peers, ports: r.ports })) : undefined,
    };
  }

  protected validationMessages(): string[] {
    const out = this.manifestProblems((m: { spec: NetworkPolicySpecWire }) => validateNetworkPolicySpec(m.spec));
    const spec = this.renderSpec();
    if (spec.policyTypes?.length === 0) {
      out.push(...this.formatProblems([{ field: 'spec.policyTypes', message: 'the policy isolates no direction and has no rule, so it changes nothing', fix: 'leave `isolateIngress` at true, or add a rule' }]));
    }
    if (this.selector !== undefined && isSelectable(this.selector)) {
      const podNs = (this.selector as { namespace?: string }).namespace;
      if (podNs !== undefined && podNs !== this.namespace) {
        out.push(...this.formatProblems([{ field: 'spec.podSelector', message: `selects the pods of ${this.selector.node.path}, which live in namespace "${podNs}", but the policy is in "${this.namespace ?? '(none)'}": a NetworkPolicy applies only to pods of its own namespace`, fix: `put the policy in namespace "${podNs}"` }]));
      }
    }
    return out;
  }
}

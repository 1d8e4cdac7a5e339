/**
 * From a backend reference to pods: the Service and its port (by name or number, as each API
 * allows), then the connection the L7 proxy opens, traced through DNS and kube-proxy by
 * `connect()` (the same L4 engine the rest of netkit uses).
 */
import type { ClusterStateView, PodInfo, ServiceInfo, ServicePortInfo } from '../model';
import { gatewayProxyPods } from '../policy/proxies';
import { connect, TraceContext, type ConnectRequest, type Trace, type TraceSource } from '../trace';
import { normalizeWeights } from './draft';
import { hasLabels, labelsText } from './match';
import type { L7Backend } from './types';

/** A Service port resolved from a reference, or why it cannot be. */
export type PortResolution =
  | { readonly ok: true; readonly svc: ServiceInfo; readonly port: ServicePortInfo }
  | { readonly ok: false; readonly reason: 'service' | 'port'; readonly message: string };

/** Resolves backend references against one cluster state; shares one {@link TraceContext}. */
export class BackendResolver {
  private ctx?: TraceContext;
  private readonly sources = new Map<string, { source: TraceSource; label: string } | undefined>();
  readonly domain: string;

  constructor(private readonly state: ClusterStateView) {
    this.domain = state.profile.clusterDomain.replace(/\.$/, '');
  }

  /** The Service `namespace/name`. */
  service(namespace: string, name: string): ServiceInfo | undefined {
    return this.state.services.get(`${namespace}/${name}`);
  }

  /**
   * The Service port a reference names. `port` is a number (matched against `spec.ports[].port`)
   * or a name (Ingress `service.port.name`); undefined picks the only port, else `fallback`
   * (the port the request arrived on, for mesh traffic).
   */
  resolvePort(namespace: string, name: string, port: number | string | undefined, fallback?: number): PortResolution {
    const svc = this.service(namespace, name);
    if (!svc) return { ok: false, reason: 'service', message: `Service ${namespace}/${name} does not exist` };
    const ports = svc.ports.length === 1 && svc.ports[0].protocol === 'TCP' ? svc.ports : svc.ports.filter((p) => p.protocol === 'TCP');
    if (svc.type === 'ExternalName' && ports.length === 0 && typeof port === 'number') {
      // ExternalName Services need no ports; the proxy connects to the external name on the port given.
      return { ok: true, svc, port: { name: '', port, protocol: 'TCP', targetPort: port } };
    }
    let found: ServicePortInfo | undefined;
    if (typeof port === 'string') found = ports.find((p) => p.name === port);
    else if (typeof port === 'number') found = ports.find((p) => p.port === port);
    else if (ports.length === 1) found = ports[0];
    else if (fallback !== undefined) found = ports.find((p) => p.port === fallback);
    if (!found) {
      const list = ports.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ') || 'none';
      const missing = port === undefined
        ? (fallback !== undefined ? `has no port ${fallback} (the request's port)` : 'has several ports and the reference names none')
        : typeof port === 'string' ? `has no port named "${port}"` : `has no port ${port}`;
      return { ok: false, reason: 'port', message: `Service ${namespace}/${name} ${missing} (TCP ports: ${list})` };
    }
    return { ok: true, svc, port: found };
  }

  /** Pods of a namespace. */
  *podsIn(namespace: string): Iterable<PodInfo> {
    for (const p of this.state.pods.values()) if (p.namespace === namespace) yield p;
  }

  /** A pod by `namespace/name`. */
  pod(key: string): PodInfo | undefined {
    return this.state.pods.get(key);
  }

  /** The shared trace context (kube-proxy and DNS models), built on first use. */
  context(): TraceContext {
    if (!this.ctx) this.ctx = new TraceContext(this.state);
    return this.ctx;
  }

  /**
   * Resolve a host as a pod in `namespace` does (search list, ndots): the Service it names, if any.
   * Hosts outside the cluster domain come back without a Service.
   */
  serviceOfHost(namespace: string, host: string): { service?: string; fqdn: string; queries: readonly string[] } {
    const res = this.context().dns.resolveFromPod(namespace, host);
    const by = res.answer.answeredBy;
    const fqdn = res.answer.rcode === 'NOERROR' ? res.answer.name : host;
    return { service: by?.kind === 'Service' ? by.key : undefined, fqdn, queries: res.queries.map((q) => q.name) };
  }

  /**
   * The L4 connection from `from` to the Service port (by its cluster DNS name). With
   * `endpoints`, a headless Service is reached the way proxies that read EndpointSlices reach it
   * (Gateway API implementations: Envoy EDS clusters): each endpoint at the EndpointSlice's port
   * for that Service port (the resolved targetPort), not at the Service port a DNS client uses.
   */
  connect(from: TraceSource, svc: ServiceInfo, port: ServicePortInfo, endpoints = false, policySource?: ConnectRequest['policySource']): Trace {
    const trace = connect({ from, to: `${svc.name}.${svc.namespace}.svc.${this.domain}.`, port: port.port, protocol: 'TCP', policySource }, this.state, this.context());
    if (!endpoints || !svc.headless || !trace.ok) return trace;
    const slicePort = (this.state.endpointSlices.get(`${svc.namespace}/${svc.name}`) ?? [])
      .flatMap((sl) => sl.ports).find((p) => p.name === port.name && p.protocol === port.protocol);
    if (!slicePort || slicePort.port === port.port) return trace;
    return {
      ...trace,
      destinations: trace.destinations.map((d) => ({ ...d, port: slicePort.port })),
      notes: [...trace.notes, `the proxy reads the headless Service's EndpointSlices: it connects to each endpoint at port ${slicePort.port} (EndpointSlice port ${port.name || '(unnamed)'}), not the Service port ${port.port}`],
    };
  }

  /** Pods among an L4 trace's destinations that carry `labels` (a DestinationRule subset). */
  subsetPods(trace: Trace, labels: Readonly<Record<string, string>>): string[] {
    const out: string[] = [];
    for (const d of trace.destinations) {
      const pod = d.pod ? this.state.pods.get(d.pod) : undefined;
      if (pod && hasLabels(pod.labels, labels)) out.push(d.pod as string);
    }
    return out;
  }

  /**
   * Where an in-cluster proxy's connections start when its own pod is not in the manifests:
   * the first ready node (by name). The choice only matters for node-local traffic policies.
   */
  proxySource(selector?: Readonly<Record<string, string>>): { source: TraceSource; label: string } | undefined {
    const key = selector ? JSON.stringify(selector) : '';
    if (this.sources.has(key)) return this.sources.get(key);
    const found = this.findSource(selector);
    this.sources.set(key, found);
    return found;
  }

  /**
   * The Ingress controller's connections: traced through kube-proxy from a node (its own pod is
   * not simulated), judged by policy as from the controller's pod (the manifests' pods matching
   * the profile's `ingressController`, else a stand-in there). No policy objects: the node only.
   */
  ingressControllerSource(): ProxySource | undefined {
    const base = this.proxySource();
    const policy = this.context().policy;
    if (!base || !policy) return base;
    const pod = policy.ingressControllerPods()[0];
    const real = this.state.pods.get(`${pod.namespace}/${pod.name}`) === pod;
    return {
      ...base,
      policySource: {
        pod,
        note: real
          ? `policy judged the controller -> backend hop from the Ingress controller pod ${pod.namespace}/${pod.name} (profile option ingressController)`
          : `no Ingress controller pod in the manifests: policy judged the controller -> backend hop from a stand-in pod in namespace ${pod.namespace} with labels ${labelsText(pod.labels)} (profile option ingressController says where your controller runs)`,
      },
    };
  }

  /**
   * A Gateway's (Gateway API) connections: traced from a node, judged by policy as from the
   * Gateway's proxy pod (profile option `gatewayProxy`; a stand-in when none is in the manifests).
   */
  gatewaySource(gateway: { readonly namespace: string; readonly name: string }): ProxySource | undefined {
    const base = this.proxySource();
    const policy = this.context().policy;
    if (!base || !policy) return base;
    const found = gatewayProxyPods(this.state, policy.profile, gateway);
    const pod = found.pods[0];
    return {
      ...base,
      policySource: {
        pod,
        note: found.standIn
          ? `no proxy pod of Gateway ${gateway.namespace}/${gateway.name} in the manifests: policy judged the Gateway -> backend hop from a stand-in, one of the ${found.where} (profile option gatewayProxy says where your Gateway's proxies run)`
          : `policy judged the Gateway -> backend hop from its proxy pod ${pod.namespace}/${pod.name} (${found.where}; profile option gatewayProxy)`,
      },
    };
  }

  private findSource(selector?: Readonly<Record<string, string>>): { source: TraceSource; label: string } | undefined {
    if (selector && Object.keys(selector).length > 0) {
      const pods = [...this.state.pods.values()].filter((p) => hasLabels(p.labels, selector)).sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
      if (pods[0]) return { source: { pod: `${pods[0].namespace}/${pods[0].name}` }, label: `pod ${pods[0].namespace}/${pods[0].name}` };
    }
    const node = [...this.state.nodes.values()].filter((n) => n.ready).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
    return node ? { source: { node: node.name }, label: `node ${node.name}` } : undefined;
  }
}

/**
 * One backend to forward to, before resolution: the {@link L7Backend} fields known up front
 * (`invalid` and `status` when the reference is already known to be unusable, e.g. RefNotPermitted).
 */
export interface BackendTarget extends Pick<L7Backend, 'port' | 'weight' | 'subset' | 'subsetLabels' | 'invalid' | 'status'> {
  /** Service namespace (ignored for `external`). */
  readonly namespace: string;
  readonly name: string;
  /** Port to use when the reference has none and the Service has several (mesh: the request's port). */
  readonly fallbackPort?: number;
  /** A destination outside the Service registry (ServiceEntry host): no L4 trace. */
  readonly external?: string;
}

/** Where a proxy's connections start (the L4 source) and, when that only stands in for the proxy's pod, the pod policy judges. */
export interface ProxySource {
  readonly source: TraceSource;
  readonly label: string;
  readonly policySource?: ConnectRequest['policySource'];
}

/** How the proxy forwards: where its connections start, whether to trace L4, the status of a dangling ref. */
export interface ForwardOptions {
  readonly from?: ProxySource;
  readonly l4: boolean;
  /** Status a missing Service/port gets (Gateway API 500; ingress-nginx and Envoy 503). */
  readonly invalidStatus: number;
  /** The proxy reaches Services through their EndpointSlices (headless Services at the endpoint port). */
  readonly endpoints?: boolean;
}

/** Resolve targets into weighted {@link L7Backend}s, each traced on through L4. */
export function resolveBackends(targets: readonly BackendTarget[], resolver: BackendResolver, opts: ForwardOptions): L7Backend[] {
  const probs = normalizeWeights(targets.map((t) => t.weight));
  return targets.map((t, i): L7Backend => {
    const base = { weight: t.weight, probability: probs[i], subset: t.subset, subsetLabels: t.subsetLabels };
    if (t.external !== undefined) return { service: t.external, port: t.port, ...base };
    const service = `${t.namespace}/${t.name}`;
    if (t.invalid) return { service, port: t.port, ...base, invalid: t.invalid, status: t.status ?? opts.invalidStatus };
    const r = resolver.resolvePort(t.namespace, t.name, t.port, t.fallbackPort);
    if (!r.ok) return { service, port: t.port, ...base, invalid: r.message, status: opts.invalidStatus };
    const port = t.port ?? r.port.port;
    if (!opts.l4 || !opts.from || probs[i] === 0) return { service, port, ...base };
    const l4 = resolver.connect(opts.from.source, r.svc, r.port, opts.endpoints, opts.from.policySource);
    if (t.subsetLabels && l4.ok) {
      const pods = resolver.subsetPods(l4, t.subsetLabels);
      if (pods.length === 0) {
        return { service, port, ...base, l4, pods, invalid: `subset ${t.subset} (${labelsText(t.subsetLabels)}) selects none of the Service's endpoints`, status: 503 };
      }
      return { service, port, ...base, l4, pods };
    }
    return { service, port, ...base, l4 };
  });
}

/** One line per backend for the trace's steps. */
export function describeBackend(b: L7Backend): string {
  const port = b.port !== undefined ? `:${b.port}` : '';
  const subset = b.subset ? ` subset ${b.subset}` : '';
  const share = `${Math.round(b.probability * 1000) / 10}%`;
  const tail = b.invalid ? ` -> ${b.status ?? 500} (${b.invalid})` : b.l4 ? (b.l4.ok ? ` -> ${b.pods ? b.pods.length : b.l4.destinations.length} pod(s)` : ` -> ${b.l4.failure?.message ?? 'fails'}`) : '';
  return `${b.service}${port}${subset} weight ${b.weight} (${share})${tail}`;
}

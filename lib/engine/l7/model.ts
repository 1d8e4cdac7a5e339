/**
 * The L7 routing model: Ingress, Gateway API and Istio objects of a simulated cluster compiled
 * into indexes, answering "where does this HTTP request go, and why". Built once per cluster
 * state; `request()` is cheap (host index, then per-host sorted match lists).
 *
 * Entry points: a request from a pod goes through that pod's mesh sidecar (Istio
 * VirtualServices bound to `mesh`, then GAMMA HTTPRoutes whose parent is the destination
 * Service, else straight to the Service); any other request enters through an Ingress
 * controller (by class), a Gateway listener or an Istio ingress gateway server, whichever
 * serves the request's host on its port (see {@link L7Model.request}).
 */
import { performance } from 'perf_hooks';
import type { ManifestObject } from '../../manifest/objects';
import { isIpAddress } from '../../k8s/ip';
import type { ClusterStateView, PodInfo } from '../model';
import { connect } from '../trace';
import { BackendResolver, describeBackend, resolveBackends } from './backends';
import { TraceDraft } from './draft';
import { GatewayRouter } from './gateway';
import { IngressRouter, NO_CLASS } from './ingress';
import { IstioRouter } from './istio';
import { parseL7Objects, type L7Objects } from './parse';
import { parseRequest } from './request';
import { concreteHost, landsOn, matchWitnesses, RowSampler } from './sample';
import type {
  EntryPointInfo, L7GatewayStatus, L7ListenerSetStatus, L7ListenerStatus, HttpRequest, L7Options, L7Problem, L7RouteRow, L7RouteStatus, L7RowSample, L7Trace,
} from './types';

/** What {@link L7Model.build} reads: the simulated cluster plus the loaded objects (a `Cluster` is one). */
export type L7ClusterInput = ClusterStateView & { readonly objects: ReadonlyMap<string, ManifestObject> };

const MESH_ENTRY: EntryPointInfo = { id: 'mesh', kind: 'mesh', name: 'mesh' };

/** HTTP routing over one cluster state. Rebuild it after the state changes. */
export class L7Model {
  /**
   * Compile the cluster's Ingresses, IngressClasses, Gateway API and Istio objects.
   * Problems found on the way (dangling refs, unattached routes) are in {@link problems}.
   */
  public static build(state: L7ClusterInput, options: L7Options = {}): L7Model {
    const t = performance.now();
    const parsed = parseL7Objects(state.objects.values());
    const parseMs = performance.now() - t;
    const model = new L7Model(state, parsed, options);
    model.timings.set('parse', Math.round(parseMs));
    return model;
  }

  /** Build time per phase in milliseconds (for benchmarks). */
  public readonly timings = new Map<string, number>();
  private readonly problemList: L7Problem[];
  private readonly resolver: BackendResolver;
  private readonly ingress: IngressRouter;
  private readonly gateway: GatewayRouter;
  private readonly istio: IstioRouter;
  private readonly nsLabels = new Map<string, Record<string, string>>();
  private hostSample?: string[];
  private routeRows?: readonly L7RouteRow[];
  private sampler?: RowSampler;

  private constructor(
    /** The cluster state the model was built from. */
    public readonly state: L7ClusterInput,
    private readonly objects: L7Objects,
    /** The options the model was built with. */
    public readonly options: L7Options,
  ) {
    let t = performance.now();
    const phase = (name: string): void => { const now = performance.now(); this.timings.set(name, Math.round(now - t)); t = now; };
    this.problemList = [...objects.problems];
    for (const o of state.objects.values()) {
      if (o.ref.kind !== 'Namespace') continue;
      const meta = o.raw.metadata as { labels?: Record<string, string> } | undefined;
      this.nsLabels.set(o.ref.name, { 'kubernetes.io/metadata.name': o.ref.name, ...(meta?.labels ?? {}) });
    }
    this.resolver = new BackendResolver(state);
    this.ingress = IngressRouter.build(objects, this.resolver, options.ingressProfile, this.problemList);
    phase('ingress');
    const secrets = new Map<string, { certificate: boolean }>();
    const names = new Set<string>();
    for (const o of state.objects.values()) {
      names.add(`${o.ref.kind}/${o.ref.namespace ?? ''}/${o.ref.name}`);
      if (o.ref.kind === 'Secret' && o.apiVersion === 'v1') secrets.set(`${o.ref.namespace ?? ''}/${o.ref.name}`, { certificate: holdsCertificate(o.raw) });
    }
    this.gateway = GatewayRouter.build(objects, this.resolver, (ns) => this.nsLabels.get(ns), this.problemList, {
      secret: (ns, name) => secrets.get(`${ns}/${name}`),
      // Cluster-scoped kinds are stored without a namespace.
      hasObject: (kind, ns, name) => names.has(`${kind}/${ns}/${name}`) || names.has(`${kind}//${name}`),
    });
    phase('gateway');
    this.istio = IstioRouter.build(objects, this.resolver, this.problemList);
    phase('istio');
  }

  /**
   * Route one HTTP request: entry point, route, match, backends, and on to pods through L4.
   *
   * - `from` a pod: the pod's sidecar (see {@link L7Options.meshInjection}) routes by the
   *   destination Service (the URL host resolved through cluster DNS from the pod's namespace):
   *   an Istio VirtualService for that host, else GAMMA HTTPRoutes, else the Service as is.
   *   Hosts that are not mesh destinations leave through the cluster's entry points like an
   *   outside client.
   * - otherwise (or `via`): the entry point that serves the host on the request's port; when
   *   several do, the first (Ingress classes, then Gateways, then Istio gateways) with an
   *   ambiguity naming the others.
   */
  public request(req: HttpRequest): L7Trace {
    const parsed = parseRequest(req);
    const draft = new TraceDraft(parsed.info);
    if (!parsed.ok) return draft.fail('bad-request', parsed.message);
    const l4 = this.options.l4 !== false;
    if (req.via) {
      if (req.via === 'mesh') {
        if (!req.from || !('pod' in req.from)) return draft.fail('bad-request', 'via mesh needs `from` a pod (the sidecar that sends the request)');
      } else {
        this.dispatch(req.via, draft, l4);
        return draft.result ?? draft.finish();
      }
    }
    if (req.from && 'pod' in req.from) {
      const pod = this.state.pods.get(req.from.pod);
      if (!pod) return draft.fail('unknown-source', `no pod ${req.from.pod}; use namespace/name of a pod the workloads create`);
      if (this.mesh(pod, draft, l4)) return draft.result ?? draft.finish();
    }
    this.external(draft, l4);
    return draft.result ?? draft.finish();
  }

  /** Every entry point: Ingress classes, Gateway listeners, Istio gateway servers, and the mesh. */
  public entryPoints(): readonly EntryPointInfo[] {
    return [...this.ingress.entryPoints(), ...this.gateway.entryPoints(), ...this.istio.entryPoints(), MESH_ENTRY];
  }

  /** The status a Gateway controller would give each Gateway listener (and ListenerSet listener). */
  public listenerStatus(): readonly L7ListenerStatus[] {
    return this.gateway.listenerStatus();
  }

  /** The Accepted condition a Gateway controller would give each Gateway. */
  public gatewayStatus(): readonly L7GatewayStatus[] {
    return this.gateway.gatewayStatus();
  }

  /** The Accepted condition a Gateway controller would give each ListenerSet (GEP-1713). */
  public listenerSetStatus(): readonly L7ListenerSetStatus[] {
    return this.gateway.listenerSetStatus();
  }

  /** Every host + match -> backends row, per entry point (for `netkit routes` and the graph page). */
  public routes(): readonly L7RouteRow[] {
    // The model does not change once built; the diff, the rules and the "hosts served" message each ask.
    this.routeRows ??= [...this.ingress.routes(), ...this.gateway.routes(), ...this.istio.routes()];
    return this.routeRows;
  }

  /** Attachment (`Accepted`) and `ResolvedRefs` of every Ingress, HTTPRoute and VirtualService. */
  public routeStatus(): readonly L7RouteStatus[] {
    return [...this.ingress.status(), ...this.gateway.status(), ...this.istio.status()];
  }

  /**
   * Witness requests of a route row: requests its match accepts (a prefix itself and a path
   * below it, the headers and query params it asks for; `NEUTRAL_METHOD`, a method no route
   * names, when it has no method condition), sent through the row's entry point; mesh rows from
   * a pod with a sidecar (preferably in the route's namespace) to the Service or host the row
   * routes.
   * Undefined when the match has conditions a request cannot be built for (regular expressions,
   * source labels, ...) or there is no pod to send mesh requests from. Routing them says whether
   * the row ever wins ({@link landsOn}).
   */
  public sampleRequests(row: L7RouteRow): readonly HttpRequest[] | undefined {
    this.sampler ??= new RowSampler(this);
    return this.sampler.requests(row);
  }

  /**
   * One sample request of a row, traced: the first witness that ends on the row (GET tried first
   * when the match has no method), else the first witness (`lands: false`: another row takes
   * every one of them). For matches without exact witnesses the conditions that can't be met by
   * construction are left out (`exact: false`).
   */
  public sampleRequest(row: L7RouteRow): L7RowSample {
    this.sampler ??= new RowSampler(this);
    const exact = matchWitnesses(row.conditions) !== undefined;
    // Strict witnesses when they can be sent; else lenient ones (a mesh row without a sidecar
    // pod is sent from any pod, and the trace says so).
    const requests = this.sampler.requests(row, { get: true }) ?? this.sampler.requests(row, { get: true, lenient: true }) ?? [{ url: `http://${concreteHost(row.host)}/`, via: row.entry }];
    let first: L7RowSample | undefined;
    for (const request of requests) {
      const trace = this.request(request);
      const sample = { request, trace, lands: landsOn(trace, row), exact };
      if (sample.lands) return sample;
      first ??= sample;
    }
    return first as L7RowSample;
  }

  /** Problems found while building (for the validator's L7 rules). */
  public problems(): readonly L7Problem[] {
    return this.problemList;
  }

  /** The parsed L7 objects (typed views with defaults). */
  public get parsed(): L7Objects {
    return this.objects;
  }

  /**
   * True when the pod runs a mesh sidecar under {@link L7Options.meshInjection}
   * (Istio's injection selectors: namespace label `istio-injection` / `istio.io/rev`, pod label
   * `sidecar.istio.io/inject`).
   */
  public hasSidecar(pod: PodInfo): boolean {
    const podLabel = pod.labels['sidecar.istio.io/inject'];
    const ns = this.nsLabels.get(pod.namespace) ?? {};
    if (podLabel === 'false' || ns['istio-injection'] === 'disabled') return false;
    if ((this.options.meshInjection ?? 'assume') === 'assume') return true;
    return podLabel === 'true' || ns['istio-injection'] === 'enabled' || ns['istio.io/rev'] !== undefined;
  }

  // ---- request paths ----

  /** Mesh traffic from a pod; false when the host is no mesh destination (the caller goes external). */
  private mesh(pod: PodInfo, draft: TraceDraft, l4: boolean): boolean {
    const req = draft.request;
    const key = `${pod.namespace}/${pod.name}`;
    const from = { source: { pod: key }, label: `pod ${key}` };
    const byIp = isIpAddress(req.host) ? this.byAddress(req.host) : undefined;
    const dest = byIp?.service ? byIp.service : this.resolver.serviceOfHost(pod.namespace, req.host);
    const sidecar = this.hasSidecar(pod);
    if (byIp?.pod) {
      // A pod IP is no Service: the sidecar (or the plain connection) sends it straight to the pod
      // with no route applied (Gateway API conformance MeshFrontend: routes bind to Services).
      draft.entry = MESH_ENTRY;
      draft.step('entry', `${req.host} is the IP of pod ${byIp.pod}: ${sidecar ? `the sidecar of pod ${key} forwards it with no route applied (routes attach to Services, not pods)` : 'a plain connection'}`);
      draft.route = { kind: 'none', rule: -1, description: `pod ${byIp.pod}` };
      const l4Trace = l4 ? connect({ from: from.source, to: req.host, port: req.port, protocol: 'TCP' }, this.state, this.resolver.context()) : undefined;
      draft.backends = [{ service: byIp.pod, port: req.port, weight: 1, probability: 1, ...(l4Trace ? { l4: l4Trace } : {}) }];
      draft.step('backend', `pod ${byIp.pod}:${req.port}`);
      draft.finish();
      return true;
    }
    if (!sidecar) {
      draft.step('entry', `pod ${key} has no sidecar (meshInjection ${this.options.meshInjection ?? 'assume'}): no mesh routing, a plain connection`);
      if (!dest.service) return false;
      draft.step('route', `${req.host} resolves to Service ${dest.service}`);
      this.passThrough(dest.service, draft, l4, from);
      return true;
    }
    const istioHost = dest.service ? dest.fqdn : req.host;
    if (dest.service) {
      draft.entry = MESH_ENTRY;
      draft.step('entry', `the sidecar of pod ${key} intercepts ${req.host}:${req.port} (Service ${dest.service}, ${dest.fqdn})`);
      if (this.istio.routeMesh(istioHost, draft, l4, { gateway: 'mesh', labels: pod.labels, namespace: pod.namespace, from })) return true;
      // GAMMA routes here are HTTPRoute/GRPCRoute: they take HTTP requests, not tcp://, tls:// or udp:// connections.
      const web = req.scheme === 'http' || req.scheme === 'https';
      if (web && this.gateway.routeMesh(dest.service, pod.namespace, req.port, draft, l4, from)) return true;
      draft.step('route', `no VirtualService or GAMMA HTTPRoute applies to ${dest.service}: the sidecar forwards to the Service as is`);
      this.passThrough(dest.service, draft, l4, from);
      return true;
    }
    if (this.istio.knowsHost(req.host)) {
      draft.entry = MESH_ENTRY;
      draft.step('entry', `the sidecar of pod ${key} sends ${req.host} (not a cluster Service) by the mesh's routes`);
      if (this.istio.routeMesh(req.host, draft, l4, { gateway: 'mesh', labels: pod.labels, namespace: pod.namespace, from })) return true;
      const se = this.istio.serviceEntry(req.host);
      draft.step('route', `ServiceEntry ${se ? `${se.namespace}/${se.name}` : ''} declares ${req.host}: the sidecar passes the request through to it (outside the simulated cluster)`);
      draft.backends = [{ service: req.host, port: req.port, weight: 1, probability: 1 }];
      draft.finish();
      return true;
    }
    draft.step('entry', `${req.host} is not a Service or mesh host (DNS from ${pod.namespace} tried ${dest.queries.join(', ')}); the request goes to the cluster's entry points like an outside client`);
    return false;
  }

  /** The Service whose ClusterIP, or the pod whose IP, `ip` is. */
  private byAddress(ip: string): { service?: { service: string; fqdn: string; queries: readonly string[] }; pod?: string } | undefined {
    for (const s of this.state.services.values()) {
      if (s.clusterIPs.includes(ip)) return { service: { service: `${s.namespace}/${s.name}`, fqdn: `${s.name}.${s.namespace}.svc.${this.resolver.domain}`, queries: [] } };
    }
    const p = this.resolver.context().podByIP(ip);
    return p ? { pod: `${p.namespace}/${p.name}` } : undefined;
  }

  /** Forward to a Service on the request's port, no L7 rules. */
  private passThrough(service: string, draft: TraceDraft, l4: boolean, from: { source: { pod: string }; label: string }): void {
    const [namespace, name] = service.split('/');
    draft.route = { kind: 'none', rule: -1, description: `Service ${service}` };
    draft.backends = resolveBackends([{ namespace, name, port: draft.request.port, weight: 1 }], this.resolver, { from, l4, invalidStatus: 503 });
    for (const b of draft.backends) draft.step('backend', describeBackend(b));
    draft.finish();
  }

  /** Outside traffic: pick the entry point serving the host on the request's port. */
  private external(draft: TraceDraft, l4: boolean): void {
    const req = draft.request;
    const candidates: { id: string; rank: number }[] = [];
    const ingressPort = (req.scheme === 'http' && req.port === 80) || (req.scheme === 'https' && req.port === 443);
    if (ingressPort) {
      for (const e of this.ingress.entryPoints()) {
        const rank = this.ingress.hostRank(e.id, req.host);
        // Ingresses without a class are served only by controllers configured to watch them.
        candidates.push({ id: e.id, rank: e.name === NO_CLASS ? Math.min(rank, 0.5) : rank });
      }
    }
    candidates.push(...this.gateway.candidates(req.scheme, req.port, req.sni ?? req.host));
    if (req.scheme === 'http' || req.scheme === 'https') candidates.push(...this.istio.candidates(req.scheme, req.port, req.host));
    else if (req.scheme === 'tcp' || req.scheme === 'tls') candidates.push(...this.istio.l4Candidates(req.scheme, req.port, req.sni ?? req.host));
    const best = Math.max(0, ...candidates.map((c) => c.rank));
    if (best === 0) {
      const known = this.servedHosts();
      if (req.scheme !== 'http' && req.scheme !== 'https') {
        draft.fail('no-entry-point', `no Gateway ${req.scheme.toUpperCase()} listener or Istio gateway server serves ${req.scheme}://${req.host}:${req.port}${req.scheme === 'tls' ? ` (SNI ${req.sni ?? req.host})` : ''}: the connection is refused`);
        return;
      }
      draft.fail('no-entry-point', `no Ingress, Gateway listener or Istio gateway serves ${req.scheme}://${req.host}:${req.port}${known.length ? ` (hosts served: ${known.join(', ')})` : ' (the manifests define no HTTP entry point)'}`, 404);
      return;
    }
    const top = candidates.filter((c) => c.rank === best);
    if (top.length > 1) {
      draft.ambiguous('entry-point', `${top.length} entry points serve ${req.host} on port ${req.port} (${top.map((c) => c.id).join(', ')}); which one the request reaches depends on DNS for ${req.host}. Traced through ${top[0].id}; pass \`via\` to choose`);
      for (const c of top.slice(1)) draft.lose(c.id, `host ${req.host}`, `entry point ${top[0].id} comes first; pass via to trace this one`);
    }
    for (const c of candidates) if (c.rank < best && c.rank > 0) draft.lose(c.id, `host ${req.host}`, `${top[0].id} names the host; this one only has catch-all routes`);
    this.dispatch(top[0].id, draft, l4);
  }

  /** Up to 10 hosts the entry points serve (for "no entry point" messages), computed once. */
  private servedHosts(): string[] {
    if (!this.hostSample) {
      const hosts = new Set<string>();
      for (const r of this.routes()) {
        if (r.entry !== 'mesh') hosts.add(r.host);
        if (hosts.size >= 10) break;
      }
      this.hostSample = [...hosts];
    }
    return this.hostSample;
  }

  private dispatch(id: string, draft: TraceDraft, l4: boolean): void {
    if (id.startsWith('ingress:')) this.ingress.route(id, draft, l4);
    else if (/^gateway:[^/]+\/[^/]+$/.test(id)) this.gateway.routeGateway(id.slice('gateway:'.length), draft, l4);
    else if (id.startsWith('gateway:') || id.startsWith('listenerset:')) this.gateway.route(id, draft, l4);
    else if (id.startsWith('istio-gateway:')) this.istio.routeGateway(id, draft, l4);
    else draft.fail('no-entry-point', `unknown entry point ${id}; entry points are: ${this.entryPoints().map((e) => e.id).join(', ')}`);
  }
}

/**
 * False when a Secret's `tls.crt` is set but holds no PEM block (conformance
 * GatewayInvalidTLSConfiguration, `malformed-certificate`); a Secret without `tls.crt` (filled
 * in later, or stringData placeholders) is taken as fine.
 */
function holdsCertificate(raw: Readonly<Record<string, unknown>>): boolean {
  const data = raw.data as Record<string, unknown> | undefined;
  const stringData = raw.stringData as Record<string, unknown> | undefined;
  const plain = typeof stringData?.['tls.crt'] === 'string' ? stringData['tls.crt'] : undefined;
  const encoded = typeof data?.['tls.crt'] === 'string' ? data['tls.crt'] : undefined;
  const text = plain ?? (encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '');
  return text.trim() === '' || text.includes('-----BEGIN ');
}

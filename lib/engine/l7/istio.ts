/**
 * Istio routing (`networking.istio.io`, istio/api `networking/v1alpha3/*.proto`):
 * - VirtualService `hosts` (short names read in the VirtualService's namespace, `*.` wildcards
 *   over one or more labels), `gateways` (`mesh` by default; `ns/name` or a name in the VS's
 *   namespace), `exportTo`;
 * - `http[]` in order, first match wins; a match block ANDs its conditions, blocks are ORed
 *   (uri/scheme/method/authority StringMatch — a native `prefix` is a plain string prefix —,
 *   headers, withoutHeaders, queryParams, port, sourceLabels, sourceNamespace, gateways);
 * - route weights (`weight / sum`), subsets from DestinationRule labels, ServiceEntry hosts;
 *   redirect, directResponse, rewrite, header operations, fault abort, timeout, retries;
 * - sidecars do not merge VirtualServices for one host (the oldest is used, IST0109); gateways do:
 *   VirtualServices in creation order, each cut after its first catch-all route (`route.go`
 *   "Routes are matched in order, so we will never go beyond this match"), catch-all routes moved
 *   to the end (`SortVHostRoutes`).
 * - Gateway `servers[]` by port and protocol, `hosts` as `[namespace/]dnsName`,
 *   `tls.httpsRedirect`.
 */
import type { TraceSource } from '../trace';
import { describeBackend, resolveBackends, type BackendResolver, type BackendTarget } from './backends';
import { round, type TraceDraft } from './draft';
import { compileRegex, hostSpecificity, labelsText, serviceKeyOf, suffixHostMatches } from './match';
import { compareAge, label, push, type L7Object, type L7Objects } from './parse';
import type { StringMatchL7, VsHttpRouteL7, VsL4RouteL7, VsMatchL7 } from './kinds';
import type { EntryPointInfo, L7MatchConditions, L7NamedCondition, L7PathCondition, L7Problem, L7RouteRow, L7RouteStatus, L7StringCondition } from './types';

type VsObj = L7Object<'VirtualService'>;
type GwObj = L7Object<'IstioGateway'>;

/** A VirtualService with its hosts expanded and its gateways normalised. */
interface VsInfo {
  readonly vs: VsObj;
  readonly hosts: readonly string[];
  /** `mesh` or `ns/name`. */
  readonly gateways: readonly string[];
}

/** One Istio Gateway server that carries HTTP. */
interface ServerInfo {
  readonly gateway: GwObj;
  readonly index: number;
  readonly entry: EntryPointInfo;
  readonly protocol: string;
  readonly hosts: readonly { ns: string; host: string }[];
  readonly httpsRedirect: boolean;
  /** TCP/TLS servers: how connections are routed (VirtualService `tcp` or `tls` routes). */
  readonly l4?: 'tcp' | 'tls-passthrough' | 'tls-terminate';
}

/** One http route in evaluation order, with the VirtualService it came from. */
interface RouteRef {
  readonly info: VsInfo;
  readonly index: number;
  readonly route: VsHttpRouteL7;
}

/** Who sends the request, for sourceLabels / sourceNamespace and the L4 hop. */
export interface IstioSource {
  /** `mesh` (a sidecar) or the Istio Gateway `ns/name`. */
  readonly gateway: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly namespace?: string;
  readonly from?: { source: TraceSource; label: string };
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC']);

/** The compiled Istio side of the model. */
export class IstioRouter {
  /** Index VirtualServices, DestinationRules, ServiceEntries and Gateways; problems go to `problems`. */
  static build(objects: L7Objects, resolver: BackendResolver, problems: L7Problem[]): IstioRouter {
    return new IstioRouter(objects, resolver, problems);
  }

  private readonly vsList: VsInfo[];
  /** Mesh-bound VirtualServices by exact host, and the wildcard ones. */
  private readonly meshExact = new Map<string, VsInfo[]>();
  private readonly meshWildcard: VsInfo[] = [];
  private readonly byGateway = new Map<string, VsInfo[]>();
  private readonly servers: ServerInfo[] = [];
  /** TCP and TLS servers (VirtualService tcp/tls routes). */
  private readonly l4Servers: ServerInfo[] = [];
  private readonly drs: L7Object<'DestinationRule'>[];
  private readonly entries: L7Object<'ServiceEntry'>[];
  private readonly statuses: L7RouteStatus[] = [];
  private readonly domain: string;
  private readonly gateways: Map<string, GwObj>;

  private constructor(objects: L7Objects, private readonly resolver: BackendResolver, private readonly problems: L7Problem[]) {
    this.domain = resolver.domain;
    this.drs = [...objects.byKind.DestinationRule];
    this.entries = [...objects.byKind.ServiceEntry];
    this.gateways = new Map(objects.byKind.IstioGateway.map((g) => [label(g.ref), g]));
    for (const gw of objects.byKind.IstioGateway) {
      gw.spec.servers.forEach((s, i) => {
        const protocol = s.port.protocol.toUpperCase();
        const mode = s.tls?.mode?.toUpperCase();
        // Gateway `Server`: TCP servers route by VirtualService tcp routes; TLS servers in
        // PASSTHROUGH (and HTTPS PASSTHROUGH) by tls routes (SNI); TLS servers that terminate
        // (SIMPLE, MUTUAL, ...) forward the decrypted stream by tcp routes.
        const l4 = protocol === 'TCP' ? 'tcp' as const
          : (protocol === 'TLS' || protocol === 'HTTPS') && (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') ? 'tls-passthrough' as const
            : protocol === 'TLS' ? 'tls-terminate' as const : undefined;
        if (l4) {
          this.l4Servers.push({
            gateway: gw, index: i, protocol, httpsRedirect: false, l4, hosts: s.hosts.map(serverHost),
            entry: {
              id: `istio-gateway:${label(gw.ref)}/${s.port.number}`, kind: 'istio-gateway', name: label(gw.ref),
              listener: s.port.name ?? s.name, port: s.port.number, protocol: s.port.protocol, hostnames: s.hosts, object: gw.ref,
            },
          });
          return;
        }
        if (!HTTP_PROTOCOLS.has(protocol)) return;
        this.servers.push({
          gateway: gw, index: i, protocol, httpsRedirect: s.tls?.httpsRedirect === true,
          hosts: s.hosts.map(serverHost),
          entry: {
            id: `istio-gateway:${label(gw.ref)}/${s.port.number}`, kind: 'istio-gateway', name: label(gw.ref),
            listener: s.port.name ?? s.name, port: s.port.number, protocol: s.port.protocol, hostnames: s.hosts, object: gw.ref,
          },
        });
      });
    }
    this.vsList = [...objects.byKind.VirtualService].sort((a, b) => compareAge(a, b).cmp).map((vs) => ({
      vs,
      hosts: vs.spec.hosts.map((h) => this.expand(h, vs.namespace)),
      gateways: (vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : ['mesh']).map((g) => normalizeGateway(g, vs.namespace)),
    }));
    for (const info of this.vsList) this.index(info);
    this.checkDestinationRules();
    // tcp/tls match fields the model does not evaluate: say so rather than ignore them silently.
    for (const vs of objects.byKind.VirtualService) {
      for (const [field, list] of [['tcp', vs.spec.tcp], ['tls', vs.spec.tls]] as const) {
        (list ?? []).forEach((r, i) => (r.match ?? []).forEach((m, j) => {
          if (m.destinationSubnets && m.destinationSubnets.length > 0) {
            problems.push({ code: 'not-simulated', severity: 'info', object: vs.ref, path: `spec.${field}[${i}].match[${j}].destinationSubnets`, message: `VirtualService ${label(vs.ref)} spec.${field}[${i}].match[${j}]: destinationSubnets is not evaluated; traces take the match as if the destination IP were in them` });
          }
        }));
      }
    }
  }

  /** Gateway servers as entry points. */
  entryPoints(): EntryPointInfo[] {
    return [...this.servers, ...this.l4Servers].map((s) => s.entry);
  }

  /** TCP/TLS Gateway servers a connection can enter (`tls`: by SNI against the server hosts). */
  l4Candidates(scheme: 'tcp' | 'tls', port: number, sni: string): { id: string; rank: number }[] {
    const out: { id: string; rank: number }[] = [];
    for (const s of this.l4Servers) {
      if (s.entry.port !== port) continue;
      if ((scheme === 'tls') !== (s.l4 !== 'tcp')) continue;
      if (scheme === 'tls' && !s.hosts.some((h) => h.host === '*' || suffixHostMatches(h.host, sni))) continue;
      out.push({ id: s.entry.id, rank: this.gatewayL4Routes(s, sni).length > 0 ? 2 : 0 });
    }
    return out;
  }

  /** Status of every VirtualService (gateway bindings). */
  status(): L7RouteStatus[] {
    return this.statuses;
  }

  /** Expand a host as Istio does: a name without dots (and not a wildcard) is `<name>.<ns>.svc.<domain>`. */
  expand(host: string, ns: string): string {
    const h = host.toLowerCase();
    if (h === '*' || h.startsWith('*') || h.includes('.')) return h;
    return `${h}.${ns}.svc.${this.domain}`;
  }

  /** True when some VirtualService or ServiceEntry names this (already expanded) host for the mesh. */
  knowsHost(host: string): boolean {
    return this.meshVs(host, undefined).length > 0 || this.serviceEntry(host) !== undefined;
  }

  /** ServiceEntry declaring a host. */
  serviceEntry(host: string): L7Object<'ServiceEntry'> | undefined {
    return this.entries.find((se) => se.spec.hosts.some((h) => suffixHostMatches(h.toLowerCase(), host)));
  }

  /** Gateway servers a request can enter, ranked like the other entry points. */
  candidates(scheme: 'http' | 'https', port: number, host: string): { id: string; rank: number }[] {
    const out: { id: string; rank: number }[] = [];
    for (const s of this.servers) {
      if (s.entry.port !== port) continue;
      if ((scheme === 'https') !== (s.protocol === 'HTTPS')) continue;
      if (!s.hosts.some((h) => suffixHostMatches(h.host, host))) continue;
      const vs = this.gatewayVs(s, host);
      out.push({ id: s.entry.id, rank: vs.list.length === 0 ? 0 : vs.host === '*' ? 1 : 2 });
    }
    return out;
  }

  /** Route through an Istio Gateway server. */
  routeGateway(entryId: string, draft: TraceDraft, l4: boolean): void {
    const l4Server = this.l4Servers.find((x) => x.entry.id === entryId);
    if (l4Server) { this.routeL4Gateway(l4Server, draft, l4); return; }
    const s = this.servers.find((x) => x.entry.id === entryId);
    if (!s) { draft.fail('no-entry-point', `no Istio Gateway server ${entryId}`); return; }
    const req = draft.request;
    const gwKey = label(s.gateway.ref);
    draft.entry = s.entry;
    draft.step('entry', `Istio Gateway ${gwKey} server port ${s.entry.port} (${s.protocol}), hosts ${s.hosts.map((h) => `${h.ns}/${h.host}`).join(', ')}; selector ${labelsText(s.gateway.spec.selector ?? {}) || '(none)'}`, s.gateway.ref);
    const from = this.resolver.proxySource(s.gateway.spec.selector);
    if (from && !('pod' in from.source)) draft.step('note', `no pod in the manifests matches the gateway selector (the Istio ingress gateway is usually installed separately); its connections are traced from ${from.label}`);
    if (s.httpsRedirect && req.scheme === 'http') {
      draft.response = { status: 301, location: `https://${req.host}${req.path}` };
      draft.step('redirect', 'server tls.httpsRedirect: 301 to https');
      draft.finish();
      return;
    }
    const found = this.gatewayVs(s, req.host);
    if (found.list.length === 0) {
      draft.fail('no-route', `no VirtualService bound to Gateway ${gwKey} has a host matching ${req.host} (and admitted by the server's hosts); the gateway answers 404`, 404);
      return;
    }
    const routes = this.mergedRoutes(found.list, draft, `host ${found.host} on Gateway ${gwKey}`);
    const pod = from && 'pod' in from.source ? this.resolver.pod(from.source.pod) : undefined;
    this.evaluate(routes, draft, l4, { gateway: gwKey, labels: pod?.labels, from }, gwKey);
  }

  /**
   * Route mesh traffic from a sidecar: the VirtualService for `host` (expanded destination host).
   * Returns false when no VirtualService applies.
   */
  routeMesh(host: string, draft: TraceDraft, l4: boolean, src: IstioSource & { namespace: string }): boolean {
    const list = this.meshVs(host, src.namespace);
    if (list.length === 0) return false;
    const scheme = draft.request.scheme;
    // A VirtualService with tcp routes and no http routes: the sidecar proxies the port as TCP, HTTP included.
    const tcpOnly = list[0].vs.spec.http.length === 0 && (list[0].vs.spec.tcp ?? []).length > 0;
    if (scheme === 'tcp' || scheme === 'tls' || tcpOnly) return this.routeL4Mesh(list[0], draft, l4, src);
    // Istio routes no UDP: the sidecar passes it through.
    if (scheme === 'udp') return false;
    const chosen = list[0];
    if (list.length > 1) {
      const byTs = compareAge(list[0].vs, list[1].vs).byTimestamp;
      const others = list.slice(1).map((v) => label(v.vs.ref)).join(', ');
      draft.step('route', `VirtualServices ${[chosen, ...list.slice(1)].map((v) => label(v.vs.ref)).join(', ')} all name ${host} for the mesh; sidecars do not merge them (IST0109): the oldest applies`);
      for (const v of list.slice(1)) draft.lose(`VirtualService ${label(v.vs.ref)}`, `hosts ${v.hosts.join(', ')}`, `VirtualService ${label(chosen.vs.ref)} is older; sidecars use one VirtualService per host`);
      if (!byTs) draft.ambiguous('creation-order', `VirtualService ${label(chosen.vs.ref)} and ${others} name the same host ${host} for the mesh; which one applies depends on creation order, which the manifests don't fix (traced: ${label(chosen.vs.ref)})`);
    }
    draft.step('route', `VirtualService ${label(chosen.vs.ref)} (hosts ${chosen.hosts.join(', ')}; gateways ${chosen.gateways.join(', ')})`, chosen.vs.ref);
    const routes = this.cut(chosen);
    this.evaluate(routes, draft, l4, { ...src, gateway: 'mesh' }, 'mesh');
    return true;
  }

  /**
   * A TCP/TLS server (`gateway.proto` Server): the VirtualServices bound to the Gateway whose
   * hosts the server admits (for TLS, the SNI must match a VirtualService host), their tls routes
   * (PASSTHROUGH) or tcp routes (TCP, TLS terminated) in order; the first route with a matching
   * block wins (`virtual_service.proto` TLSRoute / TCPRoute). No route: the connection is closed.
   */
  private routeL4Gateway(s: ServerInfo, draft: TraceDraft, l4: boolean): void {
    const req = draft.request;
    const gwKey = label(s.gateway.ref);
    draft.entry = s.entry;
    const sni = req.sni ?? req.host;
    draft.step('entry', `Istio Gateway ${gwKey} server port ${s.entry.port} (${s.protocol}${s.l4 === 'tls-passthrough' ? ' PASSTHROUGH: routed by SNI, the backend terminates TLS' : s.l4 === 'tls-terminate' ? ': the gateway terminates TLS and routes the stream by tcp routes' : ''}), hosts ${s.hosts.map((h) => `${h.ns}/${h.host}`).join(', ')}`, s.gateway.ref);
    const want = s.l4 === 'tls-passthrough' ? 'tls' : 'tcp';
    if ((want === 'tls' || s.l4 === 'tls-terminate') && req.scheme !== 'tls' && req.scheme !== 'https') {
      draft.fail('bad-request', `server port ${s.entry.port} takes TLS connections (tls://host:port), not ${req.scheme}://`);
      return;
    }
    if (want === 'tcp' && s.l4 === 'tcp' && req.scheme !== 'tcp') {
      draft.fail('bad-request', `server port ${s.entry.port} takes plain TCP connections (tcp://host:port), not ${req.scheme}://`);
      return;
    }
    if (s.l4 !== 'tcp' && !s.hosts.some((h) => h.host === '*' || suffixHostMatches(h.host, sni))) {
      draft.fail('no-host', `server port ${s.entry.port} of Gateway ${gwKey} does not serve SNI ${sni} (hosts ${s.hosts.map((h) => h.host).join(', ')}): the connection is closed`);
      return;
    }
    const from = this.resolver.proxySource(s.gateway.spec.selector);
    const pod = from && 'pod' in from.source ? this.resolver.pod(from.source.pod) : undefined;
    const routes = this.gatewayL4Routes(s, sni);
    this.evaluateL4(routes, want, draft, l4, { gateway: gwKey, labels: pod?.labels, from }, gwKey, s.entry.port ?? req.port, `Gateway ${gwKey} port ${s.entry.port}`);
  }

  /** The VirtualServices bound to a TCP/TLS server's Gateway and admitted by its hosts (TLS: the ones whose hosts match the SNI). */
  private gatewayL4Routes(s: ServerInfo, sni: string): VsInfo[] {
    const gwKey = label(s.gateway.ref);
    const gwNs = s.gateway.namespace;
    const field = s.l4 === 'tls-passthrough' ? 'tls' : 'tcp';
    return (this.byGateway.get(gwKey) ?? []).filter((info) => exported(info.vs, gwNs)
      && (info.vs.spec[field] ?? []).length > 0
      && info.hosts.some((h) => s.hosts.some((sh) => admits(sh, gwNs, info.vs.namespace, h)) && (s.l4 === 'tcp' || h === '*' || suffixHostMatches(h, sni))));
  }

  /** Sidecar traffic with a tcp:// or tls:// request: the VirtualService's tcp or tls routes; false (pass through) when none matches. */
  private routeL4Mesh(info: VsInfo, draft: TraceDraft, l4: boolean, src: IstioSource & { namespace: string }): boolean {
    const req = draft.request;
    const field = req.scheme === 'tls' ? 'tls' : 'tcp';
    if ((info.vs.spec[field] ?? []).length === 0) {
      draft.step('route', `VirtualService ${label(info.vs.ref)} has no ${field} routes: the sidecar sends the ${field === 'tls' ? 'TLS' : 'TCP'} connection to the destination as is`, info.vs.ref);
      return false;
    }
    draft.step('route', `VirtualService ${label(info.vs.ref)} (hosts ${info.hosts.join(', ')}): its ${field} routes${req.scheme === 'http' || req.scheme === 'https' ? ' (it has no http routes: the request is carried as a TCP stream)' : ''}`, info.vs.ref);
    return this.evaluateL4([info], field, draft, l4, { ...src, gateway: 'mesh' }, 'mesh', req.port, 'the sidecar', true);
  }

  /**
   * First-match evaluation of tcp or tls routes across VirtualServices (creation order), then the
   * weighted destinations. `passThrough`: no matching route lets the sidecar forward the
   * connection unchanged (returns false) instead of closing it.
   */
  private evaluateL4(list: readonly VsInfo[], field: 'tcp' | 'tls', draft: TraceDraft, l4: boolean, src: IstioSource, gateway: string, port: number, where: string, passThrough = false): boolean {
    const req = draft.request;
    const sni = req.sni ?? req.host;
    let chosen: { info: VsInfo; index: number; route: VsL4RouteL7; matchIndex?: number } | undefined;
    for (const info of list) {
      for (const [index, route] of (info.vs.spec[field] ?? []).entries()) {
        const name = `VirtualService ${label(info.vs.ref)} ${field}[${index}]`;
        if (chosen) { draft.lose(name, l4MatchText(route), `${field}[${chosen.index}] of ${label(chosen.info.vs.ref)} matched first (first match wins)`); continue; }
        const matches = route.match ?? [];
        if (matches.length === 0) {
          // tls routes need sniHosts (the webhook rejects a tls route without match); tcp routes without match take every connection.
          if (field === 'tcp') chosen = { info, index, route };
          else draft.lose(name, 'no match', 'a tls route needs match.sniHosts');
          continue;
        }
        const reasons: string[] = [];
        for (const [mi, m] of matches.entries()) {
          const gws = m.gateways ? m.gateways.map((g) => normalizeGateway(g, info.vs.namespace)) : info.gateways;
          let why: string | undefined;
          if (!gws.includes(gateway)) why = `match applies to gateways ${gws.join(', ')}, not ${gateway}`;
          else if (m.port !== undefined && m.port !== port) why = `port ${m.port} is not ${port}`;
          else if (field === 'tls' && !(m.sniHosts ?? []).some((h) => { const e = this.expand(h, info.vs.namespace); return e === '*' || suffixHostMatches(e, sni) || suffixHostMatches(h.toLowerCase(), sni); })) why = `sniHosts ${(m.sniHosts ?? []).join(', ')} do not match SNI ${sni}`;
          else if (m.sourceNamespace && m.sourceNamespace !== src.namespace) why = `sourceNamespace ${m.sourceNamespace} is not ${src.namespace ?? '(gateway)'}`;
          else if (m.sourceLabels && !(src.labels && Object.entries(m.sourceLabels).every(([k, v]) => src.labels?.[k] === v))) why = `sourceLabels ${labelsText(m.sourceLabels)} do not match the source`;
          if (why === undefined) { chosen = { info, index, route, matchIndex: mi }; break; }
          reasons.push(why);
        }
        if (!chosen) draft.lose(name, l4MatchText(route), reasons.join('; '));
      }
    }
    if (!chosen) {
      if (passThrough) {
        draft.step('route', `no ${field} route matches ${field === 'tls' ? `SNI ${sni} ` : ''}port ${port}: the sidecar sends the connection to the destination as is`);
        return false;
      }
      draft.fail('no-route', `no ${field} route of the VirtualServices bound to ${where} matches ${field === 'tls' ? `SNI ${sni} on ` : ''}port ${port}: the connection is closed`);
      return true;
    }
    const { info, index, route } = chosen;
    draft.route = { kind: 'VirtualService', object: info.vs.ref, rule: index, ...(chosen.matchIndex !== undefined ? { match: chosen.matchIndex } : {}), description: `${field}[${index}] ${l4MatchText(route)}` };
    draft.step('match', `VirtualService ${label(info.vs.ref)} ${field}[${index}]${chosen.matchIndex !== undefined ? ` match[${chosen.matchIndex}]` : ''}: ${l4MatchText(route)}`, info.vs.ref);
    const dests = route.route;
    if (dests.length === 0) { draft.fail('no-backend', `${field}[${index}] has no destination: the connection is closed`); return true; }
    const targets = this.destinationTargets(dests, info.vs.namespace, req.port, draft, src, 0);
    if (l4 && src.from) draft.step('l4', `${gateway === 'mesh' ? 'the sidecar' : 'the gateway'} connects to the destination; traced from ${src.from.label}`);
    draft.backends = resolveBackends(targets, this.resolver, { from: src.from, l4, invalidStatus: 0 });
    for (const b of draft.backends) draft.step('backend', describeBackend(b));
    draft.finish();
    return true;
  }

  /** Rows for `netkit routes`. */
  routes(): L7RouteRow[] {
    const rows: L7RouteRow[] = [];
    for (const info of this.vsList) {
      const entries: string[] = [];
      if (info.gateways.includes('mesh')) entries.push('mesh');
      for (const s of this.servers) if (info.gateways.includes(label(s.gateway.ref))) entries.push(s.entry.id);
      for (const entry of entries) {
        for (const host of info.hosts) {
          info.vs.spec.http.forEach((r, i) => {
            const delegate = r.delegate ? `${r.delegate.namespace ?? info.vs.namespace}/${r.delegate.name}` : undefined;
            const base = {
              entry, kind: 'VirtualService' as const, object: info.vs.ref, host, rule: i,
              backends: (r.route ?? []).map((d) => ({ service: this.destinationLabel(d.destination.host, info.vs.namespace), port: d.destination.port?.number, weight: d.weight ?? (r.route?.length === 1 ? 100 : 0), subset: d.destination.subset })),
              action: r.redirect ? 'redirect' as const : r.directResponse ? 'direct-response' as const : r.delegate ? 'forward' as const : (r.route ?? []).length === 0 ? 'error' as const : 'forward' as const,
              ...(delegate ? { delegate, note: `delegates to VirtualService ${delegate}` } : {}),
            };
            // One row per match block (blocks are ORed), like one row per HTTPRoute match.
            const matches = r.match ?? [];
            if (matches.length === 0) rows.push({ ...base, match: 'any request', conditions: { headers: [], query: [] } });
            matches.forEach((m, j) => rows.push({ ...base, match: matchText(m), conditions: matchConditions(m), matchIndex: j }));
          });
        }
      }
    }
    return rows;
  }

  // ---- build ----

  private index(info: VsInfo): void {
    const vs = info.vs;
    const parents = [];
    for (const [i, g] of info.gateways.entries()) {
      if (g === 'mesh') {
        for (const h of info.hosts) {
          if (h.startsWith('*')) this.meshWildcard.push(info);
          else push(this.meshExact, h, info);
        }
        parents.push({ parent: 'mesh', accepted: true, reason: 'Accepted', message: 'applies to sidecars' });
        continue;
      }
      const gw = this.gateways.get(g);
      if (!gw) {
        this.problems.push({ code: 'vs-gateway-missing', severity: 'error', object: vs.ref, path: `spec.gateways[${i}]`, message: `VirtualService ${label(vs.ref)}: Gateway ${g} does not exist (IST0101); its routes apply nowhere for that gateway` });
        parents.push({ parent: `Gateway ${g}`, accepted: false, reason: 'GatewayNotFound', message: `Gateway ${g} does not exist` });
        continue;
      }
      // IST0132 (`virtualservice/gateways.go`): the gateway hands a request only to VirtualServices with a host some server admits.
      const serverHosts = gw.spec.servers.flatMap((sv) => sv.hosts);
      if (!info.hosts.some((h) => serverHosts.some((sh) => admits(serverHost(sh), gw.namespace, vs.namespace, h)))) {
        const message = `none of its hosts (${vs.spec.hosts.join(', ')}) is among the hosts Gateway ${g} serves to namespace ${vs.namespace} (${serverHosts.join(', ') || 'none'}): the gateway never hands it a request (IST0132)`;
        this.problems.push({ code: 'vs-host-unknown', severity: 'warning', object: vs.ref, path: `spec.gateways[${i}]`, message: `VirtualService ${label(vs.ref)}: ${message}` });
        parents.push({ parent: `Gateway ${g}`, accepted: false, reason: 'NoHostInGateway', message });
        continue;
      }
      push(this.byGateway, g, info);
      parents.push({ parent: `Gateway ${g}`, accepted: true, reason: 'Accepted', message: 'bound to the gateway' });
    }
    if (info.gateways.includes('mesh')) this.checkMeshHosts(info);
    const lists: [string, readonly { readonly route?: readonly { readonly destination: { readonly host: string; readonly subset?: string } }[] }[]][] = [['http', vs.spec.http], ['tcp', vs.spec.tcp ?? []], ['tls', vs.spec.tls ?? []]];
    for (const [field, routes] of lists) for (const [ri, r] of routes.entries()) {
      for (const [di, d] of (r.route ?? []).entries()) {
        const host = this.expand(d.destination.host, vs.namespace);
        const at = `spec.${field}[${ri}].route[${di}].destination`;
        const svcKey = serviceKeyOf(host, this.domain);
        if (svcKey && !this.resolver.service(svcKey.split('/')[0], svcKey.split('/')[1])) {
          this.problems.push({ code: 'vs-destination-unknown', severity: 'error', object: vs.ref, path: `${at}.host`, message: `VirtualService ${label(vs.ref)} ${at}: host ${d.destination.host} (${host}) is not a Service (IST0101 ReferencedResourceNotFound); requests routed there get 503` });
        } else if (!svcKey && !this.serviceEntry(host)) {
          this.problems.push({ code: 'vs-destination-unknown', severity: 'error', object: vs.ref, path: `${at}.host`, message: `VirtualService ${label(vs.ref)} ${at}: host ${host} is neither a Service nor a ServiceEntry host; requests routed there get 503` });
        }
        if (d.destination.subset && !this.subset(host, d.destination.subset, vs.namespace)) {
          this.problems.push({ code: 'vs-subset-missing', severity: 'error', object: vs.ref, path: `${at}.subset`, message: `VirtualService ${label(vs.ref)} ${at}: subset ${d.destination.subset} is defined by no DestinationRule for ${host} (IST0101); requests routed there get 503` });
        }
      }
    }
    this.statuses.push({ object: vs.ref, parents, resolvedRefs: { ok: true, reason: 'ResolvedRefs', message: '' } });
  }

  /**
   * Mesh hosts in the cluster domain (a short name, or `name.ns.svc.<domain>`) that are no
   * Service and no ServiceEntry host: they resolve to nothing, so sidecars never apply the routes.
   */
  private checkMeshHosts(info: VsInfo): void {
    const vs = info.vs;
    vs.spec.hosts.forEach((raw, i) => {
      const h = info.hosts[i];
      const key = h.startsWith('*') ? undefined : serviceKeyOf(h, this.domain);
      if (!key || this.resolver.service(key.split('/')[0], key.split('/')[1]) || this.serviceEntry(h)) return;
      const where = raw.includes('.') ? '' : ` in namespace ${vs.namespace} (short names are read in the VirtualService's namespace)`;
      this.problems.push({
        code: 'vs-host-unknown', severity: 'warning', object: vs.ref, path: `spec.hosts[${i}]`,
        message: `VirtualService ${label(vs.ref)}: host ${raw}${raw !== h ? ` (${h})` : ''} is no Service${where} and no ServiceEntry host: it resolves to nothing, so the sidecars never apply these routes`,
      });
    });
  }

  /**
   * IST0173 (`destinationrule/subset.go`): a subset selecting no pod. An error when a
   * VirtualService routes to it (those requests get 503); a subset nothing routes to is only
   * noted (`info`, no finding): Istio's samples ship DestinationRules with subsets for versions
   * a given deployment leaves out.
   */
  private checkDestinationRules(): void {
    const routed = new Set<string>();
    for (const info of this.vsList) {
      const spec = info.vs.spec;
      for (const r of [...spec.http, ...(spec.tcp ?? []), ...(spec.tls ?? [])]) {
        for (const d of r.route ?? []) if (d.destination.subset) routed.add(`${this.expand(d.destination.host, info.vs.namespace)}|${d.destination.subset}`);
      }
    }
    for (const dr of this.drs) {
      const host = this.expand(dr.spec.host, dr.namespace);
      const svcKey = serviceKeyOf(host, this.domain);
      const svc = svcKey ? this.resolver.service(svcKey.split('/')[0], svcKey.split('/')[1]) : undefined;
      if (!svc && !host.startsWith('*') && !this.serviceEntry(host)) {
        this.problems.push({ code: 'dr-host-unknown', severity: 'warning', object: dr.ref, path: 'spec.host', message: `DestinationRule ${label(dr.ref)}: host ${dr.spec.host} (${host}) is neither a Service nor a ServiceEntry host; Istio ignores the rule` });
        continue;
      }
      if (!svc?.selector) continue;
      for (const [i, s] of dr.spec.subsets.entries()) {
        const labels = { ...svc.selector, ...(s.labels ?? {}) };
        const any = [...this.resolver.podsIn(svc.namespace)].some((p) => Object.entries(labels).every(([k, v]) => p.labels[k] === v));
        if (!any) {
          const used = routed.has(`${host}|${s.name}`);
          this.problems.push({ code: 'dr-subset-no-pods', severity: used ? 'warning' : 'info', object: dr.ref, path: `spec.subsets[${i}].labels`, message: `DestinationRule ${label(dr.ref)} subset ${s.name}: no pod of Service ${svcKey} carries ${labelsText(s.labels ?? {})}; ${used ? 'traffic routed to the subset gets 503 (no healthy upstream)' : 'no VirtualService routes to it (yet); traffic routed there would get 503'}` });
        }
      }
    }
  }

  // ---- lookups ----

  /** Mesh VirtualServices for a host visible from `clientNs`, oldest first; exact hosts before wildcards. */
  private meshVs(host: string, clientNs: string | undefined): VsInfo[] {
    const visible = (v: VsInfo): boolean => clientNs === undefined || exported(v.vs, clientNs);
    const exact = (this.meshExact.get(host) ?? []).filter(visible);
    if (exact.length > 0) return exact;
    const wild = this.meshWildcard.filter((v) => visible(v) && v.hosts.some((h) => suffixHostMatches(h, host)));
    const spec = (v: VsInfo): number => Math.max(...v.hosts.filter((h) => suffixHostMatches(h, host)).map(hostSpecificity));
    return wild.sort((a, b) => spec(b) - spec(a) || compareAge(a.vs, b.vs).cmp);
  }

  /** VirtualServices bound to the server's Gateway for the most specific host matching `host`. */
  private gatewayVs(s: ServerInfo, host: string): { host: string; list: VsInfo[] } {
    const gwKey = label(s.gateway.ref);
    const gwNs = s.gateway.namespace;
    let best: { host: string; list: VsInfo[] } = { host: '', list: [] };
    let bestSpec = -1;
    for (const info of this.byGateway.get(gwKey) ?? []) {
      if (!exported(info.vs, gwNs)) continue;
      for (const h of info.hosts) {
        if (!suffixHostMatches(h, host)) continue;
        if (!s.hosts.some((sh) => admits(sh, gwNs, info.vs.namespace, h))) continue;
        const spec = hostSpecificity(h);
        if (spec > bestSpec) { best = { host: h, list: [info] }; bestSpec = spec; } else if (spec === bestSpec && h === best.host && !best.list.includes(info)) best.list.push(info);
      }
    }
    return best;
  }

  /** One VirtualService's routes, cut after its first catch-all. */
  private cut(info: VsInfo): RouteRef[] {
    const out: RouteRef[] = [];
    for (const [index, route] of info.vs.spec.http.entries()) {
      out.push({ info, index, route });
      if (isCatchAll(route)) break;
    }
    return out;
  }

  /** Gateway merge: creation order, each cut after its catch-all, catch-alls last. */
  private mergedRoutes(list: VsInfo[], draft: TraceDraft, where: string): RouteRef[] {
    if (list.length > 1) {
      draft.step('route', `${list.length} VirtualServices for ${where} are merged in creation order (${list.map((v) => label(v.vs.ref)).join(', ')}); catch-all routes go last`);
      for (let i = 1; i < list.length; i++) {
        if (!compareAge(list[i - 1].vs, list[i].vs).byTimestamp) {
          draft.ambiguous('creation-order', `VirtualServices ${list.map((v) => label(v.vs.ref)).join(', ')} are merged for ${where} in creation order, which the manifests don't fix (Istio: cross-resource order is undefined); traced in load order`);
          break;
        }
      }
    } else {
      draft.step('route', `VirtualService ${label(list[0].vs.ref)} (hosts ${list[0].hosts.join(', ')})`, list[0].vs.ref);
    }
    const all = list.flatMap((v) => this.cut(v));
    return list.length > 1 ? [...all.filter((r) => !isCatchAll(r.route)), ...all.filter((r) => isCatchAll(r.route))] : all;
  }

  /** First-match evaluation of http routes, then the route's action. */
  private evaluate(routes: RouteRef[], draft: TraceDraft, l4: boolean, src: IstioSource, gateway: string, depth = 0): void {
    const req = draft.request;
    let chosen: { ref: RouteRef; matchIndex?: number; match?: VsMatchL7 } | undefined;
    for (const ref of routes) {
      const matches = ref.route.match ?? [];
      const name = `VirtualService ${label(ref.info.vs.ref)} http[${ref.index}]${ref.route.name ? ` (${ref.route.name})` : ''}`;
      if (chosen) { draft.lose(name, routeMatchText(ref.route), `http[${chosen.ref.index}] of ${label(chosen.ref.info.vs.ref)} matched first (first match wins)`); continue; }
      if (matches.length === 0) {
        if (ref.info.gateways.includes(gateway) || gateway === 'mesh') { chosen = { ref }; continue; }
      }
      const reasons: string[] = [];
      for (const [mi, m] of matches.entries()) {
        const why = this.mismatch(m, ref.info, draft, src, gateway);
        if (why === undefined) { chosen = { ref, matchIndex: mi, match: m }; break; }
        reasons.push(why);
      }
      if (!chosen) draft.lose(name, routeMatchText(ref.route), reasons.join('; ') || 'no match');
    }
    if (!chosen) {
      draft.fail('no-route', `no http route of the VirtualService matches ${req.method} ${req.path}; Envoy answers 404 (NR)`, 404);
      return;
    }
    const { ref, match } = chosen;
    const r = ref.route;
    draft.route = { kind: 'VirtualService', object: ref.info.vs.ref, rule: ref.index, match: chosen.matchIndex, description: match ? matchText(match) : 'any request' };
    draft.step('match', `VirtualService ${label(ref.info.vs.ref)} http[${ref.index}]${r.name ? ` (${r.name})` : ''}: ${match ? matchText(match) : 'no match conditions (catch-all)'}`, ref.info.vs.ref);
    const up = draft.upstream ?? { host: req.host, path: req.path, headers: { ...req.headers } };
    draft.upstream = up;
    if (r.delegate) {
      const ns = r.delegate.namespace ?? ref.info.vs.namespace;
      const child = this.vsList.find((v) => v.vs.namespace === ns && v.vs.name === r.delegate?.name);
      if (!child || depth > 0) { draft.fail('no-route', `delegate VirtualService ${ns}/${r.delegate.name} ${child ? 'delegates again (one level only)' : 'does not exist'}`, 404); return; }
      draft.step('route', `delegates to VirtualService ${ns}/${r.delegate.name}`, child.vs.ref);
      this.evaluate(this.cut(child), draft, l4, src, gateway, depth + 1);
      return;
    }
    if (r.redirect) {
      const scheme = r.redirect.scheme ?? req.scheme;
      const host = r.redirect.authority ?? req.host;
      const port = r.redirect.port ? `:${r.redirect.port}` : '';
      draft.response = { status: r.redirect.redirectCode ?? 301, location: `${scheme}://${host}${port}${r.redirect.uri ?? req.path}` };
      draft.step('redirect', `redirect: ${draft.response.status} to ${draft.response.location}`);
      draft.finish();
      return;
    }
    if (r.directResponse) {
      draft.response = { status: r.directResponse.status, body: r.directResponse.body?.string };
      draft.step('redirect', `directResponse ${r.directResponse.status}`);
      draft.finish();
      return;
    }
    if (r.rewrite?.uri !== undefined || r.rewrite?.authority) {
      if (r.rewrite.authority) up.host = r.rewrite.authority;
      if (r.rewrite.uri !== undefined) {
        const prefix = match?.uri?.prefix;
        up.path = prefix !== undefined && req.path.startsWith(prefix) ? r.rewrite.uri + req.path.slice(prefix.length) : r.rewrite.uri;
      }
      draft.step('rewrite', `rewrite: ${req.host}${req.path} -> ${up.host}${up.path}`);
    }
    const hm = r.headers?.request;
    if (hm) {
      for (const [k, v] of Object.entries(hm.set ?? {})) up.headers[k.toLowerCase()] = String(v);
      for (const [k, v] of Object.entries(hm.add ?? {})) up.headers[k.toLowerCase()] = String(v);
      for (const k of hm.remove ?? []) delete up.headers[k.toLowerCase()];
      draft.step('filter', 'request header operations applied');
    }
    if (r.timeout) { draft.timeouts = { request: r.timeout }; draft.step('timeout', `timeout ${r.timeout}`); }
    if (r.retries) draft.step('timeout', `retries: ${r.retries.attempts ?? 2} attempt(s)${r.retries.perTryTimeout ? `, ${r.retries.perTryTimeout} each` : ''}`);
    if (r.fault?.delay) draft.step('note', `fault delay ${r.fault.delay.fixedDelay ?? ''} for ${r.fault.delay.percentage?.value ?? 100}% of requests`);
    const dests = r.route ?? [];
    if (dests.length === 0) {
      draft.fail('no-backend', 'the matched http route has no destination', 500);
      return;
    }
    const vsNs = ref.info.vs.namespace;
    const explicit = dests.some((d) => d.weight !== undefined && d.weight > 0);
    if (dests.length > 1 && !explicit) draft.step('note', 'no destination has a weight: traced as an equal split');
    const targets = this.destinationTargets(dests, vsNs, req.port, draft, src, 503);
    if (l4 && src.from) draft.step('l4', `${gateway === 'mesh' ? 'the sidecar' : 'the gateway'} connects to the destination; traced from ${src.from.label}`);
    let backends = resolveBackends(targets, this.resolver, { from: src.from, l4, invalidStatus: 503 });
    const abort = r.fault?.abort;
    if (abort?.httpStatus) {
      const p = (abort.percentage?.value ?? 100) / 100;
      backends = [...backends.map((b) => ({ ...b, probability: round(b.probability * (1 - p)) })), { service: 'fault-injection', weight: 0, probability: round(p), invalid: `fault abort ${abort.httpStatus}`, status: abort.httpStatus }];
      draft.step('note', `fault abort: ${Math.round(p * 100)}% of requests get ${abort.httpStatus}`);
    }
    draft.backends = backends;
    for (const b of backends) draft.step('backend', describeBackend(b));
    draft.finish();
  }

  /** Weighted destinations (Services with subsets, ServiceEntry hosts) as backend targets; `invalidStatus` for destinations with no cluster. */
  private destinationTargets(dests: readonly { readonly destination: { readonly host: string; readonly subset?: string; readonly port?: { readonly number?: number } }; readonly weight?: number }[], vsNs: string, fallbackPort: number, draft: TraceDraft, src: IstioSource, invalidStatus: number): BackendTarget[] {
    const explicit = dests.some((d) => d.weight !== undefined && d.weight > 0);
    return dests.map((d) => {
      const host = this.expand(d.destination.host, vsNs);
      const weight = dests.length === 1 ? 100 : explicit ? (d.weight ?? 0) : 1;
      const svcKey = serviceKeyOf(host, this.domain);
      const subsetName = d.destination.subset;
      if (svcKey) {
        const [ns, name] = svcKey.split('/');
        const base = { namespace: ns, name, port: d.destination.port?.number, fallbackPort, weight, subset: subsetName };
        if (!this.resolver.service(ns, name)) return { ...base, invalid: `host ${host} is not a Service in the registry`, status: invalidStatus };
        if (subsetName) {
          const sub = this.subset(host, subsetName, src.namespace ?? vsNs);
          if (!sub) return { ...base, invalid: `subset ${subsetName} is not defined by a DestinationRule for ${host}`, status: invalidStatus };
          draft.step('subset', `subset ${subsetName} of ${host}: labels ${labelsText(sub.labels)} (DestinationRule ${label(sub.dr.ref)})`, sub.dr.ref);
          return { ...base, subsetLabels: sub.labels };
        }
        return base;
      }
      const se = this.serviceEntry(host);
      if (se) {
        draft.step('backend', `${host} is a ServiceEntry host (${label(se.ref)}, ${se.spec.location}, resolution ${se.spec.resolution}); the connection leaves the simulated cluster`, se.ref);
        return { namespace: vsNs, name: host, port: d.destination.port?.number, weight, subset: subsetName, external: host };
      }
      return { namespace: vsNs, name: host, weight, invalid: `host ${host} is neither a Service nor a ServiceEntry host (no cluster for it)`, status: invalidStatus };
    });
  }

  /** Why an Istio match block does not match, or undefined. */
  private mismatch(m: VsMatchL7, info: VsInfo, draft: TraceDraft, src: IstioSource, gateway: string): string | undefined {
    const req = draft.request;
    const gws = m.gateways ? m.gateways.map((g) => normalizeGateway(g, info.vs.namespace)) : info.gateways;
    if (!gws.includes(gateway)) return `match applies to gateways ${gws.join(', ')}, not ${gateway}`;
    if (m.uri) {
      const why = stringMismatch(m.uri, req.path, m.ignoreUriCase === true);
      if (why) return `uri ${why}`;
    }
    if (m.scheme) { const why = stringMismatch(m.scheme, req.scheme, false); if (why) return `scheme ${why}`; }
    if (m.method) { const why = stringMismatch(m.method, req.method, false); if (why) return `method ${why}`; }
    if (m.authority) { const why = stringMismatch(m.authority, req.host, false); if (why) return `authority ${why}`; }
    for (const [k, v] of Object.entries(m.headers ?? {})) {
      const got = req.headers[k.toLowerCase()];
      if (got === undefined) return `header ${k} is missing`;
      if (v && !isEmptyMatch(v)) { const why = stringMismatch(v, got, false); if (why) return `header ${k} ${why}`; }
    }
    for (const [k, v] of Object.entries(m.withoutHeaders ?? {})) {
      const got = req.headers[k.toLowerCase()];
      if (got !== undefined && (!v || isEmptyMatch(v) || stringMismatch(v, got, false) === undefined)) return `withoutHeaders: header ${k} is present`;
    }
    for (const [k, v] of Object.entries(m.queryParams ?? {})) {
      const got = req.query[k];
      if (got === undefined) return `query param ${k} is missing`;
      if (v && !isEmptyMatch(v)) { const why = stringMismatch(v, got, false); if (why) return `query param ${k} ${why}`; }
    }
    if (m.port !== undefined && m.port !== req.port) return `port ${m.port} is not ${req.port}`;
    if (m.sourceNamespace && m.sourceNamespace !== src.namespace) return `sourceNamespace ${m.sourceNamespace} is not ${src.namespace ?? '(gateway)'}`;
    if (m.sourceLabels) {
      const labels = src.labels;
      if (!labels || !Object.entries(m.sourceLabels).every(([k, v]) => labels[k] === v)) return `sourceLabels ${labelsText(m.sourceLabels)} do not match the source ${labels ? labelsText(labels) : '(no labels)'}`;
    }
    return undefined;
  }

  /** The subset's labels from the DestinationRule for `host` (client namespace first, then the host's, then any). */
  private subset(host: string, name: string, preferNs: string): { labels: Readonly<Record<string, string>>; dr: L7Object<'DestinationRule'> } | undefined {
    const svcNs = serviceKeyOf(host, this.domain)?.split('/')[0];
    const drs = this.drs.filter((d) => suffixHostMatches(this.expand(d.spec.host, d.namespace), host));
    const rank = (d: L7Object<'DestinationRule'>): number => (d.namespace === preferNs ? 0 : d.namespace === svcNs ? 1 : 2);
    for (const dr of drs.sort((a, b) => rank(a) - rank(b) || compareAge(a, b).cmp)) {
      const s = dr.spec.subsets.find((x) => x.name === name);
      if (s) return { labels: s.labels ?? {}, dr };
    }
    return undefined;
  }

  private destinationLabel(host: string, ns: string): string {
    const h = this.expand(host, ns);
    return serviceKeyOf(h, this.domain) ?? h;
  }
}

/** A Gateway server host `[namespace/]dnsName`; without a namespace part any namespace (`*`). */
function serverHost(h: string): { ns: string; host: string } {
  const slash = h.indexOf('/');
  return slash >= 0 ? { ns: h.slice(0, slash), host: h.slice(slash + 1).toLowerCase() } : { ns: '*', host: h.toLowerCase() };
}

/**
 * A server host admits a VirtualService host from `vsNs`: its namespace part (`*`, `.` for the
 * Gateway's own namespace, or a name) and the hosts, either one covering the other (`*` any).
 */
function admits(sh: { ns: string; host: string }, gatewayNs: string, vsNs: string, host: string): boolean {
  const nsOk = sh.ns === '*' || (sh.ns === '.' ? vsNs === gatewayNs : sh.ns === vsNs);
  return nsOk && (sh.host === '*' || suffixHostMatches(sh.host, host) || suffixHostMatches(host, sh.host));
}

/** `mesh`, `ns/name`, or `name` read in the VirtualService's namespace. */
function normalizeGateway(g: string, ns: string): string {
  if (g === 'mesh') return g;
  return g.includes('/') ? g : `${ns}/${g}`;
}

/** `exportTo`: empty or `*` means everywhere, `.` the object's own namespace. */
function exported(o: L7Object<'VirtualService'>, ns: string): boolean {
  const to = o.spec.exportTo;
  if (!to || to.length === 0) return true;
  return to.some((t) => t === '*' || t === ns || (t === '.' && o.namespace === ns));
}

function isEmptyMatch(m: StringMatchL7): boolean {
  return m.exact === undefined && m.prefix === undefined && m.regex === undefined;
}

/** StringMatch: exact, prefix (plain string prefix), regex (RE2, full match). */
function stringMismatch(m: StringMatchL7, value: string, ignoreCase: boolean): string | undefined {
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact) ? undefined : `exact ${m.exact} is not ${value}`;
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix) ? undefined : `prefix ${m.prefix} does not start ${value}`;
  if (m.regex !== undefined) return compileRegex(m.regex, 'full')?.test(value) ? undefined : `regex ${m.regex} does not match ${value}`;
  return undefined;
}

/** route.go isCatchAllMatch: no match, or a uri prefix `/` / regex `.*` block without other conditions. */
function isCatchAll(r: VsHttpRouteL7): boolean {
  const matches = r.match ?? [];
  if (matches.length === 0) return true;
  return matches.some((m) => {
    const others = m.headers || m.queryParams || m.withoutHeaders || m.method || m.scheme || m.authority || m.port !== undefined || m.sourceLabels || m.sourceNamespace || m.gateways;
    if (others) return false;
    if (!m.uri) return true;
    return m.uri.prefix === '/' || m.uri.regex === '.*' || m.uri.regex === '*';
  });
}

function smText(m: StringMatchL7): string {
  if (m.exact !== undefined) return `=${m.exact}`;
  if (m.prefix !== undefined) return ` prefix ${m.prefix}`;
  if (m.regex !== undefined) return ` ~${m.regex}`;
  return ' present';
}

function matchText(m: VsMatchL7): string {
  const parts: string[] = [];
  if (m.uri) parts.push(`uri${smText(m.uri)}`);
  if (m.method) parts.push(`method${smText(m.method)}`);
  if (m.scheme) parts.push(`scheme${smText(m.scheme)}`);
  if (m.authority) parts.push(`authority${smText(m.authority)}`);
  for (const [k, v] of Object.entries(m.headers ?? {})) parts.push(`header ${k}${v ? smText(v) : ' present'}`);
  for (const [k, v] of Object.entries(m.withoutHeaders ?? {})) parts.push(`without header ${k}${v ? smText(v) : ''}`);
  for (const [k, v] of Object.entries(m.queryParams ?? {})) parts.push(`query ${k}${v ? smText(v) : ' present'}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.sourceLabels) parts.push(`sourceLabels ${labelsText(m.sourceLabels)}`);
  if (m.sourceNamespace) parts.push(`sourceNamespace ${m.sourceNamespace}`);
  if (m.gateways) parts.push(`gateways ${m.gateways.join(',')}`);
  return parts.join(', ') || 'any request';
}

/** StringMatch as a structured condition; a null or empty one asks for presence. */
function stringCondition(m: StringMatchL7 | null | undefined): L7StringCondition {
  if (m?.exact !== undefined) return { type: 'Exact', value: m.exact };
  if (m?.prefix !== undefined) return { type: 'Prefix', value: m.prefix };
  if (m?.regex !== undefined) return { type: 'RegularExpression', value: m.regex };
  return { type: 'Present', value: '' };
}

function named(record: Readonly<Record<string, StringMatchL7 | null>> | undefined, lower: boolean): L7NamedCondition[] {
  return Object.entries(record ?? {}).map(([name, m]) => ({ name: lower ? name.toLowerCase() : name, ...stringCondition(m) }));
}

/** An HTTPMatchRequest as the model's structured conditions. */
function matchConditions(m: VsMatchL7): L7MatchConditions {
  const uri = m.uri;
  const path: L7PathCondition | undefined = !uri ? undefined
    : uri.exact !== undefined ? { type: 'Exact', value: uri.exact }
      : uri.prefix !== undefined ? { type: 'StringPrefix', value: uri.prefix }
        : uri.regex !== undefined ? { type: 'RegularExpression', value: uri.regex } : undefined;
  const source = m.sourceLabels || m.sourceNamespace || m.gateways
    ? { ...(m.sourceLabels ? { labels: m.sourceLabels } : {}), ...(m.sourceNamespace ? { namespace: m.sourceNamespace } : {}), ...(m.gateways ? { gateways: m.gateways } : {}) }
    : undefined;
  return {
    ...(path ? { path: m.ignoreUriCase ? { ...path, ignoreCase: true } : path } : {}),
    ...(m.method ? { method: stringCondition(m.method) } : {}),
    headers: named(m.headers, true),
    ...(m.withoutHeaders ? { withoutHeaders: named(m.withoutHeaders, true) } : {}),
    query: named(m.queryParams, false),
    ...(m.authority ? { authority: stringCondition(m.authority) } : {}),
    ...(m.scheme ? { scheme: stringCondition(m.scheme) } : {}),
    ...(m.port !== undefined ? { port: m.port } : {}),
    ...(source ? { source } : {}),
  };
}

/** A tcp/tls route's match blocks as text (`port 31400`, `sni a.example.com`, ...). */
function l4MatchText(r: VsL4RouteL7): string {
  const blocks = (r.match ?? []).map((m) => [
    m.sniHosts ? `sni ${m.sniHosts.join('|')}` : '', m.port !== undefined ? `port ${m.port}` : '',
    m.gateways ? `gateways ${m.gateways.join('|')}` : '', m.sourceNamespace ? `sourceNamespace ${m.sourceNamespace}` : '',
    m.sourceLabels ? `sourceLabels ${labelsText(m.sourceLabels)}` : '',
  ].filter(Boolean).join(', ') || 'any');
  return blocks.length === 0 ? 'any connection' : blocks.join(' OR ');
}

function routeMatchText(r: VsHttpRouteL7): string {
  const ms = r.match ?? [];
  return ms.length === 0 ? 'any request' : ms.map(matchText).join(' | ');
}

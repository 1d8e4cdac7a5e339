/**
 * Gateway API routing (`gateway.networking.k8s.io/v1`, kubernetes-sigs/gateway-api `apis/v1`):
 * Gateway listeners, HTTPRoute attachment (parentRefs with sectionName/port, allowedRoutes
 * namespaces and kinds, hostname intersection), match precedence, weighted backendRefs with
 * ReferenceGrant checks, filters and timeouts; GAMMA routes whose parent is a Service (GEP-1294,
 * `conformance/tests/mesh`).
 *
 * Indexes, for fast lookups: per listener (and per mesh Service) a host table (exact host, then
 * wildcard suffixes from the most specific, then routes without hostnames) holding one list of
 * matches sorted once by the spec's precedence (`httproute_types.go`, `HTTPRouteRule.Matches`):
 * Exact path, then RegularExpression (implementation-specific: placed after Exact, as Istio and
 * Envoy Gateway do), then the longest PathPrefix, a method, most headers, most query params,
 * the oldest route, `namespace/name` alphabetically, rule order, match order. A request walks
 * its host's list to the first match.
 */
import { matchesSelector } from '../controllers/label-selector';
import type { TraceSource } from '../trace';
import { describeBackend, resolveBackends, type BackendResolver, type BackendTarget, type ProxySource } from './backends';
import { round, type TraceDraft } from './draft';
import { compileRegex, type RegexMatcher, elementPrefixMatch, intersectHostnames, parentDomains, suffixHostMatches, trimTrailingSlash } from './match';
import { compareAge, label, push, type L7Object, type L7Objects } from './parse';
import type { GrpcRouteMatchL7, HttpRouteFilterL7, HttpRouteMatchL7, HttpRouteRuleL7, ListenerL7 } from './kinds';
import type { EntryPointInfo, L7Backend, L7MatchConditions, L7Condition, L7GatewayStatus, L7ListenerSetStatus, L7ListenerStatus, L7ParentStatus, L7Problem, L7RequestInfo, L7Response, L7RouteKind, L7RouteRow, L7RouteStatus, L7Step } from './types';

const GROUP = 'gateway.networking.k8s.io';
/** The request-routing kinds (HTTP semantics): HTTPRoute, and GRPCRoute (gRPC over HTTP/2). */
type RouteObj = L7Object<'HTTPRoute'> | L7Object<'GRPCRoute'>;
/** The connection-routing kinds: TLSRoute (by SNI), TCPRoute, UDPRoute. */
type L4RouteObj = L7Object<'TLSRoute'> | L7Object<'TCPRoute'> | L7Object<'UDPRoute'>;
/** Any route kind that attaches to listeners. */
type AnyRouteObj = RouteObj | L4RouteObj;
type GatewayObj = L7Object<'Gateway'>;
type ListenerSetObj = L7Object<'ListenerSet'>;

/**
 * Route kinds a listener protocol carries (`gateway_types.go` ListenerStatus.SupportedKinds,
 * GEP-2643 for TLS Terminate): HTTP and HTTPS carry HTTPRoute and GRPCRoute, TLS carries TLSRoute
 * (Passthrough and Terminate), TCP carries TCPRoute, UDP carries UDPRoute.
 */
export function supportedKinds(protocol: string): readonly string[] {
  switch (protocol.toUpperCase()) {
    case 'HTTP': case 'HTTPS': return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS': return ['TLSRoute'];
    case 'TCP': return ['TCPRoute'];
    case 'UDP': return ['UDPRoute'];
    default: return [];
  }
}

/** One condition list of an HTTPRouteMatch, compiled. */
interface CompiledMatch {
  readonly pathType: 'Exact' | 'PathPrefix' | 'RegularExpression';
  readonly path: string;
  readonly pathRegex?: RegexMatcher | null;
  readonly method?: string;
  readonly headers: readonly { name: string; type: 'Exact' | 'RegularExpression'; value: string; regex?: RegexMatcher | null }[];
  readonly query: readonly { name: string; type: 'Exact' | 'RegularExpression'; value: string; regex?: RegexMatcher | null }[];
  /** The spec's specificity as one number (smaller sorts first), see {@link specificityKey}. */
  readonly key: number;
  /** The source match, for its text (built lazily: only explanations need it). */
  readonly source: HttpRouteMatchL7;
  /** GRPCRoute matches: the gRPC method match it was translated from (it only takes gRPC requests). */
  readonly grpc?: GrpcRouteMatchL7;
}

const NONE: readonly never[] = [];
const PATH_RANK = { Exact: 0, RegularExpression: 1, PathPrefix: 2 } as const;

/**
 * Exact < RegularExpression < PathPrefix, then longer paths, a method, more headers, more query
 * params first — packed into one number so sorting 20,000 matches compares numbers.
 */
function specificityKey(m: HttpRouteMatchL7): number {
  const len = Math.min(m.path.value.length, 4095);
  const headers = Math.min(m.headers?.length ?? 0, 63);
  const query = Math.min(m.queryParams?.length ?? 0, 63);
  return ((PATH_RANK[m.path.type] * 4096 + (4095 - len)) * 2 + (m.method ? 0 : 1)) * 4096 + (63 - headers) * 64 + (63 - query);
}

/** Texts of compiled matches: every routed request names its match twice, a compiled match never changes. */
const MATCH_TEXT = new WeakMap<CompiledMatch, string>();

/** `PathPrefix /api, method GET, header x=1` */
function matchText(m: CompiledMatch): string {
  let text = MATCH_TEXT.get(m);
  if (text === undefined) {
    text = describeMatch(m);
    MATCH_TEXT.set(m, text);
  }
  return text;
}

function describeMatch(m: CompiledMatch): string {
  if (m.grpc) return grpcMatchText(m.grpc);
  const src = m.source;
  const parts = [`${src.path.type} ${src.path.value}`];
  if (src.method) parts.push(`method ${src.method}`);
  for (const h of src.headers ?? []) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of src.queryParams ?? []) parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(', ');
}

/** An HTTPRouteMatch as the model's structured conditions (header names lower-cased). */
function matchConditions(m: HttpRouteMatchL7): L7MatchConditions {
  return {
    path: { type: m.path.type === 'PathPrefix' ? 'Prefix' : m.path.type, value: m.path.value },
    ...(m.method ? { method: { type: 'Exact', value: m.method } } : {}),
    headers: (m.headers ?? []).map((h) => ({ name: h.name.toLowerCase(), type: h.type, value: h.value })),
    query: (m.queryParams ?? []).map((q) => ({ name: q.name, type: q.type, value: q.value })),
  };
}

/** `method foo.Svc/Get, header x=1` for a GRPCMatch. */
function grpcMatchText(g: GrpcRouteMatchL7): string {
  const parts: string[] = [];
  const meth = g.method;
  if (meth && (meth.service || meth.method)) parts.push(`${meth.type === 'RegularExpression' ? 'method ~' : 'method '}${meth.service ?? '*'}/${meth.method ?? '*'}`);
  else parts.push('any gRPC method');
  for (const h of g.headers ?? []) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  return parts.join(', ');
}

/** RE2 escaping of a literal (service and method names are `[A-Za-z0-9_.]`, but be safe). */
function re2Literal(v: string): string {
  return v.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/**
 * A GRPCRoute match as the HTTP/2 request it selects (gRPC calls are `POST /<service>/<method>`,
 * `grpcroute_types.go` GRPCMethodMatch): service and method -> Exact path, service only ->
 * the `/service/` prefix, method only or RegularExpression -> a path regex.
 */
export function grpcToHttpMatch(g: GrpcRouteMatchL7): HttpRouteMatchL7 {
  const m = g.method;
  let path: HttpRouteMatchL7['path'] = { type: 'PathPrefix', value: '/' };
  if (m && (m.service || m.method)) {
    if (m.type === 'RegularExpression') path = { type: 'RegularExpression', value: `/${m.service ?? '[^/]+'}/${m.method ?? '[^/]+'}` };
    else if (m.service && m.method) path = { type: 'Exact', value: `/${m.service}/${m.method}` };
    else if (m.service) path = { type: 'PathPrefix', value: `/${m.service}` };
    else path = { type: 'RegularExpression', value: `/[^/]+/${re2Literal(m.method ?? '')}` };
  }
  return { path, ...(g.headers ? { headers: g.headers } : {}) };
}

/**
 * GRPCRoute precedence (`grpcroute_types.go` GRPCRouteRule): the most characters in the matched
 * service, then in the method, then the most header matches; packed like {@link specificityKey}.
 */
function grpcSpecificityKey(g: GrpcRouteMatchL7): number {
  const svc = Math.min(g.method?.service?.length ?? 0, 4095);
  const meth = Math.min(g.method?.method?.length ?? 0, 4095);
  const headers = Math.min(g.headers?.length ?? 0, 63);
  return ((4095 - svc) * 4096 + (4095 - meth)) * 64 + (63 - headers);
}

/** A rule of a route with its precomputed parts. */
interface CompiledRule {
  readonly route: RouteObj;
  readonly index: number;
  readonly rule: HttpRouteRuleL7;
  /** Route precedence among routes: creation order rank then name (set after sorting routes). */
  routeRank: number;
}

/** One (rule, match) in a host list. */
interface Entry {
  readonly rule: CompiledRule;
  readonly matchIndex: number;
  readonly match: CompiledMatch;
  /** The hostname the route attached with on this listener (for rows). */
  readonly host: string;
}

/** Hostname buckets of one listener or mesh Service. */
class HostTable {
  readonly exact = new Map<string, Entry[]>();
  readonly wildcard = new Map<string, Entry[]>();
  readonly any: Entry[] = [];

  add(host: string, e: Entry): void {
    if (host === '*' || host === '') this.any.push(e);
    else if (host.startsWith('*.')) push(this.wildcard, host.slice(2), e);
    else push(this.exact, host, e);
  }

  sort(): void {
    for (const l of this.exact.values()) l.sort(compareEntries);
    for (const l of this.wildcard.values()) l.sort(compareEntries);
    this.any.sort(compareEntries);
  }

  /** The bucket for a host: exact, else the most specific wildcard, else the routes without hostnames. */
  lookup(host: string): { list: readonly Entry[]; via: string } | undefined {
    const exact = this.exact.get(host);
    if (exact) return { list: exact, via: `hostname ${host}` };
    for (const d of parentDomains(host)) {
      const w = this.wildcard.get(d);
      if (w) return { list: w, via: `hostname *.${d}` };
    }
    return this.any.length > 0 ? { list: this.any, via: 'routes without hostnames' } : undefined;
  }

  size(): number {
    let n = this.any.length;
    for (const l of this.exact.values()) n += l.length;
    for (const l of this.wildcard.values()) n += l.length;
    return n;
  }

  all(): { host: string; list: readonly Entry[] }[] {
    return [
      ...[...this.exact].map(([host, list]) => ({ host, list })),
      ...[...this.wildcard].map(([d, list]) => ({ host: `*.${d}`, list })),
      ...(this.any.length ? [{ host: '*', list: this.any }] : []),
    ];
  }
}

/** The spec's precedence; ties broken by route rank, rule and match order. */
function compareEntries(a: Entry, b: Entry): number {
  return a.match.key - b.match.key || a.rule.routeRank - b.rule.routeRank || a.rule.index - b.rule.index || a.matchIndex - b.matchIndex;
}

function compareSpecificity(a: CompiledMatch, b: CompiledMatch): number {
  return a.key - b.key;
}

/** Why `loser` ranks below `winner` (first differing criterion). */
function precedenceReason(winner: Entry, loser: Entry): string {
  const w = winner.match;
  const l = loser.match;
  if (w.pathType !== l.pathType) return `${w.pathType} path ${w.path} takes precedence over ${l.pathType}`;
  if (w.path.length !== l.path.length) return `longer ${w.pathType} ${w.path} takes precedence`;
  if (!!w.method !== !!l.method) return 'a method match takes precedence';
  if (w.headers.length !== l.headers.length) return `more header matches (${w.headers.length}) take precedence`;
  if (w.query.length !== l.query.length) return `more query param matches (${w.query.length}) take precedence`;
  if (winner.rule.route !== loser.rule.route) {
    const a = winner.rule.route;
    const b = loser.rule.route;
    if (compareAge(a, b).byTimestamp) return `equal precedence: HTTPRoute ${label(a.ref)} is older`;
    if (a.created && a.created === b.created) return `equal precedence and age: ${label(a.ref)} comes first alphabetically`;
    return `equal precedence: ${label(a.ref)} comes first (creation order not in the manifests; load order used)`;
  }
  return `equal precedence: rule ${winner.rule.index} comes first in the route`;
}

function compileMatch(m: HttpRouteMatchL7, grpc?: GrpcRouteMatchL7): CompiledMatch {
  const headers = m.headers && m.headers.length > 0 ? m.headers.map((h) => ({ name: h.name.toLowerCase(), type: h.type, value: h.value, regex: h.type === 'RegularExpression' ? compileRegex(h.value, 'full') : undefined })) : NONE;
  const query = m.queryParams && m.queryParams.length > 0 ? m.queryParams.map((q) => ({ name: q.name, type: q.type, value: q.value, regex: q.type === 'RegularExpression' ? compileRegex(q.value, 'full') : undefined })) : NONE;
  return {
    pathType: m.path.type, path: m.path.value,
    pathRegex: m.path.type === 'RegularExpression' ? compileRegex(m.path.value, 'full') : undefined,
    method: m.method, headers, query, key: grpc ? grpcSpecificityKey(grpc) : specificityKey(m), source: m, ...(grpc ? { grpc } : {}),
  };
}

/** Why a match does not match, or undefined when it does. */
function mismatch(m: CompiledMatch, path: string, method: string, headers: Readonly<Record<string, string>>, query: Readonly<Record<string, string>>): string | undefined {
  // GRPCRoute rules take gRPC requests only (content-type application/grpc, gRPC over HTTP/2).
  if (m.grpc && !(headers['content-type'] ?? '').startsWith('application/grpc')) return 'GRPCRoute rules take gRPC requests only (content-type application/grpc)';
  switch (m.pathType) {
    case 'Exact': if (path !== m.path) return `Exact ${m.path} is not ${path}`; break;
    case 'PathPrefix': if (!elementPrefixMatch(m.path, path)) return `PathPrefix ${m.path} does not cover ${path} (element-wise)`; break;
    case 'RegularExpression': if (!(m.pathRegex?.test(path) ?? false)) return `path regex ${m.path} does not match ${path}`; break;
  }
  if (m.method && m.method !== method) return `method ${m.method} is not ${method}`;
  for (const h of m.headers) {
    const v = headers[h.name];
    if (v === undefined) return `header ${h.name} is missing`;
    if (h.type === 'Exact' ? v !== h.value : !(h.regex?.test(v) ?? false)) return `header ${h.name}: ${v} does not match ${h.value}`;
  }
  for (const q of m.query) {
    const v = query[q.name];
    if (v === undefined) return `query param ${q.name} is missing (names are case-sensitive)`;
    if (q.type === 'Exact' ? v !== q.value : !(q.regex?.test(v) ?? false)) return `query param ${q.name}=${v} does not match ${q.value}`;
  }
  return undefined;
}

/** One Gateway listener (the Gateway's own, or one a ListenerSet adds). */
interface ListenerInfo {
  readonly gateway: GatewayObj;
  /** The ListenerSet that adds the listener; undefined for the Gateway's own listeners. */
  readonly set?: ListenerSetObj;
  readonly listener: ListenerL7;
  readonly entry: EntryPointInfo;
  /** HTTPRoute and GRPCRoute matches by hostname. */
  readonly table: HostTable;
  /** TLSRoutes by SNI hostname; TCPRoutes and UDPRoutes under `*` (attachment order: oldest first). */
  readonly l4: Map<string, L4Attachment[]>;
  /** Route objects attached (`ListenerStatus.AttachedRoutes`), by `Kind ns/name`. */
  readonly attached?: Set<string>;
  /** The listener's certificateRefs condition (set by checkCertificates when a ref fails). */
  certificate?: L7Condition;
  /** True when the only failure is a Secret missing from the manifests (something else may create it). */
  certificateOpen?: boolean;
  /** The Secret (`namespace/name`) a terminating listener presents: its first certificateRef. */
  certificateSecret?: string;
}

/** A TLSRoute/TCPRoute/UDPRoute attached to a listener, for one hostname. */
interface L4Attachment {
  readonly route: L4RouteObj;
  readonly host: string;
}

/** Routes of one mesh Service (GAMMA), split by the namespace of the route. */
interface MeshService {
  readonly service: string;
  readonly byNamespace: Map<string, { table: HostTable; port?: number }[]>;
}

/** What the Gateway side looks up among the other objects: Secrets (for listener certificates) and any object (parametersRef). */
export interface GatewayLookups {
  /** undefined: no such Secret; `certificate` false when its `tls.crt` holds no PEM certificate. */
  readonly secret: (namespace: string, name: string) => { readonly certificate: boolean } | undefined;
  readonly hasObject: (kind: string, namespace: string, name: string) => boolean;
}
const DEFAULT_LOOKUPS: GatewayLookups = { secret: () => ({ certificate: true }), hasObject: () => true };

/** The compiled Gateway API side of the model. */
export class GatewayRouter {
  /** Attach routes and build the indexes; problems go to `problems`. */
  static build(objects: L7Objects, resolver: BackendResolver, namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined, problems: L7Problem[], lookup: GatewayLookups = DEFAULT_LOOKUPS): GatewayRouter {
    return new GatewayRouter(objects, resolver, namespaceLabels, problems, lookup.secret, lookup.hasObject);
  }

  private readonly listeners = new Map<string, ListenerInfo>();
  private readonly byGateway = new Map<string, ListenerInfo[]>();
  private readonly mesh = new Map<string, MeshService>();
  private readonly meshMerged = new Map<string, HostTable>();
  private readonly statuses: L7RouteStatus[] = [];
  private readonly grants: L7Object<'ReferenceGrant'>[];
  /** Accepted ListenerSets' listeners, by `ns/name` of the set. */
  private readonly bySet = new Map<string, ListenerInfo[]>();
  /** ListenerSets that exist but were not accepted. */
  private readonly refusedSets = new Set<string>();
  /** The Accepted condition of every ListenerSet, in attachment order. */
  private readonly setStatuses: L7ListenerSetStatus[] = [];
  /** BackendTLSPolicy per target Service `ns/name` (the oldest policy wins a conflict). */
  private readonly backendTls = new Map<string, { policy: L7Object<'BackendTLSPolicy'>; hostname: string; section?: string }>();
  /** Gateways by `ns/name` (also those without listeners). */
  private readonly gatewayObjects = new Map<string, GatewayObj>();

  private constructor(objects: L7Objects, private readonly resolver: BackendResolver, private readonly namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined, private readonly problems: L7Problem[], private readonly secret: GatewayLookups['secret'], private readonly hasObject: GatewayLookups['hasObject']) {
    this.grants = [...objects.byKind.ReferenceGrant];
    const classes = new Map(objects.byKind.GatewayClass.map((c) => [c.name, c]));
    for (const gw of objects.byKind.Gateway) {
      this.gatewayObjects.set(label(gw.ref), gw);
      const cls = classes.get(gw.spec.gatewayClassName);
      if (!cls) {
        problems.push({ code: 'gateway-class-missing', severity: 'info', object: gw.ref, path: 'spec.gatewayClassName', message: `Gateway ${label(gw.ref)}: GatewayClass ${gw.spec.gatewayClassName} is not among the manifests (fine when the controller installs it; otherwise the Gateway is never programmed)` });
      }
      const list: ListenerInfo[] = [];
      gw.spec.listeners.forEach((l, i) => {
        const info: ListenerInfo = {
          gateway: gw, listener: l, table: new HostTable(), l4: new Map(), attached: new Set(),
          entry: {
            id: `gateway:${label(gw.ref)}/${l.name}`, kind: 'gateway-listener', name: label(gw.ref), controller: cls?.spec.controllerName,
            listener: l.name, port: l.port, protocol: l.protocol, hostnames: l.hostname ? [l.hostname] : undefined, object: gw.ref,
          },
        };
        this.checkCertificates(info, `spec.listeners[${i}]`);
        this.listeners.set(info.entry.id, info);
        list.push(info);
      });
      this.byGateway.set(label(gw.ref), list);
    }
    this.attachListenerSets(objects.byKind.ListenerSet, classes);

    // Route precedence rank: oldest first, then namespace/name (httproute_types.go, ties across routes).
    const routes: RouteObj[] = [...objects.byKind.HTTPRoute, ...objects.byKind.GRPCRoute].sort(compareRoutes);
    routes.forEach((route, rank) => this.attach(route, rank));
    const l4: L4RouteObj[] = [...objects.byKind.TLSRoute, ...objects.byKind.TCPRoute, ...objects.byKind.UDPRoute].sort(compareRoutes);
    for (const route of l4) this.attachL4(route);
    this.checkBackendTlsPolicies(objects.byKind.BackendTLSPolicy);
    for (const l of this.listeners.values()) l.table.sort();
    for (const st of this.listenerStatus()) {
      const bad = !st.accepted.ok ? st.accepted : st.resolvedRefs.reason === 'InvalidRouteKinds' ? st.resolvedRefs : undefined;
      if (bad) problems.push({ code: 'listener-invalid', severity: 'error', object: st.object, path: 'spec.listeners', message: `${st.object.kind} ${label(st.object)} listener ${st.listener}: ${bad.reason}: ${bad.message}` });
    }
    for (const gw of this.gatewayObjects.values()) {
      const params = this.parametersProblem(gw);
      if (params) problems.push({ code: 'gateway-invalid-parameters', severity: 'warning', object: gw.ref, path: 'spec.infrastructure.parametersRef', message: `Gateway ${label(gw.ref)}: InvalidParameters: ${params}; unless something else creates it, the Gateway is not Accepted` });
    }
    for (const m of this.mesh.values()) for (const list of m.byNamespace.values()) for (const t of list) t.table.sort();
  }

  /** One entry point per listener. */
  entryPoints(): EntryPointInfo[] {
    return [...this.listeners.values()].map((l) => l.entry);
  }

  /** Status of every HTTPRoute. */
  status(): L7RouteStatus[] {
    return this.statuses;
  }

  /** True when a Service has GAMMA routes. */
  hasMeshRoutes(serviceKey: string): boolean {
    return this.mesh.has(serviceKey);
  }

  /**
   * Listeners of every Gateway a request with this scheme/port/host can enter, each Gateway's
   * own choice (most specific listener hostname first), with how well it serves the host
   * (2 a hostname bucket, 1 only routes without hostnames, 0 nothing).
   */
  candidates(scheme: L7RequestInfo['scheme'], port: number, host: string): { id: string; rank: number }[] {
    const out: { id: string; rank: number }[] = [];
    for (const list of this.byGateway.values()) {
      const l = pickListener(list, scheme, port, host);
      if (!l) continue;
      if (scheme === 'tls' || scheme === 'tcp' || scheme === 'udp') {
        const found = l4Lookup(l, host);
        out.push({ id: l.entry.id, rank: !found ? 0 : found.host === '*' ? 1 : 2 });
        continue;
      }
      const found = l.table.lookup(host);
      out.push({ id: l.entry.id, rank: !found ? 0 : found.via === 'routes without hostnames' ? 1 : 2 });
    }
    return out;
  }

  /**
   * Route through a Gateway's own address (`gateway:<ns>/<name>`): the listener of that Gateway
   * the request's scheme, port and host (the SNI for TLS) select, as a client that resolved the
   * Gateway's address would reach it (each Gateway has its own address).
   */
  routeGateway(key: string, draft: TraceDraft, l4: boolean): void {
    const list = this.byGateway.get(key);
    if (!list) { draft.fail('no-entry-point', `no Gateway ${key}`); return; }
    const req = draft.request;
    const l = pickListener(list, req.scheme, req.port, req.sni ?? req.host) ?? (req.scheme === 'https' ? pickListener(list, 'tls', req.port, req.sni ?? req.host) : undefined);
    if (l) { this.route(l.entry.id, draft, l4); return; }
    const onPort = list.filter((x) => x.listener.port === req.port);
    const web = req.scheme === 'http' || req.scheme === 'https';
    draft.fail(onPort.length > 0 && web ? 'no-host' : 'no-entry-point', onPort.length > 0
      ? `no listener of Gateway ${key} on port ${req.port} takes ${req.scheme}:// for ${req.sni ?? req.host} (listeners there: ${onPort.map((x) => `${x.listener.name} ${x.listener.protocol}${x.listener.hostname ? ` ${x.listener.hostname}` : ''}`).join(', ')})${web ? '; the Gateway answers 404' : ''}`
      : `Gateway ${key} has no listener on port ${req.port}: the connection is refused`, onPort.length > 0 && web ? 404 : undefined);
  }

  /** Route through a listener (by entry id). */
  route(entryId: string, draft: TraceDraft, l4: boolean): void {
    const l = this.listeners.get(entryId);
    if (!l) { draft.fail('no-entry-point', `no Gateway listener ${entryId}`); return; }
    const req = draft.request;
    draft.entry = l.entry;
    draft.step('entry', `Gateway ${label(l.gateway.ref)} listener ${l.listener.name} (${l.listener.protocol} port ${l.listener.port}${l.listener.hostname ? `, hostname ${l.listener.hostname}` : ''})`, l.gateway.ref);
    if (l.listener.port !== req.port) draft.step('note', `the request's port ${req.port} is not the listener's ${l.listener.port}; traced through this listener as asked`);
    const proto = l.listener.protocol.toUpperCase();
    if (proto === 'TLS' || proto === 'TCP' || proto === 'UDP') { this.routeL4(l, draft, l4); return; }
    if (req.scheme !== 'http' && req.scheme !== 'https') {
      draft.fail('bad-request', `a ${req.scheme} connection cannot enter ${proto} listener ${l.listener.name}; send http(s):// or grpc:// requests to it`);
      return;
    }
    if (proto === 'HTTPS' && req.sni !== undefined && req.sni !== req.host) {
      // The connection was accepted for the SNI; a Host header another HTTPS listener on the port
      // serves is answered 421 Misdirected Request (RFC 9110 §15.5.20; conformance
      // HTTPRouteHTTPSListenerDetectMisdirectedRequests).
      const list = this.byGateway.get(label(l.gateway.ref)) ?? [];
      const forHost = pickListener(list, 'https', l.listener.port, req.host);
      if (forHost && forHost !== l) {
        draft.step('host', `TLS SNI ${req.sni} selected listener ${l.listener.name}; the Host header ${req.host} belongs to listener ${forHost.listener.name}`);
        draft.fail('misdirected', `421 Misdirected Request: SNI ${req.sni} and Host ${req.host} select different HTTPS listeners (${l.listener.name}, ${forHost.listener.name}) of Gateway ${label(l.gateway.ref)}`, 421);
        return;
      }
    }
    if (l.listener.hostname && !suffixHostMatches(l.listener.hostname, req.host)) {
      draft.fail('misdirected', `listener ${l.listener.name} only accepts hostname ${l.listener.hostname}, not ${req.host}`, 404);
      return;
    }
    if (proto === 'HTTPS' && this.presentCertificate(l, draft) === false) return;
    // The proxy's source only matters to the L4 hop (building it builds the kube-proxy and policy models).
    const from = l4 ? this.resolver.gatewaySource({ namespace: l.gateway.namespace, name: l.gateway.ref.name }) : undefined;
    this.dispatch(l.table, draft, l4, from, `listener ${l.listener.name}`);
  }

  /**
   * A TLS, TCP or UDP listener: TLSRoutes by SNI (exact, then the longest wildcard, then routes
   * without hostnames; `tlsroute_types.go` Hostnames), TCPRoutes/UDPRoutes as attached; the
   * oldest route wins a tie (the others are Conflicted in practice). The connection is forwarded
   * to the rule's weighted backendRefs (a backend that doesn't resolve refuses its share).
   */
  private routeL4(l: ListenerInfo, draft: TraceDraft, l4: boolean): void {
    const req = draft.request;
    const proto = l.listener.protocol.toUpperCase();
    const want = proto === 'TLS' ? 'tls' : proto === 'TCP' ? 'tcp' : 'udp';
    if (req.scheme !== want && !(want === 'tls' && req.scheme === 'https')) {
      draft.fail('bad-request', `${proto} listener ${l.listener.name} takes ${want}:// connections, not ${req.scheme}://`);
      return;
    }
    if (proto === 'TLS') {
      if (l.listener.hostname && !suffixHostMatches(l.listener.hostname, req.host)) {
        draft.fail('no-host', `listener ${l.listener.name} only accepts SNI ${l.listener.hostname}, not ${req.host}`);
        return;
      }
      // GEP-2643: Terminate ends TLS here and forwards plain TCP; Passthrough (also a TLS
      // listener without tls, which admission rejects) forwards the stream, SNI and all.
      if (l.listener.tls?.mode === 'Terminate') {
        const certificate = this.presentCertificate(l, draft);
        if (certificate === false) return;
        draft.tls = { mode: 'Terminate', backendTls: false, ...(certificate ? { certificate } : {}) };
        draft.step('note', `TLS Terminate: the Gateway ends the TLS session for SNI ${req.host}${certificate ? ` with the certificate of Secret ${certificate}` : ''} and forwards the decrypted stream as plain TCP (the backend sees no TLS and no SNI)`);
      } else {
        draft.tls = { mode: 'Passthrough', backendTls: true, sni: req.host };
        draft.step('note', `TLS Passthrough: the Gateway forwards the encrypted stream by its SNI ${req.host}; the backend terminates TLS`);
      }
    }
    const found = l4Lookup(l, req.host);
    if (!found) {
      draft.fail('no-route', `no ${proto === 'TLS' ? `TLSRoute attached to listener ${l.listener.name} serves SNI ${req.host}` : `${proto === 'TCP' ? 'TCPRoute' : 'UDPRoute'} is attached to listener ${l.listener.name}`}: the connection is refused`);
      return;
    }
    const [first, ...rest] = found.list;
    const route = first.route;
    for (const o of rest) draft.lose(`${o.route.ref.kind} ${label(o.route.ref)}`, o.host === '*' ? 'any' : `SNI ${o.host}`, `${route.ref.kind} ${label(route.ref)} is older (or first in load order): the listener uses one route`);
    if (rest.length > 0 && !compareAge(first.route, rest[0].route).byTimestamp) {
      draft.ambiguous('creation-order', `${rest.length + 1} ${route.ref.kind}s are attached to listener ${l.listener.name}${found.host === '*' ? '' : ` for ${found.host}`}; the oldest wins and the manifests carry no creationTimestamp (traced: ${label(route.ref)}, first in load order)`);
    }
    const rule = route.spec.rules[0];
    draft.route = { kind: route.ref.kind as L7RouteKind, object: route.ref, rule: 0, description: found.host === '*' ? 'any connection' : `SNI ${found.host}` };
    draft.step('match', `${route.ref.kind} ${label(route.ref)}${found.host === '*' ? '' : ` (hostname ${found.host})`}`, route.ref);
    if (route.spec.rules.length > 1) draft.step('note', `${route.ref.kind} ${label(route.ref)} has ${route.spec.rules.length} rules; connections use the first (the later rules are not used for this listener)`);
    const refs = rule?.backendRefs ?? [];
    if (refs.length === 0) { draft.fail('no-backend', `${route.ref.kind} ${label(route.ref)} has no backendRefs: the connection is refused`); return; }
    const from = l4 ? this.resolver.gatewaySource({ namespace: l.gateway.namespace, name: l.gateway.ref.name }) : undefined;
    draft.backends = resolveBackends(refs.map((r) => ({ ...this.target(route, r), status: undefined })), this.resolver, { from, l4, invalidStatus: 0, endpoints: true });
    for (const b of draft.backends) draft.step('backend', describeBackend(b));
    draft.finish();
  }

  /**
   * The certificate a terminating listener (HTTPS, TLS Terminate) presents, or false when the
   * handshake cannot complete: a listener whose certificateRefs do not resolve has ResolvedRefs
   * False and is not programmed (`gateway_types.go` ListenerReasonInvalidCertificateRef,
   * ListenerReasonRefNotPermitted). A Secret that is only missing from the manifests may be made
   * by something else (cert-manager): the trace goes on and notes what it assumed.
   */
  private presentCertificate(l: ListenerInfo, draft: TraceDraft): string | undefined | false {
    if (l.certificate && !l.certificate.ok) {
      if (!l.certificateOpen) {
        draft.fail('tls', `listener ${l.listener.name} cannot terminate TLS: ${l.certificate.reason}: ${l.certificate.message}; a listener with unresolved certificateRefs is not programmed, so the handshake fails`);
        return false;
      }
      // A note, not an ambiguity: the finding (listener-certificate-ref, a warning) already says it, and cert-manager setups are common.
      draft.step('note', `listener ${l.listener.name} terminates TLS with a Secret the manifests do not hold (${l.certificate.message}); traced as if it exists`);
    }
    return l.certificateSecret;
  }

  /** GAMMA: route mesh traffic from a pod in `clientNs` to Service `serviceKey` on `port`. */
  routeMesh(serviceKey: string, clientNs: string, port: number, draft: TraceDraft, l4: boolean, from: { source: TraceSource; label: string }): boolean {
    const m = this.mesh.get(serviceKey);
    if (!m) return false;
    const svcNs = serviceKey.split('/')[0];
    // GEP-1294: routes in the client's namespace (consumer routes) replace the Service's own (producer routes).
    const consumer = clientNs !== svcNs ? m.byNamespace.get(clientNs) : undefined;
    const chosen = consumer ?? m.byNamespace.get(svcNs);
    const which = consumer ? `consumer routes in ${clientNs} (they override the producer routes of ${svcNs})` : `producer routes in ${svcNs}`;
    if (!chosen) return false;
    const tables = chosen.filter((t) => t.port === undefined || t.port === port);
    if (tables.length === 0) return false;
    draft.step('route', `GAMMA: HTTPRoutes with parent Service ${serviceKey}: ${which}`);
    // Merge tables of the port-specific and port-less parentRefs into one sorted list (cached).
    const cacheKey = `${serviceKey}|${consumer ? clientNs : svcNs}|${port}`;
    let merged = this.meshMerged.get(cacheKey);
    if (!merged) {
      merged = new HostTable();
      for (const t of tables) for (const e of t.table.any) merged.add('*', e);
      merged.sort();
      this.meshMerged.set(cacheKey, merged);
    }
    this.dispatch(merged, draft, l4, from, `Service ${serviceKey}`);
    return true;
  }

  /** Flattened rows for every listener and mesh Service. */
  routes(): L7RouteRow[] {
    const rows: L7RouteRow[] = [];
    const rowsOf = (entry: string, table: HostTable, parent?: L7RouteRow['parent']): void => {
      for (const { host, list } of table.all()) {
        for (const e of list) rows.push(this.row(entry, host, e, parent));
      }
    };
    for (const l of this.listeners.values()) {
      rowsOf(l.entry.id, l.table);
      for (const [host, list] of l.l4) {
        list.forEach(({ route }, i) => {
          const refs = route.spec.rules[0]?.backendRefs ?? [];
          rows.push({
            entry: l.entry.id, kind: route.ref.kind as L7RouteKind, object: route.ref, host, match: host === '*' ? 'any connection' : `SNI ${host}`,
            conditions: { headers: [], query: [] }, rule: 0,
            backends: refs.map((r) => ({ service: `${r.namespace ?? route.namespace}/${r.name}`, port: r.port, weight: r.weight })),
            action: refs.length === 0 ? 'error' : 'forward',
            note: i > 0 ? `not used: ${label(list[0].route.ref)} is older on this listener` : refs.length === 0 ? 'no backendRefs: connections refused' : undefined,
          });
        });
      }
    }
    for (const m of this.mesh.values()) {
      for (const list of m.byNamespace.values()) for (const t of list) rowsOf('mesh', t.table, { service: m.service, ...(t.port !== undefined ? { port: t.port } : {}) });
    }
    return rows;
  }

  // ---- attachment ----

  private attach(route: RouteObj, rank: number): void {
    let compiled: { r: CompiledRule; matches: CompiledMatch[] }[];
    if (route.key === 'GRPCRoute') {
      // GRPCRoute: each rule as the HTTP/2 matches it selects (a rule without matches takes every gRPC call).
      compiled = (route as L7Object<'GRPCRoute'>).spec.rules.map((rule, index) => {
        const grpcMatches = rule.matches && rule.matches.length > 0 ? rule.matches : [{}];
        const httpRule: HttpRouteRuleL7 = { name: rule.name, matches: grpcMatches.map(grpcToHttpMatch), filters: rule.filters, backendRefs: rule.backendRefs };
        return { r: { route, index, rule: httpRule, routeRank: rank }, matches: grpcMatches.map((g) => compileMatch(grpcToHttpMatch(g), g)) };
      });
    } else {
      compiled = (route as L7Object<'HTTPRoute'>).spec.rules.map((rule, index) => ({ r: { route, index, rule, routeRank: rank }, matches: rule.matches.map((m) => compileMatch(m)) }));
    }
    this.attachTo(route, {
      mesh: (key, port) => {
        const table = new HostTable();
        for (const { r, matches } of compiled) matches.forEach((match, mi) => table.add('*', { rule: r, matchIndex: mi, match, host: '*' }));
        let m = this.mesh.get(key);
        if (!m) { m = { service: key, byNamespace: new Map() }; this.mesh.set(key, m); }
        push(m.byNamespace, route.namespace, { table, port });
      },
      listener: (l, hosts) => {
        for (const h of hosts) {
          for (const { r, matches } of compiled) matches.forEach((match, mi) => l.table.add(h, { rule: r, matchIndex: mi, match, host: h }));
        }
      },
    });
  }

  /** TLSRoute, TCPRoute, UDPRoute: attach to listeners (TLS by SNI hostname), no mesh parents. */
  private attachL4(route: L4RouteObj): void {
    this.attachTo(route, {
      listener: (l, hosts) => {
        for (const h of route.key === 'TLSRoute' ? hosts : ['*']) push(l.l4, h, { route, host: h });
      },
    });
  }

  /**
   * Attachment shared by every route kind (`shared_types.go` ParentReference, GEP-1294 for
   * Service parents, GEP-1713 for ListenerSet parents): resolve each parentRef to listeners or a
   * mesh Service, apply allowedRoutes and hostname intersection, record the status and problems.
   */
  private attachTo(route: AnyRouteObj, to: { mesh?: (serviceKey: string, port: number | undefined) => void; listener: (l: ListenerInfo, hosts: readonly string[]) => void }): void {
    const kind = route.ref.kind;
    const parents: L7ParentStatus[] = [];
    const routeHosts = (route.spec.hostnames ?? []).map((h) => h.toLowerCase());
    if (route.spec.parentRefs.length === 0) {
      parents.push({ parent: '(none)', accepted: false, reason: 'NoParentRefs', message: 'the route has no parentRefs, so no Gateway or Service uses it' });
    }
    for (const [pi, ref] of route.spec.parentRefs.entries()) {
      const ns = ref.namespace ?? route.namespace;
      const at = `spec.parentRefs[${pi}]`;
      if ((ref.group === '' || ref.group === 'core') && ref.kind === 'Service' && to.mesh) {
        const key = `${ns}/${ref.name}`;
        const parent = `Service ${key}${ref.port ? `:${ref.port}` : ''}`;
        if (!this.resolver.service(ns, ref.name)) {
          parents.push({ parent, accepted: false, reason: 'NoMatchingParent', message: `Service ${key} does not exist` });
          this.notAccepted(route, at, `parent Service ${key} does not exist`);
          continue;
        }
        to.mesh(key, ref.port);
        parents.push({ parent, accepted: true, reason: 'Accepted', message: `mesh routes for Service ${key}${route.namespace !== ns ? ` (consumer route for clients in ${route.namespace})` : ''}` });
        continue;
      }
      const parentKind = ref.group === GROUP && (ref.kind === 'Gateway' || ref.kind === 'ListenerSet') ? ref.kind : undefined;
      const parent = `${parentKind ?? 'Gateway'} ${ns}/${ref.name}${ref.sectionName ? `/${ref.sectionName}` : ''}${ref.port ? `:${ref.port}` : ''}`;
      if (!parentKind) {
        const msg = `parent kind ${ref.group ? `${ref.group}/` : ''}${ref.kind} is not a Gateway, ListenerSet${to.mesh ? ' or Service' : ''}: no implementation attaches ${kind}s to it`;
        parents.push({ parent: `${ref.kind} ${ns}/${ref.name}`, accepted: false, reason: 'NoMatchingParent', message: msg });
        this.notAccepted(route, at, msg);
        continue;
      }
      // A route whose parent is the Gateway attaches to the Gateway's own listeners only; a
      // ListenerSet's listeners take routes whose parentRef names the ListenerSet (GEP-1713).
      const list = parentKind === 'Gateway'
        ? this.byGateway.get(`${ns}/${ref.name}`)?.filter((l) => !l.set)
        : this.bySet.get(`${ns}/${ref.name}`);
      if (!list) {
        const msg = `${parentKind} ${ns}/${ref.name} does not exist${parentKind === 'ListenerSet' && this.refusedSets.has(`${ns}/${ref.name}`) ? ' as an accepted ListenerSet (its parent Gateway does not allow it)' : ''}`;
        parents.push({ parent, accepted: false, reason: 'NoMatchingParent', message: msg });
        this.notAccepted(route, at, msg);
        continue;
      }
      const selected = list.filter((l) => (ref.sectionName === undefined || l.listener.name === ref.sectionName) && (ref.port === undefined || l.listener.port === ref.port));
      if (selected.length === 0) {
        const msg = `${parentKind} ${ns}/${ref.name} has no listener${ref.sectionName ? ` named ${ref.sectionName}` : ''}${ref.port ? ` on port ${ref.port}` : ''} (listeners: ${list.map((l) => `${l.listener.name}:${l.listener.port}`).join(', ') || 'none'})`;
        parents.push({ parent, accepted: false, reason: 'NoMatchingParent', message: msg });
        this.notAccepted(route, at, msg);
        continue;
      }
      const accepted: string[] = [];
      const refusals: string[] = [];
      let reason = 'NotAllowedByListeners';
      for (const l of selected) {
        const why = this.refusal(l, route);
        if (why) { refusals.push(`${l.listener.name}: ${why}`); continue; }
        const hosts = routeHosts.length === 0 ? [l.listener.hostname ?? '*'] : routeHosts.map((h) => intersectHostnames(l.listener.hostname, h)).filter((h): h is string => h !== undefined);
        if (hosts.length === 0) {
          refusals.push(`${l.listener.name}: no route hostname (${routeHosts.join(', ')}) intersects listener hostname ${l.listener.hostname}`);
          reason = 'NoMatchingListenerHostname';
          continue;
        }
        accepted.push(l.listener.name);
        l.attached?.add(`${kind} ${label(route.ref)}`);
        to.listener(l, [...new Set(hosts.map((x) => x.toLowerCase()))]);
      }
      if (accepted.length > 0) {
        parents.push({ parent, accepted: true, reason: 'Accepted', message: `attached to listener(s) ${accepted.join(', ')}${refusals.length ? `; not to ${refusals.join('; ')}` : ''}`, listeners: accepted });
      } else {
        parents.push({ parent, accepted: false, reason, message: refusals.join('; ') });
        this.notAccepted(route, at, refusals.join('; '));
      }
    }
    this.statuses.push({ object: route.ref, parents, resolvedRefs: this.checkBackends(route) });
  }

  /**
   * ListenerSets (GEP-1713, `listenerset_types.go`): a set is accepted when its parent Gateway
   * exists and `spec.allowedListeners` admits the set's namespace (the default admits none);
   * its listeners then join the Gateway's, after the Gateway's own and older sets' listeners,
   * and a listener on a port+hostname already taken is Conflicted.
   */
  private attachListenerSets(sets: readonly ListenerSetObj[], classes: ReadonlyMap<string, L7Object<'GatewayClass'>>): void {
    const sorted = [...sets].sort((a, b) => compareAge(a, b).cmp || (label(a.ref) < label(b.ref) ? -1 : 1));
    for (const set of sorted) {
      const pr = set.spec.parentRef;
      const gwKey = `${pr.namespace ?? set.namespace}/${pr.name}`;
      const list = pr.group === GROUP && pr.kind === 'Gateway' ? this.byGateway.get(gwKey) : undefined;
      const refuse = (message: string, reason = 'Invalid'): void => {
        this.refusedSets.add(label(set.ref));
        this.setStatuses.push({ object: set.ref, parent: gwKey, accepted: { ok: false, reason, message } });
        this.problems.push({ code: 'listenerset-not-accepted', severity: 'error', object: set.ref, path: 'spec.parentRef', message: `ListenerSet ${label(set.ref)}: not Accepted: ${message}; its listeners serve nothing` });
      };
      if (!list) { refuse(`parent ${pr.kind} ${gwKey} does not exist`); continue; }
      const gw = list[0]?.gateway ?? this.gatewayObjects.get(gwKey);
      if (!gw) { refuse(`parent Gateway ${gwKey} does not exist`); continue; }
      const allowed = gw.spec.allowedListeners.namespaces;
      const why = allowed.from === 'None' ? `Gateway ${gwKey} allows no ListenerSets (spec.allowedListeners.namespaces.from is None, the default)`
        : allowed.from === 'Same' && set.namespace !== gw.namespace ? `Gateway ${gwKey} allows ListenerSets from its own namespace only (allowedListeners from Same)`
          : allowed.from === 'Selector' && !(allowed.selector && matchesSelector(allowed.selector, this.namespaceLabels(set.namespace) ?? { 'kubernetes.io/metadata.name': set.namespace })) ? `namespace ${set.namespace} does not match Gateway ${gwKey} allowedListeners.namespaces.selector`
            : undefined;
      if (why) { refuse(`NotAllowed: ${why}`, 'NotAllowed'); continue; }
      const cls = classes.get(gw.spec.gatewayClassName);
      const mine: ListenerInfo[] = [];
      set.spec.listeners.forEach((l, i) => {
        const clash = list.find((o) => o.listener.port === l.port && (o.listener.hostname ?? '') === (l.hostname ?? ''));
        if (clash) {
          this.problems.push({ code: 'listenerset-not-accepted', severity: 'error', object: set.ref, path: `spec.listeners[${i}]`, message: `ListenerSet ${label(set.ref)} spec.listeners[${i}]: listener ${l.name} is Conflicted: port ${l.port}${l.hostname ? ` hostname ${l.hostname}` : ''} is already served by ${clash.set ? `ListenerSet ${label(clash.set.ref)}` : `Gateway ${gwKey}`} listener ${clash.listener.name} (it takes precedence)` });
          return;
        }
        const info: ListenerInfo = {
          gateway: gw, set, listener: l, table: new HostTable(), l4: new Map(), attached: new Set(),
          entry: {
            id: `listenerset:${label(set.ref)}/${l.name}`, kind: 'gateway-listener', name: label(gw.ref), controller: cls?.spec.controllerName,
            listener: l.name, port: l.port, protocol: l.protocol, hostnames: l.hostname ? [l.hostname] : undefined, object: set.ref,
          },
        };
        this.checkCertificates(info, `spec.listeners[${i}]`);
        this.listeners.set(info.entry.id, info);
        list.push(info);
        mine.push(info);
      });
      this.bySet.set(label(set.ref), mine);
      // Listeners Conflicted, or whose certificateRefs do not resolve (conformance ListenerSetReferenceGrant), are not valid:
      // ListenersNotValid is True while some valid listener is left, False when none is (listenerset_types.go).
      const valid = mine.filter((l) => l.certificate === undefined || l.certificate.ok);
      const invalid = set.spec.listeners.length - valid.length;
      this.setStatuses.push({ object: set.ref, parent: gwKey, accepted: invalid === 0 ? { ok: true, reason: 'Accepted', message: `attached to Gateway ${gwKey}` }
        : { ok: valid.length > 0, reason: 'ListenersNotValid', message: `${invalid} of ${set.spec.listeners.length} listener(s) Conflicted or with unresolved certificateRefs` } });
    }
  }

  /** The Accepted condition of each ListenerSet (GEP-1713). */
  listenerSetStatus(): L7ListenerSetStatus[] {
    return [...this.setStatuses];
  }

  /**
   * BackendTLSPolicy (`backendtlspolicy_types.go`): TLS from the Gateway to the target Services.
   * Targets must be existing Services (else the policy is not Accepted, TargetNotFound); a policy
   * is remembered per Service so traces say the Gateway originates TLS to it. Certificate
   * validation itself is not simulated (reported).
   */
  private checkBackendTlsPolicies(policies: readonly L7Object<'BackendTLSPolicy'>[]): void {
    for (const p of policies) {
      p.spec.targetRefs.forEach((t, i) => {
        const at = `spec.targetRefs[${i}]`;
        if (!((t.group === '' || t.group === 'core') && t.kind === 'Service')) {
          this.problems.push({ code: 'not-simulated', severity: 'info', object: p.ref, path: at, message: `BackendTLSPolicy ${label(p.ref)} ${at}: target kind ${t.group ? `${t.group}/` : ''}${t.kind} is not simulated (only core Services)` });
          return;
        }
        if (!this.resolver.service(p.namespace, t.name)) {
          this.problems.push({ code: 'backend-not-found', severity: 'error', object: p.ref, path: at, message: `BackendTLSPolicy ${label(p.ref)} ${at}: Service ${p.namespace}/${t.name} does not exist: the policy is not Accepted (TargetNotFound)` });
          return;
        }
        const key = `${p.namespace}/${t.name}`;
        if (!this.backendTls.has(key)) this.backendTls.set(key, { policy: p, hostname: p.spec.validation.hostname, section: t.sectionName });
      });
    }
  }

  /**
   * Listener `tls.certificateRefs` (`gateway_types.go` GatewayTLSConfig; conformance
   * GatewayInvalidTLSConfiguration, GatewaySecretMissingReferenceGrant): each must be a core
   * Secret, in another namespace only with a ReferenceGrant from Gateways, and exist; a listener
   * whose refs don't resolve gets ResolvedRefs False / InvalidCertificateRef (RefNotPermitted).
   */
  private checkCertificates(l: ListenerInfo, at: string): void {
    const proto = l.listener.protocol.toUpperCase();
    const terminate = proto === 'HTTPS' || (proto === 'TLS' && l.listener.tls?.mode === 'Terminate');
    if (!terminate) return;
    const owner = l.set ?? l.gateway;
    const refs = l.listener.tls?.certificateRefs ?? [];
    const where = `${owner.ref.kind} ${label(owner.ref)} ${at}`;
    if (refs.length === 0) {
      // `certificateRefs or options must be specified when mode is Terminate` (ListenerTLSConfig):
      // options name certificates in an implementation's own way, which is not simulated.
      const options = (l.listener.tls as { options?: Record<string, unknown> } | undefined)?.options ?? {};
      if (Object.keys(options).length > 0) {
        this.problems.push({ code: 'not-simulated', severity: 'info', object: owner.ref, path: `${at}.tls.options`, message: `${where}: ${proto} listener ${l.listener.name} terminates TLS with a certificate named by implementation-specific tls.options (not simulated)` });
      } else {
        this.problems.push({ code: 'listener-certificate-ref', severity: 'error', object: owner.ref, path: `${at}.tls`, message: `${where}: InvalidCertificateRef: ${proto} listener ${l.listener.name} terminates TLS but names no certificateRefs` });
      }
      return;
    }
    l.certificateSecret = `${refs[0].namespace ?? owner.namespace}/${refs[0].name}`;
    refs.forEach((c, k) => {
      const cAt = `${at}.tls.certificateRefs[${k}]`;
      const ns = c.namespace ?? owner.namespace;
      const bad = (reason: string, message: string, severity: L7Problem['severity'] = 'error'): void => {
        this.problems.push({ code: 'listener-certificate-ref', severity, object: owner.ref, path: cAt, message: `${where}: ${reason}: ${message}` });
        // The first failure is the condition; one that certainly fails wins over a Secret only missing from the manifests.
        if (l.certificate === undefined || (l.certificateOpen && severity === 'error')) {
          l.certificate = { ok: false, reason, message };
          l.certificateOpen = severity !== 'error';
        }
      };
      if (!((c.group === '' || c.group === 'core') && c.kind === 'Secret')) {
        bad('InvalidCertificateRef', `certificateRef kind ${c.group ? `${c.group}/` : ''}${c.kind} is not a core Secret`);
      } else if (ns !== owner.namespace && !this.grants.some((g) => g.namespace === ns
        && g.spec.from.some((f) => f.group === GROUP && f.kind === owner.ref.kind && f.namespace === owner.namespace)
        && g.spec.to.some((t) => (t.group === '' || t.group === 'core') && t.kind === 'Secret' && (!t.name || t.name === c.name)))) {
        bad('RefNotPermitted', `Secret ${ns}/${c.name} is in another namespace and no ReferenceGrant in ${ns} allows ${owner.ref.kind}s from ${owner.namespace}`);
      } else {
        const secret = this.secret(ns, c.name);
        if (secret === undefined) {
          bad('InvalidCertificateRef', `Secret ${ns}/${c.name} is not among the manifests; unless something else creates it (cert-manager, a sealed secret), listener ${l.listener.name} is not programmed`, 'warning');
        } else if (secret.certificate === false) {
          // GatewayInvalidTLSConfiguration (malformed-certificate): a Secret whose tls.crt holds no PEM certificate.
          bad('InvalidCertificateRef', `Secret ${ns}/${c.name} has no PEM certificate in tls.crt (a malformed Secret): listener ${l.listener.name} cannot terminate TLS`);
        }
      }
    });
  }

  /**
   * Listener and Gateway status (`gateway_types.go` ListenerConditionType / GatewayConditionType;
   * conformance GatewayListenerUnsupportedProtocol, GatewayInvalidRouteKind,
   * GatewayInvalidTLSConfiguration, GatewaySecret*, GatewayWithAttachedRoutes): Accepted False
   * (UnsupportedProtocol) for a protocol no route kind uses; ResolvedRefs False for a
   * certificateRef that fails (InvalidCertificateRef, RefNotPermitted) or an allowedRoutes kind
   * the listener cannot carry (InvalidRouteKinds); the routes attached.
   */
  listenerStatus(): L7ListenerStatus[] {
    const out: L7ListenerStatus[] = [];
    for (const l of this.listeners.values()) {
      const proto = l.listener.protocol.toUpperCase();
      const own = supportedKinds(proto);
      const asked = l.listener.allowedRoutes.kinds;
      const supported = asked && asked.length > 0 ? asked.filter((k) => k.group === GROUP && own.includes(k.kind)).map((k) => k.kind) : [...own];
      const invalidKinds = (asked ?? []).filter((k) => !(k.group === GROUP && own.includes(k.kind))).map((k) => k.kind);
      const accepted: L7Condition = own.length === 0
        ? { ok: false, reason: 'UnsupportedProtocol', message: `protocol ${l.listener.protocol} is not one the Gateway API defines (HTTP, HTTPS, TLS, TCP, UDP)` }
        : { ok: true, reason: 'Accepted', message: 'the listener is valid' };
      const resolvedRefs: L7Condition = l.certificate
        ?? (invalidKinds.length > 0 ? { ok: false, reason: 'InvalidRouteKinds', message: `allowedRoutes.kinds ${invalidKinds.join(', ')} cannot attach to a ${l.listener.protocol} listener` } : { ok: true, reason: 'ResolvedRefs', message: 'every reference resolves' });
      out.push({ object: (l.set ?? l.gateway).ref, listener: l.listener.name, supportedKinds: accepted.ok ? supported : [], attachedRoutes: l.attached?.size ?? 0, accepted, resolvedRefs });
    }
    return out;
  }

  /** Gateway Accepted: ListenersNotValid when a listener is not Accepted (False when none is), InvalidParameters for an unresolved `infrastructure.parametersRef`. */
  gatewayStatus(): L7GatewayStatus[] {
    const listeners = this.listenerStatus();
    const out: L7GatewayStatus[] = [];
    for (const gw of this.gatewayObjects.values()) {
      const own = listeners.filter((s) => s.object === gw.ref);
      const invalid = own.filter((s) => !s.accepted.ok);
      const params = this.parametersProblem(gw);
      const accepted: L7Condition = params ? { ok: false, reason: 'InvalidParameters', message: params }
        : invalid.length > 0 ? { ok: invalid.length < own.length, reason: 'ListenersNotValid', message: `listener(s) ${invalid.map((s) => s.listener).join(', ')} not Accepted` }
          : { ok: true, reason: 'Accepted', message: 'the Gateway is valid' };
      const key = label(gw.ref);
      const attachedListenerSets = this.setStatuses.filter((st) => st.parent === key && st.accepted.ok).length;
      out.push({ object: gw.ref, accepted, attachedListenerSets });
    }
    return out;
  }

  /** `spec.infrastructure.parametersRef` naming an object the manifests do not hold. */
  private parametersProblem(gw: GatewayObj): string | undefined {
    const infra = (gw.spec as { infrastructure?: { parametersRef?: { group?: string; kind?: string; name?: string } } }).infrastructure;
    const ref = infra?.parametersRef;
    if (!ref?.name || !ref.kind) return undefined;
    if (this.hasObject(ref.kind, gw.namespace, ref.name)) return undefined;
    return `spec.infrastructure.parametersRef ${ref.group ? `${ref.group}/` : ''}${ref.kind} ${gw.namespace}/${ref.name} is not among the manifests`;
  }

  /** Why a listener refuses a route (protocol, allowedRoutes kinds and namespaces), or undefined. */
  private refusal(l: ListenerInfo, route: AnyRouteObj): string | undefined {
    const proto = l.listener.protocol.toUpperCase();
    const kind = route.ref.kind;
    if (!supportedKinds(proto).includes(kind)) return `protocol ${l.listener.protocol} does not carry ${kind}s (it takes ${supportedKinds(proto).join(', ') || 'no route kind we know'})`;
    if (proto === 'HTTPS' && l.listener.tls?.mode === 'Passthrough') return 'TLS Passthrough listeners take TLSRoutes';
    const kinds = l.listener.allowedRoutes.kinds;
    if (kinds && kinds.length > 0 && !kinds.some((k) => k.kind === kind && k.group === GROUP)) {
      return `allowedRoutes.kinds (${kinds.map((k) => k.kind).join(', ')}) excludes ${kind}`;
    }
    const ns = l.listener.allowedRoutes.namespaces;
    // allowedRoutes of a ListenerSet listener are relative to the ListenerSet's namespace.
    const gwNs = (l.set ?? l.gateway).namespace;
    switch (ns.from) {
      case 'All': return undefined;
      case 'None': return 'allowedRoutes.namespaces.from is None';
      case 'Same': return route.namespace === gwNs ? undefined : `allowedRoutes.namespaces.from is Same (the default): only routes in ${gwNs} attach, this one is in ${route.namespace}`;
      case 'Selector': {
        const labels = this.namespaceLabels(route.namespace) ?? { 'kubernetes.io/metadata.name': route.namespace };
        return ns.selector && matchesSelector(ns.selector, labels) ? undefined : `namespace ${route.namespace} does not match allowedRoutes.namespaces.selector`;
      }
    }
    return undefined;
  }

  private notAccepted(route: AnyRouteObj, at: string, message: string): void {
    this.problems.push({ code: 'route-not-accepted', severity: 'error', object: route.ref, path: at, message: `${route.ref.kind} ${label(route.ref)} ${at}: not Accepted: ${message}` });
  }

  /** A backendRef as a target: kind, ReferenceGrant, existence (ResolvedRefs reasons). */
  private target(route: AnyRouteObj, ref: { readonly group: string; readonly kind: string; readonly name: string; readonly namespace?: string; readonly port?: number; readonly weight: number }): BackendTarget {
    const ns = ref.namespace ?? route.namespace;
    const base = { namespace: ns, name: ref.name, port: ref.port, weight: ref.weight };
    if (ref.group === 'multicluster.x-k8s.io' && ref.kind === 'ServiceImport') {
      // An extended kind (Multi-cluster Services, KEP-1645): implementations that support it route to the exported Service in other clusters.
      return { ...base, invalid: `ServiceImport ${ns}/${ref.name} (extended backend kind, multi-cluster): its endpoints live in other clusters, outside the simulation`, status: 500 };
    }
    if (!((ref.group === '' || ref.group === 'core') && ref.kind === 'Service')) {
      return { ...base, invalid: `InvalidKind: backendRef kind ${ref.group ? `${ref.group}/` : ''}${ref.kind} is not a Service`, status: 500 };
    }
    if (ns !== route.namespace && !this.granted(route, ns, ref.name)) {
      return { ...base, invalid: `RefNotPermitted: Service ${ns}/${ref.name} is in another namespace and no ReferenceGrant in ${ns} allows ${route.ref.kind}s from ${route.namespace}`, status: 500 };
    }
    if (ref.port === undefined) return { ...base, invalid: `backendRef to Service ${ns}/${ref.name} has no port (required for Services)`, status: 500 };
    return base;
  }

  /**
   * A cross-namespace backend is allowed: a ReferenceGrant in `toNs` admits the route's kind from
   * its namespace, or (GEP-1294 / GEP-1426 consumer routes) the route is a mesh route and the
   * backend is the very Service it is attached to: a consumer route sends to its parent
   * Service's namespace without a grant.
   */
  private granted(route: AnyRouteObj, toNs: string, name: string): boolean {
    const fromNs = route.namespace;
    if (route.spec.parentRefs.some((p) => (p.group === '' || p.group === 'core') && p.kind === 'Service' && (p.namespace ?? fromNs) === toNs && p.name === name)) return true;
    return this.grants.some((g) => g.namespace === toNs
      && g.spec.from.some((f) => f.group === GROUP && f.kind === route.ref.kind && f.namespace === fromNs)
      && g.spec.to.some((t) => (t.group === '' || t.group === 'core') && t.kind === 'Service' && (t.name === undefined || t.name === '' || t.name === name)));
  }

  private checkBackends(route: AnyRouteObj): L7RouteStatus['resolvedRefs'] {
    let bad: { reason: string; message: string } | undefined;
    const rules: readonly { readonly backendRefs?: readonly Parameters<GatewayRouter['target']>[1][] }[] = route.spec.rules;
    rules.forEach((rule, ri) => (rule.backendRefs ?? []).forEach((ref, bi) => {
      const at = `spec.rules[${ri}].backendRefs[${bi}]`;
      const t = this.target(route, ref);
      let invalid = t.invalid;
      let code: L7Problem['code'] = invalid?.startsWith('InvalidKind') ? 'backend-invalid-kind' : invalid?.startsWith('RefNotPermitted') ? 'ref-not-permitted' : 'backend-port';
      if (!invalid) {
        const r = this.resolver.resolvePort(t.namespace, t.name, t.port);
        if (!r.ok) { invalid = r.message; code = r.reason === 'service' ? 'backend-not-found' : 'backend-port'; }
      }
      if (invalid?.startsWith('ServiceImport')) {
        // Supported by multi-cluster implementations (extended): not an error, but not simulated.
        this.problems.push({ code: 'not-simulated', severity: 'info', object: route.ref, path: at, message: `${route.ref.kind} ${label(route.ref)} ${at}: ${invalid}; the trace shows its share as not routed` });
        return;
      }
      if (invalid) {
        const l4 = route.key !== 'HTTPRoute' && route.key !== 'GRPCRoute';
        this.problems.push({ code, severity: 'error', object: route.ref, path: at, message: `${route.ref.kind} ${label(route.ref)} ${at}: ${invalid}; ${l4 ? 'its share of connections is refused' : 'its share of requests gets 500'}` });
        bad ??= { reason: code === 'backend-invalid-kind' ? 'InvalidKind' : code === 'ref-not-permitted' ? 'RefNotPermitted' : 'BackendNotFound', message: invalid };
      }
    }));
    return bad ? { ok: false, ...bad } : { ok: true, reason: 'ResolvedRefs', message: 'every backendRef resolves' };
  }

  // ---- request time ----

  private dispatch(table: HostTable, draft: TraceDraft, l4: boolean, from: ProxySource | undefined, where: string): void {
    const req = draft.request;
    const found = table.lookup(req.host);
    if (!found) {
      draft.fail('no-host', `no HTTPRoute attached to ${where} serves host ${req.host}; the Gateway answers 404`, 404);
      return;
    }
    draft.step('host', `${req.host}: ${found.via} (${found.list.length} match(es) in precedence order)`);
    const list = found.list;
    let winner = -1;
    for (let i = 0; i < list.length; i++) {
      if (mismatch(list[i].match, req.path, req.method, req.headers, req.query) === undefined) { winner = i; break; }
    }
    if (draft.explain) {
      for (let i = 0; i < list.length; i++) {
        if (i === winner) continue;
        const e = list[i];
        const why = mismatch(e.match, req.path, req.method, req.headers, req.query);
        draft.lose(`${e.rule.route.ref.kind} ${label(e.rule.route.ref)} rule[${e.rule.index}]`, matchText(e.match), why ?? (winner >= 0 ? precedenceReason(list[winner], e) : 'not reached'));
      }
    }
    if (winner < 0) {
      draft.fail('no-route', `no rule of the HTTPRoutes for ${req.host} on ${where} matches ${req.method} ${req.path}; the Gateway answers 404`, 404);
      return;
    }
    const w = list[winner];
    // Equal precedence decided only by an order the manifests don't fix.
    for (let i = winner + 1; i < list.length && compareSpecificity(list[i].match, w.match) === 0; i++) {
      const o = list[i];
      if (o.rule.route === w.rule.route) continue;
      if (mismatch(o.match, req.path, req.method, req.headers, req.query) !== undefined) continue;
      if (!compareAge(w.rule.route, o.rule.route).byTimestamp && !(w.rule.route.created && w.rule.route.created === o.rule.route.created)) {
        draft.ambiguous('creation-order', `HTTPRoute ${label(w.rule.route.ref)} and ${label(o.rule.route.ref)} match ${req.path} with equal precedence; the oldest route wins and the manifests carry no creationTimestamp (traced: ${label(w.rule.route.ref)}, first in load order)`);
      }
    }
    const route = w.rule.route;
    draft.route = { kind: route.ref.kind as L7RouteKind, object: route.ref, rule: w.rule.index, match: w.matchIndex, description: matchText(w.match) };
    draft.step('match', `${route.ref.kind} ${label(route.ref)} rule[${w.rule.index}]${w.rule.rule.name ? ` (${w.rule.rule.name})` : ''} matches[${w.matchIndex}]: ${matchText(w.match)}`, route.ref);
    const rule = w.rule.rule;
    if (rule.timeouts) {
      const t: Record<string, string> = {};
      if (rule.timeouts.request) t.request = rule.timeouts.request;
      if (rule.timeouts.backendRequest) t.backendRequest = rule.timeouts.backendRequest;
      draft.timeouts = t;
      draft.step('timeout', `timeouts: ${Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ')}${Object.values(t).includes('0s') ? ' (0s disables the timeout)' : ''}`);
    }
    draft.upstream = { host: req.host, path: req.path, headers: { ...req.headers } };
    const mirrorRefs: FilterOutcome['mirrors'] = [];
    if (this.applyFilters(rule.filters ?? [], w.match, draft, mirrorRefs)) return;
    const refs = rule.backendRefs ?? [];
    if (refs.length === 0) {
      draft.fail('no-backend', `${route.ref.kind} ${label(route.ref)} rule[${w.rule.index}] has no backendRefs: the Gateway answers 500`, 500);
      return;
    }
    const targets = refs.map((r) => this.target(route, r));
    if (l4 && from) draft.step('l4', `${where.startsWith('listener') ? 'the Gateway' : 'the sidecar'} connects to the Service; traced from ${from.label}${from.policySource ? `; ${from.policySource.note}` : ''}`);
    const backends = resolveBackends(targets, this.resolver, { from, l4, invalidStatus: 500, endpoints: true });
    // backendRef filters (`httproute_types.go` HTTPBackendRef.Filters) apply only to the share
    // sent to that backend: a RequestRedirect answers that share, a rewrite changes what it sees.
    const shares: L7Backend[] = backends.map((b, i) => {
      const bf = refs[i].filters ?? [];
      if (bf.length === 0 || b.invalid) return b;
      const sub = new FilterOutcome(req, copyUpstream(draft.upstream, req));
      applyFilterList(bf, w.match, sub);
      // A backendRef's RequestMirror copies only that backend's share.
      for (const mm of sub.mirrors) mirrorRefs.push({ ref: mm.ref, share: mm.share * b.probability });
      draft.step('filter', `backend ${b.service} filters (its ${Math.round(b.probability * 100)}% share): ${sub.notes.join('; ')}`);
      if (sub.response) return { ...b, response: sub.response };
      // Each backendRef's filters change only its own share's request (HTTPBackendRef.Filters).
      return bf.some((f) => f.type === 'URLRewrite' || f.type === 'RequestHeaderModifier') ? { ...b, upstream: sub.upstream } : b;
    });
    draft.backends = shares;
    if (mirrorRefs.length > 0) {
      // Mirrors: resolved like backendRefs (kind, ReferenceGrant, existence); a copy that cannot be
      // delivered is reported, the primary request is unaffected (`HTTPRequestMirrorFilter`).
      const mirrorTargets = mirrorRefs.map((mm) => ({ ...this.target(route, { ...mm.ref, weight: 1 }), status: undefined }));
      const resolved = resolveBackends(mirrorTargets, this.resolver, { from, l4, invalidStatus: 0, endpoints: true });
      draft.mirrors = resolved.map((b, i) => ({ service: b.service, ...(b.port !== undefined ? { port: b.port } : {}), probability: round(mirrorRefs[i].share), ...(b.invalid ? { invalid: b.invalid } : {}), ...(b.l4 ? { l4: b.l4 } : {}) }));
      for (const mm of draft.mirrors) draft.step('backend', `mirror: a copy of ${mm.probability === 1 ? 'every request' : `${round(mm.probability * 100)}% of requests`} to ${mm.service}${mm.port !== undefined ? `:${mm.port}` : ''}${mm.invalid ? ` cannot be delivered: ${mm.invalid}` : ''} (its response is discarded; the answer comes from the primary backend)`);
    }
    for (const b of shares) {
      draft.step('backend', describeBackend(b));
      const tls = this.backendTls.get(b.service);
      if (tls) draft.step('note', `BackendTLSPolicy ${label(tls.policy.ref)}: the Gateway connects to ${b.service} with TLS, SNI ${tls.hostname} (certificate validation not simulated)`, tls.policy.ref);
    }
    const live = shares.filter((b) => b.probability > 0 && !b.invalid);
    const answered = live.filter((b) => b.response);
    if (live.length > 0 && answered.length === live.length && answered.every((b) => b.response?.status === answered[0].response?.status && b.response?.location === answered[0].response?.location)) {
      // Every share is redirected the same way: the request is answered.
      draft.response = answered[0].response;
      draft.step('redirect', `RequestRedirect (backendRef filter): ${draft.response?.status} to ${draft.response?.location}`);
    } else if (live.length === 1 && live[0].upstream) {
      // One backend takes every request: what it sees is what the request becomes.
      draft.upstream = { ...live[0].upstream, headers: { ...live[0].upstream.headers } };
    }
    draft.finish();
  }

  /** Rule filters in order; true when a redirect answered the request. RequestMirror filters go to `mirrors`. */
  private applyFilters(filters: readonly HttpRouteFilterL7[], match: CompiledMatch, draft: TraceDraft, mirrors: FilterOutcome['mirrors']): boolean {
    const req = draft.request;
    const out = new FilterOutcome(req, draft.upstream ?? { host: req.host, path: req.path, headers: { ...req.headers } });
    applyFilterList(filters, match, out);
    for (const st of out.steps) draft.step(st.stage, st.message);
    draft.upstream = out.upstream;
    if (out.responseHeaders) draft.responseHeaders = out.responseHeaders;
    mirrors.push(...out.mirrors);
    if (out.response) {
      draft.response = out.response;
      draft.finish();
      return true;
    }
    return false;
  }

  private row(entry: string, host: string, e: Entry, parent?: L7RouteRow['parent']): L7RouteRow {
    const rule = e.rule.rule;
    const redirect = (rule.filters ?? []).find((f) => f.type === 'RequestRedirect');
    const refs = rule.backendRefs ?? [];
    return {
      entry, kind: e.rule.route.ref.kind as L7RouteKind, object: e.rule.route.ref, host, match: matchText(e.match), conditions: matchConditions(e.match.source),
      rule: e.rule.index, matchIndex: e.matchIndex, ...(parent ? { parent } : {}),
      backends: refs.map((r) => ({ service: `${r.namespace ?? e.rule.route.namespace}/${r.name}`, port: r.port, weight: r.weight })),
      action: redirect ? 'redirect' : refs.length === 0 ? 'error' : 'forward',
      note: redirect ? `redirect ${redirect.requestRedirect?.statusCode ?? 302}` : refs.length === 0 ? 'no backendRefs: 500' : undefined,
    };
  }
}

/** What a filter list does to one request: the upstream request it leaves, or a response (redirect). */
class FilterOutcome {
  response?: L7Response;
  /** RequestMirror filters met, with the share each mirrors. */
  readonly mirrors: { ref: NonNullable<HttpRouteFilterL7['requestMirror']>['backendRef']; share: number }[] = [];
  /** ResponseHeaderModifier changes (null: removed). */
  responseHeaders?: Record<string, string | null>;
  readonly steps: { stage: L7Step['stage']; message: string }[] = [];
  constructor(readonly req: L7RequestInfo, public upstream: { host: string; path: string; headers: Record<string, string> }) {}

  get notes(): string[] {
    return this.steps.map((st) => st.message);
  }
}

/**
 * Filters in order (`httproute_types.go` HTTPRouteFilter): header modifiers and URLRewrite change
 * the upstream request, RequestRedirect answers it (and ends the list), RequestMirror and
 * ResponseHeaderModifier are described; other types (ExtensionRef, CORS, ...) are reported as not
 * simulated.
 */
function applyFilterList(filters: readonly HttpRouteFilterL7[], match: CompiledMatch, out: FilterOutcome): void {
  const req = out.req;
  const up = out.upstream;
  for (const f of filters) {
    switch (f.type) {
      case 'RequestHeaderModifier': {
        const m = f.requestHeaderModifier;
        for (const h of m?.set ?? []) up.headers[h.name.toLowerCase()] = h.value;
        for (const h of m?.add ?? []) { const k = h.name.toLowerCase(); up.headers[k] = up.headers[k] !== undefined ? `${up.headers[k]},${h.value}` : h.value; }
        for (const n of m?.remove ?? []) delete up.headers[n.toLowerCase()];
        out.steps.push({ stage: 'filter', message: `RequestHeaderModifier: ${filterText(f)}` });
        break;
      }
      case 'RequestRedirect': {
        const r = f.requestRedirect;
        const scheme = r?.scheme ?? req.scheme;
        const host = r?.hostname ?? req.host;
        // Port: explicit, else the scheme's well-known port when the scheme changes, else the listener's port.
        const port = r?.port ?? (r?.scheme ? (scheme === 'https' ? 443 : 80) : req.port);
        const showPort = !((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443));
        const path = r?.path ? rewritePath(r.path, match, req.path) : req.path;
        const q = new URLSearchParams(req.query as Record<string, string>).toString();
        out.response = { status: r?.statusCode ?? 302, location: `${scheme}://${host}${showPort ? `:${port}` : ''}${path}${q ? `?${q}` : ''}` };
        out.steps.push({ stage: 'redirect', message: `RequestRedirect: ${out.response.status} to ${out.response.location}` });
        return;
      }
      case 'URLRewrite': {
        const r = f.urlRewrite;
        const before = `${up.host}${up.path}`;
        if (r?.hostname) up.host = r.hostname;
        if (r?.path) up.path = rewritePath(r.path, match, up.path);
        out.steps.push({ stage: 'rewrite', message: `URLRewrite: ${before} -> ${up.host}${up.path}` });
        break;
      }
      case 'RequestMirror': {
        // `httproute_types.go` HTTPRequestMirrorFilter: percent or fraction of the requests (all when unset).
        const m = f.requestMirror;
        if (!m) break;
        const share = m.fraction ? Math.min(1, m.fraction.numerator / m.fraction.denominator) : m.percent !== undefined ? m.percent / 100 : 1;
        out.mirrors.push({ ref: m.backendRef, share });
        out.steps.push({ stage: 'filter', message: `RequestMirror: ${share === 1 ? 'a copy of every request' : `a copy of ${round(share * 100)}% of requests`} goes to ${m.backendRef.name}${m.backendRef.port ? `:${m.backendRef.port}` : ''} (its responses are discarded)` });
        break;
      }
      case 'ResponseHeaderModifier': {
        // `HTTPHeaderFilter` on the response: set overwrites, add appends (to what the backend sent), remove drops.
        const m = f.responseHeaderModifier;
        const rh = (out.responseHeaders ??= {});
        for (const h of m?.set ?? []) rh[h.name.toLowerCase()] = h.value;
        for (const h of m?.add ?? []) { const k = h.name.toLowerCase(); rh[k] = typeof rh[k] === 'string' ? `${rh[k]},${h.value}` : h.value; }
        for (const n of m?.remove ?? []) rh[n.toLowerCase()] = null;
        out.steps.push({ stage: 'filter', message: `ResponseHeaderModifier: ${filterText(f)} (on the response)` });
        break;
      }
      default:
        out.steps.push({ stage: 'filter', message: `${f.type}: not simulated (the answer may differ where it acts)` });
    }
  }
}

/** A copy of the upstream request so far (filters of one backend must not change another's). */
function copyUpstream(up: { host: string; path: string; headers: Record<string, string> } | undefined, req: L7RequestInfo): { host: string; path: string; headers: Record<string, string> } {
  return up ? { host: up.host, path: up.path, headers: { ...up.headers } } : { host: req.host, path: req.path, headers: { ...req.headers } };
}

/** TLSRoutes by SNI (exact, longest wildcard, routes without hostnames) or the listener's TCP/UDP routes. */
function l4Lookup(l: ListenerInfo, host: string): { host: string; list: readonly L4Attachment[] } | undefined {
  const exact = l.l4.get(host);
  if (exact) return { host, list: exact };
  for (const d of parentDomains(host)) {
    const w = l.l4.get(`*.${d}`);
    if (w) return { host: `*.${d}`, list: w };
  }
  const any = l.l4.get('*');
  return any ? { host: '*', list: any } : undefined;
}

/**
 * Route order across routes: the oldest first, then `namespace/name`. Without timestamps on both,
 * load order stands in for creation order (and traces report it when it decides).
 */
function compareRoutes(a: AnyRouteObj, b: AnyRouteObj): number {
  if (a.created && b.created && a.created === b.created) return label(a.ref) < label(b.ref) ? -1 : label(a.ref) > label(b.ref) ? 1 : 0;
  return compareAge(a, b).cmp;
}

/** Per Gateway, the listener a request enters: matching port and protocol, most specific hostname. */
function pickListener(list: readonly ListenerInfo[], scheme: L7RequestInfo['scheme'], port: number, host: string): ListenerInfo | undefined {
  let best: ListenerInfo | undefined;
  let bestScore = -1;
  for (const l of list) {
    const proto = l.listener.protocol.toUpperCase();
    if (l.listener.port !== port || proto !== scheme.toUpperCase()) continue;
    const h = l.listener.hostname;
    if (h && !suffixHostMatches(h, host)) continue;
    const score = !h ? 0 : h.startsWith('*.') ? h.length : 100000;
    if (score > bestScore) { best = l; bestScore = score; }
  }
  return best;
}

/** ReplaceFullPath / ReplacePrefixMatch (`HTTPPathModifier`; prefix replacement only after a PathPrefix match). */
function rewritePath(mod: { type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; replaceFullPath?: string; replacePrefixMatch?: string }, match: CompiledMatch, path: string): string {
  if (mod.type === 'ReplaceFullPath') return mod.replaceFullPath ?? path;
  if (match.pathType !== 'PathPrefix') return path;
  const prefix = trimTrailingSlash(match.path);
  const rest = path.slice(prefix.length);
  const replacement = mod.replacePrefixMatch ?? '/';
  if (replacement === '/' || replacement === '') return rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}`;
  return `${trimTrailingSlash(replacement)}${rest}` || '/';
}

function filterText(f: HttpRouteFilterL7): string {
  const m = f.requestHeaderModifier ?? f.responseHeaderModifier;
  if (m) {
    const parts = [
      ...(m.set ?? []).map((h) => `set ${h.name}: ${h.value}`),
      ...(m.add ?? []).map((h) => `add ${h.name}: ${h.value}`),
      ...(m.remove ?? []).map((n) => `remove ${n}`),
    ];
    return parts.join(', ');
  }
  return f.type;
}

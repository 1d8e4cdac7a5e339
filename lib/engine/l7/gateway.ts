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
import { describeBackend, resolveBackends, type BackendResolver, type BackendTarget } from './backends';
import type { TraceDraft } from './draft';
import { compileRegex, elementPrefixMatch, intersectHostnames, parentDomains, suffixHostMatches, trimTrailingSlash } from './match';
import { compareAge, label, push, type L7Object, type L7Objects } from './parse';
import type { HttpBackendRefL7, HttpRouteFilterL7, HttpRouteMatchL7, HttpRouteRuleL7, ListenerL7 } from './kinds';
import type { EntryPointInfo, L7MatchConditions, L7ParentStatus, L7Problem, L7RouteRow, L7RouteStatus } from './types';

const GROUP = 'gateway.networking.k8s.io';
type RouteObj = L7Object<'HTTPRoute'>;
type GatewayObj = L7Object<'Gateway'>;

/** One condition list of an HTTPRouteMatch, compiled. */
interface CompiledMatch {
  readonly pathType: 'Exact' | 'PathPrefix' | 'RegularExpression';
  readonly path: string;
  readonly pathRegex?: RegExp | null;
  readonly method?: string;
  readonly headers: readonly { name: string; type: 'Exact' | 'RegularExpression'; value: string; regex?: RegExp | null }[];
  readonly query: readonly { name: string; type: 'Exact' | 'RegularExpression'; value: string; regex?: RegExp | null }[];
  /** The spec's specificity as one number (smaller sorts first), see {@link specificityKey}. */
  readonly key: number;
  /** The source match, for its text (built lazily: only explanations need it). */
  readonly source: HttpRouteMatchL7;
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

/** `PathPrefix /api, method GET, header x=1` */
function matchText(m: CompiledMatch): string {
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

function compileMatch(m: HttpRouteMatchL7): CompiledMatch {
  const headers = m.headers && m.headers.length > 0 ? m.headers.map((h) => ({ name: h.name.toLowerCase(), type: h.type, value: h.value, regex: h.type === 'RegularExpression' ? compileRegex(h.value, 'full') : undefined })) : NONE;
  const query = m.queryParams && m.queryParams.length > 0 ? m.queryParams.map((q) => ({ name: q.name, type: q.type, value: q.value, regex: q.type === 'RegularExpression' ? compileRegex(q.value, 'full') : undefined })) : NONE;
  return {
    pathType: m.path.type, path: m.path.value,
    pathRegex: m.path.type === 'RegularExpression' ? compileRegex(m.path.value, 'full') : undefined,
    method: m.method, headers, query, key: specificityKey(m), source: m,
  };
}

/** Why a match does not match, or undefined when it does. */
function mismatch(m: CompiledMatch, path: string, method: string, headers: Readonly<Record<string, string>>, query: Readonly<Record<string, string>>): string | undefined {
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

/** One Gateway listener serving HTTP. */
interface ListenerInfo {
  readonly gateway: GatewayObj;
  readonly listener: ListenerL7;
  readonly entry: EntryPointInfo;
  readonly table: HostTable;
}

/** Routes of one mesh Service (GAMMA), split by the namespace of the route. */
interface MeshService {
  readonly service: string;
  readonly byNamespace: Map<string, { table: HostTable; port?: number }[]>;
}

/** The compiled Gateway API side of the model. */
export class GatewayRouter {
  /** Attach routes and build the indexes; problems go to `problems`. */
  static build(objects: L7Objects, resolver: BackendResolver, namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined, problems: L7Problem[]): GatewayRouter {
    return new GatewayRouter(objects, resolver, namespaceLabels, problems);
  }

  private readonly listeners = new Map<string, ListenerInfo>();
  private readonly byGateway = new Map<string, ListenerInfo[]>();
  private readonly mesh = new Map<string, MeshService>();
  private readonly meshMerged = new Map<string, HostTable>();
  private readonly statuses: L7RouteStatus[] = [];
  private readonly grants: L7Object<'ReferenceGrant'>[];

  private constructor(objects: L7Objects, private readonly resolver: BackendResolver, private readonly namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined, private readonly problems: L7Problem[]) {
    this.grants = [...objects.byKind.ReferenceGrant];
    const classes = new Map(objects.byKind.GatewayClass.map((c) => [c.name, c]));
    for (const gw of objects.byKind.Gateway) {
      const cls = classes.get(gw.spec.gatewayClassName);
      if (!cls) {
        problems.push({ code: 'gateway-class-missing', severity: 'info', object: gw.ref, path: 'spec.gatewayClassName', message: `Gateway ${label(gw.ref)}: GatewayClass ${gw.spec.gatewayClassName} is not among the manifests (fine when the controller installs it; otherwise the Gateway is never programmed)` });
      }
      const list: ListenerInfo[] = [];
      for (const l of gw.spec.listeners) {
        const info: ListenerInfo = {
          gateway: gw, listener: l, table: new HostTable(),
          entry: {
            id: `gateway:${label(gw.ref)}/${l.name}`, kind: 'gateway-listener', name: label(gw.ref), controller: cls?.spec.controllerName,
            listener: l.name, port: l.port, protocol: l.protocol, hostnames: l.hostname ? [l.hostname] : undefined, object: gw.ref,
          },
        };
        this.listeners.set(info.entry.id, info);
        list.push(info);
      }
      this.byGateway.set(label(gw.ref), list);
    }

    // Route precedence rank: oldest first, then namespace/name (httproute_types.go, ties across routes).
    const routes = [...objects.byKind.HTTPRoute].sort(compareRoutes);
    routes.forEach((route, rank) => this.attach(route, rank));
    for (const l of this.listeners.values()) l.table.sort();
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
  candidates(scheme: 'http' | 'https', port: number, host: string): { id: string; rank: number }[] {
    const out: { id: string; rank: number }[] = [];
    for (const list of this.byGateway.values()) {
      const l = pickListener(list, scheme, port, host);
      if (!l) continue;
      const found = l.table.lookup(host);
      out.push({ id: l.entry.id, rank: !found ? 0 : found.via === 'routes without hostnames' ? 1 : 2 });
    }
    return out;
  }

  /** Route through a listener (by entry id). */
  route(entryId: string, draft: TraceDraft, l4: boolean): void {
    const l = this.listeners.get(entryId);
    if (!l) { draft.fail('no-entry-point', `no Gateway listener ${entryId}`); return; }
    const req = draft.request;
    draft.entry = l.entry;
    draft.step('entry', `Gateway ${label(l.gateway.ref)} listener ${l.listener.name} (${l.listener.protocol} port ${l.listener.port}${l.listener.hostname ? `, hostname ${l.listener.hostname}` : ''})`, l.gateway.ref);
    if (l.listener.port !== req.port) draft.step('note', `the request's port ${req.port} is not the listener's ${l.listener.port}; traced through this listener as asked`);
    if (l.listener.hostname && !suffixHostMatches(l.listener.hostname, req.host)) {
      draft.fail('misdirected', `listener ${l.listener.name} only accepts hostname ${l.listener.hostname}, not ${req.host}`, 404);
      return;
    }
    const from = this.resolver.proxySource();
    this.dispatch(l.table, draft, l4, from, `listener ${l.listener.name}`);
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
    for (const l of this.listeners.values()) rowsOf(l.entry.id, l.table);
    for (const m of this.mesh.values()) {
      for (const list of m.byNamespace.values()) for (const t of list) rowsOf('mesh', t.table, { service: m.service, ...(t.port !== undefined ? { port: t.port } : {}) });
    }
    return rows;
  }

  // ---- attachment ----

  private attach(route: RouteObj, rank: number): void {
    const rules: CompiledRule[] = route.spec.rules.map((rule, index) => ({ route, index, rule, routeRank: rank }));
    const matchesOf = (r: CompiledRule): CompiledMatch[] => r.rule.matches.map(compileMatch);
    const compiled = rules.map((r) => ({ r, matches: matchesOf(r) }));
    const parents: L7ParentStatus[] = [];
    const routeHosts = (route.spec.hostnames ?? []).map((h) => h.toLowerCase());
    if (route.spec.parentRefs.length === 0) {
      parents.push({ parent: '(none)', accepted: false, reason: 'NoParentRefs', message: 'the route has no parentRefs, so no Gateway or Service uses it' });
    }
    for (const [pi, ref] of route.spec.parentRefs.entries()) {
      const ns = ref.namespace ?? route.namespace;
      const at = `spec.parentRefs[${pi}]`;
      if ((ref.group === '' || ref.group === 'core') && ref.kind === 'Service') {
        const key = `${ns}/${ref.name}`;
        const parent = `Service ${key}${ref.port ? `:${ref.port}` : ''}`;
        if (!this.resolver.service(ns, ref.name)) {
          parents.push({ parent, accepted: false, reason: 'NoMatchingParent', message: `Service ${key} does not exist` });
          this.notAccepted(route, at, `parent Service ${key} does not exist`);
          continue;
        }
        let m = this.mesh.get(key);
        if (!m) { m = { service: key, byNamespace: new Map() }; this.mesh.set(key, m); }
        const table = new HostTable();
        for (const { r, matches } of compiled) matches.forEach((match, mi) => table.add('*', { rule: r, matchIndex: mi, match, host: '*' }));
        push(m.byNamespace, route.namespace, { table, port: ref.port });
        parents.push({ parent, accepted: true, reason: 'Accepted', message: `mesh routes for Service ${key}${route.namespace !== ns ? ` (consumer route for clients in ${route.namespace})` : ''}` });
        continue;
      }
      const parent = `Gateway ${ns}/${ref.name}${ref.sectionName ? `/${ref.sectionName}` : ''}${ref.port ? `:${ref.port}` : ''}`;
      if (ref.group !== GROUP || ref.kind !== 'Gateway') {
        parents.push({ parent: `${ref.kind} ${ns}/${ref.name}`, accepted: false, reason: 'NotSupported', message: `parent kind ${ref.group}/${ref.kind} is not simulated` });
        continue;
      }
      const list = this.byGateway.get(`${ns}/${ref.name}`);
      if (!list) {
        parents.push({ parent, accepted: false, reason: 'NoMatchingParent', message: `Gateway ${ns}/${ref.name} does not exist` });
        this.notAccepted(route, at, `Gateway ${ns}/${ref.name} does not exist`);
        continue;
      }
      const selected = list.filter((l) => (ref.sectionName === undefined || l.listener.name === ref.sectionName) && (ref.port === undefined || l.listener.port === ref.port));
      if (selected.length === 0) {
        const msg = `Gateway ${ns}/${ref.name} has no listener${ref.sectionName ? ` named ${ref.sectionName}` : ''}${ref.port ? ` on port ${ref.port}` : ''} (listeners: ${list.map((l) => `${l.listener.name}:${l.listener.port}`).join(', ') || 'none'})`;
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
        for (const h of new Set(hosts.map((x) => x.toLowerCase()))) {
          for (const { r, matches } of compiled) matches.forEach((match, mi) => l.table.add(h, { rule: r, matchIndex: mi, match, host: h }));
        }
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

  /** Why a listener refuses a route (protocol, allowedRoutes kinds and namespaces), or undefined. */
  private refusal(l: ListenerInfo, route: RouteObj): string | undefined {
    const proto = l.listener.protocol.toUpperCase();
    if (proto !== 'HTTP' && proto !== 'HTTPS') return `protocol ${l.listener.protocol} does not carry HTTPRoutes`;
    if (proto === 'HTTPS' && l.listener.tls?.mode === 'Passthrough') return 'TLS Passthrough listeners take TLSRoutes';
    const kinds = l.listener.allowedRoutes.kinds;
    if (kinds && kinds.length > 0 && !kinds.some((k) => k.kind === 'HTTPRoute' && k.group === GROUP)) {
      return `allowedRoutes.kinds (${kinds.map((k) => k.kind).join(', ')}) excludes HTTPRoute`;
    }
    const ns = l.listener.allowedRoutes.namespaces;
    const gwNs = l.gateway.namespace;
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

  private notAccepted(route: RouteObj, at: string, message: string): void {
    this.problems.push({ code: 'route-not-accepted', severity: 'error', object: route.ref, path: at, message: `HTTPRoute ${label(route.ref)} ${at}: not Accepted: ${message}` });
  }

  /** A backendRef as a target: kind, ReferenceGrant, existence (ResolvedRefs reasons). */
  private target(route: RouteObj, ref: HttpBackendRefL7): BackendTarget {
    const ns = ref.namespace ?? route.namespace;
    const base = { namespace: ns, name: ref.name, port: ref.port, weight: ref.weight };
    if (!((ref.group === '' || ref.group === 'core') && ref.kind === 'Service')) {
      return { ...base, invalid: `InvalidKind: backendRef kind ${ref.group ? `${ref.group}/` : ''}${ref.kind} is not a Service`, status: 500 };
    }
    if (ns !== route.namespace && !this.granted(route.namespace, ns, ref.name)) {
      return { ...base, invalid: `RefNotPermitted: Service ${ns}/${ref.name} is in another namespace and no ReferenceGrant in ${ns} allows HTTPRoutes from ${route.namespace}`, status: 500 };
    }
    if (ref.port === undefined) return { ...base, invalid: `backendRef to Service ${ns}/${ref.name} has no port (required for Services)`, status: 500 };
    return base;
  }

  /** ReferenceGrant in `toNs` admitting HTTPRoutes from `fromNs` to Service `name`. */
  private granted(fromNs: string, toNs: string, name: string): boolean {
    return this.grants.some((g) => g.namespace === toNs
      && g.spec.from.some((f) => f.group === GROUP && f.kind === 'HTTPRoute' && f.namespace === fromNs)
      && g.spec.to.some((t) => (t.group === '' || t.group === 'core') && t.kind === 'Service' && (t.name === undefined || t.name === '' || t.name === name)));
  }

  private checkBackends(route: RouteObj): L7RouteStatus['resolvedRefs'] {
    let bad: { reason: string; message: string } | undefined;
    route.spec.rules.forEach((rule, ri) => (rule.backendRefs ?? []).forEach((ref, bi) => {
      const at = `spec.rules[${ri}].backendRefs[${bi}]`;
      const t = this.target(route, ref);
      let invalid = t.invalid;
      let code: L7Problem['code'] = invalid?.startsWith('InvalidKind') ? 'backend-invalid-kind' : invalid?.startsWith('RefNotPermitted') ? 'ref-not-permitted' : 'backend-port';
      if (!invalid) {
        const r = this.resolver.resolvePort(t.namespace, t.name, t.port);
        if (!r.ok) { invalid = r.message; code = r.reason === 'service' ? 'backend-not-found' : 'backend-port'; }
      }
      if (invalid) {
        this.problems.push({ code, severity: 'error', object: route.ref, path: at, message: `HTTPRoute ${label(route.ref)} ${at}: ${invalid}; its share of requests gets 500` });
        bad ??= { reason: code === 'backend-invalid-kind' ? 'InvalidKind' : code === 'ref-not-permitted' ? 'RefNotPermitted' : 'BackendNotFound', message: invalid };
      }
    }));
    return bad ? { ok: false, ...bad } : { ok: true, reason: 'ResolvedRefs', message: 'every backendRef resolves' };
  }

  // ---- request time ----

  private dispatch(table: HostTable, draft: TraceDraft, l4: boolean, from: { source: TraceSource; label: string } | undefined, where: string): void {
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
        draft.lose(`HTTPRoute ${label(e.rule.route.ref)} rule[${e.rule.index}]`, matchText(e.match), why ?? (winner >= 0 ? precedenceReason(list[winner], e) : 'not reached'));
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
    draft.route = { kind: 'HTTPRoute', object: route.ref, rule: w.rule.index, match: w.matchIndex, description: matchText(w.match) };
    draft.step('match', `HTTPRoute ${label(route.ref)} rule[${w.rule.index}]${w.rule.rule.name ? ` (${w.rule.rule.name})` : ''} matches[${w.matchIndex}]: ${matchText(w.match)}`, route.ref);
    const rule = w.rule.rule;
    if (rule.timeouts) {
      const t: Record<string, string> = {};
      if (rule.timeouts.request) t.request = rule.timeouts.request;
      if (rule.timeouts.backendRequest) t.backendRequest = rule.timeouts.backendRequest;
      draft.timeouts = t;
      draft.step('timeout', `timeouts: ${Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ')}${Object.values(t).includes('0s') ? ' (0s disables the timeout)' : ''}`);
    }
    draft.upstream = { host: req.host, path: req.path, headers: { ...req.headers } };
    if (this.applyFilters(rule.filters ?? [], w.match, draft)) return;
    const refs = rule.backendRefs ?? [];
    if (refs.length === 0) {
      draft.fail('no-backend', `HTTPRoute ${label(route.ref)} rule[${w.rule.index}] has no backendRefs: the Gateway answers 500`, 500);
      return;
    }
    const targets = refs.map((r) => this.target(route, r));
    if (l4 && from) draft.step('l4', `${where.startsWith('listener') ? 'the Gateway' : 'the sidecar'} connects to the Service; traced from ${from.label}`);
    draft.backends = resolveBackends(targets, this.resolver, { from, l4, invalidStatus: 500 });
    for (const [i, b] of draft.backends.entries()) {
      draft.step('backend', describeBackend(b));
      const bf = refs[i].filters;
      if (bf && bf.length > 0) draft.step('filter', `backend ${b.service} filters (only when it is picked): ${bf.map(filterText).join('; ')}`);
    }
    draft.finish();
  }

  /** Rule filters in order; true when a redirect answered the request. */
  private applyFilters(filters: readonly HttpRouteFilterL7[], match: CompiledMatch, draft: TraceDraft): boolean {
    const req = draft.request;
    const up = draft.upstream ?? { host: req.host, path: req.path, headers: { ...req.headers } };
    for (const f of filters) {
      switch (f.type) {
        case 'RequestHeaderModifier': {
          const m = f.requestHeaderModifier;
          for (const h of m?.set ?? []) up.headers[h.name.toLowerCase()] = h.value;
          for (const h of m?.add ?? []) { const k = h.name.toLowerCase(); up.headers[k] = up.headers[k] !== undefined ? `${up.headers[k]},${h.value}` : h.value; }
          for (const n of m?.remove ?? []) delete up.headers[n.toLowerCase()];
          draft.step('filter', `RequestHeaderModifier: ${filterText(f)}`);
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
          draft.response = { status: r?.statusCode ?? 302, location: `${scheme}://${host}${showPort ? `:${port}` : ''}${path}${q ? `?${q}` : ''}` };
          draft.step('redirect', `RequestRedirect: ${draft.response.status} to ${draft.response.location}`);
          draft.finish();
          return true;
        }
        case 'URLRewrite': {
          const r = f.urlRewrite;
          if (r?.hostname) up.host = r.hostname;
          if (r?.path) up.path = rewritePath(r.path, match, up.path);
          draft.step('rewrite', `URLRewrite: ${req.host}${req.path} -> ${up.host}${up.path}`);
          break;
        }
        case 'RequestMirror':
          draft.step('filter', `RequestMirror: a copy goes to ${f.requestMirror?.backendRef.name ?? '?'}:${f.requestMirror?.backendRef.port ?? ''} (responses ignored; not traced)`);
          break;
        case 'ResponseHeaderModifier':
          draft.step('filter', `ResponseHeaderModifier: ${filterText(f)} (on the response)`);
          break;
        default:
          draft.step('filter', `${f.type}: not simulated`);
      }
    }
    draft.upstream = up;
    return false;
  }

  private row(entry: string, host: string, e: Entry, parent?: L7RouteRow['parent']): L7RouteRow {
    const rule = e.rule.rule;
    const redirect = (rule.filters ?? []).find((f) => f.type === 'RequestRedirect');
    const refs = rule.backendRefs ?? [];
    return {
      entry, kind: 'HTTPRoute', object: e.rule.route.ref, host, match: matchText(e.match), conditions: matchConditions(e.match.source),
      rule: e.rule.index, matchIndex: e.matchIndex, ...(parent ? { parent } : {}),
      backends: refs.map((r) => ({ service: `${r.namespace ?? e.rule.route.namespace}/${r.name}`, port: r.port, weight: r.weight })),
      action: redirect ? 'redirect' : refs.length === 0 ? 'error' : 'forward',
      note: redirect ? `redirect ${redirect.requestRedirect?.statusCode ?? 302}` : refs.length === 0 ? 'no backendRefs: 500' : undefined,
    };
  }
}

/**
 * Route order across routes: the oldest first, then `namespace/name`. Without timestamps on both,
 * load order stands in for creation order (and traces report it when it decides).
 */
function compareRoutes(a: RouteObj, b: RouteObj): number {
  if (a.created && b.created && a.created === b.created) return label(a.ref) < label(b.ref) ? -1 : label(a.ref) > label(b.ref) ? 1 : 0;
  return compareAge(a, b).cmp;
}

/** Per Gateway, the listener a request enters: matching port and protocol, most specific hostname. */
function pickListener(list: readonly ListenerInfo[], scheme: 'http' | 'https', port: number, host: string): ListenerInfo | undefined {
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

/**
 * Shadowed matches: an HTTPRoute or VirtualService match that never wins, because every request
 * it accepts is taken by another match first (Gateway API precedence across routes; Istio's
 * first match within merged VirtualServices). The question goes to the L7 model: for each place
 * a route is attached (entry point + host, from `routes()`), witness requests built from the
 * match (`witness.ts`) are routed through `request()`, and the match is shadowed there when none
 * of them ends on it. Matching itself stays in the engine.
 *
 * Ingress is left out: its paths are ranked by length, so only identical paths can shadow each
 * other, which `ingress-duplicate-path` reports.
 */
import type { L7Model } from '../../engine/l7/model';
import { label, type L7Object } from '../../engine/l7/parse';
import type { EntryPointInfo, HttpRequest, L7ObjectRef, L7RouteChoice, L7Trace } from '../../engine/l7/types';
import type { TraceSource } from '../../engine/trace';
import { httpRouteWitnesses, NEUTRAL_METHOD, virtualServiceWitnesses, type Witness } from './witness';

/** One place where a match never wins, and who takes its requests. */
export interface ShadowPlace {
  /** Entry point id (`gateway:ns/name/listener`, `istio-gateway:...`, `mesh`). */
  readonly entry: string;
  readonly host: string;
  /** The route and match that answered the witness request instead. */
  readonly winner: L7RouteChoice;
  /** The witness request as text: `GET http://host/path with header x=y` (no method when any would do). */
  readonly request: string;
  /** Order the manifests leave open that decided it, when the model reported one. */
  readonly ambiguities: readonly string[];
}

/** A match of one route rule that never wins in some (or all) of the places it is attached. */
export interface ShadowedMatch {
  readonly object: L7ObjectRef;
  readonly kind: 'HTTPRoute' | 'VirtualService';
  /** HTTPRoute rule index / VirtualService http index. */
  readonly rule: number;
  /** Match index; undefined for a VirtualService route without match conditions. */
  readonly match?: number;
  /** JSON path of the match (or of the rule when it has no match list). */
  readonly path: string;
  /** The match as the model describes it. */
  readonly text: string;
  readonly places: readonly ShadowPlace[];
  /** Places it is attached where it does win (0 means: never wins anywhere). */
  readonly winningPlaces: number;
}

/** Probe host label for wildcard hostnames: one label, unlikely to be named by any route. */
const PROBE_LABEL = 'netkit-probe';

interface Group {
  readonly entry: string;
  readonly host: string;
  readonly kind: 'HTTPRoute' | 'VirtualService';
  readonly object: L7ObjectRef;
  readonly rule: number;
}

/** Every shadowed match of the model's HTTPRoutes and VirtualServices. */
export function shadowedMatches(model: L7Model): ShadowedMatch[] {
  const entries = new Map(model.entryPoints().map((e) => [e.id, e]));
  const groups = new Map<string, Group>();
  for (const row of model.routes()) {
    if (row.kind !== 'HTTPRoute' && row.kind !== 'VirtualService') continue;
    const key = `${row.entry}|${row.host}|${row.kind}|${label(row.object)}|${row.rule}`;
    if (!groups.has(key)) groups.set(key, { entry: row.entry, host: row.host, kind: row.kind, object: row.object, rule: row.rule });
  }
  const results = new Map<string, { base: Omit<ShadowedMatch, 'places' | 'winningPlaces'>; places: ShadowPlace[]; wins: number }>();
  const mesh = new MeshSources(model);
  for (const g of groups.values()) {
    const probes = matchesOf(model, g);
    if (!probes) continue;
    for (const p of probes) {
      if (!p.witnesses) continue;
      const key = `${g.kind}|${label(g.object)}|${g.rule}|${p.match ?? ''}`;
      let r = results.get(key);
      if (!r) {
        r = { base: { object: g.object, kind: g.kind, rule: g.rule, match: p.match, path: p.path, text: p.text }, places: [], wins: 0 };
        results.set(key, r);
      }
      const outcome = probe(model, g, p.match, p.witnesses, entries.get(g.entry), mesh);
      if (outcome === 'wins' || outcome === 'unknown') r.wins++;
      else r.places.push(outcome);
    }
  }
  const out: ShadowedMatch[] = [];
  for (const r of results.values()) if (r.places.length > 0) out.push({ ...r.base, places: r.places, winningPlaces: r.wins });
  return out;
}

interface MatchProbe {
  readonly match?: number;
  readonly path: string;
  readonly text: string;
  /** Undefined when no witness can be built (the match is never reported). */
  readonly witnesses?: readonly Witness[];
}

/** The matches of the group's rule with their witnesses; undefined for objects the model does not hold. */
function matchesOf(model: L7Model, g: Group): MatchProbe[] | undefined {
  const byName = (o: L7Object) => o.namespace === (g.object.namespace ?? '') && o.name === g.object.name;
  if (g.kind === 'HTTPRoute') {
    const route = model.parsed.byKind.HTTPRoute.find(byName);
    const rule = route?.spec.rules[g.rule];
    if (!rule) return undefined;
    return rule.matches.map((m, j) => ({
      match: j, path: `spec.rules[${g.rule}].matches[${j}]`, witnesses: httpRouteWitnesses(m),
      text: [`${m.path.type} ${m.path.value}`, ...(m.method ? [`method ${m.method}`] : []), ...(m.headers ?? []).map((h) => `header ${h.name}=${h.value}`), ...(m.queryParams ?? []).map((q) => `query ${q.name}=${q.value}`)].join(', '),
    }));
  }
  const vs = model.parsed.byKind.VirtualService.find(byName);
  const http = vs?.spec.http[g.rule];
  // Delegating routes hand the decision to another VirtualService: not judged here.
  if (!http || http.delegate) return undefined;
  const matches = http.match ?? [];
  if (matches.length === 0) return [{ path: `spec.http[${g.rule}]`, text: 'any request', witnesses: virtualServiceWitnesses(undefined) }];
  return matches.map((m, j) => ({ match: j, path: `spec.http[${g.rule}].match[${j}]`, text: JSON.stringify(m), witnesses: virtualServiceWitnesses(m) }));
}

/** Route the witnesses; `wins` when one ends on the match, `unknown` when none could be placed. */
function probe(model: L7Model, g: Group, match: number | undefined, witnesses: readonly Witness[], entry: EntryPointInfo | undefined, mesh: MeshSources): ShadowPlace | 'wins' | 'unknown' {
  let lost: ShadowPlace | undefined;
  for (const w of dedupe(witnesses)) {
    const req = request(g, w, entry, mesh);
    if (!req) return 'unknown';
    const t = model.request(req);
    const chosen = t.route;
    if (!chosen || chosen.kind === 'none' || !chosen.object) continue;
    if (isSame(chosen, g, match)) return 'wins';
    // Gateway API leaves the precedence of RegularExpression paths to the implementation.
    if (isRegexHttpRouteMatch(model, chosen)) return 'unknown';
    // Mesh places are named by the destination called (a GAMMA route's rows say `*`).
    lost ??= { entry: g.entry, host: g.entry === 'mesh' ? new URL(req.url).hostname : g.host, winner: chosen, request: describeRequest(req), ambiguities: relevantAmbiguities(t) };
  }
  return lost ?? 'unknown';
}

function isRegexHttpRouteMatch(model: L7Model, chosen: L7RouteChoice): boolean {
  if (chosen.kind !== 'HTTPRoute' || !chosen.object || chosen.match === undefined) return false;
  const o = chosen.object;
  const route = model.parsed.byKind.HTTPRoute.find((r) => r.namespace === (o.namespace ?? '') && r.name === o.name);
  return route?.spec.rules[chosen.rule]?.matches[chosen.match]?.path.type === 'RegularExpression';
}

function describeRequest(req: HttpRequest): string {
  const method = req.method && req.method !== NEUTRAL_METHOD ? `${req.method} ` : '';
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return `${method}${req.url}${headers.length ? ` with header${headers.length > 1 ? 's' : ''} ${headers.join(', ')}` : ''}`;
}

function isSame(chosen: L7RouteChoice, g: Group, match: number | undefined): boolean {
  const o = chosen.object;
  return chosen.kind === g.kind && o !== undefined && o.name === g.object.name && (o.namespace ?? '') === (g.object.namespace ?? '')
    && chosen.rule === g.rule && (match === undefined || chosen.match === undefined || chosen.match === match);
}

function relevantAmbiguities(t: L7Trace): string[] {
  // Entry-point ambiguity is about DNS, not about which route wins: leave it out.
  return t.ambiguities.filter((a) => !a.includes('entry points serve'));
}

function dedupe(ws: readonly Witness[]): Witness[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    const k = JSON.stringify(w);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The request for one witness at the group's place; undefined when there is no way to send it. */
function request(g: Group, w: Witness, entry: EntryPointInfo | undefined, mesh: MeshSources): HttpRequest | undefined {
  const query = Object.entries(w.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const path = `${w.path}${query ? `?${query}` : ''}`;
  if (g.entry !== 'mesh') {
    const scheme = entry?.protocol && /^(HTTPS|TLS)$/i.test(entry.protocol) ? 'https' : 'http';
    const port = w.port ?? entry?.port ?? (scheme === 'https' ? 443 : 80);
    const host = w.host ?? concreteHost(g.host);
    return { url: `${scheme}://${host}:${port}${path}`, method: w.method, headers: w.headers, via: g.entry };
  }
  const target = mesh.target(g);
  if (!target) return undefined;
  const host = w.host ?? target.host;
  return { url: `http://${host}:${w.port ?? target.port}${path}`, method: w.method, headers: w.headers, via: 'mesh', from: target.from };
}

/** A host the pattern covers: `*.example.com` -> `netkit-probe.example.com`, `*` -> a probe name. */
function concreteHost(pattern: string): string {
  if (pattern === '*' || pattern === '') return `${PROBE_LABEL}.invalid`;
  return pattern.startsWith('*') ? `${PROBE_LABEL}${pattern.slice(1)}` : pattern;
}

/** Where mesh witnesses come from: a pod with a sidecar, and the host and port to call. */
class MeshSources {
  /** Per namespace, the first pod (by name) with a sidecar; built on first use (only mesh routes need it). */
  private byNamespace?: Map<string, string>;
  private first?: string;

  constructor(private readonly model: L7Model) {}

  /** A sidecar pod, preferably in `namespace` (VirtualServices and GAMMA consumer routes apply there for sure). */
  private from(namespace: string): TraceSource | undefined {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const p of this.model.state.pods.values()) {
        if (!this.model.hasSidecar(p)) continue;
        const key = `${p.namespace}/${p.name}`;
        const seen = this.byNamespace.get(p.namespace);
        if (seen === undefined || key < seen) this.byNamespace.set(p.namespace, key);
        if (this.first === undefined || key < this.first) this.first = key;
      }
    }
    const pod = this.byNamespace.get(namespace) ?? this.first;
    return pod ? { pod } : undefined;
  }

  target(g: Group): { host: string; port: number; from: TraceSource } | undefined {
    const namespace = g.object.namespace ?? 'default';
    const from = this.from(namespace);
    if (!from) return undefined;
    if (g.kind === 'HTTPRoute') {
      // GAMMA: the parent Service is the destination the client calls.
      const route = this.model.parsed.byKind.HTTPRoute.find((r) => r.namespace === namespace && r.name === g.object.name);
      const parent = route?.spec.parentRefs.find((p) => p.kind === 'Service' && (p.group === '' || p.group === 'core'));
      if (!parent) return undefined;
      const svc = this.model.state.services.get(`${parent.namespace ?? namespace}/${parent.name}`);
      const port = parent.port ?? svc?.ports.find((p) => p.protocol === 'TCP')?.port;
      if (!svc || port === undefined) return undefined;
      return { host: `${svc.name}.${svc.namespace}.svc.${domain(this.model)}`, port, from };
    }
    const host = concreteHost(g.host);
    return { host, port: this.portOf(host) ?? 80, from };
  }

  /** The first TCP port of the Service an FQDN names (`name.ns.svc.<domain>`). */
  private portOf(host: string): number | undefined {
    const suffix = `.svc.${domain(this.model)}`;
    if (!host.endsWith(suffix)) return undefined;
    const [name, namespace] = host.slice(0, -suffix.length).split('.');
    return this.model.state.services.get(`${namespace}/${name}`)?.ports.find((p) => p.protocol === 'TCP')?.port;
  }
}

function domain(model: L7Model): string {
  return model.state.profile.clusterDomain.replace(/\.$/, '');
}

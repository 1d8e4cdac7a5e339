/**
 * Sample requests for route rows: from a row's structured conditions, a few concrete requests
 * the row's match accepts ("witnesses"), sent through the row's own entry point. The graph shows
 * one of them per route; the validator's shadowing rule routes them all and calls a match
 * shadowed when none ends on it. Nothing here decides routing: a witness only has to satisfy
 * its own match, the model says where it goes ({@link landsOn} checks whether it got there).
 *
 * Conditions a witness cannot be built for by construction (regular expressions, Istio source
 * labels / namespaces / per-match gateways / scheme, authority prefixes) make the match
 * "unknown": strict witnesses are undefined, lenient ones leave the condition out.
 */
import type { ClusterStateView, PodInfo } from '../model';
import type { TraceSource } from '../trace';
import { serviceKeyOf } from './match';
import type { EntryPointInfo, HttpRequest, L7MatchConditions, L7NamedCondition, L7RouteRow, L7StringCondition, L7Trace } from './types';

/** The request parts a witness fixes; host, port and scheme come from the entry point. */
export interface SampleParts {
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Host the match itself requires (Istio `authority`), else the row's host is used. */
  readonly host?: string;
  /** Port the match requires (Istio `port`). */
  readonly port?: number;
}

/** Path segment, label and suffix of probe requests: unlikely to be named by any route. */
export const PROBE = 'netkit-probe';

/**
 * A method no route names (Gateway API allows nine; Istio matches are usually exact), so a
 * witness of a match without a method condition is not taken by a method-specific match.
 */
export const NEUTRAL_METHOD = 'NETKITPROBE';

const REGEX_META = /[\\^$.*+?()[\]{}|]/;

/** Options of {@link matchWitnesses}. */
export interface WitnessOptions {
  /**
   * Leave out conditions that cannot be satisfied by construction (a best-effort request for
   * display) instead of giving no witness; there is then always at least one.
   * @default false
   */
  readonly lenient?: boolean;
  /**
   * Send each path as GET before {@link NEUTRAL_METHOD} when the match has no method condition
   * (for display). Judging whether a row wins needs only the neutral method: whatever takes it
   * from the row takes the GET request too.
   * @default false
   */
  readonly get?: boolean;
}

/**
 * Witnesses of a row's conditions, most typical first. Without a method condition the method is
 * {@link NEUTRAL_METHOD} (and GET first with `get`). Undefined when a condition cannot be
 * satisfied by construction, unless `lenient`.
 */
export function matchWitnesses(c: L7MatchConditions, options: WitnessOptions = {}): SampleParts[] | undefined {
  const lenient = options.lenient === true;
  if (!lenient && (c.source || c.scheme)) return undefined;
  const headers = namedValues(c.headers, lenient);
  const query = namedValues(c.query, lenient);
  if (!headers || !query) return undefined;
  let methods = options.get ? ['GET', NEUTRAL_METHOD] : [NEUTRAL_METHOD];
  if (c.method) {
    const v = satisfy(c.method);
    if (v !== undefined && /^[A-Z]+$/.test(v)) methods = [v];
    else if (!lenient) return undefined;
  }
  let host: string | undefined;
  if (c.authority) {
    if (c.authority.type === 'Exact') host = c.authority.value;
    else if (!lenient) return undefined;
  }
  const paths = pathWitnesses(c);
  if (!paths && !lenient) return undefined;
  const base = { headers, query, ...(host !== undefined ? { host } : {}), ...(c.port !== undefined ? { port: c.port } : {}) };
  return (paths ?? ['/']).flatMap((path) => methods.map((method) => ({ path, method, ...base })));
}

/** Paths the path condition accepts; undefined for a regular expression that is not a literal path. */
function pathWitnesses(c: L7MatchConditions): string[] | undefined {
  const p = c.path;
  if (!p) return [`/${PROBE}`];
  const trimmed = p.value.replace(/\/+$/, '');
  switch (p.type) {
    case 'Exact': return [p.value];
    // Element-wise: the prefix itself and one path below it.
    case 'Prefix': return [trimmed === '' ? '/' : trimmed, `${trimmed}/${PROBE}`];
    // A plain string prefix also matches beside it (`/api` covers `/apifoo`): probe below and beside.
    case 'StringPrefix': return [...new Set([p.value, `${trimmed}/${PROBE}`, `${p.value}${PROBE}`])];
    case 'RegularExpression': return p.value.startsWith('/') && !REGEX_META.test(p.value) ? [p.value] : undefined;
  }
  return undefined;
}

/** First value per name (Gateway API: only the first entry of a name counts); undefined when one cannot be satisfied. */
function namedValues(list: readonly L7NamedCondition[], lenient: boolean): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const h of list) {
    if (h.name in out) continue;
    const v = satisfy(h);
    if (v === undefined) {
      if (!lenient) return undefined;
      continue;
    }
    out[h.name] = v;
  }
  return out;
}

/** A value the condition accepts: the exact value, something after a prefix, anything for presence. */
function satisfy(c: L7StringCondition): string | undefined {
  switch (c.type) {
    case 'Exact': return c.value;
    case 'Prefix': return `${c.value}${PROBE}`;
    case 'Present': return PROBE;
    case 'RegularExpression': return undefined;
  }
  return undefined;
}

/** A host the pattern covers: `*.example.com` -> `netkit-probe.example.com`, `*` -> `netkit-probe.invalid`. */
export function concreteHost(pattern: string): string {
  if (pattern === '*' || pattern === '') return `${PROBE}.invalid`;
  return pattern.startsWith('*') ? `${PROBE}${pattern.slice(pattern.indexOf('.'))}` : pattern;
}

/**
 * True when the trace ended on the row: the same object, rule and match. A canary row lands when
 * its backend gets a share of the primary path's requests; a delegating VirtualService route
 * when its delegate answered.
 */
export function landsOn(trace: L7Trace, row: L7RouteRow): boolean {
  const r = trace.route;
  if (!r?.object) return false;
  const o = r.object;
  if (row.delegate) return r.kind === 'VirtualService' && `${o.namespace ?? ''}/${o.name}` === row.delegate;
  if (r.kind !== row.kind || o.name !== row.object.name || (o.namespace ?? '') !== (row.object.namespace ?? '')) {
    return row.canary === true && trace.backends.some((b) => b.probability > 0 && row.backends.some((x) => x.service === b.service));
  }
  return r.rule === row.rule && (row.matchIndex === undefined || r.match === undefined || r.match === row.matchIndex);
}

/** What a sampler reads from the model. */
export interface SamplerInput {
  readonly state: ClusterStateView;
  hasSidecar(pod: PodInfo): boolean;
  entryPoints(): readonly EntryPointInfo[];
}

/** Builds the sample requests of route rows; caches the entry points and the mesh clients. */
export class RowSampler {
  private entries?: Map<string, EntryPointInfo>;
  /** Per namespace, the first pod (by name) with a sidecar; built on first use (only mesh rows need it). */
  private sidecars?: Map<string, string>;
  private firstSidecar?: string;
  private readonly domain: string;

  constructor(private readonly model: SamplerInput) {
    this.domain = model.state.profile.clusterDomain.replace(/\.$/, '');
  }

  /**
   * Requests for the row's witnesses at its place; undefined when no witness can be built or
   * there is no way to send it (mesh rows without a pod that runs a sidecar, a GAMMA parent
   * without a port). Lenient: always at least one request (see {@link matchWitnesses}).
   */
  requests(row: L7RouteRow, options: WitnessOptions = {}): HttpRequest[] | undefined {
    const witnesses = matchWitnesses(row.conditions, options);
    if (!witnesses) return undefined;
    const out: HttpRequest[] = [];
    for (const w of witnesses) {
      const req = this.request(row, w, options.lenient === true);
      if (!req) return undefined;
      out.push(req);
    }
    return out;
  }

  private request(row: L7RouteRow, w: SampleParts, lenient: boolean): HttpRequest | undefined {
    const query = Object.entries(w.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const path = `${w.path}${query ? `?${query}` : ''}`;
    const method = w.method;
    if (row.entry !== 'mesh') {
      this.entries ??= new Map(this.model.entryPoints().map((e) => [e.id, e]));
      const entry = this.entries.get(row.entry);
      const scheme = entry?.protocol && /^(HTTPS|TLS)$/i.test(entry.protocol) ? 'https' : 'http';
      return { url: url(scheme, w.host ?? concreteHost(row.host), w.port ?? entry?.port, path), method, headers: w.headers, via: row.entry };
    }
    const namespace = row.object.namespace ?? 'default';
    const from = this.client(namespace, lenient);
    if (!from) return undefined;
    const target = this.meshTarget(row);
    if (!target) return undefined;
    return { url: url('http', w.host ?? target.host, w.port ?? target.port, path), method, headers: w.headers, via: 'mesh', from };
  }

  /** The destination a mesh client calls: the GAMMA parent Service, or the VirtualService host. */
  private meshTarget(row: L7RouteRow): { host: string; port: number } | undefined {
    if (row.parent) {
      const svc = this.model.state.services.get(row.parent.service);
      const port = row.parent.port ?? svc?.ports.find((p) => p.protocol === 'TCP')?.port;
      if (!svc || port === undefined) return undefined;
      return { host: `${svc.name}.${svc.namespace}.svc.${this.domain}`, port };
    }
    const host = concreteHost(row.host);
    return { host, port: this.servicePort(host) ?? 80 };
  }

  /** The first TCP port of the Service an FQDN names (`name.ns.svc.<domain>`). */
  private servicePort(host: string): number | undefined {
    const key = serviceKeyOf(host, this.domain);
    return key ? this.model.state.services.get(key)?.ports.find((p) => p.protocol === 'TCP')?.port : undefined;
  }

  /**
   * A pod with a sidecar, preferably in `namespace` (VirtualServices and GAMMA consumer routes
   * apply there for sure). Lenient: any pod when none has a sidecar.
   */
  private client(namespace: string, lenient: boolean): TraceSource | undefined {
    if (!this.sidecars) {
      this.sidecars = new Map();
      for (const p of this.model.state.pods.values()) {
        if (!this.model.hasSidecar(p)) continue;
        const key = `${p.namespace}/${p.name}`;
        const seen = this.sidecars.get(p.namespace);
        if (seen === undefined || key < seen) this.sidecars.set(p.namespace, key);
        if (this.firstSidecar === undefined || key < this.firstSidecar) this.firstSidecar = key;
      }
    }
    const pod = this.sidecars.get(namespace) ?? this.firstSidecar;
    if (pod) return { pod };
    if (!lenient) return undefined;
    let first: string | undefined;
    for (const p of this.model.state.pods.values()) {
      const key = `${p.namespace}/${p.name}`;
      if (first === undefined || key < first) first = key;
    }
    return first ? { pod: first } : undefined;
  }
}

/** `scheme://host[:port]path`, the port left out when it is the scheme's default. */
function url(scheme: 'http' | 'https', host: string, port: number | undefined, path: string): string {
  const shown = port !== undefined && port !== (scheme === 'https' ? 443 : 80) ? `:${port}` : '';
  return `${scheme}://${host}${shown}${path}`;
}

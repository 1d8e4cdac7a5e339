/**
 * L7 behaviour of two sides compared by witness requests: from every route row of both sides
 * (Ingress paths, HTTPRoute matches, VirtualService routes) the L7 model's own sampler builds
 * requests the row's match accepts (host, path, method, headers, query); each is routed through
 * lib/engine/l7 on both sides and the outcomes compared: the destination distribution (Service,
 * port, subset, share), the status of requests answered without forwarding (redirects, direct
 * responses, errors) and the rewrites the backend sees. A request counts on both sides whichever
 * side its row came from, so a route added, removed or shadowed shows up as a request going
 * elsewhere.
 *
 * Nothing here routes: the outcome is read off {@link L7Trace}. Pods are left out on purpose
 * (routing is traced with `l4: false`): a replica change is an endpoints change, reported by the
 * Service comparison, not a routing one.
 */
import type { Cluster } from '../engine/cluster';
import { L7Model } from '../engine/l7/model';
import { RowSampler, NEUTRAL_METHOD } from '../engine/l7/sample';
import type { EntryPointInfo, HttpRequest, L7Backend, L7Options, L7RequestInfo, L7RouteRow, L7Trace, L7UpstreamRequest } from '../engine/l7/types';

/** One witness request, independent of either side (mesh requests name the sender's namespace, not a pod). */
export interface Witness {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent by a pod with a mesh sidecar in this namespace; undefined: from outside the cluster. */
  readonly meshFrom?: string;
  /** Namespace of the route the witness was built for (for grouping). */
  readonly namespace: string;
  /** The route row it was built for, e.g. `HTTPRoute checkout/checkout rule 1`. */
  readonly route: string;
  /** False when the row's match has conditions no request was built for (regular expressions, source labels): left out. */
  readonly exact: boolean;
}

/** What one side does with one witness. */
export interface WitnessOutcome {
  /**
   * What is compared: the display text, except for failures, where only what the client sees
   * counts (the status; for https, "no valid TLS answer" whether no listener serves the host or
   * the controller presents its default certificate).
   */
  readonly key: string;
  /** Display text, e.g. `checkout/checkout-v1:80 90% / checkout/checkout-v2:80 10%`, `308 redirect to https://...`, `404 (no-route)`. */
  readonly text: string;
  /** Outcomes the manifests leave open (creation order, entry point chosen by DNS). */
  readonly ambiguities: readonly string[];
}

/** One witness whose outcome differs between the sides. */
export interface WitnessDifference {
  readonly witness: Witness;
  /** `GET http://checkout.example.com/ (x-canary: always)`, the request as text. */
  readonly request: string;
  readonly before: WitnessOutcome;
  readonly after: WitnessOutcome;
}

/** The result of {@link compareWitnesses}. */
export interface WitnessComparison {
  /** Every witness routed on both sides. */
  readonly witnesses: number;
  readonly differences: readonly WitnessDifference[];
  /** Witnesses whose outcome depends on something the manifests leave open, on either side. */
  readonly ambiguous: readonly WitnessDifference[];
  /** What the witnesses could not cover (route kinds not compared, inexact matches). */
  readonly notes: readonly string[];
}

/** Route kinds that are not HTTP requests: left out of the witness set, and said so. */
const NOT_HTTP = new Set(['TLSRoute', 'TCPRoute', 'UDPRoute', 'GRPCRoute']);

function rowLabel(row: L7RouteRow): string {
  const o = row.object;
  const rule = row.kind === 'Ingress' ? (row.rule < 0 ? ' defaultBackend' : ` rule ${row.rule}`) : row.kind === 'VirtualService' ? ` http ${row.rule}` : ` rule ${row.rule}`;
  return `${row.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${rule}`;
}

/** `http://h/p` <-> `https://h/p` when the port is the scheme's default; undefined otherwise. */
function otherScheme(url: string): string | undefined {
  const m = /^(https?):\/\/([^/:]+)(\/.*)?$/.exec(url);
  if (!m) return undefined;
  return `${m[1] === 'http' ? 'https' : 'http'}://${m[2]}${m[3] ?? '/'}`;
}

/** The headers part of a witness's key: `name=value` pairs by name, `&`-joined (witnesses are keyed `meshFrom method url headers`). */
function headerKey(headers: Readonly<Record<string, string>>): string {
  const names = Object.keys(headers);
  if (names.length === 0) return '';
  return names.sort().map((k) => `${k}=${headers[k]}`).join('&');
}

/**
 * The witnesses of one model's route rows, added to `out` (keyed, so both sides share them).
 * External requests are also sent with the other scheme (http <-> https on default ports), so a
 * TLS listener or an HTTPS redirect that appears or disappears is seen. Returns notes on rows
 * that could not be covered.
 */
export function collectWitnesses(model: L7Model, out: Map<string, Witness>, rows?: RowMemo): string[] {
  const sampler = new RowSampler(model);
  const notes: string[] = [];
  const skipped = new Map<string, number>();
  for (const row of model.routes()) {
    if (NOT_HTTP.has(row.kind)) {
      skipped.set(row.kind, (skipped.get(row.kind) ?? 0) + 1);
      continue;
    }
    if (rows?.seen(model, row)) continue;
    let exact = true;
    let requests: readonly HttpRequest[] | undefined = sampler.requests(row, { get: true });
    if (!requests) {
      // A regular expression or a source condition: a request that leaves it out still
      // exercises the host and the rest of the match on both sides; say it is not exact.
      requests = sampler.requests(row, { get: true, lenient: true });
      exact = false;
      notes.push(`${rowLabel(row)} (${row.match}): no request can be built that satisfies every condition; compared with requests that leave some out`);
    }
    if (!requests) {
      notes.push(`${rowLabel(row)} (${row.match}): no witness request could be sent (a mesh route with no pod to send from)`);
      continue;
    }
    const namespace = row.object.namespace ?? '';
    const route = rowLabel(row);
    for (const r of requests) {
      const meshFrom = r.via === 'mesh' && r.from && 'pod' in r.from ? r.from.pod.split('/')[0] : undefined;
      const method = r.method ?? 'GET'; const headers = r.headers ?? {};
      // The key without the URL once per request; the witness is made only for a new key
      // (the other side's rows mostly give requests already there).
      const prefix = `${meshFrom ?? ''} ${method} `; const suffix = ` ${headerKey(headers)}`;
      const urls = meshFrom === undefined ? [r.url, otherScheme(r.url)] : [r.url];
      for (const url of urls) {
        if (url === undefined) continue;
        const key = prefix + url + suffix;
        if (!out.has(key)) out.set(key, { method, url, headers, ...(meshFrom !== undefined ? { meshFrom } : {}), namespace, route, exact });
      }
    }
  }
  for (const [kind, n] of skipped) notes.push(`${n} ${kind} route row${n === 1 ? '' : 's'} not compared (witness requests are HTTP requests)`);
  return notes;
}

/**
 * The route rows a {@link collectWitnesses} call has sampled, so that a later call (the other
 * side of a diff) skips a row whose witnesses and notes are already collected: an external row
 * (not `mesh`: a mesh row's requests also name a sending pod) with the same object, rule, match,
 * place and conditions, at an entry point with the same port and protocol. That is all
 * {@link RowSampler} reads for such a row.
 */
export class RowMemo {
  private readonly rows = new Set<string>();
  private readonly entries = new WeakMap<L7Model, Map<string, EntryPointInfo>>();

  /** True when an earlier model had this row at an identical entry point; records it otherwise. */
  seen(model: L7Model, row: L7RouteRow): boolean {
    if (row.entry === 'mesh') return false;
    let entries = this.entries.get(model);
    // Built as RowSampler builds it (the last entry point of an id counts).
    if (!entries) this.entries.set(model, entries = new Map(model.entryPoints().map((e) => [e.id, e])));
    const entry = entries.get(row.entry);
    const o = row.object;
    const key = JSON.stringify([row.kind, o.namespace ?? '', o.name, row.rule, row.matchIndex ?? null, row.match, row.host, row.conditions,
      row.entry, entry ? [entry.protocol ?? null, entry.port ?? null] : null]);
    if (this.rows.has(key)) return true;
    this.rows.add(key);
    return false;
  }
}

/** The request as text: `GET http://host/path (header: value)`, `from a pod in ns` for mesh requests. */
export function describeWitness(w: Witness): string {
  const method = w.method === NEUTRAL_METHOD ? '(any other method)' : w.method;
  const headers = Object.entries(w.headers).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${method} ${w.url}${headers ? ` (${headers})` : ''}${w.meshFrom !== undefined ? ` from a pod in ${w.meshFrom}` : ''}`;
}

/** The comparison key of a request that is not forwarded and not answered by a redirect or direct response. */
function failureKey(t: L7Trace): string | undefined {
  if (t.response || !t.failure || t.backends.some((b) => b.probability > 0)) return undefined;
  if (t.request.scheme === 'https' && (t.failure.code === 'tls' || t.failure.code === 'no-entry-point')) return 'failed: no valid TLS answer for the host';
  return `failed: ${t.failure.status ?? t.failure.code}`;
}

/** What a backend observes differently from what the client sent: path, host, headers set or removed. */
function rewriteText(up: L7UpstreamRequest, req: L7RequestInfo): string[] {
  const out: string[] = [];
  if (up.path !== req.path) out.push(`path rewritten to ${up.path}`);
  if (up.host !== req.host) out.push(`host rewritten to ${up.host}`);
  const changed = Object.keys(up.headers).filter((k) => up.headers[k] !== req.headers[k] && k !== 'host').sort();
  const removed = Object.keys(req.headers).filter((k) => !(k in up.headers) && k !== 'host').sort();
  if (changed.length) out.push(`headers set: ${changed.map((k) => `${k}: ${up.headers[k]}`).join(', ')}`);
  if (removed.length) out.push(`headers removed: ${removed.join(', ')}`);
  return out;
}

function pct(p: number): string {
  return `${Math.round(p * 1000) / 10}%`;
}

/** One side: the L7 model and the mesh senders per namespace (first pod with a sidecar by name, as the row sampler picks). */
export class WitnessSide {
  public readonly model: L7Model;
  private senders?: Map<string, string>;
  private firstSender?: string;

  constructor(private readonly cluster: Cluster, options: L7Options = {}) {
    this.model = L7Model.build(cluster, { ...options, l4: false });
  }

  /** Route the witness; mesh witnesses from this side's first sidecar pod in their namespace. */
  route(w: Witness): L7Trace | string {
    if (w.meshFrom === undefined) return this.model.request({ url: w.url, method: w.method, headers: w.headers });
    const pod = this.sender(w.meshFrom);
    if (!pod) return `no pod with a mesh sidecar to send from`;
    return this.model.request({ url: w.url, method: w.method, headers: w.headers, from: { pod }, via: 'mesh' });
  }

  /** Route the witness and reduce the trace to what a client and a backend observe. */
  outcome(w: Witness): WitnessOutcome {
    const trace = this.route(w);
    if (typeof trace === 'string') return { key: trace, text: trace, ambiguities: [] };
    const text = this.outcomeText(trace);
    return { key: failureKey(trace) ?? text, text, ambiguities: trace.ambiguities.map((a) => a.message) };
  }

  private outcomeText(t: L7Trace): string {
    if (t.response) return `${t.response.status} ${t.response.location !== undefined ? `redirect to ${t.response.location}` : 'direct response'}`;
    const forwarded = t.backends.filter((b) => b.probability > 0);
    if (forwarded.length === 0 || (t.failure && t.failure.code !== 'no-endpoints' && t.failure.code !== 'backend-invalid')) {
      // The client sees the status; the reason is shown for people, the status compared.
      return `${t.failure?.status ?? 'no answer'} (${t.failure?.code ?? 'no-backend'})`;
    }
    const shares = new Map<string, number>();
    // With several backends, a share whose own backendRef filters change the request says how.
    const own = (b: L7Backend): string => {
      if (!b.upstream || forwarded.length === 1) return '';
      const r = rewriteText(b.upstream, t.request);
      return r.length ? ` (${r.join('; ')})` : '';
    };
    for (const b of forwarded) {
      const key = b.invalid ? `${b.status ?? 500} error` : `${b.service}${this.portText(b.service, b.port)}${b.subset ? ` subset ${b.subset}` : ''}${b.response ? ` ${b.response.status} redirect to ${b.response.location ?? ''}` : ''}${own(b)}`;
      shares.set(key, (shares.get(key) ?? 0) + b.probability);
    }
    const parts = [...shares].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, p]) => `${k} ${pct(p)}`);
    const rewrites = t.upstream ? rewriteText(t.upstream, t.request) : [];
    return `${parts.join(' / ')}${rewrites.length ? ` (${rewrites.join('; ')})` : ''}`;
  }

  /** `:80` for a port by number, or the number a port name resolves to on this side (Ingress names ports, HTTPRoutes number them). */
  private portText(service: string, port: number | string | undefined): string {
    if (port === undefined) return '';
    if (typeof port === 'number') return `:${port}`;
    const svc = this.cluster.services.get(service);
    const p = svc?.ports.find((x) => x.name === port);
    return `:${p ? p.port : port}`;
  }

  private sender(namespace: string): string | undefined {
    if (!this.senders) {
      this.senders = new Map();
      for (const p of this.cluster.pods.values()) {
        if (!this.model.hasSidecar(p)) continue;
        const key = `${p.namespace}/${p.name}`;
        const seen = this.senders.get(p.namespace);
        if (seen === undefined || key < seen) this.senders.set(p.namespace, key);
        if (this.firstSender === undefined || key < this.firstSender) this.firstSender = key;
      }
    }
    return this.senders.get(namespace) ?? this.firstSender;
  }
}

/** Options of {@link compareWitnesses}. */
export interface CompareOptions {
  /**
   * Witnesses the caller has shown to route the same on both sides (lib/diff/reuse.ts): counted,
   * not routed, so never in `differences` or `ambiguous` (identical outcomes and ambiguities).
   */
  readonly unchanged?: (w: Witness) => boolean;
}

/**
 * Route every witness of both sides on both sides and list those whose outcome differs.
 * `before`/`after` take their own L7 options (the equivalence mode reads Ingresses with the
 * ingress-nginx profile on one side only when the IngressClass says so; the default is per class).
 */
export function compareWitnesses(before: WitnessSide, after: WitnessSide, options: CompareOptions = {}): WitnessComparison {
  const all = new Map<string, Witness>();
  // The after side's rows that the before side had, the same, give the same witnesses and notes: not sampled again.
  const rows = new RowMemo();
  const notes = [...collectWitnesses(before.model, all, rows), ...collectWitnesses(after.model, all, rows)];
  const differences: WitnessDifference[] = [];
  const ambiguous: WitnessDifference[] = [];
  for (const w of all.values()) {
    if (options.unchanged?.(w)) continue;
    const a = before.outcome(w);
    const b = after.outcome(w);
    const d = { witness: w, request: describeWitness(w), before: a, after: b };
    if (a.key !== b.key) differences.push(d);
    if (a.ambiguities.length > 0 || b.ambiguities.length > 0) ambiguous.push(d);
  }
  return { witnesses: all.size, differences, ambiguous, notes: [...new Set(notes)] };
}

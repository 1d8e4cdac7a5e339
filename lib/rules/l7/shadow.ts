/**
 * Shadowed matches: an HTTPRoute or VirtualService match that never wins, because every request
 * it accepts is taken by another match first (Gateway API precedence across routes; Istio's
 * first match within merged VirtualServices). The question goes to the L7 model: for each place
 * a match is attached (one route row: entry point + host + match), the model's witness requests
 * for the row (`L7Model.sampleRequests`) are routed through `request()`, and the match is
 * shadowed there when none of them ends on it (`landsOn`). Matching itself stays in the engine.
 *
 * Ingress is left out: its paths are ranked by length, so only identical paths can shadow each
 * other, which `ingress-duplicate-path` reports.
 */
import { landsOn, NEUTRAL_METHOD } from '../../engine/l7/sample';
import type { L7Model } from '../../engine/l7/model';
import { label } from '../../engine/l7/parse';
import type { HttpRequest, L7Ambiguity, L7ObjectRef, L7RouteChoice, L7RouteRow, L7Trace } from '../../engine/l7/types';

/** One place where a match never wins, and who takes its requests. */
export interface ShadowPlace {
  /** Entry point id (`gateway:ns/name/listener`, `istio-gateway:...`, `mesh`). */
  readonly entry: string;
  readonly host: string;
  /** The route and match that answered the witness request instead. */
  readonly winner: L7RouteChoice;
  /** The witness request as text: `GET http://host/path with header x=y` (no method when any would do). */
  readonly request: string;
  /** What the manifests leave open that decided it (creation order, the implementation), when the model reported it. */
  readonly ambiguities: readonly L7Ambiguity[];
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

/**
 * Probe outcomes of one run kept for a later run over another model (`netkit diff`'s two sides):
 * the later run takes the outcome of a row it has too (same route, rule, match, place and
 * witness requests) when every one of those requests routes the same on both models, as
 * `sameRouting` says (lib/diff/reuse.ts shows which do), instead of routing them again.
 */
export class ShadowProbes {
  private readonly outcomes = new Map<string, ShadowPlace | 'wins' | 'unknown'>();
  private taken = 0;

  /** @param sameRouting for the later run: true for a request routed the same as on the recorded model; absent: record only */
  constructor(private readonly recorded?: ShadowProbes, private readonly sameRouting?: (request: HttpRequest) => boolean) {}

  /** The same memo for a later run whose model routes the requests `sameRouting` accepts as the recorded one did. */
  public reusedFor(sameRouting: (request: HttpRequest) => boolean): ShadowProbes {
    return new ShadowProbes(this, sameRouting);
  }

  /** How many rows this run took from the recorded run instead of routing their requests. */
  public get reused(): number {
    return this.taken;
  }

  /** @internal the recorded outcome for `key`, when every request routes the same */
  public take(key: string, requests: readonly HttpRequest[]): ShadowPlace | 'wins' | 'unknown' | undefined {
    if (!this.recorded || !this.sameRouting) return undefined;
    const hit = this.recorded.outcomes.get(key);
    if (hit === undefined || !requests.every(this.sameRouting)) return undefined;
    this.taken++;
    return hit;
  }

  /** @internal */
  public record(key: string, outcome: ShadowPlace | 'wins' | 'unknown'): void {
    this.outcomes.set(key, outcome);
  }
}

/** Every shadowed match of the model's HTTPRoutes and VirtualServices (`probes`: see {@link ShadowProbes}). */
export function shadowedMatches(model: L7Model, probes?: ShadowProbes): ShadowedMatch[] {
  const results = new Map<string, { base: Omit<ShadowedMatch, 'places' | 'winningPlaces'>; places: ShadowPlace[]; wins: number }>();
  for (const row of model.routes()) {
    // Ingress is judged by its own rules; GRPCRoute and the L4 route kinds get no HTTP witnesses.
    if (row.kind !== 'HTTPRoute' && row.kind !== 'VirtualService') continue;
    // Delegating routes hand the decision to another VirtualService: not judged here.
    if (row.delegate) continue;
    const key = `${row.kind}|${label(row.object)}|${row.rule}|${row.matchIndex ?? ''}`;
    let r = results.get(key);
    if (!r) {
      r = { base: { object: row.object, kind: row.kind, rule: row.rule, match: row.matchIndex, path: fieldPath(row), text: row.match }, places: [], wins: 0 };
      results.set(key, r);
    }
    const outcome = probe(model, row, probes);
    if (outcome === 'wins' || outcome === 'unknown') r.wins++;
    else r.places.push(outcome);
  }
  const out: ShadowedMatch[] = [];
  for (const r of results.values()) if (r.places.length > 0) out.push({ ...r.base, places: r.places, winningPlaces: r.wins });
  return out;
}

/** JSON path of the row's match (or of the VirtualService route when it has no match blocks). */
function fieldPath(row: L7RouteRow): string {
  if (row.kind === 'HTTPRoute') return `spec.rules[${row.rule}].matches[${row.matchIndex ?? 0}]`;
  return row.matchIndex === undefined ? `spec.http[${row.rule}]` : `spec.http[${row.rule}].match[${row.matchIndex}]`;
}

/** Route the row's witnesses: `wins` when one ends on the row, `unknown` when none could be built or sent. */
function probe(model: L7Model, row: L7RouteRow, probes?: ShadowProbes): ShadowPlace | 'wins' | 'unknown' {
  const requests = model.sampleRequests(row);
  if (!requests) return 'unknown';
  if (!probes) return route(model, row, requests);
  // What the outcome reads of the row besides the routing of its requests: the match it must land on and its place.
  const o = row.object;
  const key = JSON.stringify([row.kind, o.namespace ?? '', o.name, row.rule, row.matchIndex ?? null, row.entry, row.host,
    requests.map((r) => [r.url, r.method ?? null, r.headers ?? null, r.via ?? null, r.from ?? null])]);
  const taken = probes.take(key, requests);
  if (taken !== undefined) return taken;
  const outcome = route(model, row, requests);
  probes.record(key, outcome);
  return outcome;
}

function route(model: L7Model, row: L7RouteRow, requests: readonly HttpRequest[]): ShadowPlace | 'wins' | 'unknown' {
  let lost: ShadowPlace | undefined;
  for (const req of requests) {
    const t = model.request(req);
    const chosen = t.route;
    if (!chosen || chosen.kind === 'none' || !chosen.object) continue;
    if (landsOn(t, row)) return 'wins';
    // Gateway API leaves the precedence of RegularExpression paths to the implementation.
    if (isRegexHttpRouteMatch(model, chosen)) return 'unknown';
    // Mesh places are named by the destination called (a GAMMA route's rows say `*`).
    lost ??= { entry: row.entry, host: row.entry === 'mesh' ? new URL(req.url).hostname : row.host, winner: chosen, request: describeRequest(req), ambiguities: relevantAmbiguities(t) };
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

function relevantAmbiguities(t: L7Trace): L7Ambiguity[] {
  // Entry-point ambiguity is about DNS, not about which route wins: leave it out.
  return t.ambiguities.filter((a) => a.kind !== 'entry-point');
}

/**
 * Framework-agnostic HTTP checks over a {@link Simulation}: where a request goes through the L7
 * model (Ingress, Gateway API, Istio) and how it is split. Each returns `{ pass, message }`;
 * the message carries the L7 trace (entry point, every route and match considered, the backends
 * with their shares and pods), so a failing assertion explains itself.
 */
import { formatL7Trace } from '../report/l7-format';
import { looksLikeSelector, parseSelectors, podMatches } from './selectors';
import type { L7Backend, L7Trace } from '../engine/l7/types';
import type { CheckResult } from './result';
import type { HttpRequestOptions, Simulation } from './simulate';

/** What an HTTP request should reach; with nothing set, only that it is routed without errors. */
export interface HttpRouteExpectation extends HttpRequestOptions {
  /**
   * The Services it reaches, exactly (every backend with a share): `name` (any namespace) or
   * `namespace/name`. A single string is one Service.
   */
  readonly to?: string | readonly string[];
  /** The DestinationRule subset every backend it reaches is (Istio). */
  readonly subset?: string;
  /**
   * The pods it ends at: pod keys (`namespace/name`, the exact set), or label selectors
   * (`version=v2`, `version in (v2,v3)`: every pod satisfies each).
   */
  readonly pods?: string | readonly string[];
  /** The status the proxy answers itself with (a redirect, a direct response, or an error such as 404). */
  readonly status?: number;
}

/** Options of {@link checkHttpSplit}. */
export interface HttpSplitOptions extends HttpRequestOptions {
  /** Allowed difference, in percentage points. @default 0.5 */
  readonly tolerance?: number;
}

/** True for `http://` and `https://` targets (the HTTP checks); anything else is `host:port`. */
export function isHttpUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/** Checks where an HTTP request goes: routed without errors, to the expected Services, subset, pods or status. */
export function checkHttpRoute(sim: Simulation, url: string, expectation: HttpRouteExpectation = {}): CheckResult {
  const t = sim.request(url, expectation);
  const what = describe(url, expectation);
  if (expectation.status !== undefined) {
    const status = t.response?.status ?? (t.ok ? undefined : t.failure?.status);
    const ok = status === expectation.status;
    return result(ok, ok
      ? `expected ${what} not to be answered with ${expectation.status}, but it is`
      : `expected ${what} to be answered with ${expectation.status}, but ${status !== undefined ? `it gets ${status}` : `it is forwarded to ${served(t).join(', ')}`}`, t);
  }
  if (!t.ok || t.response) {
    const why = t.response ? `the proxy answers ${t.response.status}${t.response.location ? ` (Location: ${t.response.location})` : ''}` : `it fails: ${t.failure?.message ?? 'unknown'}`;
    const hint = !t.ok && t.failure?.code === 'no-entry-point' && expectation.from === undefined ? ' (for a call from inside the cluster, pass `from`: a pod or pod labels)' : '';
    return result(false, `expected ${what} to be routed, but ${why}${hint}`, t);
  }
  const problems: string[] = [];
  if (t.errorProbability > 0) problems.push(`${pct(t.errorProbability)} of the requests get an error status (${t.backends.filter(failing).map((b) => `${b.service}: ${b.invalid ?? b.l4?.failure?.message ?? 'fails'}`).join('; ')})`);
  const services = served(t);
  const wanted = list(expectation.to);
  if (wanted.length > 0) {
    const missing = wanted.filter((w) => !services.some((s) => sameService(w, s)));
    const extra = services.filter((s) => !wanted.some((w) => sameService(w, s)));
    if (missing.length > 0 || extra.length > 0) problems.push(`it reaches ${services.map((s) => `${s} (${pct(shareOf(t, s))})`).join(', ') || 'no Service'}${missing.length ? `, not ${missing.join(', ')}` : ''}`);
  }
  if (expectation.subset !== undefined) {
    const others = t.backends.filter((b) => b.probability > 0 && b.subset !== expectation.subset);
    if (others.length > 0) problems.push(`it reaches ${others.map((b) => `${b.service}${b.subset ? ` subset ${b.subset}` : ' (no subset)'}`).join(', ')}`);
  }
  const podRules = list(expectation.pods);
  if (podRules.length > 0) {
    const pods = reachedPods(t).map((p) => p.pod);
    const labelRules = podRules.filter(looksLikeSelector);
    if (labelRules.length > 0) {
      const selectors = parseSelectors(labelRules);
      const strays = pods.filter((p) => !podMatches(sim, p, selectors));
      if (pods.length === 0 || strays.length > 0) problems.push(`it reaches ${strays.join(', ') || 'no pod'}, without ${labelRules.join(', ')}`);
    } else {
      const expected = [...new Set(podRules)].sort();
      if (expected.length !== pods.length || expected.some((p, i) => p !== pods[i])) problems.push(`it reaches pods ${pods.join(', ') || 'none'}, not exactly ${expected.join(', ')}`);
    }
  }
  const where = services.map((sv) => `${sv} (${pct(shareOf(t, sv))})`).join(', ');
  return problems.length === 0
    ? result(true, `expected ${what} not to be routed${wanted.length ? ` to ${wanted.join(', ')}` : ''}, but it reaches ${where}`, t)
    : result(false, `expected ${what} to be routed${wanted.length ? ` to ${wanted.join(', ')}` : ''}${expectation.subset ? ` subset ${expectation.subset}` : ''}${podRules.length ? ` (pods ${podRules.join(', ')})` : ''}, but ${problems.join('; ')}`, t);
}

/**
 * Checks how an HTTP request is split, in percent per group. A group is a Service (`name` or
 * `namespace/name`), a DestinationRule subset name, or a pod label selector (`version=v2`, `version in (v2,v3)`,
 * weighted by the pods each backend reaches).
 */
export function checkHttpSplit(sim: Simulation, url: string, weights: Readonly<Record<string, number>>, options: HttpSplitOptions = {}): CheckResult {
  const t = sim.request(url, options);
  const what = describe(url, options);
  if (!t.ok || t.response) {
    return result(false, `expected ${what} to be split, but ${t.response ? `the proxy answers ${t.response.status}` : `it fails: ${t.failure?.message ?? 'unknown'}`}`, t);
  }
  const tolerance = options.tolerance ?? 0.5;
  const actual: Record<string, number> = {};
  for (const group of Object.keys(weights)) actual[group] = 100 * shareOfGroup(sim, t, group);
  const off = Object.keys(weights).filter((g) => Math.abs(actual[g] - weights[g]) > tolerance);
  const shown = Object.keys(weights).map((g) => `${g}: ${round(actual[g])}% (expected ${weights[g]}%)`).join(', ');
  const errors = t.errorProbability > 0 ? `; ${pct(t.errorProbability)} get an error status` : '';
  return off.length === 0
    ? result(true, `expected ${what} not to split as ${shown}`, t)
    : result(false, `expected ${what} to split ${shown}${errors}`, t);
}

function shareOfGroup(sim: Simulation, t: L7Trace, group: string): number {
  const selectors = looksLikeSelector(group) ? parseSelectors([group]) : undefined;
  let share = 0;
  for (const b of t.backends) {
    if (b.probability === 0 || failing(b)) continue;
    if (selectors) {
      for (const p of podsOf(b)) if (podMatches(sim, p.pod, selectors)) share += p.probability;
    } else if (b.subset === group || sameService(group, b.service)) {
      share += b.probability;
    }
  }
  return share;
}

/** Pods a backend reaches with their share of all requests (subset pods renormalised, as the trace shows them). */
function podsOf(b: L7Backend): { pod: string; probability: number }[] {
  if (!b.l4 || !b.l4.ok) return [];
  const keep = b.pods ? new Set(b.pods) : undefined;
  const dests = b.l4.destinations.filter((d) => d.pod !== undefined && (!keep || keep.has(d.pod)));
  const total = dests.reduce((s, d) => s + d.probability, 0) || 1;
  return dests.map((d) => ({ pod: d.pod as string, probability: (b.probability * d.probability) / total }));
}

function reachedPods(t: L7Trace): { pod: string; probability: number }[] {
  const byPod = new Map<string, number>();
  for (const b of t.backends) {
    if (b.probability === 0 || failing(b)) continue;
    for (const p of podsOf(b)) byPod.set(p.pod, (byPod.get(p.pod) ?? 0) + p.probability);
  }
  return [...byPod].map(([pod, probability]) => ({ pod, probability })).sort((a, b) => (a.pod < b.pod ? -1 : 1));
}

/** Services forwarded to with a share and without an error, sorted. */
function served(t: L7Trace): string[] {
  return [...new Set(t.backends.filter((b) => b.probability > 0 && !failing(b)).map((b) => b.service))].sort();
}

function shareOf(t: L7Trace, service: string): number {
  return t.backends.filter((b) => b.service === service && !failing(b)).reduce((s, b) => s + b.probability, 0);
}

function failing(b: L7Backend): boolean {
  return b.invalid !== undefined || (b.l4 !== undefined && !b.l4.ok);
}

/** `name` matches a Service `ns/name` in any namespace; `ns/name` matches exactly. */
function sameService(wanted: string, service: string): boolean {
  return wanted.includes('/') ? wanted === service : service === wanted || service.endsWith(`/${wanted}`);
}

function list(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

function describe(url: string, o: HttpRequestOptions): string {
  const from = o.from === undefined ? '' : ` from ${typeof o.from === 'string' ? o.from : JSON.stringify(o.from)}`;
  const headers = Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${o.method ?? 'GET'} ${url}${headers ? ` (${headers})` : ''}${from}`;
}

function pct(p: number): string {
  return `${round(p * 100)}%`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function result(pass: boolean, message: string, t: L7Trace): CheckResult {
  return { pass, message: `${message}\n\n${formatL7Trace(t)}` };
}

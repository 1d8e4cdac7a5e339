/** The mutable accumulator behind an {@link L7Trace}: steps, candidates, backends, outcome. */
import type {
  EntryPointInfo, L7Ambiguity, L7AmbiguityKind, L7Backend, L7Candidate, L7FailureCode, L7Mirror, L7ObjectRef, L7RequestInfo, L7Response, L7RouteChoice,
  L7Step, L7TlsHandling, L7Trace,
} from './types';

/** Builds one trace; `finish()` derives `ok`, the error share and the failure from what was recorded. */
export class TraceDraft {
  readonly steps: L7Step[] = [];
  readonly candidates: L7Candidate[] = [];
  readonly ambiguities: L7Ambiguity[] = [];
  backends: L7Backend[] = [];
  entry?: EntryPointInfo;
  route?: L7RouteChoice;
  response?: L7Response;
  upstream?: { host: string; path: string; headers: Record<string, string> };
  tls?: L7TlsHandling;
  timeouts?: Record<string, string>;
  mirrors?: L7Mirror[];
  responseHeaders?: Record<string, string | null>;
  /** Whether to record candidates that lost (off for bulk lookups). */
  explain = true;
  /** The finished trace, once `fail` or `finish` ran. */
  result?: L7Trace;

  constructor(public request: L7RequestInfo) {}

  /** Record one decision. */
  step(stage: L7Step['stage'], message: string, object?: L7ObjectRef): void {
    this.steps.push(object ? { stage, message, object } : { stage, message });
  }

  /** Record a candidate that was not taken. */
  lose(route: string, match: string, lostBecause: string): void {
    if (this.explain) this.candidates.push({ route, match, lostBecause });
  }

  /** Record an outcome the manifests leave open (deduplicated). */
  ambiguous(kind: L7AmbiguityKind, message: string): void {
    if (!this.ambiguities.some((a) => a.message === message)) this.ambiguities.push({ kind, message });
  }

  /** End with a failure. */
  fail(code: L7FailureCode, message: string, status?: number): L7Trace {
    return this.build(false, { code, message, status });
  }

  /** End normally: ok when a response answers or some share reaches a backend. */
  finish(): L7Trace {
    if (this.response) return this.build(this.response.status < 400);
    if (this.backends.length === 0) {
      return this.build(false, { code: 'no-backend', message: 'the matched rule has no backend', status: 500 });
    }
    const error = errorShare(this.backends);
    if (error >= 1 - 1e-9) {
      // A subset selecting no endpoint is "no healthy upstream" (503), not a broken reference.
      const noPods = (b: L7Backend): boolean => b.pods !== undefined && b.pods.length === 0;
      const allInvalid = this.backends.every((b) => (b.invalid && !noPods(b)) || b.probability === 0);
      if (allInvalid) {
        const first = this.backends.find((b) => b.invalid);
        return this.build(false, { code: 'backend-invalid', message: first?.invalid ?? 'every backend has weight 0', status: first?.status ?? 500 });
      }
      const failed = this.backends.find((b) => (b.l4 && !b.l4.ok) || noPods(b));
      return this.build(false, { code: 'no-endpoints', message: failed?.invalid ?? failed?.l4?.failure?.message ?? 'no backend has endpoints', status: 503 });
    }
    return this.build(true);
  }

  private build(ok: boolean, failure?: L7Trace['failure']): L7Trace {
    this.result = {
      request: this.request,
      ok,
      entry: this.entry,
      route: this.route,
      steps: this.steps,
      candidates: this.candidates,
      backends: this.backends,
      errorProbability: round(this.response ? (this.response.status >= 500 ? 1 : 0) : errorShare(this.backends)),
      response: this.response,
      ...(this.tls ? { tls: this.tls } : {}),
      upstream: this.upstream,
      ...(this.mirrors && this.mirrors.length > 0 ? { mirrors: this.mirrors } : {}),
      ...(this.responseHeaders ? { responseHeaders: this.responseHeaders } : {}),
      timeouts: this.timeouts,
      failure,
      ambiguities: this.ambiguities,
    };
    return this.result;
  }
}

/** Share of requests answered with an error: invalid backends, backends whose L4 trace fails. */
export function errorShare(backends: readonly L7Backend[]): number {
  let sum = 0;
  let total = 0;
  for (const b of backends) {
    total += b.probability;
    if (b.invalid || (b.l4 && !b.l4.ok)) sum += b.probability;
  }
  // With every weight 0 nothing is forwarded: all requests fail.
  return total === 0 ? 1 : sum;
}

/** Six decimals, like the L4 trace's probabilities. */
export function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/** Weights -> probabilities (weight / sum); all zero when the sum is 0. */
export function normalizeWeights(weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (sum > 0 ? round(w / sum) : 0));
}

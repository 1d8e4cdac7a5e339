/**
 * RE2 regular expressions, as Istio (`StringMatch.regex`, validated with Go's `regexp`, which is
 * RE2) and Envoy (`safe_regex`, Google RE2) evaluate them, and as Gateway API implementations
 * evaluate `RegularExpression` matches. JavaScript's `RegExp` differs both ways: it rejects
 * `(?i)` flags RE2 accepts and accepts lookarounds and back-references RE2 rejects, so the
 * validator and the L7 engine use `re2js`, a pure-JS port of RE2 (no native build).
 */
import type { RE2JS as Re2Class } from 're2js';

let re2: typeof Re2Class | undefined;

/** re2js (about 35 ms to load) on the first expression: most charts and manifests have none. */
function re2js(): typeof Re2Class {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  return (re2 ??= (require('re2js') as typeof import('re2js')).RE2JS);
}

/** A compiled RE2 expression that tests full matches. */
export interface Re2Matcher {
  /** True when the whole of `value` matches (RE2 `FullMatch`, Envoy `safe_regex`). */
  test(value: string): boolean;
}

/** The result of {@link compileRe2}: a matcher, or RE2's parse error. */
export type Re2Result = { readonly ok: true; readonly matcher: Re2Matcher } | { readonly ok: false; readonly error: string };

const cache = new Map<string, Re2Result>();

/** Compile `source` with RE2 syntax (cached; the cache is bounded by the distinct sources in the manifests). */
export function compileRe2(source: string): Re2Result {
  const hit = cache.get(source);
  if (hit) return hit;
  let result: Re2Result;
  try {
    const p = re2js().compile(source);
    result = { ok: true, matcher: { test: (value: string) => p.matches(value) } };
  } catch (error) {
    result = { ok: false, error: (error as Error).message };
  }
  cache.set(source, result);
  return result;
}

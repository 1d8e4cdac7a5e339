/**
 * Matching primitives shared by the three APIs. Where they differ the function says which one
 * it follows (host wildcard depth, element-wise vs string prefix).
 */
import { compileRe2 } from '../../k8s/re2';

/**
 * Element-wise path prefix (Ingress `Prefix`, KEP-1453; Gateway API `PathPrefix`,
 * `httproute_types.go`): a trailing `/` of the prefix is ignored, and the request matches when
 * it equals the prefix or continues it with `/`. `/foo` matches `/foo`, `/foo/`, `/foo/bar`,
 * never `/foobar`.
 */
export function elementPrefixMatch(prefix: string, path: string): boolean {
  const p = trimTrailingSlash(prefix);
  if (p === '') return true;
  return path === p || (path.startsWith(p) && path.charCodeAt(p.length) === 47 /* '/' */);
}

/** The prefix without trailing slashes (`/` becomes the empty string). */
export function trimTrailingSlash(prefix: string): string {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 47) end--;
  return prefix.slice(0, end);
}

/**
 * Ingress host match (`IngressRule.Host`): exact, or `*.foo.com` covering exactly one label
 * (`bar.foo.com` yes; `baz.bar.foo.com` and `foo.com` no).
 */
export function ingressHostMatches(ruleHost: string, host: string): boolean {
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const suffix = ruleHost.slice(1); // `.foo.com`
  if (!host.endsWith(suffix)) return false;
  const first = host.slice(0, host.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

/**
 * Gateway API / Istio host match: exact, or `*.example.com` as a suffix covering one or more
 * labels (`httproute_types.go` Hostnames; Istio `hosts`). `*` alone matches every host.
 */
export function suffixHostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * Intersection of a listener hostname and a route hostname (Gateway API
 * `HTTPRouteSpec.Hostnames`): the more specific of the two when one matches the other,
 * undefined when they don't intersect. An absent side admits everything.
 */
export function intersectHostnames(listener: string | undefined, route: string): string | undefined {
  if (listener === undefined || listener === '' || listener === '*') return route;
  if (listener === route) return route;
  const lw = listener.startsWith('*.');
  const rw = route.startsWith('*.');
  if (lw && suffixHostMatches(listener, route)) return route;
  if (rw && suffixHostMatches(route, listener)) return listener;
  return undefined;
}

/** Precedence key of a host pattern: exact hosts first, then longer wildcard suffixes. */
export function hostSpecificity(pattern: string): number {
  if (pattern === '*' || pattern === '') return 0;
  return pattern.startsWith('*.') ? pattern.length : 100000 + pattern.length;
}

const regexCache = new Map<string, RegexMatcher | null>();

/** A compiled expression: `test` says whether a value matches (in the mode it was compiled for). */
export interface RegexMatcher {
  test(value: string): boolean;
}

/**
 * A compiled regular expression, or null when the source is invalid. `mode` `full` is RE2 with a
 * full match (Envoy `safe_regex`: Gateway API RegularExpression, Istio `regex`), through
 * {@link compileRe2}; `start-ci` is PCRE-like, anchored at the start only and case-insensitive
 * (nginx `location ~* "^..."`, which JS RegExp approximates).
 */
export function compileRegex(source: string, mode: 'full'): RegexMatcher | null;
export function compileRegex(source: string, mode: 'start-ci'): RegExp | null;
export function compileRegex(source: string, mode: 'full' | 'start-ci'): RegexMatcher | null {
  const key = `${mode}\u0000${source}`;
  const hit = regexCache.get(key);
  if (hit !== undefined) return hit;
  let re: RegexMatcher | null;
  if (mode === 'full') {
    const r = compileRe2(source);
    re = r.ok ? r.matcher : null;
  } else {
    try {
      re = new RegExp(`^${source}`, 'i');
    } catch {
      re = null;
    }
  }
  regexCache.set(key, re);
  return re;
}

/** Host of a Gateway API / Istio pattern set, for index keys: `*.example.com` -> `example.com`. */
export function wildcardSuffix(pattern: string): string {
  return pattern.startsWith('*.') ? pattern.slice(2) : pattern;
}

/** A Service's cluster name `name.ns.svc.<domain>` -> `ns/name`; undefined for other hosts. */
export function serviceKeyOf(host: string, domain: string): string | undefined {
  const suffix = `.svc.${domain}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split('.');
  return parts.length === 2 ? `${parts[1]}/${parts[0]}` : undefined;
}

/** Parent domains of a host, most specific first: `a.b.c` -> `b.c`, `c`. */
export function parentDomains(host: string): string[] {
  const out: string[] = [];
  let i = host.indexOf('.');
  while (i >= 0) {
    out.push(host.slice(i + 1));
    i = host.indexOf('.', i + 1);
  }
  return out;
}

/** `a=b` pairs of a label map as text. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** True when every key/value of `subset` is in `labels`. */
export function hasLabels(labels: Readonly<Record<string, string>>, subset: Readonly<Record<string, string>>): boolean {
  for (const k in subset) if (labels[k] !== subset[k]) return false;
  return true;
}

/**
 * Witness requests: for one route match (an HTTPRoute match or a VirtualService match block), a
 * few concrete requests that the match accepts. The shadowing rule sends them through the L7
 * model; a match none of whose witnesses reaches it never wins. Nothing here decides routing:
 * a witness only has to satisfy its own match, the model says where it goes.
 *
 * Conditions a witness cannot be built for (regular expressions, source labels, per-match
 * gateways, scheme) make the match "unknown" and it is never reported.
 */
import type { HttpRouteMatchL7, StringMatchL7, VsMatchL7 } from '../../engine/l7/schemas';

/** The request parts a witness fixes; host, port and scheme come from the entry point. */
export interface Witness {
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Host the match requires (Istio `authority`), else the row's host is used. */
  readonly host?: string;
  /** Port the match requires (Istio `port`). */
  readonly port?: number;
}

/**
 * A method no match names (Gateway API methods are an enum of nine; Istio matches are usually
 * exact), so a match without a method condition is not beaten by a method-specific one.
 */
export const NEUTRAL_METHOD = 'NETKITPROBE';

/** Path segment and suffix appended to prefixes so the witness is not equal to a competing exact path. */
const PROBE = 'netkit-probe';

/** Witnesses of a Gateway API match; undefined when one of its conditions is a regular expression. */
export function httpRouteWitnesses(m: HttpRouteMatchL7): Witness[] | undefined {
  if (m.path.type === 'RegularExpression') return undefined;
  const headers: Record<string, string> = {};
  for (const h of m.headers ?? []) {
    if (h.type !== 'Exact') return undefined;
    // Only the first entry with an equivalent name counts (httproute_types.go HTTPHeaderMatch).
    const name = h.name.toLowerCase();
    if (!(name in headers)) headers[name] = h.value;
  }
  const query: Record<string, string> = {};
  for (const q of m.queryParams ?? []) {
    if (q.type !== 'Exact') return undefined;
    if (!(q.name in query)) query[q.name] = q.value;
  }
  const method = m.method ?? NEUTRAL_METHOD;
  const paths = m.path.type === 'Exact' ? [m.path.value] : elementPrefixWitnesses(m.path.value);
  return paths.map((path) => ({ path, method, headers, query }));
}

/** Element-wise prefix (`PathPrefix`): the prefix itself and one path below it. */
function elementPrefixWitnesses(prefix: string): string[] {
  const trimmed = prefix.replace(/\/+$/, '');
  return [trimmed === '' ? '/' : trimmed, `${trimmed}/${PROBE}`];
}

/** Witnesses of an Istio match block; undefined when a condition cannot be satisfied by construction. */
export function virtualServiceWitnesses(m: VsMatchL7 | undefined): Witness[] | undefined {
  if (!m) return [{ path: `/${PROBE}`, method: NEUTRAL_METHOD, headers: {}, query: {} }];
  if (m.sourceLabels || m.sourceNamespace || (m.gateways && m.gateways.length > 0) || m.scheme) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    const value = satisfy(sm);
    if (value === undefined) return undefined;
    headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    const value = satisfy(sm);
    if (value === undefined) return undefined;
    query[name] = value;
  }
  let method = NEUTRAL_METHOD;
  if (m.method) {
    const v = satisfy(m.method);
    if (v === undefined || !/^[A-Z]+$/.test(v)) return undefined;
    method = v;
  }
  let host: string | undefined;
  if (m.authority) {
    if (m.authority.exact === undefined) return undefined;
    host = m.authority.exact;
  }
  let paths: string[];
  if (!m.uri) paths = [`/${PROBE}`];
  else if (m.uri.exact !== undefined) paths = [m.uri.exact];
  // A native VirtualService prefix is a string prefix (Envoy `prefix`): probe below it and beside it.
  else if (m.uri.prefix !== undefined) paths = [m.uri.prefix, `${m.uri.prefix.replace(/\/+$/, '')}/${PROBE}`, `${m.uri.prefix}${PROBE}`];
  else return undefined;
  const base = { method, headers, query, ...(host !== undefined ? { host } : {}), ...(m.port !== undefined ? { port: m.port } : {}) };
  return paths.map((path) => ({ path, ...base }));
}

/** A value an Istio StringMatch accepts; a null or empty match only asks for presence. */
function satisfy(sm: StringMatchL7 | null | undefined): string | undefined {
  if (!sm) return PROBE;
  if (sm.exact !== undefined) return sm.exact;
  if (sm.prefix !== undefined) return `${sm.prefix}${PROBE}`;
  if (sm.regex !== undefined) return undefined;
  return PROBE;
}

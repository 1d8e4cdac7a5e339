/**
 * An {@link HttpRequest} as the proxies see it: scheme, Host (without port, lower case), port,
 * path, query (first value per name, as Gateway API recommends for repeated params) and
 * lower-cased header names (HTTP header names are case-insensitive, RFC 9110 §5.1).
 */
import type { TraceSource } from '../trace';
import type { HttpRequest, L7RequestInfo } from './types';

/** A request the model understood, or why not. */
export type ParsedRequest = { readonly ok: true; readonly info: L7RequestInfo } | { readonly ok: false; readonly message: string; readonly info: L7RequestInfo };

/** `pod ns/name`, `node n`, `external ip`, or `outside the cluster`. */
export function describeSource(from: TraceSource | undefined): string {
  if (!from) return 'outside the cluster';
  if ('pod' in from) return `pod ${from.pod}`;
  if ('node' in from) return `node ${from.node}`;
  return `external ${from.external}`;
}

const METHOD = /^[A-Z]+$/;

/** Parse the URL, Host header and headers of a request. */
export function parseRequest(req: HttpRequest): ParsedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    const name = k.toLowerCase();
    // Repeated names: the first value counts (Gateway API: "only the first entry ... MUST be considered").
    if (!(name in headers)) headers[name] = v;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const empty: L7RequestInfo = { from: describeSource(req.from), method, scheme: 'http', host: '', port: 80, path: '/', query: {}, headers };
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { ok: false, message: `"${req.url}" is not a URL; write it as http://host/path or https://host:port/path`, info: empty };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    return { ok: false, message: `${req.url}: only http and https URLs can be routed (got ${scheme}:)`, info: empty };
  }
  if (!METHOD.test(method)) return { ok: false, message: `method "${req.method}" is not an HTTP method`, info: empty };
  const defaultPort = scheme === 'https' ? 443 : 80;
  // The Host header, when given, is what routing reads (with its port ignored, as Gateway API requires).
  const hostHeader = headers.host ?? url.host;
  const { host } = splitHost(hostHeader);
  // The connection's port comes from the URL; a port in the Host header does not change where it goes.
  const port = url.port ? Number(url.port) : defaultPort;
  headers.host = host;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  const info: L7RequestInfo = { from: describeSource(req.from), method, scheme, host, port, path: url.pathname || '/', query, headers };
  if (!host) return { ok: false, message: `${req.url}: the request has no host`, info };
  return { ok: true, info };
}

/** `Host` value -> host (lower case, no trailing dot, brackets kept for IPv6) and port. */
export function splitHost(value: string): { host: string; port?: number } {
  const v = value.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(v);
  if (!m) return { host: v };
  return { host: m[1].replace(/\.$/, ''), port: m[2] ? Number(m[2]) : undefined };
}

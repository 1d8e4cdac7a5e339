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

/** URL schemes the model routes: the scheme they travel as, the default port, and whether it is gRPC. */
const SCHEMES: Readonly<Record<string, { scheme: L7RequestInfo['scheme']; port: number; grpc?: boolean }>> = {
  http: { scheme: 'http', port: 80 },
  https: { scheme: 'https', port: 443 },
  grpc: { scheme: 'http', port: 80, grpc: true },
  grpcs: { scheme: 'https', port: 443, grpc: true },
  tls: { scheme: 'tls', port: 443 },
  tcp: { scheme: 'tcp', port: 0 },
  udp: { scheme: 'udp', port: 0 },
};

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
  const written = url.protocol.replace(/:$/, '').toLowerCase();
  if (!(written in SCHEMES)) {
    return { ok: false, message: `${req.url}: only http(s)://, grpc(s)://, tls://, tcp:// and udp:// targets can be routed (got ${written}:)`, info: empty };
  }
  const { scheme, port: defaultPort, grpc } = SCHEMES[written];
  if (!METHOD.test(method)) return { ok: false, message: `method "${req.method}" is not an HTTP method`, info: empty };
  if ((scheme === 'tls' || scheme === 'tcp' || scheme === 'udp') && !url.port) {
    return { ok: false, message: `${req.url}: a ${scheme}:// target needs a port (${scheme}://host:port)`, info: empty };
  }
  // gRPC calls are HTTP/2 POSTs of content-type application/grpc (grpc/PROTOCOL-HTTP2.md).
  if (grpc) headers['content-type'] ??= 'application/grpc';
  // The Host header, when given, is what routing reads (with its port ignored, as Gateway API requires).
  const hostHeader = headers.host ?? url.host;
  const { host } = splitHost(hostHeader);
  // The connection's port comes from the URL; a port in the Host header does not change where it goes.
  const port = url.port ? Number(url.port) : defaultPort;
  headers.host = host;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  // TLS clients send the URL's host as SNI; the Host header (when given) may name another host.
  const sni = scheme === 'https' || scheme === 'tls' ? splitHost(url.host).host : undefined;
  const info: L7RequestInfo = {
    from: describeSource(req.from), method: grpc ? 'POST' : method, scheme, host, port, path: url.pathname || '/', query, headers,
    ...(sni !== undefined ? { sni } : {}), ...(grpc ? { grpc: true } : {}),
  };
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

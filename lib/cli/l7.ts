/**
 * The HTTP side of the CLI: `netkit trace <dir> http://host/path` (an {@link L7Model} request).
 * The HTTP section of `netkit routes` is `l7Routes` in lib/report/l7-routes.
 */
import type { Cluster } from '../engine/cluster';
import { L7Model, type HttpRequest, type IngressProfile } from '../engine/l7';
import type { TraceSource } from '../engine/trace';
import { formatL7Trace } from '../report/l7-format';
import { EXIT_FINDINGS, EXIT_OK, formatData, type CliIO } from './io';

/**
 * True for targets `netkit trace` routes through the L7 model: http(s):// and grpc(s):// requests,
 * and tls://, tcp://, udp:// connections (Gateway TLS/TCP/UDP listeners).
 */
export function isHttpUrl(target: string): boolean {
  return /^(https?|grpcs?|tls|tcp|udp):\/\//i.test(target.trim());
}

/** `Name: value` (curl's -H) -> [name, value]; undefined when there is no colon or no name. */
export function parseHeader(value: string): [string, string] | undefined {
  const i = value.indexOf(':');
  if (i <= 0) return undefined;
  const name = value.slice(0, i).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined;
  return [name, value.slice(i + 1).trim()];
}

/** Options of an HTTP trace from the command line. */
export interface L7TraceOptions {
  readonly from?: TraceSource;
  readonly method?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly ingressProfile?: IngressProfile;
  readonly via?: string;
  readonly output: 'text' | 'json' | 'yaml';
}

/** Run one HTTP trace; exit 0 when the request is routed, 2 when not. */
export function runL7Trace(cluster: Cluster, url: string, opts: L7TraceOptions, io: CliIO): number {
  const model = L7Model.build(cluster, { ingressProfile: opts.ingressProfile });
  const req: HttpRequest = { url, from: opts.from, method: opts.method, headers: opts.headers, via: opts.via };
  const trace = model.request(req);
  io.stdout.write(opts.output === 'text' ? formatL7Trace(trace) : formatData(trace, opts.output));
  return trace.ok ? EXIT_OK : EXIT_FINDINGS;
}

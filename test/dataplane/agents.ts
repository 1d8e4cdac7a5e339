/**
 * The suite's side of test/dataplane/agent.js: the layout `test/cluster/dataplane up` wrote
 * (env.json) and one request/answer exchange over an agent's unix control socket.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** The layout of a running data plane (`test/cluster/dataplane env`). */
export interface DataplaneEnv {
  readonly prefix: string;
  readonly mode: 'nftables' | 'iptables';
  /** CoreDNS, on port 53 of this loopback address. */
  readonly dnsServer: string;
  /** The external namespace's address on the fabric. */
  readonly externalIP: string;
  /** Source addresses of the external client. */
  readonly externalSources: readonly string[];
  readonly controlDir: string;
  readonly nodes: readonly { readonly name: string; readonly netns: string; readonly podsNetns: string }[];
}

/** Read env.json of the data plane under the cluster state directory. */
export function readEnv(stateDir: string): DataplaneEnv {
  const file = path.join(stateDir, 'dataplane', 'env.json');
  if (!fs.existsSync(file)) throw new Error(`no data plane: ${file} missing (test/cluster/dataplane up)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DataplaneEnv;
}

/** One endpoint an agent serves: an address and the ports answering with `name`. */
export interface ServedEndpoint {
  readonly name: string;
  readonly ip: string;
  readonly ports: readonly { readonly port: number; readonly protocol: string }[];
  /** The address is the namespace's own already (a hostNetwork pod's IP is its node's). */
  readonly own?: boolean;
}

/** What a probe saw: answers by text, failures by class (refused, timeout, unreachable, other:…). */
export interface ProbeResult {
  readonly answers: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  /** Source ports of the connections that timed out (at most 256 per probe). */
  readonly timeoutPorts?: readonly number[];
}

/** A probe request (see agent.js). */
export interface ProbeRequest {
  readonly src?: string;
  readonly dst: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly count: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Reuse exactly these source ports, one connection each (`count` is ignored); otherwise each connection gets a port the agent has not used for this destination. */
  readonly ports?: readonly number[];
}

/** A client for the agents of one data plane. */
export class Agents {
  constructor(readonly env: DataplaneEnv) {}

  private sock(agent: string): string {
    return path.join(this.env.controlDir, `${agent}.sock`);
  }

  /** Send one request to an agent (`node-1`, `node-1-pods`, `external`); rejects on its error or after `timeoutMs`. */
  call<T>(agent: string, req: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const c = net.connect(this.sock(agent));
      let text = '';
      const timer = setTimeout(() => { c.destroy(); reject(new Error(`agent ${agent}: no answer to ${String(req.op)} within ${timeoutMs} ms`)); }, timeoutMs);
      c.setEncoding('utf8');
      c.on('connect', () => c.write(`${JSON.stringify(req)}\n`));
      c.on('data', (d: string) => { text += d; });
      c.on('error', (e) => { clearTimeout(timer); reject(new Error(`agent ${agent}: ${e.message}`)); });
      c.on('end', () => {
        clearTimeout(timer);
        try {
          const r = JSON.parse(text) as { ok: boolean; result?: T; error?: string };
          if (r.ok) resolve(r.result as T);
          else reject(new Error(`agent ${agent}: ${r.error}`));
        } catch {
          reject(new Error(`agent ${agent}: unreadable answer ${text.slice(0, 200)}`));
        }
      });
    });
  }

  serve(agent: string, endpoints: readonly ServedEndpoint[]): Promise<{ addresses: number; sockets: number; skipped: string[] }> {
    return this.call(agent, { op: 'serve', endpoints });
  }

  probe(agent: string, req: ProbeRequest): Promise<ProbeResult> {
    return this.call(agent, { op: 'probe', ...req }, req.timeoutMs * (Math.ceil(req.count / req.concurrency) + 2) + 10_000);
  }

  http(agent: string, url: string, timeoutMs = 2000): Promise<{ status?: number; body?: string; error?: string }> {
    return this.call(agent, { op: 'http', url, timeoutMs });
  }

  route(agent: string, dst: string, via: string | null): Promise<void> {
    return this.call(agent, { op: 'route', dst, via });
  }

  /** Make exactly these extra routes exist in an agent's namespace (those an earlier call added and not listed here go). */
  routes(agent: string, routes: readonly { readonly dst: string; readonly via?: string; readonly dev?: string }[]): Promise<{ routes: number }> {
    return this.call(agent, { op: 'routes', routes });
  }
}

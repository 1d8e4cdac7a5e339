/**
 * Connection reuse for `kube.ts`, apart so that it can be tested without loading
 * `@kubernetes/client-node` (only its types are used here).
 */
import * as https from 'https';
import type { Middleware, RequestContext, ResponseContext } from '@kubernetes/client-node';

/** One TLS setting as a string: CA, client certificate and key, verification, server name. */
function tlsKey(options: https.AgentOptions): string {
  const part = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('base64') : Array.isArray(v) ? v.map(part).join('|') : v === undefined ? '' : String(v));
  return JSON.stringify([options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername].map(part));
}

/**
 * Keep connections open between requests. client-node gives every request a new `https.Agent`
 * (`KubeConfig.applySecurityAuthentication`), so each one would open its own TCP connection and
 * do a TLS handshake; this hands requests one keep-alive agent per distinct TLS setting instead
 * (a rotated client certificate gets a new one). Proxy agents are left alone.
 */
export function reuseConnections(): Middleware {
  const agents = new Map<string, https.Agent>();
  return {
    pre: (ctx: RequestContext): Promise<RequestContext> => {
      const agent = ctx.getAgent();
      if (agent instanceof https.Agent && agent.constructor === https.Agent) {
        const options = (agent as https.Agent & { readonly options: https.AgentOptions }).options;
        const k = tlsKey(options);
        let shared = agents.get(k);
        // Idle connections close after 15 s, before servers and load balancers usually drop
        // them, so a request rarely goes out on a connection the other side has closed.
        if (!shared) agents.set(k, (shared = new https.Agent({ ...options, keepAlive: true, timeout: 15_000 })));
        ctx.setAgent(shared);
      }
      return Promise.resolve(ctx);
    },
    post: (response: ResponseContext): Promise<ResponseContext> => Promise.resolve(response),
  };
}

import * as http from 'http';
import * as https from 'https';
import type { RequestContext } from '@kubernetes/client-node';
import { reuseConnections } from '../../lib/apply/agents';

/** The part of a request context the middleware touches. */
interface FakeContext {
  agent: http.Agent | undefined;
  getAgent(): http.Agent | undefined;
  setAgent(a: http.Agent): void;
}

function ctx(agent: http.Agent | undefined): FakeContext {
  const c: FakeContext = { agent, getAgent: () => c.agent, setAgent: (a) => { c.agent = a; } };
  return c;
}

/** The agent a request goes out with after the middleware. */
async function agentAfter(m: ReturnType<typeof reuseConnections>, agent: http.Agent | undefined): Promise<http.Agent | undefined> {
  const c = ctx(agent);
  await m.pre(c as unknown as RequestContext);
  return c.agent;
}

describe('reuseConnections', () => {
  test('requests with the same TLS setting share one keep-alive agent; another setting gets its own', async () => {
    const m = reuseConnections();
    const a = await agentAfter(m, new https.Agent({ ca: 'CA-1', rejectUnauthorized: true }));
    const b = await agentAfter(m, new https.Agent({ ca: Buffer.from('CA-1').toString(), rejectUnauthorized: true }));
    const c = await agentAfter(m, new https.Agent({ ca: 'CA-1', cert: 'client-2', rejectUnauthorized: true }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect((a as https.Agent & { options: https.AgentOptions }).options).toMatchObject({ keepAlive: true, ca: 'CA-1', rejectUnauthorized: true });
    for (const x of [a, c]) x?.destroy();
  });

  test('proxy agents (https.Agent subclasses), plain http agents and no agent are left alone', async () => {
    const m = reuseConnections();
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent();
    const plain = new http.Agent();
    expect(await agentAfter(m, proxy)).toBe(proxy);
    expect(await agentAfter(m, plain)).toBe(plain);
    expect(await agentAfter(m, undefined)).toBeUndefined();
  });
});

/**
 * Child process of stale-connection.test.ts (the client library is ES modules, which jest does
 * not load): connects with the kubeconfig named in argv[2], then makes, in order, the calls named
 * in argv[3..] (`version`, `get`, `apply`) on one client, and prints each outcome as JSON.
 */
import { connect } from '../../lib/apply/kube';

async function main(): Promise<void> {
  const { client } = connect({ kubeconfig: process.argv[2], requestTimeoutMs: 10_000 });
  const out: string[] = [];
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } };
  for (const call of process.argv.slice(3)) {
    try {
      if (call === 'version') out.push(`version ${await client.version()}`);
      else if (call === 'get') out.push(`get ${(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }))?.metadata.name ?? 'none'}`);
      else out.push(`apply ${(await client.apply(cm, { fieldManager: 'netkit', force: false, dryRun: false })).status}`);
    } catch (e) {
      out.push(`${call} failed: ${(e as Error).message}`);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

void main();

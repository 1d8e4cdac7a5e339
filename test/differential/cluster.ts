/**
 * The live side of the differential tests: a connection to the local control plane that
 * `test/cluster/up` starts, through `lib/apply` (server-side apply, LIST, GET, DELETE on
 * `@kubernetes/client-node`), plus the few calls `lib/apply` has no use for: patching a pod's
 * status subresource (readiness flips), removing finalizers, creating Nodes with a status, and
 * namespace lifecycle.
 */
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyObjects, type ApplyReport, type ObjectResult } from '../../lib/apply/apply';
import { defaultConnector, openSession } from '../../lib/apply/session';
import type { KubeClient, KubeObject } from '../../lib/apply/types';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';
import { pollUntil } from './poll';

const ROOT = path.join(__dirname, '..', '..');

/** Field manager and apply set of everything the differential suite applies. */
export const APPLY_SET = 'netkit-differential';
/** Label on the namespaces the suite creates (and deletes). */
export const NAMESPACE_LABEL = 'netkit.io/differential';

/**
 * The kubeconfig to use: `NETKIT_DIFFERENTIAL_KUBECONFIG`, else the one `test/cluster/up`
 * writes (`$NETKIT_CLUSTER_STATE/kubeconfig`, default `.cluster/kubeconfig`). `$KUBECONFIG` is
 * deliberately not read: the suite creates nodes, CRDs and thousands of pods, which belongs on
 * the throwaway local control plane, not on whatever cluster a shell happens to point at.
 */
export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETKIT_DIFFERENTIAL_KUBECONFIG || path.join(env.NETKIT_CLUSTER_STATE || path.join(ROOT, '.cluster'), 'kubeconfig');
}

/** The API server answered, or why not (a message a person can act on). */
export type Connect = { readonly ok: true; readonly live: LiveCluster } | { readonly ok: false; readonly problem: string };

const NOT_UP = 'start the local control plane with `test/cluster/up` (or set NETKIT_DIFFERENTIAL_KUBECONFIG to the kubeconfig of another throwaway test cluster)';

/** Connect to the cluster (`file`, default {@link kubeconfigPath}); never throws. */
export async function connectLive(file: string = kubeconfigPath()): Promise<Connect> {
  if (!fs.existsSync(file)) return { ok: false, problem: `no kubeconfig at ${file}: ${NOT_UP}` };
  const session = await openSession(defaultConnector, { kubeconfig: file });
  if (!session.ok) return { ok: false, problem: `${session.problem}\n  ${NOT_UP}` };
  // Loaded here, not at the top: the unit tests import this module's neighbours without a cluster.
  const { KubeConfig: Config } = await import('@kubernetes/client-node');
  const kc = new Config();
  kc.loadFromFile(file);
  return { ok: true, live: new LiveCluster(session.connection.client, kc, session.serverVersion) };
}

/** An error from a raw request. */
export class RawRequestError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
    this.name = 'RawRequestError';
  }
}

/** The cluster the suite runs against. */
export class LiveCluster {
  constructor(
    /** `lib/apply`'s client: apply, get, list, delete. */
    public readonly client: KubeClient,
    private readonly kc: KubeConfig,
    public readonly serverVersion: string,
  ) {}

  /**
   * kube-apiserver as test/cluster/up starts it, for the engine's profile (`apiServer`): its
   * secure port is the kubeconfig server's port, it advertises 127.0.0.1 and runs with
   * `--endpoint-reconciler-type=none`, so `default/kubernetes` gets no endpoints.
   */
  public apiServer(): { address: string; port: number; endpoints: boolean } {
    const server = this.kc.getCurrentCluster()?.server;
    const port = server ? Number(new URL(server).port || 443) : 443;
    return { address: '127.0.0.1', port, endpoints: false };
  }

  /** A request the typed client has no method for; resolves to the JSON body. */
  public async raw(method: string, apiPath: string, body?: unknown, contentType = 'application/json'): Promise<Record<string, unknown>> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new RawRequestError(0, 'the kubeconfig has no current cluster');
    const url = new URL(apiPath, server);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': contentType } : {}) } };
    await this.kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = https.request(url, opts, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { text += c; });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let json: Record<string, unknown>;
          try { json = text ? JSON.parse(text) as Record<string, unknown> : {}; } catch { json = { message: text }; }
          if (status < 200 || status > 299) reject(new RawRequestError(status, `${method} ${apiPath}: ${status} ${String(json.message ?? text).slice(0, 300)}`));
          else resolve(json);
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${apiPath}: no answer within 30s`)));
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  /**
   * Set a pod's Ready condition through the status subresource, as a kubelet does when a
   * readiness probe starts or stops passing. KWOK's `pod-ready` stage only acts on Pending pods,
   * so it does not flip the condition back.
   */
  public async setPodReady(namespace: string, pod: string, ready: boolean): Promise<void> {
    const status = ready ? 'True' : 'False';
    const now = new Date().toISOString();
    await this.raw('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod}/status`, {
      status: { conditions: [{ type: 'Ready', status, lastTransitionTime: now }, { type: 'ContainersReady', status, lastTransitionTime: now }] },
    }, 'application/strategic-merge-patch+json');
  }

  /** Drop every finalizer of a pod (so a pod held in Terminating can go). */
  public async clearFinalizers(namespace: string, pod: string): Promise<void> {
    try {
      await this.raw('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod}`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    } catch (e) {
      if (!(e instanceof RawRequestError && e.status === 404)) throw e;
    }
  }

  /**
   * Server-side apply of plain objects with the suite's field manager; throws on any failure,
   * except, when `rejections` is given, objects the API server refused: those are recorded there
   * and the rest is applied. Then requests go one at a time, so that objects of one apply step
   * reach the API server in file order (netkit apply starts them in that order but keeps several
   * in flight, which leaves the order of arrival to the network).
   */
  public async apply(objects: readonly JsonObject[], log: (line: string) => void = () => undefined, rejections?: ObjectResult[]): Promise<ApplyReport> {
    const loaded = fromObjects(objects, '<differential>');
    if (loaded.errors.length > 0) throw new Error(`manifests do not load: ${loaded.errors.map(String).join('; ')}`);
    const report = await applyObjects(loaded.objects, this.client, { dryRun: false, forceConflicts: true, prune: false, log, ...(rejections ? { concurrency: 1 } : {}) });
    let failed = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown');
    if (rejections && !report.aborted) {
      // Refused by the API server (an HTTP status, e.g. 422 Invalid): recorded, not fatal.
      const refused = failed.filter((r) => r.outcome === 'failed' && r.error?.status !== undefined && r.error.status >= 400 && r.error.status < 500);
      rejections.push(...refused);
      failed = failed.filter((r) => !refused.includes(r));
    }
    if (report.aborted || failed.length > 0) {
      throw new Error(`apply failed: ${report.aborted ?? failed.map((r) => `${r.ref.kind} ${r.ref.name}: ${r.error?.message ?? r.outcome}`).join('; ')}`);
    }
    return report;
  }

  /** Create a namespace of the suite (after deleting a leftover of an earlier run) and wait for its default ServiceAccount. */
  public async freshNamespace(name: string, timeoutMs = 120_000): Promise<void> {
    await this.deleteNamespace(name, timeoutMs);
    await this.raw('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [NAMESPACE_LABEL]: 'true' } } });
    // The ServiceAccount admission plugin refuses pods until the serviceaccount controller made `default`.
    await pollUntil(`ServiceAccount ${name}/default`, timeoutMs, async () =>
      (await this.client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' })) !== undefined);
  }

  /**
   * Delete a namespace and wait until it is gone. Pods held by a finalizer (the terminating
   * scenario) are released first; KWOK deletes the others.
   */
  public async deleteNamespace(name: string, timeoutMs = 180_000): Promise<void> {
    const ns = await this.client.get({ apiVersion: 'v1', kind: 'Namespace', name });
    if (!ns) return;
    for (const p of await this.client.list('v1', 'Pod', { namespace: name })) {
      if ((p.metadata as { finalizers?: string[] }).finalizers?.length) await this.clearFinalizers(name, p.metadata.name);
    }
    if (!ns.metadata.deletionTimestamp) await this.client.delete({ apiVersion: 'v1', kind: 'Namespace', name }, { dryRun: false }).catch(ignoreNotFound);
    await pollUntil(`namespace ${name} to be deleted`, timeoutMs, async () => {
      for (const p of await this.client.list('v1', 'Pod', { namespace: name })) {
        if ((p.metadata as { finalizers?: string[] }).finalizers?.length) await this.clearFinalizers(name, p.metadata.name);
      }
      return (await this.client.get({ apiVersion: 'v1', kind: 'Namespace', name })) === undefined;
    }, 500);
  }

  /** Create Nodes (with their status, as a kubelet registers them); existing ones are left alone. */
  public async createNodes(nodes: readonly KubeObject[]): Promise<void> {
    for (const n of nodes) {
      if (await this.client.get({ apiVersion: 'v1', kind: 'Node', name: n.metadata.name })) continue;
      await this.raw('POST', '/api/v1/nodes', n);
    }
  }

  /** Delete Nodes and wait until they are gone. */
  public async deleteNodes(names: readonly string[], timeoutMs = 60_000): Promise<void> {
    for (const name of names) await this.client.delete({ apiVersion: 'v1', kind: 'Node', name }, { dryRun: false }).catch(ignoreNotFound);
    await pollUntil('extra nodes to be deleted', timeoutMs, async () => {
      for (const name of names) if (await this.client.get({ apiVersion: 'v1', kind: 'Node', name })) return false;
      return true;
    });
  }
}

function ignoreNotFound(e: unknown): void {
  if ((e as { status?: number }).status === 404) return;
  throw e;
}

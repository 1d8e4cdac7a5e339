/**
 * The real control plane next to the engine, in one run: for the examples and for a generated
 * 1,000-Service app, the time to apply the manifests to the local control plane
 * (test/cluster/up) and wait until every Service's endpoints settle, against the time the engine
 * takes to build the same state from the same manifests.
 *
 *   npm run bench:live          (ts-node --transpile-only bench/live-vs-engine.ts [--services N] [--concurrency N] [--keep])
 *
 * Live: `netkit apply`'s code path (server-side apply in dependency order, the objects of one
 * kind `--concurrency` at a time, default as `netkit apply`; the controllers start working while
 * later objects are still being sent), then `netkit apply --wait`'s (every workload rolled out, every selector Service's
 * EndpointSlices holding the endpoint counts the engine predicts); "settle" is the time from the
 * last object sent until then. Engine: loading the objects (`fromObjects`) plus `Cluster.build` on
 * a profile made from the cluster's nodes.
 *
 * So that the run never collides with the examples applied by `npm run test:e2e` or by a user,
 * namespaces get the prefix `nkb-` and explicit NodePorts are dropped; custom resources whose
 * CRDs the cluster does not serve (Gateway API, Istio) are left out (no controller acts on them
 * here); the example StatefulSet's claims get pre-bound PersistentVolumes (static provisioning,
 * as the control plane has no storage provisioner). Everything is deleted afterwards.
 */
import { performance } from 'perf_hooks';
import { App } from 'cdk8s';
import { DEFAULT_CONCURRENCY, applyObjects } from '../lib/apply/apply';
import { profileFromNodes } from '../lib/apply/live';
import { predictEndpoints, ROLLOUT_KINDS, waitUntilSettled } from '../lib/apply/wait';
import { Cluster } from '../lib/engine/cluster';
import { fromObjects, type JsonObject } from '../lib/manifest/objects';
import { synthesizeObjects } from '../lib/testing/simulate';
import { buildExamplesApp } from '../examples/main';
import { connectLive, type LiveCluster } from '../test/differential/cluster';
import { pollUntil } from '../test/differential/poll';
import { table } from '../test/differential/report';

type Json = Record<string, unknown>;

const PREFIX = 'nkb-';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** One app to time. */
interface Workload {
  readonly name: string;
  readonly objects: JsonObject[];
  /** Cluster-scoped helpers created before the clock starts (PersistentVolumes). */
  readonly setup?: JsonObject[];
  readonly skipped: string[];
}

/** Prefix namespaces, drop explicit NodePorts (see the module comment). */
function isolate(o: JsonObject): JsonObject {
  const c = JSON.parse(JSON.stringify(o)) as Json & { metadata: Json; spec?: Json };
  if (c.kind === 'Namespace') c.metadata.name = `${PREFIX}${String(c.metadata.name)}`;
  else if (typeof c.metadata.namespace === 'string') c.metadata.namespace = `${PREFIX}${c.metadata.namespace}`;
  if (c.kind === 'Service' && Array.isArray(c.spec?.ports)) for (const p of c.spec.ports as Json[]) delete p.nodePort;
  return c;
}

/** The examples app, isolated, with PersistentVolumes for its StatefulSets' claims. */
async function examples(live: LiveCluster): Promise<Workload> {
  const all = synthesizeObjects(buildExamplesApp(new App())).map((o) => isolate(o.raw));
  const objects: JsonObject[] = [];
  const skipped: string[] = [];
  for (const o of all) {
    if (await live.client.resource(String(o.apiVersion), String(o.kind))) objects.push(o);
    else skipped.push(String(o.kind));
  }
  const setup: JsonObject[] = [];
  for (const o of objects) {
    if (o.kind !== 'StatefulSet') continue;
    const meta = o.metadata as Json;
    const spec = o.spec as { replicas?: number; volumeClaimTemplates?: { metadata: { name: string }; spec: { resources?: { requests?: { storage?: string } } } }[] };
    for (const t of spec.volumeClaimTemplates ?? []) {
      for (let i = 0; i < (spec.replicas ?? 1); i++) {
        const claim = `${t.metadata.name}-${String(meta.name)}-${i}`;
        setup.push({
          apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `${PREFIX}${String(meta.namespace)}-${claim}` },
          spec: {
            capacity: { storage: t.spec.resources?.requests?.storage ?? '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete',
            storageClassName: '', hostPath: { path: `/tmp/${PREFIX}pv-${claim}` }, claimRef: { namespace: meta.namespace, name: claim },
          },
        });
      }
    }
  }
  return { name: 'examples', objects, setup, skipped };
}

/**
 * `services` Services over `services / 5` one-replica Deployments in 10 namespaces; each Deployment is selected by 5 Services on different ports.
 * One replica: the local nodes allocate 110 pods each (kubelet's default maxPods), so 1,000 Services' 200 pods fit on 3 nodes.
 */
function generated(services: number): Workload {
  const objects: JsonObject[] = [];
  const deployments = Math.max(1, Math.floor(services / 5));
  for (let d = 0; d < deployments; d++) {
    const ns = `${PREFIX}app-${d % 10}`;
    const labels = { app: `app-${d}` };
    objects.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${d}`, namespace: ns },
      spec: {
        replicas: 1, selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'registry.invalid/app:1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'grpc', containerPort: 9000 }] }] } },
      },
    });
  }
  for (let s = 0; s < services; s++) {
    const d = s % deployments;
    objects.push({
      apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: `${PREFIX}app-${d % 10}` },
      spec: { selector: { app: `app-${d}` }, ports: s % 2 === 0 ? [{ name: 'http', port: 80, targetPort: 'http' }] : [{ name: 'grpc', port: 9000, targetPort: 'grpc' }, { name: 'http', port: 80, targetPort: 8080 }] },
    });
  }
  return { name: `${services} Services`, objects, skipped: [] };
}

function namespacesOf(objects: readonly JsonObject[]): string[] {
  return [...new Set(objects.map((o) => (o.metadata as Json).namespace).filter((n): n is string => typeof n === 'string'))].sort();
}

interface Timing {
  readonly name: string;
  readonly objects: number;
  readonly services: number;
  readonly pods: number;
  readonly applyMs: number;
  readonly settleMs: number;
  readonly engineMs: number;
  readonly buildMs: number;
  readonly skipped: string[];
}

async function clean(live: LiveCluster, w: Workload): Promise<void> {
  for (const ns of namespacesOf(w.objects)) await live.deleteNamespace(ns, 300_000);
  for (const o of w.setup ?? []) await live.client.delete({ apiVersion: 'v1', kind: String(o.kind), name: String((o.metadata as Json).name) }, { dryRun: false }).catch(() => undefined);
  await pollUntil('the bench PersistentVolumes to go', 60_000, async () => {
    for (const o of w.setup ?? []) if (await live.client.get({ apiVersion: 'v1', kind: String(o.kind), name: String((o.metadata as Json).name) })) return false;
    return true;
  });
}

async function time(live: LiveCluster, w: Workload, concurrency: number, log: (s: string) => void): Promise<Timing> {
  await clean(live, w); // a leftover of an interrupted run would make the apply a no-op
  if (w.setup && w.setup.length > 0) await live.apply(w.setup);
  const nodes = await live.client.list('v1', 'Node');
  // Engine first (it also gives the wait its prediction); measured on its own.
  const t0 = performance.now();
  const loaded = fromObjects(w.objects, w.name);
  const t1 = performance.now();
  const engine = Cluster.build(loaded.objects, profileFromNodes(nodes));
  const t2 = performance.now();

  log(`[${w.name}] applying ${w.objects.length} objects`);
  const a0 = performance.now();
  const report = await applyObjects(loaded.objects, live.client, { dryRun: false, forceConflicts: true, prune: false, concurrency, log: () => undefined });
  const a1 = performance.now();
  const failed = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'unknown');
  if (report.aborted || failed.length > 0) throw new Error(`${w.name}: apply failed: ${report.aborted ?? failed.map((r) => `${r.ref.kind} ${r.ref.name}: ${r.error?.message}`).join('; ')}`);
  const workloads = loaded.objects.filter((o) => ROLLOUT_KINDS.has(o.ref.kind)).map((o) => ({ apiVersion: o.apiVersion, kind: o.ref.kind, namespace: o.ref.namespace ?? 'default', name: o.ref.name }));
  const services = predictEndpoints(engine);
  let said = performance.now();
  const waited = await waitUntilSettled(live.client, { workloads, services }, {
    timeoutMs: 600_000, intervalMs: 250,
    onPoll: (p) => {
      if (performance.now() - said < 10_000) return;
      said = performance.now();
      log(`[${w.name}] waiting: ${p.length} pending, e.g. ${p[0]}`);
    },
  });
  const a2 = performance.now();
  if (!waited.settled) throw new Error(`${w.name}: did not settle: ${waited.pending.slice(0, 5).join('; ')}`);
  return {
    name: w.name, objects: w.objects.length, services: engine.services.size, pods: engine.pods.size,
    applyMs: a1 - a0, settleMs: a2 - a1, engineMs: t2 - t0, buildMs: t2 - t1, skipped: w.skipped,
  };
}

function s(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

async function main(): Promise<number> {
  const c = await connectLive();
  if (!c.ok) {
    process.stderr.write(`error: no cluster to time against: ${c.problem}\n`);
    return 1;
  }
  const live = c.live;
  const log = (line: string): void => { process.stderr.write(`${line}\n`); };
  const keep = process.argv.includes('--keep');
  const concurrency = arg('concurrency', DEFAULT_CONCURRENCY);
  const work = [await examples(live), generated(arg('services', 1000))];
  const results: Timing[] = [];
  for (const w of work) {
    try {
      results.push(await time(live, w, concurrency, log));
    } finally {
      if (!keep) await clean(live, w);
    }
  }
  const rows = [['app', 'objects', 'Services', 'pods', 'apply', 'settle', 'live total', 'engine (load + build)', 'live / engine']];
  for (const r of results) {
    const total = r.applyMs + r.settleMs;
    rows.push([r.name, String(r.objects), String(r.services), String(r.pods), s(r.applyMs), s(r.settleMs), s(total), `${s(r.engineMs)} (build ${s(r.buildMs)})`, `${Math.round(total / r.engineMs)}x`]);
  }
  process.stdout.write(`Kubernetes ${live.serverVersion} (test/cluster, KWOK nodes) vs the engine, one run, apply concurrency ${concurrency}:\n${table(rows)}\n`);
  for (const r of results) if (r.skipped.length > 0) process.stdout.write(`${r.name}: left out ${r.skipped.length} custom resources the cluster does not serve (${[...new Set(r.skipped)].join(', ')})\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});

/**
 * ApplySet pruning end to end on the local control plane (`test/cluster/up`), next to kubectl
 * built from the same release (test/cluster/build.sh): the two tools compute the same ids, agree
 * on membership, refuse each other's sets and never prune each other's objects; two projects;
 * a cluster-scoped kind netkit does not know; a cluster-scoped kind a CRD defines; a connection
 * cut during apply and during prune (a TLS-terminating proxy on 127.0.0.1 that forwards a
 * request, then drops its answer and goes away); an RBAC-limited user. `npm run test:e2e`.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { applySetId } from '../../lib/apply/applyset';

const ROOT = path.join(__dirname, '..', '..');
const KUBECONFIG = process.env.NETKIT_E2E_KUBECONFIG
  ?? path.join(process.env.NETKIT_CLUSTER_STATE ?? path.join(ROOT, '.cluster'), 'kubeconfig');
const BIN = path.join(ROOT, 'bin', 'netkit.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-applyset-e2e-'));
const PART_OF = 'applyset.kubernetes.io/part-of';

type Json = Record<string, unknown>;
interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

let kubectlBin: string;
let kc: { server: string; ca: Buffer; token: string };

/** A process run without blocking this one (the proxy below serves it from this event loop). */
function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

function netkit(args: readonly string[], kubeconfig = KUBECONFIG): Promise<Run> {
  return run(process.execPath, [BIN, ...args, '--kubeconfig', kubeconfig]);
}

function kubectl(args: readonly string[], kubeconfig = KUBECONFIG): Promise<Run> {
  // ApplySet-based pruning is alpha in kubectl: KUBECTL_APPLYSET=true turns it on.
  return run(kubectlBin, ['--kubeconfig', kubeconfig, ...args], { KUBECTL_APPLYSET: 'true' });
}

function show(r: Run): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

/** A direct request to the API server as the admin of the kubeconfig `up` wrote. */
function api(method: string, apiPath: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Json }> {
  const url = new URL(apiPath, kc.server);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: kc.ca, headers: { Authorization: `Bearer ${kc.token}`, Accept: 'application/json', ...(body ? { 'Content-Type': contentType } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => {
        let parsed: Json = {};
        try { parsed = JSON.parse(text) as Json; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function exists(apiPath: string): Promise<boolean> {
  const r = await api('GET', apiPath);
  if (r.status !== 200 && r.status !== 404) throw new Error(`GET ${apiPath}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.status === 200 && !(r.body.metadata as Json | undefined)?.deletionTimestamp;
}

async function names(apiPath: string, selector: string): Promise<string[]> {
  const r = await api('GET', `${apiPath}?labelSelector=${encodeURIComponent(selector)}`);
  return ((r.body.items ?? []) as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();
}

/** Delete namespaces left by an earlier run and wait until they are gone. */
async function freshNamespaces(...nss: string[]): Promise<void> {
  for (const ns of nss) await api('DELETE', `/api/v1/namespaces/${ns}`);
  for (const ns of nss) {
    for (let i = 0; i < 600 && (await api('GET', `/api/v1/namespaces/${ns}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 200));
  }
}

function writeDir(name: string, objects: readonly Json[]): string {
  const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  fs.writeFileSync(path.join(dir, `${name}.yaml`), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

function configMap(name: string, namespace: string, size = 16): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { v: 'x'.repeat(size) } };
}

interface Report {
  results: { ref: { kind: string; namespace?: string; name: string }; outcome: string; detail?: string; error?: { reason: string; message: string } }[];
  pruned: { ref: { kind: string; namespace?: string; name: string }; outcome: string; detail?: string }[];
  pruneNotListed?: { groupKind: string; namespace?: string; why: string }[];
  aborted?: string;
}

function report(r: Run): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report:\n${show(r)}`);
  }
}

beforeAll(async () => {
  if (!fs.existsSync(KUBECONFIG)) throw new Error(`no cluster: ${KUBECONFIG} is missing (run test/cluster/up first)`);
  const doc = parse(fs.readFileSync(KUBECONFIG, 'utf8')) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; users: { user: { token: string } }[] };
  kc = { server: doc.clusters[0].cluster.server, ca: Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64'), token: doc.users[0].user.token };
  kubectlBin = path.join(execFileSync(path.join(ROOT, 'test', 'cluster', 'build.sh'), { encoding: 'utf8', timeout: 1_800_000 }).trim(), 'kubectl');
  const v = await kubectl(['version', '--client', '-o', 'json']);
  if (v.status !== 0) throw new Error(`kubectl does not run:\n${show(v)}`);
}, 1_900_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ApplySet: netkit next to kubectl', () => {
  const ns = 'netkit-e2e-applyset';

  test('same ids, same membership; each refuses the other\'s set; each prunes only its own members', async () => {
    await freshNamespaces(ns);
    await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const k = await kubectl(['apply', '-n', ns, '--prune', '--applyset=kset', '--server-side', '-f', writeDir('k', [configMap('k1', ns), configMap('k2', ns)])]);
    expect(k.status).toBe(0);
    const n = await netkit(['apply', writeDir('n', [configMap('n1', ns), configMap('n2', ns)]), '--applyset', 'nset', '-n', ns]);
    expect(n.status).toBe(0);

    // kubectl's parent carries the id netkit computes for it; netkit's parent the id kubectl would.
    const kParent = (await api('GET', `/api/v1/namespaces/${ns}/secrets/kset`)).body.metadata as { labels: Json; annotations: Json };
    const kId = applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'kset', namespace: ns });
    expect(kParent.labels['applyset.kubernetes.io/id']).toBe(kId);
    expect(String(kParent.annotations['applyset.kubernetes.io/tooling'])).toMatch(/^kubectl\//);
    const nParent = (await api('GET', `/api/v1/namespaces/${ns}/secrets/nset`)).body.metadata as { labels: Json; annotations: Json };
    const nId = applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'nset', namespace: ns });
    expect(nParent.labels['applyset.kubernetes.io/id']).toBe(nId);
    expect(nParent.annotations).toMatchObject({ 'applyset.kubernetes.io/tooling': 'netkit/v0.1.0', 'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap', 'applyset.kubernetes.io/additional-namespaces': '' });
    // Membership as kubectl lists it (by the part-of label) is each tool's set.
    const members = async (id: string): Promise<string[]> => (await kubectl(['get', 'configmaps', '-n', ns, '-l', `${PART_OF}=${id}`, '-o', 'name'])).stdout.trim().split('\n').sort();
    expect(await members(kId)).toEqual(['configmap/k1', 'configmap/k2']);
    expect(await members(nId)).toEqual(['configmap/n1', 'configmap/n2']);

    // Each refuses the other's parent, and changes nothing.
    const nOnK = await netkit(['apply', writeDir('nk', [configMap('k1', ns)]), '--applyset', 'kset', '-n', ns, '--prune']);
    expect(nOnK.status).toBe(1);
    expect(nOnK.stderr).toMatch(/secrets\/kset \(namespace netkit-e2e-applyset\) is an apply set managed by "kubectl\/[^"]+", not netkit/);
    const kOnN = await kubectl(['apply', '-n', ns, '--prune', '--applyset=nset', '--server-side', '-f', writeDir('kn', [configMap('n1', ns)])]);
    expect(kOnN.status).not.toBe(0);
    expect(kOnN.stderr).toContain('is managed by tooling "netkit" instead of "kubectl"');
    expect(await names(`/api/v1/namespaces/${ns}/configmaps`, PART_OF)).toEqual(['k1', 'k2', 'n1', 'n2']);

    // kubectl prunes its k2 only; netkit prunes its n2 only.
    const kPrune = await kubectl(['apply', '-n', ns, '--prune', '--applyset=kset', '--server-side', '-f', writeDir('k-1', [configMap('k1', ns)])]);
    expect(kPrune.status).toBe(0);
    expect(kPrune.stdout).toContain('configmap/k2 pruned');
    const nPrune = await netkit(['apply', writeDir('n-1', [configMap('n1', ns)]), '--applyset', 'nset', '-n', ns, '--prune']);
    expect(nPrune.status).toBe(0);
    expect(nPrune.stderr).toContain(`ConfigMap ${ns}/n2 pruned`);
    expect(await names(`/api/v1/namespaces/${ns}/configmaps`, PART_OF)).toEqual(['k1', 'n1']);
    // kubectl reads netkit's record of the set the way it reads its own.
    expect(await members(nId)).toEqual(['configmap/n1']);
  }, 300_000);

  test('moving from the old labels: the first run adopts the objects and drops netkit.io/apply-set', async () => {
    // An object as netkit applied it before ApplySets (same field manager, the old labels).
    const old = { ...configMap('legacy', ns), metadata: { name: 'legacy', namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'netkit', 'netkit.io/apply-set': 'shop' } } };
    const r = await kubectl(['apply', '--server-side', '--field-manager=netkit', '-f', writeDir('old', [old])]);
    expect(r.status).toBe(0);
    const first = await netkit(['apply', writeDir('new', [configMap('legacy', ns)]), '--applyset', 'migrated', '-n', ns]);
    expect(first.status).toBe(0);
    const labels = ((await api('GET', `/api/v1/namespaces/${ns}/configmaps/legacy`)).body.metadata as { labels: Json }).labels;
    expect(labels).toEqual({ [PART_OF]: applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'migrated', namespace: ns }) });
  }, 120_000);
});

describe('ApplySet: what prune must never delete', () => {
  test('two projects never prune each other', async () => {
    await freshNamespaces('netkit-e2e-team-a', 'netkit-e2e-team-b');
    const a = await netkit(['apply', writeDir('a', [configMap('team-a-config', 'netkit-e2e-team-a')]), '--applyset', 'team-a', '-n', 'netkit-e2e-team-a', '--prune']);
    expect(a.status).toBe(0);
    const b = await netkit(['apply', writeDir('b', [configMap('team-b-config', 'netkit-e2e-team-b'), configMap('team-b-extra', 'netkit-e2e-team-b')]), '--applyset', 'team-b', '-n', 'netkit-e2e-team-b', '--prune']);
    expect(b.status).toBe(0);
    const b2 = await netkit(['apply', writeDir('b2', [configMap('team-b-config', 'netkit-e2e-team-b')]), '--applyset', 'team-b', '-n', 'netkit-e2e-team-b', '--prune', '-o', 'json']);
    expect(b2.status).toBe(0);
    expect(report(b2).pruned.map((p) => `${p.ref.namespace}/${p.ref.name} ${p.outcome}`)).toEqual(['netkit-e2e-team-b/team-b-extra pruned']);
    expect(await exists('/api/v1/namespaces/netkit-e2e-team-a/configmaps/team-a-config')).toBe(true);
  }, 180_000);

  test('a cluster-scoped kind netkit does not know (FlowSchema) is applied without a namespace and not pruned while in the manifests', async () => {
    const ns = 'netkit-e2e-scoped';
    await freshNamespaces(ns);
    await api('DELETE', '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/netkit-e2e-flows');
    const flows = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'netkit-e2e-flows' },
      spec: {
        priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 9000, distinguisherMethod: { type: 'ByUser' },
        rules: [{ subjects: [{ kind: 'User', user: { name: 'netkit-e2e' } }], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], namespaces: ['*'] }] }],
      },
    };
    const dir = writeDir('flows', [flows, configMap('c', ns)]);
    const first = await netkit(['apply', dir, '--applyset', 'scoped', '-n', ns, '--prune', '-o', 'json']);
    expect(first.status).toBe(0);
    expect(report(first).results.find((r) => r.ref.kind === 'FlowSchema')).toMatchObject({ ref: { name: 'netkit-e2e-flows' }, outcome: 'created' });
    const second = await netkit(['apply', dir, '--applyset', 'scoped', '-n', ns, '--prune', '-o', 'json']);
    expect(second.status).toBe(0);
    expect(report(second).pruned).toEqual([]);
    expect(report(second).results.find((r) => r.ref.kind === 'FlowSchema')?.outcome).toBe('unchanged');
    expect(await exists('/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/netkit-e2e-flows')).toBe(true);
    const parent = (await api('GET', `/api/v1/namespaces/${ns}/secrets/scoped`)).body.metadata as { annotations: Json };
    expect(parent.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,FlowSchema.flowcontrol.apiserver.k8s.io');
    // Dropped from the manifests, it is pruned.
    const third = await netkit(['apply', writeDir('no-flows', [configMap('c', ns)]), '--applyset', 'scoped', '-n', ns, '--prune', '-o', 'json']);
    expect(third.status).toBe(0);
    expect(report(third).pruned.map((p) => `${p.ref.kind} ${p.ref.name} ${p.outcome}`)).toEqual(['FlowSchema netkit-e2e-flows pruned']);
  }, 180_000);

  test('a cluster-scoped kind a CRD in the same manifests defines', async () => {
    const ns = 'netkit-e2e-gizmo';
    await freshNamespaces(ns);
    await api('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.e2e.netkit.io');
    for (let i = 0; i < 300 && (await api('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.e2e.netkit.io')).status !== 404; i++) await new Promise((r) => setTimeout(r, 200));
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gizmos.e2e.netkit.io' },
      spec: {
        group: 'e2e.netkit.io', scope: 'Cluster', names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const gizmo = { apiVersion: 'e2e.netkit.io/v1', kind: 'Gizmo', metadata: { name: 'g1' }, spec: { size: 1 } };
    const dir = writeDir('gizmo', [gizmo, crd, configMap('c', ns)]);
    const first = await netkit(['apply', dir, '--applyset', 'gizmos', '-n', ns, '--prune', '-o', 'json']);
    if (first.status !== 0) process.stderr.write(show(first));
    expect(first.status).toBe(0);
    expect(report(first).results.find((r) => r.ref.kind === 'Gizmo')).toMatchObject({ ref: { name: 'g1' }, outcome: 'created' });
    expect(report(first).results.find((r) => r.ref.kind === 'Gizmo')?.ref.namespace).toBeUndefined();
    const second = await netkit(['apply', dir, '--applyset', 'gizmos', '-n', ns, '--prune', '-o', 'json']);
    expect(second.status).toBe(0);
    expect(report(second).pruned).toEqual([]);
    expect(await exists('/apis/e2e.netkit.io/v1/gizmos/g1')).toBe(true);
    // kubectl sees it as a member of the set.
    const id = applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'gizmos', namespace: ns });
    expect((await kubectl(['get', 'gizmos', '-l', `${PART_OF}=${id}`, '-o', 'name'])).stdout.trim()).toBe('gizmo.e2e.netkit.io/g1');
  }, 180_000);
});

/**
 * A TLS-terminating proxy on 127.0.0.1 in front of the API server. `cut(req)` decides, per
 * forwarded request, to drop the answer: the request reaches the server, the client's connection
 * is closed instead of answered, and with `goAway` every later connection is refused.
 */
class CuttingProxy {
  public readonly seen: string[] = [];
  private server!: https.Server;
  private readonly sockets = new Set<Socket>();
  private gone = false;

  constructor(private readonly cut: (method: string, url: string, nth: number) => 'forward' | 'drop-answer' | 'go-away') {}

  public async start(key: Buffer, cert: Buffer): Promise<number> {
    const counts = new Map<string, number>();
    this.server = https.createServer({ key, cert }, (req, res) => {
      const what = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      this.seen.push(what);
      const kindKey = `${req.method} ${(req.url ?? '').split('?')[0].replace(/\/[^/]+$/, '')}`;
      const nth = (counts.get(kindKey) ?? 0) + 1;
      counts.set(kindKey, nth);
      const decision = this.gone ? 'go-away' : this.cut(req.method ?? '', req.url ?? '', nth);
      const upstream = new URL(req.url ?? '/', kc.server);
      const headers = { ...req.headers, host: upstream.host };
      const out = https.request(upstream, { method: req.method, headers, ca: kc.ca }, (answer) => {
        if (decision === 'forward') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        answer.resume();
        answer.on('end', () => {
          req.socket.destroy();
          if (decision === 'go-away') this.goAway();
        });
      });
      out.on('error', () => req.socket.destroy());
      req.pipe(out);
    });
    this.server.on('secureConnection', (s: Socket) => {
      if (this.gone) { s.destroy(); return; }
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stop answering: close every connection and refuse new ones. */
  public goAway(): void {
    this.gone = true;
    this.server.close();
    for (const s of this.sockets) s.destroy();
  }

  public async stop(): Promise<void> {
    this.gone = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server.listening ? this.server.close(() => r()) : r()));
  }
}

describe('ApplySet: a connection cut during apply and during prune', () => {
  const ns = 'netkit-e2e-cut';
  let key: Buffer;
  let cert: Buffer;
  let caFile: string;

  beforeAll(async () => {
    await freshNamespaces(ns);
    const o = (...args: string[]): void => { execFileSync('openssl', args, { cwd: tmp, stdio: 'ignore' }); };
    o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'proxy-ca.key', '-out', 'proxy-ca.crt', '-days', '2', '-subj', '/CN=proxy-ca');
    o('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'proxy.key', '-out', 'proxy.csr', '-subj', '/CN=127.0.0.1');
    fs.writeFileSync(path.join(tmp, 'proxy.ext'), 'subjectAltName=IP:127.0.0.1\n');
    o('x509', '-req', '-in', 'proxy.csr', '-CA', 'proxy-ca.crt', '-CAkey', 'proxy-ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'proxy.ext', '-out', 'proxy.crt');
    key = fs.readFileSync(path.join(tmp, 'proxy.key'));
    cert = fs.readFileSync(path.join(tmp, 'proxy.crt'));
    caFile = path.join(tmp, 'proxy-ca.crt');
  }, 120_000);

  /** A kubeconfig like the cluster's, through the proxy on `port`. */
  function viaProxy(port: number): string {
    const doc = parse(fs.readFileSync(KUBECONFIG, 'utf8')) as { clusters: { cluster: Json }[] };
    doc.clusters[0].cluster = { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': fs.readFileSync(caFile).toString('base64') };
    const file = path.join(tmp, `kubeconfig-proxy-${port}`);
    fs.writeFileSync(file, stringify(doc));
    return file;
  }

  const cms = (prefix: string, n: number): Json[] => Array.from({ length: n }, (_, i) => configMap(`${prefix}${String(i).padStart(2, '0')}`, ns));

  test('apply: the server goes away after the 10th ConfigMap reached it; every outcome matches the server', async () => {
    const proxy = new CuttingProxy((method, url, nth) => (method === 'PATCH' && url.includes('/configmaps/') && nth === 10 ? 'go-away' : 'forward'));
    const port = await proxy.start(key, cert);
    try {
      const r = await netkit(['apply', writeDir('cut-apply', cms('a', 30)), '--applyset', 'cut-apply', '-n', ns, '-o', 'json', '--concurrency', '1'], viaProxy(port));
      expect(r.status).toBe(1);
      const rep = report(r);
      expect(rep.aborted).toMatch(/ECONNRESET|socket hang up|ECONNREFUSED|closed/);
      const outcomes = new Map<string, number>();
      for (const x of rep.results.filter((y) => y.ref.kind === 'ConfigMap')) {
        outcomes.set(x.outcome, (outcomes.get(x.outcome) ?? 0) + 1);
        const there = await exists(`/api/v1/namespaces/${ns}/configmaps/${x.ref.name}`);
        // created means it is there; failed means it is not (these are new objects); unknown may be either.
        if (x.outcome === 'created') expect({ name: x.ref.name, there }).toEqual({ name: x.ref.name, there: true });
        if (x.outcome === 'failed') expect({ name: x.ref.name, there }).toEqual({ name: x.ref.name, there: false });
      }
      // The 10th ConfigMap reached the server, its answer did not: unknown, and it is there.
      const tenth = rep.results.find((x) => x.ref.name === 'a09');
      expect(tenth?.outcome).toBe('unknown');
      expect(await exists(`/api/v1/namespaces/${ns}/configmaps/a09`)).toBe(true);
      expect(Object.fromEntries(outcomes)).toEqual({ created: 9, unknown: 1, failed: 20 });
      process.stderr.write(`[e2e] cut during apply: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
    } finally {
      await proxy.stop();
    }
  }, 180_000);

  test('apply: one lost answer with the server still there is re-read (created), the rest goes on', async () => {
    const proxy = new CuttingProxy((method, url, nth) => (method === 'PATCH' && url.includes('/configmaps/') && nth === 3 ? 'drop-answer' : 'forward'));
    const port = await proxy.start(key, cert);
    try {
      const r = await netkit(['apply', writeDir('lost', cms('l', 6)), '--applyset', 'lost', '-n', ns, '-o', 'json', '--concurrency', '1'], viaProxy(port));
      expect(r.status).toBe(0);
      const rep = report(r);
      expect(rep.results.filter((x) => x.ref.kind === 'ConfigMap').map((x) => x.outcome)).toEqual(['created', 'created', 'created', 'created', 'created', 'created']);
      expect(rep.results.find((x) => x.ref.name === 'l02')?.detail).toMatch(/the answer was lost .*; re-read from the server/);
    } finally {
      await proxy.stop();
    }
  }, 180_000);

  test('prune: the server goes away after the 5th DELETE reached it; pruned only what is gone', async () => {
    const set = ['--applyset', 'cut-prune', '-n', ns];
    const all = cms('p', 20);
    const setup = await netkit(['apply', writeDir('prune-all', all), ...set]);
    expect(setup.status).toBe(0);
    const proxy = new CuttingProxy((method, _url, nth) => (method === 'DELETE' && nth === 5 ? 'go-away' : 'forward'));
    const port = await proxy.start(key, cert);
    try {
      const r = await netkit(['apply', writeDir('prune-one', all.slice(0, 1)), ...set, '--prune', '-o', 'json'], viaProxy(port));
      expect(r.status).toBe(1);
      const rep = report(r);
      const counts: Record<string, number> = {};
      for (const p of rep.pruned) {
        counts[p.outcome] = (counts[p.outcome] ?? 0) + 1;
        const there = await exists(`/api/v1/namespaces/${ns}/configmaps/${p.ref.name}`);
        if (p.outcome === 'pruned') expect({ name: p.ref.name, there }).toEqual({ name: p.ref.name, there: false });
        if (p.outcome === 'failed') expect({ name: p.ref.name, there }).toEqual({ name: p.ref.name, there: true });
      }
      expect(counts).toEqual({ pruned: 4, unknown: 1, failed: 14 });
      process.stderr.write(`[e2e] cut during prune: ${JSON.stringify(counts)}\n`);
      // Not reported as "pruned: []": what is gone is listed as gone.
      expect(r.stdout).not.toMatch(/"pruned": \[\]/);
    } finally {
      await proxy.stop();
    }
    // The parent still records the set: a run with the server back prunes the rest.
    const again = await netkit(['apply', writeDir('prune-one-again', all.slice(0, 1)), ...set, '--prune', '-o', 'json']);
    expect(again.status).toBe(0);
    expect(report(again).pruned.filter((p) => p.outcome === 'pruned')).toHaveLength(14);
  }, 240_000);
});

describe('ApplySet: an RBAC-limited user', () => {
  const a = 'netkit-e2e-rbac-a';
  const b = 'netkit-e2e-rbac-b';

  test('a namespace it may not list: prune reports it and deletes nothing there', async () => {
    await freshNamespaces(a, b);
    const set = ['--applyset', 'limited', '-n', a];
    // The admin applies the set across both namespaces.
    const setup = await netkit(['apply', writeDir('rbac-all', [configMap('a1', a), configMap('a2', a), configMap('b1', b), configMap('b2', b)]), ...set]);
    expect(setup.status).toBe(0);
    // A ServiceAccount that may do everything with ConfigMaps and Secrets in a, and get and patch (not list, not delete) ConfigMaps in b.
    await api('POST', `/api/v1/namespaces/${a}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer' } });
    const subject = [{ kind: 'ServiceAccount', name: 'deployer', namespace: a }];
    await api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'netkit-e2e-ns-reader' }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }] });
    await api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `netkit-e2e-ns-reader-${a}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'netkit-e2e-ns-reader' }, subjects: subject });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${a}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'all' }, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['*'] }] });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${a}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'all' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'all' }, subjects: subject });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${b}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'patch-only' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'patch'] }] });
    await api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${b}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'patch-only' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'patch-only' }, subjects: subject });
    const tok = await api('POST', `/api/v1/namespaces/${a}/serviceaccounts/deployer/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    const token = (tok.body.status as { token?: string } | undefined)?.token;
    expect(typeof token).toBe('string');
    const doc = parse(fs.readFileSync(KUBECONFIG, 'utf8')) as { users: { user: Json }[] };
    doc.users[0].user = { token };
    const limited = path.join(tmp, 'kubeconfig-limited');
    fs.writeFileSync(limited, stringify(doc));

    // The limited user drops a2 and b2.
    const r = await netkit(['apply', writeDir('rbac-some', [configMap('a1', a), configMap('b1', b)]), ...set, '--prune', '-o', 'json'], limited);
    if (r.status !== 2) process.stderr.write(show(r));
    expect(r.status).toBe(2);
    const rep = report(r);
    expect(rep.results.filter((x) => x.ref.kind === 'ConfigMap').map((x) => `${x.ref.name} ${x.outcome}`)).toEqual(['a1 unchanged', 'b1 unchanged']);
    expect(rep.pruned.map((p) => `${p.ref.name} ${p.outcome}`)).toEqual(['a2 pruned']);
    expect(rep.pruneNotListed).toEqual([{ groupKind: 'ConfigMap', namespace: b, why: expect.stringContaining('403 Forbidden') }]);
    expect(await exists(`/api/v1/namespaces/${b}/configmaps/b2`)).toBe(true);
    expect(await exists(`/api/v1/namespaces/${a}/configmaps/a2`)).toBe(false);
    const token2 = token as string;
    expect(r.stdout + r.stderr).not.toContain(token2);
    // The parent keeps b in its record, so an admin's prune later finds b2.
    const parent = (await api('GET', `/api/v1/namespaces/${a}/secrets/limited`)).body.metadata as { annotations: Json };
    expect(parent.annotations['applyset.kubernetes.io/additional-namespaces']).toBe(b);
    const admin = await netkit(['apply', writeDir('rbac-admin', [configMap('a1', a), configMap('b1', b)]), ...set, '--prune', '-o', 'json']);
    expect(admin.status).toBe(0);
    expect(report(admin).pruned.map((p) => `${p.ref.name} ${p.outcome}`)).toEqual(['b2 pruned']);
  }, 240_000);
});

describe('--wait says why a workload is not ready', () => {
  test('a claim without a StorageClass or PersistentVolume, a pod no node can take: the scheduler\'s message and the claim, while waiting and at the timeout', async () => {
    const ns = 'netkit-e2e-wait';
    await freshNamespaces(ns);
    const pg = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'postgres', namespace: ns },
      spec: {
        replicas: 1, serviceName: 'postgres', selector: { matchLabels: { app: 'postgres' } },
        template: { metadata: { labels: { app: 'postgres' } }, spec: { containers: [{ name: 'pg', image: 'postgres:17', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    const big = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'big', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'example/big:1', resources: { requests: { cpu: '500' } } }] } } },
    };
    const headless = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'postgres', namespace: ns }, spec: { clusterIP: 'None', selector: { app: 'postgres' }, ports: [{ name: 'pg', port: 5432 }] } };
    const r = await netkit(['apply', writeDir('wait', [pg, headless, big]), '--applyset', 'wait', '-n', ns, '--wait', '--timeout', '40s']);
    if (r.status !== 2 || r.stdout === '') process.stderr.write(show(r));
    expect(r.status).toBe(2);
    // At the timeout: what is pending, then why.
    expect(r.stdout).toContain(`StatefulSet ${ns}/postgres: 0 of 1 pods ready`);
    expect(r.stdout).toMatch(new RegExp(`why:\\n[\\s\\S]*StatefulSet ${ns}/postgres:\\n    pod postgres-0: not scheduled \\(Unschedulable\\): 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims`));
    expect(r.stdout).toContain(`PersistentVolumeClaim ${ns}/data-postgres-0 is Pending: it names no StorageClass, the cluster has no default StorageClass, and no PersistentVolume matches it`);
    expect(r.stdout).toMatch(new RegExp(`Deployment ${ns}/big:\\n    pod big-[a-z0-9-]+: not scheduled \\(Unschedulable\\): 0/3 nodes are available: 3 Insufficient cpu`));
    // While waiting, on stderr.
    expect(r.stderr).toContain('why they are not ready yet:');
    process.stderr.write(`[e2e] --wait explanation:\n${r.stdout}`);
    // The unbound claim must not outlive the test: it would bind a PersistentVolume another suite
    // (live.e2e.ts) makes for its own StatefulSet.
    await freshNamespaces(ns);
  }, 300_000);
});

// The e2e config runs files in one process: close anything left listening.
afterAll(() => { http.globalAgent.destroy(); https.globalAgent.destroy(); });

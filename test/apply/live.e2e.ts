/**
 * End to end against the local control plane (`test/cluster/up`): `netkit apply` and
 * `netkit verify --live` run as the user runs them (the `bin/netkit.js` process, compiled by
 * `npm run synth`) on the synthesized examples. Not part of `npm test`: run `npm run test:e2e`
 * with the cluster up. Kubeconfig: NETKIT_E2E_KUBECONFIG, else `.cluster/kubeconfig`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { applySetId } from '../../lib/apply/applyset';

const ROOT = path.join(__dirname, '..', '..');
const KUBECONFIG = process.env.NETKIT_E2E_KUBECONFIG
  ?? path.join(process.env.NETKIT_CLUSTER_STATE ?? path.join(ROOT, '.cluster'), 'kubeconfig');
const BIN = path.join(ROOT, 'bin', 'netkit.js');
const DIST = path.join(ROOT, 'dist');
/** The apply set of the examples: a Secret in `default`. */
const EXAMPLES = ['--applyset', 'netkit-examples', '-n', 'default'];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function netkit(...args: string[]): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args, '--kubeconfig', KUBECONFIG], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** A direct request to the API server (the kubeconfig `up` writes: a CA and a bearer token). */
function kubeRequest(method: string, apiPath: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const kc = parse(fs.readFileSync(KUBECONFIG, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const url = new URL(apiPath, kc.clusters[0].cluster.server);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      ca: Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64'),
      headers: { Authorization: `Bearer ${kc.users[0].user.token}`, Accept: 'application/json' },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text) as Record<string, unknown>; } catch { /* e.g. "404 page not found" for an unknown group */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function kubeGet(apiPath: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return kubeRequest('GET', apiPath);
}

/**
 * Minimal CustomResourceDefinitions (any content accepted) for the custom resource kinds in
 * `dir` that the server does not serve, e.g. Gateway API and Istio kinds on the bare control
 * plane. The apply then exercises CRDs-first ordering and the Established wait.
 */
async function missingCrds(dir: string): Promise<Record<string, unknown>[]> {
  const kinds = new Map<string, { group: string; kind: string; versions: Set<string>; namespaced: boolean }>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      const o = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { namespace?: string } } | null;
      if (!o?.apiVersion?.includes('/') || !o.kind) continue;
      const [group, version] = o.apiVersion.split('/');
      const served = await kubeGet(`/apis/${group}/${version}`);
      if (served.status === 200 && ((served.body.resources ?? []) as { kind: string }[]).some((r) => r.kind === o.kind)) continue;
      const k = `${group}/${o.kind}`;
      const entry = kinds.get(k) ?? { group, kind: o.kind, versions: new Set<string>(), namespaced: false };
      entry.versions.add(version);
      entry.namespaced ||= o.metadata?.namespace !== undefined;
      kinds.set(k, entry);
    }
  }
  return [...kinds.values()].map(({ group, kind, versions, namespaced }) => {
    const lower = kind.toLowerCase();
    const plural = /s$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
    // Groups under k8s.io need an API approval annotation; "unapproved..." is accepted (apiextensions-apiserver).
    const annotations = /(^|\.)(k8s|kubernetes)\.io$/.test(group) ? { 'api-approved.kubernetes.io': 'unapproved, minimal stand-in for the netkit e2e' } : undefined;
    return {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}`, ...(annotations ? { annotations } : {}) },
      spec: {
        group, scope: namespaced ? 'Namespaced' : 'Cluster', names: { kind, plural, singular: lower, listKind: `${kind}List` },
        versions: [...versions].sort().map((name, i) => ({
          name, served: true, storage: i === 0,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        })),
      },
    };
  });
}

function writeDir(name: string, objects: readonly Record<string, unknown>[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `netkit-e2e-${name}-`));
  fs.writeFileSync(path.join(dir, `${name}.yaml`), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

function show(r: Run): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

beforeAll(async () => {
  if (!fs.existsSync(KUBECONFIG)) throw new Error(`no cluster: ${KUBECONFIG} is missing (run test/cluster/up first)`);
  // The documented flow: compile and synthesize the examples into dist/.
  const synth = spawnSync('npm', ['run', 'synth', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  if (synth.status !== 0) throw new Error(`npm run synth failed:\n${synth.stdout}\n${synth.stderr}`);
  // The local control plane has no storage provisioner: like an administrator with static
  // provisioning, offer PersistentVolumes the PV controller binds the example StatefulSet's
  // claims to (the scheduler does not place pods whose claims are unbound).
  // A volume whose claim is gone (an earlier run's namespace was deleted) is Released and never
  // binds again under Retain: delete it so it is offered afresh.
  for (const i of [0, 1, 2]) {
    const pv = await kubeGet(`/api/v1/persistentvolumes/netkit-e2e-pv-${i}`);
    if ((pv.body.status as { phase?: string } | undefined)?.phase !== 'Released') continue;
    await kubeRequest('DELETE', `/api/v1/persistentvolumes/netkit-e2e-pv-${i}`);
    for (let t = 0; t < 300 && (await kubeGet(`/api/v1/persistentvolumes/netkit-e2e-pv-${i}`)).status !== 404; t++) await new Promise((r) => setTimeout(r, 100));
  }
  const volumes = writeDir('volumes', [0, 1, 2].map((i) => ({
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `netkit-e2e-pv-${i}` },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: '', hostPath: { path: `/tmp/netkit-e2e-pv-${i}` } },
  })));
  const pv = netkit('apply', volumes, '--applyset', 'e2e-volumes', '-n', 'default');
  if (pv.status !== 0) throw new Error(`creating the PersistentVolumes failed:\n${show(pv)}`);
  const crds = await missingCrds(DIST);
  if (crds.length > 0) {
    const r = netkit('apply', writeDir('crds', crds), '--applyset', 'e2e-crds', '-n', 'default');
    if (r.status !== 0) throw new Error(`creating the CustomResourceDefinitions failed:\n${show(r)}`);
  }
}, 300_000);

describe('netkit apply and verify --live against the local control plane', () => {
  test('apply dist/ --wait settles; applying again changes nothing; verify --live finds no differences', async () => {
    const first = netkit('apply', DIST, ...EXAMPLES, '--wait', '--timeout', '3m');
    expect({ status: first.status, out: first.stdout }).toEqual({ status: 0, out: expect.stringContaining('settled after') });
    expect(first.stdout).toMatch(/, 0 failed\n/);
    expect(first.stderr).not.toMatch(/token|Bearer [^<]/);
    process.stderr.write(`[e2e] apply dist/ --wait: ${(first.ms / 1000).toFixed(1)}s wall (${first.stdout.trim().split('\n').join('; ')})\n`);

    const svc = await kubeGet('/api/v1/namespaces/web/services/web');
    expect((svc.body.metadata as { labels: Record<string, string> }).labels).toMatchObject({ 'applyset.kubernetes.io/part-of': applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'netkit-examples', namespace: 'default' }) });

    const again = netkit('apply', DIST, ...EXAMPLES);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^0 created, 0 configured, \d+ unchanged, 0 failed\n$/);
    expect(again.stderr).not.toMatch(/ (created|configured)\b/);
    const dryAgain = netkit('apply', DIST, ...EXAMPLES, '--dry-run=server');
    expect(dryAgain.status).toBe(0);
    expect(dryAgain.stdout).toMatch(/^0 created, 0 configured, \d+ unchanged, 0 failed \(server dry run: nothing was persisted\)\n$/);

    const verify = netkit('verify', '--live', DIST);
    if (verify.status !== 0) process.stderr.write(`[e2e] verify --live:\n${show(verify)}`);
    expect(verify.stdout).toMatch(/compared with context netkit-local .*: no differences\n$/);
    expect(verify.status).toBe(0);

    const json = netkit('verify', '--live', DIST, '--output', 'json');
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { differences: unknown[] }).differences).toEqual([]);
  }, 400_000);

  test('--dry-run=server shows the server\'s error per object and persists nothing', async () => {
    const broken = writeDir('broken', [
      // nodePort on a ClusterIP Service: the API server rejects it (ValidateService).
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'e2e-bad-svc', namespace: 'web' }, spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] } },
      // selector does not match the template labels: rejected (ValidateDeployment).
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'e2e-bad-deploy', namespace: 'web' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'example/c:1' }] } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e2e-good', namespace: 'web' }, data: { a: '1' } },
    ]);
    const refused = netkit('apply', broken, '--applyset', 'e2e-broken', '-n', 'web', '--dry-run', 'server');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('refusing to apply: the validator found');

    const dry = netkit('apply', broken, '--applyset', 'e2e-broken', '-n', 'web', '--dry-run', 'server', '--force');
    expect(dry.status).toBe(2);
    expect(dry.stderr).toMatch(/Service web\/e2e-bad-svc failed: 422 Invalid: Service "e2e-bad-svc" is invalid: spec\.ports\[0\]\.nodePort: Forbidden/);
    expect(dry.stderr).toMatch(/Deployment web\/e2e-bad-deploy failed: 422 Invalid: Deployment\.apps "e2e-bad-deploy" is invalid: spec\.template\.metadata\.labels: Invalid value/);
    expect(dry.stderr).toContain('ConfigMap web/e2e-good created (server dry run)');
    expect(dry.stdout).toContain('1 created, 0 configured, 0 unchanged, 2 failed (server dry run: nothing was persisted)');
    expect(dry.stdout).toContain('not applied (2): Service web/e2e-bad-svc, Deployment web/e2e-bad-deploy');
    expect((await kubeGet('/api/v1/namespaces/web/configmaps/e2e-good')).status).toBe(404);
  }, 120_000);

  test('--prune deletes only what this apply set dropped', async () => {
    const ns = 'netkit-e2e-prune';
    const keep = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e2e-keep', namespace: ns }, data: { a: '1' } };
    const drop = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e2e-drop', namespace: ns }, data: { b: '2' } };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'e2e-drop', namespace: ns }, spec: { type: 'ExternalName', externalName: 'example.com' } };
    const first = netkit('apply', writeDir('prune1', [keep, drop, svc]), '--applyset', 'e2e-prune', '-n', ns);
    expect(first.status).toBe(0);

    const dry = netkit('apply', writeDir('prune2', [keep]), '--applyset', 'e2e-prune', '-n', ns, '--prune', '--dry-run', 'server');
    expect(dry.status).toBe(0);
    expect(dry.stderr).toContain(`ConfigMap ${ns}/e2e-drop pruned (server dry run)`);
    expect((await kubeGet(`/api/v1/namespaces/${ns}/configmaps/e2e-drop`)).status).toBe(200);

    const pruned = netkit('apply', writeDir('prune3', [keep]), '--applyset', 'e2e-prune', '-n', ns, '--prune');
    expect(pruned.status).toBe(0);
    expect(pruned.stderr).toContain(`ConfigMap ${ns}/e2e-drop pruned`);
    expect(pruned.stderr).toContain(`Service ${ns}/e2e-drop pruned`);
    expect(pruned.stdout).toContain('pruned 2');
    expect((await kubeGet(`/api/v1/namespaces/${ns}/configmaps/e2e-drop`)).status).toBe(404);
    expect((await kubeGet(`/api/v1/namespaces/${ns}/services/e2e-drop`)).status).toBe(404);
    expect((await kubeGet(`/api/v1/namespaces/${ns}/configmaps/e2e-keep`)).status).toBe(200);
    // The examples (another apply set) are untouched.
    expect((await kubeGet('/api/v1/namespaces/web/services/web')).status).toBe(200);
  }, 120_000);

  test('a CRD and its custom resource in one apply: the CRD first, Established, then the resource', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.e2e.netkit.io' },
      spec: {
        group: 'e2e.netkit.io', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const widget = { apiVersion: 'e2e.netkit.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'netkit-e2e-crd' }, spec: { size: 3 } };
    const r = netkit('apply', writeDir('crd', [widget, crd]), '--applyset', 'e2e-crd', '-n', 'netkit-e2e-crd');
    expect(r.status).toBe(0);
    const crdLine = r.stderr.indexOf('CustomResourceDefinition widgets.e2e.netkit.io ');
    const widgetLine = r.stderr.indexOf('Widget netkit-e2e-crd/w ');
    expect(crdLine).toBeGreaterThanOrEqual(0);
    expect(widgetLine).toBeGreaterThan(crdLine);
    // The server validates custom resources against the CRD's schema.
    const bad = netkit('apply', writeDir('crd-bad', [{ ...widget, spec: { size: 'three' } }]), '--applyset', 'e2e-crd', '-n', 'netkit-e2e-crd', '--dry-run', 'server');
    expect(bad.status).toBe(2);
    // Server-side apply builds a typed patch first; 1.36 answers a type mismatch with a 500.
    expect(bad.stderr).toMatch(/Widget netkit-e2e-crd\/w failed: (422 Invalid|500 InternalError): .*\.spec\.size: expected numeric/);
  }, 120_000);

  test('a cluster that is not there: exit 1 and one line', () => {
    const kc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-e2e-kc-')), 'kubeconfig');
    const text = fs.readFileSync(KUBECONFIG, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1');
    fs.writeFileSync(kc, text);
    const token = (parse(text) as { users: { user: { token: string } }[] }).users[0].user.token;
    const r = spawnSync(process.execPath, [BIN, 'apply', DIST, ...EXAMPLES, '--kubeconfig', kc], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('connect ECONNREFUSED 127.0.0.1:1');
    expect(r.stderr + r.stdout).not.toContain(token);
  }, 60_000);
});

/**
 * `netkit apply` and `netkit verify --live` end to end in-process, against the in-memory API
 * server (the real client library is never loaded here: the connector is injected).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { Redactor } from '../../lib/apply/redact';
import type { Connector } from '../../lib/apply/session';
import { KubeApiError, KubeConnectionError } from '../../lib/apply/types';
import { parseDuration, runApply, toolVersion } from '../../lib/cli/apply';
import { runVerify } from '../../lib/cli/verify';
import { runCli } from '../../lib/cli/main';
import { FakeKube } from './fake-kube';
import { liveFromSimulation, shopManifests, simulate } from './live-fixtures';

type Json = Record<string, unknown>;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out: () => out.join(''), err: () => err.join('') };
}

function writeManifests(objects: readonly Json[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-apply-'));
  fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

const SECRET = 'tok-9f8e7d6c5b4a';

function connectorFor(kube: FakeKube): Connector {
  return async () => ({ client: kube, redactor: new Redactor([SECRET]) });
}

describe('netkit apply', () => {
  const dir = writeManifests(shopManifests());
  /** The apply set every run here uses. */
  const SET = { applyset: 'shop', namespace: 'shop' } as const;

  test('applies with progress on stderr and the summary on stdout; a second run is unchanged', async () => {
    const kube = new FakeKube();
    const first = io();
    expect(await runApply([dir], { ...SET, kubeconfig: '/k', context: 'c' }, first.io, connectorFor(kube))).toBe(0);
    expect(first.err()).toContain('applying 5 objects to https://fake.invalid:6443 (context fake, Kubernetes v1.fake), apply set secrets/shop in namespace shop\n');
    expect(first.err()).toContain('Namespace shop created (implied: 5 objects use it)\n');
    expect(first.err()).toContain('Service shop/web created\n');
    expect(first.out()).toBe('6 created, 0 configured, 0 unchanged, 0 failed\n');
    const again = io();
    expect(await runApply([dir], { ...SET, concurrency: '1' }, again.io, connectorFor(kube))).toBe(0);
    expect(again.out()).toBe('0 created, 0 configured, 5 unchanged, 0 failed\n');
  });

  test('a failed object: exit 2, the server error per object, what was and was not applied, secrets redacted', async () => {
    const kube = new FakeKube();
    kube.failApply = (o) => (o.kind === 'StatefulSet' ? new KubeApiError(403, 'Forbidden', `statefulsets is forbidden: User "system:serviceaccount" token ${SECRET} cannot patch`) : undefined);
    const r = io();
    expect(await runApply([dir], { ...SET, output: 'text' }, r.io, connectorFor(kube))).toBe(2);
    expect(r.err()).toMatch(/StatefulSet shop\/db failed: 403 Forbidden: statefulsets is forbidden: User "system:serviceaccount" token <redacted> cannot patch \(.*app\.k8s\.yaml:\d+\)/);
    expect(r.err()).not.toContain(SECRET);
    expect(r.out()).toContain('5 created, 0 configured, 0 unchanged, 1 failed\n');
    expect(r.out()).toContain('not applied (1): StatefulSet shop/db\n');
    expect(r.out()).toMatch(/applied \(5\): Namespace shop, Service shop\/web, /);
  });

  test('JSON output carries every result and the counts', async () => {
    const r = io();
    expect(await runApply([dir], { ...SET, output: 'json', dryRun: 'server' }, r.io, connectorFor(new FakeKube()))).toBe(2);
    const j = JSON.parse(r.out()) as { dryRun: boolean; results: { outcome: string; detail?: string }[]; summary: Json; applySet: Json };
    expect(j.dryRun).toBe(true);
    // The namespace does not exist yet: the server cannot check the objects in it, so their outcome is unknown (exit 2).
    expect(j.summary).toEqual({ created: 1, configured: 0, unchanged: 0, failed: 0, unknown: 5, pruned: 0 });
    expect(j.results[1].detail).toContain('namespace shop does not exist yet');
    expect(j.applySet).toEqual({ parent: 'secrets/shop (namespace shop)', id: 'applyset-GwAbKEnoQdgaoi0MSLuXqidpqgFxJVNssD4MzmoY9us-v1' });
    // The same facts as the text.
    const t = io();
    await runApply([dir], { ...SET, dryRun: 'server' }, t.io, connectorFor(new FakeKube()));
    expect(t.out()).toContain('1 created, 0 configured, 0 unchanged, 0 failed, 5 unknown (server dry run: nothing was persisted)\n');
    expect(t.out()).toContain('unknown, check them (5): Service shop/web');
  });

  test('the validator runs first and refuses errors unless --force', async () => {
    const bad = writeManifests([
      ...shopManifests(),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } },
    ]);
    const kube = new FakeKube();
    const r = io();
    expect(await runApply([bad], { ...SET }, r.io, connectorFor(kube))).toBe(2);
    expect(r.err()).toContain('error [service-nodeport-conflict]');
    expect(r.err()).toContain('refusing to apply: the validator found 1 error (fix them, or pass --force to apply anyway)');
    expect(kube.calls).toEqual([]);
    const forced = io();
    expect(await runApply([bad], { ...SET, force: true }, forced.io, connectorFor(kube))).toBe(0);
    expect(forced.err()).toContain('applying despite 1 validator error (--force)');
  });

  test('usage, kubeconfig and connection problems exit 1 before anything is applied', async () => {
    const r = io();
    expect(await runApply([dir], { applyset: 'no spaces', timeout: 'soon', concurrency: '0' }, r.io, connectorFor(new FakeKube()))).toBe(1);
    expect(r.err()).toContain('--applyset "no spaces": the name must be a DNS subdomain');
    const none = io();
    expect(await runApply([dir], {}, none.io, connectorFor(new FakeKube()))).toBe(1);
    expect(none.err()).toContain('error: --applyset NAME is required');
    const old = io();
    expect(await runApply([dir], { applySet: 'shop' }, old.io, connectorFor(new FakeKube()))).toBe(1);
    expect(old.err()).toContain('--apply-set was replaced by --applyset');
    expect(r.err()).toContain('--timeout soon: expected a duration');
    expect(r.err()).toContain('--concurrency 0: expected a whole number from 1 to 200');
    const noConfig = io();
    expect(await runApply([dir], { ...SET }, noConfig.io, async () => { throw new Error('no kubeconfig found (looked at /root/.kube/config); pass --kubeconfig FILE or set KUBECONFIG'); })).toBe(1);
    expect(noConfig.err()).toContain('error: no kubeconfig found (looked at /root/.kube/config); pass --kubeconfig FILE or set KUBECONFIG\n');
    const down = new FakeKube();
    down.version = () => Promise.reject(new KubeConnectionError(`cannot talk to https://fake.invalid:6443 (context fake): connect ECONNREFUSED; token=${SECRET}`));
    const refused = io();
    expect(await runApply([dir], { ...SET }, refused.io, connectorFor(down))).toBe(1);
    expect(refused.err()).toContain('connect ECONNREFUSED');
    expect(refused.err()).not.toContain(SECRET);
  });

  test('--wait times out with the list of what is still pending', async () => {
    const r = io();
    expect(await runApply([dir], { ...SET, wait: true, timeout: '0s' }, r.io, connectorFor(new FakeKube()))).toBe(2);
    // The fake has no controllers: nothing rolls out and no slices appear.
    expect(r.out()).toContain('timed out after 0.0s; still pending:\n  Deployment shop/web: 0 of 3 new replicas updated\n  StatefulSet shop/db: the controller has not seen the latest spec yet\n');
    expect(r.out()).toContain('  Service shop/web: 0 of 0 endpoints ready, the runtime predicts 3 of 3\n');
  });

  test('the tooling annotation carries the package version', () => {
    expect(toolVersion()).toBe(`v${(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version}`);
  });

  test('parseDuration', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('5 minutes')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});

describe('netkit verify --live', () => {
  const dir = writeManifests(shopManifests());
  const seeded = (): FakeKube => {
    const kube = new FakeKube();
    const live = liveFromSimulation(simulate(shopManifests()));
    for (const o of [...live.services, ...live.endpoints, ...live.endpointSlices, ...live.pods]) kube.seed(o as unknown as Json);
    return kube;
  };

  test('no differences: exit 0 and the counts', async () => {
    const r = io();
    expect(await runVerify([dir], { live: true }, r.io, connectorFor(seeded()))).toBe(0);
    expect(r.out()).toBe('3 Services, 2 Endpoints, 2 EndpointSlice groups and the placement of 2 workloads compared with context fake (https://fake.invalid:6443): no differences\n');
    expect(r.err()).toBe("simulating on the cluster's 0 nodes (none: using the default profile)\n");
  });

  test('differences: one line each, exit 2; JSON too', async () => {
    const kube = seeded();
    const svc = kube.store.get('v1/Service/shop/web') as { spec: { ports: Json[] } };
    svc.spec.ports[0].targetPort = 8081;
    kube.store.delete('v1/Endpoints/shop/db');
    const r = io();
    expect(await runVerify([dir], { live: true }, r.io, connectorFor(kube))).toBe(2);
    expect(r.out().split('\n')).toEqual([
      'Endpoints shop/db (object): expected "present", live (none)',
      'Service shop/web spec.ports[0].targetPort: expected "http", live 8081',
      '3 Services, 2 Endpoints, 2 EndpointSlice groups and the placement of 2 workloads compared with context fake (https://fake.invalid:6443): 2 differences',
      '',
    ]);
    const j = io();
    expect(await runVerify([dir], { live: true, output: 'json' }, j.io, connectorFor(kube))).toBe(2);
    const parsed = JSON.parse(j.out()) as { differences: Json[]; target: Json };
    expect(parsed.target).toEqual({ context: 'fake', server: 'https://fake.invalid:6443' });
    expect(parsed.differences[1]).toEqual({ object: 'Service shop/web', field: 'spec.ports[0].targetPort', expected: 'http', live: 8081, kind: 'service' });
  });

  test('the live Nodes become the simulated cluster, tainted ones included with their taints', async () => {
    const kube = seeded();
    for (const [i, zone] of ['zone-a', 'zone-b', 'zone-c'].entries()) {
      kube.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i + 1}`, labels: { 'topology.kubernetes.io/zone': zone } }, spec: { podCIDR: `10.2.${i + 1}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `10.1.0.${i + 1}` }], conditions: [{ type: 'Ready', status: 'True' }] } });
    }
    // A tainted node (a control plane, a dedicated pool) is simulated with its taint: the scheduler
    // places no pod without a toleration there (TaintToleration), and kube-proxy still runs on it.
    kube.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } }, spec: { podCIDR: '10.2.9.0/24', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const r = io();
    expect(await runVerify([dir], { live: true, output: 'json' }, r.io, connectorFor(kube))).toBe(0);
    expect(r.err()).toBe("simulating on the cluster's 4 nodes (1 tainted: cp-1; pods without a matching toleration are not placed there)\n");
  });

  test('-n compares one namespace: another namespace missing from the cluster is no difference then', async () => {
    const other = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'other' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } };
    const both = writeManifests([...shopManifests(), other]);
    const all = io();
    expect(await runVerify([both], { live: true }, all.io, connectorFor(seeded()))).toBe(2);
    expect(all.out()).toContain('Service other/api (object): expected "present", live (none)\n');
    const shop = io();
    expect(await runVerify([both], { live: true, namespace: 'shop' }, shop.io, connectorFor(seeded()))).toBe(0);
    expect(shop.out()).toBe('3 Services, 2 Endpoints, 2 EndpointSlice groups and the placement of 2 workloads compared with context fake (https://fake.invalid:6443): no differences\n');
    const api = io();
    expect(await runVerify([both], { live: true, namespace: 'other' }, api.io, connectorFor(seeded()))).toBe(2);
    expect(api.out()).toBe('Service other/api (object): expected "present", live (none)\n1 Services, 0 Endpoints, 0 EndpointSlice groups compared with context fake (https://fake.invalid:6443): 1 difference\n');
  });

  test('without --live it is a usage error', async () => {
    const r = io();
    expect(await runVerify([dir], {}, r.io, connectorFor(seeded()))).toBe(1);
    expect(r.err()).toContain('pass --live');
  });

  test('the commands are registered in the CLI', async () => {
    const r = io();
    expect(await runCli(['apply', '--help'], r.io)).toBe(0);
    expect(r.out()).toContain('--dry-run <mode>');
    expect(r.out()).toContain('--applyset <[secrets/|configmaps/]name>');
    expect(r.out()).not.toContain('--apply-set');
    expect(r.out()).toContain('--concurrency <n>');
    const v = io();
    expect(await runCli(['verify', '--help'], v.io)).toBe(0);
    expect(v.out()).toContain('--ignore-placement');
  });
});

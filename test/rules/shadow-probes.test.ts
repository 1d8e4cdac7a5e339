/**
 * lib/rules/l7/shadow.ts ShadowProbes: on `netkit diff`'s after side, the shadowing rule takes the
 * before side's probe outcome for rows whose requests route the same (lib/diff/reuse.ts). The
 * findings must be exactly those of a run that routes everything.
 */
import { Cluster } from '../../lib/engine/cluster';
import { identicalObjects, unchangedRequest, unchangedWitnesses } from '../../lib/diff/reuse';
import { WitnessSide } from '../../lib/diff/witness';
import { runRules } from '../../lib/rules/runner';
import { ShadowProbes } from '../../lib/rules/l7/shadow';
import { findJson as find, loadJson as load, type Json } from '../support/objects';


const route = (name: string, hostnames: string[], rules: Json[]): Json => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw' }], hostnames, rules },
});
const prefix = (value: string, extra: Json = {}): Json => ({ path: { type: 'PathPrefix', value }, ...extra });

function base(): Json[] {
  const out: Json[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'gc' }, spec: { controllerName: 'example.com/gc' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' },
      spec: { gatewayClassName: 'gc', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.example.com' }] } },
  ];
  for (const app of ['alpha', 'bravo', 'charlie']) {
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: 'shop' }, spec: { selector: { app }, ports: [{ port: 80 }] } });
  }
  // alpha: a rule behind an identical one in another route (creation order decides); bravo: a
  // rule behind a broader header match in its own route; charlie: nothing shadowed.
  out.push(route('alpha', ['alpha.example.com'], [{ matches: [prefix('/')], backendRefs: [{ name: 'alpha', port: 80 }] }]));
  out.push(route('alpha-copy', ['alpha.example.com'], [{ matches: [prefix('/')], backendRefs: [{ name: 'bravo', port: 80 }] }]));
  out.push(route('bravo', ['bravo.example.com'], [
    { matches: [prefix('/api', { headers: [{ name: 'x-env', value: 'canary' }] })], backendRefs: [{ name: 'charlie', port: 80 }] },
    { matches: [prefix('/api', { headers: [{ name: 'x-env', value: 'canary' }] })], backendRefs: [{ name: 'bravo', port: 80 }] },
  ]));
  out.push(route('charlie', ['charlie.example.com'], [{ matches: [prefix('/')], backendRefs: [{ name: 'charlie', port: 80, weight: 90 }, { name: 'alpha', port: 80, weight: 10 }] }]));
  return out;
}



const shadowed = (r: ReturnType<typeof runRules>) => r.violations.filter((v) => v.ruleId === 'route-match-shadowed');

/** The after side's findings with the before side's probes taken where they may be, next to a full run's; and how many rows were taken. */
function run(change: (l: Json[]) => void): { reused: Json[]; full: Json[]; taken: number } {
  const afterList = JSON.parse(JSON.stringify(base())) as Json[];
  change(afterList);
  const before = load(base(), 'before.yaml'); const after = load(afterList, 'after.yaml');
  const ca = Cluster.build(before); const cb = Cluster.build(after);
  const sa = new WitnessSide(ca); const sb = new WitnessSide(cb);
  const unchanged = unchangedWitnesses({ cluster: ca, model: sa.model }, { cluster: cb, model: sb.model }, identicalObjects(before, after));
  const probes = new ShadowProbes();
  runRules(before, { cluster: ca, l7: sa.model, shadowProbes: probes });
  const later = unchanged ? probes.reusedFor((r) => unchangedRequest(unchanged, r)) : undefined;
  const reused = runRules(after, { cluster: cb, l7: sb.model, shadowProbes: later });
  const full = runRules(after, { cluster: Cluster.build(after), l7: new WitnessSide(Cluster.build(after)).model });
  return { reused: shadowed(reused), full: shadowed(full), taken: later?.reused ?? 0 };
}

describe('shadowing probes kept across the two sides of a diff', () => {
  test('the base has shadowed matches to keep', () => {
    const r = run(() => undefined);
    expect(r.full.map((v) => `${v.object.name} ${v.path}`).sort()).toEqual(['alpha-copy spec.rules[0].matches[0]', 'bravo spec.rules[1].matches[0]']);
    expect(r.reused).toEqual(r.full);
    expect(r.taken).toBeGreaterThan(0);
  });

  test.each([
    ['a weight change elsewhere', (l: Json[]) => { find(l, 'HTTPRoute', 'charlie').spec.rules[0].backendRefs[0].weight = 50; }],
    ['the shadowing copy removed', (l: Json[]) => { l.splice(l.indexOf(find(l, 'HTTPRoute', 'alpha-copy')), 1); }],
    ['the header rule narrowed (nothing shadowed any more)', (l: Json[]) => { find(l, 'HTTPRoute', 'bravo').spec.rules[0].matches[0].path.value = '/api/v2'; }],
    ['a replica change', (l: Json[]) => { find(l, 'Deployment', 'alpha').spec.replicas = 4; }],
    ['a Service named by a route', (l: Json[]) => { find(l, 'Service', 'bravo').spec.ports[0].port = 81; }],
    ['the Gateway', (l: Json[]) => { find(l, 'Gateway', 'gw').spec.listeners[0].port = 8080; }],
  ])('%s: the same findings as routing everything', (_name, change) => {
    const r = run(change);
    expect(r.reused).toEqual(r.full);
  });

  test('rows on a changed host are probed again', () => {
    // Narrowing bravo's first rule leaves its second unshadowed: a reused probe would keep the finding.
    const r = run((l) => { find(l, 'HTTPRoute', 'bravo').spec.rules[0].matches[0].path.value = '/api/v2'; });
    expect(r.full.map((v) => v.object.name)).toEqual(['alpha-copy']);
    expect(r.reused).toEqual(r.full);
  });
});

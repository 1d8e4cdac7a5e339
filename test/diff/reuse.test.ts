/**
 * lib/diff/reuse.ts: a witness the predicate calls unchanged must route exactly the same on both
 * sides. Every witness is routed on both sides here and compared with the predicate's answer;
 * cases the analysis cannot narrow down must route everything (no predicate).
 */
import { Cluster } from '../../lib/engine/cluster';
import type { ManifestObject } from '../../lib/manifest';
import { unchangedWitnesses } from '../../lib/diff/reuse';
import { collectWitnesses, compareWitnesses, RowMemo, WitnessSide, type Witness } from '../../lib/diff/witness';
import { diffManifests } from '../../lib/diff';
import { findJson as find, loadJson as load, type Json } from '../support/objects';

const APPS = ['alpha', 'bravo', 'charlie', 'delta'];

function base(): Json[] {
  const out: Json[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'gc' }, spec: { controllerName: 'example.com/gc' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' },
      spec: { gatewayClassName: 'gc', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.example.com' }] } },
  ];
  for (const app of APPS) {
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } } });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: 'shop' },
      spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  }
  // alpha.example.com -> alpha 90 / bravo 10; bravo.example.com -> bravo, a header rule to charlie; charlie.example.com -> charlie; delta.example.com -> delta.
  const route = (name: string, hostnames: string[], rules: Json[]): Json => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw' }], hostnames, rules },
  });
  out.push(route('alpha', ['alpha.example.com'], [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'alpha', port: 80, weight: 90 }, { name: 'bravo', port: 80, weight: 10 }] }]));
  out.push(route('bravo', ['bravo.example.com'], [
    { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-canary', value: 'on' }] }], backendRefs: [{ name: 'charlie', port: 80 }] },
    { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'bravo', port: 80 }] },
  ]));
  out.push(route('charlie', ['charlie.example.com'], [{ backendRefs: [{ name: 'charlie', port: 80 }] }]));
  out.push(route('delta', ['delta.example.com'], [{ matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'delta', port: 80 }] }]));
  return out;
}


function edit(change: (list: Json[]) => void): Json[] {
  const list = JSON.parse(JSON.stringify(base())) as Json[];
  change(list);
  return list;
}


function sides(after: Json[]): { a: WitnessSide; b: WitnessSide; unchanged: ((w: Witness) => boolean) | undefined; before: ManifestObject[]; afterObjects: ManifestObject[] } {
  const before = load(base(), 'before.yaml'); const afterObjects = load(after, 'after.yaml');
  const ca = Cluster.build(before); const cb = Cluster.build(afterObjects);
  const a = new WitnessSide(ca); const b = new WitnessSide(cb);
  return { a, b, unchanged: unchangedWitnesses({ cluster: ca, model: a.model }, { cluster: cb, model: b.model }), before, afterObjects };
}

/** Route every witness on both sides; return the hosts of those the predicate skips and of those whose outcome differs. */
function check(after: Json[]): { skipped: Set<string>; routed: Set<string>; differing: Set<string> } {
  const { a, b, unchanged } = sides(after);
  const all = new Map<string, Witness>();
  const notes = [...collectWitnesses(a.model, all), ...collectWitnesses(b.model, all)];
  expect(all.size).toBeGreaterThan(0);
  // With a RowMemo (as compareWitnesses collects) the after side's rows the before side had are
  // not sampled again: the same witnesses in the same order, and the same notes.
  const memo = new RowMemo(); const viaMemo = new Map<string, Witness>();
  const memoNotes = [...collectWitnesses(a.model, viaMemo, memo), ...collectWitnesses(b.model, viaMemo, memo)];
  expect([...viaMemo]).toEqual([...all]);
  expect([...new Set(memoNotes)]).toEqual([...new Set(notes)]);
  const skipped = new Set<string>(); const routed = new Set<string>(); const differing = new Set<string>();
  for (const w of all.values()) {
    const host = new URL(w.url).hostname;
    const x = a.outcome(w); const y = b.outcome(w);
    if (x.key !== y.key) differing.add(host);
    if (unchanged?.(w)) {
      skipped.add(host);
      // The promise: same outcome, text and ambiguities on both sides.
      expect({ w, outcome: y }).toEqual({ w, outcome: x });
    } else {
      routed.add(host);
    }
  }
  // Skipping changes nothing in what the comparison reports.
  const full = compareWitnesses(a, b);
  const reused = compareWitnesses(a, b, { unchanged });
  expect(reused.witnesses).toBe(full.witnesses);
  expect(reused.differences).toEqual(full.differences);
  expect(reused.notes).toEqual(full.notes);
  return { skipped, routed, differing };
}

describe('witness reuse (lib/diff/reuse.ts)', () => {
  test('a weight change: only the route\'s host is routed again', () => {
    const r = check(edit((l) => { find(l, 'HTTPRoute', 'alpha').spec.rules[0].backendRefs[0].weight = 50; }));
    expect([...r.routed]).toEqual(['alpha.example.com']);
    expect([...r.differing]).toEqual(['alpha.example.com']);
    expect([...r.skipped].sort()).toEqual(['bravo.example.com', 'charlie.example.com', 'delta.example.com']);
  });

  test('a Service port change: the hosts of every route naming the Service are routed again', () => {
    const r = check(edit((l) => { find(l, 'Service', 'charlie').spec.ports[0].port = 81; }));
    expect([...r.routed].sort()).toEqual(['bravo.example.com', 'charlie.example.com']);
    expect([...r.differing].sort()).toEqual(['bravo.example.com', 'charlie.example.com']);
  });

  test('a Service turned NodePort and a selector typo: routes naming them are routed again, nothing differs', () => {
    const r = check(edit((l) => {
      find(l, 'Service', 'delta').spec.type = 'NodePort';
      find(l, 'Service', 'bravo').spec.selector = { app: 'brav0' };
    }));
    expect([...r.routed].sort()).toEqual(['alpha.example.com', 'bravo.example.com', 'delta.example.com']);
    expect(r.differing.size).toBe(0);
    expect([...r.skipped]).toEqual(['charlie.example.com']);
  });

  test('a replica change and a hostname change', () => {
    const r = check(edit((l) => {
      find(l, 'Deployment', 'alpha').spec.replicas = 5;
      find(l, 'HTTPRoute', 'delta').spec.hostnames = ['echo.example.com'];
    }));
    expect([...r.routed].sort()).toEqual(['delta.example.com', 'echo.example.com']);
    expect([...r.differing].sort()).toEqual(['delta.example.com', 'echo.example.com']);
  });

  test.each([
    ['a Gateway change', (l: Json[]) => { find(l, 'Gateway', 'gw').spec.listeners[0].hostname = '*.example.org'; }],
    ['a Gateway listener port (the same rows at another port)', (l: Json[]) => { find(l, 'Gateway', 'gw').spec.listeners[0].port = 8080; }],
    ['a route without hostnames', (l: Json[]) => { delete find(l, 'HTTPRoute', 'charlie').spec.hostnames; }],
    ['an object added', (l: Json[]) => { l.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, data: {} }); }],
    ['objects reordered', (l: Json[]) => { l.reverse(); }],
    ['a Namespace label', (l: Json[]) => { l.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }); }],
  ])('%s: every witness is routed', (_name, change) => {
    const r = check(edit(change));
    expect(r.skipped.size).toBe(0);
  });

  test('no change at all: nothing is routed, and the diff says the same as before', () => {
    const { unchanged, before, afterObjects } = sides(base());
    expect(unchanged).toBeDefined();
    const r = diffManifests(before, afterObjects);
    expect(r.changes).toEqual([]);
    expect(r.witnesses).toBeGreaterThan(0);
  });
});

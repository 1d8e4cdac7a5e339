/**
 * Denied edges: workload -> Service port connections routing allows and policy drops, on Online
 * Boutique with its 13 NetworkPolicies (test/fixtures/microservices-demo), checked against the
 * connectivity matrix `netkit reach` prints, and on small fixtures for egress, partial denial,
 * the limit and the layout.
 */
import { join } from 'path';
import { graphFromObjects } from '../../lib/graph/build';
import { layoutGraph } from '../../lib/graph/layout';
import type { GraphEdge } from '../../lib/graph/model';
import { PolicyModel } from '../../lib/engine/policy';
import { reachMatrix } from '../../lib/engine/policy/matrix';
import { loadManifests, type ManifestObject } from '../../lib/manifest';
import { examplesObjects, load } from './support';

function demo(): ManifestObject[] {
  const r = loadManifests([join(__dirname, '../fixtures/microservices-demo')]);
  expect(r.errors).toEqual([]);
  return r.objects;
}

const deniedOf = (edges: readonly GraphEdge[]) => edges.filter((e) => e.kind === 'denied');
const pair = (e: GraphEdge) => `${e.denial?.source} -> ${e.denial?.service}`;

describe('denied edges on microservices-demo', () => {
  const objects = demo();
  const { graph, cluster } = graphFromObjects(objects);
  const denied = deniedOf(graph.edges);
  const byPair = new Map(denied.map((e) => [pair(e), e]));

  test('the cartservice policy: loadgenerator is denied, frontend and checkoutservice are not', () => {
    const e = byPair.get('default/loadgenerator -> default/cartservice:7070/TCP');
    expect(e).toBeDefined();
    expect(e?.from).toMatch(/^pod:default\/loadgenerator-/);
    expect(e?.to).toBe('svc:default/cartservice');
    expect(e?.toPort).toBe('svc:default/cartservice#0');
    expect(e?.denial).toMatchObject({
      sourceKind: 'Deployment', direction: 'ingress', port: 7070, destinations: 1, deniedDestinations: ['default/cartservice'],
      isolatedBy: ['NetworkPolicy default/cartservice', 'NetworkPolicy default/deny-all'],
    });
    expect(e?.denial?.nearMiss).toMatch(/^NetworkPolicy default\/cartservice spec\.ingress\[0\]: /);
    expect(e?.denial?.reason).toContain('NetworkPolicy default/cartservice');
    expect(byPair.has('default/frontend -> default/cartservice:7070/TCP')).toBe(false);
    expect(byPair.has('default/checkoutservice -> default/cartservice:7070/TCP')).toBe(false);
    expect(byPair.has('default/frontend -> default/redis-cart:6379/TCP')).toBe(true);
    expect(byPair.has('default/cartservice -> default/redis-cart:6379/TCP')).toBe(false);
  });

  test('the emailservice port is checked after DNAT (Service 5000 -> pod 8080)', () => {
    const e = byPair.get('default/frontend -> default/emailservice:5000/TCP');
    expect(e?.denial?.port).toBe(8080);
    expect(byPair.has('default/checkoutservice -> default/emailservice:5000/TCP')).toBe(false);
  });

  test('the pairs are exactly the denied cells of the reach matrix, seen through each Service', () => {
    const model = PolicyModel.build({ state: cluster, objects: cluster.objects.values() });
    const matrix = reachMatrix(model, cluster);
    const deniedCells = new Set(matrix.cells.filter((c) => !c.allowed).map((c) => `${c.from} -> ${c.to}:${c.port}/${c.protocol}`));
    // Every Service of the fixture selects one workload: its port's pair is denied iff the matrix cell on the target port is.
    const expected: string[] = [];
    for (const [key, svc] of cluster.services) {
      const slices = cluster.endpointSlices.get(key) ?? [];
      const target = slices.flatMap((s) => s.endpoints).find((ep) => ep.conditions.ready && ep.targetRef.kind === 'Pod');
      if (!target) continue;
      const workload = matrix.workloads.find((w) => cluster.pods.get(`${w.namespace}/${target.targetRef.name}`) && target.targetRef.name.startsWith(`${w.name}-`));
      for (const p of svc.ports) {
        const podPort = slices.flatMap((s) => s.ports).find((sp) => sp.name === p.name)?.port;
        for (const src of matrix.workloads) {
          if (!workload || src.id === workload.id) continue;
          if (deniedCells.has(`${src.id} -> ${workload.id}:${podPort}/${p.protocol}`)) expected.push(`${src.id} -> ${key}:${p.port}/${p.protocol}`);
        }
      }
    }
    expect(expected.length).toBeGreaterThan(50);
    expect(denied.map(pair).sort()).toEqual(expected.sort());
    expect(graph.summary.denied).toEqual({ pairs: denied.length, drawn: denied.length });
  });

  test('denied edges do not move the boxes (the layout aligns on routes only)', () => {
    const without = graphFromObjects(objects, { deniedLimit: 0 }).graph;
    expect(deniedOf(without.edges)).toEqual([]);
    expect(without.summary.denied).toEqual({ pairs: 0, drawn: 0 });
    expect(layoutGraph(graph).boxes).toEqual(layoutGraph(without).boxes);
  });

  test('past the limit the rest is counted, not drawn', () => {
    const limited = graphFromObjects(objects, { deniedLimit: 10 }).graph;
    expect(deniedOf(limited.edges)).toHaveLength(10);
    expect(limited.summary.denied).toEqual({ pairs: denied.length, drawn: 10 });
  });
});

describe('denied edges on small fixtures', () => {
  const deployment = (name: string, ns: string, labels: Record<string, string>, port = 8080) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      replicas: 2, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: port, name: 'http' }], readinessProbe: { tcpSocket: { port } } }] } },
    },
  });
  const service = (name: string, ns: string, selector: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });

  test('no policy object: no denied edge and no policy work', () => {
    const { graph } = graphFromObjects(examplesObjects());
    expect(deniedOf(graph.edges)).toEqual([]);
    expect(graph.summary.denied).toEqual({ pairs: 0, drawn: 0 });
  });

  test('egress isolation of the source is named as egress', () => {
    const objects = load([
      deployment('client', 'a', { app: 'client' }), deployment('api', 'b', { app: 'api' }), service('api', 'b', { app: 'api' }),
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'client-egress', namespace: 'a' },
        spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'nothing' } } }] }] },
      },
    ]);
    const { graph } = graphFromObjects(objects);
    const denied = deniedOf(graph.edges);
    expect(denied.map(pair)).toEqual(['a/client -> b/api:80/TCP']);
    expect(denied[0].denial).toMatchObject({ direction: 'egress', isolatedBy: ['NetworkPolicy a/client-egress'], port: 8080 });
    expect(denied[0].denial?.nearMiss).toContain('NetworkPolicy a/client-egress spec.egress[0]');
  });

  test('a Service over two workloads, one isolated: the edge says which destinations are denied', () => {
    const objects = load([
      deployment('client', 'shop', { app: 'client' }),
      deployment('api-v1', 'shop', { app: 'api', v: '1' }), deployment('api-v2', 'shop', { app: 'api', v: '2' }),
      service('api', 'shop', { app: 'api' }),
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'v2-closed', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { v: '2' } }, policyTypes: ['Ingress'] },
      },
    ]);
    const { graph } = graphFromObjects(objects);
    const e = deniedOf(graph.edges).find((x) => x.denial?.source === 'shop/client');
    expect(e?.denial).toMatchObject({ destinations: 2, deniedDestinations: ['shop/api-v2'], direction: 'ingress', isolatedBy: ['NetworkPolicy shop/v2-closed'] });
    expect(e?.denial?.reason).toContain('no ingress rule');
    // api-v1 calling its own Service is still a flow to api-v2, and denied; api-v2 reaching api-v1 is not.
    expect(deniedOf(graph.edges).map(pair).sort()).toEqual(['shop/api-v1 -> shop/api:80/TCP', 'shop/client -> shop/api:80/TCP']);
  });
});

/**
 * The "done when" on the examples app: each change is reported exactly, and nothing else.
 * Each test edits the synthesized JSON of the examples (as a pull request would edit a chart) and
 * diffs it against the untouched synthesis.
 */
import { Testing } from 'cdk8s';
import { buildExamplesApp } from '../../examples/main';
import { fromObjects, type JsonObject } from '../../lib/manifest';
import { diffManifests, type DiffResult } from '../../lib/diff';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(): Json[] {
  return buildExamplesApp(Testing.app()).charts.flatMap((c) => c.toJson()) as Json[];
}

const BEFORE = fromObjects(synth() as JsonObject[], 'before').objects;

function find(objects: Json[], kind: string, name: string): Json {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

function diffAfter(edit: (objects: Json[]) => void): DiffResult {
  const after = synth();
  edit(after);
  return diffManifests(BEFORE, fromObjects(after as JsonObject[], 'after').objects);
}

const lines = (r: DiffResult) => r.changes.map((c) => `${c.impact} ${c.subject}: ${c.message}`);

describe('netkit diff on the examples', () => {
  test('a change that alters nothing: no change, and the witness requests are counted', () => {
    const r = diffAfter((objects) => objects.reverse());
    expect(r.changes).toEqual([]);
    expect(r.notes).toEqual([]);
    // 18 route rows of shop-ingress, canary-gateway and bookinfo-mesh; each sent as GET and another method, external ones over http and https.
    expect(r.witnesses).toBe(86);
  });

  test('canary weight change: one L7 change, the distribution before -> after, every request that shares it', () => {
    const r = diffAfter((objects) => {
      const refs = find(objects, 'HTTPRoute', 'checkout').spec.rules[1].backendRefs;
      refs[0].weight = 50; refs[1].weight = 50;
    });
    expect(lines(r)).toEqual([
      'routing GET http://checkout.example.com/: checkout/checkout-v1:80 90% / checkout/checkout-v2:80 10% -> checkout/checkout-v1:80 50% / checkout/checkout-v2:80 50%',
    ]);
    expect(r.changes[0].requests).toEqual([
      'GET http://checkout.example.com/',
      '(any other method) http://checkout.example.com/',
      'GET http://checkout.example.com/netkit-probe',
      '(any other method) http://checkout.example.com/netkit-probe',
    ]);
  });

  test('Istio header route added: only requests with the header go elsewhere', () => {
    const r = diffAfter((objects) => {
      find(objects, 'VirtualService', 'reviews').spec.http.splice(1, 0, {
        name: 'testers', match: [{ headers: { 'x-tester': { exact: 'yes' } } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }],
      });
    });
    expect(lines(r)).toEqual([
      'routing GET http://reviews.bookinfo.svc.cluster.local:9080/netkit-probe (x-tester: yes) from a pod in bookinfo: bookinfo/reviews:9080 subset v1 100% -> bookinfo/reviews:9080 subset v3 100%',
    ]);
    expect(r.changes[0].requests).toHaveLength(2);
    expect(r.witnesses).toBe(88);
  });

  test('selector typo: the Service loses its endpoints, and the finding is introduced', () => {
    const r = diffAfter((objects) => { find(objects, 'Service', 'frontend').spec.selector = { app: 'frontnd' }; });
    expect(lines(r)).toEqual([
      'endpoints Service shop/frontend: ready endpoints from Deployment frontend: 2 -> 0',
      'finding Service shop/frontend: finding introduced: error [service-selects-no-pod] selector app=frontnd matches no pod in namespace "shop": the Service has no endpoints',
    ]);
  });

  test('container port rename: the named targetPort no longer resolves (and the probe on it fails)', () => {
    const r = diffAfter((objects) => { find(objects, 'Deployment', 'api').spec.template.spec.containers[0].ports[1].name = 'mgmt'; });
    expect(lines(r)).toEqual([
      'routing Service shop/api: target port no longer resolved: admin -> 8081/TCP',
      'finding Deployment shop/api: finding introduced: warning [probe-port-not-declared] container "api" readinessProbe uses port name "admin", which the container does not declare: the probe always fails',
      'finding Service shop/api: finding introduced: error [service-target-port-unresolved] targetPort "admin"/TCP is not a container port of any selected pod: port 8081 routes nowhere',
    ]);
  });

  test('NodePort added: exposure, most consequential first', () => {
    const r = diffAfter((objects) => {
      const s = find(objects, 'Service', 'frontend');
      s.spec.type = 'NodePort'; s.spec.ports[0].nodePort = 30111;
    });
    expect(lines(r)).toEqual([
      'exposure Service shop/frontend: NodePort opened: 30111/TCP',
      'exposure Service shop/frontend: type ClusterIP -> NodePort',
      'finding Service shop/frontend: finding introduced: warning [service-exposed-without-source-ranges] type NodePort opens the port on every node to any source',
    ]);
  });

  test('replica count change: endpoints only', () => {
    const r = diffAfter((objects) => { find(objects, 'Deployment', 'api').spec.replicas = 5; });
    expect(lines(r)).toEqual(['endpoints Service shop/api: ready endpoints from Deployment api: 3 -> 5']);
  });

  test('a Service made headless: the DNS answer changes kind (ClusterIP -> pod addresses), nothing else', () => {
    const r = diffAfter((objects) => { find(objects, 'Service', 'api').spec.clusterIP = 'None'; });
    expect(lines(r)).toEqual(['routing Service shop/api: DNS api.shop.svc.cluster.local: A the ClusterIP -> A the ready pod addresses (headless)']);
  });

  test('a NetworkPolicy added: reachability flips per destination port with every source workload, and the Ingress finding', () => {
    const r = diffAfter((objects) => {
      objects.push({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api-from-frontend', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }] },
      });
    });
    const others = 'billing/billing, bookinfo/details-v1, bookinfo/productpage-v1, bookinfo/ratings-v1, bookinfo/reviews-v1, bookinfo/reviews-v2, bookinfo/reviews-v3, checkout/checkout-v1, checkout/checkout-v2, data/postgres';
    expect(lines(r).filter((l) => !l.startsWith('finding'))).toEqual([
      `reachability shop/api:8080/TCP: allowed -> denied from 11 workloads: ${others}, web/web`,
      `reachability shop/api:8081/TCP: allowed -> denied from 12 workloads: ${others}, shop/frontend, web/web`,
    ]);
    expect(lines(r).filter((l) => l.startsWith('finding')).map((l) => l.replace(/\] .*/, ']'))).toEqual([
      'finding Ingress shop/shop: finding introduced: error [backend-unreachable-by-policy]',
      'finding Ingress shop/shop: finding introduced: error [backend-unreachable-by-policy]',
    ]);
  });
});

/**
 * toAllow / toDeny over policy, with what-ifs (add or remove a policy), on the microservices-demo
 * fixture (through cdk8s Include) and on policies written with cdk8s-plus (interop: the engine
 * reads any networking.k8s.io/v1 NetworkPolicy).
 */
import * as path from 'path';
import { App, Chart, Include } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import '../../lib/testing/jest';
import { checkDenies, simulate } from '../../lib/testing';

const DEMO = path.join(__dirname, '..', 'fixtures', 'microservices-demo');

function demo() {
  const app = new App();
  const chart = new Chart(app, 'demo');
  new Include(chart, 'workloads', { url: path.join(DEMO, 'workloads.yaml') });
  new Include(chart, 'policies', { url: path.join(DEMO, 'network-policies.yaml') });
  return simulate(chart);
}

describe('toAllow / toDeny', () => {
  const sim = demo();

  test('the issue\'s flows', () => {
    expect(sim).toDeny('app=loadgenerator', 'cartservice:7070', { by: 'cartservice' });
    expect(sim).toDeny('app=frontend', 'redis-cart:6379', { by: 'redis-cart' });
    expect(sim).toAllow('app=frontend', 'cartservice:7070');
    expect(sim).toAllow('app=cartservice', 'redis-cart:6379');
  });

  test('negations and wrong reasons fail with the deciding policies in the message', () => {
    expect(sim).not.toAllow('app=loadgenerator', 'cartservice:7070');
    const wrong = checkDenies(sim, 'app=loadgenerator', 'cartservice:7070', { by: 'frontend' });
    expect(wrong.pass).toBe(false);
    expect(wrong.message).toContain('the deciding policies are');
    expect(wrong.message).toContain('default/cartservice');
    // A trace that fails for another reason is not a policy denial.
    const missing = checkDenies(sim, 'app=frontend', 'nosuch:80');
    expect(missing.pass).toBe(false);
    expect(missing.message).toContain('fails for another reason (nxdomain)');
  });

  test('what-if: adding a policy that admits loadgenerator, then removing deny-all', () => {
    const s = demo();
    s.apply({ type: 'upsertObject', object: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'cart-from-loadgen', namespace: 'default' },
      spec: { podSelector: { matchLabels: { app: 'cartservice' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'loadgenerator' } } }], ports: [{ port: 7070 }] }] },
    } });
    expect(s).toAllow('app=loadgenerator', 'cartservice:7070');
    expect(s).toDeny('app=loadgenerator', 'redis-cart:6379');
    s.apply({ type: 'deleteObject', ref: { kind: 'NetworkPolicy', namespace: 'default', name: 'redis-cart' } });
    // deny-all still isolates redis-cart, now with no rule admitting anyone.
    expect(s).toDeny('app=cartservice', 'redis-cart:6379', { by: 'deny-all' });
  });
});

describe('cdk8s-plus NetworkPolicy interop', () => {
  function plus(isolation: kplus.PodConnectionsIsolation) {
    const app = new App();
    const chart = new Chart(app, 'plus');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web', portNumber: 8080, securityContext: { ensureNonRoot: false } }] });
    const client = new kplus.Deployment(chart, 'client', { containers: [{ image: 'client', portNumber: 9000, securityContext: { ensureNonRoot: false } }] });
    const other = new kplus.Deployment(chart, 'other', { containers: [{ image: 'other', portNumber: 9001, securityContext: { ensureNonRoot: false } }] });
    web.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] });
    web.connections.allowFrom(client, { isolation });
    // cdk8s-plus selects its pods by the label it adds, cdk8s.io/metadata.addr.
    const label = (d: kplus.Deployment): string => `cdk8s.io/metadata.addr=${d.podMetadata.getLabel('cdk8s.io/metadata.addr')}`;
    return { sim: simulate(chart), client: label(client), other: label(other) };
  }

  test('allowFrom with POD isolation: the client reaches web, another pod does not', () => {
    const { sim, client, other } = plus(kplus.PodConnectionsIsolation.POD);
    expect(sim).toAllow(client, 'web:80');
    expect(sim).toDeny(other, 'web:80');
  });

  test('allowFrom with PEER isolation also isolates the client\'s egress: its DNS lookups are dropped', () => {
    const { sim, client } = plus(kplus.PodConnectionsIsolation.PEER);
    const r = checkDenies(sim, client, 'web:80');
    expect(r.pass).toBe(true);
    expect(r.message).toContain('the DNS lookup of web is dropped');
    // By pod IP (no lookup) the egress rule admits it.
    const webPod = sim.pods().find((p) => p.name.includes('web'));
    expect(sim).toAllow(client, `${webPod?.ip}:8080`);
  });
});

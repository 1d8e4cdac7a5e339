/** netkit diff --equivalent sees what each backend's own filters do to its share (per-backend upstream requests). */
import { checkEquivalence } from '../../lib/diff';
import { fromObjects } from '../../lib/manifest';

type Json = Record<string, unknown>;
const app = (name: string): Json[] => [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } },
];
const GW = 'gateway.networking.k8s.io/v1';
const base: Json[] = [
  { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'example.com/gw' } },
  { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'c', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  ...app('a'), ...app('b'),
];
function side(headerOfB: string): ReturnType<typeof fromObjects>['objects'] {
  const set = (v: string): Json[] => [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Backend', value: v }] } }];
  const route: Json = { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['x.example.com'], rules: [{ backendRefs: [{ name: 'a', port: 80, filters: set('a') }, { name: 'b', port: 80, filters: set(headerOfB) }] }] } };
  const loaded = fromObjects([...base, route], 'test');
  expect(loaded.errors).toEqual([]);
  return loaded.objects;
}

test('a backendRef header change on one share is a difference; the same change is equivalent', () => {
  expect(checkEquivalence(side('b'), side('b')).equivalent).toBe(true);
  const r = checkEquivalence(side('b'), side('a'));
  expect(r.equivalent).toBe(false);
  expect(r.differences[0]?.before).toContain('default/b:80 (headers set: backend: b) 50%');
  expect(r.differences[0]?.after).toContain('default/b:80 (headers set: backend: a) 50%');
});

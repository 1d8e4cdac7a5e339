import { fromObjects } from '../../../lib/manifest';
import { parseL7Objects, compareAge } from '../../../lib/engine/l7';

function parse(objs: unknown[]) {
  const r = fromObjects(objs, 'test');
  if (r.errors.length > 0) throw new Error(r.errors.map(String).join('\n'));
  return parseL7Objects(r.objects);
}

describe('parseL7Objects', () => {
  test('applies Gateway API defaults (rules, matches, parentRef kind, backendRef weight, header type)', () => {
    const { byKind, problems } = parse([
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' },
        spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }, { matches: [{ headers: [{ name: 'x', value: 'y' }] }] }] } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'empty' }, spec: { parentRefs: [{ name: 'gw' }] } },
    ]);
    expect(problems).toEqual([]);
    const [r, empty] = byKind.HTTPRoute;
    expect(r.spec.parentRefs[0]).toMatchObject({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' });
    expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(r.spec.rules[0].backendRefs?.[0]).toMatchObject({ group: '', kind: 'Service', weight: 1 });
    expect(r.spec.rules[1].matches[0]).toMatchObject({ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x', value: 'y' }] });
    expect(empty.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
    expect(empty.namespace).toBe('default');
  });

  test('keeps the two Gateway kinds apart by apiVersion; Listener allowedRoutes defaults to Same', () => {
    const { byKind } = parse([
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' },
        spec: { gatewayClassName: 'c', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'igw', namespace: 'istio-system' },
        spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
    ]);
    expect(byKind.Gateway.map((g) => g.name)).toEqual(['gw']);
    expect(byKind.Gateway[0].spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
    expect(byKind.IstioGateway.map((g) => g.name)).toEqual(['igw']);
  });

  test('an unreadable object is a problem with its field path, not a throw', () => {
    const { byKind, problems } = parse([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bad' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Glob', backend: {} }] } }] } },
    ]);
    expect(byKind.Ingress).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'invalid-object', path: 'spec.rules[0].http.paths[0].pathType' });
  });

  test('creation order: timestamps when both have one, else load order (reported as not fixed)', () => {
    const { byKind } = parse([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'a', creationTimestamp: '2024-02-01T00:00:00Z' }, spec: {} },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'b', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: {} },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'c' }, spec: {} },
    ]);
    const [a, b, c] = byKind.Ingress;
    expect(compareAge(a, b)).toMatchObject({ byTimestamp: true });
    expect(compareAge(a, b).cmp).toBeGreaterThan(0);
    expect(compareAge(a, c)).toEqual({ cmp: -2, byTimestamp: false });
  });
});

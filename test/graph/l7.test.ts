import { graphFromObjects } from '../../lib/graph/build';
import { formatL7Trace } from '../../lib/report/l7-format';
import { layoutGraph } from '../../lib/graph/layout';
import type { RoutingGraph } from '../../lib/graph/model';
import { l7Objects } from './l7-fixture';
import { load } from './support';

/** The node of this kind whose label (routes: label and sublabel's match, e.g. `shop.example.com Prefix /cart`) is `label`. */
function byLabel(graph: RoutingGraph, kind: string, label: string) {
  const text = (n: RoutingGraph['nodes'][number]) => (n.kind === 'route' ? `${n.label} ${(n.sublabel ?? '').split(' · ')[0]}` : n.label);
  const n = graph.nodes.find((x) => x.kind === kind && text(x) === label);
  if (!n) throw new Error(`no ${kind} "${label}"; have ${graph.nodes.filter((x) => x.kind === kind).map(text).join(' | ')}`);
  return n;
}

function traceOf(graph: RoutingGraph, id: string) {
  const t = graph.traces.find((x) => x.id === id);
  if (!t) throw new Error(`no trace ${id}`);
  return t;
}

describe('HTTP routes on the graph', () => {
  const { graph } = graphFromObjects(l7Objects());

  test('entry points and one route per host + match, in the route namespace', () => {
    expect(graph.nodes.filter((n) => n.kind === 'entry').map((n) => `${n.namespace} ${n.label}`).sort()).toEqual([
      'api api/public http', 'shop Ingress class nginx',
    ]);
    expect(graph.nodes.filter((n) => n.kind === 'route').map((n) => `${n.label} | ${n.sublabel}`).sort()).toEqual([
      'api.example.com | PathPrefix /v1 · HTTPRoute api', 'shop.example.com | Prefix / · Ingress shop', 'shop.example.com | Prefix /cart · Ingress shop',
    ]);
    expect(graph.summary).toMatchObject({ entryPoints: 2, routes: 3 });
    for (const n of graph.nodes.filter((x) => x.kind === 'route' || x.kind === 'entry')) expect(n.layer).toBe('L7');
  });

  test('edges: entry point -> route -> the Service port its backend names (with weights)', () => {
    const cart = byLabel(graph, 'route', 'shop.example.com Prefix /cart');
    const nginx = byLabel(graph, 'entry', 'Ingress class nginx');
    expect(graph.edges).toContainEqual({ from: nginx.id, to: cart.id, kind: 'route' });
    expect(graph.edges.filter((e) => e.from === cart.id)).toEqual([{ from: cart.id, to: 'svc:shop/cart', toPort: 'svc:shop/cart#0', kind: 'backend' }]);
    // A backend port given by name (web: http) resolves to the same anchor.
    const web = byLabel(graph, 'route', 'shop.example.com Prefix /');
    expect(graph.edges.filter((e) => e.from === web.id).map((e) => e.toPort)).toEqual(['svc:shop/web#0']);
    const api = byLabel(graph, 'route', 'api.example.com PathPrefix /v1');
    expect(graph.edges.filter((e) => e.from === api.id).map((e) => `${e.toPort} ${e.label}`)).toEqual(['svc:api/api-v1#0 weight 90', 'svc:api/api-v2#0 weight 10']);
  });

  test('a route click shows its request reaching the backend pods', () => {
    const cart = byLabel(graph, 'route', 'shop.example.com Prefix /cart');
    const t = traceOf(graph, cart.traces[0]);
    expect(t).toMatchObject({ layer: 'L7', ok: true, title: 'GET http://shop.example.com/cart via ingress:nginx' });
    expect(t.destinations).toHaveLength(2);
    for (const d of t.destinations) expect(d).toMatch(/^shop\/cart-/);
    // IngressClass nginx names controller k8s.io/ingress-nginx: the ingress-nginx profile applies.
    expect(t.text).toMatch(/lost\n {2}Ingress shop\/shop rules\[0\]\.paths\[1\] +Prefix \/ \(nginx \/\) +nginx picked location = \/cart/);
    expect(t.text).toMatch(/result OK\n$/);
    expect(t.highlight).toEqual(expect.arrayContaining([byLabel(graph, 'entry', 'Ingress class nginx').id, cart.id, 'svc:shop/cart', 'svc:shop/cart#0', ...t.destinations.map((d) => `pod:${d}`)]));

    const api = traceOf(graph, byLabel(graph, 'route', 'api.example.com PathPrefix /v1').traces[0]);
    expect(api.destinations.map((d) => d.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort()).toEqual(['api/api-v1', 'api/api-v1', 'api/api-v2']);
    expect(api.text).toContain('backend  api/api-v1:80 weight 90 (90%)');
    expect(api.text).toContain('backend  api/api-v2:80 weight 10 (10%)');
  });

  test('a row whose sample requests all go to another row says so; a prefix beside an exact path gets a request of its own', () => {
    const svcs = ['a', 'b'].map((name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80 }] } }));
    const route = (name: string, to: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'default' }, spec: {
      parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/x' } }], backendRefs: [{ name: to, port: 80 }] }],
    } });
    const objects = load([...svcs,
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gateway' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
      route('old', 'a'), route('new', 'b'),
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'default' }, spec: { ingressClassName: 'nginx', rules: [{ http: { paths: [
        { path: '/x', pathType: 'Exact', backend: { service: { name: 'a', port: { number: 80 } } } },
        { path: '/x', pathType: 'Prefix', backend: { service: { name: 'b', port: { number: 80 } } } },
      ] } }] } },
    ]);
    const g = graphFromObjects(objects).graph;
    const routeNode = (name: string) => g.nodes.find((n) => n.kind === 'route' && n.refs[0]?.name === name && n.refs[0]?.kind === 'HTTPRoute');
    const shadowed = traceOf(g, routeNode('new')?.traces[0] ?? '');
    expect(shadowed.text.split('\n')[0]).toBe('note     this sample request is taken by HTTPRoute default/old rule 0, not by this row');
    expect(traceOf(g, routeNode('old')?.traces[0] ?? '').text).not.toContain('not by this row');
    const prefix = traceOf(g, byLabel(g, 'route', '* Prefix /x').traces[0]);
    expect(prefix.title).toBe('GET http://netkit-probe.invalid/x/netkit-probe via ingress:nginx');
    expect(prefix.text).not.toContain('not by this row');
  });

  test('a match no request can be built for exactly (a regular expression) says its sample leaves it out', () => {
    const objects = load([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'default' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: {
        parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+' } }], backendRefs: [{ name: 'a', port: 80 }] }],
      } },
    ]);
    const g = graphFromObjects(objects).graph;
    const t = traceOf(g, byLabel(g, 'route', '* RegularExpression /v[0-9]+').traces[0]);
    expect(t.text.split('\n')[0]).toMatch(/^note {5}this row's match has conditions a sample request cannot be built for/);
    expect(t.title).toBe('GET http://netkit-probe.invalid/ via gateway:default/gw/http');
  });

  test('an entry point nothing routes through is drawn in its own namespace', () => {
    const objects = load([
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gateway' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'idle', namespace: 'infra' }, spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }] } },
    ]);
    const g = graphFromObjects(objects).graph;
    expect(g.nodes.filter((n) => n.kind === 'entry').map((n) => ({ id: n.id, namespace: n.namespace, label: n.label, refs: n.refs.map((r) => r.kind) }))).toEqual([
      { id: 'entry:l7:gateway:infra/idle/http@infra', namespace: 'infra', label: 'infra/idle http', refs: ['Gateway'] },
    ]);
  });

  test('the layout gets a routes column between entry points and Services', () => {
    const layout = layoutGraph(graph);
    expect(layout.columns.map((c) => c.kind)).toEqual(['entry', 'route', 'service', 'slice', 'pod']);
  });

  test('l7: false leaves HTTP routing out', () => {
    const g = graphFromObjects(l7Objects(), { l7: false }).graph;
    expect(g.summary.routes).toBe(0);
    expect(g.nodes.some((n) => n.layer === 'L7')).toBe(false);
  });
});

describe('formatL7Trace', () => {
  test('a failing request ends with the reason and the HTTP status', () => {
    const text = formatL7Trace({
      request: { from: 'outside the cluster', method: 'GET', scheme: 'https', host: 'a.example.com', port: 8443, path: '/p', query: { q: '1' }, headers: { host: 'a.example.com', 'x-a': 'b' } },
      ok: false, steps: [], candidates: [], backends: [], errorProbability: 1, ambiguities: [{ kind: 'implementation', message: 'two Ingresses claim a.example.com /p' }],
      failure: { code: 'no-route', message: 'no route matches', status: 404 },
    });
    expect(text).toBe([
      'request  GET https://a.example.com:8443/p?q=1 from outside the cluster',
      'header   x-a: b',
      'open     two Ingresses claim a.example.com /p',
      'result FAIL (no-route, HTTP 404): no route matches',
      '',
    ].join('\n'));
  });
});

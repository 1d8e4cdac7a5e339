/**
 * The entry point's own hop under NetworkPolicy: an Ingress controller or a Gateway's proxy
 * connects to the backend pods from its own pod, so the backends' ingress rules must admit that
 * pod (its namespace and labels), not the node the L4 trace starts from. Without the proxy pod
 * in the manifests, a stand-in placed by the profile (`ingressController`, `gatewayProxy`) is
 * judged, and the trace says what it assumed.
 */
import { app, backend, gateway, gatewayClass, httpRoute, ingress, model, svc } from './helpers';

type Json = Record<string, unknown>;

const netpol = (name: string, spec: Json, namespace = 'default'): Json => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const fromNamespace = (ns: string): Json => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
const web = [app('web'), svc('web')];
const ing = ingress('ing', { ingressClassName: 'nginx', rules: [{ host: 'shop.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] });
const controllerNs: Json = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingress-nginx' } };

function l4Notes(t: ReturnType<ReturnType<typeof model>['request']>): string[] {
  return t.backends.flatMap((b) => b.l4?.notes ?? []);
}

describe('Ingress controller -> backend hop under NetworkPolicy', () => {
  test('a policy admitting the controller namespace lets the request through; the trace names the stand-in it assumed', () => {
    const m = model([...web, ing, netpol('web-from-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [fromNamespace('ingress-nginx')] }] })]);
    const t = m.request({ url: 'http://shop.com/' });
    expect(t.ok).toBe(true);
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(l4Notes(t).join('\n')).toContain('no Ingress controller pod in the manifests: policy judged the controller -> backend hop from a stand-in pod in namespace ingress-nginx');
    expect(t.steps.map((s) => s.message).join('\n')).toContain('profile option ingressController');
  });

  test('a policy admitting only app=frontend drops the controller\'s connections, naming the policy', () => {
    const m = model([...web, ing, netpol('web-from-frontend', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] })]);
    const t = m.request({ url: 'http://shop.com/' });
    const l4 = t.backends[0].l4;
    expect(l4?.ok).toBe(false);
    expect(l4?.failure?.code).toBe('policy-denied');
    expect(l4?.failure?.message).toContain('NetworkPolicy default/web-from-frontend');
  });

  test('the node the L4 trace starts from is not what policy judges: a policy admitting only the nodes\' addresses does not admit the controller', () => {
    const m = model([...web, ing, netpol('web-from-nodes', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }] })]);
    const l4 = m.request({ url: 'http://shop.com/' }).backends[0].l4;
    expect(l4?.ok).toBe(false);
    expect(l4?.failure?.code).toBe('policy-denied');
  });

  test('a controller pod in the manifests is judged itself, its egress policy included', () => {
    const controller = { ...app('ingress-nginx-controller', 1, { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }, 'ingress-nginx') };
    const admit = netpol('web-from-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [fromNamespace('ingress-nginx')] }] });
    const ok = model([controllerNs, controller, ...web, ing, admit]).request({ url: 'http://shop.com/' });
    expect(ok.backends[0].l4?.ok).toBe(true);
    expect(l4Notes(ok).join('\n')).toMatch(/policy judged the controller -> backend hop from the Ingress controller pod ingress-nginx\/ingress-nginx-controller-/);
    const egressDeny = netpol('controller-egress', { podSelector: {}, policyTypes: ['Egress'] }, 'ingress-nginx');
    const denied = model([controllerNs, controller, ...web, ing, admit, egressDeny]).request({ url: 'http://shop.com/' }).backends[0].l4;
    expect(denied?.ok).toBe(false);
    expect(denied?.failure?.message).toContain('NetworkPolicy ingress-nginx/controller-egress');
  });
});

describe('Gateway -> backend hop under NetworkPolicy', () => {
  const gw = gateway('gw', [{ name: 'http', protocol: 'HTTP', port: 80 }], { namespace: 'edge' });
  const route = httpRoute('web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], hostnames: ['shop.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
  const edgeNs: Json = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } };
  const routeAllowed: Json = { ...gw, spec: { ...(gw.spec as Json), listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }] } };

  test('by default the Gateway\'s proxy runs in its namespace (GEP-1762 label): admitting that namespace lets it through', () => {
    const m = model([edgeNs, gatewayClass, routeAllowed, route, ...web, netpol('web-from-edge', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [fromNamespace('edge')] }] })]);
    const t = m.request({ url: 'http://shop.com/' });
    expect(t.ok).toBe(true);
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(l4Notes(t).join('\n')).toContain('no proxy pod of Gateway edge/gw in the manifests: policy judged the Gateway -> backend hop from a stand-in, one of the pods labelled gateway.networking.k8s.io/gateway-name=gw in namespace edge');
  });

  test('a policy that does not admit the Gateway\'s namespace drops the hop', () => {
    const m = model([edgeNs, gatewayClass, routeAllowed, route, ...web, netpol('web-from-frontend', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] })]);
    const l4 = m.request({ url: 'http://shop.com/' }).backends[0].l4;
    expect(l4?.ok).toBe(false);
    expect(l4?.failure?.message).toContain('NetworkPolicy default/web-from-frontend');
  });

  test('a real proxy pod with the GEP-1762 label is judged itself', () => {
    const proxy = app('gw-istio', 1, { 'gateway.networking.k8s.io/gateway-name': 'gw' }, 'edge');
    const m = model([edgeNs, gatewayClass, routeAllowed, route, proxy, ...web, netpol('web-from-gw', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } } }] }] })]);
    const t = m.request({ url: 'http://shop.com/' });
    expect(t.backends[0].l4?.ok).toBe(true);
    expect(l4Notes(t).join('\n')).toMatch(/from its proxy pod edge\/gw-istio-/);
  });
});

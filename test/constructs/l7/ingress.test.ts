import { Chart, Testing } from 'cdk8s';
import { Deployment, Ingress, IngressBackend, IngressClass, IngressClassParametersScope, IngressPathType, Service } from '../../../lib';
import { findObject, newChart, synth, synthError } from '../../support/synth';

/** A chart with a web Service exposing `http` (80) and `metrics` (9090). */
function webChart(namespace = 'shop'): { chart: Chart; web: Service } {
  const chart = newChart(namespace);
  const pods = new Deployment(chart, 'pods', { podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] });
  const web = new Service(chart, 'web', { metadata: { name: 'web' }, selector: pods, ports: [{ port: 80, name: 'http', targetPort: 'http' }, { port: 9090, name: 'metrics' }] });
  return { chart, web };
}

function ingressError(build: (chart: Chart, web: Service) => void): string {
  const { chart, web } = webChart();
  build(chart, web);
  return synthError(chart);
}

describe('Ingress synthesis', () => {
  test('rules are grouped by host in first-seen order; Prefix is the default pathType; ports by name or number', () => {
    const { chart, web } = webChart();
    const nginx = IngressClass.nginx(chart, 'nginx');
    const ingress = new Ingress(chart, 'shop', { metadata: { name: 'shop' }, className: nginx, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] });
    ingress.addHostRule('shop.example.com', '/api', IngressBackend.fromService(web, 'http'));
    ingress.addRule('/metrics', IngressBackend.fromService(web, 9090), IngressPathType.EXACT);
    ingress.addHostRule('shop.example.com', '/healthz', IngressBackend.fromService(web, 80), IngressPathType.EXACT);
    ingress.addDefaultBackend(IngressBackend.fromService(web, 'http'));
    const spec = findObject(synth(chart), 'Ingress', 'shop').spec;
    expect(spec).toEqual({
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'web', port: { name: 'http' } } },
      rules: [
        { host: 'shop.example.com', http: { paths: [
          { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
          { path: '/healthz', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } },
        ] } },
        { http: { paths: [{ path: '/metrics', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 9090 } } } }] } },
      ],
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    });
  });

  test('a backend without a port uses the Service\'s only port', () => {
    const chart = newChart('shop');
    const api = new Service(chart, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 8080 }] });
    new Ingress(chart, 'ing', { metadata: { name: 'ing' }, defaultBackend: IngressBackend.fromService(api) });
    expect(findObject(synth(chart), 'Ingress', 'ing').spec?.defaultBackend).toEqual({ service: { name: 'api', port: { number: 8080 } } });
  });

  test('service.exposeViaIngress routes host + path to the named port and stamps the construct path', () => {
    const { chart, web } = webChart();
    web.exposeViaIngress(chart, 'public', { metadata: { name: 'public' }, host: 'web.example.com', path: '/app', port: 'http', className: 'nginx' });
    const ingress = findObject(synth(chart), 'Ingress', 'public') as unknown as { metadata: { annotations: Record<string, string> }; spec: unknown };
    expect(ingress.metadata.annotations['netkit.io/construct-path']).toBe('test/public');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'web.example.com', http: { paths: [{ path: '/app', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
    });
  });

  test('resource backends and Services outside the app', () => {
    const chart = newChart('shop');
    new Ingress(chart, 'ing', {
      metadata: { name: 'ing' },
      defaultBackend: IngressBackend.fromResource({ apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' }),
      rules: [{ path: '/legacy', backend: IngressBackend.fromServiceName('legacy', 'http') }],
    });
    const spec = findObject(synth(chart), 'Ingress', 'ing').spec;
    expect(spec?.defaultBackend).toEqual({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } });
    expect(spec?.rules).toEqual([{ http: { paths: [{ path: '/legacy', pathType: 'Prefix', backend: { service: { name: 'legacy', port: { name: 'http' } } } }] } }]);
  });

  test('IngressPathType documents the Kubernetes meanings (cdk8s-plus has them swapped)', () => {
    expect(IngressPathType.EXACT).toBe('Exact');
    expect(IngressPathType.PREFIX).toBe('Prefix');
  });

  test('a second default backend is a programming error', () => {
    const { chart, web } = webChart();
    const ingress = new Ingress(chart, 'ing', { defaultBackend: IngressBackend.fromService(web, 'http') });
    expect(() => ingress.addDefaultBackend(IngressBackend.fromService(web, 'http'))).toThrow('test/ing: the Ingress already has a default backend');
  });
});

describe('Ingress validations', () => {
  test('an Ingress needs rules or a default backend', () => {
    expect(ingressError((chart) => new Ingress(chart, 'empty', { metadata: { name: 'empty' } })))
      .toContain('[test/empty] Ingress "empty": spec: Invalid value: either `defaultBackend` or `rules` must be specified. Fix: add a rule');
  });

  test('the backend port must exist on the Service, by name or number; near misses pass', () => {
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, rules: [{ path: '/', backend: IngressBackend.fromService(web, 'https') }] })))
      .toContain('Ingress "ing": rule 0 (* /): Service "web" has no port named "https" (its ports: http (80), metrics (9090)). Fix: use one of the Service\'s port names or numbers');
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, rules: [{ path: '/', backend: IngressBackend.fromService(web, 8080) }] })))
      .toContain('Service "web" has no port 8080 (its ports: http (80), metrics (9090)). Fix: use one of the Service\'s port names or numbers (the Service port, not the targetPort)');
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, defaultBackend: IngressBackend.fromService(web) })))
      .toContain('Ingress "ing": spec.defaultBackend: Service "web" has several ports (http (80), metrics (9090)), so the backend must name one');
    const { chart, web } = webChart();
    new Ingress(chart, 'ing', { rules: [{ path: '/', backend: IngressBackend.fromService(web, 'metrics') }, { path: '/x', backend: IngressBackend.fromService(web, 80) }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('an Ingress cannot route to a Service in another namespace', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const api = new Service(backend, 'api', { metadata: { name: 'api' }, selector: { app: 'api' }, ports: [{ port: 80 }] });
    const front = new Chart(app, 'front', { namespace: 'front' });
    new Ingress(front, 'ing', { metadata: { name: 'ing' }, defaultBackend: IngressBackend.fromService(api, 80) });
    expect(synthError(front)).toContain('Service "api" is in namespace "backend", but an Ingress can only route to Services in its own namespace ("front")');
  });

  test('hosts: DNS names or one leading wildcard label, never IPs', () => {
    const withHost = (host: string) => ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, rules: [{ host, backend: IngressBackend.fromService(web, 'http') }] }));
    expect(withHost('10.0.0.1')).toContain('spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address');
    expect(withHost('*')).toContain('spec.rules[0].host: Invalid value: "*": a wildcard DNS-1123 subdomain must start with \'*.\'');
    expect(withHost('foo.*.com')).toContain('a wildcard DNS-1123 subdomain must start with \'*.\'');
    expect(withHost('Shop.example.com')).toContain('a lowercase RFC 1123 subdomain');
    const { chart, web } = webChart();
    new Ingress(chart, 'ing', { rules: [{ host: '*.example.com', backend: IngressBackend.fromService(web, 'http') }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('paths: Exact and Prefix must be absolute and clean; ImplementationSpecific only absolute', () => {
    const withPath = (path: string, pathType?: IngressPathType) =>
      ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, rules: [{ path, pathType, backend: IngressBackend.fromService(web, 'http') }] }));
    expect(withPath('api')).toContain('spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path');
    expect(withPath('/a//b')).toContain('Invalid value: "/a//b": must not contain \'//\'');
    expect(withPath('/a/%2Fb', IngressPathType.EXACT)).toContain('must not contain \'%2F\'');
    expect(withPath('/a/..', IngressPathType.EXACT)).toContain('cannot end with \'/..\'');
    expect(withPath('api', IngressPathType.IMPLEMENTATION_SPECIFIC)).toContain('must be an absolute path');
    const { chart, web } = webChart();
    new Ingress(chart, 'ing', { rules: [{ path: '/a/b.c/', backend: IngressBackend.fromService(web, 'http') }, { path: '/(.*)', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC, backend: IngressBackend.fromService(web, 'http') }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('the same host, path and type twice is reported (only one can match)', () => {
    const error = ingressError((chart, web) => {
      const ingress = new Ingress(chart, 'ing', { metadata: { name: 'ing' } });
      ingress.addHostRule('a.example.com', '/api', IngressBackend.fromService(web, 'http'));
      ingress.addHostRule('a.example.com', '/api', IngressBackend.fromService(web, 'metrics'));
      ingress.addHostRule('a.example.com', '/api', IngressBackend.fromService(web, 'metrics'), IngressPathType.EXACT);
    });
    expect(error).toContain('rule 1 (a.example.com /api): Duplicate value: rule 0 already routes Prefix "/api" on host "a.example.com", so this one never matches');
    expect(error).not.toContain('rule 2');
  });

  test('TLS hosts and secret names, class names, and the deprecated class annotation', () => {
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, defaultBackend: IngressBackend.fromService(web, 'http'), tls: [{ hosts: ['bad_host'], secretName: 'Shop_TLS' }] })))
      .toMatch(/spec\.tls\[0\]\.hosts\[0\]: Invalid value: "bad_host".*[\s\S]*spec\.tls\[0\]\.secretName: Invalid value: "Shop_TLS"/);
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', { metadata: { name: 'ing' }, className: 'Nginx', defaultBackend: IngressBackend.fromService(web, 'http') })))
      .toContain('spec.ingressClassName: Invalid value: "Nginx"');
    expect(ingressError((chart, web) => new Ingress(chart, 'ing', {
      metadata: { name: 'ing', annotations: { 'kubernetes.io/ingress.class': 'traefik' } }, className: 'nginx', defaultBackend: IngressBackend.fromService(web, 'http'),
    }))).toContain('metadata.annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified');
  });

  test('names generated from construct ids with "_" are rejected', () => {
    expect(ingressError((chart, web) => new Ingress(chart, 'My_Ingress', { defaultBackend: IngressBackend.fromService(web, 'http') })))
      .toContain('[test/My_Ingress] Ingress "test-my_ingress-c874854f": metadata.name: Invalid value');
  });
});

describe('IngressClass', () => {
  test('cluster-scoped (no namespace even in a namespaced chart), default-class annotation, parameters', () => {
    const chart = newChart('shop');
    new IngressClass(chart, 'alb', {
      metadata: { name: 'alb' }, controller: 'ingress.k8s.aws/alb', isDefault: true,
      parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb-params' },
    });
    const cls = findObject(synth(chart), 'IngressClass', 'alb') as unknown as { metadata: Record<string, unknown>; spec: unknown };
    expect(cls.metadata.namespace).toBeUndefined();
    expect(cls.metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'true', 'netkit.io/construct-path': 'test/alb' });
    expect(cls.spec).toEqual({ controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb-params' } });
  });

  test('the controller is a domain-prefixed path; parameter scopes need (or forbid) a namespace', () => {
    const error = (props: ConstructorParameters<typeof IngressClass>[2]) => {
      const chart = newChart();
      new IngressClass(chart, 'c', { metadata: { name: 'c' }, ...props });
      return synthError(chart);
    };
    expect(error({ controller: 'nginx' })).toContain('IngressClass "c": spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")');
    expect(error({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', scope: IngressClassParametersScope.NAMESPACE } }))
      .toContain("spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'");
    expect(error({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', namespace: 'x' } }))
      .toContain("spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'");
    const chart = newChart();
    new IngressClass(chart, 'c', { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p', scope: IngressClassParametersScope.NAMESPACE, namespace: 'x' } });
    expect(() => synth(chart)).not.toThrow();
  });
});

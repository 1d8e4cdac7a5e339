import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment, Ingress, IngressBackend, IngressClass, IngressPathType, Service } from '../lib';

/**
 * A shop behind an nginx Ingress with TLS: the storefront at `/`, its API under `/api`, and two
 * Exact paths (`/healthz`, `/api/status`) that reach Service ports by number. Ports are named in
 * one place (the containers and Services) and referenced by name or number in the Ingress.
 */
export class ShopIngressChart extends Chart {
  public readonly ingressClass: IngressClass;
  public readonly frontend: Service;
  public readonly api: Service;
  public readonly ingress: Ingress;

  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    // The controller's class; cluster-scoped, so it carries no namespace.
    this.ingressClass = IngressClass.nginx(this, 'nginx');

    const frontend = new Deployment(this, 'frontend', {
      metadata: { name: 'frontend' },
      replicas: 2,
      podLabels: { app: 'frontend' },
      containers: [{
        name: 'frontend',
        image: 'example/shop-frontend:1.4',
        ports: [{ containerPort: 8080, name: 'http' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      }],
    });
    this.frontend = new Service(this, 'frontend-svc', {
      metadata: { name: 'frontend' },
      selector: frontend,
      ports: [{ port: 80, name: 'http', targetPort: 'http' }],
    });

    const api = new Deployment(this, 'api', {
      metadata: { name: 'api' },
      replicas: 3,
      podLabels: { app: 'api' },
      containers: [{
        name: 'api',
        image: 'example/shop-api:2.1',
        ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8081, name: 'admin' }],
        readinessProbe: { httpGet: { path: '/status', port: 'admin' } },
      }],
    });
    this.api = new Service(this, 'api-svc', {
      metadata: { name: 'api' },
      selector: api,
      ports: [{ port: 80, name: 'http', targetPort: 'http' }, { port: 8081, name: 'admin', targetPort: 'admin' }],
    });

    this.ingress = new Ingress(this, 'shop', {
      metadata: { name: 'shop' },
      className: this.ingressClass,
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }],
    });
    const host = 'shop.example.com';
    // Prefix paths match whole path segments: /api matches /api and /api/cart, not /apix.
    this.ingress.addHostRule(host, '/', IngressBackend.fromService(this.frontend, 'http'));
    this.ingress.addHostRule(host, '/api', IngressBackend.fromService(this.api, 'http'));
    // Exact paths win over any Prefix of the same path; these reach ports by number.
    this.ingress.addHostRule(host, '/api/status', IngressBackend.fromService(this.api, 8081), IngressPathType.EXACT);
    this.ingress.addHostRule(host, '/healthz', IngressBackend.fromService(this.frontend, 80), IngressPathType.EXACT);
  }
}

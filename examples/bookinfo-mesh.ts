import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment, DestinationRule, IstioDestination, IstioGateway, IstioProtocol, Service, VirtualService } from '../lib';

/**
 * Istio's bookinfo, the way its samples route it: productpage behind the ingress gateway;
 * reviews in three versions told apart by a `version` label, with the user `jason` (header
 * `end-user: jason`) sent to v2 and everyone else to v1; ratings pinned to v1. Subsets come from
 * DestinationRules, and every service port is named `http` so the mesh detects HTTP.
 */
export class BookinfoMeshChart extends Chart {
  public readonly gateway: IstioGateway;
  public readonly productpage: Service;
  public readonly details: Service;
  public readonly reviews: Service;
  public readonly ratings: Service;
  public readonly reviewsRule: DestinationRule;

  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'bookinfo', ...props });

    this.productpage = this.service('productpage', ['v1']);
    this.details = this.service('details', ['v1']);
    this.reviews = this.service('reviews', ['v1', 'v2', 'v3']);
    this.ratings = this.service('ratings', ['v1']);

    // Subsets: the Service's pods that also carry the version label.
    const rules = new Map<string, DestinationRule>();
    for (const [svc, versions] of [[this.productpage, ['v1']], [this.details, ['v1']], [this.reviews, ['v1', 'v2', 'v3']], [this.ratings, ['v1']]] as const) {
      const rule = new DestinationRule(this, `${svc.name}-rule`, { metadata: { name: svc.name }, host: svc });
      for (const version of versions) rule.addSubset(version, { version });
      rules.set(svc.name, rule);
    }
    this.reviewsRule = rules.get('reviews') as DestinationRule;

    // North-south: the ingress gateway accepts any host on port 80 and hands it to productpage.
    this.gateway = new IstioGateway(this, 'gateway', {
      metadata: { name: 'bookinfo-gateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: IstioProtocol.HTTP }, hosts: ['*'] }],
    });
    new VirtualService(this, 'bookinfo', {
      metadata: { name: 'bookinfo' },
      hosts: ['*'],
      gateways: [this.gateway],
      http: [{
        match: [
          { uri: { exact: '/productpage' } },
          { uri: { prefix: '/static' } },
          { uri: { exact: '/login' } },
          { uri: { exact: '/logout' } },
          { uri: { prefix: '/api/v1/products' } },
        ],
        route: [{ destination: IstioDestination.service(this.productpage, { port: 'http' }) }],
      }],
    });

    // East-west, applied by the sidecars: routes are tried in order, the catch-all last.
    const reviews = new VirtualService(this, 'reviews-routes', { metadata: { name: 'reviews' }, hosts: [this.reviews] });
    reviews.addHttpRoute({
      name: 'jason',
      match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      route: [{ destination: IstioDestination.subset(this.reviewsRule, 'v2') }],
    });
    reviews.addHttpRoute({ name: 'default', route: [{ destination: IstioDestination.subset(this.reviewsRule, 'v1') }] });

    for (const name of ['productpage', 'details', 'ratings']) {
      new VirtualService(this, `${name}-routes`, {
        metadata: { name },
        hosts: [name],
        http: [{ route: [{ destination: IstioDestination.subset(rules.get(name) as DestinationRule, 'v1') }] }],
      });
    }
  }

  /** A Service `name` on port 9080 (`http`) over one Deployment per version. */
  private service(name: string, versions: readonly string[]): Service {
    for (const version of versions) {
      new Deployment(this, `${name}-${version}`, {
        metadata: { name: `${name}-${version}` },
        podLabels: { app: name, version },
        containers: [{
          name,
          image: `docker.io/istio/examples-bookinfo-${name}-${version}:1.20.2`,
          ports: [{ containerPort: 9080, name: 'http' }],
          readinessProbe: { httpGet: { path: name === 'productpage' ? '/productpage' : '/health', port: 'http' } },
        }],
      });
    }
    return new Service(this, name, {
      metadata: { name },
      selector: { app: name },
      ports: [{ port: 9080, name: 'http', targetPort: 'http' }],
    });
  }
}

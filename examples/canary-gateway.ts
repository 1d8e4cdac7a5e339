import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment, Gateway, GatewayClass, GatewayProtocol, HttpBackendRef, HttpRoute, Service } from '../lib';

/** Options of {@link CanaryGatewayChart}. */
export interface CanaryGatewayChartProps extends ChartProps {
  /** Share of traffic (out of 100) that goes to the canary. @default 10 */
  readonly canaryWeight?: number;
}

/**
 * A canary release with Gateway API weights: checkout v1 (stable) and v2 (canary) run side by
 * side, each behind its own Service; an HTTPRoute on the public Gateway splits
 * `checkout.example.com` 90/10 between them, and sends testers who set `x-canary: always` to
 * v2 only.
 */
export class CanaryGatewayChart extends Chart {
  public readonly gateway: Gateway;
  public readonly stable: Service;
  public readonly canary: Service;
  public readonly route: HttpRoute;

  public constructor(scope: Construct, id: string, props: CanaryGatewayChartProps = {}) {
    super(scope, id, { namespace: 'checkout', ...props });
    const canaryWeight = props.canaryWeight ?? 10;

    const gatewayClass = new GatewayClass(this, 'envoy', {
      metadata: { name: 'envoy' },
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
    });
    this.gateway = new Gateway(this, 'public', {
      metadata: { name: 'public' },
      gatewayClassName: gatewayClass,
      listeners: [{ name: 'http', protocol: GatewayProtocol.HTTP, port: 80, hostname: 'checkout.example.com' }],
    });

    this.stable = this.version('v1', 4);
    this.canary = this.version('v2', 1);

    this.route = new HttpRoute(this, 'checkout', {
      metadata: { name: 'checkout' },
      parentRefs: [this.gateway],
      hostnames: ['checkout.example.com'],
      rules: [
        {
          // Testers opt in; a header match outranks the plain path match below.
          name: 'testers',
          matches: [{ path: { value: '/' }, headers: [{ name: 'x-canary', value: 'always' }] }],
          backendRefs: [HttpBackendRef.fromService(this.canary, { port: 'http' })],
        },
        {
          name: 'split',
          backendRefs: [
            HttpBackendRef.fromService(this.stable, { port: 'http', weight: 100 - canaryWeight }),
            HttpBackendRef.fromService(this.canary, { port: 'http', weight: canaryWeight }),
          ],
          timeouts: { request: Duration.seconds(10) },
        },
      ],
    });
  }

  /** One version: a Deployment labelled `app: checkout, version: <v>` and its own Service. */
  private version(version: string, replicas: number): Service {
    const pods = new Deployment(this, `checkout-${version}`, {
      metadata: { name: `checkout-${version}` },
      replicas,
      podLabels: { app: 'checkout', version },
      containers: [{
        name: 'checkout',
        image: `example/checkout:${version}`,
        ports: [{ containerPort: 8080, name: 'http' }],
        readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
      }],
    });
    return new Service(this, `checkout-${version}-svc`, {
      metadata: { name: `checkout-${version}` },
      selector: pods,
      ports: [{ port: 80, name: 'http', targetPort: 'http' }],
    });
  }
}

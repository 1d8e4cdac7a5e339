import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment, ExternalTrafficPolicy, Service, ServiceType } from '../lib';

/**
 * A web app of 3 replicas exposed three ways: a ClusterIP for in-cluster clients, a NodePort on
 * a fixed port, and a LoadBalancer that keeps client IPs (`externalTrafficPolicy: Local`).
 */
export class WebAppChart extends Chart {
  public readonly deployment: Deployment;
  public readonly clusterIp: Service;
  public readonly nodePort: Service;
  public readonly loadBalancer: Service;

  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'web', ...props });

    this.deployment = new Deployment(this, 'web', {
      metadata: { name: 'web' },
      replicas: 3,
      podLabels: { app: 'web' },
      containers: [{
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }],
        readinessProbe: { httpGet: { path: '/', port: 'http' } },
      }],
    });

    this.clusterIp = new Service(this, 'internal', { metadata: { name: 'web' }, selector: this.deployment });
    this.clusterIp.bind(80, { name: 'http', targetPort: 'http' });
    this.clusterIp.bind(9090, { name: 'metrics', targetPort: 'metrics' });

    this.nodePort = new Service(this, 'node-port', {
      metadata: { name: 'web-nodeport' },
      type: ServiceType.NODE_PORT,
      selector: this.deployment,
      ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }],
    });

    this.loadBalancer = new Service(this, 'public', {
      metadata: { name: 'web-public' },
      type: ServiceType.LOAD_BALANCER,
      selector: this.deployment,
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      ports: [{ port: 80, targetPort: 'http', name: 'http' }],
    });
  }
}

import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment, Service } from '../lib';

/**
 * A managed database outside the cluster, reached through an in-cluster name: `billing-db`
 * resolves (CNAME) to `billing.db.example.com`, so the app's config never names the provider.
 */
export class ExternalDatabaseChart extends Chart {
  public readonly alias: Service;
  public readonly app: Deployment;

  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'billing', ...props });

    this.alias = Service.externalName(this, 'billing-db', 'billing.db.example.com', {
      metadata: { name: 'billing-db' },
    });

    this.app = new Deployment(this, 'billing', {
      metadata: { name: 'billing' },
      podLabels: { app: 'billing' },
      containers: [{
        name: 'billing',
        image: 'example/billing:2.3',
        env: [{ name: 'DATABASE_HOST', value: 'billing-db' }, { name: 'DATABASE_PORT', value: '5432' }],
      }],
    });
  }
}

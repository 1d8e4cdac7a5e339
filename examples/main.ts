import { App } from 'cdk8s';
import { DatabaseChart } from './database';
import { BookinfoMeshChart } from './bookinfo-mesh';
import { CanaryGatewayChart } from './canary-gateway';
import { ExternalDatabaseChart } from './external-database';
import { ShopIngressChart } from './shop-ingress';
import { WebAppChart } from './web-app';

/** The examples app: `cdk8s synth` writes one `dist/<chart>.k8s.yaml` per example. */
export function buildExamplesApp(app: App = new App()): App {
  new DatabaseChart(app, 'database');
  new WebAppChart(app, 'web-app');
  new ExternalDatabaseChart(app, 'external-database');
  new ShopIngressChart(app, 'shop-ingress');
  new CanaryGatewayChart(app, 'canary-gateway');
  new BookinfoMeshChart(app, 'bookinfo-mesh');
  return app;
}

if (require.main === module) {
  try {
    buildExamplesApp().synth();
  } catch (error) {
    // Validation errors already name the construct path, the field and the fix: no stack trace.
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

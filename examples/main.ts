import { App } from 'cdk8s';
import { DatabaseChart } from './database';
import { ExternalDatabaseChart } from './external-database';
import { WebAppChart } from './web-app';

/** The examples app: `cdk8s synth` writes one `dist/<chart>.k8s.yaml` per example. */
export function buildExamplesApp(app: App = new App()): App {
  new DatabaseChart(app, 'database');
  new WebAppChart(app, 'web-app');
  new ExternalDatabaseChart(app, 'external-database');
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

/** Inputs shared by the graph tests (unit and browser). */
import { App } from 'cdk8s';
import { DatabaseChart } from '../../examples/database';
import { ExternalDatabaseChart } from '../../examples/external-database';
import { buildExamplesApp } from '../../examples/main';
import { WebAppChart } from '../../examples/web-app';
import { fromObjects, type ManifestObject } from '../../lib/manifest';
import { synthesizeObjects } from '../../lib/testing/simulate';

/**
 * The first three examples (database, web app, external database), synthesized in memory: a
 * fixed set the unit tests can count on while more examples are added.
 */
export function examplesObjects(): ManifestObject[] {
  const app = new App();
  new DatabaseChart(app, 'database');
  new WebAppChart(app, 'web-app');
  new ExternalDatabaseChart(app, 'external-database');
  return synthesizeObjects(app);
}

/** Every example of examples/main.ts (`buildExamplesApp`), synthesized in memory. */
export function allExamplesObjects(): ManifestObject[] {
  return synthesizeObjects(buildExamplesApp(new App()));
}

/** Markup that must never execute or become elements when it reaches the page. */
export const HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** Manifests whose names, labels, ports, annotations and externalName carry {@link HOSTILE}. */
export function hostileObjects(): ManifestObject[] {
  const objects = [
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: `evil${HOSTILE}`, namespace: 'default', annotations: { 'netkit.io/construct-path': HOSTILE } },
      spec: { type: 'NodePort', selector: { app: HOSTILE }, ports: [{ port: 80, targetPort: HOSTILE, name: `x${HOSTILE}` }] },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', annotations: { 'netkit.io/construct-path': HOSTILE } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: HOSTILE } },
        template: { metadata: { labels: { app: HOSTILE } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, name: 'h<b>' }] }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: HOSTILE } },
  ];
  const loaded = fromObjects(objects, '<hostile>');
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => e.toString()).join('\n'));
  return loaded.objects;
}

/** Load plain objects (test fixtures written inline). */
export function load(objects: readonly unknown[]): ManifestObject[] {
  const loaded = fromObjects(objects, '<test>');
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => e.toString()).join('\n'));
  return loaded.objects;
}

import { Chart, Testing } from 'cdk8s';

/** A synthesized Kubernetes object, as plain JSON. */
export interface KubeJson {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
}

/** A fresh app and chart for one test (validations are app-wide, so never share an app). */
export function newChart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** Synthesizes the chart (running all validations). */
export function synth(chart: Chart): KubeJson[] {
  return Testing.synth(chart) as KubeJson[];
}

/** The one object of this kind and name; fails the test if there is none or several. */
export function findObject(objects: readonly KubeJson[], kind: string, name?: string): KubeJson {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ` +
      objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', '));
  }
  return found[0];
}

/** The validation error text of a chart that must fail to synthesize. */
export function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synthesis to fail validation, but it succeeded');
}

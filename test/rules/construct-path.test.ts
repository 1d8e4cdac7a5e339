/**
 * Our constructs stamp `netkit.io/construct-path` on the objects they emit, so a violation found
 * in synthesized output names the construct that produced the object.
 */
import { Testing } from 'cdk8s';
import { Deployment, Service, ServiceType } from '../../lib';
import { CONSTRUCT_PATH_ANNOTATION, validateObjects } from '../../lib/rules';
import { synthesizeObjects } from '../../lib/testing';

describe('construct path on violations', () => {
  test('violations on synthesized construct output carry the emitting construct\'s path', () => {
    const chart = Testing.chart();
    const web = new Deployment(chart, 'web', {
      metadata: { name: 'web' },
      podLabels: { app: 'web' },
      containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }],
    });
    const np = new Service(chart, 'node-port', {
      metadata: { name: 'web-nodeport' },
      type: ServiceType.NODE_PORT,
      selector: web,
      ports: [{ port: 80, targetPort: 'http' }],
    });

    const objects = synthesizeObjects(chart);
    for (const o of objects) expect(o.ref.kind === 'Deployment' || o.ref.kind === 'Service').toBe(true);
    const annotations = (kind: string) => (objects.find((o) => o.ref.kind === kind)?.raw as { metadata: { annotations?: Record<string, string> } }).metadata.annotations;
    expect(annotations('Deployment')?.[CONSTRUCT_PATH_ANNOTATION]).toBe(web.node.path);
    expect(annotations('Service')?.[CONSTRUCT_PATH_ANNOTATION]).toBe(np.node.path);

    const v = validateObjects(objects);
    const exposed = v.find((x) => x.ruleId === 'service-exposed-without-source-ranges');
    const noProbe = v.find((x) => x.ruleId === 'service-pod-no-readiness-probe');
    expect(exposed?.constructPath).toBe(np.node.path);
    expect(noProbe?.constructPath).toBe(web.node.path);
    expect(np.node.path).not.toBe(web.node.path);
  });
});

import { Testing } from 'cdk8s';
import { DatabaseChart } from '../../examples/database';
import { ExternalDatabaseChart } from '../../examples/external-database';
import { WebAppChart } from '../../examples/web-app';
import { findObject, KubeJson } from '../support/synth';

describe('examples synthesize as their authors meant', () => {
  test('database: StatefulSet behind its headless Service, plus a client ClusterIP', () => {
    const chart = new DatabaseChart(Testing.app(), 'database');
    const objects = Testing.synth(chart) as KubeJson[];
    const peers = findObject(objects, 'Service', 'postgres');
    const client = findObject(objects, 'Service', 'postgres-rw');
    const set = findObject(objects, 'StatefulSet', 'postgres');

    expect(peers.spec).toEqual({
      type: 'ClusterIP', clusterIP: 'None', selector: { app: 'postgres' }, publishNotReadyAddresses: true,
      ports: [{ port: 5432, name: 'postgres' }],
    });
    expect(client.spec).toEqual({
      type: 'ClusterIP', selector: { app: 'postgres' },
      ports: [{ port: 5432, targetPort: 'postgres', name: 'postgres', appProtocol: 'postgresql' }],
    });
    expect(set.spec?.serviceName).toBe('postgres');
    expect(set.spec?.replicas).toBe(3);
    const podSpec = (set.spec?.template as { spec: { volumes: unknown } }).spec;
    expect(podSpec.volumes).toEqual([{ name: 'run', emptyDir: {} }]);
    expect(objects.every((o) => o.metadata.namespace === 'data')).toBe(true);
  });

  test('web-app: one Deployment exposed as ClusterIP, NodePort and LoadBalancer (Local)', () => {
    const chart = new WebAppChart(Testing.app(), 'web-app');
    const objects = Testing.synth(chart) as KubeJson[];
    expect(findObject(objects, 'Deployment', 'web').spec?.replicas).toBe(3);
    expect(findObject(objects, 'Service', 'web').spec).toEqual({
      type: 'ClusterIP', selector: { app: 'web' },
      ports: [{ port: 80, name: 'http', targetPort: 'http' }, { port: 9090, name: 'metrics', targetPort: 'metrics' }],
    });
    expect(findObject(objects, 'Service', 'web-nodeport').spec).toEqual({
      type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }],
    });
    expect(findObject(objects, 'Service', 'web-public').spec).toEqual({
      type: 'LoadBalancer', selector: { app: 'web' }, externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ port: 80, targetPort: 'http', name: 'http' }],
    });
  });

  test('external-database: an ExternalName alias the app connects to by its short name', () => {
    const chart = new ExternalDatabaseChart(Testing.app(), 'external-database');
    const objects = Testing.synth(chart) as KubeJson[];
    expect(findObject(objects, 'Service', 'billing-db').spec).toEqual({ type: 'ExternalName', externalName: 'billing.db.example.com' });
    const container = (findObject(objects, 'Deployment', 'billing').spec?.template as { spec: { containers: { env: unknown }[] } }).spec.containers[0];
    expect(container.env).toEqual([{ name: 'DATABASE_HOST', value: 'billing-db' }, { name: 'DATABASE_PORT', value: '5432' }]);
  });
});

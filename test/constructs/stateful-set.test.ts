import { HeadlessService, PodManagementPolicy, Service, StatefulSet, StatefulSetUpdateStrategy } from '../../lib';
import { findObject, newChart, synth, synthError } from '../support/synth';

const postgres = { name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432, name: 'postgres' }] };

describe('StatefulSet', () => {
  test('creates its headless Service by default and names it in spec.serviceName', () => {
    const chart = newChart('data');
    const db = new StatefulSet(chart, 'db', { metadata: { name: 'db' }, replicas: 3, podLabels: { app: 'db' }, containers: [postgres] });
    const objects = synth(chart);
    const service = findObject(objects, 'Service');
    const set = findObject(objects, 'StatefulSet', 'db');

    expect(db.service.isHeadless).toBe(true);
    expect(service.metadata.name).toBe(db.service.name);
    expect(service.metadata.namespace).toBe('data');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: { app: 'db' },
      ports: [{ port: 5432, targetPort: 5432, name: 'postgres', protocol: 'TCP' }],
    });
    expect(set.spec).toEqual({
      serviceName: db.service.name,
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [postgres] } },
    });
    // The Service is emitted before the StatefulSet that depends on it.
    expect(objects.indexOf(service)).toBeLessThan(objects.indexOf(set));
  });

  test('ports added after construction still appear in the created Service', () => {
    const chart = newChart();
    const db = new StatefulSet(chart, 'db', { podLabels: { app: 'db' }, containers: [postgres] });
    db.addContainer({ name: 'exporter', image: 'exporter', ports: [{ containerPort: 9187, name: 'metrics' }] });
    const service = findObject(synth(chart), 'Service');
    expect(service.spec?.ports).toEqual([
      { port: 5432, targetPort: 5432, name: 'postgres', protocol: 'TCP' },
      { port: 9187, targetPort: 9187, name: 'metrics', protocol: 'TCP' },
    ]);
  });

  test('a set without container ports gets a headless Service without ports', () => {
    const chart = newChart();
    new StatefulSet(chart, 'worker', { podLabels: { app: 'worker' }, containers: [{ name: 'worker', image: 'busybox' }] });
    const service = findObject(synth(chart), 'Service');
    expect(service.spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'worker' } });
  });

  test('publishNotReadyAddresses is passed to the created Service', () => {
    const chart = newChart();
    new StatefulSet(chart, 'db', { podLabels: { app: 'db' }, containers: [postgres], publishNotReadyAddresses: true });
    expect(findObject(synth(chart), 'Service').spec?.publishNotReadyAddresses).toBe(true);
  });

  test('uses a given headless Service and creates none', () => {
    const chart = newChart();
    const peers = new HeadlessService(chart, 'peers', { metadata: { name: 'peers' }, selector: { app: 'db' } });
    const db = new StatefulSet(chart, 'db', { service: peers, podLabels: { app: 'db' }, containers: [postgres] });
    const objects = synth(chart);
    expect(db.service).toBe(peers);
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
    expect(findObject(objects, 'StatefulSet').spec?.serviceName).toBe('peers');
  });

  test('ordered or parallel pod management, update strategy and claim templates', () => {
    const chart = newChart();
    const db = new StatefulSet(chart, 'db', {
      metadata: { name: 'db' },
      podLabels: { app: 'db' },
      containers: [{ ...postgres, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      updateStrategy: StatefulSetUpdateStrategy.rollingUpdate({ partition: 2, maxUnavailable: '50%' }),
      minReadySeconds: 10,
    });
    db.addVolumeClaimTemplate({ name: 'data', storage: '20Gi', storageClassName: 'fast' });
    const spec = findObject(synth(chart), 'StatefulSet', 'db').spec;
    expect(spec?.podManagementPolicy).toBe('Parallel');
    expect(spec?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2, maxUnavailable: '50%' } });
    expect(spec?.minReadySeconds).toBe(10);
    expect(spec?.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } },
    }]);
  });

  test('OnDelete update strategy', () => {
    const chart = newChart();
    new StatefulSet(chart, 'db', { metadata: { name: 'db' }, podLabels: { app: 'db' }, containers: [postgres], updateStrategy: StatefulSetUpdateStrategy.onDelete() });
    expect(findObject(synth(chart), 'StatefulSet', 'db').spec?.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('keeps pod volumes when there are no volumeClaimTemplates (cdk8s-plus 2.5.57 drops them)', () => {
    const chart = newChart();
    new StatefulSet(chart, 'cache', {
      metadata: { name: 'cache' },
      podLabels: { app: 'cache' },
      containers: [{ name: 'redis', image: 'redis', volumeMounts: [{ name: 'scratch', mountPath: '/data' }, { name: 'conf', mountPath: '/etc/redis' }] }],
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'conf', configMap: { name: 'redis-conf' } }],
    });
    const podSpec = (findObject(synth(chart), 'StatefulSet', 'cache').spec?.template as { spec: { volumes: unknown } }).spec;
    expect(podSpec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }, { name: 'conf', configMap: { name: 'redis-conf' } }]);
  });

  test('rejects a given Service that is not headless', () => {
    const chart = newChart();
    const svc = new Service(chart, 'svc', { metadata: { name: 'db-svc' }, selector: { app: 'db' }, ports: [{ port: 5432 }] });
    new StatefulSet(chart, 'db', { metadata: { name: 'db' }, service: svc, podLabels: { app: 'db' }, containers: [postgres] });
    expect(synthError(chart)).toContain('[test/db] StatefulSet "db": spec.serviceName: Service "db-svc" is not headless (its clusterIP is not None), ' +
      'so the pods get no stable DNS names (<pod>.<service>). Fix: pass a HeadlessService as `service`, or leave `service` out to have one created');
  });

  test('rejects a given Service that selects other pods', () => {
    const chart = newChart();
    const peers = new HeadlessService(chart, 'peers', { metadata: { name: 'peers' }, selector: { app: 'cache' } });
    new StatefulSet(chart, 'db', { metadata: { name: 'db' }, service: peers, podLabels: { app: 'db' }, containers: [postgres] });
    expect(synthError(chart)).toContain('[test/db] StatefulSet "db": spec.serviceName: Service "peers" does not select this set\'s pods: ' +
      'selector app=cache is not on the pod labels {app=db}. Fix: call `service.select(statefulSet)` or align the labels');
  });

  test('rejects a given Service without a selector', () => {
    const chart = newChart();
    const peers = new HeadlessService(chart, 'peers', { metadata: { name: 'peers' } });
    new StatefulSet(chart, 'db', { metadata: { name: 'db' }, service: peers, podLabels: { app: 'db' }, containers: [postgres] });
    expect(synthError(chart)).toContain('Service "peers" has no selector, so it does not select this set\'s pods');
  });

  test('rejects a given Service in another namespace', () => {
    const chart = newChart('data');
    const peers = new HeadlessService(chart, 'peers', { metadata: { name: 'peers', namespace: 'other' }, selector: { app: 'db' } });
    new StatefulSet(chart, 'db', { metadata: { name: 'db' }, service: peers, podLabels: { app: 'db' }, containers: [postgres] });
    expect(synthError(chart)).toContain('Service "peers" is in namespace "other" but the StatefulSet is in "data"');
  });

  test('unnamed container ports on several ports make an invalid headless Service (cdk8s#1721)', () => {
    const chart = newChart();
    const db = new StatefulSet(chart, 'db', {
      podLabels: { app: 'db' },
      containers: [{ name: 'db', image: 'db', ports: [{ containerPort: 5432 }, { containerPort: 8008 }] }],
    });
    expect(synthError(chart)).toContain(`[test/db/Service] Service "${db.service.name}": spec.ports[0].name: Required value: every port must be named when a Service has more than one port`);
  });
});

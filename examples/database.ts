import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { HeadlessService, PodManagementPolicy, Service, StatefulSet } from '../lib';

/**
 * A replicated PostgreSQL: a 3-pod StatefulSet behind its headless Service (stable peer names
 * `postgres-0.postgres.data.svc.cluster.local`, ...), plus a ClusterIP Service for clients.
 */
export class DatabaseChart extends Chart {
  public readonly statefulSet: StatefulSet;
  public readonly clientService: Service;

  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'data', ...props });

    // The governing Service: peers find each other by name even before they are ready.
    const peers = new HeadlessService(this, 'peers', {
      metadata: { name: 'postgres' },
      selector: { app: 'postgres' },
      ports: [{ port: 5432, name: 'postgres' }],
      publishNotReadyAddresses: true,
    });

    this.statefulSet = new StatefulSet(this, 'postgres', {
      metadata: { name: 'postgres' },
      service: peers,
      replicas: 3,
      podLabels: { app: 'postgres' },
      podManagementPolicy: PodManagementPolicy.ORDERED_READY,
      containers: [{
        name: 'postgres',
        image: 'postgres:16',
        ports: [{ containerPort: 5432, name: 'postgres' }],
        readinessProbe: { exec: { command: ['pg_isready', '-U', 'postgres'] } },
        volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }, { name: 'run', mountPath: '/var/run/postgresql' }],
      }],
      // A pod volume next to a claim template: both are kept in the manifest.
      volumes: [{ name: 'run', emptyDir: {} }],
      volumeClaimTemplates: [{ name: 'data', storage: '10Gi' }],
    });

    // What applications connect to: a virtual IP balanced over the ready replicas.
    this.clientService = new Service(this, 'client', {
      metadata: { name: 'postgres-rw' },
      selector: this.statefulSet,
      ports: [{ port: 5432, targetPort: 'postgres', name: 'postgres', appProtocol: 'postgresql' }],
    });
  }
}

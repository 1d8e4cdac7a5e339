/** A synthetic app of many Services, for layout and page checks at the size the page must stay readable at. */
import type { ManifestObject } from '../../lib/manifest';
import { load } from './support';

/**
 * `services` Services over `namespaces` namespaces, each selecting its own 3-replica Deployment;
 * every 10th is a NodePort, every 25th a LoadBalancer, every 50th selects nothing.
 */
export function manyServices(services: number, namespaces = 10): ManifestObject[] {
  const out: unknown[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `team-${String(i % namespaces).padStart(2, '0')}`;
    const name = `svc-${String(i).padStart(3, '0')}`;
    const app = i % 50 === 49 ? 'nobody' : name;
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
      spec: {
        replicas: 3, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { tcpSocket: { port: 8080 } } }] } },
      },
    });
    const type = i % 25 === 24 ? 'LoadBalancer' : i % 10 === 9 ? 'NodePort' : 'ClusterIP';
    out.push({
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
      spec: { type, selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...(type === 'LoadBalancer' ? { loadBalancerSourceRanges: ['203.0.113.0/24'] } : {}) },
    });
  }
  return load(out);
}

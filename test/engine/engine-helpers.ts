import { BuildOptions, Cluster } from '../../lib/engine/cluster';
import { ClusterProfileInfo } from '../../lib/engine/model';
import { syntheticProfile } from '../../lib/engine/profile';
import { fromObjects } from '../../lib/manifest';

type Labels = Record<string, string>;
type Json = Record<string, unknown>;

/** Build a cluster from plain objects; fails the test on manifest errors. */
export function build(objs: unknown[], profile: ClusterProfileInfo = syntheticProfile(), options?: BuildOptions): Cluster {
  const r = fromObjects(objs, 'test');
  if (r.errors.length > 0) throw new Error(r.errors.map(String).join('\n'));
  return Cluster.build(r.objects, profile, options);
}

export function deployment(name: string, replicas: number, labels: Labels, ports: Json[] = [{ name: 'http', containerPort: 8080 }], extraSpec: Json = {}): Json {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports }], ...extraSpec } } },
  };
}

export function statefulSet(name: string, replicas: number, serviceName: string, labels: Labels): Json {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: { replicas, serviceName, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 5432 }] }] } } },
  };
}

export function pod(name: string, labels: Labels, ports: Json[], extra: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', ports }], ...extra } };
}

export function service(name: string, spec: Json, meta: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...meta }, spec };
}

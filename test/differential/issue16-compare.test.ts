/**
 * The differential suite's comparisons added for issue 16 (no cluster needed): they must report
 * a difference when the engine and the live objects disagree, and none when they agree.
 */
import type { KubeObject } from '../../lib/apply/types';
import { Cluster } from '../../lib/engine/cluster';
import { syntheticProfile } from '../../lib/engine/profile';
import { fromObjects } from '../../lib/manifest/objects';
import { compareKubernetesService, comparePodsByOwner } from './compare';
import { compareRejections } from './scenario-run';

const profile = { ...syntheticProfile(), apiServer: { address: '127.0.0.1', port: 16443, endpoints: false } };
const liveService: KubeObject = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 16443 }] },
};

describe('issue 16 comparisons', () => {
  test('default/kubernetes: equal when the profile says how the API server runs, different otherwise', () => {
    expect(compareKubernetesService(Cluster.build([], profile), { service: liveService, endpoints: [], endpointSlices: [] })).toEqual([]);
    const wrong = compareKubernetesService(Cluster.build([], syntheticProfile()), { service: liveService, endpoints: [], endpointSlices: [] });
    expect(wrong.map((d) => d.field).sort()).toEqual(['EndpointSlices (as serialized)', 'Endpoints (as serialized)', 'spec.ports']);
  });

  test('rejections: the same object on both sides matches; another object blamed is a difference', () => {
    const live = [{ ref: { apiVersion: 'v1', kind: 'Service', namespace: 'nkd-x', name: 'alpha' }, outcome: 'failed' as const, error: { status: 422, reason: 'Invalid', message: 'provided IP is already allocated' } }];
    const diag = (name: string) => ({ severity: 'error' as const, code: 'clusterip-conflict', message: 'taken', object: { kind: 'Service', namespace: 'nkd-x', name } });
    expect(compareRejections('nkd-x', live, [diag('alpha')]).differences).toEqual([]);
    const d = compareRejections('nkd-x', live, [diag('zeta')]).differences;
    expect(d.map((x) => `${x.object}: ${x.expected === null ? 'live only' : 'engine only'}`)).toEqual(['Service nkd-x/alpha: live only', 'Service nkd-x/zeta: engine only']);
  });

  test('pods by owner: a Job with fewer Succeeded pods live than the engine predicts is a difference', () => {
    const job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'b', namespace: 'nkd-j' },
      spec: { completions: 2, template: { metadata: { labels: { app: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
    };
    const engine = Cluster.build(fromObjects([job], 'x.yaml').objects, syntheticProfile());
    const livePod = (name: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'nkd-j', labels: { app: 'b', 'job-name': 'b', 'batch.kubernetes.io/job-name': 'b', 'controller-uid': 'u', 'batch.kubernetes.io/controller-uid': 'u', 'topology.kubernetes.io/zone': 'zone-a' }, ownerReferences: [{ kind: 'Job', name: 'b', controller: true }] },
      status: { phase: 'Succeeded' },
    });
    const snap = (pods: KubeObject[]) => ({ services: [], endpoints: [], endpointSlices: [], pods, nodes: [] });
    expect(comparePodsByOwner(engine, snap([livePod('b-1'), livePod('b-2')]), 'nkd-j')).toEqual([]);
    expect(comparePodsByOwner(engine, snap([livePod('b-1')]), 'nkd-j')).toHaveLength(1);
  });
});

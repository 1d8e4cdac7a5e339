import {
  APPLYSET_GKS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_TOOLING_ANNOTATION, ApplySetConflict, applySetId, parentBody, parseApplySetFlag,
  parseGroupKind, readParent, toolingBaseName, type ApplySetParent,
} from '../../lib/apply/applyset';
import { FakeKube } from './fake-kube';

describe('ApplySet (KEP-3659)', () => {
  test('the id is computed as kubectl computes it', () => {
    // kubectl's own test vector (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply_test.go): Secret my-set in namespace test.
    expect(applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'my-set', namespace: 'test' })).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
    // The kind is part of the hash: a ConfigMap parent of the same name is another set.
    expect(applySetId({ apiVersion: 'v1', kind: 'ConfigMap', name: 'my-set', namespace: 'test' })).not.toBe(applySetId({ apiVersion: 'v1', kind: 'Secret', name: 'my-set', namespace: 'test' }));
  });

  test('--applyset: NAME is a Secret, secrets/ and configmaps/ prefixes, nothing else', () => {
    expect(parseApplySetFlag('shop', 'prod')).toEqual({ apiVersion: 'v1', kind: 'Secret', name: 'shop', namespace: 'prod' });
    expect(parseApplySetFlag('configmaps/shop', 'prod')).toMatchObject({ kind: 'ConfigMap' });
    expect(parseApplySetFlag('secrets/shop', 'prod')).toMatchObject({ kind: 'Secret' });
    expect(parseApplySetFlag('widgets.example.com/shop', 'prod')).toEqual({ problem: expect.stringContaining('custom-resource parents are not supported') });
    expect(parseApplySetFlag('Shop_1', 'prod')).toEqual({ problem: expect.stringContaining('DNS subdomain') });
    expect(parseApplySetFlag('shop', 'Prod')).toEqual({ problem: expect.stringContaining('--namespace') });
  });

  test('group-kinds and tooling names parse as in apimachinery and kubectl', () => {
    expect(parseGroupKind('Deployment.apps')).toEqual({ kind: 'Deployment', group: 'apps' });
    expect(parseGroupKind('ConfigMap')).toEqual({ kind: 'ConfigMap', group: '' });
    expect(parseGroupKind('FlowSchema.flowcontrol.apiserver.k8s.io')).toEqual({ kind: 'FlowSchema', group: 'flowcontrol.apiserver.k8s.io' });
    expect(toolingBaseName('kubectl/v1.36.3')).toBe('kubectl');
    expect(toolingBaseName('example.com/tool/v2')).toBe('example.com/tool');
    expect(toolingBaseName('helm')).toBe('helm');
  });

  const parent: ApplySetParent = { apiVersion: 'v1', kind: 'Secret', name: 'shop', namespace: 'shop' };

  test('the parent records sorted group-kinds and the namespaces other than its own', () => {
    const body = parentBody(parent, 'v0.1.0', [{ group: 'apps', kind: 'Deployment' }, { group: '', kind: 'Service' }, { group: '', kind: 'ConfigMap' }], ['shop', 'b', 'a', 'b']);
    expect(body.metadata).toEqual({
      name: 'shop', namespace: 'shop', labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: { [APPLYSET_TOOLING_ANNOTATION]: 'netkit/v0.1.0', [APPLYSET_GKS_ANNOTATION]: 'ConfigMap,Deployment.apps,Service', 'applyset.kubernetes.io/additional-namespaces': 'a,b' },
    });
  });

  test('reading a parent: missing is empty; ours is parsed; another tool, a wrong id or a missing annotation is refused', async () => {
    const kube = new FakeKube();
    expect(await readParent(kube, parent)).toEqual({ exists: false, groupKinds: [], namespaces: ['shop'] });
    const seed = (labels: Record<string, string>, annotations: Record<string, string>): void => kube.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop', namespace: 'shop', labels, annotations } });
    seed({ [APPLYSET_ID_LABEL]: applySetId(parent) }, { [APPLYSET_TOOLING_ANNOTATION]: 'netkit/v0.0.9', [APPLYSET_GKS_ANNOTATION]: 'Deployment.apps,Service', 'applyset.kubernetes.io/additional-namespaces': 'x' });
    expect(await readParent(kube, parent)).toEqual({ exists: true, groupKinds: [{ kind: 'Deployment', group: 'apps' }, { kind: 'Service', group: '' }], namespaces: ['shop', 'x'] });
    seed({ [APPLYSET_ID_LABEL]: applySetId(parent) }, { [APPLYSET_TOOLING_ANNOTATION]: 'netkit/v0.0.9', [APPLYSET_GKS_ANNOTATION]: '' });
    expect((await readParent(kube, parent)).groupKinds).toEqual([]);
    seed({ [APPLYSET_ID_LABEL]: applySetId(parent) }, { [APPLYSET_TOOLING_ANNOTATION]: 'kubectl/v1.36.3', [APPLYSET_GKS_ANNOTATION]: '' });
    await expect(readParent(kube, parent)).rejects.toThrow(ApplySetConflict);
    seed({ [APPLYSET_ID_LABEL]: 'applyset-other-v1' }, { [APPLYSET_TOOLING_ANNOTATION]: 'netkit/v0.1.0', [APPLYSET_GKS_ANNOTATION]: '' });
    await expect(readParent(kube, parent)).rejects.toThrow(/expected applyset-/);
    seed({ [APPLYSET_ID_LABEL]: applySetId(parent) }, { [APPLYSET_TOOLING_ANNOTATION]: 'netkit/v0.1.0' });
    await expect(readParent(kube, parent)).rejects.toThrow(/contains-group-kinds/);
  });
});

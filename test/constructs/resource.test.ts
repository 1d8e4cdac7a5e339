import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FieldProblem } from '../../lib/k8s/problems';
import { CONSTRUCT_PATH_ANNOTATION } from '../../lib/rules/suppress';
import { GatewayClass, IngressClass, NamespacedResource, NetkitResource } from '../../lib';
import { findObject, newChart, synth, synthError } from '../support/synth';

/** A namespaced L2 written on the base: a claim whose access modes are added after construction. */
class Widget extends NamespacedResource {
  public readonly apiObject: k8s.KubePersistentVolumeClaim;
  private readonly modes: string[] = [];

  public constructor(scope: Construct, id: string, private readonly problems: readonly FieldProblem[] = []) {
    super(scope, id);
    this.apiObject = this.createApiObject(k8s.KubePersistentVolumeClaim, { metadata: { name: id }, spec: (): k8s.PersistentVolumeClaimSpec => ({ accessModes: [...this.modes] }) });
  }

  public addAccessMode(mode: string): void {
    this.modes.push(mode);
  }

  protected validationMessages(): string[] {
    return this.manifestProblems(() => this.problems);
  }
}

/** A cluster-scoped one. */
class ClusterWidget extends NetkitResource {
  public readonly apiObject: k8s.KubeNamespace;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.apiObject = this.createApiObject(k8s.KubeNamespace, { metadata: { name: id }, spec: () => undefined, clusterScoped: true });
  }

  protected validationMessages(): string[] {
    return [];
  }
}

describe('NetkitResource', () => {
  test('the L1 object is the child "Resource", its spec is rendered at synth time, and it carries the construct path', () => {
    const chart = newChart('shop');
    const widget = new Widget(chart, 'w');
    widget.addAccessMode('ReadWriteOnce');
    const object = findObject(synth(chart), 'PersistentVolumeClaim', 'w') as unknown as { metadata: { namespace?: string; annotations?: Record<string, string> }; spec: unknown };
    expect(widget.node.tryFindChild('Resource')).toBe(widget.apiObject);
    expect(object.spec).toEqual({ accessModes: ['ReadWriteOnce'] });
    expect(object.metadata.namespace).toBe('shop');
    expect(object.metadata.annotations?.[CONSTRUCT_PATH_ANNOTATION]).toBe('test/w');
    expect(widget.name).toBe('w');
    expect(widget.namespace).toBe('shop');
  });

  test('validation messages name the kind and object and fail the synth', () => {
    const chart = newChart();
    new Widget(chart, 'w', [{ field: 'spec.accessModes', message: 'Required value', fix: 'add an access mode' }]);
    expect(synthError(chart)).toContain('[test/w] PersistentVolumeClaim "w": spec.accessModes: Required value. Fix: add an access mode');
  });

  test('cluster-scoped kinds drop the chart namespace from the manifest', () => {
    const chart = newChart('shop');
    new ClusterWidget(chart, 'tenant');
    new IngressClass(chart, 'nginx', { metadata: { name: 'nginx' }, controller: 'k8s.io/ingress-nginx', isDefault: true });
    new GatewayClass(chart, 'envoy', { metadata: { name: 'envoy' }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' });
    const objects = synth(chart);
    for (const [kind, name] of [['Namespace', 'tenant'], ['IngressClass', 'nginx'], ['GatewayClass', 'envoy']]) {
      const object = findObject(objects, kind, name) as unknown as { metadata: { namespace?: string; annotations?: Record<string, string> } };
      expect(object.metadata.namespace).toBeUndefined();
      expect(object.metadata.annotations?.[CONSTRUCT_PATH_ANNOTATION]).toBe(`test/${name}`);
    }
    expect((findObject(objects, 'IngressClass') as unknown as { metadata: { annotations: Record<string, string> } })
      .metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
  });
});

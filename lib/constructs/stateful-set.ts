import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { dns1123LabelProblems } from '../k8s/names';
import { FieldProblem } from '../k8s/problems';
import { JsonMap } from './pod';
import { HeadlessService, Service } from './service';
import { Workload, WorkloadProps, WorkloadSpecWire } from './workload';

/** `spec.podManagementPolicy`. */
export enum PodManagementPolicy {
  /** Pods start one at a time in ordinal order, each after the previous is ready (the default). */
  ORDERED_READY = 'OrderedReady',
  /** Pods start and stop all at once. */
  PARALLEL = 'Parallel',
}

/** `spec.updateStrategy` as written in a manifest. */
export interface StatefulSetUpdateStrategyWire {
  readonly type: 'RollingUpdate' | 'OnDelete';
  readonly rollingUpdate?: { readonly partition?: number; readonly maxUnavailable?: number | string };
}

/** Options of a rolling update. */
export interface StatefulSetRollingUpdateOptions {
  /** Only pods with an ordinal >= partition are updated. @default 0 */
  readonly partition?: number;
  /** At most this many pods (or percentage, e.g. `'25%'`) unavailable during the update. @default 1 */
  readonly maxUnavailable?: number | string;
}

/** `spec.updateStrategy`. */
export class StatefulSetUpdateStrategy {
  /** Replace pods in reverse ordinal order when the template changes (the default). */
  public static rollingUpdate(options: StatefulSetRollingUpdateOptions = {}): StatefulSetUpdateStrategy {
    return new StatefulSetUpdateStrategy({ type: 'RollingUpdate', rollingUpdate: { partition: options.partition, maxUnavailable: options.maxUnavailable } });
  }

  /** Replace pods only when they are deleted by hand. */
  public static onDelete(): StatefulSetUpdateStrategy {
    return new StatefulSetUpdateStrategy({ type: 'OnDelete' });
  }

  private constructor(private readonly strategy: StatefulSetUpdateStrategyWire) {}

  /** @internal */
  public _toKube(): StatefulSetUpdateStrategyWire {
    return this.strategy;
  }
}

/** A PersistentVolumeClaim made for each pod (`spec.volumeClaimTemplates[]`). */
export interface VolumeClaimTemplate {
  /** Claim name; mount it in containers with `volumeMounts: [{ name, mountPath }]`. */
  readonly name: string;
  /** Requested size, e.g. `10Gi`. */
  readonly storage: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly string[];
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Props of {@link StatefulSet}. */
export interface StatefulSetProps extends WorkloadProps {
  /**
   * The governing Service, which must be headless and select this set's pods. Its name becomes
   * `spec.serviceName` and the DNS subdomain of each pod (`<pod>.<service>`).
   * @default - a new HeadlessService exposing the containers' ports (evaluated at synth time)
   */
  readonly service?: Service;
  /**
   * `publishNotReadyAddresses` of the created headless Service, so peers find each other while
   * starting. Ignored when `service` is given.
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /** @default PodManagementPolicy.ORDERED_READY */
  readonly podManagementPolicy?: PodManagementPolicy;
  /** @default StatefulSetUpdateStrategy.rollingUpdate() */
  readonly updateStrategy?: StatefulSetUpdateStrategy;
  /** @default - none */
  readonly volumeClaimTemplates?: readonly VolumeClaimTemplate[];
  /** @default 0 */
  readonly minReadySeconds?: number;
}

/**
 * A StatefulSet paired with its headless Service: pods `<name>-0..n-1`, each reachable as
 * `<name>-<i>.<service>.<namespace>.svc.<cluster domain>`.
 *
 * By default the headless Service is created for you and mirrors the containers' ports, including
 * ports added after construction. Pass `service` to use your own; it is checked to be headless
 * and to select this set's pods.
 */
export class StatefulSet extends Workload {
  public readonly apiObject: ApiObject;
  /** The governing Service (`spec.serviceName`). */
  public readonly service: Service;

  private readonly ownsService: boolean;
  private readonly claimTemplates: VolumeClaimTemplate[];

  public constructor(scope: Construct, id: string, props: StatefulSetProps = {}) {
    super(scope, id, props);
    this.claimTemplates = [...(props.volumeClaimTemplates ?? [])];
    this.ownsService = props.service === undefined;
    this.service = props.service ?? this.createHeadlessService(props);
    this.apiObject = this.createApiObject({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, { metadata: props.metadata, spec: () => this.renderSpec(props) });
    // The Service comes first in the output, as the pods' DNS names depend on it.
    this.apiObject.addDependency(this.service.apiObject);
  }

  /** Adds a PersistentVolumeClaim template (one claim per pod). */
  public addVolumeClaimTemplate(template: VolumeClaimTemplate): void {
    this.claimTemplates.push(template);
  }

  private createHeadlessService(props: StatefulSetProps): Service {
    const service = new HeadlessService(this, 'Service', {
      selector: this,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
    });
    service._addPortSource(() => this.portsAsServicePorts());
    return service;
  }

  private renderSpec(props: StatefulSetProps): WorkloadSpecWire {
    return {
      serviceName: this.service.name,
      replicas: this.replicas,
      selector: { matchLabels: { ...this.podSelectorLabels } },
      template: this.renderPodTemplate(),
      podManagementPolicy: props.podManagementPolicy,
      updateStrategy: props.updateStrategy?._toKube(),
      minReadySeconds: props.minReadySeconds,
      volumeClaimTemplates: this.claimTemplates.length > 0 ? this.claimTemplates.map(renderClaimTemplate) : undefined,
    };
  }

  protected nameProblems(): FieldProblem[] {
    // StatefulSet names are DNS labels: each pod's hostname is `<name>-<ordinal>`
    // (apps/validation ValidateStatefulSetName).
    return dns1123LabelProblems(this.name).map((msg) => ({
      field: 'metadata.name', message: `Invalid value: "${this.name}": ${msg}`,
      fix: 'use at most 63 lowercase letters, digits and "-" (set `metadata.name`, or a construct id without "_" or ".")',
    }));
  }

  protected override extraVolumeNames(): string[] {
    return this.claimTemplates.map((t) => t.name);
  }

  protected override extraValidationMessages(): string[] {
    if (this.ownsService) return [];
    const messages: string[] = [];
    const prefix = `StatefulSet "${this.name}": spec.serviceName: Service "${this.service.name}"`;
    if (!this.service.isHeadless) {
      messages.push(`${prefix} is not headless (its clusterIP is not None), so the pods get no stable DNS names (<pod>.<service>). ` +
        'Fix: pass a HeadlessService as `service`, or leave `service` out to have one created');
    }
    if ((this.service.namespace ?? '') !== (this.namespace ?? '')) {
      messages.push(`${prefix} is in namespace "${this.service.namespace ?? ''}" but the StatefulSet is in "${this.namespace ?? ''}". ` +
        'Fix: create the Service in the same namespace (the same chart)');
    }
    const selector = this.service.selector;
    const pods = this.podSelectorLabels;
    const mismatched = Object.entries(selector).filter(([key, value]) => pods[key] !== value);
    if (!this.service.hasSelector) {
      messages.push(`${prefix} has no selector, so it does not select this set's pods. Fix: create it with \`selector: <the StatefulSet>\` or call \`service.select(statefulSet)\``);
    } else if (mismatched.length > 0) {
      messages.push(`${prefix} does not select this set's pods: selector ${mismatched.map(([k, v]) => `${k}=${v}`).join(', ')} ` +
        `is not on the pod labels {${Object.entries(pods).map(([k, v]) => `${k}=${v}`).join(', ')}}. Fix: call \`service.select(statefulSet)\` or align the labels`);
    }
    return messages;
  }
}

function renderClaimTemplate(template: VolumeClaimTemplate): JsonMap {
  return {
    metadata: { name: template.name },
    spec: {
      accessModes: [...(template.accessModes ?? ['ReadWriteOnce'])],
      storageClassName: template.storageClassName,
      resources: { requests: { storage: template.storage } },
    },
  };
}

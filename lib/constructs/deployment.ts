import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { dns1123SubdomainProblems } from '../k8s/names';
import { FieldProblem } from '../k8s/problems';
import { Workload, WorkloadProps, WorkloadSpecWire } from './workload';

/** Props of {@link Deployment}. */
export type DeploymentProps = WorkloadProps;

/**
 * A minimal Deployment: replicated pods with user-visible labels, for Services to select.
 *
 * @example
 * const web = new Deployment(chart, 'web', {
 *   replicas: 3,
 *   podLabels: { app: 'web' },
 *   containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, name: 'http' }] }],
 * });
 */
export class Deployment extends Workload {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: DeploymentProps = {}) {
    super(scope, id, props);
    this.apiObject = this.createApiObject({ apiVersion: 'apps/v1', kind: 'Deployment' }, { metadata: props.metadata, spec: () => this.renderSpec() });
  }

  private renderSpec(): WorkloadSpecWire {
    return {
      replicas: this.replicas,
      selector: { matchLabels: { ...this.podSelectorLabels } },
      template: this.renderPodTemplate(),
    };
  }

  protected nameProblems(): FieldProblem[] {
    // Deployment names are DNS-1123 subdomains (apps/validation ValidateDeploymentName).
    return dns1123SubdomainProblems(this.name).map((msg) => ({
      field: 'metadata.name', message: `Invalid value: "${this.name}": ${msg}`,
      fix: 'use lowercase letters, digits, "-" and "." (set `metadata.name`, or a construct id without "_")',
    }));
  }
}

/**
 * The 10,000-object manifest set of the validate benchmark and the peer comparison, generated
 * deterministically (no randomness: the same files every run) in the shape `cdk8s synth` writes:
 * one multi-document YAML file per chart, block style, keys sorted, no anchors or aliases.
 *
 * 5,000 apps, each a workload of 3 replicas and one Service:
 * - every 10th app (500) a StatefulSet with a headless governing Service (`clusterIP: None`);
 * - every 10th app offset 5 (500) a Deployment behind a NodePort Service without source ranges
 *   (450, flagged by the exposure rule) or a LoadBalancer with source ranges (50, not flagged);
 * - the rest (4,000) a Deployment behind a ClusterIP Service with a named targetPort; 10 of
 *   them with a selector typo (the Service selects no pod: an error).
 * 50 apps per file (100 files of 100 objects), 20 namespaces.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';

/** Size of the set. */
export interface ValidateSetOptions {
  /** Number of apps (each one workload and one Service). @default 5000 */
  readonly apps?: number;
  /** Apps per file. @default 50 */
  readonly appsPerFile?: number;
}

/** What {@link writeValidateSet} wrote. */
export interface ValidateSet {
  readonly dir: string;
  readonly files: readonly string[];
  readonly objects: number;
  readonly bytes: number;
}

function container(name: string, port: number, portName: string): Record<string, unknown> {
  return {
    image: `registry.example.com/${name}:1.0.0`,
    name: 'app',
    ports: [{ containerPort: port, name: portName }],
    readinessProbe: { httpGet: { path: '/healthz', port: portName } },
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001 },
  };
}

/** The two objects of app `i`. */
export function appObjects(i: number): Record<string, unknown>[] {
  const name = `app-${String(i).padStart(4, '0')}`;
  const namespace = `team-${i % 20}`;
  const labels = { app: name, tier: i % 3 === 0 ? 'backend' : 'frontend' };
  const annotations = { 'netkit.io/construct-path': `chart-${Math.floor(i / 50)}/${name}` };
  const stateful = i % 10 === 0;
  const nodePort = i % 10 === 5;
  const template = {
    metadata: { labels },
    spec: { automountServiceAccountToken: false, containers: [container(name, 8080, 'http')] },
  };
  const workload = stateful
    ? {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { annotations, name, namespace },
      spec: { replicas: 3, selector: { matchLabels: labels }, serviceName: `${name}-peers`, template },
    }
    : {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations, name, namespace },
      spec: { replicas: 3, selector: { matchLabels: labels }, template },
    };
  let service: Record<string, unknown>;
  if (stateful) {
    service = {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations, name: `${name}-peers`, namespace },
      spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }], publishNotReadyAddresses: true, selector: labels },
    };
  } else if (i % 100 === 5) {
    service = {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations, name, namespace },
      spec: { loadBalancerSourceRanges: ['10.0.0.0/8'], ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: labels, type: 'LoadBalancer' },
    };
  } else if (nodePort) {
    service = {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations, name, namespace },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: labels, type: 'NodePort' },
    };
  } else if (i % 500 === 7) {
    // A selector typo: the Service selects no pod.
    service = {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations, name, namespace },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: { ...labels, app: `${name}x` }, type: 'ClusterIP' },
    };
  } else {
    service = {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations, name, namespace },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: labels, type: 'ClusterIP' },
    };
  }
  return [service, workload];
}

/** Write the set into `dir` (created; existing files of the same names are overwritten). */
export function writeValidateSet(dir: string, options: ValidateSetOptions = {}): ValidateSet {
  const apps = options.apps ?? 5000;
  const perFile = options.appsPerFile ?? 50;
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let objects = 0;
  let bytes = 0;
  for (let start = 0; start < apps; start += perFile) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(apps, start + perFile); i++) {
      for (const o of appObjects(i)) {
        docs.push(stringify(o, { sortMapEntries: true, aliasDuplicateObjects: false }));
        objects++;
      }
    }
    const file = path.join(dir, `chart-${String(start / perFile).padStart(3, '0')}.k8s.yaml`);
    const text = docs.join('---\n');
    fs.writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  }
  return { dir, files, objects, bytes };
}

/**
 * The differential scenarios: manifests plus steps, each run in its own namespace against the
 * real control plane and, the same way, through the engine (see run.ts). Every scenario targets
 * one behaviour of the Endpoints / EndpointSlice controllers (kubernetes
 * `pkg/controller/endpoint`, `staging/src/k8s.io/endpointslice`,
 * `pkg/controller/endpointslicemirroring`).
 *
 * Manifests are plain objects built here (a few of them have hundreds of replicas, so YAML files
 * would only repeat the builders). Steps name pods by workload and index into the workload's
 * live pods sorted by name, because Deployment pod names are random in a real cluster.
 */
import type { JsonObject } from '../../lib/manifest/objects';

/** A container port in the builders' short form. */
export interface PortSpec {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** A workload as the steps name it: `Deployment/web`, `StatefulSet/db`, `ReplicationController/legacy`, or `Pod` for bare pods. */
export interface WorkloadRef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'ReplicationController' | 'Pod';
  /** Workload name; for `Pod`, a bare pod's name (then `index` is ignored). */
  readonly name: string;
}

/** Pods picked by a step: the workload's live pods sorted by name, at these indexes. */
export interface PodPick {
  readonly workload: WorkloadRef;
  readonly indexes: readonly number[];
}

/** One change a scenario makes after the initial state. */
export type Step =
  /** Set `spec.replicas` (re-applied with server-side apply; the engine gets a `scale` change). */
  | { readonly type: 'scale'; readonly label: string; readonly workload: WorkloadRef; readonly replicas: number }
  /** Set the Ready condition of some pods (status subresource; the engine gets `setPodReady`). */
  | { readonly type: 'setReady'; readonly label: string; readonly pods: PodPick; readonly ready: boolean }
  /**
   * Delete pods that a finalizer holds in Terminating (the engine gets `setPodTerminating`): bare
   * pods by name, or a workload's pods picked as `setReady` picks them.
   */
  | { readonly type: 'terminate'; readonly label: string; readonly pods: readonly string[] | PodPick };

/** A differential scenario. */
export interface Scenario {
  /** Short id; the namespace is `nkd-<id>`. */
  readonly id: string;
  /** What it checks, for the report. */
  readonly title: string;
  /** The manifests, in namespace `ns`. */
  objects(ns: string): JsonObject[];
  readonly steps?: readonly Step[];
  /**
   * Extra nodes to add for the scenario (tainted so that nobody else's pods land on them;
   * the scenario's pods tolerate the taint). The default three nodes hold 750 pods.
   */
  readonly extraNodes?: number;
  /** How long one settle may take. @default 120000 */
  readonly settleTimeoutMs?: number;
  /** Pods the scheduler leaves Pending at first (Unschedulable); settling accepts them. @default 0 */
  readonly pendingPods?: number;
  /**
   * The cluster IP families the scenario needs (`[IPv4]` is test/cluster's default; dual-stack is
   * `NETKIT_CLUSTER_IP_FAMILIES=dual`); run.ts skips it, saying so, on a cluster with others.
   * @default - runs on any cluster
   */
  readonly ipFamilies?: readonly ('IPv4' | 'IPv6')[];
  /** Also compare kube-apiserver's `default/kubernetes` Service and endpoints (initial checkpoint). */
  readonly kubernetesService?: boolean;
  /**
   * Objects the API server refuses (`Kind/name`), for the suite's self-test: the engine must reject
   * exactly these. Against the cluster the runner compares the live refusals with the engine's,
   * and for each Service listed that the API server's message contains the engine's.
   */
  readonly rejected?: readonly string[];
}

/** The taint on extra nodes, and the toleration of pods meant for them. */
export const EXTRA_NODE_TAINT = { key: 'netkit.io/differential', value: 'scale', effect: 'NoSchedule' } as const;

// ---------------------------------------------------------------- builders

function containerPorts(ports: readonly PortSpec[]): JsonObject[] {
  return ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort, ...(p.protocol ? { protocol: p.protocol } : {}) }));
}

/** Options of {@link deployment} and {@link statefulSet}. */
export interface WorkloadOptions {
  readonly replicas: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  /** Tolerate {@link EXTRA_NODE_TAINT}. */
  readonly tolerateExtraNodes?: boolean;
  /** A finalizer on every pod, so that deleting one leaves it Terminating. */
  readonly finalizer?: string;
}

function podSpec(o: { ports: readonly PortSpec[]; tolerateExtraNodes?: boolean }, extra: JsonObject = {}): JsonObject {
  return {
    ...extra,
    containers: [{ name: 'app', image: 'registry.invalid/app:1', ports: containerPorts(o.ports) }],
    // KWOK needs no grace period; a short one keeps namespace deletion fast.
    terminationGracePeriodSeconds: 0,
    ...(o.tolerateExtraNodes ? { tolerations: [{ key: EXTRA_NODE_TAINT.key, operator: 'Equal', value: EXTRA_NODE_TAINT.value, effect: EXTRA_NODE_TAINT.effect }] } : {}),
  };
}

/** An apps/v1 Deployment. */
export function deployment(ns: string, name: string, o: WorkloadOptions): JsonObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas: o.replicas, selector: { matchLabels: o.labels }, template: { metadata: { labels: o.labels, ...(o.finalizer ? { finalizers: [o.finalizer] } : {}) }, spec: podSpec(o) } },
  };
}

/** An apps/v1 StatefulSet governed by `serviceName` (Parallel, so scaling does not wait pod by pod). */
export function statefulSet(ns: string, name: string, serviceName: string, o: WorkloadOptions): JsonObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns },
    spec: {
      replicas: o.replicas, serviceName, podManagementPolicy: 'Parallel',
      selector: { matchLabels: o.labels }, template: { metadata: { labels: o.labels }, spec: podSpec(o) },
    },
  };
}

/** An apps/v1 Deployment of hostNetwork pods (pod IP = node IP; each container port is a host port). */
export function hostNetworkDeployment(ns: string, name: string, o: WorkloadOptions): JsonObject {
  const d = deployment(ns, name, o) as { spec: { template: { spec: JsonObject } } };
  d.spec.template.spec = { ...d.spec.template.spec, hostNetwork: true };
  return d as unknown as JsonObject;
}

/** A bare Pod (optionally held by a finalizer, so that deleting it leaves it Terminating). */
export function pod(ns: string, name: string, labels: Readonly<Record<string, string>>, ports: readonly PortSpec[], finalizer?: string): JsonObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels, ...(finalizer ? { finalizers: [finalizer] } : {}) },
    spec: podSpec({ ports }),
  };
}

/** A v1 ReplicationController (equality selector; left out, the API server defaults it to the template labels). */
export function replicationController(ns: string, name: string, o: WorkloadOptions & { readonly explicitSelector?: boolean }): JsonObject {
  return {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name, namespace: ns },
    spec: {
      replicas: o.replicas, ...(o.explicitSelector === false ? {} : { selector: o.labels }),
      template: { metadata: { labels: o.labels, ...(o.finalizer ? { finalizers: [o.finalizer] } : {}) }, spec: podSpec(o) },
    },
  };
}

/** Options of {@link job}. */
export interface JobOptions {
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  readonly completions?: number;
  readonly parallelism?: number;
  readonly indexed?: boolean;
  readonly suspend?: boolean;
}

/** A batch/v1 Job (restartPolicy Never; KWOK's pod-complete stage moves its Running pods to Succeeded). */
export function job(ns: string, name: string, o: JobOptions): JsonObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns },
    spec: {
      ...(o.completions !== undefined ? { completions: o.completions } : {}),
      ...(o.parallelism !== undefined ? { parallelism: o.parallelism } : {}),
      ...(o.indexed ? { completionMode: 'Indexed' } : {}),
      ...(o.suspend ? { suspend: true } : {}),
      template: { metadata: { labels: o.labels }, spec: podSpec(o, { restartPolicy: 'Never' }) },
    },
  };
}

/** A batch/v1 CronJob whose schedule does not fire during a run (once a year). */
export function cronJob(ns: string, name: string, o: JobOptions): JsonObject {
  const j = job(ns, name, o) as { spec: JsonObject };
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: ns }, spec: { schedule: '0 0 1 1 *', jobTemplate: { spec: j.spec } } };
}

/** A Service port in the builders' short form. */
export interface ServicePortSpec {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Options of {@link service}. */
export interface ServiceOptions {
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports?: readonly ServicePortSpec[];
  readonly headless?: boolean;
  readonly publishNotReadyAddresses?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trafficDistribution?: string;
  readonly type?: 'ClusterIP' | 'NodePort' | 'ExternalName';
  readonly externalName?: string;
  /** Other spec fields as written (`ipFamilies`, `ipFamilyPolicy`, `clusterIP`, `clusterIPs`). */
  readonly spec?: Readonly<Record<string, unknown>>;
}

/** A v1 Service. */
export function service(ns: string, name: string, o: ServiceOptions): JsonObject {
  const spec: Record<string, unknown> = {};
  if (o.type) spec.type = o.type;
  if (o.selector) spec.selector = o.selector;
  if (o.headless) spec.clusterIP = 'None';
  if (o.externalName) spec.externalName = o.externalName;
  if (o.ports) {
    spec.ports = o.ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}), port: p.port, ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}), ...(p.protocol ? { protocol: p.protocol } : {}),
    }));
  }
  if (o.publishNotReadyAddresses) spec.publishNotReadyAddresses = true;
  if (o.trafficDistribution) spec.trafficDistribution = o.trafficDistribution;
  Object.assign(spec, o.spec ?? {});
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, ...(o.labels ? { labels: o.labels } : {}) }, spec };
}

/**
 * A workload's selector as a label map: a ReplicationController's is one (defaulted to the
 * template labels when left out, as the API server does); the others' `matchLabels`.
 */
export function workloadSelector(w: JsonObject): Record<string, string> {
  const spec = w.spec as { selector?: Record<string, unknown>; template?: { metadata?: { labels?: Record<string, string> } } };
  if (w.kind === 'ReplicationController') return (spec.selector as Record<string, string> | undefined) ?? spec.template?.metadata?.labels ?? {};
  return (spec.selector?.matchLabels ?? {}) as Record<string, string>;
}

const HTTP: PortSpec = { name: 'http', containerPort: 8080 };
const d = (kind: WorkloadRef['kind'], name: string): WorkloadRef => ({ kind, name });

// ---------------------------------------------------------------- scenarios

/** Every scenario, in the order the runner takes them (the one that adds nodes last). */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'scale',
    title: 'scale a Deployment up, down, to zero (placeholder slice) and back; trafficDistribution hints',
    objects: (ns) => [
      deployment(ns, 'web', { replicas: 3, labels: { app: 'web' }, ports: [HTTP] }),
      service(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], labels: { tier: 'front' } }),
      service(ns, 'web-close', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], trafficDistribution: 'PreferClose' }),
    ],
    steps: [
      { type: 'scale', label: 'scale 3->7', workload: d('Deployment', 'web'), replicas: 7 },
      { type: 'scale', label: 'scale 7->2', workload: d('Deployment', 'web'), replicas: 2 },
      { type: 'scale', label: 'scale 2->0', workload: d('Deployment', 'web'), replicas: 0 },
      { type: 'scale', label: 'scale 0->4', workload: d('Deployment', 'web'), replicas: 4 },
    ],
  },
  {
    id: 'readiness',
    title: 'readiness flips: notReadyAddresses, ready/serving conditions, and back',
    objects: (ns) => [
      deployment(ns, 'api', { replicas: 4, labels: { app: 'api' }, ports: [HTTP] }),
      service(ns, 'api', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'setReady', label: '2 pods unready', pods: { workload: d('Deployment', 'api'), indexes: [0, 2] }, ready: false },
      { type: 'setReady', label: '1 pod ready again', pods: { workload: d('Deployment', 'api'), indexes: [0] }, ready: true },
      { type: 'setReady', label: 'all pods unready', pods: { workload: d('Deployment', 'api'), indexes: [0, 1, 2, 3] }, ready: false },
    ],
  },
  {
    id: 'named-ports',
    title: 'one named targetPort resolving to 8080, 9090, to nothing, and a same-name UDP port',
    objects: (ns) => [
      deployment(ns, 'a', { replicas: 2, labels: { app: 'mix', variant: 'a' }, ports: [{ name: 'http', containerPort: 8080 }] }),
      deployment(ns, 'b', { replicas: 2, labels: { app: 'mix', variant: 'b' }, ports: [{ name: 'http', containerPort: 9090 }] }),
      // No port named http: left out of Endpoints, kept in a slice without ports.
      deployment(ns, 'c', { replicas: 1, labels: { app: 'mix', variant: 'c' }, ports: [{ name: 'admin', containerPort: 7000 }] }),
      // `http` but UDP: FindPort matches name and protocol, so the TCP Service port does not resolve.
      deployment(ns, 'u', { replicas: 1, labels: { app: 'mix', variant: 'u' }, ports: [{ name: 'http', containerPort: 8081, protocol: 'UDP' }] }),
      service(ns, 'mix', { selector: { app: 'mix' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'scale', label: 'scale b 2->4', workload: d('Deployment', 'b'), replicas: 4 },
      { type: 'setReady', label: 'a[0] unready', pods: { workload: d('Deployment', 'a'), indexes: [0] }, ready: false },
    ],
  },
  {
    id: 'multi-ports',
    title: 'several Service ports: per-pod port sets (named and numeric targetPorts), subsets and slice groups',
    objects: (ns) => [
      deployment(ns, 'full', { replicas: 3, labels: { app: 'svc', build: 'full' }, ports: [HTTP, { name: 'metrics', containerPort: 9100 }, { name: 'admin', containerPort: 7000 }] }),
      deployment(ns, 'basic', { replicas: 2, labels: { app: 'svc', build: 'basic' }, ports: [HTTP, { name: 'admin', containerPort: 7000 }] }),
      service(ns, 'svc', {
        selector: { app: 'svc' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9100, targetPort: 'metrics' }, { name: 'admin', port: 7000, targetPort: 7000 }],
      }),
      service(ns, 'svc-metrics', { selector: { app: 'svc' }, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics' }] }),
    ],
    steps: [
      { type: 'scale', label: 'scale basic 2->0', workload: d('Deployment', 'basic'), replicas: 0 },
    ],
  },
  {
    id: 'publish-not-ready',
    title: 'publishNotReadyAddresses: unready pods listed as ready, next to a Service without it',
    objects: (ns) => [
      deployment(ns, 'peer', { replicas: 3, labels: { app: 'peer' }, ports: [HTTP] }),
      service(ns, 'peer', { selector: { app: 'peer' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], publishNotReadyAddresses: true }),
      service(ns, 'peer-ready', { selector: { app: 'peer' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'setReady', label: '2 pods unready', pods: { workload: d('Deployment', 'peer'), indexes: [0, 1] }, ready: false },
    ],
  },
  {
    id: 'statefulset',
    title: 'StatefulSet hostnames behind its headless Service (with and without ports), not behind another Service',
    objects: (ns) => [
      service(ns, 'db', { selector: { app: 'db' }, headless: true, ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }] }),
      service(ns, 'db-peers', { selector: { app: 'db' }, headless: true }),
      service(ns, 'db-rw', { selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }] }),
      statefulSet(ns, 'db', 'db', { replicas: 3, labels: { app: 'db' }, ports: [{ name: 'pg', containerPort: 5432 }] }),
    ],
    steps: [
      { type: 'scale', label: 'scale 3->5', workload: d('StatefulSet', 'db'), replicas: 5 },
      { type: 'setReady', label: 'db-4 unready', pods: { workload: d('StatefulSet', 'db'), indexes: [4] }, ready: false },
      { type: 'scale', label: 'scale 5->2', workload: d('StatefulSet', 'db'), replicas: 2 },
    ],
  },
  {
    id: 'selectorless',
    title: 'selector-less Services: hand-written Endpoints (mirrored into slices) and hand-written EndpointSlices',
    objects: (ns) => [
      service(ns, 'legacy', { ports: [{ name: 'https', port: 443, targetPort: 8443 }, { name: 'http', port: 80, targetPort: 8080 }] }),
      {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: ns, labels: { source: 'hand' } },
        subsets: [
          { addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }], notReadyAddresses: [{ ip: '192.0.2.12' }], ports: [{ name: 'https', port: 8443 }, { name: 'http', port: 8080 }] },
          { addresses: [{ ip: '198.51.100.7' }], ports: [{ name: 'https', port: 443 }] },
        ],
      },
      service(ns, 'external', { ports: [{ name: 'pg', port: 5432 }] }),
      {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name: 'external-1', namespace: ns, labels: { 'kubernetes.io/service-name': 'external', 'endpointslice.kubernetes.io/managed-by': 'netkit-differential' } },
        addressType: 'IPv4',
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['203.0.113.5'], conditions: { ready: true } },
          { addresses: ['203.0.113.6'], conditions: { ready: false } },
        ],
      },
    ],
  },
  {
    id: 'external-name',
    title: 'ExternalName (also with a selector that matches pods): no Endpoints, no slices',
    objects: (ns) => [
      deployment(ns, 'shadow', { replicas: 1, labels: { app: 'shadow' }, ports: [HTTP] }),
      service(ns, 'alias', { type: 'ExternalName', externalName: 'db.example.com' }),
      service(ns, 'alias-selector', { type: 'ExternalName', externalName: 'api.example.com', selector: { app: 'shadow' }, ports: [{ name: 'http', port: 80 }] }),
    ],
  },
  {
    id: 'dual-protocol',
    title: 'TCP and UDP on the same port number; a named targetPort that exists only for UDP',
    objects: (ns) => [
      deployment(ns, 'dns', {
        replicas: 2, labels: { app: 'dns' },
        ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 5353, protocol: 'TCP' }],
      }),
      service(ns, 'dns', { selector: { app: 'dns' }, ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp', protocol: 'TCP' }] }),
      // TCP to the UDP-only name: resolves for no pod.
      service(ns, 'dns-wrong', { selector: { app: 'dns' }, ports: [{ name: 'dns', port: 53, targetPort: 'dns', protocol: 'TCP' }] }),
    ],
    steps: [
      { type: 'setReady', label: '1 pod unready', pods: { workload: d('Deployment', 'dns'), indexes: [1] }, ready: false },
    ],
  },
  {
    id: 'terminating',
    title: 'a Terminating pod (held by a finalizer): serving/terminating conditions, left out of Endpoints unless publishNotReadyAddresses',
    objects: (ns) => [
      pod(ns, 'worker-0', { app: 'worker' }, [HTTP], 'netkit.io/hold'),
      pod(ns, 'worker-1', { app: 'worker' }, [HTTP], 'netkit.io/hold'),
      pod(ns, 'worker-2', { app: 'worker' }, [HTTP], 'netkit.io/hold'),
      service(ns, 'worker', { selector: { app: 'worker' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      service(ns, 'worker-all', { selector: { app: 'worker' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], publishNotReadyAddresses: true }),
    ],
    steps: [
      { type: 'terminate', label: 'delete worker-1', pods: ['worker-1'] },
      { type: 'setReady', label: 'worker-1 unready', pods: { workload: d('Pod', 'worker-1'), indexes: [0] }, ready: false },
    ],
  },
  {
    id: 'replicaset-terminating',
    title: 'a Deployment pod held in Terminating: the ReplicaSet replaces it at once (FilterActivePods counts active pods only)',
    objects: (ns) => [
      deployment(ns, 'api', { replicas: 3, labels: { app: 'api' }, ports: [HTTP], finalizer: 'netkit.io/hold' }),
      service(ns, 'api', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'terminate', label: 'delete 1 api pod', pods: { workload: d('Deployment', 'api'), indexes: [0] } },
      // Scaling up counts active pods only too (a scale-down would leave its victim held by the finalizer).
      { type: 'scale', label: 'scale to 4 while it terminates', workload: d('Deployment', 'api'), replicas: 4 },
    ],
  },
  {
    id: 'slices-250',
    title: 'more than 100 endpoints: 250 pods in 100-endpoint slices; flips in place, removals, additions',
    objects: (ns) => [
      deployment(ns, 'wide', { replicas: 250, labels: { app: 'wide' }, ports: [HTTP, { name: 'grpc', containerPort: 9000 }] }),
      service(ns, 'wide', { selector: { app: 'wide' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'grpc', port: 9000, targetPort: 'grpc' }] }),
    ],
    steps: [
      { type: 'setReady', label: '5 pods unready', pods: { workload: d('Deployment', 'wide'), indexes: [3, 50, 120, 180, 240] }, ready: false },
      { type: 'scale', label: 'scale 250->130', workload: d('Deployment', 'wide'), replicas: 130 },
      { type: 'scale', label: 'scale 130->210', workload: d('Deployment', 'wide'), replicas: 210 },
    ],
    settleTimeoutMs: 240_000,
  },
  {
    // kube-scheduler NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go): the
    // three nodes allocate 110 pods each (kubelet's default maxPods); the rest stay Pending.
    id: 'pod-capacity',
    title: 'more replicas than the nodes allocate: 330 Running, the rest Pending (Too many pods); scale-down frees room',
    objects: (ns) => [
      deployment(ns, 'packed', { replicas: 360, labels: { app: 'packed' }, ports: [HTTP] }),
      service(ns, 'packed', { selector: { app: 'packed' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'scale', label: 'scale 360->200', workload: d('Deployment', 'packed'), replicas: 200 },
    ],
    pendingPods: 30,
    settleTimeoutMs: 300_000,
  },
  {
    // kube-scheduler NodePorts (pkg/scheduler/framework/plugins/nodeports): one pod per node per
    // host port; hostNetwork pods take their node's IP (kubelet / KWOK).
    id: 'host-network',
    title: 'hostNetwork pods: node IPs as endpoints, one per node (5 replicas on 3 nodes: 3 Running, 2 Pending)',
    objects: (ns) => [
      hostNetworkDeployment(ns, 'agent', { replicas: 5, labels: { app: 'agent' }, ports: [{ name: 'metrics', containerPort: 19100 }] }),
      service(ns, 'agent', { selector: { app: 'agent' }, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics' }] }),
    ],
    pendingPods: 2,
  },
  {
    // pkg/controller/replication: the ReplicaSet controller on ReplicationControllers.
    id: 'replication-controller',
    title: 'ReplicationController: equality selector (explicit and defaulted), scale up/down, readiness, a terminating pod replaced',
    objects: (ns) => [
      replicationController(ns, 'legacy', { replicas: 3, labels: { app: 'legacy' }, ports: [HTTP], finalizer: 'netkit.io/hold' }),
      replicationController(ns, 'implicit', { replicas: 2, labels: { app: 'implicit', tier: 'back' }, ports: [HTTP], explicitSelector: false }),
      service(ns, 'legacy', { selector: { app: 'legacy' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      service(ns, 'implicit', { selector: { tier: 'back' }, ports: [{ port: 80, targetPort: 8080 }] }),
    ],
    steps: [
      { type: 'scale', label: 'scale legacy 3->5', workload: d('ReplicationController', 'legacy'), replicas: 5 },
      { type: 'setReady', label: 'legacy[1] unready', pods: { workload: d('ReplicationController', 'legacy'), indexes: [1] }, ready: false },
      { type: 'terminate', label: 'delete 1 legacy pod', pods: { workload: d('ReplicationController', 'legacy'), indexes: [0] } },
    ],
  },
  {
    // pkg/controller/job manageJob; KWOK's default pod-complete stage finishes Job pods at once.
    id: 'job',
    title: 'Jobs (completions/parallelism, work queue, Indexed, suspended): Succeeded pods, never endpoints; a Service over Job and Deployment pods',
    objects: (ns) => [
      job(ns, 'batch', { labels: { app: 'batch', role: 'worker' }, ports: [HTTP], completions: 4, parallelism: 2 }),
      job(ns, 'queue', { labels: { app: 'queue', role: 'worker' }, ports: [HTTP], parallelism: 3 }),
      job(ns, 'indexed', { labels: { app: 'indexed' }, ports: [HTTP], completions: 3, parallelism: 3, indexed: true }),
      job(ns, 'held', { labels: { app: 'held' }, ports: [HTTP], completions: 2, suspend: true }),
      deployment(ns, 'server', { replicas: 2, labels: { app: 'server', role: 'worker' }, ports: [HTTP] }),
      service(ns, 'workers', { selector: { role: 'worker' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      service(ns, 'batch', { selector: { app: 'batch' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      service(ns, 'indexed', { selector: { app: 'indexed' }, headless: true, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
  },
  {
    // pkg/controller/cronjob: no Job before the schedule fires.
    id: 'cronjob',
    title: 'a CronJob right after apply: no Job, no pods; the Service selecting its pods has no endpoints',
    objects: (ns) => [
      cronJob(ns, 'nightly', { labels: { app: 'nightly' }, ports: [HTTP] }),
      service(ns, 'nightly', { selector: { app: 'nightly' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
  },
  {
    // Creation order (issue 16 point 4): the API server's allocators (pkg/registry/core/service/
    // ipallocator, portallocator) give a contested address to the Service created first. The
    // runner applies one object at a time in file order, as netkit apply starts them; the names
    // sort the other way round, so a by-name decision would blame the wrong one.
    id: 'creation-order',
    title: 'two Services asking for one clusterIP and two for one nodePort: the first in file order keeps it, the later one is rejected',
    objects: (ns) => [
      deployment(ns, 'web', { replicas: 2, labels: { app: 'web' }, ports: [HTTP] }),
      { ...service(ns, 'zeta', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), spec: { selector: { app: 'web' }, clusterIP: '10.96.217.17', ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
      { ...service(ns, 'alpha', {}), spec: { selector: { app: 'web' }, clusterIP: '10.96.217.17', ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
      { ...service(ns, 'np-zeta', {}), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 31717 }] } },
      { ...service(ns, 'np-alpha', {}), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 31717 }] } },
    ],
    rejected: ['Service/alpha', 'Service/np-alpha'],
  },
  {
    // pkg/controller/endpointslicemirroring: what is mirrored, how, and what is not.
    id: 'mirroring',
    title: 'Endpoints mirrored as upstream (repacked subsets, IPv4/IPv6 slices, labels, annotations, owner, ready only, targetRef); skip-mirror, no Service; a hand-written slice kept as written',
    objects: (ns) => [
      service(ns, 'legacy', { ports: [{ name: 'https', port: 443, targetPort: 8443 }] }),
      {
        apiVersion: 'v1', kind: 'Endpoints',
        metadata: {
          name: 'legacy', namespace: ns, labels: { source: 'hand', team: 'edge' },
          annotations: { 'example.com/owner': 'edge-team', 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z' },
        },
        subsets: [
          // Same ports as the second subset: RepackSubsets merges them; 192.0.2.11 is listed ready
          // here and not ready there, and not ready wins.
          {
            addresses: [{ ip: '192.0.2.10', hostname: 'db-a', nodeName: 'outside-1' }, { ip: '192.0.2.11' }, { ip: '2001:db8::10' }],
            ports: [{ name: 'https', port: 8443 }],
          },
          {
            addresses: [{ ip: '192.0.2.12', targetRef: { kind: 'Node', name: 'outside-2' } }],
            notReadyAddresses: [{ ip: '192.0.2.11' }, { ip: '2001:db8::11' }],
            ports: [{ name: 'https', port: 8443 }],
          },
          { addresses: [{ ip: '198.51.100.7' }], ports: [{ name: 'https', port: 443, appProtocol: 'https' }] },
        ],
      },
      service(ns, 'skipped', { ports: [{ name: 'http', port: 80 }] }),
      {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'skipped', namespace: ns, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip: '192.0.2.20' }], ports: [{ name: 'http', port: 80 }] }],
      },
      {
        apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan', namespace: ns },
        subsets: [{ addresses: [{ ip: '192.0.2.30' }], ports: [{ port: 9000 }] }],
      },
      service(ns, 'sliced', { ports: [{ name: 'grpc', port: 9090 }] }),
      {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name: 'sliced-manual', namespace: ns, labels: { 'kubernetes.io/service-name': 'sliced' }, annotations: { 'example.com/note': 'by hand' } },
        addressType: 'IPv4',
        ports: [{ name: 'grpc', port: 9090 }],
        endpoints: [
          { addresses: ['203.0.113.9'] },
          { addresses: ['203.0.113.10'], conditions: { ready: false, terminating: true }, targetRef: { kind: 'Node', name: 'outside-3' }, zone: 'zone-x' },
        ],
      },
    ],
  },
  {
    // pkg/controlplane/controller/kubernetesservice and reconcilers: the Service every cluster has.
    // test/cluster/up runs kube-apiserver with --endpoint-reconciler-type=none (its address is
    // loopback), so live it has no endpoints; the engine is given that API server in its profile.
    id: 'kubernetes-service',
    title: 'default/kubernetes: labels, first service IP, https 443 -> the secure port, endpoints as the reconciler writes them (none here)',
    objects: (ns) => [
      deployment(ns, 'client', { replicas: 1, labels: { app: 'client' }, ports: [HTTP] }),
      service(ns, 'client', { selector: { app: 'client' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    kubernetesService: true,
  },
  {
    id: 'over-capacity',
    title: 'more than 1000 endpoints: Endpoints truncated with endpoints.kubernetes.io/over-capacity, 11 slices',
    objects: (ns) => [
      deployment(ns, 'huge', { replicas: 1050, labels: { app: 'huge' }, ports: [HTTP], tolerateExtraNodes: true }),
      service(ns, 'huge', { selector: { app: 'huge' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
    ],
    steps: [
      { type: 'setReady', label: '30 pods unready', pods: { workload: d('Deployment', 'huge'), indexes: Array.from({ length: 30 }, (_, i) => i * 33) }, ready: false },
      { type: 'scale', label: 'scale 1050->990', workload: d('Deployment', 'huge'), replicas: 990 },
    ],
    extraNodes: 3,
    settleTimeoutMs: 600_000,
  },
  {
    // pkg/registry/core/service/storage/alloc.go initIPFamilyFields on a dual-stack cluster, and
    // the EndpointSlice controller's one slice set per Service family (reconcileByAddressType);
    // Endpoints keep the Service's primary family.
    id: 'dual-stack-families',
    title: 'dual-stack: every ipFamilyPolicy, both family orders, headless, EndpointSlices per address type, API server rejections',
    ipFamilies: ['IPv4', 'IPv6'],
    objects: (ns) => {
      const web = { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] };
      return [
        deployment(ns, 'web', { replicas: 3, labels: { app: 'web' }, ports: [HTTP] }),
        service(ns, 'single', web),
        service(ns, 'prefer', { ...web, spec: { ipFamilyPolicy: 'PreferDualStack' } }),
        service(ns, 'require', { ...web, spec: { ipFamilyPolicy: 'RequireDualStack' } }),
        service(ns, 'require-v6-first', { ...web, spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] } }),
        service(ns, 'v6', { ...web, spec: { ipFamilies: ['IPv6'] } }),
        service(ns, 'prefer-v6', { ...web, spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6'] } }),
        service(ns, 'headless', { ...web, headless: true }),
        service(ns, 'headless-dual', { ...web, headless: true, spec: { ipFamilyPolicy: 'PreferDualStack' } }),
        service(ns, 'headless-nosel', { headless: true, ports: [{ name: 'http', port: 80 }] }),
        service(ns, 'bad-single-two', { ...web, spec: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] } }),
        service(ns, 'bad-clusterips', { ...web, spec: { clusterIPs: ['10.96.200.1'] } }),
        service(ns, 'bad-mismatch', { ...web, spec: { clusterIP: '10.96.200.2', ipFamilies: ['IPv6'] } }),
      ];
    },
    rejected: ['Service/bad-single-two', 'Service/bad-clusterips', 'Service/bad-mismatch'],
    steps: [
      { type: 'scale', label: 'scale 3->5', workload: d('Deployment', 'web'), replicas: 5 },
      { type: 'setReady', label: '2 pods unready', pods: { workload: d('Deployment', 'web'), indexes: [0, 3] }, ready: false },
    ],
  },
  {
    // The same requests on an IPv4 single-stack cluster: what needs IPv6 is refused
    // (initIPFamilyFields: "this cluster is not configured for dual-stack services", "not
    // configured on this cluster"); PreferDualStack and selector-less headless are accepted.
    id: 'single-stack-families',
    title: 'IPv4 single-stack: RequireDualStack and IPv6 refused, PreferDualStack and headless accepted',
    ipFamilies: ['IPv4'],
    objects: (ns) => {
      const web = { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] };
      return [
        deployment(ns, 'web', { replicas: 2, labels: { app: 'web' }, ports: [HTTP] }),
        service(ns, 'prefer', { ...web, spec: { ipFamilyPolicy: 'PreferDualStack' } }),
        service(ns, 'headless-nosel', { headless: true, ports: [{ name: 'http', port: 80 }] }),
        service(ns, 'require', { ...web, spec: { ipFamilyPolicy: 'RequireDualStack' } }),
        service(ns, 'v6', { ...web, spec: { ipFamilies: ['IPv6'] } }),
        service(ns, 'v6-address', { ...web, spec: { clusterIP: 'fd00:10:96::100' } }),
      ];
    },
    rejected: ['Service/require', 'Service/v6', 'Service/v6-address'],
  },
];

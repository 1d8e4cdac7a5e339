/**
 * zod schemas for the kinds the engine reads. Only the fields the engine uses are typed; every
 * object is loose, so other fields pass through untouched. Field names and types follow the
 * Kubernetes API (`k8s.io/api/core/v1`, `apps/v1`, `discovery/v1`).
 */
import { z } from 'zod';
import type * as Wire from './wire';
import type { TypedManifest } from './types';

const stringMap = z.record(z.string(), z.string());
const portNumber = z.number().int().min(1).max(65535);
const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
/** `intstr.IntOrString`. */
const intOrString = z.union([z.number().int(), z.string().min(1)]);

export const objectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const labelSelectorRequirement = z.looseObject({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const labelSelectorSchema = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});

const containerPortSchema = z.looseObject({
  name: z.string().optional(),
  containerPort: portNumber,
  protocol: protocol.optional(),
});

const containerSchema = z.looseObject({
  name: z.string(),
  ports: z.array(containerPortSchema).optional(),
  /** `Always` marks a native sidecar init container, whose ports count for FindPort. */
  restartPolicy: z.string().optional(),
});

export const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema).optional(),
  initContainers: z.array(containerSchema).optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
  nodeName: z.string().optional(),
  nodeSelector: stringMap.optional(),
});

export const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
  spec: podSpecSchema.optional(),
});

const podConditionSchema = z.looseObject({ type: z.string(), status: z.string() });

export const namespaceSchema = z.looseObject({
  kind: z.literal('Namespace'),
  metadata: objectMetaSchema,
});

export const nodeSchema = z.looseObject({
  kind: z.literal('Node'),
  metadata: objectMetaSchema,
  // podCIDR must be a CIDR (ValidateNode): checked in objects.ts after the schema, so the quick
  // path (which declines refinements) still covers Nodes.
  spec: z.looseObject({ podCIDR: z.string().optional(), unschedulable: z.boolean().optional() }).optional(),
  status: z.looseObject({
    addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
    conditions: z.array(podConditionSchema).optional(),
  }).optional(),
});

export const podSchema = z.looseObject({
  kind: z.literal('Pod'),
  metadata: objectMetaSchema,
  spec: podSpecSchema.optional(),
  status: z.looseObject({
    podIP: z.string().optional(),
    phase: z.string().optional(),
    conditions: z.array(podConditionSchema).optional(),
  }).optional(),
});

const workloadSpecBase = {
  replicas: z.number().int().min(0).optional(),
  selector: labelSelectorSchema.optional(),
  template: podTemplateSchema.optional(),
};

export const deploymentSchema = z.looseObject({
  kind: z.literal('Deployment'),
  metadata: objectMetaSchema,
  spec: z.looseObject(workloadSpecBase).optional(),
});

export const replicaSetSchema = z.looseObject({
  kind: z.literal('ReplicaSet'),
  metadata: objectMetaSchema,
  spec: z.looseObject(workloadSpecBase).optional(),
});

export const statefulSetSchema = z.looseObject({
  kind: z.literal('StatefulSet'),
  metadata: objectMetaSchema,
  spec: z.looseObject({
    ...workloadSpecBase,
    serviceName: z.string().optional(),
    ordinals: z.looseObject({ start: z.number().int().min(0).optional() }).optional(),
    /** `OrderedReady` (default) or `Parallel`; see lib/engine/controllers/statefulset.ts. */
    podManagementPolicy: z.string().optional(),
  }).optional(),
});

export const daemonSetSchema = z.looseObject({
  kind: z.literal('DaemonSet'),
  metadata: objectMetaSchema,
  spec: z.looseObject({
    selector: labelSelectorSchema.optional(),
    template: podTemplateSchema.optional(),
  }).optional(),
});

const servicePortSchema = z.looseObject({
  name: z.string().optional(),
  port: portNumber,
  targetPort: intOrString.optional(),
  protocol: protocol.optional(),
  nodePort: z.number().int().optional(),
  appProtocol: z.string().optional(),
});

export const serviceSchema = z.looseObject({
  kind: z.literal('Service'),
  metadata: objectMetaSchema,
  spec: z.looseObject({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    selector: stringMap.optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    ports: z.array(servicePortSchema).optional(),
    externalName: z.string().optional(),
    externalIPs: z.array(z.string()).optional(),
    loadBalancerIP: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional(),
    sessionAffinityConfig: z.looseObject({
      clientIP: z.looseObject({ timeoutSeconds: z.number().int().min(1).max(86400).optional() }).optional(),
    }).optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    healthCheckNodePort: z.number().int().optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    trafficDistribution: z.string().optional(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
  }).optional(),
});

const endpointAddressSchema = z.looseObject({
  ip: z.string(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
});
const endpointPortSchema = z.looseObject({
  name: z.string().optional(),
  port: portNumber,
  protocol: protocol.optional(),
  appProtocol: z.string().optional(),
});

export const endpointsSchema = z.looseObject({
  kind: z.literal('Endpoints'),
  metadata: objectMetaSchema,
  subsets: z.array(z.looseObject({
    addresses: z.array(endpointAddressSchema).optional(),
    notReadyAddresses: z.array(endpointAddressSchema).optional(),
    ports: z.array(endpointPortSchema).optional(),
  })).optional(),
});

export const endpointSliceSchema = z.looseObject({
  kind: z.literal('EndpointSlice'),
  metadata: objectMetaSchema,
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z.array(z.looseObject({
    addresses: z.array(z.string()).min(1),
    conditions: z.looseObject({
      ready: z.boolean().optional(),
      serving: z.boolean().optional(),
      terminating: z.boolean().optional(),
    }).optional(),
    nodeName: z.string().optional(),
    zone: z.string().optional(),
    hostname: z.string().optional(),
  })).nullable().optional(),
  ports: z.array(z.looseObject({
    name: z.string().optional(),
    port: portNumber.optional(),
    protocol: protocol.optional(),
    appProtocol: z.string().optional(),
  })).nullable().optional(),
});

type NamespaceManifest = z.infer<typeof namespaceSchema>;
type NodeManifest = z.infer<typeof nodeSchema>;
type PodManifest = z.infer<typeof podSchema>;
type PodSpecManifest = z.infer<typeof podSpecSchema>;
type LabelSelectorManifest = z.infer<typeof labelSelectorSchema>;
type DeploymentManifest = z.infer<typeof deploymentSchema>;
type ReplicaSetManifest = z.infer<typeof replicaSetSchema>;
type StatefulSetManifest = z.infer<typeof statefulSetSchema>;
type DaemonSetManifest = z.infer<typeof daemonSetSchema>;
type ServiceManifest = z.infer<typeof serviceSchema>;
type EndpointsManifest = z.infer<typeof endpointsSchema>;
type EndpointSliceManifest = z.infer<typeof endpointSliceSchema>;


/** Schema per kind the engine reads (checked together with `apiVersion`, see `objects.ts`). */
export const SCHEMAS: Readonly<Record<string, { readonly apiVersions: readonly string[]; readonly schema: z.ZodType<TypedManifest> }>> = {
  Namespace: { apiVersions: ['v1'], schema: namespaceSchema },
  Node: { apiVersions: ['v1'], schema: nodeSchema },
  Pod: { apiVersions: ['v1'], schema: podSchema },
  Service: { apiVersions: ['v1'], schema: serviceSchema },
  Endpoints: { apiVersions: ['v1'], schema: endpointsSchema },
  Deployment: { apiVersions: ['apps/v1'], schema: deploymentSchema },
  ReplicaSet: { apiVersions: ['apps/v1'], schema: replicaSetSchema },
  StatefulSet: { apiVersions: ['apps/v1'], schema: statefulSetSchema },
  DaemonSet: { apiVersions: ['apps/v1'], schema: daemonSetSchema },
  EndpointSlice: { apiVersions: ['discovery.k8s.io/v1'], schema: endpointSliceSchema },
};

/** True when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The plain types in `wire.ts` (what the published declarations use) are the schemas' own
 * types: when a schema changes, this fails to compile until `npm run gen:types` is re-run.
 */
export const WIRE_TYPES_MATCH: readonly true[] = [
  true satisfies Same<NamespaceManifest, Wire.NamespaceManifest>,
  true satisfies Same<NodeManifest, Wire.NodeManifest>,
  true satisfies Same<PodManifest, Wire.PodManifest>,
  true satisfies Same<PodSpecManifest, Wire.PodSpecManifest>,
  true satisfies Same<LabelSelectorManifest, Wire.LabelSelectorManifest>,
  true satisfies Same<DeploymentManifest, Wire.DeploymentManifest>,
  true satisfies Same<ReplicaSetManifest, Wire.ReplicaSetManifest>,
  true satisfies Same<StatefulSetManifest, Wire.StatefulSetManifest>,
  true satisfies Same<DaemonSetManifest, Wire.DaemonSetManifest>,
  true satisfies Same<ServiceManifest, Wire.ServiceManifest>,
  true satisfies Same<EndpointsManifest, Wire.EndpointsManifest>,
  true satisfies Same<EndpointSliceManifest, Wire.EndpointSliceManifest>,
];

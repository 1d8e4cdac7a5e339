/**
 * Lenient zod views of the L7 kinds: only the fields routing reads, defaults applied as the
 * APIs define them, every object loose so other fields pass through. Sources:
 * - Ingress, IngressClass: `k8s.io/api/networking/v1/types.go`;
 * - GatewayClass, Gateway, HTTPRoute, ReferenceGrant: the vendored Gateway API v1.6.1 CRDs
 *   (`../shared/crds/gateway-api-v1.6.1`, OpenAPI `default:` values);
 * - VirtualService, DestinationRule, Gateway, ServiceEntry: `istio/api` `networking/v1alpha3`
 *   protos (vendored CRDs `../shared/crds/istio-1.30.3`).
 */
import { z } from 'zod';
import type * as Wire from './wire';
import type { L7Kind } from './kinds';
import { labelSelectorSchema } from '../../manifest/schemas';

const stringMap = z.record(z.string(), z.string());

/** `metadata` fields routing reads. */
export const l7MetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  creationTimestamp: z.string().optional(),
});

// ---------------------------------------------------------------- Ingress (networking.k8s.io/v1)

/** `IngressServiceBackend.port`: a port name or number (exactly one). */
const ingressServicePort = z.looseObject({
  name: z.string().optional(),
  number: z.number().int().optional(),
});

/** `IngressBackend`: a Service (name + port) or a resource (mutually exclusive). */
export const ingressBackendSchema = z.looseObject({
  service: z.looseObject({ name: z.string(), port: ingressServicePort.optional() }).optional(),
  resource: z.looseObject({ apiGroup: z.string().optional(), kind: z.string(), name: z.string() }).optional(),
});

export const ingressPathSchema = z.looseObject({
  /** Defaults to `/` for Prefix/ImplementationSpecific when omitted. */
  path: z.string().optional(),
  /** Required in v1; a missing value is read as ImplementationSpecific (the v1beta1 default). */
  pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific']).optional(),
  backend: ingressBackendSchema,
});

export const ingressSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    ingressClassName: z.string().optional(),
    defaultBackend: ingressBackendSchema.optional(),
    tls: z.array(z.looseObject({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() })).optional(),
    rules: z.array(z.looseObject({
      host: z.string().optional(),
      http: z.looseObject({ paths: z.array(ingressPathSchema).default([]) }).optional(),
    })).optional(),
  }).default({}),
});

export const ingressClassSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    controller: z.string().optional(),
    parameters: z.looseObject({ apiGroup: z.string().optional(), kind: z.string(), name: z.string(), namespace: z.string().optional(), scope: z.string().optional() }).optional(),
  }).default({}),
});

// ---------------------------------------------------------------- Gateway API (gateway.networking.k8s.io)

export const gatewayClassSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({ controllerName: z.string().default('') }).default({ controllerName: '' }),
});

const routeGroupKind = z.looseObject({ group: z.string().default('gateway.networking.k8s.io'), kind: z.string() });

export const listenerSchema = z.looseObject({
  name: z.string(),
  hostname: z.string().optional(),
  port: z.number().int(),
  protocol: z.string(),
  tls: z.looseObject({
    mode: z.enum(['Terminate', 'Passthrough']).default('Terminate'),
    // A malformed list is the admission check's finding (gateway-invalid); routing reads none then.
    certificateRefs: z.array(z.looseObject({ group: z.string().default(''), kind: z.string().default('Secret'), name: z.string(), namespace: z.string().optional() })).optional().catch(undefined),
  }).optional(),
  allowedRoutes: z.looseObject({
    namespaces: z.looseObject({
      from: z.enum(['All', 'Same', 'Selector', 'None']).default('Same'),
      selector: labelSelectorSchema.optional(),
    }).default({ from: 'Same' }),
    kinds: z.array(routeGroupKind).optional(),
  }).default({ namespaces: { from: 'Same' } }),
});

export const gatewaySchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    gatewayClassName: z.string(),
    listeners: z.array(listenerSchema).default([]),
    addresses: z.array(z.looseObject({ type: z.string().optional(), value: z.string() })).optional(),
    /** Which ListenerSets may attach (v1.5+): none unless the Gateway says so. */
    allowedListeners: z.looseObject({
      namespaces: z.looseObject({
        from: z.enum(['All', 'Same', 'Selector', 'None']).default('None'),
        selector: labelSelectorSchema.optional(),
      }).default({ from: 'None' }),
    }).default({ namespaces: { from: 'None' } }),
  }),
});

/** `ListenerSet` (GA in v1.5, GEP-1713): listeners added to a parent Gateway from another object. */
export const listenerSetSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    parentRef: z.looseObject({
      group: z.string().default('gateway.networking.k8s.io'),
      kind: z.string().default('Gateway'),
      name: z.string(),
      namespace: z.string().optional(),
    }),
    listeners: z.array(listenerSchema).default([]),
  }),
});

/** `ParentReference`: group/kind default to Gateway; a core `Service` parent is a GAMMA route. */
export const parentRefSchema = z.looseObject({
  group: z.string().default('gateway.networking.k8s.io'),
  kind: z.string().default('Gateway'),
  namespace: z.string().optional(),
  name: z.string(),
  sectionName: z.string().optional(),
  port: z.number().int().optional(),
});

const httpHeaderMatch = z.looseObject({
  type: z.enum(['Exact', 'RegularExpression']).default('Exact'),
  name: z.string(),
  value: z.string(),
});

export const httpRouteMatchSchema = z.looseObject({
  path: z.looseObject({
    type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).default('PathPrefix'),
    value: z.string().default('/'),
  }).default({ type: 'PathPrefix', value: '/' }),
  headers: z.array(httpHeaderMatch).optional(),
  queryParams: z.array(httpHeaderMatch).optional(),
  method: z.string().optional(),
});

const headerModifier = z.looseObject({
  set: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
  add: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
  remove: z.array(z.string()).optional(),
});

const pathModifier = z.looseObject({
  type: z.enum(['ReplaceFullPath', 'ReplacePrefixMatch']),
  replaceFullPath: z.string().optional(),
  replacePrefixMatch: z.string().optional(),
});

const backendObjectRef = z.looseObject({
  group: z.string().default(''),
  kind: z.string().default('Service'),
  name: z.string(),
  namespace: z.string().optional(),
  port: z.number().int().optional(),
});

export const httpRouteFilterSchema = z.looseObject({
  type: z.string(),
  requestHeaderModifier: headerModifier.optional(),
  responseHeaderModifier: headerModifier.optional(),
  requestRedirect: z.looseObject({
    scheme: z.enum(['http', 'https']).optional(),
    hostname: z.string().optional(),
    path: pathModifier.optional(),
    port: z.number().int().optional(),
    statusCode: z.number().int().default(302),
  }).optional(),
  urlRewrite: z.looseObject({ hostname: z.string().optional(), path: pathModifier.optional() }).optional(),
  // percent (0-100) or fraction (numerator/denominator, denominator 100 by default): the share mirrored; all when both are left out.
  requestMirror: z.looseObject({
    backendRef: backendObjectRef,
    percent: z.number().int().min(0).max(100).optional(),
    fraction: z.looseObject({ numerator: z.number().int().min(0), denominator: z.number().int().min(1).default(100) }).optional(),
  }).optional(),
});

export const httpBackendRefSchema = backendObjectRef.extend({
  weight: z.number().int().min(0).default(1),
  filters: z.array(httpRouteFilterSchema).optional(),
});

export const httpRouteRuleSchema = z.looseObject({
  name: z.string().optional(),
  matches: z.array(httpRouteMatchSchema).default([{ path: { type: 'PathPrefix', value: '/' } }]),
  filters: z.array(httpRouteFilterSchema).optional(),
  backendRefs: z.array(httpBackendRefSchema).optional(),
  timeouts: z.looseObject({ request: z.string().optional(), backendRequest: z.string().optional() }).optional(),
});

export const httpRouteSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    parentRefs: z.array(parentRefSchema).default([]),
    hostnames: z.array(z.string()).optional(),
    rules: z.array(httpRouteRuleSchema).default([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]),
  }).default({ parentRefs: [], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] }),
});

/** `GRPCMethodMatch`: service and/or method, Exact (default) or RegularExpression (RE2). */
export const grpcRouteMatchSchema = z.looseObject({
  method: z.looseObject({
    type: z.enum(['Exact', 'RegularExpression']).default('Exact'),
    service: z.string().optional(),
    method: z.string().optional(),
  }).optional(),
  headers: z.array(httpHeaderMatch).optional(),
});

export const grpcRouteSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    parentRefs: z.array(parentRefSchema).default([]),
    hostnames: z.array(z.string()).optional(),
    rules: z.array(z.looseObject({
      name: z.string().optional(),
      matches: z.array(grpcRouteMatchSchema).optional(),
      filters: z.array(httpRouteFilterSchema).optional(),
      backendRefs: z.array(httpBackendRefSchema).optional(),
    })).default([]),
  }).default({ parentRefs: [], rules: [] }),
});

/** The L4 routes (TLSRoute, TCPRoute, UDPRoute): parentRefs, rules of weighted backendRefs; TLSRoute adds SNI hostnames. */
export const l4RouteSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    parentRefs: z.array(parentRefSchema).default([]),
    hostnames: z.array(z.string()).optional(),
    rules: z.array(z.looseObject({
      name: z.string().optional(),
      backendRefs: z.array(backendObjectRef.extend({ weight: z.number().int().min(0).default(1) })).default([]),
    })).default([]),
  }).default({ parentRefs: [], rules: [] }),
});

/** `BackendTLSPolicy`: TLS from the Gateway to a backend Service (validation by CA refs or well-known CAs, SNI hostname). */
export const backendTlsPolicySchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    targetRefs: z.array(z.looseObject({ group: z.string().default(''), kind: z.string(), name: z.string(), sectionName: z.string().optional() })).default([]),
    validation: z.looseObject({
      caCertificateRefs: z.array(z.looseObject({ group: z.string().default(''), kind: z.string(), name: z.string() })).optional(),
      wellKnownCACertificates: z.string().optional(),
      hostname: z.string(),
    }),
  }),
});

export const referenceGrantSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    from: z.array(z.looseObject({ group: z.string(), kind: z.string(), namespace: z.string() })).default([]),
    to: z.array(z.looseObject({ group: z.string(), kind: z.string(), name: z.string().optional() })).default([]),
  }),
});

// ---------------------------------------------------------------- Istio (networking.istio.io)

/** Istio `StringMatch`: one of exact, prefix, regex (RE2). */
export const stringMatchSchema = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});

export const vsMatchSchema = z.looseObject({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  scheme: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  authority: stringMatchSchema.optional(),
  /** A null or `{}` value checks presence only. */
  headers: z.record(z.string(), stringMatchSchema.nullable()).optional(),
  withoutHeaders: z.record(z.string(), stringMatchSchema.nullable()).optional(),
  queryParams: z.record(z.string(), stringMatchSchema.nullable()).optional(),
  port: z.number().int().optional(),
  sourceLabels: stringMap.optional(),
  sourceNamespace: z.string().optional(),
  gateways: z.array(z.string()).optional(),
  ignoreUriCase: z.boolean().optional(),
});

const istioDestination = z.looseObject({
  host: z.string(),
  subset: z.string().optional(),
  port: z.looseObject({ number: z.number().int().optional() }).optional(),
});

export const vsHttpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(vsMatchSchema).optional(),
  route: z.array(z.looseObject({ destination: istioDestination, weight: z.number().int().min(0).optional() })).optional(),
  redirect: z.looseObject({
    uri: z.string().optional(),
    authority: z.string().optional(),
    port: z.number().int().optional(),
    scheme: z.string().optional(),
    redirectCode: z.number().int().optional(),
  }).optional(),
  directResponse: z.looseObject({ status: z.number().int(), body: z.looseObject({ string: z.string().optional() }).optional() }).optional(),
  rewrite: z.looseObject({ uri: z.string().optional(), authority: z.string().optional() }).optional(),
  timeout: z.string().optional(),
  retries: z.looseObject({ attempts: z.number().int().optional(), perTryTimeout: z.string().optional() }).optional(),
  fault: z.looseObject({
    abort: z.looseObject({ httpStatus: z.number().int().optional(), percentage: z.looseObject({ value: z.number() }).optional() }).optional(),
    delay: z.looseObject({ fixedDelay: z.string().optional(), percentage: z.looseObject({ value: z.number() }).optional() }).optional(),
  }).optional(),
  headers: z.looseObject({
    request: headerModifier.optional(),
    response: headerModifier.optional(),
  }).optional(),
  delegate: z.looseObject({ name: z.string(), namespace: z.string().optional() }).optional(),
});

/** VirtualService `tcp[]` / `tls[]` routes: L4 matches (port, SNI hosts, source) and weighted destinations. */
export const vsL4RouteSchema = z.looseObject({
  match: z.array(z.looseObject({
    port: z.number().int().optional(),
    sniHosts: z.array(z.string()).optional(),
    destinationSubnets: z.array(z.string()).optional(),
    sourceLabels: stringMap.optional(),
    sourceNamespace: z.string().optional(),
    gateways: z.array(z.string()).optional(),
  })).optional(),
  route: z.array(z.looseObject({ destination: istioDestination, weight: z.number().int().min(0).optional() })).default([]),
});

export const virtualServiceSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    hosts: z.array(z.string()).default([]),
    gateways: z.array(z.string()).optional(),
    http: z.array(vsHttpRouteSchema).default([]),
    tcp: z.array(vsL4RouteSchema).optional(),
    tls: z.array(vsL4RouteSchema).optional(),
    exportTo: z.array(z.string()).optional(),
  }).default({ hosts: [], http: [] }),
});

export const destinationRuleSchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    host: z.string(),
    subsets: z.array(z.looseObject({ name: z.string(), labels: stringMap.optional(), trafficPolicy: z.looseObject({}).optional() })).default([]),
    trafficPolicy: z.looseObject({}).optional(),
    exportTo: z.array(z.string()).optional(),
  }),
});

export const istioGatewaySchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    selector: stringMap.optional(),
    servers: z.array(z.looseObject({
      name: z.string().optional(),
      port: z.looseObject({ number: z.number().int(), protocol: z.string(), name: z.string().optional(), targetPort: z.number().int().optional() }),
      hosts: z.array(z.string()).default([]),
      tls: z.looseObject({ httpsRedirect: z.boolean().optional(), mode: z.string().optional() }).optional(),
    })).default([]),
  }).default({ servers: [] }),
});

export const serviceEntrySchema = z.looseObject({
  metadata: l7MetaSchema,
  spec: z.looseObject({
    hosts: z.array(z.string()).default([]),
    addresses: z.array(z.string()).optional(),
    ports: z.array(z.looseObject({ number: z.number().int(), protocol: z.string().optional(), name: z.string().optional(), targetPort: z.number().int().optional() })).default([]),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).default('MESH_EXTERNAL'),
    resolution: z.string().default('NONE'),
    endpoints: z.array(z.looseObject({ address: z.string().optional(), ports: z.record(z.string(), z.number().int()).optional(), labels: stringMap.optional() })).optional(),
    workloadSelector: z.looseObject({ labels: stringMap.optional() }).optional(),
    exportTo: z.array(z.string()).optional(),
  }),
});

type IngressManifestL7 = z.infer<typeof ingressSchema>;
type IngressBackendL7 = z.infer<typeof ingressBackendSchema>;
type IngressPathL7 = z.infer<typeof ingressPathSchema>;
type IngressClassManifestL7 = z.infer<typeof ingressClassSchema>;
type GatewayClassManifestL7 = z.infer<typeof gatewayClassSchema>;
type GatewayManifestL7 = z.infer<typeof gatewaySchema>;
type ListenerL7 = z.infer<typeof listenerSchema>;
type ParentRefL7 = z.infer<typeof parentRefSchema>;
type HttpRouteManifestL7 = z.infer<typeof httpRouteSchema>;
type HttpRouteRuleL7 = z.infer<typeof httpRouteRuleSchema>;
type HttpRouteMatchL7 = z.infer<typeof httpRouteMatchSchema>;
type HttpRouteFilterL7 = z.infer<typeof httpRouteFilterSchema>;
type HttpBackendRefL7 = z.infer<typeof httpBackendRefSchema>;
type ReferenceGrantManifestL7 = z.infer<typeof referenceGrantSchema>;
type ListenerSetManifestL7 = z.infer<typeof listenerSetSchema>;
type GrpcRouteManifestL7 = z.infer<typeof grpcRouteSchema>;
type GrpcRouteMatchL7 = z.infer<typeof grpcRouteMatchSchema>;
type L4RouteManifestL7 = z.infer<typeof l4RouteSchema>;
type BackendTlsPolicyManifestL7 = z.infer<typeof backendTlsPolicySchema>;
type VsL4RouteL7 = z.infer<typeof vsL4RouteSchema>;
type StringMatchL7 = z.infer<typeof stringMatchSchema>;
type VsMatchL7 = z.infer<typeof vsMatchSchema>;
type VsHttpRouteL7 = z.infer<typeof vsHttpRouteSchema>;
type VirtualServiceManifestL7 = z.infer<typeof virtualServiceSchema>;
type DestinationRuleManifestL7 = z.infer<typeof destinationRuleSchema>;
type IstioGatewayManifestL7 = z.infer<typeof istioGatewaySchema>;
type ServiceEntryManifestL7 = z.infer<typeof serviceEntrySchema>;

const GATEWAY_API = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1alpha2'];
const ISTIO = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];

/** Which (kind, apiVersion) pairs map to which view. */
export const L7_SCHEMAS: readonly { readonly key: L7Kind; readonly kind: string; readonly apiVersions: readonly string[]; readonly schema: z.ZodType }[] = [
  { key: 'Ingress', kind: 'Ingress', apiVersions: ['networking.k8s.io/v1'], schema: ingressSchema },
  { key: 'IngressClass', kind: 'IngressClass', apiVersions: ['networking.k8s.io/v1'], schema: ingressClassSchema },
  { key: 'GatewayClass', kind: 'GatewayClass', apiVersions: GATEWAY_API, schema: gatewayClassSchema },
  { key: 'Gateway', kind: 'Gateway', apiVersions: GATEWAY_API, schema: gatewaySchema },
  { key: 'HTTPRoute', kind: 'HTTPRoute', apiVersions: GATEWAY_API, schema: httpRouteSchema },
  { key: 'ReferenceGrant', kind: 'ReferenceGrant', apiVersions: GATEWAY_API, schema: referenceGrantSchema },
  { key: 'ListenerSet', kind: 'ListenerSet', apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.x-k8s.io/v1alpha1'], schema: listenerSetSchema },
  { key: 'GRPCRoute', kind: 'GRPCRoute', apiVersions: GATEWAY_API, schema: grpcRouteSchema },
  { key: 'TLSRoute', kind: 'TLSRoute', apiVersions: GATEWAY_API, schema: l4RouteSchema },
  { key: 'TCPRoute', kind: 'TCPRoute', apiVersions: GATEWAY_API, schema: l4RouteSchema },
  { key: 'UDPRoute', kind: 'UDPRoute', apiVersions: GATEWAY_API, schema: l4RouteSchema },
  { key: 'BackendTLSPolicy', kind: 'BackendTLSPolicy', apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha3'], schema: backendTlsPolicySchema },
  { key: 'VirtualService', kind: 'VirtualService', apiVersions: ISTIO, schema: virtualServiceSchema },
  { key: 'DestinationRule', kind: 'DestinationRule', apiVersions: ISTIO, schema: destinationRuleSchema },
  { key: 'IstioGateway', kind: 'Gateway', apiVersions: ISTIO, schema: istioGatewaySchema },
  { key: 'ServiceEntry', kind: 'ServiceEntry', apiVersions: ISTIO, schema: serviceEntrySchema },
];

/** True when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The plain types in `wire.ts` (what the published declarations use) are the schemas' own
 * types: when a schema changes, this fails to compile until `npm run gen:types` is re-run.
 */
export const WIRE_TYPES_MATCH: readonly true[] = [
  true satisfies Same<IngressManifestL7, Wire.IngressManifestL7>,
  true satisfies Same<IngressBackendL7, Wire.IngressBackendL7>,
  true satisfies Same<IngressPathL7, Wire.IngressPathL7>,
  true satisfies Same<IngressClassManifestL7, Wire.IngressClassManifestL7>,
  true satisfies Same<GatewayClassManifestL7, Wire.GatewayClassManifestL7>,
  true satisfies Same<GatewayManifestL7, Wire.GatewayManifestL7>,
  true satisfies Same<ListenerL7, Wire.ListenerL7>,
  true satisfies Same<ParentRefL7, Wire.ParentRefL7>,
  true satisfies Same<HttpRouteManifestL7, Wire.HttpRouteManifestL7>,
  true satisfies Same<HttpRouteRuleL7, Wire.HttpRouteRuleL7>,
  true satisfies Same<HttpRouteMatchL7, Wire.HttpRouteMatchL7>,
  true satisfies Same<HttpRouteFilterL7, Wire.HttpRouteFilterL7>,
  true satisfies Same<HttpBackendRefL7, Wire.HttpBackendRefL7>,
  true satisfies Same<ReferenceGrantManifestL7, Wire.ReferenceGrantManifestL7>,
  true satisfies Same<StringMatchL7, Wire.StringMatchL7>,
  true satisfies Same<VsMatchL7, Wire.VsMatchL7>,
  true satisfies Same<VsHttpRouteL7, Wire.VsHttpRouteL7>,
  true satisfies Same<VirtualServiceManifestL7, Wire.VirtualServiceManifestL7>,
  true satisfies Same<DestinationRuleManifestL7, Wire.DestinationRuleManifestL7>,
  true satisfies Same<IstioGatewayManifestL7, Wire.IstioGatewayManifestL7>,
  true satisfies Same<ServiceEntryManifestL7, Wire.ServiceEntryManifestL7>,
  true satisfies Same<ListenerSetManifestL7, Wire.ListenerSetManifestL7>,
  true satisfies Same<GrpcRouteManifestL7, Wire.GrpcRouteManifestL7>,
  true satisfies Same<GrpcRouteMatchL7, Wire.GrpcRouteMatchL7>,
  true satisfies Same<L4RouteManifestL7, Wire.L4RouteManifestL7>,
  true satisfies Same<BackendTlsPolicyManifestL7, Wire.BackendTlsPolicyManifestL7>,
  true satisfies Same<VsL4RouteL7, Wire.VsL4RouteL7>,
];

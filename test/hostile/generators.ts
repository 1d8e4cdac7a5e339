/**
 * fast-check generators of manifests: plausible objects of the kinds the engine and rules read
 * (workloads, Services, Endpoints/EndpointSlices, Nodes, Ingress, Gateway API, Istio,
 * NetworkPolicy), where any field may instead be a wrong value (another type, out of range,
 * control characters, prototype keys), and objects of old or unknown apiVersions.
 */
import fc from 'fast-check';

type Json = unknown;

/** Mostly `good`, sometimes any JSON value (a wrong type or shape). */
function w<T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | Json> {
  return fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

/** An optional field: left out about half the time. */
function opt<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(a, { nil: undefined, freq: 2 });
}

const shortNames = fc.constantFrom('web', 'api', 'db', 'web-1', 'shop', 'a', 'x');
/** Names: usually a small shared set (so objects refer to each other), sometimes hostile. */
const name = fc.oneof(
  { weight: 10, arbitrary: shortNames },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 1, arbitrary: fc.constantFrom('Web_App', 'web.app', 'a'.repeat(300), 'web\nerror: forged', 'web\u001b[31m', 'web\u202e', '__proto__', 'constructor', '8080', '-x-', '') },
);
const namespace = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('default', 'shop') }, { weight: 1, arbitrary: name });
const labelKey = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('app', 'tier', 'version', 'app.kubernetes.io/name') }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const labelValue = fc.oneof({ weight: 8, arbitrary: shortNames }, { weight: 1, arbitrary: fc.constantFrom('v1', 'v2', '', 'a b', 'x\ny') });
const labels = fc.dictionary(labelKey, w(labelValue), { maxKeys: 3 });
const portNumber = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(80, 443, 8080, 9090, 53, 22) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 65535 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 65536, 1.5, 1e300) });
const portName = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('http', 'https', 'grpc', 'dns', 'metrics') }, { weight: 1, arbitrary: fc.constantFrom('HTTP', '8080', 'a_b', 'x'.repeat(20), '') });
const protocol = fc.oneof({ weight: 8, arbitrary: fc.constant('TCP') }, { weight: 2, arbitrary: fc.constantFrom('UDP', 'SCTP') }, { weight: 1, arbitrary: fc.constantFrom('tcp', 'HTTP', '') });
const ip = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('10.96.0.10', '10.96.0.50', '10.2.1.5', '192.0.2.10', '203.0.113.5', 'None', '') },
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.constantFrom('not-an-ip', '::1', 'fd00::1', '300.1.1.1', '10.96.0.10/32') },
);
const cidr = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('10.0.0.0/8', '0.0.0.0/0', '192.0.2.0/24') }, { weight: 1, arbitrary: fc.constantFrom('nope', '10.0.0.0/33', '::/0', '1.2.3.4') });
const host = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('web', 'a.example.com', '*.example.com', 'shop.example.com') }, { weight: 1, arbitrary: fc.constantFrom('*', 'a b', '*.*.x', 'x\r\ny', '', 'A.EXAMPLE.COM', 'web.shop.svc.cluster.local') });
const path = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('/', '/api', '/api/', '/static') }, { weight: 1, arbitrary: fc.constantFrom('', 'api', '/a//b', '/((', '/\u0000', '/%2e%2e/') });

function meta(kindLabels = true): fc.Arbitrary<Json> {
  return fc.record({ name, namespace: opt(namespace), labels: kindLabels ? opt(labels) : fc.constant(undefined), annotations: opt(fc.dictionary(fc.constantFrom('netkit.io/ignore', 'a', 'service.beta.kubernetes.io/x'), fc.string({ maxLength: 10 }), { maxKeys: 2 })) }, { requiredKeys: ['name'] });
}

const containerPort = fc.record({ name: opt(w(portName)), containerPort: w(portNumber), protocol: opt(w(protocol)), hostPort: opt(w(portNumber)) }, { requiredKeys: ['containerPort'] });
const probe = fc.record({ httpGet: opt(fc.record({ port: w(fc.oneof(portNumber, portName)), path: opt(path) })), tcpSocket: opt(fc.record({ port: w(fc.oneof(portNumber, portName)) })) });
const container = fc.record({
  name: w(fc.constantFrom('c', 'app', 'sidecar')),
  image: fc.constant('nginx'),
  ports: opt(w(fc.array(w(containerPort), { maxLength: 4 }))),
  readinessProbe: opt(w(probe)),
  restartPolicy: opt(fc.constantFrom('Always', 'Never')),
}, { requiredKeys: ['name'] });
const podSpec = fc.record({
  containers: w(fc.array(w(container), { minLength: 0, maxLength: 3 })),
  initContainers: opt(fc.array(container, { maxLength: 1 })),
  hostNetwork: opt(w(fc.boolean())),
  hostname: opt(w(name)),
  subdomain: opt(w(name)),
  nodeName: opt(w(fc.constantFrom('node-1', 'node-2', 'nowhere'))),
  nodeSelector: opt(labels),
});
const template = fc.record({ metadata: opt(w(fc.record({ labels: opt(w(labels)) }))), spec: opt(w(podSpec)) });
const selector = fc.record({ matchLabels: opt(w(labels)), matchExpressions: opt(w(fc.array(fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'Bogus'), values: opt(fc.array(labelValue, { maxLength: 2 })) }), { maxLength: 2 }))) });
const replicas = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 100, 200000, 1e9) });

const workload = fc.record({
  apiVersion: fc.oneof({ weight: 10, arbitrary: fc.constant('apps/v1') }, { weight: 1, arbitrary: fc.constantFrom('apps/v1beta2', 'extensions/v1beta1', 'apps/v2') }),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
  metadata: meta(),
  spec: w(fc.record({ replicas: opt(w(replicas)), selector: opt(w(selector)), template: w(template), serviceName: opt(name), podManagementPolicy: opt(fc.constantFrom('Parallel', 'OrderedReady', 'x')), ordinals: opt(w(fc.record({ start: w(fc.integer({ min: 0, max: 3 })) }))) })),
});
const pod = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: meta(), spec: w(podSpec), status: opt(w(fc.record({ podIP: opt(ip), phase: opt(fc.constantFrom('Running', 'Pending')) }))) });
const job = fc.record({ apiVersion: fc.constantFrom('batch/v1', 'batch/v1beta1'), kind: fc.constantFrom('Job', 'CronJob'), metadata: meta(), spec: w(fc.record({ template: opt(w(template)), jobTemplate: opt(w(fc.record({ spec: fc.record({ template: w(template) }) }))) })) });

const servicePort = fc.record({ name: opt(w(portName)), port: w(portNumber), targetPort: opt(w(fc.oneof(portNumber, portName))), protocol: opt(w(protocol)), nodePort: opt(w(fc.oneof(fc.integer({ min: 30000, max: 32767 }), fc.constantFrom(80, 40000)))), appProtocol: opt(fc.constantFrom('http', 'kubernetes.io/h2c', 'grpc')) }, { requiredKeys: ['port'] });
const service = fc.record({
  apiVersion: fc.constant('v1'), kind: fc.constant('Service'), metadata: meta(),
  spec: w(fc.record({
    type: opt(w(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Bogus'))),
    selector: opt(w(labels)), ports: opt(w(fc.array(w(servicePort), { maxLength: 4 }))),
    clusterIP: opt(w(ip)), clusterIPs: opt(w(fc.array(ip, { maxLength: 2 }))), externalIPs: opt(w(fc.array(ip, { maxLength: 2 }))),
    loadBalancerSourceRanges: opt(w(fc.array(cidr, { maxLength: 2 }))), externalName: opt(w(host)),
    externalTrafficPolicy: opt(w(fc.constantFrom('Cluster', 'Local', 'bogus'))), internalTrafficPolicy: opt(w(fc.constantFrom('Cluster', 'Local'))),
    sessionAffinity: opt(w(fc.constantFrom('None', 'ClientIP'))), publishNotReadyAddresses: opt(w(fc.boolean())),
    ipFamilies: opt(w(fc.array(fc.constantFrom('IPv4', 'IPv6'), { maxLength: 2 }))), ipFamilyPolicy: opt(fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack')),
    healthCheckNodePort: opt(w(portNumber)), trafficDistribution: opt(fc.constantFrom('PreferClose', 'x')),
  })),
});
const endpoints = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Endpoints'), metadata: meta(), subsets: opt(w(fc.array(fc.record({ addresses: opt(w(fc.array(fc.record({ ip: w(ip), nodeName: opt(fc.constant('node-1')) }), { maxLength: 2 }))), ports: opt(w(fc.array(fc.record({ port: w(portNumber), name: opt(portName), protocol: opt(protocol) }), { maxLength: 2 }))) }), { maxLength: 2 }))) });
const endpointSlice = fc.record({ apiVersion: fc.constantFrom('discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1'), kind: fc.constant('EndpointSlice'), metadata: meta(), addressType: w(fc.constantFrom('IPv4', 'IPv6', 'FQDN')), endpoints: opt(w(fc.array(fc.record({ addresses: w(fc.array(ip, { minLength: 1, maxLength: 2 })), conditions: opt(fc.record({ ready: opt(fc.boolean()) })), nodeName: opt(fc.constant('node-1')), zone: opt(fc.constant('zone-a')) }), { maxLength: 2 }))), ports: opt(w(fc.array(fc.record({ port: opt(w(portNumber)), name: opt(portName), protocol: opt(protocol) }), { maxLength: 2 }))) });
const node = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Node'), metadata: meta(), spec: opt(w(fc.record({ podCIDR: opt(w(cidr)), unschedulable: opt(fc.boolean()) }))), status: opt(w(fc.record({ addresses: opt(w(fc.array(fc.record({ type: fc.constantFrom('InternalIP', 'Hostname'), address: ip }), { maxLength: 2 }))) }))) });
const namespaceObj = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: meta() });
const backendRef = fc.record({ name: w(name), port: opt(w(portNumber)), weight: opt(w(fc.integer({ min: 0, max: 1000 }))), kind: opt(fc.constantFrom('Service', 'Other')), namespace: opt(namespace) });
const ingress = fc.record({
  apiVersion: fc.oneof({ weight: 8, arbitrary: fc.constant('networking.k8s.io/v1') }, { weight: 1, arbitrary: fc.constantFrom('extensions/v1beta1', 'networking.k8s.io/v1beta1') }),
  kind: fc.constant('Ingress'), metadata: meta(),
  spec: w(fc.record({
    ingressClassName: opt(w(fc.constantFrom('nginx', 'missing'))),
    defaultBackend: opt(w(fc.record({ service: fc.record({ name: w(name), port: w(fc.oneof(fc.record({ number: w(portNumber) }), fc.record({ name: w(portName) }))) }) }))),
    tls: opt(w(fc.array(fc.record({ hosts: opt(fc.array(host, { maxLength: 2 })), secretName: opt(name) }), { maxLength: 1 }))),
    rules: opt(w(fc.array(fc.record({ host: opt(w(host)), http: opt(w(fc.record({ paths: w(fc.array(fc.record({ path: opt(w(path)), pathType: w(fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific', 'Bogus')), backend: w(fc.record({ service: fc.record({ name: w(name), port: w(fc.oneof(fc.record({ number: w(portNumber) }), fc.record({ name: w(portName) }))) }) })) }), { maxLength: 3 })) }))) }), { maxLength: 3 }))),
  })),
});
const ingressClass = fc.record({ apiVersion: fc.constant('networking.k8s.io/v1'), kind: fc.constant('IngressClass'), metadata: meta(), spec: w(fc.record({ controller: w(fc.constantFrom('k8s.io/ingress-nginx', 'example.com/x')) })) });
const gatewayClass = fc.record({ apiVersion: fc.constant('gateway.networking.k8s.io/v1'), kind: fc.constant('GatewayClass'), metadata: meta(), spec: w(fc.record({ controllerName: w(fc.constantFrom('example.com/gw', '')) })) });
const gateway = fc.record({ apiVersion: fc.constant('gateway.networking.k8s.io/v1'), kind: fc.constant('Gateway'), metadata: meta(), spec: w(fc.record({ gatewayClassName: w(name), listeners: w(fc.array(fc.record({ name: w(name), port: w(portNumber), protocol: w(fc.constantFrom('HTTP', 'HTTPS', 'TCP', 'bogus')), hostname: opt(w(host)), allowedRoutes: opt(w(fc.record({ namespaces: fc.record({ from: fc.constantFrom('All', 'Same', 'Selector', 'x') }) }))) }), { maxLength: 3 })) })) });
const httpRoute = fc.record({
  apiVersion: fc.constantFrom('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'), kind: fc.constant('HTTPRoute'), metadata: meta(),
  spec: w(fc.record({
    parentRefs: opt(w(fc.array(fc.record({ name: w(name), kind: opt(fc.constantFrom('Gateway', 'Service')), port: opt(w(portNumber)), sectionName: opt(name), namespace: opt(namespace) }), { maxLength: 2 }))),
    hostnames: opt(w(fc.array(w(host), { maxLength: 2 }))),
    rules: opt(w(fc.array(fc.record({
      matches: opt(w(fc.array(fc.record({ path: opt(w(fc.record({ type: w(fc.constantFrom('PathPrefix', 'Exact', 'RegularExpression', 'x')), value: w(path) }))), headers: opt(w(fc.array(fc.record({ name: w(fc.constantFrom('x-a', 'Host', '')), value: fc.string({ maxLength: 5 }), type: opt(fc.constantFrom('Exact', 'RegularExpression')) }), { maxLength: 2 }))), method: opt(w(fc.constantFrom('GET', 'POST', 'get'))) }), { maxLength: 2 }))),
      backendRefs: opt(w(fc.array(w(backendRef), { maxLength: 3 }))),
      filters: opt(w(fc.array(fc.record({ type: w(fc.constantFrom('RequestRedirect', 'URLRewrite', 'RequestHeaderModifier', 'x')), requestRedirect: opt(w(fc.record({ statusCode: opt(w(fc.constantFrom(301, 302, 999))), hostname: opt(w(host)) }))), urlRewrite: opt(w(fc.record({ path: opt(w(fc.record({ type: fc.constantFrom('ReplacePrefixMatch', 'ReplaceFullPath'), replacePrefixMatch: opt(path), replaceFullPath: opt(path) }))) }))) }), { maxLength: 2 }))),
    }), { maxLength: 3 }))),
  })),
});
const referenceGrant = fc.record({ apiVersion: fc.constant('gateway.networking.k8s.io/v1beta1'), kind: fc.constant('ReferenceGrant'), metadata: meta(), spec: w(fc.record({ from: w(fc.array(fc.record({ group: fc.constant('gateway.networking.k8s.io'), kind: fc.constant('HTTPRoute'), namespace: w(namespace) }), { maxLength: 1 })), to: w(fc.array(fc.record({ group: fc.constant(''), kind: fc.constant('Service'), name: opt(name) }), { maxLength: 1 })) })) });
const istioDestination = fc.record({ host: w(host), port: opt(w(fc.record({ number: w(portNumber) }))), subset: opt(w(fc.constantFrom('v1', 'v2', 'missing'))) });
const virtualService = fc.record({
  apiVersion: fc.constantFrom('networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'), kind: fc.constant('VirtualService'), metadata: meta(),
  spec: w(fc.record({
    hosts: w(fc.array(w(host), { maxLength: 2 })), gateways: opt(w(fc.array(fc.constantFrom('mesh', 'gw', 'shop/gw'), { maxLength: 2 }))),
    http: opt(w(fc.array(fc.record({ match: opt(w(fc.array(fc.record({ uri: opt(w(fc.record({ prefix: opt(path), exact: opt(path), regex: opt(fc.constantFrom('.*', '((', '/a+')) }))), headers: opt(w(fc.dictionary(fc.constantFrom('x-user', 'end-user'), fc.record({ exact: fc.string({ maxLength: 3 }) }), { maxKeys: 1 }))) }), { maxLength: 2 }))), route: opt(w(fc.array(fc.record({ destination: w(istioDestination), weight: opt(w(fc.integer({ min: -5, max: 120 }))) }), { maxLength: 3 }))), redirect: opt(w(fc.record({ uri: opt(path) }))), timeout: opt(w(fc.constantFrom('5s', 'x', '1h'))) }), { maxLength: 3 }))),
    tcp: opt(w(fc.array(fc.record({ route: w(fc.array(fc.record({ destination: w(istioDestination) }), { maxLength: 1 })) }), { maxLength: 1 }))),
  })),
});
const destinationRule = fc.record({ apiVersion: fc.constant('networking.istio.io/v1'), kind: fc.constant('DestinationRule'), metadata: meta(), spec: w(fc.record({ host: w(host), subsets: opt(w(fc.array(fc.record({ name: w(fc.constantFrom('v1', 'v2')), labels: opt(w(labels)) }), { maxLength: 2 }))), trafficPolicy: opt(w(fc.record({ loadBalancer: opt(fc.record({ simple: fc.constantFrom('ROUND_ROBIN', 'x') })) }))) })) });
const istioGateway = fc.record({ apiVersion: fc.constant('networking.istio.io/v1'), kind: fc.constant('Gateway'), metadata: meta(), spec: w(fc.record({ selector: opt(w(labels)), servers: w(fc.array(fc.record({ port: w(fc.record({ number: w(portNumber), name: opt(portName), protocol: w(fc.constantFrom('HTTP', 'HTTPS', 'TCP', 'x')) })), hosts: w(fc.array(fc.constantFrom('*', '*/a.example.com', 'shop/*', 'a b'), { maxLength: 2 })) }), { maxLength: 2 })) })) });
const serviceEntry = fc.record({ apiVersion: fc.constant('networking.istio.io/v1'), kind: fc.constant('ServiceEntry'), metadata: meta(), spec: w(fc.record({ hosts: w(fc.array(host, { maxLength: 2 })), ports: opt(w(fc.array(fc.record({ number: w(portNumber), name: w(portName), protocol: opt(fc.constantFrom('HTTP', 'TCP')) }), { maxLength: 2 }))), resolution: opt(fc.constantFrom('DNS', 'STATIC', 'NONE', 'x')), location: opt(fc.constantFrom('MESH_EXTERNAL', 'MESH_INTERNAL')) })) });
const networkPolicy = fc.record({ apiVersion: fc.constantFrom('networking.k8s.io/v1', 'extensions/v1beta1'), kind: fc.constant('NetworkPolicy'), metadata: meta(), spec: w(fc.record({ podSelector: w(selector), policyTypes: opt(w(fc.array(fc.constantFrom('Ingress', 'Egress', 'x'), { maxLength: 2 }))), ingress: opt(w(fc.array(fc.record({ from: opt(w(fc.array(fc.record({ podSelector: opt(selector), namespaceSelector: opt(selector), ipBlock: opt(w(fc.record({ cidr: w(cidr), except: opt(fc.array(cidr, { maxLength: 1 })) }))) }), { maxLength: 2 }))), ports: opt(w(fc.array(fc.record({ port: opt(w(fc.oneof(portNumber, portName))), protocol: opt(protocol), endPort: opt(w(portNumber)) }), { maxLength: 2 }))) }), { maxLength: 2 }))) })) });
const list = (item: fc.Arbitrary<Json>): fc.Arbitrary<Json> => fc.record({ apiVersion: fc.constant('v1'), kind: fc.constantFrom('List', 'ServiceList'), items: fc.array(item, { maxLength: 3 }) });
const unknownKind = fc.record({ apiVersion: fc.constantFrom('example.com/v1', 'v1'), kind: fc.constantFrom('Widget', 'ConfigMap', 'Secret'), metadata: meta(), data: opt(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 10 }), { maxKeys: 2 })) });

const object: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: workload }, { weight: 7, arbitrary: service }, { weight: 2, arbitrary: pod }, { weight: 1, arbitrary: job },
  { weight: 1, arbitrary: endpoints }, { weight: 1, arbitrary: endpointSlice }, { weight: 1, arbitrary: node }, { weight: 1, arbitrary: namespaceObj },
  { weight: 3, arbitrary: ingress }, { weight: 1, arbitrary: ingressClass }, { weight: 1, arbitrary: gatewayClass }, { weight: 2, arbitrary: gateway },
  { weight: 3, arbitrary: httpRoute }, { weight: 1, arbitrary: referenceGrant }, { weight: 2, arbitrary: virtualService }, { weight: 1, arbitrary: destinationRule },
  { weight: 1, arbitrary: istioGateway }, { weight: 1, arbitrary: serviceEntry }, { weight: 2, arbitrary: networkPolicy }, { weight: 1, arbitrary: unknownKind },
);

/** The documents of one manifest file: 1-8 objects, sometimes inside a List, sometimes a stray value. */
export function manifestText(): fc.Arbitrary<Json[]> {
  return fc.array(fc.oneof({ weight: 20, arbitrary: object }, { weight: 1, arbitrary: list(object) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }), { minLength: 1, maxLength: 8 });
}

import { dns1035LabelProblems, dns1123LabelProblems, dns1123SubdomainProblems, ianaSvcNameProblems, labelValueProblems, qualifiedNameProblems } from './names';
import { FieldProblem } from './problems';
import { endpointIpProblems, isCidr, parseIp } from './ip';

/** A `Service.spec.ports[]` entry as it appears in a manifest. */
export interface ServicePortWire {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

/** The `Service.spec` fields the checks read, as they appear in a manifest. */
export interface ServiceSpecWire {
  readonly type?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports?: readonly ServicePortWire[];
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  readonly externalName?: string;
  readonly externalIPs?: readonly string[];
  readonly sessionAffinity?: string;
  readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } };
  readonly externalTrafficPolicy?: string;
  readonly internalTrafficPolicy?: string;
  readonly healthCheckNodePort?: number;
  readonly loadBalancerClass?: string;
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly allocateLoadBalancerNodePorts?: boolean;
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly trafficDistribution?: string;
  readonly publishNotReadyAddresses?: boolean;
}

/** A Service as it appears in a manifest. */
export interface ServiceWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: ServiceSpecWire;
}

/** Options for {@link validateService}. */
export interface ServiceValidationOptions {
  /**
   * The cluster's `--service-node-port-range`.
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: { readonly min: number; readonly max: number };
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
/** Fields only a LoadBalancer may set. */
const LOAD_BALANCER_FIELDS = ['loadBalancerClass', 'allocateLoadBalancerNodePorts'] as const;
/** `MaxClientIPServiceAffinitySeconds` in pkg/apis/core/types.go. */
const MAX_AFFINITY_SECONDS = 86400;

/**
 * Checks a Service the way the API server does before it stores it
 * (`ValidateService` in `pkg/apis/core/validation/validation.go` after defaulting, plus the
 * NodePort allocator's range check), and flags fields that are accepted but ignored.
 * Returns an empty list for a valid Service.
 */
export function validateService(service: ServiceWire, options: ServiceValidationOptions = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  const spec = service.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';

  for (const msg of dns1035LabelProblems(service.metadata.name)) {
    add('metadata.name', `Invalid value: "${service.metadata.name}": ${msg}`,
      'use a name such as "web-api": lowercase letters, digits and "-", starting with a letter (set `metadata.name`, or a construct id without "_" or ".")');
  }
  if (service.metadata.namespace !== undefined) {
    for (const msg of dns1123LabelProblems(service.metadata.namespace)) {
      add('metadata.namespace', `Invalid value: "${service.metadata.namespace}": ${msg}`, 'use a valid namespace name');
    }
  }
  if (!TYPES.includes(type)) {
    add('spec.type', `Unsupported value: "${type}": supported values: ${TYPES.map((t) => `"${t}"`).join(', ')}`, 'use one of the ServiceType values');
    return problems;
  }

  if (ports.length === 0 && !headless && type !== 'ExternalName') {
    add('spec.ports', 'Required value: a Service needs at least one port (only headless and ExternalName Services may have none)',
      'add a port with `bind(port)` or the `ports` prop, or make the Service headless');
  }

  problems.push(...typeSpecificProblems(type, spec, headless));
  problems.push(...portProblems(type, ports, options));
  problems.push(...selectorProblems(type, spec));
  problems.push(...affinityProblems(spec));
  problems.push(...addressProblems(type, spec));
  problems.push(...trafficPolicyProblems(type, spec));
  return problems;
}

function typeSpecificProblems(type: string, spec: ServiceSpecWire, headless: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    add('spec.clusterIP', `Invalid value: "None": may not be set to 'None' for ${type} services`,
      `a headless Service is reachable only inside the cluster: use type ClusterIP for the headless Service and a separate ${type} Service for outside traffic`);
  }
  if (type === 'ExternalName') {
    if (spec.clusterIP !== undefined && spec.clusterIP !== '') {
      add('spec.clusterIP', 'Forbidden: may not be set for ExternalName services', 'remove `clusterIP`');
    }
    if (spec.ipFamilies !== undefined) add('spec.ipFamilies', 'Forbidden: may not be set for ExternalName services', 'remove `ipFamilies`');
    if (spec.ipFamilyPolicy !== undefined) add('spec.ipFamilyPolicy', 'Forbidden: may not be set for ExternalName services', 'remove `ipFamilyPolicy`');
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname === '') {
      add('spec.externalName', 'Required value: an ExternalName Service needs the DNS name it aliases',
        'set `externalName` to a DNS name such as "db.example.com"');
    } else {
      for (const msg of dns1123SubdomainProblems(cname)) {
        add('spec.externalName', `Invalid value: "${cname}": ${msg}`, 'set `externalName` to a DNS name such as "db.example.com" (not an IP address or URL)');
      }
    }
  } else if (spec.externalName !== undefined && spec.externalName !== '') {
    add('spec.externalName', `Invalid value: "${spec.externalName}": is ignored unless \`type\` is 'ExternalName'`,
      'set `type` to ExternalName, or remove `externalName`');
  }
  if (type !== 'LoadBalancer') {
    for (const field of LOAD_BALANCER_FIELDS) {
      if (spec[field] !== undefined) {
        add(`spec.${field}`, "Forbidden: may only be used when `type` is 'LoadBalancer'", `set \`type\` to LoadBalancer, or remove \`${field}\``);
      }
    }
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) {
      add('spec.loadBalancerSourceRanges', "Forbidden: may only be used when `type` is 'LoadBalancer'",
        'set `type` to LoadBalancer, or remove `loadBalancerSourceRanges`');
    }
  }
  if (spec.loadBalancerClass !== undefined) {
    for (const msg of qualifiedNameProblems(spec.loadBalancerClass)) {
      add('spec.loadBalancerClass', `Invalid value: "${spec.loadBalancerClass}": ${msg}`, 'use a class name such as "example.com/internal-vip"');
    }
  }
  const ranges = spec.loadBalancerSourceRanges ?? [];
  for (let i = 0; i < ranges.length; i++) {
    if (!isCidr(ranges[i].trim())) {
      add(`spec.loadBalancerSourceRanges[${i}]`, `Invalid value: "${ranges[i]}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
        'write each source range as a CIDR');
    }
  }
  return problems;
}

function portProblems(type: string, ports: readonly ServicePortWire[], options: ServiceValidationOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  const range = options.nodePortRange ?? { min: 30000, max: 32767 };
  const requireName = ports.length > 1;
  // Duplicates take a second port: single-port Services (most) skip the three sets.
  const names = requireName ? new Set<string>() : undefined;
  const portKeys = requireName ? new Set<string>() : undefined;
  const nodePortKeys = requireName ? new Set<string>() : undefined;

  for (let i = 0; i < ports.length; i++) {
    const port = ports[i];
    const at = `spec.ports[${i}]`;
    const protocol = port.protocol ?? 'TCP';
    const name = port.name ?? '';
    if (requireName && name === '') {
      add(`${at}.name`, 'Required value: every port must be named when a Service has more than one port',
        'give each port a unique `name`, e.g. "http" and "metrics" (for ports taken from containers, name the container ports)');
    } else if (name !== '') {
      for (const msg of dns1123LabelProblems(name)) add(`${at}.name`, `Invalid value: "${name}": ${msg}`, 'use a port name such as "http" or "grpc-web"');
      if (names?.has(name)) add(`${at}.name`, `Duplicate value: "${name}"`, 'give each port a different `name`');
      names?.add(name);
    }
    if (port.port === undefined) {
      add(`${at}.port`, 'Required value', 'set `port`');
    } else if (!isPortNumber(port.port)) {
      add(`${at}.port`, `Invalid value: ${port.port}: must be between 1 and 65535, inclusive`, 'use a port number from 1 to 65535');
    }
    if (!PROTOCOLS.includes(protocol)) {
      add(`${at}.protocol`, `Unsupported value: "${protocol}": supported values: "SCTP", "TCP", "UDP"`, 'use Protocol.TCP, Protocol.UDP or Protocol.SCTP');
    }
    const target = port.targetPort;
    if (typeof target === 'number' && !isPortNumber(target)) {
      add(`${at}.targetPort`, `Invalid value: ${target}: must be between 1 and 65535, inclusive`, 'use a container port number from 1 to 65535, or a container port name');
    } else if (typeof target === 'string') {
      for (const msg of ianaSvcNameProblems(target)) {
        add(`${at}.targetPort`, `Invalid value: "${target}": ${msg}`,
          'a named targetPort must be a container port name (IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens)');
      }
    }
    if (port.appProtocol !== undefined) {
      for (const msg of qualifiedNameProblems(port.appProtocol)) {
        add(`${at}.appProtocol`, `Invalid value: "${port.appProtocol}": ${msg}`, 'use an IANA name ("http", "h2c") or a prefixed name ("example.com/proto")');
      }
    }
    if (port.nodePort !== undefined && port.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        add(`${at}.nodePort`, `Forbidden: may not be used when \`type\` is '${type}'`, 'remove `nodePort`, or set `type` to NodePort or LoadBalancer');
      } else if (port.nodePort < range.min || port.nodePort > range.max) {
        add(`${at}.nodePort`, `Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is ${range.min}-${range.max}`,
          `pick a nodePort from ${range.min}-${range.max}, or leave it out to have one allocated`);
      }
      if (nodePortKeys) {
        const nodeKey = `${protocol}/${port.nodePort}`;
        if (nodePortKeys.has(nodeKey)) add(`${at}.nodePort`, `Duplicate value: ${port.nodePort}`, 'give each port a different `nodePort`');
        nodePortKeys.add(nodeKey);
      }
    }
    if (port.port !== undefined && portKeys) {
      const key = `${protocol}/${port.port}`;
      if (portKeys.has(key)) {
        add(at, `Duplicate value: port ${port.port}/${protocol} is already exposed by this Service`,
          'expose each port number once per protocol (the same number is allowed once for TCP and once for UDP)');
      }
      portKeys.add(key);
    }
  }
  return problems;
}

function selectorProblems(type: string, spec: ServiceSpecWire): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const selector = spec.selector ?? {};
  const keys = Object.keys(selector);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = selector[key];
    for (const msg of qualifiedNameProblems(key)) {
      problems.push({ field: `spec.selector`, message: `Invalid value: "${key}": ${msg}`, fix: 'use a valid label key such as "app.kubernetes.io/name"' });
    }
    for (const msg of labelValueProblems(value)) {
      problems.push({ field: `spec.selector.${key}`, message: `Invalid value: "${value}": ${msg}`, fix: 'use a valid label value' });
    }
  }
  if (type === 'ExternalName' && keys.length > 0) {
    problems.push({
      field: 'spec.selector',
      message: 'is ignored for ExternalName services: no Endpoints are made and clients get a CNAME to `externalName`',
      fix: 'remove the selector, or use type ClusterIP to route to the selected pods',
    });
  }
  return problems;
}

function affinityProblems(spec: ServiceSpecWire): FieldProblem[] {
  const affinity = spec.sessionAffinity ?? 'None';
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (affinity !== 'None' && affinity !== 'ClientIP') {
    return [{ field: 'spec.sessionAffinity', message: `Unsupported value: "${affinity}": supported values: "ClientIP", "None"`, fix: 'use SessionAffinity.CLIENT_IP or SessionAffinity.NONE' }];
  }
  if (affinity === 'None' && spec.sessionAffinityConfig !== undefined) {
    return [{ field: 'spec.sessionAffinityConfig', message: 'Forbidden: must not be set when session affinity is None', fix: 'set `sessionAffinity` to ClientIP, or remove the timeout' }];
  }
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)) {
    return [{
      field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      message: `Invalid value: ${timeout}: must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
      fix: 'use a whole number of seconds from 1 to 86400 (1 day)',
    }];
  }
  return [];
}

function addressProblems(type: string, spec: ServiceSpecWire): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  if (spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== 'None' && !parseIp(spec.clusterIP)) {
    add('spec.clusterIP', `Invalid value: "${spec.clusterIP}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
      'use an address inside the cluster\'s service CIDR, "None" for a headless Service, or leave it out to have one allocated');
  }
  const externalIPs = spec.externalIPs ?? [];
  for (let i = 0; i < externalIPs.length; i++) {
    for (const msg of endpointIpProblems(externalIPs[i])) add(`spec.externalIPs[${i}]`, `Invalid value: "${externalIPs[i]}": ${msg}`, 'use a routable address that reaches a node');
  }
  if (type === 'ExternalName') return problems;
  const families = spec.ipFamilies ?? [];
  for (let i = 0; i < families.length; i++) {
    const family = families[i];
    if (!IP_FAMILIES.includes(family)) add(`spec.ipFamilies[${i}]`, `Unsupported value: "${family}": supported values: "IPv4", "IPv6"`, 'use IpFamily.IPV4 or IpFamily.IPV6');
    if (families.indexOf(family) < i) add(`spec.ipFamilies[${i}]`, `Duplicate value: "${family}"`, 'list each IP family once');
  }
  if (families.length > 2) add('spec.ipFamilies', 'Invalid value: may only hold up to 2 values', 'list at most IPv4 and IPv6');
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && !IP_FAMILY_POLICIES.includes(policy)) {
    add('spec.ipFamilyPolicy', `Unsupported value: "${policy}": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"`, 'use an IpFamilyPolicy value');
  }
  if ((policy ?? 'SingleStack') === 'SingleStack' && families.length > 1) {
    add('spec.ipFamilies', 'Invalid value: when multiple IP families are specified, `ipFamilyPolicy` must be PreferDualStack or RequireDualStack',
      'set `ipFamilyPolicy` to PreferDualStack or RequireDualStack, or list one family');
  }
  return problems;
}

function trafficPolicyProblems(type: string, spec: ServiceSpecWire): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  // `apiservice.ExternallyAccessible` in pkg/api/service/util.go.
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  const etp = spec.externalTrafficPolicy;
  if (etp !== undefined) {
    if (!externallyAccessible) {
      add('spec.externalTrafficPolicy', `Invalid value: "${etp}": may only be set for externally-accessible services`,
        'remove `externalTrafficPolicy` (it applies to NodePort, LoadBalancer and externalIPs traffic), or change `type`; for in-cluster traffic use `internalTrafficPolicy`');
    } else if (!TRAFFIC_POLICIES.includes(etp)) {
      add('spec.externalTrafficPolicy', `Unsupported value: "${etp}": supported values: "Cluster", "Local"`, 'use ExternalTrafficPolicy.CLUSTER or LOCAL');
    }
  }
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== 0) {
    if (!needsHealthCheck) {
      add('spec.healthCheckNodePort', `Invalid value: ${spec.healthCheckNodePort}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`,
        'remove `healthCheckNodePort`, or use a LoadBalancer with externalTrafficPolicy Local');
    } else if (!isPortNumber(spec.healthCheckNodePort)) {
      add('spec.healthCheckNodePort', `Invalid value: ${spec.healthCheckNodePort}: must be between 1 and 65535, inclusive`, 'use a port from the NodePort range');
    }
  }
  const itp = spec.internalTrafficPolicy;
  if (itp !== undefined && !TRAFFIC_POLICIES.includes(itp)) {
    add('spec.internalTrafficPolicy', `Unsupported value: "${itp}": supported values: "Cluster", "Local"`, 'use InternalTrafficPolicy.CLUSTER or LOCAL');
  }
  const td = spec.trafficDistribution;
  if (td !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(td)) {
    add('spec.trafficDistribution', `Unsupported value: "${td}": supported values: ${TRAFFIC_DISTRIBUTIONS.map((v) => `"${v}"`).join(', ')}`,
      'use a TrafficDistribution value');
  }
  return problems;
}

function isPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

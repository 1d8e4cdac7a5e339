import { validateLabels, validatePodSpec, type PodSpecWire } from '../../lib/k8s/pod-validation';
import { validateService, type ServiceWire } from '../../lib/k8s/service-validation';

/*
 * What the validators report for inputs that hit every duplicate check and most field checks,
 * recorded before their loops were rewritten without sets and closures for the common case:
 * the rewrite keeps each message, its field path and their order.
 */
const serviceCases: ServiceWire[] = [
  { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } },
  { metadata: { name: 'dup' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 80, protocol: 'UDP', nodePort: 30001 }, { port: 81 }] } },
  { metadata: { name: 'one', namespace: 'Bad_NS' }, spec: { type: 'ClusterIP', ports: [{ port: 0, targetPort: 'Bad--Name', nodePort: 31000, appProtocol: 'x/y/z' }], selector: { 'bad key/x/y': 'ok', app: '-bad' } } },
  { metadata: { name: 'fam' }, spec: { ipFamilies: ['IPv4', 'IPv4', 'IPv7'], externalIPs: ['10.0.0.1', 'nope'], clusterIP: '1.2.3' } },
  { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 443, nodePort: 29999 }], loadBalancerSourceRanges: ['10.0.0.0/8', 'bad'], loadBalancerClass: '/x', externalTrafficPolicy: 'Local', healthCheckNodePort: 70000 } },
  { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com.', selector: { app: 'x' }, ports: [{ port: 5432, nodePort: 30000 }], clusterIP: '10.0.0.1', ipFamilies: ['IPv4'] } },
  { metadata: { name: 'cip' }, spec: { ports: [{ port: 80 }], loadBalancerSourceRanges: ['1.2.3.0/24'], allocateLoadBalancerNodePorts: true, sessionAffinity: 'None', sessionAffinityConfig: {}, externalName: 'x' } },
];
const podCases: [PodSpecWire, string, string[]][] = [
  [{ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ name: 'data' }] }], volumes: [{ name: 'data' }] }, 'spec', []],
  [{ containers: [{ name: 'A_b', ports: [{ containerPort: 0, name: 'http' }, { containerPort: 70000, name: 'http' }, { name: 'Bad--x' }], volumeMounts: [{ name: 'x' }, { name: 'claim' }, {}] }], initContainers: [{ name: 'init', ports: [{ containerPort: 81, name: 'http' }], volumeMounts: [{ name: 'data' }] }], volumes: [{ name: 'data' }] }, 'spec.template.spec', ['claim']],
  [{}, 'spec', []],
];
const labelCases: Record<string, string>[] = [{ app: 'web', 'example.com/tier': 'a.b_c' }, { '-bad': 'x', 'a/b/c': '-y', ok: 'z'.repeat(64), '': '' }];

const serviceExpected: string[][] = [
  [],
  [
    'spec.ports[1].name: Duplicate value: "a"',
    'spec.ports[1].nodePort: Duplicate value: 30001',
    'spec.ports[1]: Duplicate value: port 80/TCP is already exposed by this Service',
    'spec.ports[3].name: Required value: every port must be named when a Service has more than one port',
  ],
  [
    'metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[0].targetPort: Invalid value: "Bad--Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.ports[0].targetPort: Invalid value: "Bad--Name": must not contain consecutive hyphens',
    'spec.ports[0].appProtocol: Invalid value: "x/y/z": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', with an optional DNS subdomain prefix and \'/\'',
    'spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
    'spec.selector: Invalid value: "bad key/x/y": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', with an optional DNS subdomain prefix and \'/\'',
    'spec.selector.app: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character',
  ],
  [
    'spec.ports: Required value: a Service needs at least one port (only headless and ExternalName Services may have none)',
    'spec.clusterIP: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'spec.externalIPs[1]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'spec.ipFamilies[1]: Duplicate value: "IPv4"',
    'spec.ipFamilies[2]: Unsupported value: "IPv7": supported values: "IPv4", "IPv6"',
    'spec.ipFamilies: Invalid value: may only hold up to 2 values',
    'spec.ipFamilies: Invalid value: when multiple IP families are specified, `ipFamilyPolicy` must be PreferDualStack or RequireDualStack',
  ],
  [
    'spec.loadBalancerClass: Invalid value: "/x": prefix part must be non-empty',
    'spec.loadBalancerSourceRanges[1]: Invalid value: "bad": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
    'spec.healthCheckNodePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ],
  [
    'spec.clusterIP: Forbidden: may not be set for ExternalName services',
    'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
    'spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ExternalName\'',
    'spec.selector: is ignored for ExternalName services: no Endpoints are made and clients get a CNAME to `externalName`',
  ],
  [
    'spec.externalName: Invalid value: "x": is ignored unless `type` is \'ExternalName\'',
    'spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is \'LoadBalancer\'',
    'spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is \'LoadBalancer\'',
    'spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None',
  ],
];

const podExpected: string[][] = [
  [],
  [
    'spec.template.spec.containers[0].name: Invalid value: "A_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
    'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.template.spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.template.spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.template.spec.containers[0].ports[2].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.template.spec.containers[0].ports[2].name: Invalid value: "Bad--x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.template.spec.containers[0].ports[2].name: Invalid value: "Bad--x": must not contain consecutive hyphens',
    'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "x"',
    'spec.template.spec.containers[0].volumeMounts[2].name: Not found: ""',
    'spec.template.spec.initContainers[0].ports[0].name: Duplicate value: "http"',
  ],
  [],
];

const labelExpected: string[][] = [
  [],
  [
    'metadata.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character',
    'metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', with an optional DNS subdomain prefix and \'/\'',
    'metadata.labels.a/b/c: Invalid value: "-y": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character',
    'metadata.labels.ok: Invalid value: "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz": must be no more than 63 characters',
    'metadata.labels: Invalid value: "": name part must be non-empty',
  ],
];

const lines = (problems: { field: string; message: string }[]): string[] => problems.map((p) => `${p.field}: ${p.message}`);

describe('validator output is unchanged', () => {
  test.each(serviceCases.map((s, i) => [s.metadata.name, i] as const))('Service %s', (_name, i) => {
    expect(lines(validateService(serviceCases[i]))).toEqual(serviceExpected[i]);
  });

  test.each(podCases.map((_c, i) => [i]))('pod spec %d', (i) => {
    const [spec, at, extra] = podCases[i];
    expect(lines(validatePodSpec(spec, at, extra))).toEqual(podExpected[i]);
  });

  test.each(labelCases.map((_c, i) => [i]))('labels %d', (i) => {
    expect(lines(validateLabels(labelCases[i], 'metadata.labels'))).toEqual(labelExpected[i]);
  });
});

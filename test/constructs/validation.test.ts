import * as kplus from 'cdk8s-plus-33';
import { Chart, Duration, Testing } from 'cdk8s';
import { Deployment, ExternalTrafficPolicy, HeadlessService, NODE_PORT_RANGE_CONTEXT, Protocol, Service, ServiceType, SessionAffinity, StatefulSet } from '../../lib';
import { newChart, synth, synthError } from '../support/synth';

/** The synth error of a single Service built from these props in a fresh app. */
function serviceError(props: ConstructorParameters<typeof Service>[2], name = 'svc'): string {
  const chart = newChart();
  new Service(chart, 'svc', { metadata: { name }, ...props });
  return synthError(chart);
}

describe('Service validations (what the API server would reject)', () => {
  test('Service names are DNS-1035 labels; cdk8s ids with "_" or "." make invalid ones', () => {
    const chart = newChart();
    new Service(chart, 'My_Svc.v2', { selector: { app: 'a' }, ports: [{ port: 80 }] });
    const error = synthError(chart);
    expect(error).toContain('[test/My_Svc.v2] Service "test-my_svc.v2-c89bf34e": metadata.name: Invalid value: "test-my_svc.v2-c89bf34e": ' +
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character. " +
      'Fix: use a name such as "web-api"');
  });

  test('a name starting with a digit is rejected, at most 63 characters', () => {
    expect(serviceError({ ports: [{ port: 80 }] }, '1st')).toContain('metadata.name: Invalid value: "1st"');
    expect(serviceError({ ports: [{ port: 80 }] }, `a${'b'.repeat(63)}`)).toContain('must be no more than 63 characters');
  });

  test('ports must be named when there are several', () => {
    const error = serviceError({ selector: { app: 'a' }, ports: [{ port: 80 }, { port: 443 }] });
    expect(error).toContain('[test/svc] Service "svc": spec.ports[0].name: Required value: every port must be named when a Service has more than one port. ' +
      'Fix: give each port a unique `name`');
    expect(error).toContain('spec.ports[1].name: Required value');
  });

  test('port names are unique DNS labels', () => {
    expect(serviceError({ ports: [{ port: 80, name: 'web' }, { port: 443, name: 'web' }] })).toContain('spec.ports[1].name: Duplicate value: "web". Fix: give each port a different `name`');
    expect(serviceError({ ports: [{ port: 80, name: 'HTTP' }] })).toContain('spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label');
  });

  test('named targetPorts are IANA service names', () => {
    const error = serviceError({ ports: [{ port: 80, targetPort: 'http-management-port' }] });
    expect(error).toContain('spec.ports[0].targetPort: Invalid value: "http-management-port": must be no more than 15 characters. ' +
      'Fix: a named targetPort must be a container port name (IANA_SVC_NAME');
    expect(serviceError({ ports: [{ port: 80, targetPort: '8080' }] })).toContain('"8080": must contain at least one letter (a-z)');
    expect(serviceError({ ports: [{ port: 80, targetPort: 'a--b' }] })).toContain('must not contain consecutive hyphens');
  });

  test('port and targetPort numbers are 1-65535', () => {
    expect(serviceError({ ports: [{ port: 0 }] })).toContain('spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(serviceError({ ports: [{ port: 80, targetPort: 70000 }] })).toContain('spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  test('the same port and protocol twice is a duplicate; the same port over TCP and UDP is fine', () => {
    expect(serviceError({ ports: [{ port: 53, name: 'a' }, { port: 53, name: 'b' }] }))
      .toContain('spec.ports[1]: Duplicate value: port 53/TCP is already exposed by this Service');
    const chart = newChart();
    new Service(chart, 'dns', { selector: { app: 'dns' }, ports: [{ port: 53, name: 'dns-tcp' }, { port: 53, name: 'dns-udp', protocol: Protocol.UDP }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('nodePorts: only for NodePort/LoadBalancer, inside the range, unique', () => {
    expect(serviceError({ ports: [{ port: 80, nodePort: 30080 }] }))
      .toContain("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'. Fix: remove `nodePort`, or set `type` to NodePort or LoadBalancer");
    expect(serviceError({ type: ServiceType.NODE_PORT, ports: [{ port: 80, nodePort: 8080 }] }))
      .toContain('spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767. Fix: pick a nodePort from 30000-32767');
    expect(serviceError({ type: ServiceType.NODE_PORT, ports: [{ port: 80, name: 'a', nodePort: 30001 }, { port: 81, name: 'b', nodePort: 30001 }] }))
      .toContain('spec.ports[1].nodePort: Duplicate value: 30001');
  });

  test('the NodePort range follows the netkit:nodePortRange context', () => {
    const app = Testing.app();
    app.node.setContext(NODE_PORT_RANGE_CONTEXT, '20000-22767');
    const chart = new Chart(app, 'test');
    new Service(chart, 'ok', { type: ServiceType.NODE_PORT, ports: [{ port: 80, nodePort: 20080 }] });
    expect(() => Testing.synth(chart)).not.toThrow();
    new Service(chart, 'bad', { type: ServiceType.NODE_PORT, ports: [{ port: 80, nodePort: 30080 }] });
    expect(synthError(chart)).toContain('The range of valid ports is 20000-22767');
  });

  test('a non-headless Service needs a port', () => {
    expect(serviceError({ selector: { app: 'a' } })).toContain('spec.ports: Required value: a Service needs at least one port');
  });

  test('ExternalName needs externalName, a DNS name, and no selector', () => {
    expect(serviceError({ type: ServiceType.EXTERNAL_NAME }))
      .toContain('spec.externalName: Required value: an ExternalName Service needs the DNS name it aliases. Fix: set `externalName`');
    expect(serviceError({ type: ServiceType.EXTERNAL_NAME, externalName: 'https://db.example.com' }))
      .toContain('spec.externalName: Invalid value: "https://db.example.com": a lowercase RFC 1123 subdomain');
    expect(serviceError({ externalName: 'db.example.com', selector: { app: 'db' } }))
      .toContain('spec.selector: is ignored for ExternalName services: no Endpoints are made and clients get a CNAME to `externalName`. Fix: remove the selector');
    const chart = newChart();
    Service.externalName(chart, 'alias', 'db.example.com.');
    expect(() => synth(chart)).not.toThrow();
  });

  test('headless Services cannot be NodePort or LoadBalancer', () => {
    expect(serviceError({ type: ServiceType.NODE_PORT, clusterIP: 'None', ports: [{ port: 80 }] }))
      .toContain("spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services. Fix: a headless Service is reachable only inside the cluster");
    expect(serviceError({ type: ServiceType.LOAD_BALANCER, clusterIP: 'None', ports: [{ port: 80 }] }))
      .toContain("may not be set to 'None' for LoadBalancer services");
  });

  test('externalTrafficPolicy only on externally-accessible Services', () => {
    expect(serviceError({ ports: [{ port: 80 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }))
      .toContain('[test/svc] Service "svc": spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services. ' +
        'Fix: remove `externalTrafficPolicy`');
    const chart = newChart();
    new Service(chart, 'ext', { ports: [{ port: 80 }], externalIPs: ['198.51.100.10'], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });
    expect(() => synth(chart)).not.toThrow();
  });

  test('healthCheckNodePort needs LoadBalancer with Local policy', () => {
    expect(serviceError({ type: ServiceType.NODE_PORT, ports: [{ port: 80 }], healthCheckNodePort: 32000 }))
      .toContain("spec.healthCheckNodePort: Invalid value: 32000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  });

  test('LoadBalancer-only fields on other types, and bad source ranges', () => {
    const error = serviceError({ ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/8'], loadBalancerClass: 'x/y', allocateLoadBalancerNodePorts: false });
    expect(error).toContain("spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'");
    expect(error).toContain("spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'");
    expect(error).toContain("spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'");
    expect(serviceError({ type: ServiceType.LOAD_BALANCER, ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.300/8'] }))
      .toContain('spec.loadBalancerSourceRanges[0]: Invalid value: "10.0.0.300/8": must be a valid CIDR value');
  });

  test('external IPs and cluster IPs must be valid addresses', () => {
    expect(serviceError({ ports: [{ port: 80 }], externalIPs: ['127.0.0.1'] })).toContain('spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range');
    expect(serviceError({ ports: [{ port: 80 }], clusterIP: '10.96.0.300' })).toContain('spec.clusterIP: Invalid value: "10.96.0.300": must be a valid IP address');
  });

  test('label expressions from a cdk8s-plus selector cannot become a Service selector', () => {
    const chart = newChart();
    const pods = kplus.Pods.select(chart, 'pods', { labels: { app: 'web' }, expressions: [kplus.LabelExpression.in('tier', ['a', 'b'])] });
    new Service(chart, 'svc', { metadata: { name: 'svc' }, selector: pods, ports: [{ port: 80 }] });
    expect(synthError(chart)).toContain('[test/svc] Service "svc": spec.selector: test/pods selects pods with label expressions (tier In), ' +
      'which a Service selector cannot express: Services select by exact labels only');
  });

  test('selecting two workloads with different values for one label selects nothing', () => {
    const chart = newChart();
    const a = new Deployment(chart, 'a', { podLabels: { app: 'a' }, containers: [{ name: 'a', image: 'a' }] });
    const b = new Deployment(chart, 'b', { podLabels: { app: 'b' }, containers: [{ name: 'b', image: 'b' }] });
    const svc = new Service(chart, 'svc', { metadata: { name: 'svc' }, selector: a, ports: [{ port: 80 }] });
    svc.select(b);
    expect(synthError(chart)).toContain('spec.selector.app: selected as both "a" and "b", so the Service would select no pod');
  });

  test('session affinity timeout is 1 second to 1 day, and needs ClientIP', () => {
    expect(serviceError({ ports: [{ port: 80 }], sessionAffinityTimeout: Duration.minutes(1) }))
      .toContain('spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None');
    expect(serviceError({ ports: [{ port: 80 }], sessionAffinity: SessionAffinity.CLIENT_IP, sessionAffinityTimeout: Duration.days(2) }))
      .toContain('spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 172800: must be greater than 0 and less than 86400');
  });

  test('a valid headless Service passes', () => {
    const chart = newChart();
    new HeadlessService(chart, 'peers', { selector: { app: 'x' } });
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('workload validations', () => {
  test('container port names are IANA service names and unique in the pod', () => {
    const chart = newChart();
    new Deployment(chart, 'web', {
      metadata: { name: 'web' },
      podLabels: { app: 'web' },
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http_port' }] },
        { name: 'side', image: 'envoy', ports: [{ containerPort: 9000, name: 'admin' }, { containerPort: 9001, name: 'admin' }] },
      ],
    });
    const error = synthError(chart);
    expect(error).toContain('[test/web] Deployment "web": spec.template.spec.containers[0].ports[0].name: Invalid value: "http_port": ' +
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    expect(error).toContain('spec.template.spec.containers[1].ports[1].name: Duplicate value: "admin"');
  });

  test('a volume mount must name a volume of the pod', () => {
    const chart = newChart();
    new Deployment(chart, 'web', {
      metadata: { name: 'web' },
      containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
    });
    expect(synthError(chart)).toContain('Deployment "web": spec.template.spec.containers[0].volumeMounts[0].name: Not found: "cache". ' +
      'Fix: add a volume named "cache" to the pod');
  });

  test('StatefulSet names are DNS labels (pod hostnames)', () => {
    const chart = newChart();
    new StatefulSet(chart, 'db', { metadata: { name: 'db.primary' }, podLabels: { app: 'db' }, containers: [{ name: 'db', image: 'db' }] });
    expect(synthError(chart)).toContain('[test/db] StatefulSet "db.primary": metadata.name: Invalid value: "db.primary": a lowercase RFC 1123 label');
  });

  test('a workload needs a container, and pod labels must be valid', () => {
    const chart = newChart();
    new Deployment(chart, 'empty', { metadata: { name: 'empty' }, podLabels: { 'app': 'has space' } });
    const error = synthError(chart);
    expect(error).toContain('spec.template.spec.containers: Required value: a pod needs at least one container');
    expect(error).toContain('spec.template.metadata.labels.app: Invalid value: "has space"');
  });
});

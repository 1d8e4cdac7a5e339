import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  Deployment, ExternalTrafficPolicy, HeadlessService, InternalTrafficPolicy, IpFamily, IpFamilyPolicy,
  plusPodSelector, Protocol, Service, ServiceType, SessionAffinity, TrafficDistribution,
} from '../../lib';
import { findObject, newChart, synth } from '../support/synth';

describe('Service', () => {
  test('ClusterIP is the default type; targetPort may be a number or a name', () => {
    const chart = newChart('shop');
    const svc = new Service(chart, 'api', { metadata: { name: 'api' }, selector: { app: 'api' } });
    svc.bind(80, { name: 'http', targetPort: 'http' });
    svc.bind(9090, { name: 'metrics', targetPort: 9091, protocol: Protocol.TCP });

    const obj = findObject(synth(chart), 'Service', 'api');
    expect(obj.apiVersion).toBe('v1');
    expect(obj.metadata.namespace).toBe('shop');
    expect(obj.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'api' },
      ports: [
        { port: 80, name: 'http', targetPort: 'http' },
        { port: 9090, name: 'metrics', targetPort: 9091, protocol: 'TCP' },
      ],
    });
    expect(svc.type).toBe(ServiceType.CLUSTER_IP);
    expect(svc.isHeadless).toBe(false);
  });

  test('NodePort with an explicit nodePort and one left to the allocator', () => {
    const chart = newChart();
    new Service(chart, 'np', {
      metadata: { name: 'np' },
      type: ServiceType.NODE_PORT,
      selector: { app: 'web' },
      ports: [{ port: 80, name: 'http', nodePort: 30080 }, { port: 443, name: 'https' }],
    });
    expect(findObject(synth(chart), 'Service', 'np').spec).toEqual({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80, name: 'http', nodePort: 30080 }, { port: 443, name: 'https' }],
    });
  });

  test('LoadBalancer with its class, source ranges, node-port allocation and health check port', () => {
    const chart = newChart();
    new Service(chart, 'lb', {
      metadata: { name: 'lb' },
      type: ServiceType.LOAD_BALANCER,
      selector: { app: 'web' },
      ports: [{ port: 443, targetPort: 8443 }],
      loadBalancerClass: 'example.com/internal',
      loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.1.0/24'],
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      healthCheckNodePort: 32000,
    });
    expect(findObject(synth(chart), 'Service', 'lb').spec).toEqual({
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [{ port: 443, targetPort: 8443 }],
      loadBalancerClass: 'example.com/internal',
      loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.1.0/24'],
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
    });
  });

  test('ExternalName: only the type and the name it aliases', () => {
    const chart = newChart();
    const alias = Service.externalName(chart, 'db', 'db.example.com', { metadata: { name: 'db' } });
    expect(alias.type).toBe(ServiceType.EXTERNAL_NAME);
    expect(findObject(synth(chart), 'Service', 'db').spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com' });
  });

  test('giving externalName without a type makes an ExternalName Service', () => {
    const chart = newChart();
    const svc = new Service(chart, 'alias', { externalName: 'api.example.com' });
    expect(svc.type).toBe(ServiceType.EXTERNAL_NAME);
  });

  test('the fields cdk8s-plus lacks are rendered', () => {
    const chart = newChart();
    new Service(chart, 'full', {
      metadata: { name: 'full' },
      selector: { app: 'full' },
      ports: [{ port: 80, name: 'http', appProtocol: 'kubernetes.io/h2c', targetPort: 'web' }],
      sessionAffinity: SessionAffinity.CLIENT_IP,
      sessionAffinityTimeout: Duration.minutes(30),
      internalTrafficPolicy: InternalTrafficPolicy.LOCAL,
      ipFamilies: [IpFamily.IPV6, IpFamily.IPV4],
      ipFamilyPolicy: IpFamilyPolicy.PREFER_DUAL_STACK,
      trafficDistribution: TrafficDistribution.PREFER_CLOSE,
      publishNotReadyAddresses: true,
      externalIPs: ['198.51.100.7'],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
    expect(findObject(synth(chart), 'Service', 'full').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'full' },
      ports: [{ port: 80, name: 'http', appProtocol: 'kubernetes.io/h2c', targetPort: 'web' }],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 1800 } },
      internalTrafficPolicy: 'Local',
      ipFamilies: ['IPv6', 'IPv4'],
      ipFamilyPolicy: 'PreferDualStack',
      trafficDistribution: 'PreferClose',
      publishNotReadyAddresses: true,
      externalIPs: ['198.51.100.7'],
      externalTrafficPolicy: 'Local',
    });
  });

  test('selects our workloads by their visible pod labels, and labels added with selectLabel', () => {
    const chart = newChart();
    const web = new Deployment(chart, 'web', { podLabels: { app: 'web', tier: 'front' }, containers: [{ name: 'web', image: 'nginx' }] });
    const svc = new Service(chart, 'svc', { metadata: { name: 'svc' }, selector: web, ports: [{ port: 80 }] });
    svc.selectLabel('tier', 'front');
    expect(svc.selector).toEqual({ app: 'web', tier: 'front' });
    expect(findObject(synth(chart), 'Service', 'svc').spec?.selector).toEqual({ app: 'web', tier: 'front' });
  });

  test('selects cdk8s-plus workloads through their pod selector', () => {
    const chart = newChart();
    const plus = new kplus.Deployment(chart, 'plus', { containers: [{ image: 'nginx', portNumber: 8080, securityContext: { ensureNonRoot: false } }] });
    const svc = new Service(chart, 'svc', { metadata: { name: 'svc' }, selector: plus, ports: [{ port: 80, targetPort: 8080 }] });
    const objects = synth(chart);
    const deployment = findObject(objects, 'Deployment');
    const matchLabels = (deployment.spec?.selector as { matchLabels: Record<string, string> }).matchLabels;
    expect(Object.keys(matchLabels).length).toBeGreaterThan(0);
    expect(findObject(objects, 'Service', 'svc').spec?.selector).toEqual(matchLabels);
    expect(svc.hasSelector).toBe(true);
  });

  test('our workloads can be selected by cdk8s-plus through plusPodSelector (your cdk8s-plus version)', () => {
    const chart = newChart();
    const web = new Deployment(chart, 'web', { podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'nginx' }] });
    const plusService = new kplus.Service(chart, 'plus-svc', { ports: [{ port: 80 }] });
    plusService.select(plusPodSelector(kplus, web));
    expect(findObject(synth(chart), 'Service').spec?.selector).toEqual({ app: 'web' });
  });

  test('a Service with no selector renders none (Endpoints managed by hand)', () => {
    const chart = newChart();
    const svc = new Service(chart, 'manual', { metadata: { name: 'manual' }, ports: [{ port: 5432 }] });
    expect(svc.hasSelector).toBe(false);
    expect(findObject(synth(chart), 'Service', 'manual').spec).toEqual({ type: 'ClusterIP', ports: [{ port: 5432 }] });
  });
});

describe('HeadlessService', () => {
  test('has clusterIP None, and ports are optional', () => {
    const chart = newChart();
    const svc = new HeadlessService(chart, 'peers', { metadata: { name: 'peers' }, selector: { app: 'db' }, publishNotReadyAddresses: true });
    expect(svc.isHeadless).toBe(true);
    expect(findObject(synth(chart), 'Service', 'peers').spec).toEqual({
      type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, publishNotReadyAddresses: true,
    });
  });
});

describe('Workload.exposeViaService', () => {
  test('mirrors container ports at synth time, including containers added later', () => {
    const chart = newChart();
    const web = new Deployment(chart, 'web', {
      podLabels: { app: 'web' },
      containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }],
    });
    const svc = web.exposeViaService('web-svc', { metadata: { name: 'web-svc' }, type: ServiceType.NODE_PORT });
    web.addContainer({ name: 'sidecar', image: 'envoy', ports: [{ containerPort: 9901, name: 'admin', protocol: 'TCP' }] });
    expect(svc.node.path).toBe('test/web-svc');
    expect(findObject(synth(chart), 'Service', 'web-svc').spec).toEqual({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [
        { port: 8080, targetPort: 8080, name: 'http', protocol: 'TCP' },
        { port: 9901, targetPort: 9901, name: 'admin', protocol: 'TCP' },
      ],
    });
  });

  test('uses the given ports when there are some', () => {
    const chart = newChart();
    const web = new Deployment(chart, 'web', { podLabels: { app: 'web' }, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] });
    const svc = web.exposeViaService('svc', { ports: [{ port: 80, targetPort: 'http' }] });
    expect(svc.ports).toEqual([{ port: 80, targetPort: 'http' }]);
  });
});

import { ClusterIPAllocator, ipRangeOffset } from '../../lib/engine/controllers/ipallocator';
import { PortAllocator, portRangeOffset } from '../../lib/engine/controllers/portallocator';
import { parseIPv4Cidr as parseCIDR, parseIPv4 } from '../../lib/k8s/ip';
import { build, service } from './engine-helpers';

const port80 = [{ port: 80 }];

describe('ClusterIP allocation', () => {
  test('dynamic ClusterIPs are in the upper band of the service CIDR and deterministic', () => {
    const c = build([service('a', { ports: port80 }), service('b', { ports: port80 })]);
    const again = build([service('b', { ports: port80 }), service('a', { ports: port80 })]);
    const ip = c.services.get('default/a')!.clusterIPs[0];
    expect(again.services.get('default/a')!.clusterIPs[0]).toBe(ip);
    const n = parseIPv4(ip)!;
    const base = parseIPv4('10.96.0.0')!;
    expect(n).toBeGreaterThanOrEqual(base + 1 + 256);
    expect(n).toBeLessThan(base + 2 ** 20 - 1);
  });

  test('explicit clusterIPs are honoured; conflicts and out-of-range are reported, not thrown', () => {
    const c = build([
      service('a', { clusterIP: '10.96.0.10', ports: port80 }),
      service('b', { clusterIP: '10.96.0.10', ports: port80 }),
      service('c', { clusterIP: '192.168.0.1', ports: port80 }),
      service('d', { clusterIP: '10.96.0.1', ports: port80 }),
      service('h', { clusterIP: 'None', selector: { app: 'x' }, ports: port80 }),
    ]);
    expect(c.services.get('default/a')!.clusterIPs).toEqual(['10.96.0.10']);
    expect(c.services.has('default/b')).toBe(false);
    expect(c.services.has('default/c')).toBe(false);
    expect(c.services.has('default/d')).toBe(false); // 10.96.0.1 is the kubernetes Service's
    expect(c.services.get('default/h')).toMatchObject({ headless: true, clusterIPs: [] });
    expect(c.diagnostics.map((d) => [d.code, d.object?.name, d.path])).toEqual([
      ['clusterip-conflict', 'b', 'spec.clusterIP'],
      ['clusterip-invalid', 'c', 'spec.clusterIP'],
      ['clusterip-conflict', 'd', 'spec.clusterIP'],
    ]);
    expect(c.diagnostics[0].source).toEqual({ file: 'test', line: 2 });
  });

  test('a contested clusterIP or nodePort goes to the Service created first (file order, as `netkit apply` sends them), not to the name that sorts first', () => {
    const c = build([
      service('zeta', { clusterIP: '10.96.0.20', ports: port80 }),
      service('alpha', { clusterIP: '10.96.0.20', ports: port80 }),
      service('omega', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      service('beta', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    ]);
    expect(c.services.get('default/zeta')!.clusterIPs).toEqual(['10.96.0.20']);
    expect(c.services.has('default/alpha')).toBe(false);
    expect(c.services.get('default/omega')!.ports[0].nodePort).toBe(30080);
    expect(c.services.has('default/beta')).toBe(false);
    expect(c.diagnostics.map((d) => [d.code, d.object?.name, d.message])).toEqual([
      ['clusterip-conflict', 'alpha', 'Service default/alpha: clusterIP 10.96.0.20 is already allocated to default/zeta'],
      ['nodeport-conflict', 'beta', 'Service default/beta: nodePort 30080 is already allocated to default/omega'],
    ]);
  });

  test('the allocator prefers the upper band, then falls back to the static band, then reports exhaustion', () => {
    const cidr = parseCIDR('10.0.0.0/27')!; // 30 usable, offset 16 (1 reserved for kubernetes)
    expect(ipRangeOffset(30)).toBe(16);
    const a = new ClusterIPAllocator(cidr);
    const got: number[] = [];
    for (let i = 0; i < 29; i++) got.push(parseIPv4(a.allocate(`s${i}`)!)! - cidr.base);
    expect(got.slice(0, 14).every((o) => o >= 17)).toBe(true);
    expect(got.slice(14).every((o) => o >= 2 && o < 17)).toBe(true);
    expect(a.allocate('more')).toBeUndefined();
  });
});

describe('NodePort allocation', () => {
  test('band offset follows upstream min(max(16, size/32), 128)', () => {
    expect(portRangeOffset(2768)).toBe(86);
    expect(portRangeOffset(100)).toBe(16);
    expect(portRangeOffset(10000)).toBe(128);
  });

  test('dynamic NodePorts avoid the static band; explicit ones are honoured; conflicts reported', () => {
    const c = build([
      service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30007 }] }),
      service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30007 }] }),
      service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }),
      service('d', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'x', port: 80 }, { name: 'y', port: 81 }] }),
    ]);
    expect(c.services.get('default/a')!.ports[0].nodePort).toBe(30007);
    const d = c.services.get('default/d')!;
    for (const p of d.ports) expect(p.nodePort).toBeGreaterThanOrEqual(30086);
    expect(d.healthCheckNodePort).toBeGreaterThanOrEqual(30086);
    expect(new Set([...d.ports.map((p) => p.nodePort), d.healthCheckNodePort]).size).toBe(3);
    expect(d.loadBalancerIPs).toEqual(['192.0.2.1']);
    expect(c.diagnostics.map((x) => [x.code, x.object?.name, x.path])).toEqual([
      ['nodeport-conflict', 'b', 'spec.ports[0].nodePort'],
      ['nodeport-out-of-range', 'c', 'spec.ports[0].nodePort'],
    ]);
  });

  test('the port allocator falls back to the lower band when the upper band is full', () => {
    const a = new PortAllocator(30000, 30099); // offset 16
    const ports: number[] = [];
    for (let i = 0; i < 100; i++) ports.push(a.allocate(`s${i}`)!);
    expect(ports.slice(0, 84).every((p) => p >= 30016)).toBe(true);
    expect(ports.slice(84).every((p) => p < 30016)).toBe(true);
    expect(a.allocate('x')).toBeUndefined();
  });

  test('Service defaults: port names, protocol, targetPort, affinity timeout', () => {
    const c = build([service('a', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })]);
    expect(c.services.get('default/a')).toMatchObject({
      type: 'ClusterIP', sessionAffinity: 'ClientIP', sessionAffinityTimeoutSeconds: 10800,
      externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', publishNotReadyAddresses: false,
      ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 80 }],
    });
  });
});

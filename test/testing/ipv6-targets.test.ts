/** IPv6 targets in the testing API: `[fd00::1]:80` and a bare `fd00::1` (issue 15: the bare form was split at its last colon). */
import { ApiObject, App, Chart } from 'cdk8s';
import { parseTarget, simulate } from '../../lib/testing';
import '../../lib/testing/jest';
import { syntheticProfile } from '../../lib/engine/profile';

describe('parseTarget', () => {
  test('a bare IPv6 address is a host without a port', () => {
    expect(parseTarget('fd00::1')).toEqual({ host: 'fd00::1' });
    expect(parseTarget('fd00:10:96::1:80')).toEqual({ host: 'fd00:10:96::1:80' });
    expect(parseTarget(' ::1 ')).toEqual({ host: '::1' });
  });
  test('bracketed IPv6 with a port number or name', () => {
    expect(parseTarget('[fd00::1]:80')).toEqual({ host: 'fd00::1', port: 80 });
    expect(parseTarget('[fd00::1]:http')).toEqual({ host: 'fd00::1', port: 'http' });
    expect(parseTarget('[fd00::1]')).toEqual({ host: 'fd00::1' });
  });
  test('IPv4 and names as before; an unbracketed IPv6 with a port name is refused', () => {
    expect(parseTarget('10.96.0.10:80')).toEqual({ host: '10.96.0.10', port: 80 });
    expect(parseTarget('web.shop:http')).toEqual({ host: 'web.shop', port: 'http' });
    expect(() => parseTarget('fd00::1:http')).toThrow('an IPv6 address with a port goes in brackets');
  });
});

describe('a dual-stack simulation', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const labels = { app: 'web' };
  const objects = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ipFamilyPolicy: 'RequireDualStack', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  ];
  for (const o of objects) new ApiObject(chart, `${o.kind}-${o.metadata.name}`, o);
  const sim = simulate(app, syntheticProfile({ ipFamilies: ['IPv4', 'IPv6'] }));
  const svc = sim.cluster.services.get('shop/web');

  test('traces to the IPv6 ClusterIP, bracketed with a port and bare with the Service\'s only port', () => {
    const v6 = svc?.clusterIPs[1] as string;
    expect(v6).toContain(':');
    const t = sim.connect(`[${v6}]:80`);
    expect(t.ok).toBe(true);
    expect(t.address).toBe(v6);
    expect(t.destinations.every((d) => d.ip.includes(':') && d.port === 8080)).toBe(true);
    expect(sim.connect(v6)).toMatchObject({ ok: true, address: v6 });
    expect(sim).toRouteTcp(`[${v6}]:80`, { to: 'app=web' });
  });
});

/**
 * How a pod resolves names, as kubelet configures it (pkg/kubelet/network/dns GetPodDNS,
 * appendDNSConfig; managed /etc/hosts with hostAliases) and glibc then resolves: /etc/hosts
 * first, then resolv.conf's search list under its ndots.
 */
import { connect } from '../../lib/engine/trace';
import { DnsModel } from '../../lib/engine/dns';
import type { Cluster } from '../../lib/engine/cluster';
import { build, deployment, service } from './engine-helpers';

type Json = Record<string, unknown>;

function cluster(clientSpec: Json): Cluster {
  return build([
    deployment('web', 1, { app: 'web' }),
    service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
    deployment('client', 1, { app: 'client' }, [], clientSpec),
  ]);
}
const clientOf = (c: Cluster) => [...c.pods.values()].find((p) => p.labels.app === 'client')!;
const resolve = (c: Cluster, name: string) => new DnsModel(c).resolveFromPod('default', name, 'A', clientOf(c));
const trace = (c: Cluster, to: string) => connect({ from: { pod: `default/${clientOf(c).name}` }, to, port: 80 }, c);

describe('pod DNS settings', () => {
  test('default (ClusterFirst): the namespace search list and ndots:5', () => {
    const c = cluster({});
    const r = resolve(c, 'web');
    expect(r.searchList).toEqual(['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    expect(r.ndots).toBe(5);
    expect(r.answer.name).toBe('web.default.svc.cluster.local');
    expect(clientOf(c).dns).toBeUndefined();
  });

  test('hostAliases answer from /etc/hosts before DNS, and the trace says so', () => {
    const c = cluster({ hostAliases: [{ ip: '10.96.200.1', hostnames: ['web', 'web.local'] }] });
    const r = resolve(c, 'web');
    expect(r.answer).toMatchObject({ rcode: 'NOERROR', answeredBy: { kind: 'HostAlias' }, records: [{ type: 'A', value: '10.96.200.1' }] });
    expect(r.queries).toHaveLength(1);
    const t = trace(c, 'web');
    expect(t.notes.join('\n')).toContain("web is in the pod's /etc/hosts (hostAliases 10.96.200.1); DNS is not asked");
    expect(t.ok).toBe(false); // nothing owns 10.96.200.1
    // Names not in the hosts file still go to cluster DNS.
    expect(resolve(c, 'web.shop').answer.name).toBe('web.shop.svc.cluster.local');
  });

  test('dnsConfig searches are appended and ndots merged (appendDNSConfig, mergeDNSOptions)', () => {
    const c = cluster({ dnsConfig: { searches: ['shop.svc.cluster.local'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } });
    const r = resolve(c, 'web.shop');
    expect(r.searchList).toEqual(['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'shop.svc.cluster.local']);
    expect(r.ndots).toBe(1);
    // One dot >= ndots:1: the name is tried as-is first (FORWARDED: outside the cluster domain, upstream DNS).
    expect(r.queries.map((q) => q.name)).toEqual(['web.shop']);
    expect(r.answer.rcode).toBe('FORWARDED');
    // Without a dot, the appended search domain is reached after the cluster ones.
    const shopOnly = cluster({ dnsConfig: { searches: ['shop.svc.cluster.local'] } });
    expect(resolve(shopOnly, 'web').answer.name).toBe('web.default.svc.cluster.local');
  });

  test('dnsPolicy Default and hostNetwork with ClusterFirst use the node resolver: not simulated, and a trace says so instead of an answer', () => {
    for (const spec of [{ dnsPolicy: 'Default' }, { hostNetwork: true }]) {
      const c = cluster(spec);
      const r = resolve(c, 'web');
      expect(r.notClusterDns).toMatch(/resolves through its node's resolver/);
      const t = trace(c, 'web');
      expect(t.failure).toMatchObject({ code: 'dns-outside-cluster' });
      expect(t.failure?.message).toMatch(/not simulated/);
    }
    // ClusterFirstWithHostNet keeps cluster DNS for a hostNetwork pod.
    const withHostNet = cluster({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    expect(resolve(withHostNet, 'web').notClusterDns).toBeUndefined();
    expect(trace(withHostNet, 'web').ok).toBe(true);
  });

  test('dnsPolicy None: only dnsConfig; cluster DNS only when its address is the first nameserver', () => {
    const own = cluster({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['default.svc.cluster.local'] } });
    expect(resolve(own, 'web').notClusterDns).toBe("the pod's first nameserver is 1.1.1.1 (dnsPolicy None), not cluster DNS (10.96.0.10); what it answers is not simulated");
    const viaCluster = cluster({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local'] } });
    const r = resolve(viaCluster, 'web');
    expect(r.notClusterDns).toBeUndefined();
    expect(r.searchList).toEqual(['default.svc.cluster.local']);
    expect(r.ndots).toBe(1);
    expect(r.answer).toMatchObject({ name: 'web.default.svc.cluster.local', rcode: 'NOERROR' });
    // `web.shop` has a dot: tried as-is first (ndots 1), forwarded upstream.
    expect(resolve(viaCluster, 'web.shop').answer.rcode).toBe('FORWARDED');
  });
});

/**
 * The cluster DNS model: the CoreDNS `kubernetes` plugin (`plugin/kubernetes/kubernetes.go`,
 * `parse.go` in coredns/coredns) answering from the simulated cluster, plus the resolver a pod
 * runs (kubelet's resolv.conf for `dnsPolicy: ClusterFirst`: search list and `ndots:5`).
 */
import { addressInBlock, isIpAddress, parseIpBlock } from '../k8s/ip';
import type { ClusterStateView, EndpointInfo, PodDnsSettings, PodInfo, ServiceInfo } from './model';
import { clusterFamilies, podIPs, serviceCIDRFor } from './ip-families';

/** Query types the model answers. */
export type DnsQueryType = 'A' | 'AAAA' | 'SRV';

/** One resource record of an answer. */
export interface DnsRecord {
  /** Owner name, fully qualified, without the trailing dot. */
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME' | 'SRV';
  /** IP for A/AAAA, target name for CNAME and SRV. */
  readonly value: string;
  /** SRV only. */
  readonly port?: number;
  readonly priority?: number;
  readonly weight?: number;
}

/**
 * `NOERROR` with records; `NODATA` (NOERROR, no records: the name exists); `NXDOMAIN`;
 * `FORWARDED` for names outside the cluster domain, which CoreDNS forwards upstream (not simulated).
 */
export type DnsRcode = 'NOERROR' | 'NODATA' | 'NXDOMAIN' | 'FORWARDED';

/** The answer to one query. */
export interface DnsAnswer {
  readonly name: string;
  readonly type: DnsQueryType;
  readonly rcode: DnsRcode;
  /** In answer-section order: a CNAME first, then what its target resolved to. */
  readonly records: readonly DnsRecord[];
  /** The object that answered, when one did (`HostAlias`: the pod's /etc/hosts, from `spec.hostAliases`). */
  readonly answeredBy?: { readonly kind: 'Service' | 'Pod' | 'Endpoint' | 'HostAlias'; readonly key: string };
}

/** How a pod resolved a name: each query tried, in order, and the first one that answered. */
export interface DnsResolution {
  readonly name: string;
  readonly type: DnsQueryType;
  readonly searchList: readonly string[];
  readonly ndots: number;
  readonly queries: readonly DnsAnswer[];
  /** The query that produced records (`NOERROR`), or the last one tried. */
  readonly answer: DnsAnswer;
  /**
   * Set when the pod's resolver is not cluster DNS (dnsPolicy Default, a hostNetwork pod with
   * ClusterFirst, dnsPolicy None with other nameservers): why, and that the answer is not simulated.
   */
  readonly notClusterDns?: string;
  /** Resolver facts worth telling (dnsConfig searches or ndots, a hostAlias that answered). */
  readonly notes?: readonly string[];
}

/** Options of the CoreDNS `kubernetes` plugin we model. */
export interface DnsOptions {
  /**
   * `pods insecure` (kubeadm's default Corefile: any well-formed `a-b-c-d.ns.pod` name answers),
   * `pods verified` (only existing pod IPs in that namespace) or `pods disabled`.
   * @default 'insecure'
   */
  readonly podMode?: 'insecure' | 'verified' | 'disabled';
  /** resolv.conf `ndots`. @default 5 */
  readonly ndots?: number;
}

const MAX_CNAME_DEPTH = 8;

/** CoreDNS's stand-in for the ports of a slice that has none (skipped in SRV answers, plugin/backend_lookup.go). */
const PORTLESS = { name: '', protocol: '', port: -1 } as const;

interface Request {
  readonly service: string;
  readonly namespace: string;
  readonly kind: 'svc' | 'pod';
  readonly endpoint?: string;
  readonly port?: string;
  readonly protocol?: string;
}

/** A CoreDNS answer source built over a cluster state (reads it on every query; no copies). */
export class DnsModel {
  readonly domain: string;
  private readonly podMode: 'insecure' | 'verified' | 'disabled';
  private readonly ndots: number;
  private podIPs?: Map<string, string[]>;

  constructor(private readonly state: ClusterStateView, options: DnsOptions = {}) {
    this.domain = normalize(state.profile.clusterDomain);
    this.podMode = options.podMode ?? 'insecure';
    this.ndots = options.ndots ?? 5;
  }

  /** The search list kubelet writes for a pod in `namespace` (ClusterFirst). */
  searchList(namespace: string): string[] {
    return [`${namespace}.svc.${this.domain}`, `svc.${this.domain}`, this.domain];
  }

  /**
   * The address pods use as cluster DNS (kubelet `--cluster-dns`): the kube-system/kube-dns
   * Service's ClusterIP when the manifests have one, else kubeadm's default, the service CIDR's
   * tenth address (10.96.0.10 for 10.96.0.0/12).
   */
  clusterDnsAddress(): string | undefined {
    const svc = this.state.services.get('kube-system/kube-dns');
    if (svc && svc.clusterIPs.length > 0) return svc.clusterIPs[0];
    // kubeadm takes it from the primary service range (an IPv6-only cluster's is IPv6).
    const block = parseIpBlock(serviceCIDRFor(this.state.profile, clusterFamilies(this.state.profile)[0]) ?? this.state.profile.serviceCIDR);
    return block && block.size > 10n ? addressInBlock(block, 10n) : undefined;
  }

  /**
   * Resolve `name` as a pod in `namespace` does: /etc/hosts first (`spec.hostAliases`, and the
   * pod's own hostname), then the resolv.conf kubelet wrote for its `dnsPolicy` and `dnsConfig`
   * (`pkg/kubelet/network/dns` GetPodDNS: cluster search list and `ndots:5` for ClusterFirst,
   * dnsConfig searches appended and options merged; the node's resolver for Default and for
   * hostNetwork pods with ClusterFirst). A trailing dot means absolute; a name with at least
   * `ndots` dots is tried as-is first, otherwise the search list comes first (glibc `res_search`).
   * Stops at the first query with records. `pod` gives the settings (default: ClusterFirst).
   */
  resolveFromPod(namespace: string, name: string, type: DnsQueryType = 'A', pod?: Pick<PodInfo, 'name' | 'ip' | 'hostname' | 'subdomain' | 'dns'>): DnsResolution {
    const settings = pod?.dns;
    const notes: string[] = [];
    if (pod && (type === 'A' || type === 'AAAA')) {
      const hosts = this.hostsEntry(namespace, name, pod);
      if (hosts) {
        const answer: DnsAnswer = { name: normalize(name), type, rcode: 'NOERROR', records: [{ name: normalize(name), type, value: hosts.ip }], answeredBy: { kind: 'HostAlias', key: `${namespace}/${pod.name}` } };
        return { name, type, searchList: [], ndots: this.ndots, queries: [answer], answer, notes: [`${name} is in the pod's /etc/hosts (${hosts.why}); DNS is not asked`] };
      }
    }
    const conf = this.resolvConf(namespace, settings);
    if (conf.notClusterDns) {
      const answer: DnsAnswer = { name: normalize(name), type, rcode: 'FORWARDED', records: [] };
      return { name, type, searchList: conf.searchList, ndots: conf.ndots, queries: [answer], answer, notClusterDns: conf.notClusterDns };
    }
    if (settings && (settings.searches.length > 0 || conf.ndots !== this.ndots)) notes.push(`the pod's dnsConfig sets ${[settings.searches.length > 0 ? `search ${settings.searches.join(' ')}` : '', conf.ndots !== this.ndots ? `ndots:${conf.ndots}` : ''].filter(Boolean).join(' and ')}`);
    const candidates = this.candidates(name, conf.searchList, conf.ndots);
    const queries: DnsAnswer[] = [];
    for (const candidate of candidates) {
      const answer = this.query(candidate, type);
      queries.push(answer);
      if (answer.rcode === 'NOERROR' || answer.rcode === 'FORWARDED') break;
    }
    return { name, type, searchList: conf.searchList, ndots: conf.ndots, queries, answer: queries[queries.length - 1], ...(notes.length > 0 ? { notes } : {}) };
  }

  /** The names a resolver tries for `name`, in order. */
  candidates(name: string, searchList: readonly string[], ndots = this.ndots): string[] {
    if (name.endsWith('.')) return [normalize(name)];
    const dots = name.split('.').length - 1;
    const searched = searchList.map((s) => `${normalize(name)}.${s}`);
    return dots >= ndots ? [normalize(name), ...searched] : [...searched, normalize(name)];
  }

  /**
   * The resolv.conf kubelet writes (GetPodDNS + appendDNSConfig): nameservers, search list
   * (duplicates dropped, at most 32 as kubelet trims) and ndots; `notClusterDns` when queries go
   * to a resolver other than cluster DNS. The node's own resolv.conf is not known to the model:
   * it is taken to have no search domains.
   */
  private resolvConf(namespace: string, settings: PodDnsSettings | undefined): { searchList: string[]; ndots: number; notClusterDns?: string } {
    if (!settings) return { searchList: this.searchList(namespace), ndots: this.ndots };
    const cluster = this.clusterDnsAddress() ?? 'cluster DNS';
    const hostResolver = settings.dnsPolicy === 'Default' || (settings.dnsPolicy === 'ClusterFirst' && settings.hostNetwork);
    let nameservers: string[] = [];
    let searches: string[] = [];
    let options = new Map<string, string | undefined>();
    if (settings.dnsPolicy === 'ClusterFirstWithHostNet' || (settings.dnsPolicy === 'ClusterFirst' && !settings.hostNetwork)) {
      nameservers = [cluster];
      searches = this.searchList(namespace);
      options = new Map([['ndots', '5']]);
    }
    nameservers = unique([...nameservers, ...settings.nameservers]);
    searches = unique([...searches, ...settings.searches]).slice(0, 32);
    for (const o of settings.options) options.set(o.name, o.value);
    const ndotsText = options.get('ndots');
    const ndots = ndotsText !== undefined && /^\d+$/.test(ndotsText) ? Math.min(Number(ndotsText), 15) : hostResolver || settings.dnsPolicy === 'None' ? 1 : this.ndots;
    if (hostResolver && settings.nameservers.length === 0) {
      const why = settings.dnsPolicy === 'Default' ? 'dnsPolicy Default' : 'hostNetwork with dnsPolicy ClusterFirst (kubelet falls back to Default; ClusterFirstWithHostNet would use cluster DNS)';
      return { searchList: searches, ndots, notClusterDns: `the pod resolves through its node's resolver (${why}), not cluster DNS; not simulated` };
    }
    const first = nameservers[0];
    if (first === undefined) return { searchList: searches, ndots, notClusterDns: 'the pod has dnsPolicy None and no dnsConfig nameservers (the API server rejects that); nothing resolves' };
    if (first !== cluster) {
      return { searchList: searches, ndots, notClusterDns: `the pod's first nameserver is ${first} (${settings.dnsPolicy === 'None' ? 'dnsPolicy None' : 'dnsConfig'}), not cluster DNS${cluster === 'cluster DNS' ? '' : ` (${cluster})`}; what it answers is not simulated` };
    }
    return { searchList: searches, ndots };
  }

  /** The /etc/hosts line kubelet writes that answers `name` for this pod, if any. */
  private hostsEntry(namespace: string, name: string, pod: Pick<PodInfo, 'name' | 'ip' | 'hostname' | 'subdomain' | 'dns'>): { ip: string; why: string } | undefined {
    const wanted = normalize(name);
    for (const alias of pod.dns?.hostAliases ?? []) {
      if (alias.hostnames.some((h) => normalize(h) === wanted)) return { ip: alias.ip, why: `hostAliases ${alias.ip}` };
    }
    // kubelet's managed hosts file also names the pod itself (pkg/kubelet/kubelet_pods.go managedHostsFileContent).
    const hostname = pod.hostname ?? pod.name;
    const own = [hostname, ...(pod.subdomain ? [`${hostname}.${pod.subdomain}.${namespace}.svc.${this.domain}`] : [])];
    if (!pod.dns?.hostNetwork && pod.ip && own.some((h) => normalize(h) === wanted)) return { ip: pod.ip, why: 'its own hostname' };
    return undefined;
  }

  /** Answer one fully qualified query as CoreDNS would. */
  query(fqdn: string, type: DnsQueryType): DnsAnswer {
    return this.answer(fqdn, type, 0);
  }

  private answer(fqdn: string, type: DnsQueryType, depth: number): DnsAnswer {
    const name = normalize(fqdn);
    const base = { name, type };
    if (name !== this.domain && !name.endsWith(`.${this.domain}`)) return { ...base, rcode: 'FORWARDED', records: [] };
    const labels = name === this.domain ? [] : name.slice(0, -(this.domain.length + 1)).split('.');
    if (labels.length === 0) return { ...base, rcode: 'NODATA', records: [] };
    const req = parseRequest(labels);
    if (!req) return { ...base, rcode: 'NXDOMAIN', records: [] };
    if (!this.state.namespaces.has(req.namespace)) return { ...base, rcode: 'NXDOMAIN', records: [] };
    // An empty service/pod label with an existing namespace is an empty non-terminal: NODATA.
    if (req.service === '') return { ...base, rcode: 'NODATA', records: [] };
    return req.kind === 'pod' ? this.podQuery(name, type, req) : this.serviceQuery(name, type, req, depth);
  }

  private podQuery(name: string, type: DnsQueryType, req: Request): DnsAnswer {
    const base = { name, type };
    if (this.podMode === 'disabled' || req.endpoint || req.port) return { ...base, rcode: 'NXDOMAIN', records: [] };
    const dashes = req.service.split('-').length - 1;
    const ip = dashes === 3 && !req.service.includes('--') ? req.service.replace(/-/g, '.') : req.service.replace(/-/g, ':');
    if (!isIpAddress(ip)) return { ...base, rcode: 'NXDOMAIN', records: [] };
    let key: string | undefined;
    if (this.podMode === 'verified') {
      key = this.podsByIP().get(ip)?.find((k) => k.startsWith(`${req.namespace}/`));
      if (!key) return { ...base, rcode: 'NXDOMAIN', records: [] };
    }
    const records = addressRecords(name, [ip], type);
    return { ...base, rcode: records.length ? 'NOERROR' : 'NODATA', records, answeredBy: key ? { kind: 'Pod', key } : undefined };
  }

  private serviceQuery(name: string, type: DnsQueryType, req: Request, depth: number): DnsAnswer {
    const base = { name, type };
    const key = `${req.namespace}/${req.service}`;
    const svc = this.state.services.get(key);
    if (!svc) return { ...base, rcode: 'NXDOMAIN', records: [] };
    if (svc.type === 'ExternalName') {
      if (req.endpoint || req.port || req.protocol || !svc.externalName) return { ...base, rcode: 'NXDOMAIN', records: [] };
      // SRV on an ExternalName name: CoreDNS v1.15.0 answers NOERROR without records (seen by test/dataplane).
      if (type === 'SRV') return { ...base, rcode: 'NODATA', records: [], answeredBy: { kind: 'Service', key } };
      return this.cname(name, type, svc, key, depth);
    }
    const svcFqdn = `${svc.name}.${svc.namespace}.svc.${this.domain}`;
    if (svc.headless || req.endpoint) {
      const items: { ip: string; port: number; host: string; ep: EndpointInfo }[] = [];
      for (const slice of this.state.endpointSlices.get(key) ?? []) {
        for (const ep of slice.endpoints) {
          // CoreDNS publishes ready endpoints only; the controller marks all ready under publishNotReadyAddresses.
          if (!ep.conditions.ready && !svc.publishNotReadyAddresses) continue;
          const ip = ep.addresses[0];
          if (ip === undefined) continue;
          const host = endpointHostname(ep, ip);
          if (req.endpoint && req.endpoint !== host.toLowerCase()) continue;
          // A slice without ports gets a sentinel port -1 with no name (object/endpoint.go
          // EndpointSliceToEndpoints): its addresses answer A queries, never SRV.
          for (const p of slice.ports.length > 0 ? slice.ports : [PORTLESS]) {
            if (!portMatches(req, p.name, p.protocol)) continue;
            items.push({ ip, port: p.port, host, ep });
          }
        }
      }
      if (items.length === 0) return { ...base, rcode: 'NXDOMAIN', records: [] };
      items.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
      const records: DnsRecord[] =
        type === 'SRV'
          ? uniqueSrv(items.filter((it) => it.port !== PORTLESS.port).map((it) => srv(name, `${it.host}.${svcFqdn}`, it.port, items.length)))
          : addressRecords(name, unique(items.map((it) => it.ip)), type);
      const answeredBy = req.endpoint && items[0].ep.targetRef ? { kind: 'Endpoint' as const, key: `${items[0].ep.targetRef.namespace ?? svc.namespace}/${items[0].ep.targetRef.name}` } : { kind: 'Service' as const, key };
      return { ...base, rcode: records.length ? 'NOERROR' : 'NODATA', records, answeredBy };
    }
    const ports = svc.ports.filter((p) => portMatches(req, p.name, p.protocol));
    if (ports.length === 0) return { ...base, rcode: 'NXDOMAIN', records: [] };
    const records: DnsRecord[] =
      type === 'SRV'
        ? uniqueSrv(ports.map((p) => srv(name, svcFqdn, p.port, ports.length)))
        : addressRecords(name, [...svc.clusterIPs], type);
    return { ...base, rcode: records.length ? 'NOERROR' : 'NODATA', records, answeredBy: { kind: 'Service', key } };
  }

  /** ExternalName: a CNAME, followed inside the cluster domain (CoreDNS resolves in-zone targets itself). */
  private cname(name: string, type: DnsQueryType, svc: ServiceInfo, key: string, depth: number): DnsAnswer {
    const target = normalize(svc.externalName ?? '');
    const records: DnsRecord[] = [{ name, type: 'CNAME', value: target }];
    // Follow in-zone targets, with a bound on CNAME chains (loops end there).
    if (depth < MAX_CNAME_DEPTH && !isOutsideDomain(target, this.domain)) records.push(...this.answer(target, type, depth + 1).records);
    return { name, type, rcode: 'NOERROR', records, answeredBy: { kind: 'Service', key } };
  }

  private podsByIP(): Map<string, string[]> {
    if (!this.podIPs) {
      this.podIPs = new Map();
      for (const [k, pod] of this.state.pods) {
        for (const ip of podIPs(pod)) {
          const list = this.podIPs.get(ip);
          if (list) list.push(k);
          else this.podIPs.set(ip, [k]);
        }
      }
    }
    return this.podIPs;
  }
}

/** True when `name` lies outside the cluster domain (answered by upstream resolvers). */
export function isOutsideDomain(name: string, domain: string): boolean {
  const n = normalize(name);
  const d = normalize(domain);
  return n !== d && !n.endsWith(`.${d}`);
}

/** Lowercase, no trailing dot. DNS names are case-insensitive. */
function normalize(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/**
 * Split the labels left of the zone into a request (`parseRequest` in coredns parse.go):
 * `svc.ns.svc`, `endpoint.svc.ns.svc`, `_port._proto.svc.ns.svc`, `pod.ns.pod`.
 */
function parseRequest(labels: readonly string[]): Request | undefined {
  const n = labels.length;
  const kind = labels[n - 1];
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  if (n === 1) return undefined;
  const namespace = labels[n - 2];
  const service = n >= 3 ? labels[n - 3] : '';
  if (n <= 3) return { kind, namespace, service };
  if (n === 4) return { kind, namespace, service, endpoint: labels[0] };
  if (n === 5 && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    return { kind, namespace, service, port: labels[0].slice(1), protocol: labels[1].slice(1) };
  }
  return undefined;
}

function portMatches(req: Request, name: string, protocol: string): boolean {
  return (!req.port || req.port === name.toLowerCase()) && (!req.protocol || req.protocol === protocol.toLowerCase());
}

/** `endpointHostname` in coredns: the endpoint hostname, else the IP with `.`/`:` turned into `-`. */
function endpointHostname(ep: EndpointInfo, ip: string): string {
  return ep.hostname ? ep.hostname : ip.replace(/[.:]/g, '-');
}

function addressRecords(name: string, ips: readonly string[], type: DnsQueryType): DnsRecord[] {
  const want = type === 'AAAA' ? 'AAAA' : 'A';
  return ips.filter((ip) => (ip.includes(':') ? 'AAAA' : 'A') === want).map((ip) => ({ name, type: want, value: ip }));
}

/** SRV weight as plugin/backend_lookup.go computes it: 100 split over every record of the priority (the skipped portless ones too), at least 1. */
function srv(name: string, target: string, port: number, count: number): DnsRecord {
  return { name, type: 'SRV', value: target, port, priority: 0, weight: Math.max(1, Math.floor(100 / count)) };
}

/** CoreDNS answers one SRV per target and port (the `dup` set in plugin/backend_lookup.go), e.g. TCP and UDP on port 53. */
function uniqueSrv(list: DnsRecord[]): DnsRecord[] {
  const seen = new Set<string>();
  return list.filter((r) => (seen.has(`${r.value}:${r.port}`) ? false : (seen.add(`${r.value}:${r.port}`), true)));
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

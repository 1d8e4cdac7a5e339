/**
 * Service defaulting and address allocation, as the API server does on create
 * (`pkg/apis/core/v1/defaults.go` SetDefaults_Service, `pkg/registry/core/service/storage`
 * alloc.go): defaults, then explicit ClusterIPs / NodePorts reserved, then dynamic ones allocated.
 * A Service whose explicit values the API server would refuse (conflict, out of range) is
 * reported and left out, as `kubectl apply` would fail for it.
 *
 * Order: the cluster first reserves the explicit values of all Services in creation order (the
 * order `netkit apply` sends them: file order), so of two asking for one address the first
 * created keeps it and the later one is rejected, as the API server's allocator does. Dynamic
 * allocation comes after every explicit reservation, so it never takes an address a manifest asks
 * for; the API server gets close to that by allocating dynamically from the upper part of the
 * range first (KEP-3070), though a full lower band can still collide.
 */
import { ManifestObject } from '../../manifest/objects';
import type { ServiceManifest } from '../../manifest/types';
import { Diagnostic, DiagnosticSink } from '../diagnostics';
import { IpFamily, parseIPv4Cidr as parseCIDR, parseIpBlock } from '../../k8s/ip';
import { familyOf as ipFamilyOf } from '../ipv4';
import { ClusterProfileInfo, ObjectRef, ServiceInfo, ServicePortInfo, SourceLocation, objectKey } from '../model';
import { clusterFamilies, initIPFamilyFields, invalidMessage, serviceCIDRFor } from '../ip-families';
import { ClusterIPAllocator, ClusterIPv6Allocator, ReserveResult } from './ipallocator';
import { LoadBalancerPool } from './loadbalancer';
import { PortAllocator } from './portallocator';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A Service with defaults applied, before allocation. */
interface Draft {
  readonly key: string;
  readonly ref: ObjectRef;
  readonly source?: SourceLocation;
  readonly spec: NonNullable<ServiceManifest['spec']>;
  info: Mutable<ServiceInfo>;
  ports: Mutable<ServicePortInfo>[];
  /** Whether the explicit reservation succeeded. */
  admitted: boolean;
  /** `spec.ipFamilies` as filled (`initIPFamilyFields`); the families that get a ClusterIP. */
  families: readonly IpFamily[];
  /** Requested ClusterIPs (normalized `spec.clusterIPs`), one per family index. */
  requested: readonly string[];
}

/** One service CIDR's allocator (IPv4 keeps its number fast path). */
type FamilyAllocator = Pick<ClusterIPAllocator, 'ownerOf' | 'reserve' | 'allocate' | 'release'>;

/** Applies defaults and allocates addresses for Services. */
export class ServiceAllocator {
  private readonly allocators = new Map<IpFamily, FamilyAllocator>();
  /** The cluster's families, primary first. */
  private readonly families: readonly IpFamily[];
  /** IPv4 single-stack: ServiceInfo carries no family fields (they are always `[IPv4]`). */
  private readonly v4Only: boolean;
  private readonly nodePorts: PortAllocator;
  private readonly lbPool?: LoadBalancerPool;

  constructor(profile: ClusterProfileInfo, private readonly diags: DiagnosticSink) {
    this.families = clusterFamilies(profile);
    this.v4Only = this.families.length === 1 && this.families[0] === 'IPv4';
    this.families.forEach((family, i) => {
      const text = serviceCIDRFor(profile, family) as string;
      if (family === 'IPv4') {
        const cidr = parseCIDR(text);
        if (cidr) this.allocators.set('IPv4', new ClusterIPAllocator(cidr, i === 0));
        else diags.add({ severity: 'error', code: 'profile-service-cidr', message: `service CIDR ${text} is not an IPv4 CIDR; no ClusterIPs are allocated` });
      } else {
        const block = parseIpBlock(text);
        if (block?.family === 'IPv6') this.allocators.set('IPv6', new ClusterIPv6Allocator(block, i === 0));
        else diags.add({ severity: 'error', code: 'profile-service-cidr', message: `service CIDR ${text} is not an IPv6 CIDR; no IPv6 ClusterIPs are allocated` });
      }
    });
    this.nodePorts = new PortAllocator(profile.nodePortRange.min, profile.nodePortRange.max);
    const lb = parseCIDR(profile.loadBalancerCIDR ?? '192.0.2.0/24');
    if (lb) this.lbPool = new LoadBalancerPool(lb);
  }

  /** Defaults + explicit reservations. Returns a draft to {@link complete}, or undefined when rejected. */
  public admit(obj: ManifestObject, svc: ServiceManifest, previous?: ServiceInfo): Draft | undefined {
    const draft = this.defaults(obj, svc);
    if (!draft) return undefined;
    return this.reserve(draft, previous) ? draft : undefined;
  }

  /** Allocate what was not explicit and return the finished Service. */
  public complete(d: Draft): ServiceInfo {
    const info = d.info;
    if (info.type !== 'ExternalName' && !info.headless) {
      // alloc.go allocClusterIPs: one address per family in `ipFamilies` order, explicit ones kept.
      const ips = [...info.clusterIPs];
      d.families.forEach((family, i) => {
        const alloc = this.allocators.get(family);
        if (ips[i] !== undefined || !alloc) return;
        const ip = alloc.allocate(d.key);
        if (ip) ips[i] = ip;
        else this.report(d, 'error', 'clusterip-exhausted', i === 0 ? 'spec.clusterIP' : `spec.clusterIPs[${i}]`, `the ${family} service CIDR has no free address`, 'use a larger service CIDR in the cluster profile');
      });
      info.clusterIPs = ips.filter((ip) => ip !== undefined);
    }
    const wantsNodePorts = info.type === 'NodePort' || (info.type === 'LoadBalancer' && d.spec.allocateLoadBalancerNodePorts !== false);
    if (wantsNodePorts) {
      d.ports.forEach((p, i) => {
        if (p.nodePort !== undefined) return;
        // Ports with the same number and different protocols share one nodePort upstream only when explicit; dynamic ones are distinct.
        const np = this.nodePorts.allocate(d.key, `${i}`);
        if (np === undefined) this.report(d, 'error', 'nodeport-exhausted', `spec.ports[${i}].nodePort`, 'the NodePort range has no free port', 'widen nodePortRange in the cluster profile');
        else p.nodePort = np;
      });
    }
    if (info.type === 'LoadBalancer' && info.externalTrafficPolicy === 'Local' && info.healthCheckNodePort === undefined) {
      info.healthCheckNodePort = this.nodePorts.allocate(d.key, 'healthCheck');
    }
    if (info.type === 'LoadBalancer' && this.lbPool) {
      const ip = this.lbPool.allocate(d.key, d.spec.loadBalancerIP);
      if (ip) info.loadBalancerIPs = [ip];
      else this.report(d, 'warning', 'loadbalancer-pending', 'spec.loadBalancerIP', 'no load-balancer IP could be assigned; the Service stays <pending>', 'free the requested IP or widen loadBalancerCIDR in the cluster profile');
    }
    info.ports = d.ports;
    return info as ServiceInfo;
  }

  /** Return a Service's addresses to the pools. */
  public release(s: ServiceInfo): void {
    const key = objectKey(s.namespace, s.name);
    for (const ip of s.clusterIPs) this.allocatorOf(ip)?.release(ip, key);
    for (const p of s.ports) if (p.nodePort !== undefined) this.nodePorts.release(p.nodePort, key);
    if (s.healthCheckNodePort !== undefined) this.nodePorts.release(s.healthCheckNodePort, key);
    this.lbPool?.release(key);
  }

  private defaults(obj: ManifestObject, svc: ServiceManifest): Draft | undefined {
    const namespace = obj.ref.namespace ?? 'default';
    const key = objectKey(namespace, obj.ref.name);
    const spec = svc.spec ?? {};
    const type = spec.type ?? 'ClusterIP';
    const headless = spec.clusterIP === 'None';
    const selector = spec.selector && Object.keys(spec.selector).length > 0 ? spec.selector : undefined;
    const ports: Mutable<ServicePortInfo>[] = (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      targetPort: p.targetPort === undefined || p.targetPort === 0 ? p.port : p.targetPort,
      ...(p.nodePort !== undefined && p.nodePort !== 0 ? { nodePort: p.nodePort } : {}),
      ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}),
    }));
    const external = type === 'NodePort' || type === 'LoadBalancer';
    // `ExternallyAccessible` (pkg/api/v1/service/util.go): externalIPs make a ClusterIP Service
    // external too, so its externalTrafficPolicy is defaulted (`SetDefaults_Service`) and obeyed by
    // kube-proxy (`ExternalPolicyLocal`) for traffic to those addresses.
    const externallyAccessible = external || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
    const info: Mutable<ServiceInfo> = {
      namespace,
      name: obj.ref.name,
      type,
      selector: type === 'ExternalName' ? undefined : selector,
      headless,
      clusterIPs: [],
      ports,
      externalName: spec.externalName,
      externalIPs: spec.externalIPs ?? [],
      loadBalancerIPs: [],
      loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
      sessionAffinity: spec.sessionAffinity ?? 'None',
      externalTrafficPolicy: externallyAccessible ? spec.externalTrafficPolicy ?? 'Cluster' : 'Cluster',
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      publishNotReadyAddresses: spec.publishNotReadyAddresses ?? false,
      source: obj.source,
    };
    if (info.sessionAffinity === 'ClientIP') info.sessionAffinityTimeoutSeconds = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
    if (spec.trafficDistribution !== undefined) info.trafficDistribution = spec.trafficDistribution;
    const d: Draft = { key, ref: obj.ref, source: obj.source, spec, info, ports, admitted: false, families: ['IPv4'], requested: [] };
    // apiserver validation (`pkg/apis/core/validation` ValidateService) for what changes routing.
    if (type === 'ExternalName' && !spec.externalName) {
      this.report(d, 'error', 'service-invalid', 'spec.externalName', 'type ExternalName requires spec.externalName', 'set spec.externalName to a DNS name');
      return undefined;
    }
    if (type !== 'ExternalName' && ports.length === 0 && !headless) {
      this.report(d, 'error', 'service-invalid', 'spec.ports', 'a non-headless Service needs at least one port', 'add spec.ports');
      return undefined;
    }
    if (headless && external) {
      this.report(d, 'error', 'service-invalid', 'spec.clusterIP', `clusterIP: None is not allowed for type ${type}`, 'use type ClusterIP for a headless Service');
      return undefined;
    }
    if (ports.length > 1) {
      const seen = new Set<string>();
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i];
        if (p.name === '') {
          this.report(d, 'error', 'service-invalid', `spec.ports[${i}].name`, 'port names are required when a Service has more than one port', 'name every port');
          return undefined;
        }
        const id = `${p.port}/${p.protocol}`;
        if (seen.has(id)) {
          this.report(d, 'error', 'service-invalid', `spec.ports[${i}]`, `duplicate port ${id}`, 'remove the duplicate port');
          return undefined;
        }
        seen.add(id);
      }
    }
    // alloc.go initIPFamilyFields: families and policy filled, or the request refused as the API
    // server refuses it (a family or dual-stack this cluster does not have).
    const raw = spec as { ipFamilies?: unknown; ipFamilyPolicy?: unknown };
    const fields = initIPFamilyFields({
      type,
      clusterIP: spec.clusterIP,
      clusterIPs: spec.clusterIPs,
      ipFamilies: Array.isArray(raw.ipFamilies) ? raw.ipFamilies.map(String) : undefined,
      ipFamilyPolicy: typeof raw.ipFamilyPolicy === 'string' ? raw.ipFamilyPolicy : undefined,
      hasSelector: selector !== undefined,
    }, this.families);
    if (Array.isArray(fields)) {
      // Codes: the cluster cannot serve it / the fields disagree / only what service-invalid (lib/k8s) already says.
      const code = fields.some((e) => e.body.includes('not configured')) ? 'service-ip-family-unavailable'
        : fields.every((e) => /^(Unsupported|Duplicate) value/.test(e.body) || e.body.includes('when multiple IP families')) ? 'service-ip-family-rejected' : 'service-ip-family-invalid';
      this.diags.add({
        severity: 'error', code, message: invalidMessage('Service', obj.ref.name, fields), object: obj.ref, source: obj.source,
        path: fields[0].path,
        hint: code === 'service-ip-family-unavailable' ? `this cluster has ${this.families.join(' + ')}: ask for a family it has (PreferDualStack works on any), or set ipFamilies in the cluster profile`
          : 'make them agree: clusterIPs[0] equal to clusterIP, at most one address per family, in ipFamilies order; SingleStack with one family',
      });
      return undefined;
    }
    if (fields) {
      d.families = fields.ipFamilies;
      d.requested = headless ? [] : fields.clusterIPs;
      if (!this.v4Only) {
        info.ipFamilies = fields.ipFamilies;
        info.ipFamilyPolicy = fields.ipFamilyPolicy;
      }
    }
    if (!externallyAccessible && spec.externalTrafficPolicy === 'Local') {
      this.report(d, 'warning', 'service-etp-ignored', 'spec.externalTrafficPolicy', 'externalTrafficPolicy only applies to NodePort and LoadBalancer Services and to Services with externalIPs', 'remove it, change the type or add externalIPs');
    }
    return d;
  }

  private reserve(d: Draft, previous: ServiceInfo | undefined): boolean {
    const info = d.info;
    const done: Array<() => void> = [];
    const fail = (): boolean => {
      for (const undo of done) undo();
      return false;
    };
    if (info.type !== 'ExternalName' && !info.headless) {
      const ips: string[] = [];
      for (let i = 0; i < d.families.length; i++) {
        const family = d.families[i];
        const requested = d.requested[i] || previous?.clusterIPs[i];
        const alloc = this.allocators.get(family);
        if (!requested || !alloc) break;
        // A malformed address has no family: the family's allocator says "invalid".
        const r: ReserveResult = ipFamilyOf(requested) !== undefined && ipFamilyOf(requested) !== family ? 'invalid' : alloc.reserve(requested, d.key);
        if (r !== 'ok') {
          const name = i === 0 ? 'clusterIP' : `clusterIPs[${i}]`;
          const msg = r === 'conflict' ? `${name} ${requested} is already allocated to ${alloc.ownerOf(requested)}`
            : r === 'out-of-range' ? `${name} ${requested} is not in the service CIDR (or is its network, broadcast or kubernetes address)`
              : `${name} ${requested} is not a valid ${family} address`;
          this.report(d, 'error', r === 'conflict' ? 'clusterip-conflict' : 'clusterip-invalid', `spec.${name}`, msg, `remove spec.${name} to get one allocated, or pick a free address in the service CIDR`);
          return fail();
        }
        done.push(() => alloc.release(requested, d.key));
        ips.push(requested);
      }
      if (ips.length > 0) info.clusterIPs = ips;
    }
    const external = info.type === 'NodePort' || info.type === 'LoadBalancer';
    for (let i = 0; i < d.ports.length; i++) {
      const p = d.ports[i];
      if (!external) {
        if (p.nodePort !== undefined) delete p.nodePort;
        continue;
      }
      const prev = previous?.ports.find((q) => q.name === p.name && q.protocol === p.protocol)?.nodePort;
      const requested = p.nodePort ?? prev;
      if (requested === undefined) continue;
      const r = this.nodePorts.reserve(requested, d.key);
      if (r !== 'ok') {
        const msg = r === 'conflict' ? `nodePort ${requested} is already allocated to ${this.nodePorts.ownerOf(requested)}` : `nodePort ${requested} is outside the NodePort range`;
        this.report(d, 'error', r === 'conflict' ? 'nodeport-conflict' : 'nodeport-out-of-range', `spec.ports[${i}].nodePort`, msg, 'remove nodePort to get one allocated, or pick a free port in the range');
        return fail();
      }
      const port = requested;
      done.push(() => this.nodePorts.release(port, d.key));
      p.nodePort = requested;
    }
    if (info.type === 'LoadBalancer' && info.externalTrafficPolicy === 'Local') {
      const requested = d.spec.healthCheckNodePort ?? previous?.healthCheckNodePort;
      if (requested !== undefined) {
        const r = this.nodePorts.reserve(requested, d.key);
        if (r !== 'ok') {
          this.report(d, 'error', r === 'conflict' ? 'nodeport-conflict' : 'nodeport-out-of-range', 'spec.healthCheckNodePort', `healthCheckNodePort ${requested} is ${r === 'conflict' ? `already allocated to ${this.nodePorts.ownerOf(requested)}` : 'outside the NodePort range'}`, 'remove it to get one allocated');
          return fail();
        }
        info.healthCheckNodePort = requested;
      }
    }
    d.admitted = true;
    return true;
  }

  private allocatorOf(ip: string): FamilyAllocator | undefined {
    const family = ipFamilyOf(ip);
    return family ? this.allocators.get(family) : undefined;
  }

  private report(d: Draft, severity: Diagnostic['severity'], code: string, path: string, message: string, hint: string): void {
    this.diags.add({ severity, code, message: `Service ${d.key}: ${message}`, object: d.ref, source: d.source, path, hint });
  }
}

export type { Draft as ServiceDraft };

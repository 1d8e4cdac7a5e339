/**
 * IP families of the simulated cluster (IPv4, IPv6, dual-stack) and of its Services.
 *
 * - The cluster's families come from the profile (`ipFamilies`, default `[IPv4]`); the first is
 *   the primary family: the family of `status.podIP`, of the `kubernetes` Service and of a
 *   Service that names none (kube-apiserver's first `--service-cluster-ip-range`).
 * - {@link initIPFamilyFields} fills a Service's `ipFamilyPolicy` / `ipFamilies` and checks the
 *   request against the families the cluster has, as the API server does on create
 *   (`pkg/registry/core/service/storage/alloc.go` initIPFamilyFields, with the loose
 *   pre-validation `pkg/apis/core/validation` ValidateServiceClusterIPsRelatedFields and the
 *   create-time `normalizeClusterIPs` of `storage.go`). Errors carry the API server's field path
 *   and message.
 */
import { IpFamily, parseIpBlock } from '../k8s/ip';
import { familyOf as ipFamilyOf } from './ipv4';
import type { Diagnostic } from './diagnostics';
import type { ClusterProfileInfo, NodeInfo, PodInfo, ServiceInfo } from './model';

/** Wire values of `Service.spec.ipFamilyPolicy`. */
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** The default IPv6 service range (kind's default service subnet). */
export const DEFAULT_SERVICE_CIDR_V6 = 'fd00:10:96::/112';

/** The cluster's IP families, primary first (`[IPv4]` unless the profile says otherwise). */
export function clusterFamilies(profile: ClusterProfileInfo): readonly IpFamily[] {
  return profile.ipFamilies && profile.ipFamilies.length > 0 ? profile.ipFamilies : ['IPv4'];
}

/** The service CIDR of one family, when the cluster has that family. */
export function serviceCIDRFor(profile: ClusterProfileInfo, family: IpFamily): string | undefined {
  if (!clusterFamilies(profile).includes(family)) return undefined;
  return family === 'IPv4' ? profile.serviceCIDR : profile.serviceCIDRv6 ?? DEFAULT_SERVICE_CIDR_V6;
}

/** A node's pod CIDRs in the cluster's family order (`spec.podCIDRs`). */
export function nodePodCIDRs(node: NodeInfo, families: readonly IpFamily[]): string[] {
  const out: string[] = [];
  for (const f of families) {
    const c = f === 'IPv4' ? node.podCIDR : node.podCIDRv6;
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** The synthetic IPv6 pod CIDR of generated node `n`: `fd00:10:244:<n in hex>::/64` (kind's pod subnet, one /64 per node). */
export function syntheticPodCIDRv6(n: number): string {
  return `fd00:10:244:${n.toString(16)}::/64`;
}

/** All of a pod's IPs (`status.podIPs`), primary first. */
export function podIPs(pod: PodInfo): readonly string[] {
  return pod.ips ?? (pod.ip ? [pod.ip] : []);
}

/** The pod's IP of `family`, if it has one. */
export function podIPOf(pod: PodInfo, family: IpFamily): string | undefined {
  if (pod.ips === undefined) return pod.ip && ipFamilyOf(pod.ip) === family ? pod.ip : undefined;
  for (const ip of pod.ips) if (ipFamilyOf(ip) === family) return ip;
  return undefined;
}

/** True when `value` is a CIDR of `family`. */
export function isCidrOf(value: string, family: IpFamily): boolean {
  return parseIpBlock(value)?.family === family;
}

/** The Service fields `initIPFamilyFields` reads (`spec`, after defaulting). */
export interface FamilyRequest {
  readonly type: string;
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  /** Has a non-empty selector. */
  readonly hasSelector: boolean;
}

/** The filled fields. `clusterIPs` are the requested ones (normalized), `None` for headless. */
export interface FamilyFields {
  readonly ipFamilyPolicy: IpFamilyPolicy;
  readonly ipFamilies: readonly IpFamily[];
  readonly clusterIPs: readonly string[];
}

/** One field error as the API server words it (`field.Error`: path and body). */
export interface FamilyError {
  readonly path: string;
  /** `Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services`. */
  readonly body: string;
}

const FAMILIES = ['IPv4', 'IPv6'];
const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/** `field.Error.ErrorBody`: strings quoted, other values as JSON. */
function invalid(path: string, value: unknown, detail: string): FamilyError {
  return { path, body: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/**
 * `initIPFamilyFields` on create: `ExternalName` gets nothing (undefined); otherwise the filled
 * fields, or the errors the API server would answer with (the Service is then not created).
 * `configured` is the cluster's families, primary first (one allocator per family).
 */
export function initIPFamilyFields(req: FamilyRequest, configured: readonly IpFamily[]): FamilyFields | FamilyError[] | undefined {
  if (req.type === 'ExternalName') return undefined;
  // storage.go normalizeClusterIPs (create): an old client's singular clusterIP seeds the plural.
  const clusterIP = req.clusterIP ?? '';
  let clusterIPs = req.clusterIPs ? [...req.clusterIPs] : [];
  if (clusterIP !== '' && clusterIPs.length === 0) clusterIPs = [clusterIP];
  const headless = clusterIP === 'None';
  const families: string[] = req.ipFamilies ? [...req.ipFamilies] : [];
  let policy = req.ipFamilyPolicy;
  if (policy === undefined) policy = headless && !req.hasSelector ? 'RequireDualStack' : 'SingleStack';

  const pre = clusterIPsRelatedErrors(clusterIP, clusterIPs, families, policy);
  if (pre.length > 0) return pre;

  const errors: FamilyError[] = [];
  if (policy === 'SingleStack') {
    if (clusterIPs.length === 2) errors.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (families.length === 2) errors.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  // Families inferred from the requested addresses.
  for (let i = 0; i < clusterIPs.length; i++) {
    const ip = clusterIPs[i];
    if (ip === 'None') break;
    const fam = ipFamilyOf(ip);
    if (fam === undefined) break;
    if (i >= families.length) {
      if (!configured.includes(fam)) errors.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${fam} is not configured on this cluster`));
      else families.push(fam);
    }
  }
  if (errors.length > 0) return errors;

  // Headless without selector: allowed on any cluster, with both families unless SingleStack.
  if (headless && !req.hasSelector) {
    if (families.length === 0) families.push(configured[0]);
    if (families.length < 2 && policy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return { ipFamilyPolicy: policy as IpFamilyPolicy, ipFamilies: families as IpFamily[], clusterIPs };
  }

  if (policy === 'RequireDualStack' && configured.length < 2) {
    errors.push(invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((f, i) => {
    if (!configured.includes(f as IpFamily)) errors.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errors.length > 0) return errors;
  if (families.length === 0) families.push(configured[0]);
  if (policy !== 'SingleStack' && families.length === 1 && configured.length === 2) families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  return { ipFamilyPolicy: policy as IpFamilyPolicy, ipFamilies: families as IpFamily[], clusterIPs };
}

/** `ValidateServiceClusterIPsRelatedFields` (create): the checks that run before the family logic. */
function clusterIPsRelatedErrors(clusterIP: string, clusterIPs: readonly string[], families: readonly string[], policy: string): FamilyError[] {
  const errors: FamilyError[] = [];
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errors.push({ path: 'spec.clusterIPs', body: 'Required value' });
    else if (clusterIPs[0] !== clusterIP) errors.push(invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errors.push(invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!FAMILIES.includes(f)) errors.push({ path: `spec.ipFamilies[${i}]`, body: `Unsupported value: ${JSON.stringify(f)}: supported values: "IPv4", "IPv6"` });
    if (seen.has(f)) errors.push({ path: `spec.ipFamilies[${i}]`, body: `Duplicate value: ${JSON.stringify(f)}` });
    seen.add(f);
  });
  if (!POLICIES.includes(policy)) errors.push({ path: 'spec.ipFamilyPolicy', body: `Unsupported value: ${JSON.stringify(policy)}: supported values: "PreferDualStack", "RequireDualStack", "SingleStack"` });
  let badIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) { badIPs = true; errors.push(invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value")); }
      return;
    }
    // A malformed address stops the family checks here, as upstream; the allocator reports it
    // (`clusterip-invalid`), as it did before families were modelled.
    if (ipFamilyOf(ip) === undefined) badIPs = true;
  });
  if (clusterIPs.length > 2) errors.push(invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  if (badIPs) return errors;
  if (clusterIPs.length > 1 && ipFamilyOf(clusterIPs[0]) === ipFamilyOf(clusterIPs[1])) {
    errors.push(invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  if (clusterIP !== 'None' && clusterIPs.length > 0 && families.length > 0) {
    for (let i = 0; i < clusterIPs.length && i < families.length; i++) {
      const fam = ipFamilyOf(clusterIPs[i]);
      if (families[i] === 'IPv4' && fam === 'IPv6') errors.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && fam !== 'IPv6') errors.push(invalid(`spec.clusterIPs[${i}]`, clusterIPs[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    }
  }
  return errors;
}

/** The API server's answer for rejected fields: `Service "web" is invalid: <path>: <body>` (several in brackets). */
export function invalidMessage(kind: string, name: string, errors: readonly FamilyError[]): string {
  const parts = errors.map((e) => `${e.path}: ${e.body}`);
  return `${kind} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
}

/**
 * The Service's families as the EndpointSlice controller reads them (`getAddressTypesForService`:
 * `spec.ipFamilies`, else the families of its ClusterIPs, else IPv4).
 */
export function serviceFamilies(svc: ServiceInfo): readonly IpFamily[] {
  if (svc.ipFamilies && svc.ipFamilies.length > 0) return svc.ipFamilies;
  // Asked on every sync of the Service: parse its ClusterIPs once (a ServiceInfo is replaced, never changed).
  const hit = familiesOfService.get(svc);
  if (hit) return hit;
  const fams: IpFamily[] = [];
  for (const ip of svc.clusterIPs) {
    const f = ipFamilyOf(ip);
    if (f && !fams.includes(f)) fams.push(f);
  }
  const out: readonly IpFamily[] = fams.length > 0 ? fams : IPV4_ONLY;
  familiesOfService.set(svc, out);
  return out;
}

const familiesOfService = new WeakMap<ServiceInfo, readonly IpFamily[]>();
const IPV4_ONLY: readonly IpFamily[] = Object.freeze(['IPv4']);

/**
 * Pods seen through one family: `ip` is the pod's address of `family` (empty when it has none,
 * so the endpoint controllers skip it, as upstream skips a pod without an IP of the slice's
 * address type). Pods already of that family come back as they are.
 */
export function podsOfFamily(pods: readonly PodInfo[], family: IpFamily): PodInfo[] {
  return pods.map((p) => {
    if (p.ips === undefined && (!p.ip || ipFamilyOf(p.ip) === family)) return p;
    const ip = podIPOf(p, family) ?? '';
    return ip === p.ip ? p : { ...p, ip };
  });
}

/**
 * The address queries a client resolver makes, in the cluster's family order: `A` then `AAAA`
 * on a dual-stack IPv4-primary cluster, `AAAA` alone on IPv6 single-stack, `A` alone on IPv4.
 */
export function addressQueryTypes(profile: ClusterProfileInfo): ['A' | 'AAAA', ('A' | 'AAAA')?] {
  const types = clusterFamilies(profile).map((f) => (f === 'IPv4' ? 'A' : 'AAAA') as 'A' | 'AAAA');
  return [types[0], types[1]];
}

/**
 * What an IPv6 or dual-stack profile leaves out: nodes have IPv4 addresses only in the model, so
 * NodePorts (and the LoadBalancer node ports behind them) are answered at IPv4 node addresses and
 * hostNetwork pods get an IPv4 address, where on the cluster kube-proxy also listens on the nodes'
 * IPv6 addresses and a hostNetwork pod has the node's IPs of both families. One note per Service
 * and per hostNetwork pod, so an answer that depends on it is never given silently.
 */
export function nodeAddressFamilyNotes(profile: ClusterProfileInfo, services: Iterable<ServiceInfo>, pods: Iterable<PodInfo>): Diagnostic[] {
  const families = clusterFamilies(profile);
  if (!families.includes('IPv6')) return [];
  const cluster = families.length > 1 ? 'dual-stack' : 'IPv6';
  const out: Diagnostic[] = [];
  for (const s of services) {
    if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') continue;
    out.push({
      severity: 'info', code: 'node-ipv6-not-modelled', object: { kind: 'Service', namespace: s.namespace, name: s.name }, ...(s.source ? { source: s.source } : {}),
      message: `Service ${s.namespace}/${s.name}: its node ports are simulated on the nodes' IPv4 addresses only; on this ${cluster} cluster kube-proxy also serves them on the nodes' IPv6 addresses, which the model does not give nodes`,
    });
  }
  for (const p of pods) {
    if (!p.hostNetwork) continue;
    out.push({
      severity: 'info', code: 'node-ipv6-not-modelled', object: { kind: 'Pod', namespace: p.namespace, name: p.name },
      message: `Pod ${p.namespace}/${p.name}: uses the host network, so its address is its node's; the model gives nodes IPv4 addresses only, while on this ${cluster} cluster the pod also has the node's IPv6 address`,
    });
  }
  return out;
}

/**
 * The cluster profile: nodes, zones and cluster-wide settings of the simulation.
 *
 * Address scheme of generated nodes (1-based index N, at most {@link MAX_SYNTHETIC_NODES}):
 * - pod CIDR `10.(2 + floor(N / 256)).(N % 256).0/24`, so nodes 1..255 get `10.2.N.0/24` and
 *   node 256 continues at `10.3.0.0/24`; this stays below the default service CIDR 10.96.0.0/12;
 * - InternalIP `10.1.floor(N / 256).(N % 256)`, so nodes 1..255 get `10.1.0.N`;
 * - with IPv6 in `ipFamilies`, an IPv6 pod CIDR `fd00:10:244:<N in hex>::/64` too.
 */
import type * as Yaml from 'yaml';
import { z } from 'zod';
import { ManifestError, formatPath } from '../manifest/errors';
import { type IpFamily, formatIPv4, parseIPv4, parseIPv4Cidr as parseCIDR, parseIpBlock } from '../k8s/ip';
import { isCidrOf, syntheticPodCIDRv6 } from './ip-families';
import { readInputText } from '../manifest/load';
import { type FieldLocator, ObjectLocator, YamlDocumentPositions } from '../manifest/locate';
import { MAX_NESTING_DEPTH, nestingTooDeep } from '../manifest/parse';
import { ApiServerInfo, ClusterProfileInfo, NodeInfo } from './model';
import { asNumber, dig } from '../core/json';
import type { ManifestObject } from '../manifest/objects';
import { podTemplateOf } from '../manifest/pod-template';

/** Generated node indexes stay below the 10.96.0.0/12 service CIDR (pod CIDRs 10.2-10.95). */
export const MAX_SYNTHETIC_NODES = 94 * 256 - 1;

/** Default zones `zone-a`, `zone-b`, ... */
export function zoneNames(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(i < 26 ? `zone-${String.fromCharCode(97 + i)}` : `zone-${i + 1}`);
  }
  return out;
}

/** The generated node number `n` (1-based) in `zone`. */
export function syntheticNode(n: number, zone: string): NodeInfo {
  const name = `node-${n}`;
  return {
    name,
    zone,
    podCIDR: `${formatIPv4(((10 * 256 + 2 + Math.floor(n / 256)) * 256 + (n % 256)) * 256)}/24`,
    internalIP: formatIPv4(((10 * 256 + 1) * 256 + Math.floor(n / 256)) * 256 + (n % 256)),
    ready: true,
    labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, 'kubernetes.io/os': 'linux' },
  };
}

/** Options of {@link syntheticProfile}; every field has the documented default. */
export interface SyntheticProfileOptions {
  /** @default 3 */
  readonly nodes?: number;
  /** A count (`zone-a`, `zone-b`, ...) or names. @default 3 */
  readonly zones?: number | string[];
  /** @default '10.96.0.0/12' */
  readonly serviceCIDR?: string;
  /** @default { min: 30000, max: 32767 } */
  readonly nodePortRange?: { readonly min: number; readonly max: number };
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** @default 100 */
  readonly maxEndpointsPerSlice?: number;
  /** @default '192.0.2.0/24' */
  readonly loadBalancerCIDR?: string;
  /** Pods per node (kubelet `maxPods`). @default 110 */
  readonly maxPods?: number;
  /**
   * The cluster's IP families, primary first: `[IPv4]`, `[IPv6]`, `[IPv4, IPv6]` or
   * `[IPv6, IPv4]` (kube-apiserver `--service-cluster-ip-range` order). @default ['IPv4']
   */
  readonly ipFamilies?: IpFamily[];
  /** The IPv6 service CIDR (prefix /64 or longer). @default 'fd00:10:96::/112' */
  readonly serviceCIDRv6?: string;
  /** The API server behind `default/kubernetes` (address, secure port, whether it writes endpoints). @default - first node's InternalIP, 6443 */
  readonly apiServer?: ApiServerInfo;
}

/** Kubelet's default `maxPods` (pkg/kubelet/apis/config/v1beta1/defaults.go). */
export const DEFAULT_MAX_PODS = 110;

/** Nodes `node-1..N` round-robin over the zones, with the address scheme above. */
export function syntheticProfile(opts: SyntheticProfileOptions = {}): ClusterProfileInfo {
  const count = Math.max(0, Math.min(opts.nodes ?? 3, MAX_SYNTHETIC_NODES));
  const zones = typeof opts.zones === 'object' ? [...opts.zones] : zoneNames(opts.zones ?? 3);
  const nodes: NodeInfo[] = [];
  const v6 = opts.ipFamilies?.includes('IPv6') ?? false;
  for (let n = 1; n <= count; n++) {
    const node = syntheticNode(n, zones[(n - 1) % zones.length]);
    nodes.push(v6 ? { ...node, podCIDRv6: syntheticPodCIDRv6(n) } : node);
  }
  return {
    nodes,
    // IPv4 single-stack profiles stay exactly as they were: the family fields only when asked for.
    ...(opts.ipFamilies ? { ipFamilies: [...opts.ipFamilies] } : {}),
    ...(v6 ? { serviceCIDRv6: opts.serviceCIDRv6 ?? 'fd00:10:96::/112' } : {}),
    serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/12',
    nodePortRange: opts.nodePortRange ?? { min: 30000, max: 32767 },
    clusterDomain: opts.clusterDomain ?? 'cluster.local',
    maxEndpointsPerSlice: opts.maxEndpointsPerSlice ?? 100,
    loadBalancerCIDR: opts.loadBalancerCIDR ?? '192.0.2.0/24',
    maxPods: opts.maxPods ?? DEFAULT_MAX_PODS,
    ...(opts.apiServer ? { apiServer: opts.apiServer } : {}),
  };
}

/** The default profile: 3 ready worker nodes in zones a..c. */
export function defaultProfile(): ClusterProfileInfo {
  return syntheticProfile();
}

const cidr = z.string().refine((s) => parseCIDR(s) !== undefined, { message: 'not an IPv4 CIDR such as 10.96.0.0/12' });
const cidr6 = z.string().refine((s) => isCidrOf(s, 'IPv6'), { message: 'not an IPv6 CIDR such as fd00:10:96::/112' });
// The four layouts kube-apiserver accepts for --service-cluster-ip-range (one range, or one of each family).
const ipFamilies = z.array(z.enum(['IPv4', 'IPv6'])).min(1).max(2)
  .refine((f) => f.length < 2 || f[0] !== f[1], { message: 'list each family once: [IPv4], [IPv6], [IPv4, IPv6] or [IPv6, IPv4]' });
const nodeEntry = z.strictObject({
  name: z.string().min(1),
  zone: z.string().min(1).optional(),
  podCIDR: cidr.optional(),
  podCIDRv6: cidr6.optional(),
  internalIP: z.string().optional(),
  ready: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  maxPods: z.number().int().min(0).optional(),
  taints: z.array(z.strictObject({ key: z.string().min(1), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) })).optional(),
  unschedulable: z.boolean().optional(),
});
const profileFileSchema = z.strictObject({
  nodes: z.union([z.number().int().min(0).max(MAX_SYNTHETIC_NODES), z.array(nodeEntry)]).optional(),
  // More zones than nodes could ever use is a mistake (and `zones: 100000000` would build that many names).
  zones: z.union([z.number().int().min(1).max(MAX_SYNTHETIC_NODES), z.array(z.string().min(1)).min(1).max(MAX_SYNTHETIC_NODES)]).optional(),
  serviceCIDR: cidr.optional(),
  nodePortRange: z.strictObject({ min: z.number().int().min(1), max: z.number().int().max(65535) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' }).optional(),
  clusterDomain: z.string().min(1).optional(),
  maxEndpointsPerSlice: z.number().int().min(1).max(1000).optional(),
  loadBalancerCIDR: cidr.optional(),
  maxPods: z.number().int().min(0).optional(),
  ipFamilies: ipFamilies.optional(),
  serviceCIDRv6: cidr6.refine((s) => (parseIpBlock(s)?.prefix ?? 0) >= 64, { message: 'the IPv6 service CIDR must be a /64 or longer (kube-apiserver: shortest allowed prefix length is 64)' }).optional(),
  apiServer: z.strictObject({
    address: z.string().refine((a) => parseIPv4(a) !== undefined, { message: 'not an IPv4 address' }).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    endpoints: z.boolean().optional(),
  }).optional(),
});

/** One node of a profile file's `nodes` list. */
export interface ProfileNode {
  readonly name: string;
  /** @default - zones assigned round-robin */
  readonly zone?: string;
  /** @default - 10.244.<n>.0/24 */
  readonly podCIDR?: string;
  /** IPv6 pod CIDR, when `ipFamilies` has IPv6. @default - fd00:10:244:<n in hex>::/64 */
  readonly podCIDRv6?: string;
  /** @default - 172.18.0.<n+1> */
  readonly internalIP?: string;
  /** @default true */
  readonly ready?: boolean;
  /** Added to the generated node labels. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * The profile file's shape (YAML or JSON). Written out rather than inferred from the schema,
 * so the published declarations name no zod type; `profileFileMatches` keeps the two equal.
 */
export interface ProfileFile extends Omit<SyntheticProfileOptions, 'nodes' | 'maxPods'> {
  /** A node count, or the nodes themselves. @default 3 */
  readonly nodes?: number | ProfileNode[];
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The written-out {@link ProfileFile} accepts exactly what the schema parses (compile-time check). */
export const profileFileMatches = true satisfies Same<ProfileFile, Readonly<z.infer<typeof profileFileSchema>>>;

/** Validate an already-parsed profile document. */
export function profileFromObject(value: unknown, file = '<profile>', locate?: FieldLocator): { profile?: ClusterProfileInfo; errors: ManifestError[] } {
  const parsed = profileFileSchema.safeParse(value ?? {});
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => new ManifestError('invalid-field', file, locate ? locate.locate(i.path).line : 0, formatPath(i.path), i.message,
        'see `syntheticProfile` in lib/engine/profile.ts for the accepted fields')),
    };
  }
  const p = parsed.data;
  const base = syntheticProfile({
    nodes: typeof p.nodes === 'number' ? p.nodes : 0,
    zones: p.zones,
    serviceCIDR: p.serviceCIDR,
    nodePortRange: p.nodePortRange,
    clusterDomain: p.clusterDomain,
    maxEndpointsPerSlice: p.maxEndpointsPerSlice,
    loadBalancerCIDR: p.loadBalancerCIDR,
    maxPods: p.maxPods,
    ipFamilies: p.ipFamilies,
    serviceCIDRv6: p.serviceCIDRv6,
    apiServer: p.apiServer,
  });
  if (p.nodes === undefined) return { profile: { ...base, nodes: syntheticProfile({ zones: p.zones, ipFamilies: p.ipFamilies }).nodes }, errors: [] };
  if (typeof p.nodes === 'number') return { profile: base, errors: [] };
  const zones = typeof p.zones === 'object' ? p.zones : zoneNames(p.zones ?? 3);
  const nodes = p.nodes.map((n, i): NodeInfo => {
    const gen = syntheticNode(i + 1, n.zone ?? zones[i % zones.length]);
    return {
      name: n.name,
      zone: gen.zone,
      podCIDR: n.podCIDR ?? gen.podCIDR,
      ...(base.serviceCIDRv6 !== undefined ? { podCIDRv6: n.podCIDRv6 ?? syntheticPodCIDRv6(i + 1) } : {}),
      internalIP: n.internalIP ?? gen.internalIP,
      ready: n.ready ?? true,
      labels: { ...gen.labels, 'kubernetes.io/hostname': n.name, ...n.labels },
      ...(n.maxPods !== undefined ? { allocatablePods: n.maxPods } : {}),
      ...(n.taints ? { taints: n.taints } : {}),
      ...(n.unschedulable ? { unschedulable: true } : {}),
    };
  });
  return { profile: { ...base, nodes }, errors: [] };
}

/**
 * The `yaml` package, loaded on first use: only `--profile` files need it here, and commands
 * without one (most `netkit validate` runs) skip its load time.
 */
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}

/** Load a profile from a YAML or JSON file; errors come back, never thrown. */
export function loadProfile(file: string): { profile?: ClusterProfileInfo; errors: ManifestError[] } {
  // The same reader as manifests: a FIFO or /dev/zero given as the profile is refused, not read.
  const read = readInputText(file);
  if ('error' in read) return { errors: [read.error] };
  const text = read.text;
  const deep = nestingTooDeep(text, MAX_NESTING_DEPTH);
  if (deep > 0) return { errors: [new ManifestError('yaml-syntax', file, deep, '', `nesting deeper than ${MAX_NESTING_DEPTH} levels`, 'a profile is a few levels deep')] };
  const lines = new (yaml().LineCounter)();
  let value: unknown;
  try {
    const doc = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
    const e = doc.errors[0];
    if (e) return { errors: [new ManifestError('yaml-syntax', file, lines.linePos(e.pos[0]).line, '', e.message.split('\n')[0], 'fix the YAML syntax at this line')] };
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { errors: [new ManifestError('yaml-syntax', file, 1, '', (e as Error).message.split('\n')[0], 'fix the YAML syntax')] };
  }
  const positions = new YamlDocumentPositions(text, 0, text.length, 1, { line: 1, column: 1 });
  return profileFromObject(value, file, new ObjectLocator(positions, []));
}

/** Pods per synthetic node planned for when no profile is given (kubelet's default maxPods is 110). */
const PODS_PER_NODE = 100;

/**
 * The profile to simulate `objects` on when the user gave none: undefined for the default 3
 * nodes, or more nodes when the input has more pods than 3 nodes' pod CIDRs hold (so large inputs are not reported as "no endpoints" for lack of IPs).
 */
export function sizedProfile(objects: readonly ManifestObject[]): ClusterProfileInfo | undefined {
  let pods = 0;
  for (const o of objects) {
    if (o.ref.kind === 'Pod') pods++;
    else if (podTemplateOf(o) && o.ref.kind !== 'DaemonSet') pods += asNumber(dig(o.raw, 'spec', 'replicas')) ?? 1;
  }
  const nodes = Math.ceil(pods / PODS_PER_NODE);
  return nodes > 3 ? syntheticProfile({ nodes }) : undefined;
}

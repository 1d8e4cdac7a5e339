/**
 * Cyclonus's generated NetworkPolicy cases (github.com/mattfenwick/cyclonus v0.5.6,
 * `pkg/generator`), re-made in our own words over the same x/y/z a/b/c model, each probed on
 * every served port (80, 81 x TCP, UDP, SCTP) as cyclonus's `ProbeAllAvailable` does.
 *
 * Families, as the generator names them: target (`targetcases.go`), rules (`rulescases.go`),
 * peers (`peerscases.go`, zero and single peers; its 2-peer family is excluded by cyclonus's own
 * default tags), port-protocol (`portprotocolcases.go`), conflict (`conflictcases.go`),
 * namespace (`namespacecases.go`) and action (`actioncases.go`, each step as its own state).
 * Most cases are cyclonus's base policy (`netpol.go` baseTestPolicy) with one part replaced.
 *
 * Expectations are not computed by the engine: each case states by hand, reading the API
 * reference, which pods each policy selects, and for each rule the peers it admits (as
 * patterns `x/a`, `x/*`, `*\/c`, `*`) and the port/protocols it admits. `expected()` then applies
 * only the NetworkPolicy definition (networking/v1 types.go: a pod selected for a direction is
 * isolated; a connection is allowed when the source's egress and the destination's ingress
 * each allow it, each being the union of the selecting policies' rules).
 */
import type { Protocol } from '../../../lib/engine/model';
import { netpol, PEERS } from './netpol-harness';

type Json = Record<string, unknown>;

/** A peer pattern: `x/a`, `x/*`, `*\/c`, `*`. */
type Pat = string;
/** Which port/protocols a rule admits, stated by hand for the case. */
type Ports = (port: number, protocol: Protocol) => boolean;

/** One rule's hand-derived meaning. */
export interface RuleSpec {
  readonly peers: readonly Pat[];
  readonly ports: Ports;
}

/** One policy's hand-derived meaning: the pods it selects, its rules per isolated direction. */
export interface PolicySpec {
  readonly selects: readonly Pat[];
  /** Undefined: the policy does not isolate for ingress. */
  readonly ingress?: readonly RuleSpec[];
  readonly egress?: readonly RuleSpec[];
}

/** One generated case (or one step of an action case). */
export interface GeneratedCase {
  readonly family: 'target' | 'rules' | 'peers' | 'port-protocol' | 'conflict' | 'namespace' | 'action';
  /** Cyclonus's description (with the direction, and for port cases the clause). */
  readonly name: string;
  readonly policies: readonly Json[];
  /** Namespace labels beyond `ns: <name>` (action cases relabel namespaces). */
  readonly nsLabels?: Record<string, Record<string, string>>;
  /** Extra pod labels (action cases relabel pods), by `ns/pod`. */
  readonly podLabels?: Record<string, Record<string, string>>;
  readonly spec: readonly PolicySpec[];
}

/** The probes `ProbeAllAvailable` runs on the model: every served port. */
export const PROBES: readonly { readonly port: number; readonly protocol: Protocol }[] =
  [80, 81].flatMap((port) => (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ port, protocol })));

function matches(pattern: Pat, peer: string): boolean {
  if (pattern === '*') return true;
  const [ns, p] = pattern.split('/');
  const [pns, pp] = peer.split('/');
  return (ns === '*' || ns === pns) && (p === '*' || p === pp);
}

/** The NetworkPolicy definition over hand-derived selections: isolation, then the union of rules. */
export function expected(spec: readonly PolicySpec[], from: string, to: string, port: number, protocol: Protocol): boolean {
  const side = (dir: 'ingress' | 'egress', pod: string, other: string): boolean => {
    const selecting = spec.filter((s) => s[dir] !== undefined && s.selects.some((p) => matches(p, pod)));
    if (selecting.length === 0) return true;
    return selecting.some((s) => (s[dir] ?? []).some((r) => r.peers.some((p) => matches(p, other)) && r.ports(port, protocol)));
  };
  return side('egress', from, to) && side('ingress', to, from);
}

/** Every cell of the 9x9 grid for one probe, loopback included (the runner skips it). */
export function expectedGrid(c: GeneratedCase, port: number, protocol: Protocol): Map<string, boolean> {
  const grid = new Map<string, boolean>();
  for (const f of PEERS) for (const t of PEERS) grid.set(`${f}>${t}`, expected(c.spec, f, t, port, protocol));
  return grid;
}

// ---- cyclonus's vocabulary (constants.go), as manifests ----

const labels = (l: Record<string, string>): Json => ({ matchLabels: l });
const inValues = (key: string, values: string[]): Json => ({ matchExpressions: [{ key, operator: 'In', values }] });
const podBC = inValues('pod', ['b', 'c']);
const podAB = inValues('pod', ['a', 'b']);
const nsXY = inValues('ns', ['x', 'y']);
const nsYZ = inValues('ns', ['y', 'z']);
const dnsRule: Json = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };

const tcp80: Ports = (p, proto) => p === 80 && proto === 'TCP';
const anyPort: Ports = () => true;
const noPort: Ports = () => false;
/** The DNS rule admits every peer on 53: never one of the probed ports. */
const dnsSpec: RuleSpec = { peers: ['*'], ports: (p) => p === 53 };
/** Base ingress peers: pods b, c in namespaces x, y. */
const baseIngressPeers = ['x/b', 'x/c', 'y/b', 'y/c'];
/** Base egress peers: pods a, b in namespaces y, z. */
const baseEgressPeers = ['y/a', 'y/b', 'z/a', 'z/b'];

interface BaseParts {
  namespace?: string;
  podSelector?: Json;
  ingressRules?: Json[];
  egressRules?: Json[];
  ingressPeers?: Json[] | null;
  egressPeers?: Json[] | null;
  ingressPorts?: Json[] | null;
  egressPorts?: Json[] | null;
}

/** `baseTestPolicy()` with the parts `BuildPolicy`'s setters replace; `null` peers/ports: left out. */
function base(parts: BaseParts = {}): Json {
  const rule0 = (peers: Json[] | null | undefined, defPeers: Json[], ports: Json[] | null | undefined, key: 'from' | 'to'): Json => {
    const r: Json = {};
    const pp = ports === undefined ? [{ port: 80, protocol: 'TCP' }] : ports;
    if (pp !== null && pp.length > 0) r.ports = pp;
    const peerList = peers === undefined ? defPeers : peers;
    if (peerList !== null && peerList.length > 0) r[key] = peerList;
    return r;
  };
  const ingress = parts.ingressRules ?? [rule0(parts.ingressPeers, [{ podSelector: podBC, namespaceSelector: nsXY }], parts.ingressPorts, 'from')];
  const egress = parts.egressRules ?? [rule0(parts.egressPeers, [{ podSelector: podAB, namespaceSelector: nsYZ }], parts.egressPorts, 'to'), dnsRule];
  return netpol(parts.namespace ?? 'x', 'base', { podSelector: parts.podSelector ?? labels({ pod: 'a' }), policyTypes: ['Ingress', 'Egress'], ingress, egress });
}

/** The base policy's meaning with parts replaced. */
function baseSpec(p: { selects?: Pat[]; ingress?: RuleSpec[]; egress?: RuleSpec[]; ingressPeers?: Pat[]; egressPeers?: Pat[]; ingressPorts?: Ports; egressPorts?: Ports } = {}): PolicySpec {
  return {
    selects: p.selects ?? ['x/a'],
    ingress: p.ingress ?? [{ peers: p.ingressPeers ?? baseIngressPeers, ports: p.ingressPorts ?? tcp80 }],
    egress: p.egress ?? [{ peers: p.egressPeers ?? baseEgressPeers, ports: p.egressPorts ?? tcp80 }, dnsSpec],
  };
}

const cases: GeneratedCase[] = [];

// ---- target: the policy's namespace and pod selector ----
for (const ns of ['x', 'y', 'z']) {
  cases.push({ family: 'target', name: `set namespace to ${ns}`, policies: [base({ namespace: ns })], spec: [baseSpec({ selects: [`${ns}/a`] })] });
}
cases.push({ family: 'target', name: 'set pod selector to {} (every pod of x)', policies: [base({ podSelector: {} })], spec: [baseSpec({ selects: ['x/*'] })] });
cases.push({ family: 'target', name: 'set pod selector to pod=a', policies: [base({ podSelector: labels({ pod: 'a' }) })], spec: [baseSpec()] });
cases.push({ family: 'target', name: 'set pod selector to pod in (a, b)', policies: [base({ podSelector: podAB })], spec: [baseSpec({ selects: ['x/a', 'x/b'] })] });

// ---- rules: deny all / allow all per direction ----
for (const dir of ['egress', 'ingress'] as const) {
  const key = dir === 'ingress' ? 'ingressRules' : 'egressRules';
  cases.push({ family: 'rules', name: `${dir}: deny all`, policies: [base({ [key]: [] })], spec: [baseSpec({ [dir]: [] })] });
  cases.push({ family: 'rules', name: `${dir}: allow all`, policies: [base({ [key]: [{}] })], spec: [baseSpec({ [dir]: [{ peers: ['*'], ports: anyPort }] })] });
}

// ---- peers: zero and single peers, each direction (port stays 80/TCP) ----
// ipBlock peers from z/c's IP (10.2.3.4 in this model, node-3's pod CIDR): /24 (zero 8 bits)
// and its /28 (zero 4 bits) as except, as ipBlockPeers() makes them. x/c, y/c and z/c run on
// node-3 (10.2.3.2-4): all inside the /24 and inside the /28, so the except case admits none.
const singlePeers: { name: string; peer: Json; ingress: Pat[]; egress: Pat[] }[] = [
  { name: 'empty pods + nil ns', peer: { podSelector: {} }, ingress: ['x/*'], egress: ['x/*'] },
  { name: 'pods by label + nil ns', peer: { podSelector: labels({ pod: 'c' }) }, ingress: ['x/c'], egress: ['x/c'] },
  { name: 'nil pods + empty ns', peer: { namespaceSelector: {} }, ingress: ['*'], egress: ['*'] },
  { name: 'empty pods + empty ns', peer: { podSelector: {}, namespaceSelector: {} }, ingress: ['*'], egress: ['*'] },
  { name: 'pods by label + empty ns', peer: { podSelector: labels({ pod: 'c' }), namespaceSelector: {} }, ingress: ['*/c'], egress: ['*/c'] },
  { name: 'nil pods + ns by label', peer: { namespaceSelector: labels({ ns: 'x' }) }, ingress: ['x/*'], egress: ['x/*'] },
  { name: 'empty pods + ns by label', peer: { podSelector: {}, namespaceSelector: labels({ ns: 'x' }) }, ingress: ['x/*'], egress: ['x/*'] },
  { name: 'pods by label + ns by label', peer: { podSelector: labels({ pod: 'c' }), namespaceSelector: labels({ ns: 'x' }) }, ingress: ['x/c'], egress: ['x/c'] },
  { name: 'simple ipblock', peer: { ipBlock: { cidr: '10.2.3.0/24' } }, ingress: ['x/c', 'y/c', 'z/c'], egress: ['x/c', 'y/c', 'z/c'] },
  { name: 'ipblock with except', peer: { ipBlock: { cidr: '10.2.3.0/24', except: ['10.2.3.0/28'] } }, ingress: [], egress: [] },
];
for (const dir of ['ingress', 'egress'] as const) {
  // `from`/`to` left out (an empty list): every peer (networking/v1 types.go: "If this field is empty ... matches all sources").
  cases.push({ family: 'peers', name: `${dir}: empty peers`, policies: [base({ [`${dir}Peers`]: null })], spec: [baseSpec({ [`${dir}Peers`]: ['*'] })] });
  for (const p of singlePeers) {
    cases.push({ family: 'peers', name: `${dir}: ${p.name}`, policies: [base({ [`${dir}Peers`]: [p.peer] })], spec: [baseSpec({ [`${dir}Peers`]: p[dir] })] });
  }
}

// ---- port-protocol: one port clause in the first rule ----
// protocol left out is TCP (defaults.go); port left out is every port of the protocol; a named
// port resolves on the destination pod to the container port of that name *and* the clause's
// protocol (serve-81-udp under TCP, or a name no container has, admits nothing).
const portClauses: { clause: Json; ports: Ports }[] = [];
for (const protocol of [undefined, 'TCP', 'UDP', 'SCTP'] as const) {
  for (const port of [undefined, 80, 81]) {
    const clause: Json = {};
    if (protocol) clause.protocol = protocol;
    if (port !== undefined) clause.port = port;
    const proto = protocol ?? 'TCP';
    portClauses.push({ clause, ports: (p, pr) => pr === proto && (port === undefined || p === port) });
  }
}
for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
  for (const port of [80, 81]) portClauses.push({ clause: { protocol, port: `serve-${port}-${protocol.toLowerCase()}` }, ports: (p, pr) => pr === protocol && p === port });
}
for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
  portClauses.push({ clause: { protocol, port: 53, endPort: 80 }, ports: (p, pr) => pr === protocol && p >= 53 && p <= 80 });
  portClauses.push({ clause: { protocol, port: 53, endPort: 84 }, ports: (p, pr) => pr === protocol && p >= 53 && p <= 84 });
}
const pathological: { name: string; clause: Json }[] = [
  { name: "open a named port that doesn't match its protocol", clause: { protocol: 'TCP', port: 'serve-81-udp' } },
  { name: "open a named port that isn't served", clause: { protocol: 'TCP', port: 'serve-7981-udp' } },
  { name: "open a numbered port that isn't served", clause: { protocol: 'TCP', port: 7981 } },
];
for (const dir of ['egress', 'ingress'] as const) {
  cases.push({ family: 'port-protocol', name: `${dir}: empty port/protocol`, policies: [base({ [`${dir}Ports`]: null })], spec: [baseSpec({ [`${dir}Ports`]: anyPort })] });
  for (const { clause, ports } of portClauses) {
    cases.push({ family: 'port-protocol', name: `${dir}: ports [${JSON.stringify(clause)}]`, policies: [base({ [`${dir}Ports`]: [clause] })], spec: [baseSpec({ [`${dir}Ports`]: ports })] });
  }
  for (const { name, clause } of pathological) {
    cases.push({ family: 'port-protocol', name: `${dir}: ${name}`, policies: [base({ [`${dir}Ports`]: [clause] })], spec: [baseSpec({ [`${dir}Ports`]: noPort })] });
  }
}

// ---- conflict: layered policies on a source x/b and a destination y/c ----
// Cyclonus adds its allow-dns egress policy on the source whenever a case has egress.
const src = labels({ pod: 'b' });
const dst = labels({ pod: 'c' });
const pol = (ns: string, name: string, podSelector: Json, dir: 'ingress' | 'egress', rules: Json[]): Json =>
  netpol(ns, name, { podSelector, policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'], [dir]: rules });
const allowDns = pol('x', 'allow-dns', src, 'egress', [dnsRule]);
const allowAllByPod = { from: [{ namespaceSelector: {} }] };
const allowAllByIp = { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] };
/** 0.0.0.0/31 holds no pod: a rule that admits nobody. */
const denyAllByIp = { from: [{ ipBlock: { cidr: '0.0.0.0/31' } }] };
/** A namespace label no namespace has: a rule that admits nobody. */
const denyAllByPod = { from: [{ namespaceSelector: labels({ 'this-will-never-happen': 'qrs123' }) }] };
const egressOf = (r: Json): Json => ({ to: (r as { from: unknown }).from });
const dnsOnly: RuleSpec = dnsSpec;
const everyone: RuleSpec = { peers: ['*'], ports: anyPort };
const nobody: RuleSpec = { peers: [], ports: anyPort };
const conflicts: { name: string; policies: Json[]; spec: PolicySpec[] }[] = [
  {
    name: 'deny all from source, allow all to dest',
    policies: [pol('x', 'deny-all-egress', src, 'egress', []), pol('y', 'allow-all-ingress', dst, 'ingress', [{}]), allowDns],
    spec: [{ selects: ['x/b'], egress: [] }, { selects: ['y/c'], ingress: [everyone] }, { selects: ['x/b'], egress: [dnsOnly] }],
  },
  {
    name: 'allow all from source, deny all to dest',
    policies: [pol('x', 'allow-all-egress', src, 'egress', [{}]), pol('y', 'deny-all-ingress', dst, 'ingress', []), allowDns],
    spec: [{ selects: ['x/b'], egress: [everyone] }, { selects: ['y/c'], ingress: [] }, { selects: ['x/b'], egress: [dnsOnly] }],
  },
  {
    name: 'deny all + allow all from same source',
    policies: [pol('x', 'deny-all-egress', src, 'egress', []), pol('x', 'allow-all-egress', src, 'egress', [{}]), allowDns],
    spec: [{ selects: ['x/b'], egress: [] }, { selects: ['x/b'], egress: [everyone] }, { selects: ['x/b'], egress: [dnsOnly] }],
  },
  {
    name: 'deny all + allow all to same dest',
    policies: [pol('y', 'deny-all-ingress', dst, 'ingress', []), pol('y', 'allow-all-ingress', dst, 'ingress', [{}])],
    spec: [{ selects: ['y/c'], ingress: [] }, { selects: ['y/c'], ingress: [everyone] }],
  },
];
for (const [what, allow, allowSpec] of [['by pod', allowAllByPod, everyone], ['by IP', allowAllByIp, everyone]] as const) {
  conflicts.push({
    name: `deny all + allow all ${what} from same source`,
    policies: [pol('x', 'deny-all-egress', src, 'egress', []), pol('x', `allow-all-egress-${what === 'by pod' ? 'by-pod' : 'by-ip'}`, src, 'egress', [egressOf(allow)]), allowDns],
    spec: [{ selects: ['x/b'], egress: [] }, { selects: ['x/b'], egress: [allowSpec] }, { selects: ['x/b'], egress: [dnsOnly] }],
  });
  conflicts.push({
    name: `deny all + allow all ${what} to same dest (cyclonus passes its source x/b)`,
    policies: [pol('x', 'deny-all-ingress', src, 'ingress', []), pol('x', `allow-all-ingress-${what === 'by pod' ? 'by-pod' : 'by-ip'}`, src, 'ingress', [allow])],
    spec: [{ selects: ['x/b'], ingress: [] }, { selects: ['x/b'], ingress: [allowSpec] }],
  });
}
for (const [deny, denyName, allow, allowName] of [[denyAllByIp, 'by IP', allowAllByPod, 'by pod'], [denyAllByPod, 'by pod', allowAllByIp, 'by IP']] as const) {
  conflicts.push({
    name: `deny all ${denyName} + allow all ${allowName} from same source`,
    policies: [pol('x', 'deny-egress', src, 'egress', [egressOf(deny)]), pol('x', 'allow-egress', src, 'egress', [egressOf(allow)]), allowDns],
    spec: [{ selects: ['x/b'], egress: [nobody] }, { selects: ['x/b'], egress: [everyone] }, { selects: ['x/b'], egress: [dnsOnly] }],
  });
  conflicts.push({
    name: `deny all ${denyName} + allow all ${allowName} to same dest (source x/b)`,
    policies: [pol('x', 'deny-ingress', src, 'ingress', [deny]), pol('x', 'allow-ingress', src, 'ingress', [allow])],
    spec: [{ selects: ['x/b'], ingress: [nobody] }, { selects: ['x/b'], ingress: [everyone] }],
  });
}
for (const [deny, what] of [[denyAllByIp, 'by IP'], [denyAllByPod, 'by pod']] as const) {
  conflicts.push({
    name: `deny all egress ${what}`,
    policies: [pol('x', 'deny-egress', src, 'egress', [egressOf(deny)]), allowDns],
    spec: [{ selects: ['x/b'], egress: [nobody] }, { selects: ['x/b'], egress: [dnsOnly] }],
  });
  conflicts.push({
    name: `deny all ingress ${what} (source x/b)`,
    policies: [pol('x', 'deny-ingress', src, 'ingress', [deny])],
    spec: [{ selects: ['x/b'], ingress: [nobody] }],
  });
}
for (const c of conflicts) cases.push({ family: 'conflict', ...c });

// ---- namespace: select a namespace by the label the API server sets ----
for (const dir of ['ingress', 'egress'] as const) {
  cases.push({
    family: 'namespace', name: `${dir}: select namespace by default label (kubernetes.io/metadata.name=z)`,
    policies: [base({ [`${dir}Peers`]: [{ namespaceSelector: labels({ 'kubernetes.io/metadata.name': 'z' }) }] })],
    spec: [baseSpec({ [`${dir}Peers`]: ['z/*'] })],
  });
}

// ---- action: each step's resulting state ----
cases.push({ family: 'action', name: 'create/delete policy, step 1: base policy created', policies: [base()], spec: [baseSpec()] });
cases.push({ family: 'action', name: 'create/delete policy, step 2: policy deleted', policies: [], spec: [] });
cases.push({
  family: 'action', name: 'create/update policy, step 2: ingress port replaced by UDP serve-81-udp',
  policies: [base({ ingressPorts: [{ protocol: 'UDP', port: 'serve-81-udp' }] })], spec: [baseSpec({ ingressPorts: (p, pr) => pr === 'UDP' && p === 81 })],
});
const newNs = [{ namespaceSelector: labels({ 'new-ns': 'qrs' }) }];
cases.push({ family: 'action', name: 'namespace relabel, step 1: no namespace has new-ns=qrs', policies: [base({ ingressPeers: newNs })], spec: [baseSpec({ ingressPeers: [] })] });
cases.push({
  family: 'action', name: 'namespace relabel, step 2: y gets new-ns=qrs', policies: [base({ ingressPeers: newNs })], nsLabels: { y: { 'new-ns': 'qrs' } },
  spec: [baseSpec({ ingressPeers: ['y/*'] })],
});
const newPod = [{ podSelector: labels({ 'new-label': 'abc' }), namespaceSelector: nsYZ }];
cases.push({ family: 'action', name: 'pod relabel, step 1: no pod has new-label=abc', policies: [base({ ingressPeers: newPod })], spec: [baseSpec({ ingressPeers: [] })] });
cases.push({
  family: 'action', name: 'pod relabel, step 2: y/b gets new-label=abc', policies: [base({ ingressPeers: newPod })], podLabels: { 'y/b': { 'new-label': 'abc' } },
  spec: [baseSpec({ ingressPeers: ['y/b'] })],
});

/** Every generated case, in family order. */
export const CYCLONUS_CASES: readonly GeneratedCase[] = cases;

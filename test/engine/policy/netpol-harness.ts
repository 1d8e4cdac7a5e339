/**
 * The upstream e2e netpol model (kubernetes `test/e2e/network/netpol/model.go`): namespaces
 * x, y, z, each with pods a, b, c labelled `pod: <name>`, every pod serving ports 80 and 81 on
 * TCP, UDP and SCTP with container ports named `serve-<port>-<proto>`. Truth tables are 9x9
 * grids of `from -> to`, as the e2e `Reachability` prints them; loopback is ignored as upstream does.
 */
import { Cluster } from '../../../lib/engine/cluster';
import { PolicyModel, type CniProfile } from '../../../lib/engine/policy';
import type { PodInfo, Protocol } from '../../../lib/engine/model';
import { syntheticProfile } from '../../../lib/engine/profile';
import { fromObjects } from '../../../lib/manifest';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
/** `x/a` ... `z/c`, in the e2e table order. */
export const PEERS = NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));

type Json = Record<string, unknown>;

/** The x/y/z a/b/c objects. */
export function modelObjects(nsLabels: Record<string, Record<string, string>> = {}, podLabels: Record<string, Record<string, string>> = {}): Json[] {
  const out: Json[] = [];
  for (const ns of NAMESPACES) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ns, ...(nsLabels[ns] ?? {}) } } });
    for (const p of PODS) {
      const ports = [80, 81].flatMap((port) => (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol })));
      out.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p, namespace: ns, labels: { pod: p, ...(podLabels[`${ns}/${p}`] ?? {}) } }, spec: { containers: [{ name: `cont-${p}`, image: 'agnhost', ports }] } });
    }
  }
  return out;
}

/** A NetworkPolicy in `namespace`. */
export function netpol(namespace: string, name: string, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** Build the model cluster plus `extra` objects. */
export function buildModel(extra: Json[], profile: Partial<CniProfile> = {}, nsLabels: Record<string, Record<string, string>> = {}, podLabels: Record<string, Record<string, string>> = {}): { cluster: Cluster; policy: PolicyModel } {
  const r = fromObjects([...modelObjects(nsLabels, podLabels), ...extra], 'netpol');
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join('\n'));
  const cluster = Cluster.build(r.objects, syntheticProfile());
  return { cluster, policy: PolicyModel.build({ state: cluster, objects: cluster.objects.values() }, profile) };
}

/** The e2e `Reachability`: every pair allowed (`true`) unless an expectation says otherwise. */
export class Reachability {
  private readonly grid = new Map<string, boolean>();
  constructor(initial: boolean) {
    for (const f of PEERS) for (const t of PEERS) this.grid.set(`${f}>${t}`, initial);
  }
  expect(from: string, to: string, ok: boolean): this {
    for (const f of PEERS.filter((p) => matchPeer(from, p))) for (const t of PEERS.filter((p) => matchPeer(to, p))) this.grid.set(`${f}>${t}`, ok);
    return this;
  }
  /** Everything to `to` (a peer pattern). */
  expectAllIngress(to: string, ok: boolean): this {
    return this.expect('*', to, ok);
  }
  /** Everything from `from`. */
  expectAllEgress(from: string, ok: boolean): this {
    return this.expect(from, '*', ok);
  }
  table(): string {
    return renderGrid((f, t) => this.grid.get(`${f}>${t}`) ?? false);
  }
}

/** `*`, `x/*`, `*\/a` or `x/a`. */
function matchPeer(pattern: string, peer: string): boolean {
  if (pattern === '*') return true;
  const [ns, p] = pattern.split('/');
  const [pns, pp] = peer.split('/');
  return (ns === '*' || ns === pns) && (p === undefined || p === '*' || p === pp);
}

/** A 9x9 grid as the e2e suite prints it (`X` allowed, `-` denied, `.` loopback, not judged). */
export function renderGrid(ok: (from: string, to: string) => boolean): string {
  const rows = [`     ${PEERS.join(' ')}`];
  for (const f of PEERS) rows.push(`${f}  ${PEERS.map((t) => (f === t ? ' . ' : ok(f, t) ? ' X ' : ' - ')).join(' ')}`);
  return rows.join('\n');
}

/** The model's truth table for `port/protocol` (loopback shown as `.`, as upstream ignores it). */
export function probe(policy: PolicyModel, cluster: Cluster, port: number, protocol: Protocol = 'TCP'): string {
  const g = probeGrid(policy, cluster, port, protocol);
  return renderGrid((f, t) => g.get(`${f}>${t}`) ?? false);
}

/** The model's verdict per `from>to` cell for `port/protocol` (loopback cells included). */
export function probeGrid(policy: PolicyModel, cluster: Cluster, port: number, protocol: Protocol = 'TCP'): Map<string, boolean> {
  const pod = (k: string): PodInfo => {
    const p = cluster.pods.get(k);
    if (!p) throw new Error(`no pod ${k}`);
    return p;
  };
  const grid = new Map<string, boolean>();
  for (const f of PEERS) {
    for (const t of PEERS) {
      const conn = { from: { kind: 'pod', pod: pod(f) }, to: { kind: 'pod', pod: pod(t) }, port, protocol } as const;
      const full = policy.verdict(conn).allowed;
      // The matrix's fast path must agree with the explained verdict on every cell, loopback too.
      if (policy.allows(conn) !== full) throw new Error(`allows() and verdict() disagree on ${f} -> ${t}:${port}/${protocol}`);
      grid.set(`${f}>${t}`, full);
    }
  }
  return grid;
}

/**
 * The connectivity matrix: workload x workload x port, each cell the policy decision for a
 * connection from the source workload's pod to the destination workload's pod on a port the
 * destination declares. Pods of one template share labels and namespace, so one pod stands for
 * its workload (ipBlock peers that name single pod IPs are the exception, reported).
 */
import type { ClusterStateView, PodInfo, Protocol } from '../model';
import type { PolicyModel } from './evaluate';
import type { PolicyVerdict } from './types';
import { workloadOf } from './workload';

/** A workload (or bare pod) as one row/column of the matrix. */
export interface ReachWorkload {
  /** `namespace/name`. */
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The pod that stands for the workload. */
  readonly pod: string;
  /** Ports the destination declares (container ports), in declaration order, deduplicated. */
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly name?: string }[];
}

/** One source -> destination:port decision. */
export interface ReachCell {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  /** With `explain`: why. */
  readonly verdict?: PolicyVerdict;
}

/** The whole matrix. */
export interface ReachMatrix {
  readonly workloads: readonly ReachWorkload[];
  readonly cells: readonly ReachCell[];
  /** Destinations that declare no container port (no cell can be probed for them). */
  readonly withoutPorts: readonly string[];
  /** Inputs the model read only in part. */
  readonly unmodelled: readonly string[];
}

/** Options of {@link reachMatrix}. */
export interface ReachOptions {
  /** Keep only cells whose source or destination is this workload (`namespace/name`). */
  readonly focus?: string;
  /** Attach the full verdict to each cell (slower). */
  readonly explain?: boolean;
}

/** The workloads of the state, one representative pod each (the first by name), sorted by id. */
export function reachWorkloads(state: ClusterStateView): ReachWorkload[] {
  const byId = new Map<string, { ref: ReturnType<typeof workloadOf>; pod: PodInfo }>();
  for (const pod of state.pods.values()) {
    const ref = workloadOf(pod);
    const id = `${pod.namespace}/${ref.name}`;
    const prior = byId.get(id);
    if (!prior || pod.name < prior.pod.name) byId.set(id, { ref, pod });
  }
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, { ref, pod }]) => {
    const seen = new Set<string>();
    const ports = pod.containerPorts.filter((c) => {
      const k = `${c.containerPort}/${c.protocol}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }).map((c) => ({ port: c.containerPort, protocol: c.protocol, name: c.name }));
    return { id, kind: ref.kind, namespace: pod.namespace, name: ref.name, pod: `${pod.namespace}/${pod.name}`, ports };
  });
}

/** Compute the matrix. `focus` that names no workload is an error the caller reports. */
export function reachMatrix(model: PolicyModel, state: ClusterStateView, options: ReachOptions = {}): ReachMatrix {
  const workloads = reachWorkloads(state);
  const pods = new Map(workloads.map((w) => [w.id, state.pods.get(w.pod) as PodInfo]));
  const cells: ReachCell[] = [];
  for (const src of workloads) {
    const from = { kind: 'pod', pod: pods.get(src.id) as PodInfo } as const;
    for (const dst of workloads) {
      if (src === dst) continue;
      if (options.focus && src.id !== options.focus && dst.id !== options.focus) continue;
      const to = { kind: 'pod', pod: pods.get(dst.id) as PodInfo } as const;
      for (const p of dst.ports) {
        const conn = { from, to, port: p.port, protocol: p.protocol };
        if (options.explain) {
          const verdict = model.verdict(conn);
          cells.push({ from: src.id, to: dst.id, port: p.port, protocol: p.protocol, allowed: verdict.allowed, verdict });
        } else {
          cells.push({ from: src.id, to: dst.id, port: p.port, protocol: p.protocol, allowed: model.allows(conn) });
        }
      }
    }
  }
  const unmodelled = model.problems.map((p) => `${p.ref.kind} ${p.ref.namespace ? `${p.ref.namespace}/` : ''}${p.ref.name} ${p.path}: ${p.message}`);
  const singleIp = model.networkPolicies.some((np) => [...(np.ingress ?? []), ...(np.egress ?? [])].some((r) => (r.peers ?? []).some((x) => x.kind === 'ipBlock' && /\/(32|128)$/.test(x.cidr))));
  if (singleIp) unmodelled.push('an ipBlock names a single address: one pod stands for each workload here, so other replicas of a workload may be decided differently');
  return { workloads, cells, withoutPorts: workloads.filter((w) => w.ports.length === 0).map((w) => w.id), unmodelled };
}

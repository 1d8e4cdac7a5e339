/**
 * The simulation budget: nothing a manifest or profile says may make the engine do unbounded
 * work. Before a cluster is built, the pods (replicas, DaemonSets times nodes, Pods), nodes and
 * ports (Service ports plus container ports of every pod) the input asks for are counted from
 * the objects alone, in time linear in the input; past a limit the answer is an error naming the
 * object and field that asked for too much, instead of minutes of work and gigabytes of memory.
 *
 * The defaults are Kubernetes' own scalability thresholds (sig-scalability
 * `configs-and-limits/thresholds.md`: 5,000 nodes, 150,000 pods), so any cluster Kubernetes
 * supports fits.
 */
import type { ManifestObject } from '../manifest/objects';
import type { ClusterProfileInfo, ObjectRef, SourceLocation } from './model';

/** Limits of one simulation. */
export interface SimulationBudget {
  /** Pods the workloads and Pod objects ask for. @default 150000 */
  readonly pods: number;
  /** Profile nodes plus Node objects. @default 5000 */
  readonly nodes: number;
  /** Service ports plus container ports over all pods. @default 1500000 */
  readonly ports: number;
}

/** Kubernetes' scalability thresholds (see the module comment); ports allow 10 per pod. */
export const DEFAULT_BUDGET: SimulationBudget = { pods: 150_000, nodes: 5_000, ports: 1_500_000 };

/** One limit exceeded: what, by how much, and the object and field that asked for the most. */
export interface BudgetProblem {
  readonly limit: keyof SimulationBudget;
  readonly total: number;
  readonly max: number;
  /** The object that asks for the most of it (undefined when the profile does). */
  readonly object?: ObjectRef;
  readonly source?: SourceLocation;
  /** Field path in that object, e.g. `spec.replicas`. */
  readonly path: string;
  /** How much that object asks for. */
  readonly amount: number;
  /** One line: `file:line Kind ns/name spec.replicas: ...`. */
  readonly message: string;
}

/** Thrown by `Cluster.build` when the input is over budget (the CLI checks first and reports). */
export class SimulationBudgetError extends Error {
  constructor(public readonly problems: readonly BudgetProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'SimulationBudgetError';
  }
}

interface Largest {
  amount: number;
  object?: ManifestObject;
  path: string;
}

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt;
}

function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Container (and init container) ports of a pod spec. */
function podPorts(spec: unknown): number {
  let n = 0;
  for (const c of arr(rec(spec).containers)) n += arr(rec(c).ports).length;
  for (const c of arr(rec(spec).initContainers)) n += arr(rec(c).ports).length;
  return n;
}

/**
 * Count what `objects` and `profile` ask for; an empty list when within `budget`. Reads raw
 * fields defensively (objects here may not have passed their schema), in one pass.
 */
export function checkBudget(objects: readonly ManifestObject[], profile: ClusterProfileInfo, budget: SimulationBudget = DEFAULT_BUDGET, profileSource?: SourceLocation): BudgetProblem[] {
  let nodeObjects = 0;
  for (const o of objects) if (o.ref.kind === 'Node') nodeObjects++;
  const nodes = profile.nodes.length + nodeObjects;
  const totals = { pods: 0, nodes, ports: 0 };
  const largest: Record<keyof SimulationBudget, Largest> = {
    pods: { amount: 0, path: '' },
    nodes: { amount: profile.nodes.length, path: 'nodes' },
    ports: { amount: 0, path: '' },
  };
  const note = (limit: keyof SimulationBudget, amount: number, object: ManifestObject, path: string): void => {
    totals[limit] += amount;
    if (amount > largest[limit].amount) largest[limit] = { amount, object, path };
  };
  for (const o of objects) {
    const spec = rec(o.raw.spec);
    switch (o.ref.kind) {
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet': {
        const replicas = num(spec.replicas, 1);
        note('pods', replicas, o, 'spec.replicas');
        note('ports', replicas * podPorts(rec(spec.template).spec), o, 'spec.template.spec.containers[].ports');
        break;
      }
      case 'DaemonSet':
        note('pods', nodes, o, 'spec (one pod per node)');
        note('ports', nodes * podPorts(rec(spec.template).spec), o, 'spec.template.spec.containers[].ports');
        break;
      case 'Pod':
        note('pods', 1, o, '');
        note('ports', podPorts(spec), o, 'spec.containers[].ports');
        break;
      case 'Service':
        note('ports', arr(spec.ports).length, o, 'spec.ports');
        break;
      default:
        break;
    }
  }
  const problems: BudgetProblem[] = [];
  for (const limit of ['nodes', 'pods', 'ports'] as const) {
    const max = budget[limit];
    if (totals[limit] <= max) continue;
    const l = largest[limit];
    const o = l.object;
    const at = o?.source ? `${o.source.file}:${o.source.line} ` : profileSource ? `${profileSource.file}:${profileSource.line} ` : '';
    const who = o ? `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ''}${o.ref.name}${l.path ? ` ${l.path}` : ''}` : `profile ${l.path}`;
    problems.push({
      limit, total: totals[limit], max, object: o?.ref, source: o?.source ?? profileSource, path: l.path, amount: l.amount,
      message: `${at}${who}: the input asks for ${totals[limit].toLocaleString('en-US')} ${limit} in all (this asks for ${l.amount.toLocaleString('en-US')}), over the simulation budget of ${max.toLocaleString('en-US')} ${limit} (fix: lower it, or raise the budget with --limit ${limit}=N)`,
    });
  }
  return problems;
}

/**
 * Denied edges: workload -> Service port connections that routing allows (the Service has ready
 * endpoints) and policy drops. The decision is the reachability model's (`lib/engine/policy`,
 * `PolicyModel.allows` / `verdict`, the calls `netkit reach` and `netkit trace` make), asked for
 * each source workload's first pod against each destination workload behind the port, on the
 * port the destination receives after kube-proxy's DNAT (the EndpointSlice port), with the
 * Service address as the pre-DNAT destination for CNI profiles that police before translation.
 *
 * Cost: one `allows()` per (source workload x Service port x destination workload) when the state
 * has policy objects, nothing otherwise; `verdict()` (the explanation) only for the pairs drawn.
 */
import type { ClusterStateView, EndpointSliceInfo, PodInfo, ServiceInfo } from '../engine/model';
import { policyLabel, workloadOf, type PolicyModel, type PolicyVerdict } from '../engine/policy';
import { reachWorkloads } from '../engine/policy/matrix';
import { denialReason } from '../engine/trace';
import type { GraphBuilder } from './builder';
import type { GraphDenial } from './model';
import { ids } from './traces';

/** Denied edges drawn at most, by default: past this the page would be a red blanket; the summary counts the rest. */
export const DEFAULT_DENIED_LIMIT = 2000;

/** What {@link addDeniedEdges} found. */
export interface DeniedCount {
  /** Denied workload -> Service port pairs. */
  readonly pairs: number;
  /** Of those, drawn (the first `limit` in Service, port, source order). */
  readonly drawn: number;
}

/** One destination workload behind a Service port: its first ready pod and the port it receives on. */
interface Destination {
  readonly workload: string;
  readonly pod: PodInfo;
  readonly port: number;
}

/**
 * Add a `denied` edge from each source workload's first pod to each Service port it cannot
 * reach. `model` undefined (no policy object in the input): nothing to add.
 */
export function addDeniedEdges(b: GraphBuilder, model: PolicyModel | undefined, limit = DEFAULT_DENIED_LIMIT): DeniedCount {
  if (!model) return { pairs: 0, drawn: 0 };
  const state = b.state;
  const sources = reachWorkloads(state).map((w) => ({ w, pod: state.pods.get(w.pod) as PodInfo }));
  let pairs = 0;
  let drawn = 0;
  for (const key of [...state.services.keys()].sort()) {
    const svc = state.services.get(key);
    if (!svc || svc.type === 'ExternalName') continue;
    const slices = state.endpointSlices.get(key) ?? [];
    svc.ports.forEach((sp, index) => {
      const dests = destinationsOf(state, svc, sp.name, sp.protocol, slices);
      if (dests.length === 0) return; // routing reaches nothing here: no path for policy to deny
      const ip = svc.clusterIPs[0];
      for (const { w, pod } of sources) {
        const targets = dests.filter((d) => d.workload !== w.id); // a workload calling its own Service is not a flow between two
        if (targets.length === 0) continue;
        const conn = (d: Destination) => ({
          from: { kind: 'pod', pod } as const, to: { kind: 'pod', pod: d.pod } as const, port: d.port, protocol: sp.protocol,
          ...(ip ? { service: { ip, port: sp.port } } : {}),
        });
        const denied = targets.filter((d) => !model.allows(conn(d)));
        if (denied.length === 0) continue;
        pairs++;
        if (drawn >= limit) continue;
        drawn++;
        const verdict = model.verdict(conn(denied[0]));
        b.addEdge({
          from: ids.pod(`${pod.namespace}/${pod.name}`), to: ids.service(key), toPort: ids.port(key, index), kind: 'denied',
          label: `denied by policy: ${w.id} -> ${key}:${sp.port}/${sp.protocol}`,
          denial: denialOf(w.id, w.kind, `${key}:${sp.port}/${sp.protocol}`, denied, targets.length, verdict),
        });
      }
    });
  }
  return { pairs, drawn };
}

/** Destination workloads behind a Service port: ready pod endpoints, one pod each, with the slice's port number. */
function destinationsOf(state: ClusterStateView, svc: ServiceInfo, portName: string, protocol: string, slices: readonly EndpointSliceInfo[]): Destination[] {
  const out = new Map<string, Destination>();
  for (const slice of slices) {
    // The EndpointSlice controller names each slice port after the Service port it resolves.
    const sp = slice.ports.find((p) => p.name === portName && p.protocol === protocol);
    if (!sp) continue;
    for (const ep of slice.endpoints) {
      if (!ep.conditions.ready || ep.targetRef.kind !== 'Pod') continue;
      const pod = state.pods.get(`${ep.targetRef.namespace ?? svc.namespace}/${ep.targetRef.name}`);
      if (!pod) continue;
      const workload = `${pod.namespace}/${workloadOf(pod).name}`;
      const prior = out.get(workload);
      if (!prior || pod.name < prior.pod.name) out.set(workload, { workload, pod, port: sp.port });
    }
  }
  return [...out.values()].sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
}

function denialOf(source: string, sourceKind: string, service: string, denied: readonly Destination[], total: number, v: PolicyVerdict): GraphDenial {
  const side = !v.egress.allowed ? v.egress : !v.ingress.allowed ? v.ingress : undefined;
  const direction = side === v.egress ? 'egress' : side === v.ingress ? 'ingress' : 'mesh';
  const rule = side?.rule ?? (direction === 'mesh' ? v.mesh?.rule : undefined);
  return {
    source, sourceKind, service,
    deniedDestinations: denied.map((d) => d.workload), destinations: total,
    direction, port: denied[0].port,
    reason: denialReason(v),
    isolatedBy: (side?.isolatedBy ?? []).map(policyLabel),
    ...(side?.nearMiss ? { nearMiss: `${policyLabel(side.nearMiss.policy)} ${side.nearMiss.path}: ${side.nearMiss.reason}` } : {}),
    ...(rule ? { rule: `${policyLabel(rule.policy)} ${rule.path}${rule.action ? ` (${rule.action})` : ''}` } : {}),
    unmodelled: v.unmodelled,
  };
}

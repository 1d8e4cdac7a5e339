/** Rows of `netkit routes`: one per Service with its addresses, ports, endpoints and kube-proxy rules, and their text table. */
import type { ClusterStateView, CoverageItem, Protocol, ServiceTypeName } from '../engine/model';
import { ProxyModel, type ProxyRule } from '../engine/proxy';
import { renderTable } from './table';

/** One endpoint pod of a Service. */
export interface RoutePod {
  readonly pod?: string;
  readonly ip: string;
  readonly node: string;
  readonly ready: boolean;
}

/** One Service as `netkit routes` reports it. */
export interface RouteRow {
  readonly service: string;
  readonly type: ServiceTypeName;
  readonly headless: boolean;
  readonly clusterIPs: readonly string[];
  readonly externalName?: string;
  readonly ports: readonly { name: string; port: number; protocol: Protocol; targetPort: number | string; nodePort?: number }[];
  readonly loadBalancerIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly externalTrafficPolicy: string;
  readonly internalTrafficPolicy: string;
  /**
   * Endpoints of the simulated pods. `unknown` when the selector also matches pods of a workload
   * the engine does not simulate: the real endpoints are then not known.
   */
  readonly endpoints: { readonly ready: number; readonly total: number; readonly pods: readonly RoutePod[]; readonly unknown?: true };
  /** Loaded objects the engine does not simulate that could change this Service's routing (absent when none). */
  readonly notSimulated?: readonly CoverageItem[];
  /** kube-proxy rules (NodePorts shown with `*` for "every node IP"). */
  readonly rules: readonly ProxyRule[];
}

/** Rows for every Service, sorted by `namespace/name`. */
export function routeRows(state: ClusterStateView, proxy: ProxyModel = ProxyModel.build(state)): RouteRow[] {
  return [...state.services.keys()].sort().map((key) => {
    const svc = state.services.get(key)!;
    const seen = new Map<string, RoutePod>();
    for (const slice of state.endpointSlices.get(key) ?? []) {
      for (const ep of slice.endpoints) {
        const ip = ep.addresses[0];
        if (ip === undefined || seen.has(ip)) continue;
        const pod = ep.targetRef?.kind === 'Pod' ? `${ep.targetRef.namespace ?? svc.namespace}/${ep.targetRef.name}` : undefined;
        seen.set(ip, { pod, ip, node: ep.nodeName, ready: ep.conditions.ready });
      }
    }
    const pods = [...seen.values()].sort((a, b) => ((a.pod ?? a.ip) < (b.pod ?? b.ip) ? -1 : 1));
    const coverage = state.coverage && state.coverage.notSimulated.length > 0 ? state.coverage : undefined;
    const podSources = coverage?.podSourcesFor(svc) ?? [];
    const notSimulated = coverage?.relevantTo({
      service: svc,
      destinationPods: pods.flatMap((p) => { const info = p.pod ? state.pods.get(p.pod) : undefined; return info ? [info] : []; }),
    }) ?? [];
    const row: RouteRow = {
      service: key,
      type: svc.type,
      headless: svc.headless,
      clusterIPs: svc.clusterIPs,
      externalName: svc.externalName,
      ports: svc.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort, nodePort: p.nodePort })),
      loadBalancerIPs: svc.loadBalancerIPs,
      externalIPs: svc.externalIPs,
      externalTrafficPolicy: svc.externalTrafficPolicy,
      internalTrafficPolicy: svc.internalTrafficPolicy,
      endpoints: { ready: pods.filter((p) => p.ready).length, total: pods.length, pods, ...(podSources.length > 0 ? { unknown: true as const } : {}) },
      rules: proxy.rulesFor(key),
    };
    return notSimulated.length > 0 ? { ...row, notSimulated } : row;
  });
}

const MAX_PODS_SHOWN = 4;

/** The rows as an aligned text table. */
export function formatRoutes(rows: readonly RouteRow[]): string {
  if (rows.length === 0) return 'no Services found\n';
  const header = ['SERVICE', 'TYPE', 'CLUSTER-IP', 'PORTS', 'NODEPORTS', 'EXTERNAL', 'ENDPOINTS', 'PODS'];
  const body = rows.map((r) => {
    const clusterIP = r.type === 'ExternalName' ? `-> ${r.externalName ?? '?'}` : r.headless ? 'None' : r.clusterIPs.join(',');
    const ports = r.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}->${p.targetPort}/${p.protocol}`).join(' ') || '-';
    const nodePorts = r.ports.filter((p) => p.nodePort !== undefined).map((p) => String(p.nodePort)).join(',') || '-';
    const external = [...r.loadBalancerIPs.map((ip) => `lb:${ip}`), ...r.externalIPs.map((ip) => `ext:${ip}`)].join(',') || '-';
    const eps = r.type === 'ExternalName' ? '-' : r.endpoints.unknown ? `unknown(${r.endpoints.ready}/${r.endpoints.total} simulated)` : `${r.endpoints.ready}/${r.endpoints.total}${r.notSimulated ? '*' : ''}`;
    const names = r.endpoints.pods.map((p) => `${(p.pod ?? p.ip).split('/').pop()}${p.ready ? '' : '(unready)'}`);
    const shown = names.slice(0, MAX_PODS_SHOWN).join(',') + (names.length > MAX_PODS_SHOWN ? ` +${names.length - MAX_PODS_SHOWN} more` : '');
    return [r.service, r.type, clusterIP, ports, nodePorts, external, eps, shown || '-'];
  });
  return renderTable([header, ...body]) + routesFooter(rows);
}

/** The lines under the table naming unsimulated objects that could change a row (empty when none). */
export function routesFooter(rows: readonly RouteRow[]): string {
  const notes: string[] = [];
  for (const r of rows) {
    for (const i of r.notSimulated ?? []) {
      notes.push(`  ${r.service}: ${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name}${i.source ? ` (${i.source.file}:${i.source.line})` : ''}: ${i.reason}`);
    }
  }
  return notes.length > 0 ? `\nnot simulated, could change these answers (* and unknown above):\n${notes.join('\n')}\n` : '';
}

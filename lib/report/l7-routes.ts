/** The HTTP section of `netkit routes`: entry points, route rows, attachment status and problems. */
import type { Cluster } from '../engine/cluster';
import { L7Model, type IngressProfile, type L7Problem, type L7RouteRow, type L7RouteStatus, type EntryPointInfo } from '../engine/l7';
import { formatL7Routes } from './l7-format';

/** The HTTP section of `netkit routes --output json --http`. */
export interface L7RoutesJson {
  readonly entryPoints: readonly EntryPointInfo[];
  readonly routes: readonly L7RouteRow[];
  readonly status: readonly L7RouteStatus[];
  readonly problems: readonly L7Problem[];
}

/** Entry points, route rows, attachment status and problems of the cluster's L7 objects. */
export function l7Routes(cluster: Cluster, ingressProfile?: IngressProfile): L7RoutesJson {
  const model = L7Model.build(cluster, { ingressProfile, l4: false });
  return { entryPoints: model.entryPoints(), routes: model.routes(), status: model.routeStatus(), problems: model.problems() };
}

/** The HTTP section as text (empty when the manifests have no HTTP routing objects). */
export function formatL7Section(section: L7RoutesJson): string {
  return formatL7Routes(section.entryPoints, section.routes, section.problems);
}

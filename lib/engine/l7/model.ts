/**
 * The L7 routing model: Ingress, Gateway API and Istio objects of a simulated cluster compiled
 * into indexes, answering "where does this HTTP request go, and why". Built once per cluster
 * state; `request()` is cheap (host index, then per-host sorted match lists).
 */
import type { ManifestObject } from '../../manifest/objects';
import type { ClusterStateView } from '../model';
import { parseL7Objects, type L7Objects } from './parse';
import type {
  EntryPointInfo, HttpRequest, L7Options, L7Problem, L7RouteRow, L7RouteStatus, L7Trace,
} from './types';

/** What {@link L7Model.build} reads: the simulated cluster plus the loaded objects (a `Cluster` is one). */
export type L7ClusterInput = ClusterStateView & { readonly objects: ReadonlyMap<string, ManifestObject> };

/** HTTP routing over one cluster state. Rebuild it after the state changes. */
export class L7Model {
  /**
   * Compile the cluster's Ingresses, IngressClasses, Gateway API and Istio objects.
   * Problems found on the way (dangling refs, unattached routes) are in {@link problems}.
   */
  public static build(state: L7ClusterInput, options: L7Options = {}): L7Model {
    const objects = parseL7Objects(state.objects.values());
    return new L7Model(state, objects, options);
  }

  private readonly problemList: L7Problem[];

  private constructor(
    /** The cluster state the model was built from. */
    public readonly state: L7ClusterInput,
    private readonly objects: L7Objects,
    /** The options the model was built with. */
    public readonly options: L7Options,
  ) {
    this.problemList = [...objects.problems];
  }

  /** Route one HTTP request: entry point, route, match, backends (and on to pods through L4). */
  public request(req: HttpRequest): L7Trace {
    void req;
    throw new Error('L7Model.request: not implemented yet');
  }

  /** Every entry point: Ingress classes, Gateway listeners, Istio gateway servers, and the mesh. */
  public entryPoints(): readonly EntryPointInfo[] {
    return [];
  }

  /** Every host + match -> backends row, per entry point (for `netkit routes` and the graph page). */
  public routes(): readonly L7RouteRow[] {
    return [];
  }

  /** Attachment (`Accepted`) and `ResolvedRefs` of every Ingress, HTTPRoute and VirtualService. */
  public routeStatus(): readonly L7RouteStatus[] {
    return [];
  }

  /** Problems found while building (for the validator's L7 rules). */
  public problems(): readonly L7Problem[] {
    return this.problemList;
  }

  /** The parsed L7 objects (typed views with defaults). */
  public get parsed(): L7Objects {
    return this.objects;
  }
}

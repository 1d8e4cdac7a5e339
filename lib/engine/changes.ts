/** Changes applied to a built cluster, and the watch events they produce. */
import { JsonObject, ManifestObject } from '../manifest/objects';
import { EndpointSliceInfo, EndpointsInfo, ObjectRef } from './model';

/** An incremental change to the simulated cluster. Pods are named by `namespace/name`. */
export type ClusterChange =
  /** Set a pod's PodReady condition (readiness probe passing or failing). */
  | { readonly type: 'setPodReady'; readonly pod: string; readonly ready: boolean }
  /** Give a pod a deletionTimestamp (or take it away with `terminating: false`). */
  | { readonly type: 'setPodTerminating'; readonly pod: string; readonly terminating?: boolean }
  /** Set a Deployment/ReplicaSet/StatefulSet's replica count. */
  | { readonly type: 'scale'; readonly workload: ObjectRef; readonly replicas: number }
  /** Fail a node (its pods become not ready) or recover it with `failed: false`. */
  | { readonly type: 'failNode'; readonly node: string; readonly failed?: boolean }
  /** Create or replace an object (a loaded object or plain JSON). */
  | { readonly type: 'upsertObject'; readonly object: ManifestObject | JsonObject }
  /** Delete an object. */
  | { readonly type: 'deleteObject'; readonly ref: ObjectRef };

/** Watch event types, as the Kubernetes watch API names them. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change to an Endpoints or EndpointSlice object, as a watcher (kube-proxy) would see it. */
export type WatchEvent =
  | { readonly type: WatchEventType; readonly kind: 'Endpoints'; readonly object: EndpointsInfo }
  | { readonly type: WatchEventType; readonly kind: 'EndpointSlice'; readonly object: EndpointSliceInfo };

/**
 * The plain (zod-free) types of the manifest views the engine reads: what other modules and
 * the published declarations use. The schemas themselves stay in `schemas.ts`.
 */
import type {
  DaemonSetManifest, DeploymentManifest, EndpointSliceManifest, EndpointsManifest, NamespaceManifest, NodeManifest,
  PodManifest, ReplicaSetManifest, ServiceManifest, StatefulSetManifest,
} from './wire';

export type * from './wire';

/** A typed object of a kind the engine reads; narrow on `kind`. */
export type TypedManifest =
  | NamespaceManifest | NodeManifest | PodManifest | DeploymentManifest | ReplicaSetManifest
  | StatefulSetManifest | DaemonSetManifest | ServiceManifest | EndpointsManifest | EndpointSliceManifest;

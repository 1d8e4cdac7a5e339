/**
 * Pieces shared by the Istio constructs: string matches, durations and how a Service of this
 * library is named as an Istio host.
 */
import { Duration } from 'cdk8s';
import type { Service } from './service';

/** An Istio StringMatch: exactly one of `exact`, `prefix` (a plain string prefix) or `regex` (RE2). */
export type StringMatch = { readonly exact: string } | { readonly prefix: string } | { readonly regex: string };

/** The reserved gateway name that binds a VirtualService to every sidecar of the mesh. */
export const MESH_GATEWAY = 'mesh';

/**
 * The host under which a Service is known to Istio from `fromNamespace`: its short name in the
 * same namespace (Istio reads short names relative to the referring object's namespace), its
 * FQDN `<name>.<namespace>.svc.cluster.local` otherwise.
 */
export function istioHostOf(service: Service, fromNamespace: string | undefined): string {
  if ((service.namespace ?? '') === (fromNamespace ?? '')) return service.name;
  return `${service.name}.${service.namespace ?? 'default'}.svc.cluster.local`;
}

/** A cdk8s Duration as an Istio (protobuf JSON) duration: seconds with a decimal fraction, e.g. `1.5s`. */
export function formatIstioDuration(duration: Duration | undefined): string | undefined {
  if (duration === undefined) return undefined;
  return `${duration.toMilliseconds() / 1000}s`;
}

/**
 * Pieces shared by the Istio constructs: string matches, durations and how a Service of this
 * library is named as an Istio host.
 */
import { Duration } from 'cdk8s';
import type { ISelectablePods } from './selection';
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

/** The number of a Service port given by name or number; undefined when it does not exist. */
export function servicePortNumber(service: Service, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  return service.ports.find((p) => p.name === port)?.port;
}

/** A message when `port` (name or number) is not a port of `service`. */
export function missingServicePort(service: Service, port: number | string, at: string): string[] {
  const ports = service.ports;
  if (ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port))) return [];
  const described = ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none';
  return [`${at}: Service "${service.name}" has no port ${typeof port === 'number' ? port : `named "${port}"`} (its ports: ${described}). ` +
    'Fix: use one of the Service\'s port names or numbers (the Service port, not the targetPort)'];
}

/** True for a workload of this library (labels taken from its pod template). */
export function isSelectablePods(value: Readonly<Record<string, string>> | ISelectablePods): value is ISelectablePods {
  return typeof (value as ISelectablePods).podSelectorLabels === 'object' && 'node' in value;
}

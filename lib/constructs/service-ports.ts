/**
 * References from the L7 constructs (Ingress backends, HTTPRoute backendRefs and parentRefs,
 * Istio destinations) to a port of a Service of this library, by number or name, and the synth
 * time checks of them: the API server accepts a port a Service doesn't have, and the request
 * then fails at run time.
 */

/**
 * What a reference to a Service port needs to know of the Service: its name, namespace and
 * ports. `Service` implements it; the L7 constructs depend on this instead of on
 * `Service` so that `Service.exposeViaIngress` can create an Ingress without an import cycle.
 */
export interface IServicePorts {
  /** The Service's name. */
  readonly name: string;
  /** The Service's namespace; undefined when the manifests leave it to the apply context. */
  readonly namespace?: string;
  /** The Service's ports. */
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
}

/** The number of a Service port given by name or number; undefined when not given or no port has that name. */
export function servicePortNumber(service: IServicePorts, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  return service.ports.find((p) => p.name === port)?.port;
}

/** The number of the Service's only port; undefined when it has none or several. */
export function onlyServicePortNumber(service: IServicePorts): number | undefined {
  const ports = service.ports;
  return ports.length === 1 ? ports[0].port : undefined;
}

/** A message when `port` (name or number) is not a port of `service`. */
export function missingServicePort(service: IServicePorts, port: number | string, at: string): string[] {
  const ports = service.ports;
  if (ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port))) return [];
  return [`${at}: Service "${service.name}" has no port ${typeof port === 'number' ? port : `named "${port}"`} (its ports: ${describePorts(service)}). ` +
    'Fix: use one of the Service\'s port names or numbers (the Service port, not the targetPort)'];
}

/**
 * A message when a reference names no port and the Service has not exactly one.
 * @param reference what must name the port, e.g. `the backend`
 * @param fix how to name it, in the words of the construct's API
 */
export function unnamedServicePort(service: IServicePorts, at: string, reference: string, fix: string): string[] {
  const ports = service.ports;
  if (ports.length === 1) return [];
  return [`${at}: Service "${service.name}" has ${ports.length === 0 ? 'no ports' : `several ports (${describePorts(service)})`}, so ${reference} must name one. Fix: ${fix}`];
}

/** The ports for a message: `http (80), 9090`, or `none`. */
function describePorts(service: IServicePorts): string {
  return service.ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none';
}

import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type * as gwapi from '../imports/gateway-api-gateway.networking.k8s.io';
import { gatewayApi } from './l1';
import { Gateway } from './gateway';
import { GATEWAY_API_GROUP, GatewayObjectRefWire, HttpRouteFilterWire, HttpRouteMatchWire, HttpRouteWire, validateHttpRoute } from '../k8s/gateway-validation';
import { NamespacedResource } from './resource';
import { Service } from './service';
import { missingServicePort, onlyServicePortNumber, servicePortNumber, unnamedServicePort } from './service-ports';

/** `matches[].path.type`. */
export enum HttpPathMatchType {
  /** The path equals the value, case-sensitively: `/abc` matches `/abc`, not `/abc/` or `/Abc`. */
  EXACT = 'Exact',
  /**
   * Element-wise prefix, split by `/`, case-sensitive; a trailing `/` in the value is ignored:
   * `/abc` matches `/abc`, `/abc/` and `/abc/def`, not `/abcd`.
   */
  PATH_PREFIX = 'PathPrefix',
  /** Implementation-specific regular expression. */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** `type` of a header or query parameter match. */
export enum HttpValueMatchType {
  /** The value equals, case-sensitively (the default). */
  EXACT = 'Exact',
  /** Implementation-specific regular expression. */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** HTTP methods an HTTPRoute can match. */
export enum HttpMethod {
  GET = 'GET', HEAD = 'HEAD', POST = 'POST', PUT = 'PUT', DELETE = 'DELETE',
  CONNECT = 'CONNECT', OPTIONS = 'OPTIONS', TRACE = 'TRACE', PATCH = 'PATCH',
}

/** A header or query parameter condition. Header names are case-insensitive; values are not. */
export interface HttpValueMatch {
  readonly name: string;
  readonly value: string;
  /** @default HttpValueMatchType.EXACT */
  readonly type?: HttpValueMatchType;
}

/** One match: all its conditions must hold (AND); a rule's matches are ORed. */
export interface HttpRouteMatch {
  /** @default - PathPrefix `/` */
  readonly path?: { readonly value: string; /** @default HttpPathMatchType.PATH_PREFIX */ readonly type?: HttpPathMatchType };
  /** @default - none */
  readonly headers?: readonly HttpValueMatch[];
  /** Query parameter names are case-sensitive. @default - none */
  readonly queryParams?: readonly HttpValueMatch[];
  /** @default - any method */
  readonly method?: HttpMethod;
}

/** How a redirect or rewrite changes the path. */
export type HttpPathModifier =
  /** Replace the whole path. */
  | { readonly replaceFullPath: string }
  /** Replace the matched PathPrefix (the rule needs exactly one PathPrefix match). */
  | { readonly replacePrefixMatch: string };

/** Headers to set (replace), add (append) or remove. */
export interface HttpHeaderModifier {
  /** @default - none */
  readonly set?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly add?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly remove?: readonly string[];
}

/** Options of {@link HttpRouteFilter.requestRedirect}. */
export interface HttpRequestRedirect {
  /** @default - the request's scheme */
  readonly scheme?: 'http' | 'https';
  /** @default - the request's host */
  readonly hostname?: string;
  /** @default - the request's path */
  readonly path?: HttpPathModifier;
  /** @default - the well-known port of the scheme */
  readonly port?: number;
  /** @default 302 */
  readonly statusCode?: 301 | 302 | 303 | 307 | 308;
}

/** A filter: processing a rule (or one backend) applies to matching requests. */
export class HttpRouteFilter {
  /** Sets, adds or removes request headers before forwarding. */
  public static requestHeaderModifier(modifier: HttpHeaderModifier): HttpRouteFilter {
    return new HttpRouteFilter(() => ({ type: 'RequestHeaderModifier', requestHeaderModifier: renderHeaderModifier(modifier) }));
  }

  /** Sets, adds or removes response headers. */
  public static responseHeaderModifier(modifier: HttpHeaderModifier): HttpRouteFilter {
    return new HttpRouteFilter(() => ({ type: 'ResponseHeaderModifier', responseHeaderModifier: renderHeaderModifier(modifier) }));
  }

  /** Answers with a redirect instead of forwarding (the rule must have no backendRefs). */
  public static requestRedirect(redirect: HttpRequestRedirect): HttpRouteFilter {
    return new HttpRouteFilter(() => ({
      type: 'RequestRedirect',
      requestRedirect: { scheme: redirect.scheme, hostname: redirect.hostname, port: redirect.port, statusCode: redirect.statusCode, path: renderPathModifier(redirect.path) },
    }));
  }

  /** Rewrites the host and/or path before forwarding. */
  public static urlRewrite(rewrite: { readonly hostname?: string; readonly path?: HttpPathModifier }): HttpRouteFilter {
    return new HttpRouteFilter(() => ({ type: 'URLRewrite', urlRewrite: { hostname: rewrite.hostname, path: renderPathModifier(rewrite.path) } }));
  }

  /**
   * Copies requests to a Service port (responses are ignored).
   * @param port @default - the Service's only port
   */
  public static requestMirror(service: Service, port?: number | string): HttpRouteFilter {
    const ref = HttpBackendRef.fromService(service, { port });
    return new HttpRouteFilter((namespace) => {
      const wire = ref._toWire(namespace);
      return { type: 'RequestMirror', requestMirror: { backendRef: { name: wire.name, namespace: wire.namespace, port: wire.port } } };
    }, ref);
  }

  /** An implementation-specific filter object. */
  public static extensionRef(ref: { readonly group: string; readonly kind: string; readonly name: string }): HttpRouteFilter {
    return new HttpRouteFilter(() => ({ type: 'ExtensionRef', extensionRef: { ...ref } }));
  }

  private constructor(private readonly render: (routeNamespace: string | undefined) => HttpRouteFilterWire, private readonly backend?: HttpBackendRef) {}

  /** @internal */
  public _toWire(routeNamespace: string | undefined): HttpRouteFilterWire {
    return this.render(routeNamespace);
  }

  /** @internal */
  public _referenceProblems(at: string): string[] {
    return this.backend ? this.backend._referenceProblems(at) : [];
  }
}

/** Options of {@link HttpBackendRef.fromService}. */
export interface HttpBackendRefOptions {
  /**
   * The Service port: its number, or its name (resolved to the number at synth time, since
   * HTTPRoute backends take numbers only).
   * @default - the Service's only port
   */
  readonly port?: number | string;
  /** Relative share of the rule's traffic (not a percentage). @default 1 */
  readonly weight?: number;
  /** Filters applied only when this backend is chosen. @default - none */
  readonly filters?: readonly HttpRouteFilter[];
}

/** A backend of an HTTPRoute rule: a Service port, with a weight. */
export class HttpBackendRef {
  /** A port of a Service of this library; the port is checked at synth time. */
  public static fromService(service: Service, options: HttpBackendRefOptions = {}): HttpBackendRef {
    return new HttpBackendRef({ service, ...options });
  }

  /** Any backend by reference (e.g. a Service outside this app). */
  public static fromRef(ref: { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly port?: number },
    options: Omit<HttpBackendRefOptions, 'port'> = {}): HttpBackendRef {
    return new HttpBackendRef({ ref, ...options });
  }

  private constructor(private readonly target: HttpBackendRefOptions & {
    readonly service?: Service;
    readonly ref?: { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string; readonly port?: number };
  }) {}

  /** The Service of this library, if any. */
  public get service(): Service | undefined {
    return this.target.service;
  }

  /** @default 1 */
  public get weight(): number {
    return this.target.weight ?? 1;
  }

  /** @internal */
  public _toWire(routeNamespace: string | undefined): GatewayObjectRefWire & { weight?: number; filters?: HttpRouteFilterWire[] } {
    const filters = this.target.filters?.map((f) => f._toWire(routeNamespace));
    if (this.target.ref) return { ...this.target.ref, weight: this.target.weight, filters };
    const service = this.target.service as Service;
    return {
      name: service.name,
      namespace: service.namespace !== routeNamespace ? service.namespace : undefined,
      port: resolveServicePort(service, this.target.port),
      weight: this.target.weight,
      filters,
    };
  }

  /** @internal */
  public _referenceProblems(at: string): string[] {
    const problems = (this.target.filters ?? []).flatMap((f, i) => f._referenceProblems(`${at} filter ${i}`));
    const service = this.target.service;
    if (service) problems.push(...servicePortProblems(service, this.target.port, at));
    return problems;
  }
}

/** Options of {@link ParentRef.gateway}. */
export interface GatewayParentOptions {
  /** The listener's name. @default - every listener that accepts the route */
  readonly sectionName?: string;
  /** Listeners on this port. @default - any port */
  readonly port?: number;
}

/** What an HTTPRoute attaches to: a Gateway (north-south) or a Service (GAMMA mesh routing). */
export class ParentRef {
  /** A Gateway of this app; `sectionName` and `port` are checked against its listeners. */
  public static gateway(gateway: Gateway, options: GatewayParentOptions = {}): ParentRef {
    return new ParentRef({ gateway, ...options });
  }

  /**
   * A Service (GAMMA): the route applies to mesh traffic sent to the Service.
   * @param port the Service port (name or number) the route applies to @default - every port
   */
  public static service(service: Service, port?: number | string): ParentRef {
    return new ParentRef({ service, port });
  }

  /** A ListenerSet of this app (its listeners take the route; the Gateway's own do not). */
  public static listenerSet(listenerSet: { readonly name: string; readonly namespace?: string }, options: { readonly sectionName?: string } = {}): ParentRef {
    return new ParentRef({ ref: { group: GATEWAY_API_GROUP, kind: 'ListenerSet', name: listenerSet.name, sectionName: options.sectionName }, listenerSetNamespace: listenerSet.namespace });
  }

  /** Any parent by reference. */
  public static fromRef(ref: GatewayObjectRefWire): ParentRef {
    return new ParentRef({ ref });
  }

  private constructor(private readonly target: {
    readonly gateway?: Gateway;
    readonly service?: Service;
    readonly sectionName?: string;
    readonly port?: number | string;
    readonly ref?: GatewayObjectRefWire;
    readonly listenerSetNamespace?: string;
  }) {}

  /** @internal */
  public _toWire(routeNamespace: string | undefined): GatewayObjectRefWire {
    const { gateway, service, sectionName, ref, listenerSetNamespace } = this.target;
    if (ref) return { ...ref, ...(listenerSetNamespace !== undefined && listenerSetNamespace !== routeNamespace ? { namespace: listenerSetNamespace } : {}) };
    if (gateway) {
      return {
        group: GATEWAY_API_GROUP, kind: 'Gateway', name: gateway.name,
        namespace: gateway.namespace !== routeNamespace ? gateway.namespace : undefined,
        sectionName, port: typeof this.target.port === 'number' ? this.target.port : undefined,
      };
    }
    const svc = service as Service;
    return {
      group: '', kind: 'Service', name: svc.name,
      namespace: svc.namespace !== routeNamespace ? svc.namespace : undefined,
      port: this.target.port === undefined ? undefined : resolveServicePort(svc, this.target.port),
    };
  }

  /** @internal */
  public _referenceProblems(at: string): string[] {
    const { gateway, service, sectionName, port } = this.target;
    if (service) return port === undefined ? [] : servicePortProblems(service, port, at);
    if (!gateway) return [];
    const listeners = gateway.listeners;
    const fits = listeners.filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
    if (fits.length > 0) return [];
    const described = listeners.map((l) => `${l.name} (${l.protocol} ${l.port})`).join(', ') || 'none';
    const wanted = [sectionName !== undefined ? `named "${sectionName}"` : '', port !== undefined ? `on port ${port}` : ''].filter(Boolean).join(' and ');
    return [`${at}: Gateway "${gateway.name}" has no listener ${wanted} (its listeners: ${described}), so the route would not be Accepted (NoMatchingParent). ` +
      'Fix: use the name or port of one of its listeners'];
  }
}

/** Timeouts of a rule. */
export interface HttpRouteTimeouts {
  /** The whole request, retries included; `Duration.seconds(0)` disables it. @default - the implementation's */
  readonly request?: Duration;
  /** Each request to a backend; at most `request`. @default - the implementation's */
  readonly backendRequest?: Duration;
}

/** A rule: matches, filters, weighted backends and timeouts. */
export interface HttpRouteRule {
  /** @default - unnamed */
  readonly name?: string;
  /** ORed; each match ANDs its conditions. @default - one PathPrefix `/` match */
  readonly matches?: readonly HttpRouteMatch[];
  /** @default - none */
  readonly filters?: readonly HttpRouteFilter[];
  /** Traffic is split by weight. With none (and no filters) matching requests get 500. @default - none */
  readonly backendRefs?: readonly HttpBackendRef[];
  /** @default - none */
  readonly timeouts?: HttpRouteTimeouts;
}

/** Props of {@link HttpRoute}. */
export interface HttpRouteProps {
  /** @default - name generated by cdk8s from the construct path */
  readonly metadata?: ApiObjectMetadata;
  /** Gateways (or Services, for GAMMA) to attach to. @default - none; add with `addParentRef()` */
  readonly parentRefs?: readonly (Gateway | Service | ParentRef)[];
  /**
   * Hosts the route serves; intersected with the listeners' hostnames (`*.example.com` covers
   * one or more labels).
   * @default - every host the listener accepts
   */
  readonly hostnames?: readonly string[];
  /** @default - none; add with `addRule()` */
  readonly rules?: readonly HttpRouteRule[];
}

/**
 * An HTTPRoute (`gateway.networking.k8s.io/v1`): HTTP routing rules attached to Gateways
 * (ingress) or Services (GAMMA mesh routing), with weighted backends.
 *
 * @example
 * new HttpRoute(chart, 'shop', {
 *   parentRefs: [gateway],
 *   hostnames: ['shop.example.com'],
 *   rules: [{ backendRefs: [HttpBackendRef.fromService(stable, { port: 'http', weight: 90 }), HttpBackendRef.fromService(canary, { port: 'http', weight: 10 })] }],
 * });
 */
export class HttpRoute extends NamespacedResource {
  /** The underlying L1 object. */
  public readonly apiObject: gwapi.HttpRoute;

  private readonly parents: ParentRef[];
  private readonly hostnameList: string[];
  private readonly ruleList: HttpRouteRule[];

  public constructor(scope: Construct, id: string, props: HttpRouteProps = {}) {
    super(scope, id);
    this.parents = (props.parentRefs ?? []).map(toParentRef);
    this.hostnameList = [...(props.hostnames ?? [])];
    this.ruleList = [...(props.rules ?? [])];
    this.apiObject = this.createApiObject(gatewayApi().HttpRoute, { metadata: props.metadata, spec: () => this.renderSpec() });
  }

  /** The rules, in order. */
  public get rules(): readonly HttpRouteRule[] {
    return this.ruleList;
  }

  /** Attaches the route to a Gateway, a Service (GAMMA), or any parent. */
  public addParentRef(parent: Gateway | Service | ParentRef): void {
    this.parents.push(toParentRef(parent));
  }

  /** Adds a hostname. */
  public addHostname(hostname: string): void {
    this.hostnameList.push(hostname);
  }

  /** Adds a rule (rules of one route are ordered; precedence across rules follows the spec). */
  public addRule(rule: HttpRouteRule): void {
    this.ruleList.push(rule);
  }

  private renderSpec(): NonNullable<HttpRouteWire['spec']> {
    const ns = this.namespace;
    return {
      parentRefs: this.parents.length > 0 ? this.parents.map((p) => p._toWire(ns)) : undefined,
      hostnames: this.hostnameList.length > 0 ? [...this.hostnameList] : undefined,
      rules: this.ruleList.length > 0 ? this.ruleList.map((rule) => ({
        name: rule.name,
        matches: rule.matches?.map(renderMatch),
        filters: rule.filters?.map((f) => f._toWire(ns)),
        backendRefs: rule.backendRefs?.map((b) => b._toWire(ns)),
        timeouts: rule.timeouts ? { request: formatGatewayDuration(rule.timeouts.request), backendRequest: formatGatewayDuration(rule.timeouts.backendRequest) } : undefined,
      })) : undefined,
    };
  }

  protected validationMessages(): string[] {
    const messages = this.manifestProblems(validateHttpRoute);
    const prefix = `HTTPRoute "${this.name}"`;
    this.parents.forEach((p, i) => messages.push(...p._referenceProblems(`${prefix}: spec.parentRefs[${i}]`)));
    this.ruleList.forEach((rule, i) => {
      (rule.backendRefs ?? []).forEach((b, j) => messages.push(...b._referenceProblems(`${prefix}: spec.rules[${i}].backendRefs[${j}]`)));
      (rule.filters ?? []).forEach((f, j) => messages.push(...f._referenceProblems(`${prefix}: spec.rules[${i}].filters[${j}]`)));
    });
    return messages;
  }
}

function toParentRef(parent: Gateway | Service | ParentRef): ParentRef {
  if (parent instanceof ParentRef) return parent;
  return parent instanceof Gateway ? ParentRef.gateway(parent) : ParentRef.service(parent);
}

function renderMatch(m: HttpRouteMatch): HttpRouteMatchWire {
  return {
    path: m.path ? { type: m.path.type ?? HttpPathMatchType.PATH_PREFIX, value: m.path.value } : undefined,
    headers: m.headers?.map((h) => ({ type: h.type, name: h.name, value: h.value })),
    queryParams: m.queryParams?.map((q) => ({ type: q.type, name: q.name, value: q.value })),
    method: m.method,
  };
}

function renderHeaderModifier(m: HttpHeaderModifier): NonNullable<HttpRouteFilterWire['requestHeaderModifier']> {
  const list = (r?: Readonly<Record<string, string>>) => (r ? Object.entries(r).map(([name, value]) => ({ name, value })) : undefined);
  return { set: list(m.set), add: list(m.add), remove: m.remove ? [...m.remove] : undefined };
}

function renderPathModifier(path: HttpPathModifier | undefined): { type: string; replaceFullPath?: string; replacePrefixMatch?: string } | undefined {
  if (!path) return undefined;
  return 'replaceFullPath' in path
    ? { type: 'ReplaceFullPath', replaceFullPath: path.replaceFullPath }
    : { type: 'ReplacePrefixMatch', replacePrefixMatch: path.replacePrefixMatch };
}

/** A cdk8s Duration in Gateway API form (`1h30m`, `500ms`, `0s`). */
export function formatGatewayDuration(duration: Duration | undefined): string | undefined {
  if (duration === undefined) return undefined;
  let ms = duration.toMilliseconds();
  if (ms === 0) return '0s';
  // Sub-second values read best in milliseconds while they fit the 5-digit limit.
  if (ms % 1000 !== 0 && ms <= 99_999) return `${ms}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) parts.push(`${n}${unit}`);
    ms -= n * size;
  }
  return parts.join('');
}

/** The number of a Service port given by name or number (the only port when not given). */
function resolveServicePort(service: Service, port: number | string | undefined): number | undefined {
  return port === undefined ? onlyServicePortNumber(service) : servicePortNumber(service, port);
}

/** The port must exist on the Service (by name or number); without one, the Service must have exactly one. */
function servicePortProblems(service: Service, port: number | string | undefined, at: string): string[] {
  return port === undefined
    ? unnamedServicePort(service, at, 'the reference', 'pass `port` (the Service port name or number)')
    : missingServicePort(service, port, at);
}

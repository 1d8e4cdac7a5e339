import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type * as istio from '../imports/istio-networking.istio.io';
import { istioApi } from './l1';
import { DestinationRule } from './istio-destination-rule';
import { formatIstioDuration, istioHostOf, StringMatch } from './istio-common';
import { IstioGateway } from './istio-gateway';
import { IstioDestinationWire, IstioHttpRouteWire, validateVirtualService, VirtualServiceWire } from '../k8s/istio-validation';
import { NamespacedResource } from './resource';
import { missingServicePort, servicePortNumber } from './service-ports';
import type { Service } from './service';

/** Options of a destination: which port and subset. */
export interface IstioDestinationOptions {
  /**
   * The Service port (number, or name resolved to its number at synth time).
   * @default - the port the request arrived on (required when routing from a gateway to a Service with several ports)
   */
  readonly port?: number | string;
  /** A subset defined by a DestinationRule for the host. @default - all the host's pods */
  readonly subset?: string;
}

/** Where a VirtualService sends (or mirrors) requests: a host, optionally a port and subset. */
export class IstioDestination {
  /** A Service of this app (its port is checked at synth time). */
  public static service(service: Service, options: IstioDestinationOptions = {}): IstioDestination {
    return new IstioDestination({ service, ...options });
  }

  /**
   * A subset of a DestinationRule of this app: the host is the rule's host, and the subset is
   * checked to exist in the rule at synth time.
   */
  public static subset(rule: DestinationRule, subset: string, options: Omit<IstioDestinationOptions, 'subset'> = {}): IstioDestination {
    return new IstioDestination({ rule, subset, ...options, service: rule.service });
  }

  /** Any host (a ServiceEntry host, a Service FQDN outside this app). */
  public static host(host: string, options: { readonly port?: number; readonly subset?: string } = {}): IstioDestination {
    return new IstioDestination({ host, ...options });
  }

  private constructor(private readonly target: IstioDestinationOptions & {
    readonly service?: Service;
    readonly rule?: DestinationRule;
    readonly host?: string;
  }) {}

  /** @internal */
  public _toWire(fromNamespace: string | undefined): IstioDestinationWire {
    const { service, rule, host, port, subset } = this.target;
    const number = service ? servicePortNumber(service, port) : typeof port === 'number' ? port : undefined;
    return {
      host: rule && !service ? rule.host : service ? istioHostOf(service, fromNamespace) : host ?? '',
      subset,
      port: number === undefined ? undefined : { number },
    };
  }

  /** @internal */
  public _referenceProblems(at: string): string[] {
    const { service, rule, port, subset } = this.target;
    const problems = service && port !== undefined ? missingServicePort(service, port, at) : [];
    if (rule && subset !== undefined && !rule.subsets.some((s) => s.name === subset)) {
      const names = rule.subsets.map((s) => s.name).join(', ') || 'none';
      problems.push(`${at}: DestinationRule "${rule.name}" has no subset "${subset}" (its subsets: ${names}), so requests routed here get 503 (no healthy upstream). ` +
        'Fix: add the subset with `addSubset()`, or route to an existing one');
    }
    return problems;
  }
}

/** Conditions of one match block: all must hold (AND); a route's match blocks are ORed. */
export interface VirtualServiceHttpMatch {
  /** @default - unnamed */
  readonly name?: string;
  /** The path; `prefix` is a plain string prefix (`/static` matches `/staticfoo`). @default - any */
  readonly uri?: StringMatch;
  /** @default - any */
  readonly scheme?: StringMatch;
  /** @default - any */
  readonly method?: StringMatch;
  /** The Host / :authority header. @default - any */
  readonly authority?: StringMatch;
  /** Header names in lower case; `{ exact: '' }` matches presence with an empty value. @default - none */
  readonly headers?: Readonly<Record<string, StringMatch>>;
  /** @default - none */
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  /** Headers that must not match. @default - none */
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  /** Case-insensitive `uri` exact/prefix. @default false */
  readonly ignoreUriCase?: boolean;
  /** @default - any port */
  readonly port?: number;
  /** Only requests from pods with these labels (mesh only). @default - any */
  readonly sourceLabels?: Readonly<Record<string, string>>;
  /** @default - the VirtualService's gateways */
  readonly gateways?: readonly string[];
  /** @default - any */
  readonly sourceNamespace?: string;
}

/** A weighted destination of a route. */
export interface VirtualServiceRouteDestination {
  readonly destination: IstioDestination;
  /**
   * Relative share (`weight / sum of weights`); with a single destination it gets everything.
   * @default - 0 (all traffic when it is the only destination)
   */
  readonly weight?: number;
}

/** Header operations. */
export interface IstioHeaderOperations {
  /** @default - none */
  readonly set?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly add?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly remove?: readonly string[];
}

/** An HTTP route of a VirtualService: the first route whose match holds is used. */
export interface VirtualServiceHttpRoute {
  /** @default - unnamed */
  readonly name?: string;
  /** ORed match blocks. @default - matches every request */
  readonly match?: readonly VirtualServiceHttpMatch[];
  /** Weighted destinations. @default - none (then a redirect or direct response is required) */
  readonly route?: readonly VirtualServiceRouteDestination[];
  /** @default - none */
  readonly redirect?: { readonly uri?: string; readonly authority?: string; readonly port?: number; readonly scheme?: 'http' | 'https'; readonly redirectCode?: number };
  /** Answer directly with a status (and body). @default - none */
  readonly directResponse?: { readonly status: number; readonly body?: string };
  /** Rewrite the matched path prefix (`uri`) or the authority. @default - none */
  readonly rewrite?: { readonly uri?: string; readonly authority?: string };
  /** @default - no timeout */
  readonly timeout?: Duration;
  /** @default - Istio's default (2 attempts) */
  readonly retries?: { readonly attempts: number; readonly perTryTimeout?: Duration; readonly retryOn?: string };
  /** Fault injection. @default - none */
  readonly fault?: {
    readonly delay?: { readonly fixedDelay: Duration; readonly percentage?: number };
    readonly abort?: { readonly httpStatus: number; readonly percentage?: number };
  };
  /** @default - none */
  readonly mirror?: IstioDestination;
  /** @default 100 (when `mirror` is set) */
  readonly mirrorPercentage?: number;
  /** @default - none */
  readonly headers?: { readonly request?: IstioHeaderOperations; readonly response?: IstioHeaderOperations };
}

/** Props of {@link VirtualService}. */
export interface VirtualServiceProps {
  /** @default - name generated by cdk8s from the construct path */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Hosts the rules apply to: Services of this app (short name in the same namespace, FQDN
   * otherwise) or host names (`*.example.com` covers any subdomain).
   * @default - none; add with `addHost()` (at least one is required)
   */
  readonly hosts?: readonly (Service | string)[];
  /**
   * Gateways (Istio Gateways of this app, `<namespace>/<name>`, or `mesh` for every sidecar).
   * @default - the mesh only
   */
  readonly gateways?: readonly (IstioGateway | string)[];
  /** @default - none; add with `addHttpRoute()` */
  readonly http?: readonly VirtualServiceHttpRoute[];
  /** @default - all namespaces */
  readonly exportTo?: readonly string[];
}

/**
 * An Istio VirtualService (`networking.istio.io/v1`): ordered HTTP routes for a set of hosts,
 * applied by the mesh sidecars and/or the bound gateways. The first route whose match holds is
 * used; destinations are weighted and may name DestinationRule subsets.
 *
 * @example
 * const vs = new VirtualService(chart, 'reviews', { hosts: [reviews] });
 * vs.addHttpRoute({ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: IstioDestination.subset(rule, 'v2') }] });
 * vs.addHttpRoute({ route: [{ destination: IstioDestination.subset(rule, 'v1') }] });
 */
export class VirtualService extends NamespacedResource {
  /** The underlying L1 object. */
  public readonly apiObject: istio.VirtualService;

  private readonly hostList: (Service | string)[];
  private readonly gatewayList: (IstioGateway | string)[];
  private readonly routeList: VirtualServiceHttpRoute[];

  public constructor(scope: Construct, id: string, props: VirtualServiceProps = {}) {
    super(scope, id);
    this.hostList = [...(props.hosts ?? [])];
    this.gatewayList = [...(props.gateways ?? [])];
    this.routeList = [...(props.http ?? [])];
    this.apiObject = this.createApiObject(istioApi().VirtualService, {
      metadata: props.metadata,
      spec: (): NonNullable<VirtualServiceWire['spec']> => ({
        hosts: this.hosts,
        gateways: this.gatewayList.length > 0 ? this.gateways : undefined,
        http: this.routeList.length > 0 ? this.routeList.map((r) => this.renderRoute(r)) : undefined,
        exportTo: props.exportTo ? [...props.exportTo] : undefined,
      }),
    });
  }

  /** `spec.hosts` as they will be synthesized. */
  public get hosts(): string[] {
    return this.hostList.map((h) => (typeof h === 'string' ? h : istioHostOf(h, this.namespace)));
  }

  /** `spec.gateways` as they will be synthesized. */
  public get gateways(): string[] {
    return this.gatewayList.map((g) => {
      if (typeof g === 'string') return g;
      return (g.namespace ?? '') === (this.namespace ?? '') ? g.name : `${g.namespace ?? 'default'}/${g.name}`;
    });
  }

  /** The HTTP routes, in order. */
  public get httpRoutes(): readonly VirtualServiceHttpRoute[] {
    return this.routeList;
  }

  /** Adds a host. */
  public addHost(host: Service | string): void {
    this.hostList.push(host);
  }

  /** Binds the rules to a gateway (`mesh` for the sidecars). */
  public addGateway(gateway: IstioGateway | string): void {
    this.gatewayList.push(gateway);
  }

  /** Appends an HTTP route; routes are tried in order, so add catch-alls last. */
  public addHttpRoute(route: VirtualServiceHttpRoute): void {
    this.routeList.push(route);
  }

  private renderRoute(r: VirtualServiceHttpRoute): IstioHttpRouteWire & Record<string, unknown> {
    const ns = this.namespace;
    return {
      name: r.name,
      match: r.match?.map((m) => ({ ...m, gateways: m.gateways ? [...m.gateways] : undefined })),
      route: r.route?.map((d) => ({ destination: d.destination._toWire(ns), weight: d.weight })),
      redirect: r.redirect ? { ...r.redirect } : undefined,
      directResponse: r.directResponse ? { status: r.directResponse.status, body: r.directResponse.body !== undefined ? { string: r.directResponse.body } : undefined } : undefined,
      rewrite: r.rewrite ? { ...r.rewrite } : undefined,
      timeout: formatIstioDuration(r.timeout),
      retries: r.retries ? { attempts: r.retries.attempts, perTryTimeout: formatIstioDuration(r.retries.perTryTimeout), retryOn: r.retries.retryOn } : undefined,
      fault: r.fault ? {
        delay: r.fault.delay ? { fixedDelay: formatIstioDuration(r.fault.delay.fixedDelay), percentage: percent(r.fault.delay.percentage) } : undefined,
        abort: r.fault.abort ? { httpStatus: r.fault.abort.httpStatus, percentage: percent(r.fault.abort.percentage) } : undefined,
      } : undefined,
      mirror: r.mirror?._toWire(ns),
      mirrorPercentage: percent(r.mirrorPercentage),
      headers: r.headers ? { request: copyOps(r.headers.request), response: copyOps(r.headers.response) } : undefined,
    };
  }

  protected validationMessages(): string[] {
    const messages = this.manifestProblems(validateVirtualService);
    const prefix = `VirtualService "${this.name}"`;
    this.routeList.forEach((r, i) => {
      (r.route ?? []).forEach((d, j) => messages.push(...d.destination._referenceProblems(`${prefix}: spec.http[${i}].route[${j}].destination`)));
      if (r.mirror) messages.push(...r.mirror._referenceProblems(`${prefix}: spec.http[${i}].mirror`));
    });
    return messages;
  }
}

function percent(value: number | undefined): { value: number } | undefined {
  return value === undefined ? undefined : { value };
}

function copyOps(ops: IstioHeaderOperations | undefined): Record<string, unknown> | undefined {
  return ops ? { set: ops.set ? { ...ops.set } : undefined, add: ops.add ? { ...ops.add } : undefined, remove: ops.remove ? [...ops.remove] : undefined } : undefined;
}

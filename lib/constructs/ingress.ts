import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressClass } from './ingress-class';
import { IngressBackendWire, IngressPathWire, IngressWire, validateIngress } from '../k8s/ingress-validation';
import { NamespacedResource } from './resource';
import { missingServicePort, onlyServicePortNumber, unnamedServicePort, type IServicePorts } from './service-ports';

/**
 * `pathType` of an Ingress path (`networking.k8s.io/v1` HTTPIngressPath). The meanings follow
 * the Kubernetes API and KEP-1453; note that the doc comments of cdk8s-plus's
 * `HttpIngressPathType` have EXACT and PREFIX the wrong way round.
 */
export enum IngressPathType {
  /**
   * Matches the URL path exactly, case-sensitively: `/foo` matches `/foo` only, not `/foo/`,
   * `/Foo` or `/foo/bar`.
   */
  EXACT = 'Exact',
  /**
   * Matches by URL path prefix, element by element (split by `/`), case-sensitively: `/foo`
   * matches `/foo`, `/foo/` and `/foo/bar`, but not `/foobar`. A trailing `/` in the path is
   * ignored (`/foo/` behaves as `/foo`). When several paths match, the longest wins, and Exact
   * wins over Prefix.
   */
  PREFIX = 'Prefix',
  /**
   * Matching is up to the IngressClass's controller (ingress-nginx treats it as a plain string
   * prefix, or as a regular expression with the `use-regex` annotation).
   */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** A resource an Ingress can route to instead of a Service (e.g. a storage bucket CRD). */
export interface IngressResourceReference {
  /** @default - the core API group */
  readonly apiGroup?: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * Where an Ingress path (or the default backend) sends requests: a Service port, by name or
 * number, or another resource.
 */
export class IngressBackend {
  /**
   * A port of a Service of this library. The port is checked at synth time: it must be a port
   * of the Service (by `name`, or by `port` number), and the Service must be in the Ingress's
   * namespace.
   * @param service the Service
   * @param port the Service port's name (e.g. `'http'`) or number (e.g. `80`)
   * @default port - the Service's only port (an error if it has several)
   */
  public static fromService(service: IServicePorts, port?: number | string): IngressBackend {
    return new IngressBackend({ service, port });
  }

  /**
   * A Service outside this app, by name; nothing is checked beyond the API server's syntax rules.
   * @param name Service name, in the Ingress's namespace
   * @param port the Service port's name or number
   */
  public static fromServiceName(name: string, port: number | string): IngressBackend {
    return new IngressBackend({ serviceName: name, port });
  }

  /** Another resource, e.g. `{ apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' }`, or an ApiObject. */
  public static fromResource(resource: IngressResourceReference | ApiObject): IngressBackend {
    const ref: IngressResourceReference = resource instanceof ApiObject
      ? { apiGroup: resource.apiGroup === 'core' ? undefined : resource.apiGroup, kind: resource.kind, name: resource.name }
      : resource;
    return new IngressBackend({ resource: ref });
  }

  private constructor(private readonly target: {
    readonly service?: IServicePorts;
    readonly serviceName?: string;
    readonly port?: number | string;
    readonly resource?: IngressResourceReference;
  }) {}

  /** The Service of this library this backend routes to, if any. */
  public get service(): IServicePorts | undefined {
    return this.target.service;
  }

  /** The port as given (`undefined` means the Service's only port). */
  public get port(): number | string | undefined {
    return this.target.port;
  }

  /** @internal */
  public _toKube(): IngressBackendWire {
    const { service, serviceName, resource } = this.target;
    if (resource) return { resource: { apiGroup: resource.apiGroup, kind: resource.kind, name: resource.name } };
    const port = this.resolvedPort();
    return {
      service: {
        name: service ? service.name : serviceName ?? '',
        port: port === undefined ? undefined : typeof port === 'number' ? { number: port } : { name: port },
      },
    };
  }

  /**
   * What the API server cannot check: that the port exists on the Service and the Service is in
   * the Ingress's namespace.
   * @internal
   */
  public _referenceProblems(ingressNamespace: string | undefined, at: string): string[] {
    const service = this.target.service;
    if (!service) return [];
    const port = this.target.port;
    const problems = port === undefined
      ? unnamedServicePort(service, at, 'the backend', 'pass the port, e.g. `IngressBackend.fromService(service, \'http\')`')
      : missingServicePort(service, port, at);
    if ((service.namespace ?? '') !== (ingressNamespace ?? '')) {
      problems.push(`${at}: Service "${service.name}" is in namespace "${service.namespace ?? '(none)'}", but an Ingress can only route to Services ` +
        `in its own namespace ("${ingressNamespace ?? '(none)'}"). Fix: create the Ingress in the Service's namespace`);
    }
    return problems;
  }

  /** The port to synthesize: as given, or the Service's only port number. */
  private resolvedPort(): number | string | undefined {
    const { service, port } = this.target;
    return port ?? (service ? onlyServicePortNumber(service) : undefined);
  }
}

/** One path of an Ingress rule. */
export interface IngressRule {
  /**
   * Host the rule applies to: a DNS name, or `*.` plus one (the wildcard covers exactly one
   * label: `*.foo.com` matches `bar.foo.com`, not `foo.com` or `baz.bar.foo.com`).
   * @default - every host
   */
  readonly host?: string;
  /** @default '/' */
  readonly path?: string;
  /** @default IngressPathType.PREFIX */
  readonly pathType?: IngressPathType;
  readonly backend: IngressBackend;
}

/** A TLS entry: which hosts a certificate Secret covers (HTTPS on port 443, chosen by SNI). */
export interface IngressTls {
  /**
   * Hosts of the certificate; they must match the rules' `host` values for TLS to apply.
   * @default - the controller's default (usually all hosts)
   */
  readonly hosts?: readonly string[];
  /**
   * A Secret of type `kubernetes.io/tls` in the Ingress's namespace.
   * @default - the controller's default certificate (SNI-only routing)
   */
  readonly secretName?: string;
}

/** Props of {@link Ingress}. */
export interface IngressProps {
  /** @default - name generated by cdk8s from the construct path */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The IngressClass (its name, or the construct) whose controller serves this Ingress.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string | IngressClass;
  /**
   * Backend for requests that match no rule.
   * @default - up to the controller (ingress-nginx answers 404)
   */
  readonly defaultBackend?: IngressBackend;
  /** @default - none; add with `addRule()` / `addHostRule()` */
  readonly rules?: readonly IngressRule[];
  /** @default - no TLS */
  readonly tls?: readonly IngressTls[];
}

/**
 * An Ingress (`networking.k8s.io/v1`): HTTP(S) routing by host and path to Service ports,
 * served by the controller of its IngressClass. Backends name Service ports by name or number
 * and are checked against the Service at synth time.
 *
 * @example
 * const ingress = new Ingress(chart, 'shop', { className: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] });
 * ingress.addHostRule('shop.example.com', '/api', IngressBackend.fromService(api, 'http'));
 * ingress.addHostRule('shop.example.com', '/healthz', IngressBackend.fromService(api, 8080), IngressPathType.EXACT);
 */
export class Ingress extends NamespacedResource {
  /** The underlying L1 object. */
  public readonly apiObject: ApiObject;

  private readonly className?: string | IngressClass;
  private readonly ruleList: IngressRule[];
  private readonly tlsList: IngressTls[];
  private defaultBackendValue?: IngressBackend;

  public constructor(scope: Construct, id: string, props: IngressProps = {}) {
    super(scope, id);
    this.className = props.className;
    this.ruleList = [...(props.rules ?? [])];
    this.tlsList = [...(props.tls ?? [])];
    this.defaultBackendValue = props.defaultBackend;
    this.apiObject = this.createApiObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, { metadata: props.metadata, spec: () => this.renderSpec() });
  }

  /** `spec.ingressClassName` as it will be synthesized. */
  public get ingressClassName(): string | undefined {
    return this.className instanceof IngressClass ? this.className.name : this.className;
  }

  /** The rules, in the order they were added. */
  public get rules(): readonly IngressRule[] {
    return this.ruleList;
  }

  /** Routes `path` on every host. @param pathType @default IngressPathType.PREFIX */
  public addRule(path: string, backend: IngressBackend, pathType?: IngressPathType): void {
    this.ruleList.push({ path, backend, pathType });
  }

  /** Routes `path` on `host`. @param pathType @default IngressPathType.PREFIX */
  public addHostRule(host: string, path: string, backend: IngressBackend, pathType?: IngressPathType): void {
    this.ruleList.push({ host, path, backend, pathType });
  }

  /** Routes everything on `host` that no longer path matches (Prefix `/`). */
  public addHostDefaultBackend(host: string, backend: IngressBackend): void {
    this.ruleList.push({ host, path: '/', backend, pathType: IngressPathType.PREFIX });
  }

  /** Sets `spec.defaultBackend`, for requests that match no rule. */
  public addDefaultBackend(backend: IngressBackend): void {
    if (this.defaultBackendValue) throw new Error(`${this.node.path}: the Ingress already has a default backend`);
    this.defaultBackendValue = backend;
  }

  /** Adds TLS entries. */
  public addTls(tls: readonly IngressTls[]): void {
    this.tlsList.push(...tls);
  }

  private renderSpec(): IngressWire['spec'] {
    // One rule per host (in first-seen order), holding that host's paths in the order added.
    const byHost = new Map<string, IngressPathWire[]>();
    for (const rule of this.ruleList) {
      const host = rule.host ?? '';
      const paths = byHost.get(host) ?? [];
      paths.push({ path: rule.path ?? '/', pathType: rule.pathType ?? IngressPathType.PREFIX, backend: rule.backend._toKube() });
      byHost.set(host, paths);
    }
    return {
      ingressClassName: this.ingressClassName,
      defaultBackend: this.defaultBackendValue?._toKube(),
      rules: byHost.size > 0 ? [...byHost].map(([host, paths]) => ({ host: host === '' ? undefined : host, http: { paths } })) : undefined,
      tls: this.tlsList.length > 0 ? this.tlsList.map((t) => ({ hosts: t.hosts ? [...t.hosts] : undefined, secretName: t.secretName })) : undefined,
    };
  }

  protected validationMessages(): string[] {
    const messages = this.manifestProblems(validateIngress);
    const prefix = `Ingress "${this.name}"`;
    if (this.defaultBackendValue) messages.push(...this.defaultBackendValue._referenceProblems(this.namespace, `${prefix}: spec.defaultBackend`));
    const seen = new Map<string, number>();
    this.ruleList.forEach((rule, i) => {
      const where = `${prefix}: rule ${i} (${rule.host ?? '*'} ${rule.path ?? '/'})`;
      messages.push(...rule.backend._referenceProblems(this.namespace, where));
      // The same host, path and type twice: only one can ever match (ingress-nginx's webhook rejects it).
      const key = `${rule.host ?? ''} ${rule.pathType ?? IngressPathType.PREFIX} ${rule.path ?? '/'}`;
      const first = seen.get(key);
      if (first !== undefined) {
        messages.push(`${where}: Duplicate value: rule ${first} already routes ${rule.pathType ?? IngressPathType.PREFIX} "${rule.path ?? '/'}" on ` +
          `${rule.host ? `host "${rule.host}"` : 'every host'}, so this one never matches. Fix: remove one of them`);
      } else {
        seen.set(key, i);
      }
    });
    return messages;
  }
}

import { App, Chart } from 'cdk8s';
import { isIpAddress } from '../k8s/ip';
import { parseSourceSpec, resolveSource } from '../engine/trace-source';
import { Cluster } from '../engine/cluster';
import { matchesMap } from '../engine/controllers/label-selector';
import type { ClusterChange, WatchEvent } from '../engine/changes';
import type { ClusterProfileInfo, CoverageItem, PodInfo, ServiceInfo } from '../engine/model';
import { connect, Trace, TraceContext, TraceSource } from '../engine/trace';
import type { DnsResolution } from '../engine/dns';
import { L7Model } from '../engine/l7/model';
import type { HttpRequest, L7Options, L7Trace } from '../engine/l7/types';
import { fromObjects, ManifestObject } from '../manifest';

/** Where a test connection starts: a source object, the CLI's `pod:NS/NAME`, `node:NAME`, `external:IP`, or pod labels (`app=web`: the first such pod). */
export type SimulationSource = TraceSource | string;

/** Options of {@link Simulation.request}: an HTTP request's method, headers, source and entry point. */
export interface HttpRequestOptions {
  /** @default 'GET' */
  readonly method?: string;
  /** Request headers (names are case-insensitive; `Host` overrides the URL's host). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Where the request starts. A pod (`'ns/name'`, `'pod:ns/name'`, or labels such as
   * `'app=productpage'` for the first such pod) sends through its mesh sidecar; `'node:NAME'`,
   * `'external:IP'` or nothing (the default) means outside the cluster, through an Ingress
   * controller, a Gateway listener or an Istio ingress gateway.
   */
  readonly from?: SimulationSource;
  /** Force an entry point by id (`ingress:nginx`, `gateway:ns/name/listener`, `istio-gateway:ns/name/port`). */
  readonly via?: string;
}

/** A connection target: `host:port` (port a number or a Service port name), or a host alone for single-port Services. */
export interface ParsedTarget {
  readonly host: string;
  readonly port?: number | string;
}

/** A Service of the simulation and its endpoints, as the matchers read it. */
export interface ServiceView {
  readonly info: ServiceInfo;
  /** Pods (`namespace/name`) behind the Service whose endpoint is ready, in any slice. */
  readonly readyPods: readonly string[];
  /** All pods in the Service's EndpointSlices, ready or not. */
  readonly pods: readonly string[];
  /**
   * Objects the engine does not simulate whose pods the Service's selector matches: when any,
   * the real endpoints are unknown (the lists above hold the simulated pods only).
   */
  readonly unknownPodSources: readonly CoverageItem[];
}

/**
 * A cdk8s chart or app replayed through the runtime, in memory: the cluster state plus the
 * trace and DNS models, ready for assertions. Build it with {@link simulate}.
 */
export class Simulation {
  private context?: TraceContext;
  private l7Model?: L7Model;

  /** @internal use {@link simulate} */
  public constructor(
    public readonly cluster: Cluster,
    /** How the L7 model reads Ingress paths and mesh injection (see {@link L7Options}). */
    public readonly l7Options: L7Options = {},
  ) {}

  /** The HTTP routing model (Ingress, Gateway API, Istio) over the current cluster state, built on first use. */
  public get l7(): L7Model {
    this.l7Model ??= L7Model.build(this.cluster, this.l7Options);
    return this.l7Model;
  }

  /**
   * Routes one HTTP request, e.g. `sim.request('http://shop.example.com/cart')` or
   * `sim.request('http://reviews:9080/', { from: 'app=productpage', headers: { 'end-user': 'jason' } })`:
   * entry point, route, match, weighted backends, and on to pods, with every choice explained.
   */
  public request(url: string, options: HttpRequestOptions = {}): L7Trace {
    const req: HttpRequest = {
      url,
      ...(options.method !== undefined ? { method: options.method } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
      ...(options.via !== undefined ? { via: options.via } : {}),
      ...(options.from !== undefined ? { from: this.source(options.from) } : {}),
    };
    return this.l7.request(req);
  }

  /**
   * The default source of connections: the first pod (by name) in namespace `default`, else
   * the first pod of any namespace, else the first node's host network.
   */
  public get defaultSource(): TraceSource {
    const keys = [...this.cluster.pods.keys()].sort();
    const inDefault = keys.find((k) => k.startsWith('default/'));
    if (inDefault ?? keys[0]) return { pod: inDefault ?? keys[0] };
    const node = [...this.cluster.nodes.keys()].sort()[0];
    return { node };
  }

  /** Traces one connection, e.g. `sim.connect('postgres-rw.data:5432', 'web/web-abc-1')`. */
  public connect(target: string, from: SimulationSource = this.defaultSource): Trace {
    const { host, port } = parseTarget(target);
    const source = this.source(from);
    return connect({ from: source, to: host, port }, this.cluster, this.traceContext());
  }

  /**
   * How a pod (`namespace/name`) resolves a name (A record): its /etc/hosts (hostAliases), then
   * the resolv.conf of its dnsPolicy and dnsConfig (the namespace's search list by default).
   */
  public resolve(name: string, fromPod: string = this.firstPodKey()): DnsResolution {
    const pod = this.cluster.pods.get(fromPod);
    if (!pod) throw new Error(`no pod ${fromPod} in the simulation to resolve ${name} from`);
    return this.traceContext().dns.resolveFromPod(pod.namespace, name, 'A', pod);
  }

  /** The Service `namespace/name` (or `name` in namespace `default`) with its endpoints. */
  public service(key: string): ServiceView {
    const full = key.includes('/') ? key : `default/${key}`;
    const info = this.cluster.services.get(full);
    if (!info) {
      throw new Error(`no Service ${full} in the simulation; Services: ${[...this.cluster.services.keys()].sort().join(', ') || 'none'}`);
    }
    const endpoints = (this.cluster.endpointSlices.get(full) ?? []).flatMap((slice) => slice.endpoints);
    const podOf = (e: (typeof endpoints)[number]) => `${e.targetRef.namespace ?? info.namespace}/${e.targetRef.name}`;
    return {
      info,
      readyPods: unique(endpoints.filter((e) => e.conditions.ready).map(podOf)),
      pods: unique(endpoints.map(podOf)),
      unknownPodSources: this.cluster.coverage.podSourcesFor(info),
    };
  }

  /** Pods whose labels include all of `labels` (optionally in one namespace), sorted by key. */
  public pods(labels: Readonly<Record<string, string>> = {}, namespace?: string): PodInfo[] {
    return [...this.cluster.pods.values()]
      .filter((p) => (namespace === undefined || p.namespace === namespace) && matchesMap(labels, p.labels))
      .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
  }

  /** What-if: applies a change (readiness, scale, node failure, object edits) and returns the watch events. */
  public apply(change: ClusterChange): WatchEvent[] {
    const events = this.cluster.apply(change);
    // Services and addresses may have changed too: rebuild the trace models on next use.
    this.context = undefined;
    this.l7Model = undefined;
    return events;
  }

  /**
   * A source: a TraceSource, the CLI's `pod:`/`node:`/`external:` forms, `ns/name`, a workload
   * (`deploy/web`: its first ready pod, in `default` or the one namespace that has it), or a pod
   * label selector (`app=web`, `tier in (a,b)`).
   */
  private source(from: SimulationSource): TraceSource {
    if (typeof from !== 'string') return from;
    const r = resolveSource(parseSourceSpec(from), this.cluster);
    if (!r.ok) throw new Error(`no source ${from} in the simulation to send the request from: ${r.message}`);
    return r.source;
  }

  private traceContext(): TraceContext {
    this.context ??= new TraceContext(this.cluster);
    return this.context;
  }

  private firstPodKey(): string {
    const source = this.defaultSource;
    if ('pod' in source) return source.pod;
    throw new Error('the simulation has no pods to resolve names from; pass `fromPod`');
  }
}

/**
 * Replays a chart or app through the runtime without writing files. Synthesis runs the
 * construct validations first, so an invalid chart throws here with their messages.
 * `l7Options` choose the Ingress profile (`spec` or `ingress-nginx`) and mesh injection.
 */
export function simulate(scope: Chart | App, profile?: ClusterProfileInfo, l7Options?: L7Options): Simulation {
  return new Simulation(Cluster.build(synthesizeObjects(scope), profile), l7Options);
}

/**
 * Synthesizes a chart or app in memory (running construct validations) and loads the
 * manifests as the runtime and the validator read them.
 */
export function synthesizeObjects(scope: Chart | App): ManifestObject[] {
  const charts = scope instanceof App ? scope.charts : [scope];
  const manifests = charts.flatMap((chart) => chart.toJson());
  const loaded = fromObjects(manifests, scope instanceof App ? '<app>' : `<chart ${scope.node.path}>`);
  if (loaded.errors.length > 0) {
    throw new Error(`the synthesized manifests can't be loaded:\n${loaded.errors.map((e) => `  ${e.toString()}`).join('\n')}`);
  }
  return loaded.objects;
}

/**
 * Splits `host:port`; an IPv6 host with a port goes in brackets (`[fd00::1]:80`), a bare IPv6
 * address (`fd00::1`) is a host without a port. An unbracketed IPv6 address with something
 * after it that is not part of the address is refused, as `netkit trace` refuses it.
 */
export function parseTarget(target: string): ParsedTarget {
  const text = target.trim();
  if (isIpAddress(text)) return { host: text };
  const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : splitOnce(text);
  if (!bracketed && host.includes(':')) throw new Error(`${target}: expected HOST, HOST:PORT or HOST:PORT-NAME (an IPv6 address with a port goes in brackets, e.g. [fd00::1]:80)`);
  if (port === undefined || port === '') return { host };
  return { host, port: /^\d+$/.test(port) ? Number(port) : port };
}

function splitOnce(target: string): [string, string | undefined] {
  const at = target.lastIndexOf(':');
  return at < 0 ? [target, undefined] : [target.slice(0, at), target.slice(at + 1)];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

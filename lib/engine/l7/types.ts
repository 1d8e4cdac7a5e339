/**
 * Public types of the L7 (HTTP) routing model: requests, entry points, traces, route rows,
 * attachment status and problems. The model itself is {@link L7Model} in `model.ts`.
 *
 * Three APIs are modelled, each following its upstream definition:
 * - Ingress (`k8s.io/api/networking/v1`, KEP-1453 path semantics) with a `spec` and an
 *   `ingress-nginx` profile;
 * - Gateway API (`gateway.networking.k8s.io/v1`: Gateway listeners, HTTPRoute, ReferenceGrant,
 *   GAMMA routes whose parent is a Service);
 * - Istio (`networking.istio.io`: VirtualService, DestinationRule, Gateway, ServiceEntry).
 */
import type { ObjectRef, SourceLocation } from '../model';
import type { Trace, TraceSource } from '../trace';

/** How Ingress paths of `pathType: ImplementationSpecific` and several Ingresses per host behave. */
export type IngressProfile = 'spec' | 'ingress-nginx';

/** Options of {@link L7Model.build}. */
export interface L7Options {
  /**
   * How Ingresses match. `spec`: the Kubernetes docs / KEP-1453 semantics; `ImplementationSpecific`
   * paths are treated as Prefix and reported as undefined. `ingress-nginx`: the controller's
   * location rules (Ingresses merged per host, ImplementationSpecific as a string prefix,
   * `use-regex` / `rewrite-target` annotations, oldest Ingress wins a duplicate host+path,
   * `ssl-redirect` for hosts with TLS, canaries).
   *
   * Left out, each IngressClass gets the profile of its controller: `ingress-nginx` when its
   * `spec.controller` is `k8s.io/ingress-nginx`, `spec` for any other controller and for classes
   * the manifests don't define. Set, it applies to every class.
   * @default - per IngressClass, from its `spec.controller`
   */
  readonly ingressProfile?: IngressProfile;
  /**
   * Which pods carry a mesh sidecar (Istio, and the GAMMA implementation).
   * `assume`: every pod, except pods labelled `sidecar.istio.io/inject: "false"` and pods in
   * namespaces labelled `istio-injection: disabled`.
   * `labels`: only pods in namespaces labelled `istio-injection: enabled` or `istio.io/rev`, or
   * pods labelled `sidecar.istio.io/inject: "true"` (Istio's injection webhook selectors).
   * @default 'assume'
   */
  readonly meshInjection?: 'assume' | 'labels';
  /**
   * Continue each chosen backend through DNS and kube-proxy ({@link Trace} from `connect()`).
   * Turn off for bulk lookups where only the L7 decision matters.
   * @default true
   */
  readonly l4?: boolean;
}

/** An HTTP request to route. */
export interface HttpRequest {
  /**
   * Where the request starts. A pod sends through its mesh sidecar (when it has one); anything
   * else enters through an Ingress controller, a Gateway listener or an Istio ingress gateway.
   * @default outside the cluster
   */
  readonly from?: TraceSource;
  /** @default 'GET' */
  readonly method?: string;
  /**
   * `http(s)://host[:port]/path?query`; the host becomes the Host header (and, for https, the
   * TLS SNI). `grpc://host[:port]/pkg.Service/Method` (`grpcs://` with TLS) is a gRPC call:
   * POST over HTTP/2 with `content-type: application/grpc`. `tls://host:port` is a TLS
   * connection with that SNI; `tcp://host:port` and `udp://host:port` are plain connections
   * (routed by Gateway TLS/TCP/UDP listeners and their routes).
   */
  readonly url: string;
  /** Request headers; names are case-insensitive (the `Host` header overrides the URL's host). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Force one entry point by its {@link EntryPointInfo.id} (e.g. `ingress:nginx`,
   * `gateway:infra/public/https`) instead of choosing by host and port. `gateway:<ns>/<name>`
   * sends to that Gateway's address: its listener for the request's scheme, port and host.
   */
  readonly via?: string;
}

/** Kinds of places HTTP traffic enters the L7 model. */
export type EntryPointKind = 'ingress-class' | 'gateway-listener' | 'istio-gateway' | 'mesh';

/** One entry point: an Ingress controller (by class), a Gateway listener, an Istio gateway server, or the mesh. */
export interface EntryPointInfo {
  /**
   * Stable id: `ingress:<class>` (`ingress:<none>` for Ingresses without a class),
   * `gateway:<ns>/<name>/<listener>`, `istio-gateway:<ns>/<name>/<server-port>`, `mesh`.
   */
  readonly id: string;
  readonly kind: EntryPointKind;
  /** IngressClass name, Gateway `ns/name`, Istio Gateway `ns/name`, or `mesh`. */
  readonly name: string;
  /** Controller (IngressClass `spec.controller`, GatewayClass `spec.controllerName`). */
  readonly controller?: string;
  /** Gateway listener name or Istio server port name. */
  readonly listener?: string;
  readonly port?: number;
  /** HTTP, HTTPS, TLS, TCP, ... as the listener declares. */
  readonly protocol?: string;
  /** Listener hostname (Gateway API) or server hosts (Istio). */
  readonly hostnames?: readonly string[];
  /** True for the IngressClass marked `ingressclass.kubernetes.io/is-default-class`. */
  readonly isDefault?: boolean;
  /** Ingress classes: the profile their Ingresses are matched with ({@link L7Options.ingressProfile}). */
  readonly ingressProfile?: IngressProfile;
  readonly object?: L7ObjectRef;
}

/** A reference to an L7 object with where it was written. */
export interface L7ObjectRef extends ObjectRef {
  readonly apiVersion?: string;
  readonly source?: SourceLocation;
}

/** One decision in an {@link L7Trace}: which stage, what was chosen, and why. */
export interface L7Step {
  readonly stage: 'entry' | 'host' | 'route' | 'match' | 'filter' | 'rewrite' | 'redirect' | 'timeout' | 'backend' | 'subset' | 'l4' | 'note';
  readonly message: string;
  readonly object?: L7ObjectRef;
}

/** A route or match that was considered and not taken. */
export interface L7Candidate {
  /** `Kind ns/name`, with `rule[i]` / `http[i]` / `path[i]` when it is one rule of the object. */
  readonly route: string;
  /** The match as text, e.g. `PathPrefix /api, header x-env=canary`. */
  readonly match: string;
  readonly lostBecause: string;
}

/** One backend the request may reach, with its share. */
export interface L7Backend {
  /** `namespace/name` of the Service, or the host of a ServiceEntry / external destination. */
  readonly service: string;
  /** Service port number or name, as referenced. */
  readonly port?: number | string;
  /** The configured weight (`1` when left out). */
  readonly weight: number;
  /** Share of matching requests (weights normalised; `0` for weight 0). */
  readonly probability: number;
  /** Istio DestinationRule subset. */
  readonly subset?: string;
  /** Labels the subset adds to the Service selector. */
  readonly subsetLabels?: Readonly<Record<string, string>>;
  /** A backendRef filter (RequestRedirect) that answers this backend's share instead of forwarding it. */
  readonly response?: L7Response;
  /**
   * The request this backend's share carries when its own backendRef filters (URLRewrite,
   * RequestHeaderModifier) change it; the trace's `upstream` is what every backend sees otherwise.
   */
  readonly upstream?: L7UpstreamRequest;
  /** Why this backend cannot be used: its share gets the HTTP status in {@link status}. */
  readonly invalid?: string;
  /** The status its share is answered with when invalid (500 per Gateway API, 503 for Istio). */
  readonly status?: number;
  /** The connection from the L7 proxy to the Service (DNS + kube-proxy), when resolved. */
  readonly l4?: Trace;
  /** Pods of the subset among the L4 destinations (Istio subsets), `namespace/name`. */
  readonly pods?: readonly string[];
}

/**
 * A mirrored copy of the request (Gateway API `RequestMirror`, Istio `mirror`): sent to another
 * backend besides the primary; its response is discarded, so it never changes the answer.
 */
export interface L7Mirror {
  /** `namespace/name` of the Service the copy goes to. */
  readonly service: string;
  readonly port?: number | string;
  /** Share of the requests that are mirrored (`percent` / `fraction`; 1 when unset). */
  readonly probability: number;
  /** Why the copy cannot be delivered (the primary request is unaffected). */
  readonly invalid?: string;
  /** The connection from the proxy to the mirror Service, when resolved. */
  readonly l4?: Trace;
}

/** An answer the proxy gives itself instead of forwarding. */
export interface L7Response {
  readonly status: number;
  /** `Location` of a redirect. */
  readonly location?: string;
  readonly body?: string;
}

/** Why a request is not routed. */
export type L7FailureCode =
  | 'bad-request'
  | 'unknown-source'
  | 'no-entry-point'
  | 'no-host'
  | 'no-route'
  | 'no-backend'
  | 'backend-invalid'
  | 'no-endpoints'
  | 'tls'
  | 'misdirected';

/** The chosen route: which object, rule and match. */
export interface L7RouteChoice {
  readonly kind: 'Ingress' | L7RouteKind | 'VirtualService' | 'none';
  readonly object?: L7ObjectRef;
  /** Ingress `spec.rules[]` index (`-1` for a defaultBackend), HTTPRoute rule index, VirtualService http index. */
  readonly rule: number;
  /** Ingress `http.paths[]` index, HTTPRoute `matches[]` index, VirtualService `match[]` index (none for a route without conditions). */
  readonly match?: number;
  /** The matched condition as text. */
  readonly description: string;
}

/** The request as the model understood it. */
export interface L7RequestInfo {
  readonly from: string;
  readonly method: string;
  /** `http`/`https` (also for gRPC calls, see {@link grpc}); `tls`, `tcp`, `udp` for connections. */
  readonly scheme: 'http' | 'https' | 'tls' | 'tcp' | 'udp';
  /** The TLS server name (the URL's host) for https and tls; the Host header may differ (421). */
  readonly sni?: string;
  /** True for a gRPC call (`grpc://`, `grpcs://`). */
  readonly grpc?: boolean;
  /** Host without port, lower case. */
  readonly host: string;
  readonly port: number;
  /** The path, percent-decoding left as sent. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The request a backend receives after filters and rewrites: host, path and headers. */
export interface L7UpstreamRequest {
  readonly host: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A Gateway TLS listener's handling of a connection (`gateway_types.go` ListenerTLSConfig.Mode,
 * GEP-2643 for TLSRoute): `Passthrough` forwards the client's encrypted stream, chosen by its SNI,
 * so the backend terminates TLS and sees the SNI; `Terminate` ends TLS at the Gateway with the
 * listener's certificate and forwards the decrypted stream as plain TCP (no TLS, no SNI at the backend).
 */
export interface L7TlsHandling {
  readonly mode: 'Passthrough' | 'Terminate';
  /** True when the backend receives the client's TLS session (Passthrough). */
  readonly backendTls: boolean;
  /** The SNI the backend sees (Passthrough only). */
  readonly sni?: string;
  /** The Secret (`namespace/name`) whose certificate the Gateway presents (Terminate only). */
  readonly certificate?: string;
}

/** The answer to {@link L7Model.request}: where the request goes, and every choice on the way. */
export interface L7Trace {
  readonly request: L7RequestInfo;
  /** True when some share of the request reaches a backend (or a redirect / direct response answers it). */
  readonly ok: boolean;
  readonly entry?: EntryPointInfo;
  readonly route?: L7RouteChoice;
  readonly steps: readonly L7Step[];
  readonly candidates: readonly L7Candidate[];
  readonly backends: readonly L7Backend[];
  /** Share of requests answered with an error status (invalid backends, backends without endpoints). */
  readonly errorProbability: number;
  /** A redirect or direct response (the request is not forwarded). */
  readonly response?: L7Response;
  /** Mirrored copies (RequestMirror): reported beside the primary backends; the response comes from the primary only. */
  readonly mirrors?: readonly L7Mirror[];
  /**
   * Response header changes the proxy applies (ResponseHeaderModifier): the value set or added,
   * or `null` for a removed header. Headers the backend sends are unknown to the model.
   */
  readonly responseHeaders?: Readonly<Record<string, string | null>>;
  /** How TLS crosses a Gateway TLS listener (connections through `protocol: TLS` listeners only). */
  readonly tls?: L7TlsHandling;
  /** Request after filters/rewrites: path, host and headers the backend sees. */
  readonly upstream?: L7UpstreamRequest;
  /** Timeouts that apply (Gateway API `timeouts`, Istio `timeout`). */
  readonly timeouts?: Readonly<Record<string, string>>;
  readonly failure?: { readonly code: L7FailureCode; readonly message: string; readonly status?: number };
  /** Outcomes that depend on something the manifests leave open (creation order, DNS, the controller). */
  readonly ambiguities: readonly L7Ambiguity[];
}

/**
 * What an ambiguity depends on: `entry-point`, several entry points serve the host (DNS decides
 * which one a client reaches); `creation-order`, the oldest object wins and the manifests carry
 * no `creationTimestamp` to say which that is; `implementation`, the API leaves the outcome to
 * the controller (Ingress ImplementationSpecific paths, duplicate paths or defaultBackends under
 * the `spec` profile).
 */
export type L7AmbiguityKind = 'entry-point' | 'creation-order' | 'implementation';

/** An outcome the manifests alone do not decide, with what it depends on. */
export interface L7Ambiguity {
  readonly kind: L7AmbiguityKind;
  /** For humans: what is open, and which choice the trace followed. */
  readonly message: string;
}

/**
 * One condition on a string value (header, query param, method, authority, scheme), the common
 * form of Gateway API `HTTPHeaderMatch` / `HTTPQueryParamMatch` and Istio `StringMatch`.
 */
export interface L7StringCondition {
  /**
   * `Exact`; `Prefix`: a plain string prefix (Istio `prefix`); `RegularExpression`: a full match
   * (RE2); `Present`: any value, the name only has to be there (an empty Istio StringMatch).
   */
  readonly type: 'Exact' | 'Prefix' | 'RegularExpression' | 'Present';
  /** The value to match (empty for `Present`). */
  readonly value: string;
}

/** A header or query param condition. */
export interface L7NamedCondition extends L7StringCondition {
  /** Header names lower-cased (they are case-insensitive); query param names as written (case-sensitive). */
  readonly name: string;
}

/** How a row's path condition matches. */
export interface L7PathCondition {
  /**
   * `Exact`; `Prefix`: element-wise (Ingress Prefix, Gateway API PathPrefix: `/foo` covers
   * `/foo/bar`, never `/foobar`); `StringPrefix`: a plain string prefix (Istio `uri.prefix`,
   * ingress-nginx ImplementationSpecific); `RegularExpression` (full match, except ingress-nginx
   * regex locations, which are anchored at the start only).
   */
  readonly type: 'Exact' | 'Prefix' | 'StringPrefix' | 'RegularExpression';
  readonly value: string;
  /** Case-insensitive (Istio `ignoreUriCase`, ingress-nginx regex locations). */
  readonly ignoreCase?: boolean;
}

/** The conditions of one route row, structured; all of them must hold. */
export interface L7MatchConditions {
  /** Undefined: any path. */
  readonly path?: L7PathCondition;
  readonly method?: L7StringCondition;
  readonly headers: readonly L7NamedCondition[];
  /** Headers that must not match (Istio `withoutHeaders`). */
  readonly withoutHeaders?: readonly L7NamedCondition[];
  readonly query: readonly L7NamedCondition[];
  /** The Host / :authority header, beyond the row's host (Istio `authority`). */
  readonly authority?: L7StringCondition;
  /** Istio `scheme`. */
  readonly scheme?: L7StringCondition;
  /** The port the request must arrive on (Istio `port`). */
  readonly port?: number;
  /**
   * Conditions on the sender rather than the request (Istio `sourceLabels`, `sourceNamespace`,
   * a match's own `gateways`): sample requests are not built for them.
   */
  readonly source?: { readonly labels?: Readonly<Record<string, string>>; readonly namespace?: string; readonly gateways?: readonly string[] };
  /** An Ingress defaultBackend: it takes what no path of the host takes. */
  readonly otherwise?: boolean;
}

/** Gateway API route kinds the model routes. */
export type L7RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';

/** One flattened routing entry: entry point + host + match -> backends. */
export interface L7RouteRow {
  /** {@link EntryPointInfo.id}; GAMMA and mesh VirtualServices use `mesh`. */
  readonly entry: string;
  readonly kind: 'Ingress' | L7RouteKind | 'VirtualService';
  readonly object: L7ObjectRef;
  /** Host the row applies to (`*` for any). */
  readonly host: string;
  /** The match as text, e.g. `Prefix /api`, `Exact /`, `PathPrefix /, header x-env=canary`. */
  readonly match: string;
  /** The match's conditions, structured (sample requests are built from them, see {@link L7Model.sampleRequests}). */
  readonly conditions: L7MatchConditions;
  /** Ingress `spec.rules[]` index (`-1` for a defaultBackend), HTTPRoute rule index, VirtualService http index. */
  readonly rule: number;
  /**
   * Ingress `http.paths[]` index, HTTPRoute `matches[]` index, VirtualService `match[]` index;
   * undefined for a defaultBackend and a VirtualService route without match blocks. Same as
   * {@link L7RouteChoice.match} when a request takes this row.
   */
  readonly matchIndex?: number;
  /** GAMMA rows: the Service the HTTPRoute is attached to (its parentRef), `namespace/name`, and the parentRef's port. */
  readonly parent?: { readonly service: string; readonly port?: number };
  /** ingress-nginx canary Ingress: it takes a share of the primary Ingress' path (by header, cookie or weight). */
  readonly canary?: boolean;
  /** VirtualService route that hands the request to another VirtualService (`namespace/name`). */
  readonly delegate?: string;
  readonly backends: readonly { readonly service: string; readonly port?: number | string; readonly weight: number; readonly subset?: string }[];
  /** `forward`, or what the rule does instead. */
  readonly action: 'forward' | 'redirect' | 'direct-response' | 'error';
  /** When the row cannot be reached or has a problem: why. */
  readonly note?: string;
}

/** A sample request of a route row, traced ({@link L7Model.sampleRequest}). */
export interface L7RowSample {
  readonly request: HttpRequest;
  readonly trace: L7Trace;
  /** True when the request ended on the row (its object, rule and match). */
  readonly lands: boolean;
  /**
   * False when the row's match has conditions no request was built for (regular expressions,
   * source labels, ...): the request leaves them out and may well go elsewhere.
   */
  readonly exact: boolean;
}

/** Attachment of one route object to one parent (Gateway API status `Accepted`, and its Istio/Ingress analogues). */
export interface L7ParentStatus {
  /** `Gateway ns/name[/section]`, `Service ns/name`, `IngressClass name`, `mesh`, `Gateway ns/name` (Istio). */
  readonly parent: string;
  readonly accepted: boolean;
  /** Gateway API reason: Accepted, NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname, ... */
  readonly reason: string;
  readonly message: string;
  /** Listener names (Gateway API) the route attached to. */
  readonly listeners?: readonly string[];
}

/** Status of one route object (Ingress, HTTPRoute, VirtualService). */
export interface L7RouteStatus {
  readonly object: L7ObjectRef;
  readonly parents: readonly L7ParentStatus[];
  /** Gateway API `ResolvedRefs`: false with a reason when a backend is invalid. */
  readonly resolvedRefs: { readonly ok: boolean; readonly reason: string; readonly message: string };
}

/** One condition of a listener or Gateway status: true/false with the Gateway API reason. */
export interface L7Condition {
  readonly ok: boolean;
  /** The `gateway_types.go` reason: Accepted, UnsupportedProtocol, InvalidCertificateRef, RefNotPermitted, InvalidRouteKinds, ListenersNotValid, InvalidParameters, ... */
  readonly reason: string;
  readonly message: string;
}

/** The status a Gateway controller would give one listener (`gateway_types.go` ListenerStatus). */
export interface L7ListenerStatus {
  /** The Gateway, or the ListenerSet that adds the listener. */
  readonly object: L7ObjectRef;
  readonly listener: string;
  /** Route kinds the listener takes (allowedRoutes.kinds it supports, else its protocol's kinds). */
  readonly supportedKinds: readonly string[];
  /** Routes (objects) attached to the listener. */
  readonly attachedRoutes: number;
  readonly accepted: L7Condition;
  readonly resolvedRefs: L7Condition;
}

/** The status a Gateway controller would give a Gateway (`gateway_types.go` GatewayConditionAccepted). */
export interface L7GatewayStatus {
  readonly object: L7ObjectRef;
  readonly accepted: L7Condition;
  /** `status.attachedListenerSets`: the Accepted ListenerSets whose parent is this Gateway (GEP-1713). */
  readonly attachedListenerSets: number;
}

/** The Accepted condition a Gateway controller would give a ListenerSet (`listenerset_types.go` ListenerSetConditionAccepted). */
export interface L7ListenerSetStatus {
  readonly object: L7ObjectRef;
  /** The parent Gateway, `ns/name`. */
  readonly parent: string;
  /** Reasons: Accepted, NotAllowed (the parent's allowedListeners refuse it), ListenersNotValid (a listener Conflicted; False when none is left), Invalid (no such parent Gateway). */
  readonly accepted: L7Condition;
}

/** Problem codes the model reports while building (the validator turns them into findings). */
export type L7ProblemCode =
  | 'invalid-object'
  | 'ingress-class-missing'
  | 'ingress-class-ambiguous-default'
  | 'ingress-backend-missing'
  | 'ingress-backend-port'
  | 'ingress-tls-host'
  | 'ingress-duplicate-path'
  | 'ingress-implementation-specific'
  | 'gateway-class-missing'
  | 'route-not-accepted'
  | 'backend-not-found'
  | 'backend-port'
  | 'backend-invalid-kind'
  | 'ref-not-permitted'
  | 'vs-gateway-missing'
  | 'vs-host-unknown'
  | 'vs-subset-missing'
  | 'vs-destination-unknown'
  | 'dr-host-unknown'
  | 'dr-subset-no-pods'
  | 'order-dependent'
  | 'listenerset-not-accepted'
  | 'listener-certificate-ref'
  | 'listener-invalid'
  | 'gateway-invalid-parameters'
  | 'not-simulated';

/** A problem found in the L7 objects. */
export interface L7Problem {
  readonly code: L7ProblemCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly object?: L7ObjectRef;
  /** JSON path of the field, e.g. `spec.rules[0].http.paths[1].backend.service.port`. */
  readonly path?: string;
}

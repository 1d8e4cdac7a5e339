/**
 * Istio networking checks as Istio's validating webhook (`validation.istio.io`) and the CRD
 * schemas (v1, Istio 1.30) apply them: istio/istio `pkg/config/validation/validation.go`
 * (`ValidateVirtualService`, `validateHTTPRoute`, `validateHTTPRouteDestinations`,
 * `ValidateDestinationRule`, `ValidateGateway` / `validateServer`, `ValidateServiceEntry`),
 * `pkg/config/validation/agent` (host names) and the CRDs' CEL rules. Errors only; the
 * webhook's warnings are not reproduced. Pure functions over the manifest as JSON.
 */
import { labelValueProblems, qualifiedNameProblems } from './names';
import { isCidr, isIpAddress } from './ip';
import { FieldProblem } from './problems';
import { compileRe2 } from './re2';

/** An Istio StringMatch: exactly one of exact, prefix or regex. */
export type StringMatchWire = { readonly exact?: string; readonly prefix?: string; readonly regex?: string };

/** A VirtualService destination. */
export interface IstioDestinationWire {
  readonly host?: string;
  readonly subset?: string;
  readonly port?: { readonly number?: number };
}

/** A VirtualService `http[]` route as written in a manifest. */
export interface IstioHttpRouteWire {
  readonly name?: string;
  readonly match?: readonly {
    readonly name?: string;
    readonly uri?: StringMatchWire;
    readonly scheme?: StringMatchWire;
    readonly method?: StringMatchWire;
    readonly authority?: StringMatchWire;
    readonly headers?: Readonly<Record<string, StringMatchWire>>;
    readonly queryParams?: Readonly<Record<string, StringMatchWire>>;
    readonly withoutHeaders?: Readonly<Record<string, StringMatchWire>>;
    readonly ignoreUriCase?: boolean;
    readonly port?: number;
    readonly sourceLabels?: Readonly<Record<string, string>>;
    readonly gateways?: readonly string[];
    readonly sourceNamespace?: string;
  }[];
  readonly route?: readonly { readonly destination?: IstioDestinationWire; readonly weight?: number; readonly headers?: unknown }[];
  readonly redirect?: { readonly uri?: string; readonly authority?: string; readonly port?: number; readonly scheme?: string; readonly redirectCode?: number };
  readonly directResponse?: { readonly status?: number; readonly body?: { readonly string?: string } };
  readonly rewrite?: { readonly uri?: string; readonly authority?: string };
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly fault?: {
    readonly delay?: { readonly fixedDelay?: string; readonly percentage?: { readonly value?: number } };
    readonly abort?: { readonly httpStatus?: number; readonly percentage?: { readonly value?: number } };
  };
  readonly mirror?: IstioDestinationWire;
  readonly mirrorPercentage?: { readonly value?: number };
  readonly headers?: unknown;
}

/** A VirtualService route destination with its weight (`tcp[].route[]`, `tls[].route[]`). */
export interface IstioRouteDestinationWire {
  readonly destination?: IstioDestinationWire;
  readonly weight?: number;
}

/** A VirtualService `tcp[]` route: L4 match (port, destination subnets, source labels) and destinations. */
export interface IstioTcpRouteWire {
  readonly match?: readonly { readonly port?: number; readonly destinationSubnets?: readonly string[]; readonly sourceLabels?: Readonly<Record<string, string>>; readonly gateways?: readonly string[]; readonly sourceNamespace?: string }[];
  readonly route?: readonly IstioRouteDestinationWire[];
}

/** A VirtualService `tls[]` route: SNI match (passthrough TLS) and destinations. */
export interface IstioTlsRouteWire {
  readonly match?: readonly { readonly sniHosts?: readonly string[]; readonly port?: number; readonly destinationSubnets?: readonly string[]; readonly sourceLabels?: Readonly<Record<string, string>>; readonly gateways?: readonly string[]; readonly sourceNamespace?: string }[];
  readonly route?: readonly IstioRouteDestinationWire[];
}

/** A VirtualService as written in a manifest. */
export interface VirtualServiceWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly hosts?: readonly string[];
    readonly gateways?: readonly string[];
    readonly http?: readonly IstioHttpRouteWire[];
    readonly tcp?: readonly IstioTcpRouteWire[];
    readonly tls?: readonly IstioTlsRouteWire[];
    readonly exportTo?: readonly string[];
  };
}

/** A traffic policy as written in a manifest (the fields the checks read). */
export interface TrafficPolicyWire {
  readonly loadBalancer?: { readonly simple?: string; readonly consistentHash?: { readonly httpCookie?: { readonly name?: string }; readonly [key: string]: unknown } };
  readonly connectionPool?: { readonly tcp?: Readonly<Record<string, unknown>>; readonly http?: Readonly<Record<string, unknown>> };
  readonly outlierDetection?: { readonly maxEjectionPercent?: number; readonly minHealthPercent?: number; readonly [key: string]: unknown };
  readonly tls?: { readonly mode?: string; readonly [key: string]: unknown };
  readonly portLevelSettings?: readonly unknown[];
}

/** A DestinationRule as written in a manifest. */
export interface DestinationRuleWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly host?: string;
    readonly trafficPolicy?: TrafficPolicyWire;
    readonly subsets?: readonly { readonly name?: string; readonly labels?: Readonly<Record<string, string>>; readonly trafficPolicy?: TrafficPolicyWire }[];
    readonly exportTo?: readonly string[];
  };
}

/** An Istio Gateway as written in a manifest. */
export interface IstioGatewayWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly selector?: Readonly<Record<string, string>>;
    readonly servers?: readonly {
      readonly port?: { readonly number?: number; readonly name?: string; readonly protocol?: string };
      readonly hosts?: readonly string[];
      readonly name?: string;
      readonly tls?: { readonly mode?: string; readonly credentialName?: string; readonly httpsRedirect?: boolean };
    }[];
  };
}

/** A ServiceEntry as written in a manifest. */
export interface ServiceEntryWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly hosts?: readonly string[];
    readonly addresses?: readonly string[];
    readonly ports?: readonly { readonly number?: number; readonly name?: string; readonly protocol?: string; readonly targetPort?: number }[];
    readonly location?: string;
    readonly resolution?: string;
    readonly endpoints?: readonly { readonly address?: string; readonly ports?: Readonly<Record<string, number>>; readonly labels?: Readonly<Record<string, string>>; readonly network?: string }[];
    readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
    readonly exportTo?: readonly string[];
  };
}

/** Istio's DNS-1123 label (letters of either case). */
const LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** First label of a wildcard host: `*`, or a label optionally prefixed by `*` / `*-`. */
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
/** Protocols `protocol.Parse` accepts (case-insensitive). */
const PROTOCOLS = ['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql'];
const TLS_PROTOCOLS = ['https', 'tls'];
const HTTP_PROTOCOLS = ['http', 'http2', 'grpc', 'grpc-web', 'http_proxy'];
const SIMPLE_LB = ['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'];
const CLIENT_TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];
const SERVER_TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'];
const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'];

type Add = (field: string, message: string, fix: string) => void;

function collector(): { problems: FieldProblem[]; add: Add } {
  const problems: FieldProblem[] = [];
  return { problems, add: (field, message, fix) => problems.push({ field, message, fix }) };
}

/** True when Istio's `protocol.Parse` knows the protocol. */
export function isIstioProtocol(protocol: string): boolean {
  return PROTOCOLS.includes(protocol.toLowerCase());
}

/** `agent.ValidateDNS1123Labels`: labels of a domain, the top-level one not all-numeric. */
function dnsLabelsProblem(domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts[parts.length - 1];
  if (/^[0-9]+$/.test(top)) return `domain name "${domain}" invalid (top level domain "${top}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // a trailing dot is allowed
    if (parts[i].length > 63 || !LABEL.test(parts[i])) return `domain name "${domain}" invalid (label "${parts[i]}" invalid)`;
  }
  return undefined;
}

function preconditionProblem(name: string): string | undefined {
  if (name.length > 255) return `domain name "${name}" too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

/** `agent.ValidateWildcardDomain`: a DNS name whose first label may be (or start with) `*`. */
export function istioWildcardDomainProblem(domain: string): string | undefined {
  const pre = preconditionProblem(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first)) return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? undefined : dnsLabelsProblem(domain.slice(dot + 1));
}

/** `agent.ValidateFQDN`: a DNS name without wildcards. */
export function istioFqdnProblem(fqdn: string): string | undefined {
  return preconditionProblem(fqdn) ?? dnsLabelsProblem(fqdn);
}

/** `labels.Instance.Validate`: Kubernetes label keys and values. */
function labelProblems(labels: Readonly<Record<string, string>> | undefined, at: string, add: Add): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedNameProblems(key)) add(`${at}.${key}`, `Invalid value: "${key}": ${msg}`, 'use a valid label key');
    for (const msg of labelValueProblems(value)) add(`${at}.${key}`, `Invalid value: "${value}": ${msg}`, 'use a valid label value');
  }
}

function portProblem(port: number | undefined, at: string, add: Add, what = 'port'): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) add(at, `Invalid value: ${port}: ${what} number ${port} must be in the range 1..65535`, 'use a port number from 1 to 65535');
}

/** Parses an Istio (protobuf JSON) duration, `"1.5s"`, into milliseconds. */
export function parseIstioDuration(value: string): number | undefined {
  const m = /^(-?\d+(?:\.\d{1,9})?)s$/.exec(value);
  return m ? Number(m[1]) * 1000 : undefined;
}

function durationProblem(value: string | undefined, at: string, add: Add, min = 1): void {
  if (value === undefined) return;
  const ms = parseIstioDuration(value);
  if (ms === undefined) add(at, `Invalid value: "${value}": must be a duration in seconds, e.g. "10s" or "0.5s"`, 'pass a cdk8s Duration');
  else if (ms < min) add(at, `Invalid value: "${value}": must be a valid duration greater than 1ms`, 'use a positive duration');
}

function stringMatchProblems(match: StringMatchWire | undefined, at: string, add: Add): void {
  if (!match) return;
  const set = (['exact', 'prefix', 'regex'] as const).filter((k) => match[k] !== undefined);
  if (set.length > 1) add(at, `Invalid value: only one of exact, prefix or regex may be set (found ${set.join(', ')})`, 'use one StringMatch kind');
  if (match.prefix === '') add(at, 'Invalid value: prefix string match should not be empty', 'use a non-empty prefix, or leave the condition out');
  if (match.regex !== undefined) {
    if (match.regex === '') add(at, 'Invalid value: regex string match should not be empty', 'use a non-empty RE2 expression');
    else if (match.regex.length > 1024) add(at, 'Invalid value: regex is too large, max length allowed is 1024', 'shorten the expression');
    else {
      // Istio validates with Go's regexp (RE2 syntax): `(?i)` is valid, lookarounds are not.
      const r = compileRe2(match.regex);
      if (!r.ok) add(at, `Invalid value: "${match.regex}": ${r.error}; Istio uses RE2 style regex-based match`, 'fix the expression (RE2 syntax: no lookarounds or back-references)');
    }
  }
}

function destinationProblems(d: IstioDestinationWire | undefined, at: string, add: Add): void {
  if (!d) return;
  if (!d.host) {
    add(`${at}.host`, 'Required value', 'set the destination host (a Service name or FQDN)');
  } else if (d.host === '*') {
    add(`${at}.host`, 'Invalid value: "*": invalid destination host *', 'route to a concrete host');
  } else {
    const problem = istioWildcardDomainProblem(d.host);
    if (problem) add(`${at}.host`, `Invalid value: ${problem}`, 'use a Service name, "<name>.<namespace>.svc.cluster.local", or a ServiceEntry host');
  }
  if (d.subset !== undefined && (d.subset === '' || d.subset.length > 63 || !LABEL.test(d.subset))) {
    add(`${at}.subset`, `Invalid value: "${d.subset}": subset name is invalid`, 'use the name of a DestinationRule subset (a DNS label)');
  }
  if (d.port) portProblem(d.port.number, `${at}.port.number`, add);
}

/** `validateGatewayNames`: `mesh`, `<name>`, `<namespace>/<name>` (or a legacy FQDN). */
function gatewayNameProblems(names: readonly string[] | undefined, at: string, add: Add): void {
  (names ?? []).forEach((name, i) => {
    const slash = name.indexOf('/');
    if (slash < 0) {
      const problem = istioFqdnProblem(name);
      if (problem) add(`${at}[${i}]`, `Invalid value: ${problem}`, 'use "mesh", a Gateway name, or "<namespace>/<name>"');
      return;
    }
    const [ns, gw] = [name.slice(0, slash), name.slice(slash + 1)];
    if (ns === '' || gw === '') add(`${at}[${i}]`, 'Invalid value: config namespace and gateway name cannot be empty', 'write "<namespace>/<name>"');
    if (ns !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) add(`${at}[${i}]`, `Invalid value: invalid value for namespace: "${ns}"`, 'use a namespace name');
    if (gw !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(gw)) add(`${at}[${i}]`, `Invalid value: invalid value for gateway name: "${gw}"`, 'use the Gateway\'s name (a DNS label)');
  });
}

function exportToProblems(exportTo: readonly string[] | undefined, at: string, add: Add, allowNone: boolean): void {
  const list = exportTo ?? [];
  const seen = new Set<string>();
  for (const e of list) {
    if (seen.has(e)) add(at, `Invalid value: duplicate entries in exportTo for entry ${e}`, 'list each namespace once');
    seen.add(e);
    if (e !== '.' && e !== '*' && !(allowNone && e === '~') && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(e)) {
      add(at, `Invalid value: "${e}": must be ".", "*"${allowNone ? ', "~"' : ''} or a namespace name`, 'use "." (this namespace), "*" (all) or namespace names');
    }
  }
  if (list.includes('*') && list.length > 1) add(at, 'Invalid value: cannot have both public (*) and non-public exportTo values for a resource', 'use "*" alone');
  if (list.includes('~') && list.length > 1) add(at, 'Invalid value: cannot export service entry to no one (~) and someone', 'use "~" alone');
}

/** Checks a VirtualService as Istio's webhook does (errors only). */
export function validateVirtualService(vs: VirtualServiceWire): FieldProblem[] {
  const { problems, add } = collector();
  const spec = vs.spec ?? {};
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
  if (hosts.length === 0) add('spec.hosts', 'Required value: a VirtualService needs at least one host (only delegate VirtualServices have none)', 'set `hosts`');
  gatewayNameProblems(gateways, 'spec.gateways', add);
  let allValid = true;
  hosts.forEach((host, i) => {
    const problem = istioWildcardDomainProblem(host);
    if (problem && !isIpAddress(host)) {
      add(`spec.hosts[${i}]`, `Invalid value: ${problem}`, 'use a Service name, an FQDN, or "*.example.com"');
      allValid = false;
    } else if (appliesToMesh && host === '*') {
      add(`spec.hosts[${i}]`, 'Invalid value: wildcard host * is not allowed for virtual services bound to the mesh gateway', 'name the hosts, or bind the VirtualService to a gateway only');
      allValid = false;
    }
  });
  if (allValid) {
    // `host.Name.Matches`: literal duplicates, and wildcards that cover one another.
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (istioHostsOverlap(hosts[i], hosts[j])) add('spec.hosts', `Invalid value: duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`, 'list each host once');
      }
    }
  }
  // istio pkg/config/validation/virtualservice.go: an error only when all three lists are empty.
  if ((spec.http ?? []).length === 0 && (spec.tcp ?? []).length === 0 && (spec.tls ?? []).length === 0) {
    add('spec.http', 'Required value: http, tcp or tls must be provided in virtual service', 'add an HTTP route with `addHttpRoute()` (or a tcp/tls route)');
  }
  (spec.http ?? []).forEach((route, i) => httpRouteProblems(route, `spec.http[${i}]`, add));
  (spec.tcp ?? []).forEach((route, i) => {
    if ((route.route ?? []).length === 0) add(`spec.tcp[${i}].route`, 'Required value: TCP route is required', 'add a destination');
    l4DestinationProblems(route.route ?? [], `spec.tcp[${i}]`, add);
  });
  (spec.tls ?? []).forEach((route, i) => {
    const at = `spec.tls[${i}]`;
    if ((route.match ?? []).length === 0) add(`${at}.match`, 'Required value: TLS route must have at least one match condition', 'match on `sniHosts`');
    (route.match ?? []).forEach((m, j) => {
      if ((m.sniHosts ?? []).length === 0) add(`${at}.match[${j}].sniHosts`, 'Required value: TLS match must have at least one SNI host', 'list the SNI hosts this route takes');
      (m.sniHosts ?? []).forEach((sni, k) => {
        if (!hosts.some((h) => h === '*' || h === sni || (h.startsWith('*.') && sni.endsWith(h.slice(1))) || (sni.startsWith('*.') && h.startsWith('*.') && sni.endsWith(h.slice(1))))) {
          add(`${at}.match[${j}].sniHosts[${k}]`, `Invalid value: the SNI host "${sni}" is not a subset of any of the virtual service hosts`, 'use an SNI host covered by `hosts`');
        }
      });
    });
    if ((route.route ?? []).length === 0) add(`${at}.route`, 'Required value: TLS route is required', 'add a destination');
    l4DestinationProblems(route.route ?? [], at, add);
  });
  exportToProblems(spec.exportTo, 'spec.exportTo', add, false);
  return problems;
}

/** `host.Name.Matches`: equal, or one wildcard covers the other. */
export function istioHostsOverlap(a: string, b: string): boolean {
  const covers = (wild: string, other: string) => wild === '*' || (wild.startsWith('*') && other.endsWith(wild.slice(1)));
  return a === b || covers(a, b) || covers(b, a);
}

/** Destinations and weights of a tcp/tls route (as for http routes). */
function l4DestinationProblems(routes: readonly IstioRouteDestinationWire[], at: string, add: Add): void {
  let total = 0;
  routes.forEach((r, j) => {
    if (!r.destination) add(`${at}.route[${j}].destination`, 'Required value: destination is required', 'set the destination');
    destinationProblems(r.destination, `${at}.route[${j}].destination`, add);
    const weight = r.weight ?? 0;
    if (!Number.isInteger(weight) || weight < 0) add(`${at}.route[${j}].weight`, `Invalid value: weight ${weight} < 0`, 'use a non-negative integer weight');
    total += weight;
  });
  if (routes.length > 1 && total === 0) add(`${at}.route`, 'Invalid value: total destination weight = 0', 'give at least one destination a positive weight');
}

function httpRouteProblems(route: IstioHttpRouteWire, at: string, add: Add): void {
  const hasRoute = (route.route ?? []).length > 0;
  // validateHTTPRouteConflict
  if (route.redirect) {
    if (hasRoute) add(at, 'Invalid value: HTTP route cannot contain both route and redirect', 'keep either the destinations or the redirect');
    if (route.fault) add(at, 'Invalid value: HTTP route cannot contain both fault and redirect', 'remove the fault or the redirect');
    if (route.rewrite) add(at, 'Invalid value: HTTP route rule cannot contain both rewrite and redirect', 'remove the rewrite or the redirect');
    if (route.directResponse) add(at, 'Invalid value: HTTP route cannot contain both redirect and direct_response', 'keep either the redirect or the direct response');
  } else if (route.directResponse) {
    if (hasRoute) add(at, 'Invalid value: HTTP route cannot contain both route and direct_response', 'keep either the destinations or the direct response');
  } else if (!hasRoute) {
    add(at, 'Required value: HTTP route, redirect or direct_response is required', 'add a destination, a redirect or a direct response');
  }
  (route.match ?? []).forEach((m, j) => {
    const mAt = `${at}.match[${j}]`;
    for (const key of ['uri', 'scheme', 'method', 'authority'] as const) stringMatchProblems(m[key], `${mAt}.${key}`, add);
    for (const key of ['headers', 'queryParams', 'withoutHeaders'] as const) {
      for (const [name, sm] of Object.entries(m[key] ?? {})) {
        if (key !== 'queryParams' && (name === '' || !/^[!#$%&'*+\-.^_`|~A-Za-z0-9:@]+$/.test(name))) {
          add(`${mAt}.${key}`, `Invalid value: header name ${name} is not a valid header name`, 'use a lower-case HTTP header name');
        }
        stringMatchProblems(sm, `${mAt}.${key}.${name}`, add);
      }
    }
    portProblem(m.port, `${mAt}.port`, add);
    labelProblems(m.sourceLabels, `${mAt}.sourceLabels`, add);
    gatewayNameProblems(m.gateways, `${mAt}.gateways`, add);
    if (m.sourceNamespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(m.sourceNamespace)) {
      add(`${mAt}.sourceNamespace`, `Invalid value: sourceNamespace match ${m.sourceNamespace} is invalid`, 'use a namespace name');
    }
  });
  const routes = route.route ?? [];
  let total = 0;
  routes.forEach((r, j) => {
    if (!r.destination) add(`${at}.route[${j}].destination`, 'Required value: destination is required', 'set the destination');
    destinationProblems(r.destination, `${at}.route[${j}].destination`, add);
    const weight = r.weight ?? 0;
    if (!Number.isInteger(weight) || weight < 0) add(`${at}.route[${j}].weight`, `Invalid value: weight ${weight} < 0`, 'use a non-negative integer weight');
    total += weight;
  });
  if (routes.length > 1 && total === 0) add(`${at}.route`, 'Invalid value: total destination weight = 0', 'give at least one destination a positive weight');
  destinationProblems(route.mirror, `${at}.mirror`, add);
  const mirrorPct = route.mirrorPercentage?.value;
  if (mirrorPct !== undefined && (mirrorPct < 0 || mirrorPct > 100)) {
    add(`${at}.mirrorPercentage`, `Invalid value: mirror_percentage must be in [0, 100] (it has ${mirrorPct})`, 'use a percentage from 0 to 100');
  }
  const redirect = route.redirect;
  if (redirect) {
    if (!redirect.uri && !redirect.authority && redirect.port === undefined && !redirect.scheme) {
      add(`${at}.redirect`, 'Invalid value: redirect must specify URI, authority, scheme, or port', 'say where to redirect');
    }
    if (redirect.redirectCode !== undefined && (redirect.redirectCode < 300 || redirect.redirectCode > 399)) {
      add(`${at}.redirect.redirectCode`, `Invalid value: ${redirect.redirectCode} is not a valid redirect code, must be 3xx`, 'use 301, 302, 303, 307 or 308');
    }
    if (redirect.scheme !== undefined && redirect.scheme !== 'http' && redirect.scheme !== 'https') {
      add(`${at}.redirect.scheme`, 'Invalid value: invalid redirect scheme, must be "http" or "https"', 'use http or https');
    }
    portProblem(redirect.port, `${at}.redirect.port`, add);
  }
  if (route.directResponse) {
    const status = route.directResponse.status;
    if (status === undefined) add(`${at}.directResponse.status`, 'Required value', 'set the status');
    else if (status < 200 || status > 599) add(`${at}.directResponse.status`, `Invalid value: HTTP status ${status} is not in range 200-599`, 'use an HTTP status');
  }
  if (route.rewrite && !route.rewrite.uri && !route.rewrite.authority) {
    add(`${at}.rewrite`, 'Invalid value: rewrite must specify at least one of URI, UriRegexRewrite, or authority', 'set `uri` or `authority`');
  }
  durationProblem(route.timeout, `${at}.timeout`, add);
  if (route.retries) {
    const attempts = route.retries.attempts ?? 0;
    if (attempts < 0) add(`${at}.retries.attempts`, 'Invalid value: attempts cannot be negative', 'use 0 to disable retries');
    if (attempts === 0 && (route.retries.perTryTimeout !== undefined || route.retries.retryOn !== undefined)) {
      add(`${at}.retries`, 'Invalid value: http retry policy configured when attempts are set to 0 (disabled)', 'set `attempts`, or remove the retry settings');
    }
    durationProblem(route.retries.perTryTimeout, `${at}.retries.perTryTimeout`, add);
  }
  if (route.fault) {
    const { delay, abort } = route.fault;
    if (!delay && !abort) add(`${at}.fault`, 'Invalid value: HTTP fault injection must have an abort and/or a delay', 'set `delay` or `abort`');
    for (const [part, name] of [[delay, 'delay'], [abort, 'abort']] as const) {
      const pct = part?.percentage?.value;
      if (pct !== undefined && (pct < 0 || pct > 100 || (pct > 0 && pct < 0.0001))) {
        add(`${at}.fault.${name}.percentage`, `Invalid value: percentage ${pct} is neither 0.0, nor in range [0.0001, 100.0]`, 'use a percentage from 0 to 100');
      }
    }
    durationProblem(delay?.fixedDelay, `${at}.fault.delay.fixedDelay`, add);
    if (abort?.httpStatus !== undefined && (abort.httpStatus < 200 || abort.httpStatus > 599)) {
      add(`${at}.fault.abort.httpStatus`, `Invalid value: HTTP status ${abort.httpStatus} is not in range 200-599`, 'use an HTTP status');
    }
  }
}

function trafficPolicyProblems(policy: TrafficPolicyWire | undefined, at: string, add: Add): void {
  if (!policy) return;
  if (!policy.loadBalancer && !policy.connectionPool && !policy.outlierDetection && !policy.tls && !policy.portLevelSettings) {
    add(at, 'Invalid value: traffic policy must have at least one field', 'remove the empty traffic policy');
    return;
  }
  const simple = policy.loadBalancer?.simple;
  if (simple !== undefined && !SIMPLE_LB.includes(simple)) {
    add(`${at}.loadBalancer.simple`, `Unsupported value: "${simple}": supported values: ${SIMPLE_LB.join(', ')}`, 'use an IstioLoadBalancer value');
  }
  if (policy.loadBalancer?.consistentHash?.httpCookie && !policy.loadBalancer.consistentHash.httpCookie.name) {
    add(`${at}.loadBalancer.consistentHash.httpCookie.name`, 'Required value: name required for HttpCookie', 'name the cookie');
  }
  if (policy.connectionPool && !policy.connectionPool.tcp && !policy.connectionPool.http) {
    add(`${at}.connectionPool`, 'Invalid value: connection pool must have at least one field', 'set `tcp` or `http` settings');
  }
  for (const key of ['maxEjectionPercent', 'minHealthPercent'] as const) {
    const value = policy.outlierDetection?.[key];
    if (value !== undefined && (value < 0 || value > 100)) add(`${at}.outlierDetection.${key}`, `Invalid value: percentage ${value} is not in range 0..100`, 'use a percentage');
  }
  const mode = policy.tls?.mode;
  if (mode !== undefined && !CLIENT_TLS_MODES.includes(mode)) add(`${at}.tls.mode`, `Unsupported value: "${mode}": supported values: ${CLIENT_TLS_MODES.join(', ')}`, 'use an IstioClientTlsMode value');
}

/** Checks a DestinationRule as Istio's webhook does (errors only). */
export function validateDestinationRule(dr: DestinationRuleWire): FieldProblem[] {
  const { problems, add } = collector();
  const spec = dr.spec ?? {};
  if (!spec.host) {
    add('spec.host', 'Required value', 'set the host: a Service name, an FQDN or a ServiceEntry host');
  } else {
    const problem = istioWildcardDomainProblem(spec.host);
    if (problem) add('spec.host', `Invalid value: ${problem}`, 'use a Service name, "<name>.<namespace>.svc.cluster.local", or a ServiceEntry host');
  }
  trafficPolicyProblems(spec.trafficPolicy, 'spec.trafficPolicy', add);
  const names = new Set<string>();
  (spec.subsets ?? []).forEach((subset, i) => {
    const at = `spec.subsets[${i}]`;
    const name = subset.name ?? '';
    if (name === '') add(`${at}.name`, 'Required value: subset name cannot be empty', 'name the subset, e.g. "v1"');
    else if (name.length > 63 || !LABEL.test(name)) add(`${at}.name`, `Invalid value: subset name is invalid: ${name}`, 'use a DNS label such as "v1"');
    if (names.has(name)) add(`${at}.name`, `Duplicate value: duplicate subset names: ${name}`, 'give each subset a different name');
    names.add(name);
    labelProblems(subset.labels, `${at}.labels`, add);
    trafficPolicyProblems(subset.trafficPolicy, `${at}.trafficPolicy`, add);
  });
  exportToProblems(spec.exportTo, 'spec.exportTo', add, false);
  return problems;
}

/** `ValidateNamespaceSlashWildcardHostname` for gateway server hosts: `[namespace/]host`. */
function serverHostProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  const [ns, host] = slash < 0 ? [undefined, value] : [value.slice(0, slash), value.slice(slash + 1)];
  if (ns !== undefined && ns !== '*' && ns !== '.' && ns !== '~' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) {
    return `invalid namespace "${ns}" in host "${value}": must be "*", ".", "~" or a namespace name`;
  }
  if (host === '*') return undefined;
  return istioWildcardDomainProblem(host);
}

/** Checks an Istio Gateway as Istio's webhook does (errors only). */
export function validateIstioGateway(gw: IstioGatewayWire): FieldProblem[] {
  const { problems, add } = collector();
  if (gw.metadata.name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(gw.metadata.name)) {
    add('metadata.name', `Invalid value: invalid gateway name: "${gw.metadata.name}" (Gateway names are DNS labels, no dots)`, 'use a name such as "public-gateway"');
  }
  const servers = gw.spec?.servers ?? [];
  if (servers.length === 0) add('spec.servers', 'Required value: gateway must have at least one server', 'add a server with `addServer()`');
  const portNames = new Set<string>();
  servers.forEach((s, i) => {
    const at = `spec.servers[${i}]`;
    const hosts = s.hosts ?? [];
    if (hosts.length === 0) add(`${at}.hosts`, 'Required value: server config must contain at least one host', 'list the hosts this server accepts, e.g. ["*"] or ["shop.example.com"]');
    hosts.forEach((h, j) => {
      const problem = serverHostProblem(h);
      if (problem) add(`${at}.hosts[${j}]`, `Invalid value: ${problem}`, 'use "[namespace/]host", e.g. "shop.example.com" or "*/*.example.com"');
    });
    const port = s.port;
    if (!port) {
      add(`${at}.port`, 'Required value: port is required', 'set the port number, name and protocol');
      return;
    }
    const protocol = port.protocol ?? '';
    let portValid = true;
    if (!isIstioProtocol(protocol)) {
      add(`${at}.port.protocol`, `Invalid value: invalid protocol "${protocol}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`, 'use an IstioProtocol value');
      portValid = false;
    }
    if (port.number === undefined || !Number.isInteger(port.number) || port.number < 1 || port.number > 65535) {
      add(`${at}.port.number`, `Invalid value: port number ${port.number} must be in the range 1..65535`, 'use a port number');
      portValid = false;
    }
    if (!port.name) {
      add(`${at}.port.name`, 'Required value: port name must be set', 'name the port, e.g. "https"');
      portValid = false;
    } else {
      if (portNames.has(port.name)) add(`${at}.port.name`, `Duplicate value: port names in servers must be unique: duplicate name ${port.name}`, 'give each server port a different name');
      portNames.add(port.name);
    }
    const mode = s.tls?.mode;
    if (mode !== undefined && !SERVER_TLS_MODES.includes(mode)) add(`${at}.tls.mode`, `Unsupported value: "${mode}": supported values: ${SERVER_TLS_MODES.join(', ')}`, 'use an IstioServerTlsMode value');
    if (portValid) {
      const p = protocol.toLowerCase();
      if (TLS_PROTOCOLS.includes(p) && !s.tls) {
        add(`${at}.tls`, 'Required value: server must have TLS settings for HTTPS/TLS protocols', 'set `tls` (e.g. mode SIMPLE with a credentialName)');
      } else if (!TLS_PROTOCOLS.includes(p) && s.tls) {
        if (!HTTP_PROTOCOLS.includes(p)) add(`${at}.tls`, 'Invalid value: server cannot have TLS settings for non HTTPS/TLS ports', 'remove `tls`, or use protocol HTTPS or TLS');
        // gateway.IsPassThroughServer: an HTTP server may carry only pass-through TLS settings (httpsRedirect).
        else if (s.tls.mode !== undefined && s.tls.mode !== 'PASSTHROUGH' && s.tls.mode !== 'AUTO_PASSTHROUGH') {
          add(`${at}.tls`, 'Invalid value: server cannot have TLS settings for plain text HTTP ports', 'only `httpsRedirect` is allowed on an HTTP server');
        }
      }
    }
  });
  return problems;
}

/** Checks a ServiceEntry as Istio's webhook and CRD do (errors only). */
export function validateServiceEntry(se: ServiceEntryWire): FieldProblem[] {
  const { problems, add } = collector();
  const spec = se.spec ?? {};
  const hosts = spec.hosts ?? [];
  const resolution = spec.resolution ?? 'NONE';
  if (spec.workloadSelector && spec.endpoints) add('spec', 'Invalid value: only one of WorkloadSelector or Endpoints is allowed in Service Entry', 'use endpoints or a workload selector');
  if (hosts.length === 0) add('spec.hosts', 'Required value: service entry must have at least one host', 'set `hosts`');
  hosts.forEach((host, i) => {
    if (host === '*') add(`spec.hosts[${i}]`, 'Invalid value: invalid host *', 'name the external hosts');
    else {
      const problem = istioWildcardDomainProblem(host);
      if (problem) add(`spec.hosts[${i}]`, `Invalid value: ${problem}`, 'use a DNS name such as "api.example.com" or "*.example.com"');
    }
  });
  let cidr = false;
  (spec.addresses ?? []).forEach((address, i) => {
    cidr = cidr || address.includes('/');
    if (!isIpAddress(address) && !isCidr(address)) add(`spec.addresses[${i}]`, `Invalid value: "${address}": must be an IP address or CIDR`, 'use an IP or CIDR');
  });
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') add('spec.addresses', 'Invalid value: CIDR addresses are allowed only for NONE/STATIC resolution types', 'use plain IPs, or resolution NONE/STATIC');
  if (!RESOLUTIONS.includes(resolution)) add('spec.resolution', `Unsupported value: "${resolution}": supported values: ${RESOLUTIONS.join(', ')}`, 'use a ServiceEntryResolution value');
  const location = spec.location;
  if (location !== undefined && location !== 'MESH_EXTERNAL' && location !== 'MESH_INTERNAL') {
    add('spec.location', `Unsupported value: "${location}": supported values: MESH_EXTERNAL, MESH_INTERNAL`, 'use a ServiceEntryLocation value');
  }
  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  (spec.ports ?? []).forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    const name = port.name ?? '';
    if (portNames.has(name)) add(`${at}.name`, `Duplicate value: service entry port name "${name}" already defined`, 'give each port a different name');
    portNames.add(name);
    if (port.number !== undefined) {
      if (portNumbers.has(port.number)) add(`${at}.number`, `Duplicate value: service entry port ${port.number} already defined`, 'list each port once');
      portNumbers.add(port.number);
    }
    if (name === '' || name.length > 63 || !LABEL.test(name)) add(`${at}.name`, `Invalid value: invalid port name: ${name}`, 'name the port with a DNS label, e.g. "https"');
    if (port.protocol !== undefined && port.protocol !== '' && !isIstioProtocol(port.protocol)) {
      add(`${at}.protocol`, `Invalid value: unsupported protocol: ${port.protocol}`, 'use an IstioProtocol value');
    }
    if (port.number === undefined) add(`${at}.number`, 'Required value', 'set the port number');
    else portProblem(port.number, `${at}.number`, add);
    if (port.targetPort !== undefined) portProblem(port.targetPort, `${at}.targetPort`, add);
  });
  const endpoints = spec.endpoints ?? [];
  if (resolution === 'NONE' && spec.endpoints !== undefined) add('spec.endpoints', 'Invalid value: no endpoints should be provided for resolution type none', 'remove the endpoints, or use resolution STATIC or DNS');
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) add('spec.endpoints', 'Invalid value: there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN', 'use resolution DNS for several endpoints');
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && endpoints.length === 0) {
    hosts.forEach((host, i) => {
      if (istioFqdnProblem(host)) add(`spec.hosts[${i}]`, `Invalid value: hosts must be FQDN if no endpoints are provided for resolution mode ${resolution}`, 'use a concrete DNS name, or list endpoints');
    });
  }
  endpoints.forEach((ep, i) => {
    const at = `spec.endpoints[${i}]`;
    if (!ep.address && !ep.network) add(`${at}.address`, 'Required value: Address is required', 'set the endpoint address');
    if (ep.address) {
      if (resolution === 'STATIC' && !isIpAddress(ep.address) && !ep.address.startsWith('unix://')) {
        add(`${at}.address`, `Invalid value: endpoint address "${ep.address}" is not a valid IP address`, 'STATIC endpoints are IPs; use resolution DNS for host names');
      } else if (resolution !== 'STATIC' && !isIpAddress(ep.address) && istioFqdnProblem(ep.address)) {
        add(`${at}.address`, `Invalid value: endpoint address "${ep.address}" is not a valid FQDN or an IP address`, 'use an IP or a DNS name');
      }
    }
    for (const [name, number] of Object.entries(ep.ports ?? {})) {
      if (!portNames.has(name)) add(`${at}.ports.${name}`, `Invalid value: endpoint port ${number} is not defined by the service entry`, 'use the name of one of the ServiceEntry ports');
      portProblem(number, `${at}.ports.${name}`, add);
    }
    labelProblems(ep.labels, `${at}.labels`, add);
  });
  for (const [key, value] of Object.entries(spec.workloadSelector?.labels ?? {})) {
    if (key.includes('*') || value.includes('*')) add('spec.workloadSelector.labels', `Invalid value: wildcard is not supported in selector: "${key}=${value}"`, 'select by exact labels');
  }
  // Several hosts can only share a TCP port when Istio need not tell them apart (resolution NONE).
  if (resolution !== 'NONE' && hosts.length > 1) {
    const opaque = (spec.ports ?? []).find((p) => {
      const proto = (p.protocol ?? '').toLowerCase();
      return !HTTP_PROTOCOLS.includes(proto) && !TLS_PROTOCOLS.includes(proto);
    });
    if (opaque) add('spec.ports', 'Invalid value: multiple hosts provided with non-HTTP, non-TLS ports', 'use one ServiceEntry per host, or HTTP/TLS ports');
  }
  exportToProblems(spec.exportTo, 'spec.exportTo', add, true);
  return problems;
}

/**
 * Gateway API checks as the API server applies them from the v1.6.1 CRDs (standard channel):
 * the OpenAPI patterns, enums and limits and the CEL `x-kubernetes-validations` of
 * `gateway.networking.k8s.io_{gatewayclasses,gateways,httproutes,referencegrants}.yaml`
 * (sources: kubernetes-sigs/gateway-api `apis/v1/*_types.go` markers), filters included (path
 * modifiers, mirror fractions, CORS lists). Pure functions over the manifest as JSON, shared by
 * the constructs (at synth) and the validator's rules; an empty list means valid.
 */
import { dns1123SubdomainProblems } from './names';
import { FieldProblem } from './problems';

/** The API group of Gateway API kinds. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** A reference as Gateway API writes it (parentRefs, backendRefs, certificateRefs, ...). */
export interface GatewayObjectRefWire {
  readonly group?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly sectionName?: string;
  readonly port?: number;
}

/** A GatewayClass as written in a manifest. */
export interface GatewayClassWire {
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly controllerName?: string; readonly parametersRef?: GatewayObjectRefWire; readonly description?: string };
}

/** A Gateway listener as written in a manifest. */
export interface GatewayListenerWire {
  readonly name?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly tls?: { readonly mode?: string; readonly certificateRefs?: readonly GatewayObjectRefWire[]; readonly options?: Readonly<Record<string, string>> };
  readonly allowedRoutes?: {
    readonly namespaces?: { readonly from?: string; readonly selector?: unknown };
    readonly kinds?: readonly { readonly group?: string; readonly kind?: string }[];
  };
}

/** A Gateway as written in a manifest. */
export interface GatewayWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: { readonly gatewayClassName?: string; readonly listeners?: readonly GatewayListenerWire[] };
}

/** An HTTPRoute filter as written in a manifest. */
export interface HttpRouteFilterWire {
  readonly type?: string;
  readonly requestHeaderModifier?: HeaderModifierWire;
  readonly responseHeaderModifier?: HeaderModifierWire;
  readonly requestRedirect?: { readonly scheme?: string; readonly hostname?: string; readonly port?: number; readonly statusCode?: number; readonly path?: PathModifierWire };
  readonly urlRewrite?: { readonly hostname?: string; readonly path?: PathModifierWire };
  readonly requestMirror?: {
    readonly backendRef?: GatewayObjectRefWire;
    readonly percent?: number;
    readonly fraction?: { readonly numerator?: number; readonly denominator?: number };
  };
  readonly extensionRef?: GatewayObjectRefWire;
  readonly cors?: CorsWire;
}

/** The `HTTPCORSFilter` lists the CRD's CEL rules read. */
interface CorsWire {
  readonly allowOrigins?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly [field: string]: unknown;
}

interface HeaderModifierWire {
  readonly set?: readonly { readonly name?: string; readonly value?: string }[];
  readonly add?: readonly { readonly name?: string; readonly value?: string }[];
  readonly remove?: readonly string[];
}

interface PathModifierWire {
  readonly type?: string;
  readonly replaceFullPath?: string;
  readonly replacePrefixMatch?: string;
}

/** An HTTPRoute match as written in a manifest. */
export interface HttpRouteMatchWire {
  readonly path?: { readonly type?: string; readonly value?: string };
  readonly headers?: readonly { readonly type?: string; readonly name?: string; readonly value?: string }[];
  readonly queryParams?: readonly { readonly type?: string; readonly name?: string; readonly value?: string }[];
  readonly method?: string;
}

/** An HTTPRoute as written in a manifest. */
export interface HttpRouteWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly parentRefs?: readonly GatewayObjectRefWire[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly {
      readonly name?: string;
      readonly matches?: readonly HttpRouteMatchWire[];
      readonly filters?: readonly HttpRouteFilterWire[];
      readonly backendRefs?: readonly (GatewayObjectRefWire & { readonly weight?: number; readonly filters?: readonly HttpRouteFilterWire[] })[];
      readonly timeouts?: { readonly request?: string; readonly backendRequest?: string };
    }[];
  };
}

/** A ReferenceGrant as written in a manifest. */
export interface ReferenceGrantWire {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: {
    readonly from?: readonly { readonly group?: string; readonly kind?: string; readonly namespace?: string }[];
    readonly to?: readonly { readonly group?: string; readonly kind?: string; readonly name?: string }[];
  };
}

// Patterns of the CRD schemas.
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECTION_NAME = PRECISE_HOSTNAME;
const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONTROLLER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
const PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
const FILTER_TYPES = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS'];
/** Filter type -> the field that must be set for it (and only for it). */
const FILTER_FIELDS: Readonly<Record<string, keyof HttpRouteFilterWire>> = {
  RequestHeaderModifier: 'requestHeaderModifier', ResponseHeaderModifier: 'responseHeaderModifier', RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect', URLRewrite: 'urlRewrite', ExtensionRef: 'extensionRef', CORS: 'cors',
};

type Add = (field: string, message: string, fix: string) => void;

function collector(): { problems: FieldProblem[]; add: Add } {
  const problems: FieldProblem[] = [];
  return { problems, add: (field, message, fix) => problems.push({ field, message, fix }) };
}

/** Custom resource names are DNS-1123 subdomains (apiextensions-apiserver validates them so). */
function nameProblems(name: string, add: Add): void {
  for (const msg of dns1123SubdomainProblems(name)) {
    add('metadata.name', `Invalid value: "${name}": ${msg}`, 'use lowercase letters, digits, "-" and "." (set `metadata.name`, or a construct id without "_")');
  }
}

function pattern(value: string | undefined, re: RegExp, field: string, add: Add, fix: string, maxLength = 253): void {
  if (value === undefined) return;
  if (value.length > maxLength) add(field, `Too long: may not be more than ${maxLength} bytes`, fix);
  if (!re.test(value)) add(field, `Invalid value: "${value}": should match '${re.source}'`, fix);
}

function maxItems(items: readonly unknown[] | undefined, max: number, field: string, add: Add): void {
  if ((items?.length ?? 0) > max) add(field, `Too many: ${items?.length}: must have at most ${max} items`, `split it, at most ${max} entries`);
}

function refProblems(ref: GatewayObjectRefWire, at: string, add: Add): void {
  pattern(ref.group, GROUP, `${at}.group`, add, 'use an API group ("" for the core group)');
  pattern(ref.kind, KIND, `${at}.kind`, add, 'use a kind such as "Service"', 63);
  if (!ref.name) add(`${at}.name`, 'Required value', 'name the referenced object');
  pattern(ref.namespace, NAMESPACE, `${at}.namespace`, add, 'use a namespace name', 63);
  if (ref.port !== undefined && !isPort(ref.port)) add(`${at}.port`, `Invalid value: ${ref.port}: must be between 1 and 65535, inclusive`, 'use a port number');
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Parses a Gateway API duration (`1h30m`, `500ms`) into milliseconds; undefined when malformed. */
export function parseGatewayDuration(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, n, u] of value.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(n) * unit[u];
  return total;
}

/** Checks a GatewayClass as its CRD does. */
export function validateGatewayClass(gatewayClass: GatewayClassWire): FieldProblem[] {
  const { problems, add } = collector();
  nameProblems(gatewayClass.metadata.name, add);
  const controller = gatewayClass.spec?.controllerName;
  if (!controller) {
    add('spec.controllerName', 'Required value', 'set the controller name the Gateway implementation documents, e.g. "example.net/gateway-controller"');
  } else {
    pattern(controller, CONTROLLER_NAME, 'spec.controllerName', add, 'use a domain-prefixed path such as "example.net/gateway-controller"');
  }
  const params = gatewayClass.spec?.parametersRef;
  if (params) {
    if (!params.kind) add('spec.parametersRef.kind', 'Required value', 'set the kind of the parameters object');
    refProblems(params, 'spec.parametersRef', add);
  }
  return problems;
}

/** Checks a Gateway as its CRD (OpenAPI + CEL) does. */
export function validateGateway(gateway: GatewayWire): FieldProblem[] {
  const { problems, add } = collector();
  nameProblems(gateway.metadata.name, add);
  const spec = gateway.spec ?? {};
  if (!spec.gatewayClassName) add('spec.gatewayClassName', 'Required value', 'name the GatewayClass of the implementation that runs this Gateway');
  const listeners = spec.listeners ?? [];
  if (listeners.length === 0) add('spec.listeners', 'Required value: a Gateway needs at least one listener', 'add a listener with `addListener()`');
  maxItems(listeners, 64, 'spec.listeners', add);
  const names = new Map<string, number>();
  const combos = new Map<string, number>();
  listeners.forEach((l, i) => {
    const at = `spec.listeners[${i}]`;
    if (!l.name) add(`${at}.name`, 'Required value', 'name the listener (routes select it by `sectionName`)');
    else pattern(l.name, SECTION_NAME, `${at}.name`, add, 'use a DNS-style name such as "https" or "http-8080"');
    pattern(l.hostname, HOSTNAME, `${at}.hostname`, add, 'use a DNS name, optionally with a leading "*." (no IPs or ports)');
    if (l.port === undefined) add(`${at}.port`, 'Required value', 'set the port');
    else if (!isPort(l.port)) add(`${at}.port`, `Invalid value: ${l.port}: must be between 1 and 65535, inclusive`, 'use a port number');
    if (!l.protocol) add(`${at}.protocol`, 'Required value', 'set the protocol: HTTP, HTTPS, TLS, TCP or UDP');
    else pattern(l.protocol, PROTOCOL, `${at}.protocol`, add, 'use HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed protocol', 255);
    const protocol = l.protocol ?? '';
    if (['HTTP', 'TCP', 'UDP'].includes(protocol) && l.tls !== undefined) {
      add(`${at}.tls`, "Invalid value: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", 'remove `tls`, or use protocol HTTPS or TLS');
    }
    if (protocol === 'HTTPS' && l.tls !== undefined && l.tls.mode !== undefined && l.tls.mode !== '' && l.tls.mode !== 'Terminate') {
      add(`${at}.tls.mode`, 'Invalid value: tls mode must be Terminate for protocol HTTPS', 'use mode Terminate, or protocol TLS for Passthrough');
    }
    if (protocol === 'TLS' && (l.tls?.mode === undefined || l.tls.mode === '')) {
      add(`${at}.tls.mode`, 'Invalid value: tls mode must be set for protocol TLS', 'set `tls.mode` to Terminate or Passthrough');
    }
    if (['TCP', 'UDP'].includes(protocol) && l.hostname) {
      add(`${at}.hostname`, "Invalid value: hostname must not be specified for protocols ['TCP', 'UDP']", 'remove `hostname`');
    }
    if (l.tls) {
      if (l.tls.mode !== undefined && l.tls.mode !== 'Terminate' && l.tls.mode !== 'Passthrough') {
        add(`${at}.tls.mode`, `Unsupported value: "${l.tls.mode}": supported values: "Terminate", "Passthrough"`, 'use GatewayTlsMode');
      }
      // mode defaults to Terminate.
      if ((l.tls.mode ?? 'Terminate') === 'Terminate' && (l.tls.certificateRefs ?? []).length === 0 && Object.keys(l.tls.options ?? {}).length === 0) {
        add(`${at}.tls`, 'Invalid value: certificateRefs or options must be specified when mode is Terminate', 'reference the certificate Secret in `tls.certificateRefs`');
      }
      maxItems(l.tls.certificateRefs, 64, `${at}.tls.certificateRefs`, add);
      (l.tls.certificateRefs ?? []).forEach((ref, j) => refProblems(ref, `${at}.tls.certificateRefs[${j}]`, add));
    }
    const from = l.allowedRoutes?.namespaces?.from;
    if (from !== undefined && !['All', 'Selector', 'Same'].includes(from)) {
      add(`${at}.allowedRoutes.namespaces.from`, `Unsupported value: "${from}": supported values: "All", "Selector", "Same"`, 'use FromNamespaces');
    }
    maxItems(l.allowedRoutes?.kinds, 8, `${at}.allowedRoutes.kinds`, add);
    (l.allowedRoutes?.kinds ?? []).forEach((k, j) => {
      if (!k.kind) add(`${at}.allowedRoutes.kinds[${j}].kind`, 'Required value', 'set the route kind, e.g. "HTTPRoute"');
      pattern(k.kind, KIND, `${at}.allowedRoutes.kinds[${j}].kind`, add, 'use a kind such as "HTTPRoute"', 63);
      pattern(k.group, GROUP, `${at}.allowedRoutes.kinds[${j}].group`, add, `use "${GATEWAY_API_GROUP}"`);
    });
    if (l.name) {
      const first = names.get(l.name);
      if (first !== undefined) add(`${at}.name`, `Invalid value: Listener name must be unique within the Gateway (listener ${first} is also "${l.name}")`, 'rename one of the listeners');
      else names.set(l.name, i);
    }
    const combo = `${l.port}/${protocol}/${l.hostname ?? ''}`;
    const firstCombo = combos.get(combo);
    if (firstCombo !== undefined) {
      add(at, `Invalid value: Combination of port, protocol and hostname must be unique for each listener (same as listener ${firstCombo})`,
        'give the listeners different hostnames or ports, or merge them');
    } else {
      combos.set(combo, i);
    }
  });
  return problems;
}

/** Checks an HTTPRoute as its CRD (OpenAPI + CEL) does. */
export function validateHttpRoute(route: HttpRouteWire): FieldProblem[] {
  const { problems, add } = collector();
  nameProblems(route.metadata.name, add);
  const spec = route.spec ?? {};
  const parents = spec.parentRefs ?? [];
  maxItems(parents, 32, 'spec.parentRefs', add);
  parents.forEach((p, i) => refProblems(p, `spec.parentRefs[${i}]`, add));
  parents.forEach((p, i) => pattern(p.sectionName, SECTION_NAME, `spec.parentRefs[${i}].sectionName`, add, 'name a listener of the Gateway'));
  parentRefUniqueness(parents, add);
  maxItems(spec.hostnames, 16, 'spec.hostnames', add);
  (spec.hostnames ?? []).forEach((h, i) => pattern(h, HOSTNAME, `spec.hostnames[${i}]`, add, 'use a DNS name, optionally with a leading "*." (no IPs or ports)'));
  const rules = spec.rules ?? [];
  maxItems(rules, 16, 'spec.rules', add);
  const totalMatches = rules.reduce((n, r) => n + (r.matches?.length ?? 1), 0);
  if (totalMatches > 128) {
    add('spec.rules', 'Invalid value: While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
      'split the route into several HTTPRoutes');
  }
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    pattern(rule.name, SECTION_NAME, `${at}.name`, add, 'use a DNS-style rule name');
    const matches = rule.matches ?? [];
    maxItems(matches, 64, `${at}.matches`, add);
    matches.forEach((m, j) => matchProblems(m, `${at}.matches[${j}]`, add));
    const filters = rule.filters ?? [];
    filtersProblems(filters, `${at}.filters`, add);
    const backends = rule.backendRefs ?? [];
    if (backends.length > 0 && filters.some((f) => f.requestRedirect !== undefined)) {
      add(at, 'Invalid value: RequestRedirect filter must not be used together with backendRefs', 'a redirect answers the request itself: remove the backendRefs, or the redirect');
    }
    const prefixRewrite = (fs: readonly HttpRouteFilterWire[]) => fs.some((f) =>
      f.requestRedirect?.path?.type === 'ReplacePrefixMatch' || f.urlRewrite?.path?.type === 'ReplacePrefixMatch');
    if ((prefixRewrite(filters) || backends.some((b) => prefixRewrite(b.filters ?? []))) && (matches.length !== 1 || matches[0].path?.type !== 'PathPrefix')) {
      add(at, 'Invalid value: When using a filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
        'give the rule exactly one match, of type PathPrefix (the prefix that gets replaced)');
    }
    maxItems(backends, 16, `${at}.backendRefs`, add);
    backends.forEach((b, j) => {
      const bAt = `${at}.backendRefs[${j}]`;
      refProblems(b, bAt, add);
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service' && b.port === undefined) {
        add(bAt, 'Invalid value: Must have port for Service reference', 'set the Service port number');
      }
      if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 1_000_000)) {
        add(`${bAt}.weight`, `Invalid value: ${b.weight}: must be an integer from 0 to 1000000`, 'weights are relative shares; 0 sends no traffic');
      }
      filtersProblems(b.filters ?? [], `${bAt}.filters`, add);
    });
    timeoutProblems(rule.timeouts, `${at}.timeouts`, add);
  });
  return problems;
}

/** The two CEL rules on `spec.parentRefs`: several refs to one parent need distinct sectionNames. */
function parentRefUniqueness(parents: readonly GatewayObjectRefWire[], add: Add): void {
  const key = (p: GatewayObjectRefWire) => `${p.group ?? GATEWAY_API_GROUP}/${p.kind ?? 'Gateway'}/${p.namespace ?? ''}/${p.name ?? ''}`;
  const seen = new Map<string, { section: string; index: number }[]>();
  parents.forEach((p, i) => {
    const same = seen.get(key(p)) ?? [];
    const section = p.sectionName ?? '';
    for (const other of same) {
      if ((other.section === '') !== (section === '')) {
        add(`spec.parentRefs[${i}]`, 'Invalid value: sectionName must be specified when parentRefs includes 2 or more references to the same parent',
          'give every reference to this parent a `sectionName`');
      } else if (other.section === section) {
        add(`spec.parentRefs[${i}]`, 'Invalid value: sectionName must be unique when parentRefs includes 2 or more references to the same parent',
          `parentRefs[${other.index}] already references this parent${section ? ` with sectionName "${section}"` : ''}: remove one`);
      }
    }
    same.push({ section, index: i });
    seen.set(key(p), same);
  });
}

function matchProblems(m: HttpRouteMatchWire, at: string, add: Add): void {
  if (m.path) {
    const type = m.path.type ?? 'PathPrefix';
    const value = m.path.value ?? '/';
    if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(type)) {
      add(`${at}.path.type`, `Unsupported value: "${type}": supported values: "Exact", "PathPrefix", "RegularExpression"`, 'use HttpPathMatchType');
    } else if (type !== 'RegularExpression') {
      const fix = 'write the path as it appears in the URL, starting with "/" (e.g. "/api")';
      if (!value.startsWith('/')) add(`${at}.path`, `Invalid value: "${value}": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`, fix);
      for (const seq of ['//', '/./', '/../', '%2f', '%2F', '#']) {
        if (value.includes(seq)) add(`${at}.path`, `Invalid value: "${value}": must not contain '${seq}' when type one of ['Exact', 'PathPrefix']`, fix);
      }
      for (const suffix of ['/..', '/.']) {
        if (value.endsWith(suffix)) add(`${at}.path`, `Invalid value: "${value}": must not end with '${suffix}' when type one of ['Exact', 'PathPrefix']`, fix);
      }
      if (!PATH_CHARS.test(value)) {
        add(`${at}.path`, `Invalid value: "${value}": must only contain valid characters (matching ${PATH_CHARS.source}) for types ['Exact', 'PathPrefix']`, 'percent-encode other characters');
      }
    }
    if (value.length > 1024) add(`${at}.path.value`, 'Too long: may not be more than 1024 bytes', 'shorten the path');
  }
  for (const [list, kind] of [[m.headers, 'headers'], [m.queryParams, 'queryParams']] as const) {
    maxItems(list, 16, `${at}.${kind}`, add);
    (list ?? []).forEach((h, k) => {
      const hAt = `${at}.${kind}[${k}]`;
      if (!h.name) add(`${hAt}.name`, 'Required value', 'set the name');
      else pattern(h.name, HEADER_NAME, `${hAt}.name`, add, 'use a valid HTTP token as the name', 256);
      if (h.value === undefined || h.value === '') add(`${hAt}.value`, 'Required value: must be at least 1 character', 'set the value to match');
      else if (h.value.length > (kind === 'headers' ? 4096 : 1024)) add(`${hAt}.value`, 'Too long', 'shorten the value');
      if (h.type !== undefined && h.type !== 'Exact' && h.type !== 'RegularExpression') {
        add(`${hAt}.type`, `Unsupported value: "${h.type}": supported values: "Exact", "RegularExpression"`, 'use Exact or RegularExpression');
      }
    });
  }
  if (m.method !== undefined && !METHODS.includes(m.method)) {
    add(`${at}.method`, `Unsupported value: "${m.method}": supported values: ${METHODS.map((x) => `"${x}"`).join(', ')}`, 'use an upper-case HTTP method');
  }
}

function filtersProblems(filters: readonly HttpRouteFilterWire[], at: string, add: Add): void {
  maxItems(filters, 16, at, add);
  filters.forEach((f, i) => {
    const fAt = `${at}[${i}]`;
    if (!f.type || !FILTER_TYPES.includes(f.type)) {
      add(`${fAt}.type`, `Unsupported value: "${f.type ?? ''}": supported values: ${FILTER_TYPES.map((x) => `"${x}"`).join(', ')}`, 'use an HttpRouteFilter factory');
      return;
    }
    for (const [type, field] of Object.entries(FILTER_FIELDS)) {
      if (f[field] !== undefined && f.type !== type) add(fAt, `Invalid value: filter.${field} must be nil if the filter.type is not ${type}`, `remove \`${field}\``);
      if (f[field] === undefined && f.type === type) add(fAt, `Invalid value: filter.${field} must be specified for ${type} filter.type`, `set \`${field}\``);
    }
    const redirect = f.requestRedirect;
    if (redirect) {
      if (redirect.scheme !== undefined && !['http', 'https'].includes(redirect.scheme)) {
        add(`${fAt}.requestRedirect.scheme`, `Unsupported value: "${redirect.scheme}": supported values: "http", "https"`, 'use http or https');
      }
      if (redirect.statusCode !== undefined && ![301, 302, 303, 307, 308].includes(redirect.statusCode)) {
        add(`${fAt}.requestRedirect.statusCode`, `Unsupported value: ${redirect.statusCode}: supported values: 301, 302, 303, 307, 308`, 'use a redirect status');
      }
      pattern(redirect.hostname, PRECISE_HOSTNAME, `${fAt}.requestRedirect.hostname`, add, 'use a DNS name (no wildcard)');
      if (redirect.port !== undefined && !isPort(redirect.port)) add(`${fAt}.requestRedirect.port`, `Invalid value: ${redirect.port}: must be between 1 and 65535, inclusive`, 'use a port number');
    }
    pattern(f.urlRewrite?.hostname, PRECISE_HOSTNAME, `${fAt}.urlRewrite.hostname`, add, 'use a DNS name (no wildcard)');
    for (const [modifier, name] of [[f.requestHeaderModifier, 'requestHeaderModifier'], [f.responseHeaderModifier, 'responseHeaderModifier']] as const) {
      if (!modifier) continue;
      for (const list of ['set', 'add'] as const) {
        maxItems(modifier[list], 16, `${fAt}.${name}.${list}`, add);
        (modifier[list] ?? []).forEach((h, k) => pattern(h.name, HEADER_NAME, `${fAt}.${name}.${list}[${k}].name`, add, 'use a valid HTTP header name', 256));
      }
      maxItems(modifier.remove, 16, `${fAt}.${name}.remove`, add);
    }
    if (f.requestMirror) mirrorProblems(f.requestMirror, `${fAt}.requestMirror`, add);
    if (f.requestRedirect?.path) pathModifierProblems(f.requestRedirect.path, `${fAt}.requestRedirect.path`, add);
    if (f.urlRewrite?.path) pathModifierProblems(f.urlRewrite.path, `${fAt}.urlRewrite.path`, add);
    if (f.cors) corsProblems(f.cors, `${fAt}.cors`, add);
  });
  // CEL on `filters`: core filters cannot repeat, redirect and rewrite exclude each other.
  for (const type of ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']) {
    if (filters.filter((f) => f.type === type).length > 1) add(at, `Invalid value: ${type} filter cannot be repeated`, `merge the ${type} filters into one`);
  }
  if (filters.some((f) => f.type === 'RequestRedirect') && filters.some((f) => f.type === 'URLRewrite')) {
    add(at, 'Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both', 'keep either the redirect or the rewrite');
  }
}

/** `HTTPRequestMirrorFilter` CEL: percent or fraction, numerator <= denominator (default 100), a port for Services. */
function mirrorProblems(mirror: NonNullable<HttpRouteFilterWire['requestMirror']>, at: string, add: Add): void {
  if (mirror.backendRef) {
    refProblems(mirror.backendRef, `${at}.backendRef`, add);
    if ((mirror.backendRef.group ?? '') === '' && (mirror.backendRef.kind ?? 'Service') === 'Service' && mirror.backendRef.port === undefined) {
      add(`${at}.backendRef`, 'Invalid value: Must have port for Service reference', 'set the Service port number of the mirror backend');
    }
  }
  if (mirror.percent !== undefined && mirror.fraction !== undefined) {
    add(at, 'Invalid value: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter', 'keep either `percent` or `fraction`');
  }
  const numerator = mirror.fraction?.numerator;
  const denominator = mirror.fraction?.denominator ?? 100;
  if (typeof numerator === 'number' && numerator > denominator) {
    add(`${at}.fraction`, `Invalid value: numerator must be less than or equal to denominator (${numerator} > ${denominator})`, 'mirror at most all requests: numerator <= denominator');
  }
}

/** `HTTPPathModifier` CEL: the type names the one field that is set. */
function pathModifierProblems(path: PathModifierWire, at: string, add: Add): void {
  for (const [type, field] of [['ReplaceFullPath', 'replaceFullPath'], ['ReplacePrefixMatch', 'replacePrefixMatch']] as const) {
    if (path.type === type && path[field] === undefined) add(at, `Invalid value: ${field} must be specified when type is set to '${type}'`, `set \`${field}\``);
    if (path[field] !== undefined && path.type !== type) add(at, `Invalid value: type must be '${type}' when ${field} is set`, `set \`type: ${type}\`, or remove \`${field}\``);
  }
}

/** `HTTPCORSFilter` CEL: `*` only alone (the CRD's message for allowHeaders says "other methods" too). */
function corsProblems(cors: CorsWire, at: string, add: Add): void {
  for (const [field, name, what] of [['allowOrigins', 'AllowOrigins', 'other origins'], ['allowMethods', 'AllowMethods', 'other methods'], ['allowHeaders', 'AllowHeaders', 'other methods']] as const) {
    const list = cors[field];
    if (Array.isArray(list) && list.includes('*') && list.length > 1) {
      add(`${at}.${field}`, `Invalid value: ${name} cannot contain '*' alongside ${what}`, 'use "*" alone, or list the values without "*"');
    }
  }
}

function timeoutProblems(timeouts: { readonly request?: string; readonly backendRequest?: string } | undefined, at: string, add: Add): void {
  if (!timeouts) return;
  const request = timeouts.request === undefined ? undefined : parseGatewayDuration(timeouts.request);
  const backend = timeouts.backendRequest === undefined ? undefined : parseGatewayDuration(timeouts.backendRequest);
  const fix = 'use a duration such as "10s", "500ms" or "1h30m" (at most 5 digits per unit)';
  if (timeouts.request !== undefined && request === undefined) add(`${at}.request`, `Invalid value: "${timeouts.request}": should match '${DURATION.source}'`, fix);
  if (timeouts.backendRequest !== undefined && backend === undefined) add(`${at}.backendRequest`, `Invalid value: "${timeouts.backendRequest}": should match '${DURATION.source}'`, fix);
  if (request !== undefined && backend !== undefined && request !== 0 && backend > request) {
    add(at, 'Invalid value: backendRequest timeout cannot be longer than request timeout', 'make `backendRequest` at most `request` (the whole request, retries included)');
  }
}

/** Checks a ReferenceGrant as its CRD does. */
export function validateReferenceGrant(grant: ReferenceGrantWire): FieldProblem[] {
  const { problems, add } = collector();
  nameProblems(grant.metadata.name, add);
  const from = grant.spec?.from ?? [];
  const to = grant.spec?.to ?? [];
  if (from.length === 0) add('spec.from', 'Required value: must have at least 1 item', 'say which kinds in which namespaces may refer here');
  if (to.length === 0) add('spec.to', 'Required value: must have at least 1 item', 'say which kinds (and names) in this namespace may be referred to');
  maxItems(from, 16, 'spec.from', add);
  maxItems(to, 16, 'spec.to', add);
  from.forEach((f, i) => {
    if (f.group === undefined) add(`spec.from[${i}].group`, 'Required value', `set the group ("${GATEWAY_API_GROUP}" for routes)`);
    pattern(f.group, GROUP, `spec.from[${i}].group`, add, 'use an API group');
    if (!f.kind) add(`spec.from[${i}].kind`, 'Required value', 'set the kind, e.g. "HTTPRoute"');
    pattern(f.kind, KIND, `spec.from[${i}].kind`, add, 'use a kind such as "HTTPRoute"', 63);
    if (!f.namespace) add(`spec.from[${i}].namespace`, 'Required value', 'set the namespace the references come from');
    pattern(f.namespace, NAMESPACE, `spec.from[${i}].namespace`, add, 'use a namespace name', 63);
  });
  to.forEach((t, i) => {
    if (t.group === undefined) add(`spec.to[${i}].group`, 'Required value', 'set the group ("" for Services and Secrets)');
    pattern(t.group, GROUP, `spec.to[${i}].group`, add, 'use an API group');
    if (!t.kind) add(`spec.to[${i}].kind`, 'Required value', 'set the kind, e.g. "Service"');
    pattern(t.kind, KIND, `spec.to[${i}].kind`, add, 'use a kind such as "Service"', 63);
  });
  return problems;
}

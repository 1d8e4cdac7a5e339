/**
 * `netkit convert ingress`: Ingresses to Gateway API (Gateway + HTTPRoutes), for the migration
 * off ingress-nginx. The mapping follows ingress2gateway's (kubernetes-sigs/ingress2gateway,
 * `pkg/i2gw/providers/common/converter.go` ToIR / toRoutesAndGateways / toHTTPRoute, and the
 * ingress-nginx provider's `canary.go`, `redirect.go` addSSLAndTrailingSlashRedirects):
 *
 * - one Gateway per namespace and IngressClass, named after the class, with per host an HTTP
 *   listener `<host>-http` on 80 and, for hosts with TLS, an HTTPS listener `<host>-https` on 443
 *   carrying the Ingress' TLS Secrets;
 * - one HTTPRoute per namespace, class and host, named `<first Ingress>-<host>`, one rule per
 *   distinct path (pathType + path), backends by Service port number (names resolved through
 *   the Services given);
 * - ingress-nginx canaries: `canary-weight` (and `-total`) as backend weights, `canary-by-header`
 *   as a header-match rule in front (`always` when no value is given);
 * - hosts with TLS: the HTTPRoute binds to the HTTPS listener, and a `<route>-http` HTTPRoute on
 *   the HTTP listener redirects with 308 to https (ingress-nginx's default `ssl-redirect`), except
 *   rules whose Ingress sets `ssl-redirect: "false"`;
 * - `permanent-redirect` / `temporal-redirect` as a RequestRedirect filter;
 * - a defaultBackend as `<ingress>-default-backend`, a rule without matches.
 *
 * One deliberate difference: TLS applies to the hosts a `spec.tls` entry lists (as ingress-nginx
 * serves it), where ingress2gateway gives every host of the Ingress the Ingress' certificates.
 * Whatever is not translated is listed with the Ingress, field and reason; nothing is dropped
 * silently. `netkit diff --equivalent` then checks the result by behaviour.
 */
import { asArray, asNumber, asObject, asString, asStringMap } from '../core/json';
import type { SourceLocation } from '../core/refs';
import type { ManifestObject } from '../manifest';

/** A Kubernetes object as plain JSON. */
export type ConvertedObject = Record<string, unknown>;

/** Something the converter did not translate (or translated only in part). */
export interface ConvertNote {
  /** `Ingress ns/name`. */
  readonly object: string;
  readonly source?: SourceLocation;
  /** Field path or annotation, e.g. `metadata.annotations.nginx.ingress.kubernetes.io/rewrite-target`. */
  readonly field: string;
  readonly message: string;
}

/** The result of {@link convertIngresses}. */
export interface ConvertResult {
  /** Gateways, then HTTPRoutes, in a stable order. */
  readonly objects: readonly ConvertedObject[];
  readonly notTranslated: readonly ConvertNote[];
  /** How many Ingresses were read. */
  readonly ingresses: number;
}

/** Options of {@link convertIngresses}. */
export interface ConvertOptions {
  /** `spec.gatewayClassName` of every Gateway. @default the IngressClass name (as ingress2gateway) */
  readonly gatewayClassName?: string;
}

const NGINX = 'nginx.ingress.kubernetes.io/';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/** ingress-nginx annotations the converter translates (the rest are listed). */
const TRANSLATED = new Set(['canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value', 'ssl-redirect',
  'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect']);

/** ingress2gateway's NameFromHost: non-alphanumerics to `-`, `all-hosts` for none. */
export function nameFromHost(host: string): string {
  if (host === '' || host === '*') return 'all-hosts';
  return host.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
}

interface IngressView {
  readonly obj: ManifestObject;
  readonly label: string;
  readonly namespace: string;
  readonly name: string;
  readonly cls: string;
  readonly annotations: Record<string, string>;
  readonly canary: boolean;
  /** Hosts a TLS entry covers (`*` when an entry lists none: every host of the Ingress). */
  readonly tls: Map<string, string[]>;
}

interface PathEntry {
  readonly ingress: IngressView;
  readonly pathType: string;
  readonly path: string;
  readonly backend: unknown;
  readonly field: string;
}

interface Group {
  readonly namespace: string;
  readonly cls: string;
  readonly host: string;
  readonly name: string;
  readonly secrets: Set<string>;
  readonly paths: PathEntry[];
}

type BackendRef = { name: string; port: number; weight?: number };

/** Convert the Ingresses among `objects` (Services are read to resolve port names). */
export function convertIngresses(objects: readonly ManifestObject[], options: ConvertOptions = {}): ConvertResult {
  const notes: ConvertNote[] = [];
  const servicePorts = new Map<string, Map<string, number>>();
  for (const o of objects) {
    if (o.ref.kind !== 'Service' || o.apiVersion !== 'v1') continue;
    const ports = new Map<string, number>();
    for (const p of asArray(asObject(o.raw.spec)?.ports)) {
      const name = asString(asObject(p)?.name); const port = asNumber(asObject(p)?.port);
      if (name !== undefined && port !== undefined) ports.set(name, port);
    }
    servicePorts.set(`${o.ref.namespace ?? ''}/${o.ref.name}`, ports);
  }
  const defaultClass = objects.find((o) => o.ref.kind === 'IngressClass' && asStringMap(asObject(o.raw.metadata)?.annotations)[DEFAULT_CLASS] === 'true')?.ref.name;
  const ingresses = objects.filter((o) => o.ref.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1')
    .sort((a, b) => key(a).localeCompare(key(b)));
  const groups = new Map<string, Group>();
  const defaults: { ingress: IngressView; backend: unknown }[] = [];
  for (const obj of ingresses) {
    const spec = asObject(obj.raw.spec) ?? {};
    const annotations = asStringMap(asObject(obj.raw.metadata)?.annotations);
    const namespace = obj.ref.namespace ?? 'default';
    const label = `Ingress ${namespace}/${obj.ref.name}`;
    const note = (field: string, message: string) => notes.push({ object: label, ...(obj.source ? { source: obj.source } : {}), field, message });
    const cls = asString(spec.ingressClassName) ?? annotations[LEGACY_CLASS] ?? defaultClass;
    if (cls === undefined) {
      note('spec.ingressClassName', 'no IngressClass (no ingressClassName, no kubernetes.io/ingress.class annotation, no default class): no Gateway to attach to; not translated');
      continue;
    }
    const tls = new Map<string, string[]>();
    asArray(spec.tls).forEach((t) => {
      const secret = asString(asObject(t)?.secretName);
      const hosts = asArray(asObject(t)?.hosts).map(asString).filter((h): h is string => h !== undefined);
      for (const h of hosts.length ? hosts : ['*']) tls.set(h, [...(tls.get(h) ?? []), ...(secret ? [secret] : [])]);
    });
    const view: IngressView = { obj, label, namespace, name: obj.ref.name, cls, annotations, canary: annotations[`${NGINX}canary`] === 'true', tls };
    for (const [k, v] of Object.entries(annotations)) {
      if (!k.startsWith(NGINX)) continue;
      const short = k.slice(NGINX.length);
      if (TRANSLATED.has(short)) continue;
      const why = short === 'rewrite-target' ? 'HTTPRoute URLRewrite replaces a prefix or the full path; nginx rewrites by regex capture groups'
        : short === 'use-regex' ? 'ingress-nginx regex locations (case-insensitive, anchored at the start only, for every path of the host) have no HTTPRoute equivalent'
          : short.startsWith('canary-by-') ? 'ingress2gateway translates canary by header value and weight only'
            : 'no HTTPRoute equivalent in this converter';
      note(`metadata.annotations.${k}`, `${short}: ${JSON.stringify(v)} not translated (${why})`);
    }
    if (spec.defaultBackend !== undefined) defaults.push({ ingress: view, backend: spec.defaultBackend });
    asArray(spec.rules).forEach((r, ri) => {
      const rule = asObject(r) ?? {};
      const host = asString(rule.host) ?? '';
      const gk = `${namespace}/${cls}/${host}`;
      let g = groups.get(gk);
      if (!g) { g = { namespace, cls, host, name: view.name, secrets: new Set(), paths: [] }; groups.set(gk, g); }
      for (const s of tls.get(host) ?? tls.get('*') ?? []) g.secrets.add(s);
      if (tls.has(host) || tls.has('*')) g.secrets.add('');
      asArray(asObject(rule.http)?.paths).forEach((p, pi) => {
        const path = asObject(p) ?? {};
        g?.paths.push({ ingress: view, pathType: asString(path.pathType) ?? '', path: asString(path.path) ?? '/', backend: path.backend, field: `spec.rules[${ri}].http.paths[${pi}]` });
      });
    });
  }

  const gateways = new Map<string, { namespace: string; cls: string; listeners: Record<string, unknown>[] }>();
  const routes: ConvertedObject[] = [];
  for (const gk of [...groups.keys()].sort()) {
    const g = groups.get(gk) as Group;
    const gw = gateways.get(`${g.namespace}/${g.cls}`) ?? { namespace: g.namespace, cls: g.cls, listeners: [] };
    gateways.set(`${g.namespace}/${g.cls}`, gw);
    const prefix = g.host ? `${nameFromHost(g.host)}-` : '';
    const hostname = g.host ? { hostname: g.host } : {};
    const tlsHost = g.secrets.size > 0;
    if (!gw.listeners.some((l) => l.name === `${prefix}http`)) gw.listeners.push({ name: `${prefix}http`, ...hostname, port: 80, protocol: 'HTTP' });
    if (tlsHost) {
      const refs = [...g.secrets].filter((s) => s !== '').sort().map((name) => ({ group: '', kind: 'Secret', name }));
      gw.listeners.push({ name: `${prefix}https`, ...hostname, port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: refs } });
    }
    const rules = routeRules(g, servicePorts, notes);
    const routeName = `${g.name}-${nameFromHost(g.host)}`;
    const parent = (section: string) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: g.cls, sectionName: `${prefix}${section}` });
    const base = (name: string, parentRefs: unknown[], rs: unknown[]) => ({
      apiVersion: GATEWAY_API, kind: 'HTTPRoute', metadata: { name, namespace: g.namespace },
      spec: { parentRefs, ...(g.host ? { hostnames: [g.host] } : {}), rules: rs },
    });
    if (!tlsHost) {
      routes.push(base(routeName, [parent('http')], rules.map((r) => r.rule)));
      continue;
    }
    routes.push(base(routeName, [parent('https')], rules.map((r) => r.rule)));
    // ingress-nginx redirects plain HTTP to https (308) on a TLS host unless the rule's Ingress sets ssl-redirect: "false".
    const http = rules.map((r) => (r.sslRedirect
      ? { matches: r.rule.matches, filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }] }
      : r.rule));
    routes.push(base(`${routeName}-http`, [parent('http')], http));
  }
  for (const d of defaults) {
    const ref = backendRef(d.ingress, d.backend, 'spec.defaultBackend', servicePorts, notes);
    if (!ref) continue;
    const gw = gateways.get(`${d.ingress.namespace}/${d.ingress.cls}`) ?? { namespace: d.ingress.namespace, cls: d.ingress.cls, listeners: [] };
    gateways.set(`${d.ingress.namespace}/${d.ingress.cls}`, gw);
    if (!gw.listeners.some((l) => l.name === 'http')) gw.listeners.push({ name: 'http', port: 80, protocol: 'HTTP' });
    routes.push({
      apiVersion: GATEWAY_API, kind: 'HTTPRoute', metadata: { name: `${d.ingress.name}-default-backend`, namespace: d.ingress.namespace },
      spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: d.ingress.cls }], rules: [{ backendRefs: [ref] }] },
    });
  }
  const gatewayObjects: ConvertedObject[] = [...gateways.values()].sort((a, b) => `${a.namespace}/${a.cls}`.localeCompare(`${b.namespace}/${b.cls}`)).map((gw) => ({
    apiVersion: GATEWAY_API, kind: 'Gateway', metadata: { name: gw.cls, namespace: gw.namespace },
    spec: { gatewayClassName: options.gatewayClassName ?? gw.cls, listeners: gw.listeners },
  }));
  return { objects: [...gatewayObjects, ...routes], notTranslated: notes, ingresses: ingresses.length };
}

function key(o: ManifestObject): string {
  return `${o.ref.namespace ?? ''}/${o.ref.name}`;
}

interface RuleOut {
  readonly rule: { matches?: unknown[]; filters?: unknown[]; backendRefs?: BackendRef[] };
  /** The plain-HTTP twin redirects to https. */
  readonly sslRedirect: boolean;
}

/** One rule per distinct pathType + path, in order; canaries of the same path merged into it (ingress2gateway's groupIngressPathsByMatchKey). */
function routeRules(g: Group, servicePorts: Map<string, Map<string, number>>, notes: ConvertNote[]): RuleOut[] {
  const byMatch = new Map<string, PathEntry[]>();
  for (const p of g.paths) {
    const k = `${p.pathType}/${p.path}`;
    byMatch.set(k, [...(byMatch.get(k) ?? []), p]);
  }
  const out: RuleOut[] = [];
  for (const entries of byMatch.values()) {
    const primary = entries.find((e) => !e.ingress.canary);
    const note = (e: PathEntry, field: string, message: string) => notes.push({ object: e.ingress.label, ...(e.ingress.obj.source ? { source: e.ingress.obj.source } : {}), field, message });
    if (!primary) {
      for (const e of entries) note(e, e.field, `canary path ${e.path} has no primary Ingress with the same host and path: not translated (ingress-nginx ignores it too)`);
      continue;
    }
    const match = pathMatch(primary, note);
    if (!match) continue;
    const matches = [match];
    const main = backendRef(primary.ingress, primary.backend, `${primary.field}.backend`, servicePorts, notes);
    if (!main) continue;
    const sslRedirect = primary.ingress.annotations[`${NGINX}ssl-redirect`] !== 'false';
    const redirect = redirectFilter(primary, note);
    if (redirect) {
      out.push({ rule: { matches, filters: [redirect] }, sslRedirect });
      continue;
    }
    const backendRefs: BackendRef[] = [main];
    for (const c of entries.filter((e) => e.ingress.canary)) {
      const ref = backendRef(c.ingress, c.backend, `${c.field}.backend`, servicePorts, notes);
      if (!ref) continue;
      const a = c.ingress.annotations;
      const header = a[`${NGINX}canary-by-header`];
      if (header) {
        // "always" routes to the canary when no value is set (annotations.md §Canary).
        out.push({ rule: { matches: [{ ...match, headers: [{ type: 'Exact', name: header, value: a[`${NGINX}canary-by-header-value`] ?? 'always' }] }], backendRefs: [ref] }, sslRedirect });
      }
      const weight = Number(a[`${NGINX}canary-weight`] ?? 0);
      const total = Number(a[`${NGINX}canary-weight-total`] ?? 100);
      if (weight > 0 && total > 0) {
        main.weight = total - Math.min(weight, total);
        backendRefs.push({ ...ref, weight: Math.min(weight, total) });
      }
    }
    out.push({ rule: { matches, backendRefs }, sslRedirect });
  }
  return out;
}

function pathMatch(e: PathEntry, note: (e: PathEntry, field: string, message: string) => void): Record<string, unknown> | undefined {
  switch (e.pathType) {
    case 'Prefix': return { path: { type: 'PathPrefix', value: e.path } };
    case 'Exact': return { path: { type: 'Exact', value: e.path } };
    case 'ImplementationSpecific':
      // ingress-nginx matches it as a plain string prefix (`/api` also takes `/apix`): a regular expression says the same.
      return { path: { type: 'RegularExpression', value: `${e.path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}.*` } };
  }
  note(e, `${e.field}.pathType`, `pathType ${JSON.stringify(e.pathType)} is not Prefix, Exact or ImplementationSpecific: not translated`);
  return undefined;
}

/** ingress-nginx permanent-/temporal-redirect as a RequestRedirect (ingress2gateway redirect.go). */
function redirectFilter(e: PathEntry, note: (e: PathEntry, field: string, message: string) => void): Record<string, unknown> | undefined {
  const a = e.ingress.annotations;
  const temporal = a[`${NGINX}temporal-redirect`];
  const permanent = a[`${NGINX}permanent-redirect`];
  const target = temporal ?? permanent;
  if (!target) return undefined;
  const field = `metadata.annotations.${NGINX}${temporal ? 'temporal' : 'permanent'}-redirect`;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    note(e, field, `${JSON.stringify(target)} is not an absolute URL: redirect not translated`);
    return undefined;
  }
  if (url.search || url.hash || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    note(e, field, `${JSON.stringify(target)}: a redirect with a query, fragment or non-HTTP scheme has no RequestRedirect equivalent: not translated`);
    return undefined;
  }
  const code = temporal ? 302 : Number(a[`${NGINX}permanent-redirect-code`] ?? 301);
  return {
    type: 'RequestRedirect',
    requestRedirect: {
      scheme: url.protocol.slice(0, -1), hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}),
      path: { type: 'ReplaceFullPath', replaceFullPath: url.pathname }, statusCode: code,
    },
  };
}

/** A Service backend by port number (ingress2gateway ToBackendRef: names resolved through the Services). */
function backendRef(ing: IngressView, backend: unknown, field: string, servicePorts: Map<string, Map<string, number>>, notes: ConvertNote[]): BackendRef | undefined {
  const note = (message: string) => notes.push({ object: ing.label, ...(ing.obj.source ? { source: ing.obj.source } : {}), field, message });
  const svc = asObject(asObject(backend)?.service);
  if (!svc) {
    note('a resource backend (not a Service) has no HTTPRoute equivalent here: not translated');
    return undefined;
  }
  const name = asString(svc.name) ?? '';
  const port = asObject(svc.port) ?? {};
  const number = asNumber(port.number);
  if (number !== undefined) return { name, port: number };
  const portName = asString(port.name);
  const resolved = portName !== undefined ? servicePorts.get(`${ing.namespace}/${name}`)?.get(portName) : undefined;
  if (resolved === undefined) {
    note(`Service ${ing.namespace}/${name} port ${JSON.stringify(portName ?? '')} is not among the manifests: HTTPRoute backends need a port number; not translated (pass the Services too)`);
    return undefined;
  }
  return { name, port: resolved };
}

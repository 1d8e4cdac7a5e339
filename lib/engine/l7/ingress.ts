/**
 * Ingress routing (`networking.k8s.io/v1`). Per IngressClass, a host table (exact hosts,
 * single-label `*.` wildcards, the catch-all for rules without a host and for unmatched hosts),
 * each host holding the paths of every Ingress that names it, matched with one of two profiles
 * (per class: the one its controller calls for, see {@link ingressProfileFor}, unless the
 * model's options force one):
 *
 * - `spec`: KEP-1453 "Path matching semantics" and the docs' Examples table: Exact is a full
 *   match, Prefix is element-wise with a trailing `/` ignored, the longest match wins and Exact
 *   beats Prefix on equal length; no path -> the Ingress' defaultBackend; no host -> the
 *   defaultBackend of the class' Ingresses. ImplementationSpecific is traced as Prefix and
 *   reported as undefined. Two Ingresses with the same host+path: left open by the spec.
 * - `ingress-nginx`: the controller's translation into nginx locations
 *   (`internal/ingress/controller/location.go` updateServerLocations, `template.go`
 *   buildLocation / enforceRegexModifier, `controller.go` location sort) and nginx's own
 *   location choice (exact `=`, longest prefix, regexes in order, `auto_redirect` for prefix
 *   locations ending in `/`); oldest Ingress wins a duplicate host+path (`docs/how-it-works.md`);
 *   `ssl-redirect` (308 to https when the host has TLS), `permanent-redirect`, `rewrite-target`,
 *   `use-regex` and canary annotations (`docs/user-guide/nginx-configuration/annotations.md`).
 */
import { DEFAULT_INGRESS_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION } from '../../k8s/ingress-validation';
import { resolveBackends, describeBackend, type BackendResolver, type BackendTarget } from './backends';
import type { TraceDraft } from './draft';
import { compileRegex, type RegexMatcher, elementPrefixMatch, ingressHostMatches, trimTrailingSlash } from './match';
import { compareAge, label, type L7Object, type L7Objects } from './parse';
import type { IngressBackendL7 } from './kinds';
import type {
  EntryPointInfo, IngressProfile, L7MatchConditions, L7NamedCondition, L7PathCondition, L7Problem, L7RouteRow, L7RouteStatus,
} from './types';

const NGINX = 'nginx.ingress.kubernetes.io/';
const DEFAULT_CLASS_ANNOTATION = DEFAULT_INGRESS_CLASS_ANNOTATION;
const LEGACY_CLASS_ANNOTATION = INGRESS_CLASS_ANNOTATION;
/** Entry id suffix for Ingresses no class applies to. */
export const NO_CLASS = '<none>';

type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';
type IngressObj = L7Object<'Ingress'>;

/** One `spec.rules[].http.paths[]` entry. */
interface PathEntry {
  readonly ingress: IngressObj;
  readonly rule: number;
  readonly index: number;
  readonly path: string;
  readonly pathType: PathType;
  readonly backend: IngressBackendL7;
  readonly at: string;
}

/** An Ingress defaultBackend. */
interface DefaultEntry {
  readonly ingress: IngressObj;
  readonly backend: IngressBackendL7;
}

/** An ingress-nginx canary Ingress attached to a primary location. */
interface Canary {
  readonly entry: PathEntry;
}

/** One nginx `location` of a server. */
interface Location {
  readonly kind: 'exact' | 'prefix' | 'regex';
  readonly path: string;
  /** Undefined for the server's default root location (the defaultBackend or the controller's 404). */
  readonly entry?: PathEntry;
  readonly regex?: RegexMatcher | null;
  /** Added by updateServerLocations as the exact twin of a Prefix path. */
  readonly twin?: boolean;
  readonly canaries: Canary[];
}

/** One host of a class (`''` for the catch-all). */
interface Server {
  readonly host: string;
  /** The profile of the class the host belongs to. */
  readonly profile: IngressProfile;
  readonly entries: PathEntry[];
  readonly defaults: DefaultEntry[];
  /** Ingresses with a rule for this host, in creation order. */
  readonly ingresses: IngressObj[];
  /** ingress-nginx: the Ingress whose use-regex/rewrite-target enforces regex locations on the host. */
  regexBy?: IngressObj;
  locations?: Location[];
  /** Paths dropped as duplicates of an older Ingress' path (ingress-nginx). */
  readonly duplicates: { readonly entry: PathEntry; readonly keptBy: PathEntry }[];
  readonly canaries: PathEntry[];
}

/** Everything one IngressClass (one controller) serves. */
interface ClassTable {
  readonly entry: EntryPointInfo;
  readonly profile: IngressProfile;
  readonly exact: Map<string, Server>;
  /** Keyed by the suffix after `*.`. */
  readonly wildcard: Map<string, Server>;
  readonly catchAll: Server;
  readonly ingresses: IngressObj[];
}

function newServer(host: string, profile: IngressProfile): Server {
  return { host, profile, entries: [], defaults: [], ingresses: [], duplicates: [], canaries: [] };
}

/** The IngressClass `spec.controller` of ingress-nginx (`k8s.io/ingress-nginx`, its docs and Helm chart). */
export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

/**
 * The profile a class gets when {@link L7Options.ingressProfile} is left out: `ingress-nginx`
 * for the ingress-nginx controller, `spec` for any other controller and for classes that are
 * not among the manifests (their controller is unknown).
 */
export function ingressProfileFor(controller: string | undefined): IngressProfile {
  return controller === INGRESS_NGINX_CONTROLLER ? 'ingress-nginx' : 'spec';
}

function annotation(o: IngressObj, name: string): string | undefined {
  return o.annotations[NGINX + name];
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() === 'true';
}

function pathText(e: { path: string; pathType: PathType }): string {
  return `${e.pathType} ${e.path}`;
}

function entryName(e: PathEntry): string {
  return `Ingress ${label(e.ingress.ref)} rules[${e.rule}].paths[${e.index}]`;
}

function backendText(b: IngressBackendL7): string {
  if (b.service) return `${b.service.name}:${b.service.port?.name ?? b.service.port?.number ?? '?'}`;
  if (b.resource) return `${b.resource.kind} ${b.resource.name}`;
  return '(none)';
}

/** The compiled Ingress side of the model. */
export class IngressRouter {
  /** Build the class tables; problems go to `problems`. */
  /** `profile` forces one profile for every class; undefined picks it per class ({@link ingressProfileFor}). */
  static build(objects: L7Objects, resolver: BackendResolver, profile: IngressProfile | undefined, problems: L7Problem[]): IngressRouter {
    return new IngressRouter(objects, resolver, profile, problems);
  }

  private readonly classes = new Map<string, ClassTable>();
  private readonly statuses: L7RouteStatus[] = [];

  private constructor(objects: L7Objects, private readonly resolver: BackendResolver, private readonly forced: IngressProfile | undefined, private readonly problems: L7Problem[]) {
    const classObjs = objects.byKind.IngressClass;
    const defaults = classObjs.filter((c) => isTrue(c.annotations[DEFAULT_CLASS_ANNOTATION]));
    if (defaults.length > 1) {
      problems.push({
        code: 'ingress-class-ambiguous-default', severity: 'warning', object: defaults[1].ref,
        message: `${defaults.length} IngressClasses are marked default (${defaults.map((d) => d.name).join(', ')}); the API server rejects new Ingresses without ingressClassName while more than one default exists. Keep one ${DEFAULT_CLASS_ANNOTATION}: "true"`,
      });
    }
    const defaultClass = defaults.length === 1 ? defaults[0].name : undefined;
    for (const c of classObjs) this.table(c.name, c.spec.controller, c === defaults[0] && defaults.length === 1, c);

    const ingresses = [...objects.byKind.Ingress].sort((a, b) => compareAge(a, b).cmp);
    for (const ing of ingresses) {
      const { name, how } = this.classOf(ing, defaultClass);
      const known = classObjs.some((c) => c.name === name);
      const parents = [];
      if (name === NO_CLASS) {
        parents.push({ parent: 'IngressClass (none)', accepted: false, reason: 'NoClass', message: 'no ingressClassName, no kubernetes.io/ingress.class annotation and no default IngressClass: only controllers that watch Ingresses without a class serve it' });
      } else if (!known && how === 'ingressClassName') {
        problems.push({ code: 'ingress-class-missing', severity: 'warning', object: ing.ref, path: 'spec.ingressClassName', message: `Ingress ${label(ing.ref)}: IngressClass "${name}" is not among the manifests (fine when the controller's installation creates it; otherwise no controller serves this Ingress)` });
        parents.push({ parent: `IngressClass ${name}`, accepted: true, reason: 'ClassNotInManifests', message: `IngressClass ${name} is not among the manifests` });
      } else {
        parents.push({ parent: `IngressClass ${name}`, accepted: true, reason: 'Accepted', message: `class from ${how}` });
      }
      const table = this.table(name, undefined, false);
      table.ingresses.push(ing);
      this.addIngress(table, ing);
      this.statuses.push({ object: ing.ref, parents, resolvedRefs: this.checkBackends(ing) });
    }
    for (const t of this.classes.values()) {
      for (const s of this.servers(t)) this.compileServer(s);
    }
  }

  /** Entry points: one per class. */
  entryPoints(): EntryPointInfo[] {
    return [...this.classes.values()].map((t) => t.entry);
  }

  /** Status of every Ingress. */
  status(): L7RouteStatus[] {
    return this.statuses;
  }

  /**
   * How well a class serves a host: 2 a rule for the host (exact or wildcard), 1 only the
   * catch-all, 0 nothing.
   */
  hostRank(entryId: string, host: string): number {
    const t = this.byId(entryId);
    if (!t) return 0;
    if (this.findServer(t, host).server !== t.catchAll) return 2;
    return t.catchAll.entries.length > 0 || t.catchAll.defaults.length > 0 ? 1 : 0;
  }

  /** Route a request through the class `entryId`. */
  route(entryId: string, draft: TraceDraft, l4: boolean): void {
    const t = this.byId(entryId);
    if (!t) { draft.fail('no-entry-point', `no Ingress class ${entryId}`); return; }
    const req = draft.request;
    draft.entry = t.entry;
    draft.step('entry', `Ingress controller for class ${t.entry.name}${t.entry.controller ? ` (${t.entry.controller})` : ''}, ${req.scheme} port ${req.port}; profile ${t.profile} (${this.forced ? 'set for every class' : t.profile === 'ingress-nginx' ? 'the class\' controller' : t.entry.controller ? 'the controller is not ingress-nginx' : 'the class\' controller is unknown'})`);
    if (req.port !== 80 && req.port !== 443) draft.step('note', `Ingress serves ports 80 (http) and 443 (https) only; port ${req.port} is assumed to reach the controller anyway`);
    const { server, how } = this.findServer(t, req.host);
    for (const [host, s] of t.exact) if (s !== server && host !== req.host) this.loseHost(draft, s, req.host);
    for (const s of t.wildcard.values()) if (s !== server) this.loseHost(draft, s, req.host);
    draft.step('host', how);

    if (req.scheme === 'https') {
      const tls = this.tlsFor(t, req.host);
      if (!tls) {
        draft.step('host', `no Ingress of class ${t.entry.name} has a tls entry covering ${req.host}`);
        draft.fail('tls', `https://${req.host}: no tls section of an Ingress in class ${t.entry.name} lists host ${req.host}; the controller presents its default certificate and clients reject it. Add the host to spec.tls[].hosts with a secret`);
        return;
      }
      draft.step('host', `TLS: ${tls}`);
    }

    const pick = t.profile === 'ingress-nginx' ? this.matchNginx(server, draft) : this.matchSpec(server, draft);
    if (pick === 'done') return;
    if (!pick) {
      const dflt = this.defaultFor(server, t, draft);
      if (!dflt) {
        const what = server === t.catchAll ? `no Ingress of class ${t.entry.name} has a rule for host ${req.host} or a defaultBackend` : `no path of host ${server.host} matches ${req.path} and its Ingresses have no defaultBackend`;
        draft.fail('no-route', `${what}; the controller answers 404 (ingress-nginx: its default backend)`, 404);
        return;
      }
      draft.route = { kind: 'Ingress', object: dflt.ingress.ref, rule: -1, description: 'defaultBackend' };
      draft.step('route', `defaultBackend of Ingress ${label(dflt.ingress.ref)}: ${backendText(dflt.backend)}`, dflt.ingress.ref);
      this.forward(draft, [{ ingress: dflt.ingress, backend: dflt.backend, weight: 1 }], l4);
      return;
    }
    const { entry, canaries } = pick;
    draft.route = { kind: 'Ingress', object: entry.ingress.ref, rule: entry.rule, match: entry.index, description: pathText(entry) };
    draft.step('route', `${entryName(entry)}: ${pathText(entry)} -> ${backendText(entry.backend)}`, entry.ingress.ref);
    if (t.profile === 'ingress-nginx' && this.nginxRedirect(entry, server, t, draft)) return;
    const targets = [{ ingress: entry.ingress, backend: entry.backend, weight: 1 }];
    if (canaries.length > 0) this.applyCanary(canaries, targets, draft);
    this.forward(draft, targets, l4);
  }

  /** Flattened rows of every class. */
  routes(): L7RouteRow[] {
    const rows: L7RouteRow[] = [];
    for (const t of this.classes.values()) {
      for (const s of this.servers(t)) {
        const host = s.host || '*';
        for (const e of s.entries) {
          const dup = s.duplicates.find((d) => d.entry === e);
          rows.push({
            entry: t.entry.id, kind: 'Ingress', object: e.ingress.ref, host, match: pathText(e), conditions: this.conditions(e, s), rule: e.rule, matchIndex: e.index,
            backends: [this.rowBackend(e.ingress, e.backend)], action: 'forward',
            note: dup ? `never used: ${entryName(dup.keptBy)} defines the same path and is older` : undefined,
          });
        }
        for (const c of s.canaries) {
          rows.push({
            entry: t.entry.id, kind: 'Ingress', object: c.ingress.ref, host, match: `${pathText(c)} (canary)`, conditions: this.conditions(c, s), rule: c.rule, matchIndex: c.index,
            canary: true, backends: [this.rowBackend(c.ingress, c.backend)], action: 'forward',
          });
        }
        for (const d of s.defaults) {
          rows.push({
            entry: t.entry.id, kind: 'Ingress', object: d.ingress.ref, host, match: 'defaultBackend', conditions: { headers: [], query: [], otherwise: true }, rule: -1,
            backends: [this.rowBackend(d.ingress, d.backend)], action: 'forward',
          });
        }
      }
    }
    return rows;
  }

  /**
   * A path's conditions as this profile matches them: `spec` reads ImplementationSpecific as
   * Prefix; ingress-nginx reads it as a string prefix, and every path of a host with regex
   * locations as a case-insensitive regex. A canary adds the header or cookie that selects it.
   */
  private conditions(e: PathEntry, s: Server): L7MatchConditions {
    let path: L7PathCondition;
    if (s.profile === 'ingress-nginx' && s.regexBy) path = { type: 'RegularExpression', value: e.path, ignoreCase: true };
    else if (e.pathType === 'Exact') path = { type: 'Exact', value: e.path };
    else if (e.pathType === 'ImplementationSpecific' && s.profile === 'ingress-nginx') path = { type: 'StringPrefix', value: e.path };
    else path = { type: 'Prefix', value: e.path };
    const headers: L7NamedCondition[] = [];
    if (s.profile === 'ingress-nginx' && isTrue(annotation(e.ingress, 'canary'))) {
      const header = annotation(e.ingress, 'canary-by-header');
      const value = annotation(e.ingress, 'canary-by-header-value');
      const pattern = annotation(e.ingress, 'canary-by-header-pattern');
      const cookie = annotation(e.ingress, 'canary-by-cookie');
      if (header) headers.push({ name: header.toLowerCase(), ...(value ? { type: 'Exact', value } : pattern ? { type: 'RegularExpression', value: pattern } : { type: 'Exact', value: 'always' }) });
      else if (cookie) headers.push({ name: 'cookie', type: 'Exact', value: `${cookie}=always` });
    }
    return { path, headers, query: [] };
  }

  // ---- build ----

  private table(name: string, controller: string | undefined, isDefault: boolean, obj?: L7Object<'IngressClass'>): ClassTable {
    let t = this.classes.get(name);
    if (!t) {
      const profile = this.forced ?? ingressProfileFor(controller);
      t = {
        entry: { id: `ingress:${name}`, kind: 'ingress-class', name, controller, isDefault: isDefault || undefined, object: obj?.ref, port: undefined, ingressProfile: profile },
        profile, exact: new Map(), wildcard: new Map(), catchAll: newServer('', profile), ingresses: [],
      };
      this.classes.set(name, t);
    }
    return t;
  }

  /** ingressClassName, else the legacy annotation, else the single default class. */
  private classOf(ing: IngressObj, defaultClass: string | undefined): { name: string; how: string } {
    if (ing.spec.ingressClassName) return { name: ing.spec.ingressClassName, how: 'ingressClassName' };
    const legacy = ing.annotations[LEGACY_CLASS_ANNOTATION];
    if (legacy) return { name: legacy, how: `the ${LEGACY_CLASS_ANNOTATION} annotation (deprecated; use spec.ingressClassName)` };
    if (defaultClass) return { name: defaultClass, how: `the default IngressClass (${DEFAULT_CLASS_ANNOTATION})` };
    return { name: NO_CLASS, how: 'none' };
  }

  private addIngress(t: ClassTable, ing: IngressObj): void {
    const rules = ing.spec.rules ?? [];
    rules.forEach((rule, r) => {
      const host = (rule.host ?? '').toLowerCase();
      const server = host === '' ? t.catchAll : host.startsWith('*.') ? getOrAdd(t.wildcard, host.slice(2), host, t.profile) : getOrAdd(t.exact, host, host, t.profile);
      if (!server.ingresses.includes(ing)) server.ingresses.push(ing);
      const paths = rule.http?.paths ?? [];
      paths.forEach((p, i) => {
        const pathType: PathType = p.pathType ?? 'ImplementationSpecific';
        const entry: PathEntry = { ingress: ing, rule: r, index: i, path: p.path || '/', pathType, backend: p.backend, at: `spec.rules[${r}].http.paths[${i}]` };
        if (t.profile === 'ingress-nginx' && isTrue(annotation(ing, 'canary'))) { server.canaries.push(entry); return; }
        server.entries.push(entry);
        if (pathType === 'ImplementationSpecific') {
          const p = trimTrailingSlash(entry.path);
          const how = t.profile === 'ingress-nginx'
            ? `ingress-nginx (this class' profile) reads it as a string prefix, so ${p || '/'} also matches ${p}x, or as a regex when the host uses use-regex`
            : `it matches as the controller decides (ingress-nginx: a string prefix, so ${p || '/'} also matches ${p}x); traced as Prefix`;
          this.problems.push({ code: 'ingress-implementation-specific', severity: 'info', object: ing.ref, path: `${entry.at}.pathType`, message: `Ingress ${label(ing.ref)} path ${entry.path}: pathType ImplementationSpecific: ${how}; use Prefix or Exact for portable matching` });
        }
      });
      if (ing.spec.defaultBackend && !server.defaults.some((d) => d.ingress === ing)) server.defaults.push({ ingress: ing, backend: ing.spec.defaultBackend });
    });
    if (ing.spec.defaultBackend && !t.catchAll.defaults.some((d) => d.ingress === ing)) t.catchAll.defaults.push({ ingress: ing, backend: ing.spec.defaultBackend });
    if (!ing.spec.defaultBackend && rules.length === 0) {
      this.problems.push({ code: 'invalid-object', severity: 'error', object: ing.ref, path: 'spec', message: `Ingress ${label(ing.ref)} has neither rules nor a defaultBackend; the API server rejects it` });
    }
    for (const [i, tls] of (ing.spec.tls ?? []).entries()) {
      for (const h of tls.hosts ?? []) {
        const covered = rules.some((r) => r.host && (r.host === h || ingressHostMatches(h, r.host)));
        if (!covered) {
          this.problems.push({ code: 'ingress-tls-host', severity: 'warning', object: ing.ref, path: `spec.tls[${i}].hosts`, message: `Ingress ${label(ing.ref)}: TLS host ${h} matches no rule host of this Ingress; TLS only works for hosts that also appear in spec.rules[].host` });
        }
      }
    }
  }

  private checkBackends(ing: IngressObj): L7RouteStatus['resolvedRefs'] {
    const refs: { backend: IngressBackendL7; at: string }[] = [];
    if (ing.spec.defaultBackend) refs.push({ backend: ing.spec.defaultBackend, at: 'spec.defaultBackend' });
    (ing.spec.rules ?? []).forEach((r, ri) => (r.http?.paths ?? []).forEach((p, pi) => refs.push({ backend: p.backend, at: `spec.rules[${ri}].http.paths[${pi}].backend` })));
    let bad: { reason: string; message: string } | undefined;
    for (const { backend, at } of refs) {
      if (!backend.service) continue;
      const port = backend.service.port?.name ?? backend.service.port?.number;
      const r = this.resolver.resolvePort(ing.namespace, backend.service.name, port);
      if (!r.ok) {
        const code = r.reason === 'service' ? 'ingress-backend-missing' : 'ingress-backend-port';
        this.problems.push({ code, severity: 'error', object: ing.ref, path: `${at}.service${r.reason === 'port' ? '.port' : '.name'}`, message: `Ingress ${label(ing.ref)} ${at}: ${r.message}` });
        bad ??= { reason: r.reason === 'service' ? 'BackendNotFound' : 'PortNotFound', message: r.message };
      }
    }
    return bad ? { ok: false, ...bad } : { ok: true, reason: 'ResolvedRefs', message: 'every backend resolves' };
  }

  private servers(t: ClassTable): Server[] {
    return [...t.exact.values(), ...t.wildcard.values(), t.catchAll];
  }

  /** ingress-nginx: duplicates, canaries, and the nginx locations of one host. */
  private compileServer(s: Server): void {
    const seen = new Map<string, PathEntry>();
    const kept: PathEntry[] = [];
    for (const e of s.entries) {
      const key = `${e.pathType} ${e.path}`;
      const first = seen.get(key);
      if (first && first.ingress !== e.ingress) {
        s.duplicates.push({ entry: e, keptBy: first });
        this.problems.push({
          code: 'ingress-duplicate-path', severity: 'warning', object: e.ingress.ref, path: `${e.at}.path`,
          message: `host ${s.host || '*'} path ${e.path} (${e.pathType}) is also defined by Ingress ${label(first.ingress.ref)}; ${s.profile === 'ingress-nginx' ? 'ingress-nginx keeps the oldest Ingress\'s path (its admission webhook rejects the duplicate)' : 'which one serves it is left to the controller'}`,
        });
        continue;
      }
      if (!first) seen.set(key, e);
      kept.push(e);
    }
    if (s.profile !== 'ingress-nginx') return;
    s.regexBy = s.ingresses.find((i) => isTrue(annotation(i, 'use-regex')) || needsRewrite(i));
    const locs: Location[] = [];
    const exactPaths = new Set(kept.filter((e) => e.pathType === 'Exact').map((e) => e.path));
    for (const e of kept) {
      const regexLoc = isTrue(annotation(e.ingress, 'use-regex')) || needsRewrite(e.ingress);
      if (e.pathType === 'Prefix' && e.path !== '/' && !regexLoc) {
        // updateServerLocations: `/foo` becomes prefix `/foo/` plus an exact `/foo` (unless an Exact one exists).
        const normalized = e.path.endsWith('/') ? e.path : `${e.path}/`;
        locs.push({ kind: 'prefix', path: normalized, entry: e, canaries: [] });
        if (!exactPaths.has(e.path)) locs.push({ kind: 'exact', path: e.path, entry: e, twin: true, canaries: [] });
      } else {
        locs.push({ kind: e.pathType === 'Exact' ? 'exact' : 'prefix', path: e.path, entry: e, canaries: [] });
      }
    }
    if (!locs.some((l) => l.path === '/' && l.kind === 'prefix')) locs.push({ kind: 'prefix', path: '/', canaries: [] });
    // controller.go: sort by path descending, then (stable) by path length descending.
    locs.sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0));
    locs.sort((a, b) => b.path.length - a.path.length);
    const regex = s.regexBy !== undefined;
    s.locations = locs.map((l) => (regex ? { ...l, kind: 'regex', regex: compileRegex(l.path, 'start-ci') } : l));
    for (const c of s.canaries) {
      const primary = s.locations.find((l) => l.entry && !l.twin && l.entry.path === c.path && l.entry.pathType === c.pathType);
      if (primary) {
        for (const l of s.locations) if (l.entry === primary.entry) l.canaries.push({ entry: c });
      } else {
        this.problems.push({ code: 'ingress-backend-missing', severity: 'warning', object: c.ingress.ref, path: `${c.at}.path`, message: `canary Ingress ${label(c.ingress.ref)}: no primary Ingress defines host ${s.host || '*'} path ${c.path}; ingress-nginx drops the canary backend` });
      }
    }
  }

  // ---- request time ----

  private byId(id: string): ClassTable | undefined {
    return id.startsWith('ingress:') ? this.classes.get(id.slice('ingress:'.length)) : undefined;
  }

  private findServer(t: ClassTable, host: string): { server: Server; how: string } {
    const exact = t.exact.get(host);
    if (exact) return { server: exact, how: `host ${host} matches rule host ${host} exactly` };
    const dot = host.indexOf('.');
    if (dot > 0) {
      const wild = t.wildcard.get(host.slice(dot + 1));
      if (wild) return { server: wild, how: `host ${host} matches wildcard *.${host.slice(dot + 1)} (one DNS label)` };
    }
    return { server: t.catchAll, how: `no rule names host ${host}: the rules without a host and the defaultBackends apply` };
  }

  private loseHost(draft: TraceDraft, s: Server, host: string): void {
    if (!draft.explain || s.ingresses.length === 0) return;
    const why = s.host.startsWith('*.') && host.endsWith(s.host.slice(1)) ? `wildcard ${s.host} covers exactly one DNS label` : `host ${s.host} is not ${host}`;
    draft.lose(`Ingress ${s.ingresses.map((i) => label(i.ref)).join(', ')}`, `host ${s.host}`, why);
  }

  private tlsFor(t: ClassTable, host: string): string | undefined {
    for (const ing of t.ingresses) {
      for (const tls of ing.spec.tls ?? []) {
        const hosts = tls.hosts && tls.hosts.length > 0 ? tls.hosts : (ing.spec.rules ?? []).map((r) => r.host ?? '').filter((h) => h);
        if (hosts.some((h) => h === host || ingressHostMatches(h, host))) return `Ingress ${label(ing.ref)} secret ${tls.secretName ?? '(controller default certificate)'}`;
      }
    }
    return undefined;
  }

  private defaultFor(s: Server, t: ClassTable, draft: TraceDraft): DefaultEntry | undefined {
    // A host's own Ingresses' defaultBackends; for an unmatched host, every Ingress' of the class (KEP rule 5).
    const list = s === t.catchAll ? t.catchAll.defaults : s.defaults;
    if (list.length === 0) return undefined;
    const distinct = new Set(list.map((d) => backendText(d.backend)));
    if (list.length > 1 && distinct.size > 1) {
      const byTs = compareAge(list[0].ingress, list[1].ingress).byTimestamp;
      draft.ambiguous('implementation', `${list.length} Ingresses give a defaultBackend for host ${s.host || '*'} (${list.map((d) => label(d.ingress.ref)).join(', ')}); the spec leaves the choice to the controller, traced: the oldest, ${label(list[0].ingress.ref)}${byTs ? '' : ' (no creationTimestamp: load order)'}`);
    }
    for (const d of list.slice(1)) draft.lose(`Ingress ${label(d.ingress.ref)}`, 'defaultBackend', `Ingress ${label(list[0].ingress.ref)} is older`);
    return list[0];
  }

  /** KEP-1453: longest normalised match, Exact over Prefix on equal length. */
  private matchSpec(s: Server, draft: TraceDraft): { entry: PathEntry; canaries: Canary[] } | undefined {
    const path = draft.request.path;
    let best: PathEntry | undefined;
    let bestLen = -1;
    const matched: PathEntry[] = [];
    for (const e of s.entries) {
      const ok = e.pathType === 'Exact' ? e.path === path : elementPrefixMatch(e.path, path);
      if (!ok) {
        draft.lose(entryName(e), pathText(e), e.pathType === 'Exact' ? `Exact ${e.path} matches only ${e.path}` : `element-wise prefix ${e.path} does not cover ${path}`);
        continue;
      }
      matched.push(e);
      const len = e.pathType === 'Exact' ? e.path.length : trimTrailingSlash(e.path).length;
      if (len > bestLen || (len === bestLen && best && best.pathType !== 'Exact' && e.pathType === 'Exact')) {
        best = e;
        bestLen = len;
      }
    }
    if (!best) return undefined;
    const winner = best;
    for (const e of matched) {
      if (e === winner) continue;
      const len = e.pathType === 'Exact' ? e.path.length : trimTrailingSlash(e.path).length;
      if (len < bestLen) draft.lose(entryName(e), pathText(e), `shorter match than ${pathText(winner)} (longest path wins)`);
      else if (winner.pathType === 'Exact' && e.pathType !== 'Exact') draft.lose(entryName(e), pathText(e), `equal length: Exact ${winner.path} is preferred over ${e.pathType}`);
      else {
        draft.lose(entryName(e), pathText(e), `same path as ${entryName(winner)}, which comes first`);
        if (e.ingress !== winner.ingress) draft.ambiguous('implementation', `host ${s.host || '*'} path ${e.path} is defined by Ingress ${label(winner.ingress.ref)} and ${label(e.ingress.ref)}; the spec leaves the winner to the controller (ingress-nginx: the oldest); traced: ${label(winner.ingress.ref)}`);
      }
    }
    if (winner.pathType === 'ImplementationSpecific') {
      draft.ambiguous('implementation', `path ${winner.path} has pathType ImplementationSpecific: its matching is up to the IngressClass; traced as Prefix (use ingressProfile 'ingress-nginx' for nginx's string-prefix rules)`);
    }
    return { entry: winner, canaries: [] };
  }

  /** nginx location choice over the compiled locations of the host. */
  private matchNginx(s: Server, draft: TraceDraft): { entry: PathEntry; canaries: Canary[] } | undefined | 'done' {
    const uri = draft.request.path;
    const locs = s.locations ?? [];
    if (s.regexBy) draft.step('match', `regex locations for the whole host: Ingress ${label(s.regexBy.ref)} sets ${isTrue(annotation(s.regexBy, 'use-regex')) ? 'use-regex' : 'rewrite-target'}, so every path of host ${s.host || '*'} is a case-insensitive regex anchored at the start, tried longest first`, s.regexBy.ref);
    let chosen: Location | undefined;
    if (s.regexBy) {
      chosen = locs.find((l) => l.regex?.test(uri) ?? false);
    } else {
      chosen = locs.find((l) => l.kind === 'exact' && l.path === uri);
      if (!chosen) {
        let longest: Location | undefined;
        for (const l of locs) if (l.kind === 'prefix' && uri.startsWith(l.path) && (!longest || l.path.length > longest.path.length)) longest = l;
        const slash = locs.find((l) => l.kind === 'prefix' && l.path !== '/' && l.path.endsWith('/') && l.path === `${uri}/`);
        if (slash && (!longest || longest.path.length <= uri.length)) {
          // nginx auto_redirect: a proxied prefix location ending in `/` answers its slash-less URI with 301.
          const q = queryString(draft.request.query);
          draft.response = { status: 301, location: `${draft.request.scheme}://${draft.request.host}${uri}/${q}` };
          draft.route = slash.entry ? { kind: 'Ingress', object: slash.entry.ingress.ref, rule: slash.entry.rule, match: slash.entry.index, description: pathText(slash.entry) } : undefined;
          draft.step('redirect', `nginx location ${slash.path} ends with / and ${uri} is that path without the slash: nginx answers 301 to ${uri}/`);
          draft.finish();
          return 'done';
        }
        chosen = longest;
      }
    }
    for (const l of locs) {
      if (l === chosen || !l.entry || (chosen?.entry === l.entry)) continue;
      draft.lose(entryName(l.entry), `${pathText(l.entry)} (nginx ${locText(l)})`, chosen ? `nginx picked location ${locText(chosen)}` : `location ${locText(l)} does not match ${uri}`);
    }
    for (const d of s.duplicates) draft.lose(entryName(d.entry), pathText(d.entry), `duplicate of ${entryName(d.keptBy)}, the older Ingress wins`);
    const dup = chosen?.entry && s.duplicates.find((d) => d.keptBy === chosen?.entry);
    if (dup) {
      const byTs = compareAge(dup.keptBy.ingress, dup.entry.ingress).byTimestamp;
      if (!byTs) draft.ambiguous('creation-order', `host ${s.host || '*'} path ${dup.entry.path} is defined by Ingress ${label(dup.keptBy.ingress.ref)} and ${label(dup.entry.ingress.ref)}; ingress-nginx keeps the oldest, and without creationTimestamp the manifests don't say which is older (traced: load order, ${label(dup.keptBy.ingress.ref)})`);
    }
    if (!chosen) return undefined;
    draft.step('match', `nginx location ${locText(chosen)} matches ${uri}`);
    if (!chosen.entry) return undefined;
    if (chosen.entry.pathType === 'ImplementationSpecific' && !s.regexBy) draft.step('note', `ImplementationSpecific ${chosen.entry.path} is a plain nginx prefix (string prefix, not element-wise)`);
    if (needsRewrite(chosen.entry.ingress)) {
      const target = annotation(chosen.entry.ingress, 'rewrite-target') as string;
      const re = compileRegex(chosen.entry.path, 'start-ci');
      const rewritten = re ? uri.replace(re, target) : uri;
      draft.upstream = { host: draft.request.host, path: rewritten, headers: { ...draft.request.headers } };
      draft.step('rewrite', `rewrite-target ${target}: ${uri} -> ${rewritten}`, chosen.entry.ingress.ref);
    }
    return { entry: chosen.entry, canaries: chosen.canaries };
  }

  /** ingress-nginx redirects decided per location: permanent/temporal-redirect, ssl-redirect. */
  private nginxRedirect(entry: PathEntry, s: Server, t: ClassTable, draft: TraceDraft): boolean {
    const req = draft.request;
    const permanent = annotation(entry.ingress, 'permanent-redirect');
    const temporal = annotation(entry.ingress, 'temporal-redirect');
    if (permanent || temporal) {
      const status = permanent ? Number(annotation(entry.ingress, 'permanent-redirect-code') ?? 301) : 302;
      draft.response = { status, location: permanent ?? temporal };
      draft.step('redirect', `${permanent ? 'permanent' : 'temporal'}-redirect annotation: ${status} to ${draft.response.location}`, entry.ingress.ref);
      draft.finish();
      return true;
    }
    if (req.scheme !== 'http') return false;
    const hasTls = this.tlsFor(t, req.host) !== undefined;
    const ssl = annotation(entry.ingress, 'ssl-redirect');
    const force = isTrue(annotation(entry.ingress, 'force-ssl-redirect'));
    if ((hasTls && ssl?.toLowerCase() !== 'false') || force) {
      draft.response = { status: 308, location: `https://${req.host}${req.path}${queryString(req.query)}` };
      draft.step('redirect', `${force ? 'force-ssl-redirect' : `host ${s.host || req.host} has TLS and ssl-redirect is on (the default)`}: 308 to https`, entry.ingress.ref);
      draft.finish();
      return true;
    }
    return false;
  }

  /** ingress-nginx canary: header, then cookie, then weight (annotations.md §Canary). */
  private applyCanary(canaries: Canary[], targets: { ingress: IngressObj; backend: IngressBackendL7; weight: number }[], draft: TraceDraft): void {
    const c = canaries[0].entry;
    const req = draft.request;
    const header = annotation(c.ingress, 'canary-by-header');
    if (header) {
      const value = req.headers[header.toLowerCase()];
      const wanted = annotation(c.ingress, 'canary-by-header-value');
      const pattern = annotation(c.ingress, 'canary-by-header-pattern');
      const hit = value !== undefined && (wanted ? value === wanted : pattern ? (compileRegex(pattern, 'full')?.test(value) ?? false) : value === 'always');
      if (hit) {
        draft.step('backend', `canary Ingress ${label(c.ingress.ref)}: header ${header}: ${value} sends the request to the canary`, c.ingress.ref);
        targets.splice(0, targets.length, { ingress: c.ingress, backend: c.backend, weight: 1 });
        return;
      }
      if (value === 'never' && !wanted && !pattern) {
        draft.step('backend', `canary Ingress ${label(c.ingress.ref)}: header ${header}: never keeps the request on the primary`, c.ingress.ref);
        return;
      }
    }
    const cookie = annotation(c.ingress, 'canary-by-cookie');
    if (cookie) {
      const jar = parseCookies(req.headers.cookie);
      if (jar[cookie] === 'always') {
        draft.step('backend', `canary Ingress ${label(c.ingress.ref)}: cookie ${cookie}=always sends the request to the canary`, c.ingress.ref);
        targets.splice(0, targets.length, { ingress: c.ingress, backend: c.backend, weight: 1 });
        return;
      }
      if (jar[cookie] === 'never') return;
    }
    const weight = Number(annotation(c.ingress, 'canary-weight') ?? 0);
    const total = Number(annotation(c.ingress, 'canary-weight-total') ?? 100);
    if (weight > 0 && total > 0) {
      const w = Math.min(weight, total);
      targets[0].weight = total - w;
      targets.push({ ingress: c.ingress, backend: c.backend, weight: w });
      draft.step('backend', `canary Ingress ${label(c.ingress.ref)}: canary-weight ${w} of ${total}`, c.ingress.ref);
    }
  }

  private forward(draft: TraceDraft, targets: { ingress: IngressObj; backend: IngressBackendL7; weight: number }[], l4: boolean): void {
    const list: BackendTarget[] = [];
    for (const t of targets) {
      const b = t.backend;
      if (!b.service) {
        const r = b.resource;
        draft.step('backend', `resource backend ${r?.apiGroup ?? ''}${r?.apiGroup ? '/' : ''}${r?.kind ?? '?'} ${t.ingress.namespace}/${r?.name ?? '?'} (served by the controller, not simulated)`);
        list.push({ namespace: t.ingress.namespace, name: r?.name ?? '', weight: t.weight, external: `${r?.kind ?? 'resource'} ${t.ingress.namespace}/${r?.name ?? ''}` });
        continue;
      }
      list.push({ namespace: t.ingress.namespace, name: b.service.name, port: b.service.port?.name ?? b.service.port?.number, weight: t.weight });
    }
    // Only the L4 hop reads where the controller connects from.
    const from = l4 ? this.resolver.ingressControllerSource() : undefined;
    if (l4 && from) draft.step('l4', `the controller connects to the Service; traced from ${from.label} (the controller's own pod is not simulated)${from.policySource ? `; ${from.policySource.note}` : ''}`);
    // ingress-nginx answers 503 when a backend Service or its endpoints are missing.
    draft.backends = resolveBackends(list, this.resolver, { from, l4, invalidStatus: 503 });
    for (const b of draft.backends) draft.step('backend', describeBackend(b));
    draft.finish();
  }

  private rowBackend(ing: IngressObj, b: IngressBackendL7): L7RouteRow['backends'][number] {
    if (b.service) return { service: `${ing.namespace}/${b.service.name}`, port: b.service.port?.name ?? b.service.port?.number, weight: 1 };
    return { service: `${b.resource?.kind ?? 'resource'} ${ing.namespace}/${b.resource?.name ?? ''}`, weight: 1 };
  }
}

function getOrAdd(map: Map<string, Server>, key: string, host: string, profile: IngressProfile): Server {
  let s = map.get(key);
  if (!s) { s = newServer(host, profile); map.set(key, s); }
  return s;
}

/** template.go needsRewrite: a rewrite-target different from the path. */
function needsRewrite(ing: IngressObj): boolean {
  const t = annotation(ing, 'rewrite-target');
  return t !== undefined && t !== '';
}

function locText(l: Location): string {
  if (l.kind === 'exact') return `= ${l.path}`;
  if (l.kind === 'regex') return `~* "^${l.path}"`;
  return l.path;
}

function queryString(q: Readonly<Record<string, string>>): string {
  const s = new URLSearchParams(q as Record<string, string>).toString();
  return s ? `?${s}` : '';
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

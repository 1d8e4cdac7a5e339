/**
 * {@link KubeClient} on `@kubernetes/client-node` 1.4 (the only module that loads it; the CLI
 * imports it lazily so that everything else, and the unit tests, never do).
 *
 * Authentication, TLS and the kubeconfig come from the client's `KubeConfig`; API discovery (which
 * REST resource serves a kind, and whether it is namespaced) from `KubernetesObjectApi`'s cached
 * discovery. Request bodies and responses stay plain JSON: the client's typed (de)serializer drops
 * fields its generated models do not know and turns timestamps into `Date`s, which would make
 * server-side apply lose fields and make "unchanged" comparisons wrong.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  HttpMethod, KubeConfig, KubernetesObjectApi, ServerConfiguration, createConfiguration, type RequestContext, type ResponseContext, type V1APIResourceList,
} from '@kubernetes/client-node';
import { reuseConnections } from './agents';
import * as yaml from 'js-yaml';
import { Redactor, userInfoOf, withoutUserInfo } from './redact';
import {
  KubeApiError, KubeConnectionError, type ApplyRequestOptions, type ApplyResponse, type KubeClient, type KubeObject, type KubeRef,
  type ListableKind, type ResourceInfo, type StatusCause,
} from './types';

/** Where to read the kubeconfig from. */
export interface ConnectOptions {
  /** A kubeconfig file (`--kubeconfig`); default `$KUBECONFIG`, then `~/.kube/config`. */
  readonly kubeconfig?: string;
  /** A context name (`--context`); default the kubeconfig's current context. */
  readonly context?: string;
  /** Per-request timeout in milliseconds. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Environment (tests). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** The kubeconfig is missing or unusable: a usage error (exit 1). */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

/** A connected client plus the redactor that masks this kubeconfig's secrets. */
export interface Connection {
  readonly client: KubeClient;
  readonly redactor: Redactor;
  /** The current context's namespace, when it names one (kubectl's default namespace). */
  readonly namespace?: string;
}

/**
 * Read and parse one kubeconfig file ourselves before the client library sees it: a YAML error
 * is reported by file, line and column only, never with the text around it (which may hold a
 * token). js-yaml's reason is kept only when it is plain words (some reasons quote the input).
 */
function parseKubeconfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KubeConfigError(`cannot read the kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? 'read error'}`);
  }
  try {
    return yaml.load(text);
  } catch (e) {
    if (!(e instanceof yaml.YAMLException)) throw new KubeConfigError(`${file}: the kubeconfig cannot be parsed`);
    const mark = e.mark as { line?: number; column?: number } | undefined;
    const where = mark && typeof mark.line === 'number' ? `:${mark.line + 1}:${(mark.column ?? 0) + 1}` : '';
    const reason = typeof e.reason === 'string' && /^[A-Za-z ,;()-]+$/.test(e.reason) ? ` (${e.reason})` : '';
    throw new KubeConfigError(`${file}${where}: the kubeconfig is not valid YAML${reason}; its content is not shown because it may hold credentials`);
  }
}

/**
 * Every credential in a parsed kubeconfig, for the redactor: tokens (and token files' content),
 * passwords, client key and certificate data (base64 and decoded) and key files' content,
 * auth-provider config, exec-plugin args and env values, and user-info in server and proxy URLs.
 */
export function kubeconfigSecrets(config: unknown): string[] {
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  const readSecretFile = (f: unknown): void => {
    if (typeof f !== 'string') return;
    try {
      if (fs.statSync(f).size < 1_000_000) out.push(fs.readFileSync(f, 'utf8'));
    } catch {
      // unreadable: the client library reports it
    }
  };
  const doc = (config ?? {}) as { users?: unknown; clusters?: unknown };
  for (const entry of Array.isArray(doc.users) ? doc.users : []) {
    const u = ((entry as { user?: unknown }).user ?? {}) as Record<string, unknown>;
    for (const k of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
      const v = u[k];
      if (typeof v !== 'string') continue;
      out.push(v);
      if (k.endsWith('-data')) out.push(Buffer.from(v, 'base64').toString('utf8'));
    }
    // Basic auth travels as base64(user:password) in the Authorization header.
    if (typeof u.password === 'string') out.push(Buffer.from(`${typeof u.username === 'string' ? u.username : ''}:${u.password}`).toString('base64'));
    readSecretFile(u.tokenFile);
    readSecretFile(u['client-key']);
    collect((u['auth-provider'] as { config?: unknown } | undefined)?.config);
    const exec = u.exec as { args?: unknown; env?: unknown } | undefined;
    collect(exec?.args);
    for (const e of Array.isArray(exec?.env) ? exec.env : []) collect((e as { value?: unknown }).value);
  }
  for (const entry of Array.isArray(doc.clusters) ? doc.clusters : []) {
    const c = ((entry as { cluster?: unknown }).cluster ?? {}) as Record<string, unknown>;
    for (const k of ['server', 'proxy-url']) if (typeof c[k] === 'string') out.push(...userInfoOf(c[k] as string));
  }
  return out;
}

/** Load the kubeconfig and build a client. Throws {@link KubeConfigError} for bad configs, with secrets masked. */
export function connect(options: ConnectOptions = {}): Connection {
  const env = options.env ?? process.env;
  let files: string[];
  if (options.kubeconfig !== undefined) {
    if (!fs.existsSync(options.kubeconfig)) throw new KubeConfigError(`--kubeconfig ${options.kubeconfig}: no such file`);
    files = [options.kubeconfig];
  } else {
    const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p !== '');
    const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
    if (fromEnv.some((p) => fs.existsSync(p))) files = fromEnv.filter((p) => fs.existsSync(p));
    else if (fs.existsSync(home)) files = [home];
    else throw new KubeConfigError(`no kubeconfig found (looked at ${fromEnv.length > 0 ? `KUBECONFIG=${env.KUBECONFIG} and ` : ''}${home}); pass --kubeconfig FILE or set KUBECONFIG`);
  }
  const redactor = new Redactor(files.flatMap((f) => kubeconfigSecrets(parseKubeconfigFile(f))));
  const kc = new KubeConfig();
  try {
    // A KUBECONFIG list: the library merges as kubectl does (first file wins per entry).
    if (files.length === 1) kc.loadFromFile(files[0]);
    else kc.loadFromDefault();
  } catch (e) {
    throw new KubeConfigError(redactor.redact(`cannot read the kubeconfig: ${(e as Error).message}`));
  }
  if (options.context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(options.context)) {
      throw new KubeConfigError(redactor.redact(`--context ${options.context}: no such context in the kubeconfig (it has: ${names.join(', ') || 'none'})`));
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new KubeConfigError(redactor.redact(`the kubeconfig has no usable current context${kc.getCurrentContext() ? ` ("${kc.getCurrentContext()}" names no cluster)` : ''}; pass --context NAME`));
  }
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  // What `kc.makeApiClient` does, plus connection reuse.
  const api = new RawObjectApi(createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [reuseConnections()],
  }));
  const client = new ClientNodeKube(api, { server: withoutUserInfo(cluster.server), context: kc.getCurrentContext() }, options.requestTimeoutMs ?? 30_000, redactor);
  return { client, redactor, ...(namespace ? { namespace } : {}) };
}

/** The `type` our own requests pass, so that responses come back with their status. */
const RAW = 'netkit:raw';

interface RawResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * `KubernetesObjectApi` with untyped responses: its auth, TLS, middleware and discovery cache,
 * but the body passed through as JSON and errors as {@link KubeApiError}.
 */
class RawObjectApi extends KubernetesObjectApi {
  /** Send a request built by `build`, with auth applied; resolves to the status and JSON body. */
  public async send(pathname: string, method: HttpMethod, build?: (ctx: RequestContext) => void): Promise<RawResponse> {
    const ctx = this.configuration.baseServer.makeRequestContext(pathname, method);
    ctx.setHeaderParam('Accept', 'application/json');
    build?.(ctx);
    return this.requestPromise(ctx, RAW) as unknown as Promise<RawResponse>;
  }

  /** Discovery for one kind (cached per group version); undefined when the group version or kind is not served. */
  public async kindResource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    try {
      const r = await this.resource(apiVersion, kind);
      return r ? { name: r.name, namespaced: r.namespaced } : undefined;
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Our requests get the status with the body; the base class's discovery gets the body. */
  protected override async processResponse<T>(response: ResponseContext, type?: string): Promise<T> {
    const text = await response.body.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) throw apiError(response.httpStatusCode, body);
    return (type === RAW ? { status: response.httpStatusCode, body } : body) as unknown as T;
  }
}

/** A `metav1.Status` (or any error body) as a {@link KubeApiError}. */
function apiError(status: number, body: unknown): KubeApiError {
  if (body && typeof body === 'object' && (body as { kind?: unknown }).kind === 'Status') {
    const s = body as { reason?: string; message?: string; details?: { causes?: StatusCause[] } };
    return new KubeApiError(status, s.reason || statusText(status), s.message || statusText(status), s.details?.causes ?? []);
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 500) : JSON.stringify(body ?? '').slice(0, 500);
  return new KubeApiError(status, statusText(status), text || statusText(status));
}

function statusText(status: number): string {
  const known: Record<number, string> = {
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
    410: 'Gone', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
  };
  return known[status] ?? `HTTP${status}`;
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

class ClientNodeKube implements KubeClient {
  constructor(
    private readonly api: RawObjectApi,
    public readonly target: { readonly server: string; readonly context: string },
    private readonly timeoutMs: number,
    /** Masks credentials in the messages of the errors this client throws (they may quote the library's errors). */
    private readonly redactor: Redactor,
  ) {}

  public async version(): Promise<string> {
    const r = await this.read(() => this.api.send('/version', HttpMethod.GET));
    return String((r.body as { gitVersion?: string } | undefined)?.gitVersion ?? 'unknown');
  }

  public resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return this.read(() => this.api.kindResource(apiVersion, kind));
  }

  public async get(ref: KubeRef): Promise<KubeObject | undefined> {
    const p = await this.objectPath(ref);
    try {
      const r = await this.read(() => this.api.send(p, HttpMethod.GET));
      return r.body as KubeObject;
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  public async apply(object: KubeObject, options: ApplyRequestOptions): Promise<ApplyResponse> {
    const p = await this.objectPath(object.metadata.namespace !== undefined
      ? { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name }
      : { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name });
    const r = await this.call(() => this.api.send(p, HttpMethod.PATCH, (ctx) => {
      // Server-side apply: the body is the full intent; JSON is valid YAML.
      ctx.setHeaderParam('Content-Type', 'application/apply-patch+yaml');
      ctx.setQueryParam('fieldManager', options.fieldManager);
      if (options.force) ctx.setQueryParam('force', 'true');
      if (options.dryRun) ctx.setQueryParam('dryRun', 'All');
      ctx.setBody(JSON.stringify(object));
    }));
    return { object: r.body as KubeObject, status: r.status };
  }

  public async delete(ref: KubeRef, options: { readonly dryRun: boolean }): Promise<void> {
    const p = await this.objectPath(ref);
    await this.call(() => this.api.send(p, HttpMethod.DELETE, (ctx) => {
      // With a body, the API server reads DeleteOptions from it and ignores the query
      // (apiserver pkg/endpoints/handlers/delete.go): dryRun must be in the body.
      ctx.setHeaderParam('Content-Type', 'application/json');
      ctx.setBody(JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', ...(options.dryRun ? { dryRun: ['All'] } : {}) }));
    }));
  }

  public async list(apiVersion: string, kind: string, options: { readonly namespace?: string; readonly labelSelector?: string } = {}): Promise<KubeObject[]> {
    const res = await this.resource(apiVersion, kind);
    if (!res) throw new KubeApiError(404, 'NotFound', `the server does not serve ${apiVersion} ${kind}`);
    const base = `${groupVersionPath(apiVersion)}${res.namespaced && options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : ''}/${res.name}`;
    const out: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const r = await this.read(() => this.api.send(base, HttpMethod.GET, (ctx) => {
        ctx.setQueryParam('limit', '500');
        if (options.labelSelector) ctx.setQueryParam('labelSelector', options.labelSelector);
        if (cont) ctx.setQueryParam('continue', cont);
      }));
      const list = r.body as { items?: Record<string, unknown>[]; metadata?: { continue?: string } };
      // List items leave out apiVersion and kind; put them back so items are whole objects.
      for (const item of list.items ?? []) out.push({ ...item, apiVersion, kind } as unknown as KubeObject);
      cont = list.metadata?.continue || undefined;
    } while (cont);
    return out;
  }

  public async listableKinds(): Promise<ListableKind[]> {
    const versions: string[] = ['v1'];
    const groups = await this.read(() => this.api.send('/apis', HttpMethod.GET));
    for (const g of (groups.body as { groups?: { preferredVersion?: { groupVersion?: string } }[] }).groups ?? []) {
      if (g.preferredVersion?.groupVersion) versions.push(g.preferredVersion.groupVersion);
    }
    const lists = await Promise.all(versions.map(async (gv) => {
      try {
        return { gv, list: (await this.read(() => this.api.send(groupVersionPath(gv), HttpMethod.GET))).body as V1APIResourceList };
      } catch (e) {
        // An aggregated API that is down answers 503: skip its group rather than fail the prune.
        if (e instanceof KubeApiError && (e.status === 503 || e.status === 404)) return { gv, list: { resources: [] } as unknown as V1APIResourceList };
        throw e;
      }
    }));
    const out: ListableKind[] = [];
    for (const { gv, list } of lists) {
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources
        const verbs = new Set(r.verbs ?? []);
        if (verbs.has('list') && verbs.has('delete')) out.push({ apiVersion: gv, kind: r.kind, namespaced: r.namespaced });
      }
    }
    return out;
  }

  private async objectPath(ref: KubeRef): Promise<string> {
    const res = await this.resource(ref.apiVersion, ref.kind);
    if (!res) {
      throw new KubeApiError(404, 'NotFound', `the server does not serve ${ref.apiVersion} ${ref.kind} (check apiVersion and kind; for a custom resource, apply its CustomResourceDefinition first)`);
    }
    const ns = res.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
    return `${groupVersionPath(ref.apiVersion)}${ns}/${res.name}/${encodeURIComponent(ref.name)}`;
  }

  /**
   * A GET: sent again once, on a new connection, when a kept-alive connection turns out to be
   * closed by the server (EPIPE, ECONNRESET: the server dropped it while idle, e.g. while this
   * process was busy and could not see it close). Go's net/http retries idempotent requests on a
   * reused connection the same way; applies and deletes are never resent here (apply.ts decides).
   */
  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.call(fn, true);
    } catch (e) {
      if (!(e instanceof StaleConnection)) throw e;
      return this.call(fn);
    }
  }

  /** Run a request with a timeout; anything that is not an API error is a connection problem. */
  private async call<T>(fn: () => Promise<T>, staleIsRetriable = false): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KubeConnectionError(`${this.target.server}: no answer within ${Math.round(this.timeoutMs / 1000)}s`)), this.timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (e) {
      if (e instanceof KubeApiError) throw new KubeApiError(e.status, e.reason, this.redactor.redact(e.message), e.causes.map((c) => ({ ...c, ...(c.message ? { message: this.redactor.redact(c.message) } : {}) })));
      if (e instanceof KubeConnectionError) throw new KubeConnectionError(this.redactor.redact(e.message));
      if (staleIsRetriable && isStaleConnection(e)) throw new StaleConnection();
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new KubeConnectionError(this.redactor.redact(`cannot talk to ${this.target.server} (context ${this.target.context}): ${(e as Error).message ?? String(e)}${cause ? ` (${cause})` : ''}`));
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

/** Internal: a read failed on a connection the server had closed; {@link ClientNodeKube.read} sends it again. */
class StaleConnection extends Error {}

/** The errors of a request written to, or waiting on, a connection the other side has closed. */
function isStaleConnection(e: unknown): boolean {
  const code = (x: unknown): unknown => (x && typeof x === 'object' ? (x as { code?: unknown }).code : undefined);
  const c = code(e) ?? code((e as { cause?: unknown } | undefined)?.cause);
  return c === 'EPIPE' || c === 'ECONNRESET';
}

/**
 * An in-memory API server for the apply tests: server-side apply with a resourceVersion that
 * only moves when the applied content changes (as the real server skips no-op writes), dry
 * runs, namespaces that must exist, label-selector lists, discovery, and injectable failures.
 */
import {
  KubeApiError, KubeConnectionError, type ApplyRequestOptions, type ApplyResponse, type KubeClient, type KubeObject, type KubeRef,
  type ListableKind, type ResourceInfo,
} from '../../lib/apply/types';

type Json = Record<string, unknown>;

const KINDS: Record<string, ResourceInfo> = {
  'v1/Namespace': { name: 'namespaces', namespaced: false },
  'v1/Service': { name: 'services', namespaced: true },
  'v1/ConfigMap': { name: 'configmaps', namespaced: true },
  'v1/Secret': { name: 'secrets', namespaced: true },
  'v1/PersistentVolumeClaim': { name: 'persistentvolumeclaims', namespaced: true },
  'storage.k8s.io/v1/StorageClass': { name: 'storageclasses', namespaced: false },
  'flowcontrol.apiserver.k8s.io/v1/FlowSchema': { name: 'flowschemas', namespaced: false },
  'v1/Pod': { name: 'pods', namespaced: true },
  'v1/Endpoints': { name: 'endpoints', namespaced: true },
  'v1/Node': { name: 'nodes', namespaced: false },
  'apps/v1/Deployment': { name: 'deployments', namespaced: true },
  'apps/v1/StatefulSet': { name: 'statefulsets', namespaced: true },
  'discovery.k8s.io/v1/EndpointSlice': { name: 'endpointslices', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { name: 'customresourcedefinitions', namespaced: false },
};

function id(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Content that apply compares: everything but server-owned metadata. */
function content(o: Json): string {
  const c = clone(o);
  const m = c.metadata as Json;
  for (const k of ['resourceVersion', 'uid', 'managedFields', 'creationTimestamp', 'generation']) delete m[k];
  delete c.status;
  return canon(c);
}

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Json)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export class FakeKube implements KubeClient {
  public readonly target = { server: 'https://fake.invalid:6443', context: 'fake' };
  public readonly store = new Map<string, Json>();
  public readonly calls: string[] = [];
  /** Extra kinds served (custom resources). */
  public readonly kinds: Record<string, ResourceInfo> = { ...KINDS };
  /** Return an error to fail an apply of that object. */
  public failApply?: (o: KubeObject, options: ApplyRequestOptions) => KubeApiError | undefined;
  /** Throw a connection error on the n-th apply (1-based), without applying; the server stays up. */
  public dropConnectionAtApply?: number;
  /** The server goes away at the n-th apply (1-based): that apply and everything after fail to connect. */
  public goDownAtApply?: number;
  /** Do the apply, then lose its answer (a connection error instead of the response). */
  public loseApplyAnswer?: (o: KubeObject) => boolean;
  /** Do the delete, then lose its answer. */
  public loseDeleteAnswer?: (ref: KubeRef) => boolean;
  /** Refuse a LIST (RBAC) of a kind in a namespace. */
  public failList?: (kind: string, namespace: string | undefined) => KubeApiError | undefined;
  /** The server is unreachable: every call fails with a connection error. */
  public down = false;
  /** Answer an apply only after this many milliseconds (to see concurrent requests overlap). */
  public applyDelayMs?: (o: KubeObject) => number;
  /** Hold these applies until the server goes down (`goDownAtApply`), whatever the timers do under load. */
  public holdUntilDown?: (o: KubeObject) => boolean;
  private wentDown?: () => void;
  private readonly downSignal = new Promise<void>((resolve) => { this.wentDown = resolve; });
  /** The most applies that were in flight at once. */
  public maxInFlight = 0;
  private inFlight = 0;
  private applies = 0;
  private rv = 100;

  public version(): Promise<string> {
    this.calls.push('GET /version');
    return Promise.resolve('v1.fake');
  }

  private unreachable(): KubeConnectionError {
    return new KubeConnectionError('cannot talk to https://fake.invalid:6443 (context fake): connect ECONNREFUSED');
  }

  public resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    if (this.down) return Promise.reject(this.unreachable());
    return Promise.resolve(this.kinds[`${apiVersion}/${kind}`]);
  }

  public get(ref: KubeRef): Promise<KubeObject | undefined> {
    this.calls.push(`GET ${ref.kind} ${ref.namespace ?? ''}/${ref.name}`);
    if (this.down) return Promise.reject(this.unreachable());
    const o = this.store.get(id(ref.apiVersion, ref.kind, this.ns(ref), ref.name));
    return Promise.resolve(o ? clone(o) as unknown as KubeObject : undefined);
  }

  /** Put an object in as if someone else (a controller, kubectl) had created it. */
  public seed(o: Json): void {
    const m = o.metadata as Json;
    this.store.set(id(String(o.apiVersion), String(o.kind), m.namespace as string | undefined, String(m.name)), clone({ ...o, metadata: { uid: `uid-${this.rv}`, resourceVersion: String(++this.rv), ...m } }));
  }

  public async apply(object: KubeObject, options: ApplyRequestOptions): Promise<ApplyResponse> {
    const n = ++this.applies;
    this.calls.push(`APPLY ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}${options.dryRun ? ' dry-run' : ''}`);
    const delay = this.applyDelayMs?.(object) ?? 0;
    if (delay > 0) {
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      await new Promise((r) => setTimeout(r, delay));
      this.inFlight--;
    }
    if (this.holdUntilDown?.(object)) {
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      await this.downSignal;
      this.inFlight--;
    }
    if (this.goDownAtApply === n) {
      this.down = true;
      this.wentDown?.();
    }
    if (this.down || this.dropConnectionAtApply === n) throw this.unreachable();
    const res = this.kinds[`${object.apiVersion}/${object.kind}`];
    if (!res) throw new KubeApiError(404, 'NotFound', `the server could not find the requested resource`);
    const injected = this.failApply?.(object, options);
    if (injected) throw injected;
    const ns = res.namespaced ? object.metadata.namespace ?? 'default' : undefined;
    if (ns !== undefined && !this.store.has(id('v1', 'Namespace', undefined, ns))) {
      throw new KubeApiError(404, 'NotFound', `namespaces "${ns}" not found`);
    }
    const key = id(object.apiVersion, object.kind, ns, object.metadata.name);
    const before = this.store.get(key);
    const next = clone(object) as unknown as Json;
    const meta = next.metadata as Json;
    if (ns !== undefined) meta.namespace = ns;
    else delete meta.namespace;
    if (object.kind === 'CustomResourceDefinition') next.status = { conditions: [{ type: 'Established', status: 'True' }] };
    if (before && content(before) === content(next)) {
      if (this.loseApplyAnswer?.(object)) throw this.unreachable();
      return { object: clone(before) as unknown as KubeObject, status: 200 };
    }
    meta.uid = (before?.metadata as Json | undefined)?.uid ?? `uid-${this.rv}`;
    meta.resourceVersion = String(++this.rv);
    meta.managedFields = [{ manager: options.fieldManager, operation: 'Apply' }];
    if (!options.dryRun) this.store.set(key, next);
    if (this.loseApplyAnswer?.(object)) throw this.unreachable();
    return { object: clone(next) as unknown as KubeObject, status: before ? 200 : 201 };
  }

  public delete(ref: KubeRef, options: { readonly dryRun: boolean }): Promise<void> {
    this.calls.push(`DELETE ${ref.kind} ${ref.namespace ?? ''}/${ref.name}${options.dryRun ? ' dry-run' : ''}`);
    if (this.down) return Promise.reject(this.unreachable());
    const key = id(ref.apiVersion, ref.kind, this.ns(ref), ref.name);
    if (!this.store.has(key)) return Promise.reject(new KubeApiError(404, 'NotFound', `${ref.kind} "${ref.name}" not found`));
    if (!options.dryRun) this.store.delete(key);
    if (this.loseDeleteAnswer?.(ref)) return Promise.reject(this.unreachable());
    return Promise.resolve();
  }

  public list(apiVersion: string, kind: string, options: { readonly namespace?: string; readonly labelSelector?: string } = {}): Promise<KubeObject[]> {
    this.calls.push(`LIST ${kind}${options.namespace ? ` ${options.namespace}` : ''}${options.labelSelector ? ` ${options.labelSelector}` : ''}`);
    if (this.down) return Promise.reject(this.unreachable());
    const refused = this.failList?.(kind, options.namespace);
    if (refused) return Promise.reject(refused);
    const want = (options.labelSelector ?? '').split(',').filter((s) => s !== '').map((s) => s.split('='));
    const out: KubeObject[] = [];
    for (const o of this.store.values()) {
      const m = o.metadata as Json;
      if (o.apiVersion !== apiVersion || o.kind !== kind) continue;
      if (options.namespace && m.namespace !== options.namespace) continue;
      const labels = (m.labels ?? {}) as Record<string, string>;
      if (want.every(([k, v]) => labels[k] === v)) out.push(clone(o) as unknown as KubeObject);
    }
    return Promise.resolve(out);
  }

  public listableKinds(): Promise<ListableKind[]> {
    if (this.down) return Promise.reject(this.unreachable());
    return Promise.resolve(Object.entries(this.kinds).map(([k, r]) => {
      const kind = k.slice(k.lastIndexOf('/') + 1);
      return { apiVersion: k.slice(0, k.lastIndexOf('/')), kind, namespaced: r.namespaced };
    }));
  }

  private ns(ref: KubeRef): string | undefined {
    const r = this.kinds[`${ref.apiVersion}/${ref.kind}`];
    return r?.namespaced ? ref.namespace ?? 'default' : undefined;
  }
}

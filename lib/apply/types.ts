/**
 * What `netkit apply` and `netkit verify --live` need from a Kubernetes API server, as a plain
 * interface. The implementation on `@kubernetes/client-node` lives in `kube.ts` (the only module
 * that loads it), so the logic here and its tests run against in-memory fakes.
 */

/** Object metadata as the API server returns it (the fields we read). */
export interface KubeMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind: string; readonly name: string; readonly controller?: boolean }[];
  readonly managedFields?: readonly { readonly manager?: string; readonly operation?: string; readonly time?: string }[];
  readonly deletionTimestamp?: string;
}

/** A Kubernetes object as plain JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeMetadata;
  readonly [field: string]: unknown;
}

/** Identifies one object on the server. */
export interface KubeRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** What API discovery says about a kind. */
export interface ResourceInfo {
  /** The plural resource name used in REST paths, e.g. `deployments`. */
  readonly name: string;
  readonly namespaced: boolean;
}

/** A listable, deletable kind found by discovery (the candidates `--prune` looks through). */
export interface ListableKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Options of a server-side apply request. */
export interface ApplyRequestOptions {
  /** `fieldManager` query parameter (required for apply patches). */
  readonly fieldManager: string;
  /** `force=true`: take over fields another manager owns instead of failing with a conflict. */
  readonly force: boolean;
  /** `dryRun=All`: the server validates and admits but persists nothing. */
  readonly dryRun: boolean;
}

/** The server's answer to an apply: the object after the patch and the HTTP status (201 = created). */
export interface ApplyResponse {
  readonly object: KubeObject;
  readonly status: number;
}

/** The calls `apply` and `verify --live` make. Every method rejects with {@link KubeApiError} or {@link KubeConnectionError}. */
export interface KubeClient {
  /** Where the client talks to (the server URL and context name; never credentials). */
  readonly target: { readonly server: string; readonly context: string };
  /** `GET /version`: proves the server is reachable and we are authenticated. */
  version(): Promise<string>;
  /** Discovery: the REST resource of a kind, or undefined when the server does not serve it. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** `GET` one object; undefined when it does not exist (404). */
  get(ref: KubeRef): Promise<KubeObject | undefined>;
  /** Server-side apply (`PATCH` with `application/apply-patch+yaml`). */
  apply(object: KubeObject, options: ApplyRequestOptions): Promise<ApplyResponse>;
  /** `DELETE` with background propagation (dependents go through the garbage collector). */
  delete(ref: KubeRef, options: { readonly dryRun: boolean }): Promise<void>;
  /** `LIST` a kind in one namespace (or all when undefined), optionally by label selector. */
  list(apiVersion: string, kind: string, options?: { readonly namespace?: string; readonly labelSelector?: string }): Promise<KubeObject[]>;
  /** Discovery: every kind in its group's preferred version that can be listed and deleted. */
  listableKinds(): Promise<ListableKind[]>;
}

/** A `metav1.Status` cause: one field the server complained about. */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/**
 * The API server answered with an error status. `reason` and `message` come from the returned
 * `metav1.Status` (e.g. `Invalid`, `Conflict`, `NotFound`, `Forbidden`).
 */
export class KubeApiError extends Error {
  constructor(
    /** HTTP status code. */
    public readonly status: number,
    /** `Status.reason`, e.g. `Invalid`; the HTTP status text when the body is not a Status. */
    public readonly reason: string,
    /** `Status.message` (or the body text). */
    message: string,
    /** `Status.details.causes`. */
    public readonly causes: readonly StatusCause[] = [],
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** `422 Invalid: Service "web" is invalid: spec.ports[0].port: ...`. */
  public describe(): string {
    return `${this.status} ${this.reason}: ${this.message}`;
  }
}

/** The server could not be reached (refused, DNS, TLS) or the kubeconfig is unusable. */
export class KubeConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConnectionError';
  }
}

/** A short, human label for an object: `Service web/web`, `Namespace web`. */
export function describeRef(ref: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The reference of a Kubernetes object. */
export function refOf(o: KubeObject): KubeRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

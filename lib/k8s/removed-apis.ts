/**
 * API versions the API server no longer serves, for kinds that still exist under another
 * version. From the Kubernetes deprecated API migration guide
 * (kubernetes.io/docs/reference/using-api/deprecation-guide): an object written with one of these
 * is rejected by `kubectl apply` ("no matches for kind ... in version ..."), so simulating it
 * as if it were the current version would be wrong, and ignoring it silently worse.
 */

/** `apiVersion` -> kinds no longer served there, with the version that replaced each and the release that removed it. */
const REMOVED: Readonly<Record<string, Readonly<Record<string, readonly [string, string]>>>> = {
  'extensions/v1beta1': {
    Deployment: ['apps/v1', '1.16'], DaemonSet: ['apps/v1', '1.16'], ReplicaSet: ['apps/v1', '1.16'],
    NetworkPolicy: ['networking.k8s.io/v1', '1.16'], Ingress: ['networking.k8s.io/v1', '1.22'],
  },
  'apps/v1beta1': { Deployment: ['apps/v1', '1.16'], StatefulSet: ['apps/v1', '1.16'], ReplicaSet: ['apps/v1', '1.16'] },
  'apps/v1beta2': { Deployment: ['apps/v1', '1.16'], StatefulSet: ['apps/v1', '1.16'], ReplicaSet: ['apps/v1', '1.16'], DaemonSet: ['apps/v1', '1.16'] },
  'networking.k8s.io/v1beta1': { Ingress: ['networking.k8s.io/v1', '1.22'], IngressClass: ['networking.k8s.io/v1', '1.22'] },
  'discovery.k8s.io/v1beta1': { EndpointSlice: ['discovery.k8s.io/v1', '1.25'] },
  'batch/v1beta1': { CronJob: ['batch/v1', '1.25'] },
  'policy/v1beta1': { PodDisruptionBudget: ['policy/v1', '1.25'] },
  'autoscaling/v2beta1': { HorizontalPodAutoscaler: ['autoscaling/v2', '1.25'] },
  'autoscaling/v2beta2': { HorizontalPodAutoscaler: ['autoscaling/v2', '1.26'] },
};

/** When `kind` is no longer served at `apiVersion`: the version to use and the release that removed it. */
export function removedApiVersion(kind: string, apiVersion: string): { readonly use: string; readonly removedIn: string } | undefined {
  const entry = Object.prototype.hasOwnProperty.call(REMOVED, apiVersion) ? REMOVED[apiVersion] : undefined;
  const hit = entry && Object.prototype.hasOwnProperty.call(entry, kind) ? entry[kind] : undefined;
  return hit ? { use: hit[0], removedIn: hit[1] } : undefined;
}

/** The one apiVersion each built-in kind the engine or rules read is served at. */
const SERVED: Readonly<Record<string, string>> = {
  Namespace: 'v1', Node: 'v1', Pod: 'v1', Service: 'v1', Endpoints: 'v1', ReplicationController: 'v1',
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', EndpointSlice: 'discovery.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1', IngressClass: 'networking.k8s.io/v1', NetworkPolicy: 'networking.k8s.io/v1',
};

/** API groups of Kubernetes itself: a kind of SERVED in another group is someone's CRD, not a mistake. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'extensions', 'networking.k8s.io', 'discovery.k8s.io']);

/**
 * Why the API server would not accept `kind` at `apiVersion`: removed there (see {@link REMOVED}),
 * or a built-in kind in a built-in group at a version that never served it (`batch/v1beta1 Job`).
 * Undefined when it is served, or is not a kind this knows.
 */
export function unservedApiMessage(kind: string, apiVersion: string): string | undefined {
  const r = removedApiVersion(kind, apiVersion);
  if (r) return `${apiVersion} ${kind} is no longer served by the API server (removed in Kubernetes ${r.removedIn}), so it is not simulated; use apiVersion ${r.use}`;
  const served = Object.prototype.hasOwnProperty.call(SERVED, kind) ? SERVED[kind] : undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  if (served && served !== apiVersion && BUILT_IN_GROUPS.has(group)) {
    return `the API server does not serve ${kind} at apiVersion ${apiVersion}, so it is not simulated; use apiVersion ${served}`;
  }
  return undefined;
}

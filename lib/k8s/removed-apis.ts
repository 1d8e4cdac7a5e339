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

/** One line: `apps/v1beta2 Deployment is no longer served (removed in Kubernetes 1.16); use apps/v1`. */
export function removedApiMessage(kind: string, apiVersion: string): string | undefined {
  const r = removedApiVersion(kind, apiVersion);
  return r ? `${apiVersion} ${kind} is no longer served by the API server (removed in Kubernetes ${r.removedIn}), so it is not simulated; use apiVersion ${r.use}` : undefined;
}

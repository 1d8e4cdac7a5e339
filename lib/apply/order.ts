/**
 * The order `netkit apply` sends objects in. Two phases: first what other objects need to exist
 * (Namespaces, then CustomResourceDefinitions, which must be Established before their custom
 * resources can be applied), then everything else by kind in the order Helm installs a release
 * (helm `pkg/releaseutil/kind_sorter.go` InstallOrder): policies, identities and config before
 * Services, Services before the workloads that use them, admission webhooks last so they cannot
 * block the rest. Kinds the list does not know (custom resources) go after the known ones.
 * Within one kind the manifests' order is kept. Pruning deletes in the reverse order.
 *
 * `netkit apply` sends the objects of one step of this order (one rank: a kind, or all custom
 * resources) concurrently, and the steps one after the other ({@link applySteps}), so that
 * everything of an earlier kind is in place before a later kind arrives, as when sent one by one.
 */

/** Kinds applied in the first phase, in this order. */
export const FIRST_PHASE: readonly string[] = ['Namespace', 'CustomResourceDefinition'];

/** Helm's install order (minus the two first-phase kinds). */
const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const RANK = new Map<string, number>([...FIRST_PHASE, ...INSTALL_ORDER].map((k, i) => [k, i]));
/** Webhook configurations go after custom resources too (they could reject them). */
const LAST = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

function rank(kind: string): number {
  if (LAST.has(kind)) return RANK.size + 1 + (RANK.get(kind) ?? 0);
  return RANK.get(kind) ?? RANK.size;
}

/** Sort for applying: a stable sort by kind rank (manifest order kept within a kind). */
export function applyOrder<T extends { readonly kind: string }>(items: readonly T[]): T[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => rank(a.item.kind) - rank(b.item.kind) || a.i - b.i).map((x) => x.item);
}

/**
 * {@link applyOrder}, cut into steps of equal rank: the objects of one step may be sent at the
 * same time, a step only after the one before it is done. Items for which `alone` holds each get
 * a step of their own, in manifest order, ahead of the rest of their rank: Services that ask for
 * a given clusterIP or nodePort ({@link pinsAllocation}) reach the API server in file order, so
 * when two ask for the same one the first keeps it, as the runtime predicts.
 */
export function applySteps<T extends { readonly kind: string }>(items: readonly T[], alone: (item: T) => boolean = () => false): T[][] {
  const steps: T[][] = [];
  let rest: T[] = [];
  let last: number | undefined;
  for (const item of applyOrder(items)) {
    const r = rank(item.kind);
    if (r !== last) {
      if (rest.length > 0) steps.push(rest);
      rest = [];
      last = r;
    }
    if (alone(item)) steps.push([item]);
    else rest.push(item);
  }
  if (rest.length > 0) steps.push(rest);
  return steps;
}

/**
 * True for a Service manifest that asks for a specific allocation: `spec.clusterIP(s)` set to an
 * address (not `None`), or a `nodePort` / `healthCheckNodePort` (the API server's allocators give
 * each to the first Service that asks, `pkg/registry/core/service/ipallocator` and `portallocator`).
 */
export function pinsAllocation(object: { readonly kind: string; readonly spec?: unknown }): boolean {
  if (object.kind !== 'Service' || typeof object.spec !== 'object' || object.spec === null) return false;
  const spec = object.spec as { clusterIP?: unknown; clusterIPs?: unknown; ports?: unknown; healthCheckNodePort?: unknown };
  const address = (v: unknown): boolean => typeof v === 'string' && v !== '' && v !== 'None';
  if (address(spec.clusterIP) || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.some(address))) return true;
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) return true;
  return Array.isArray(spec.ports) && spec.ports.some((p) => typeof (p as { nodePort?: unknown } | null)?.nodePort === 'number' && (p as { nodePort: number }).nodePort > 0);
}

/** Sort for deleting: the reverse of {@link applyOrder}. */
export function deleteOrder<T extends { readonly kind: string }>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}

/** True for the kinds applied (and waited for) before the rest. */
export function isFirstPhase(kind: string): boolean {
  return FIRST_PHASE.includes(kind);
}

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
 * same time, a step only after the one before it is done.
 */
export function applySteps<T extends { readonly kind: string }>(items: readonly T[]): T[][] {
  const steps: T[][] = [];
  let last: number | undefined;
  for (const item of applyOrder(items)) {
    const r = rank(item.kind);
    if (r !== last) steps.push([]);
    steps[steps.length - 1].push(item);
    last = r;
  }
  return steps;
}

/** Sort for deleting: the reverse of {@link applyOrder}. */
export function deleteOrder<T extends { readonly kind: string }>(items: readonly T[]): T[] {
  return applyOrder(items).reverse();
}

/** True for the kinds applied (and waited for) before the rest. */
export function isFirstPhase(kind: string): boolean {
  return FIRST_PHASE.includes(kind);
}

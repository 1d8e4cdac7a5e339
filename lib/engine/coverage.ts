/**
 * Coverage: every loaded object is simulated, not relevant to routing, or relevant but not
 * simulated. The last kind is what makes an answer incomplete, so each answer (a trace, a
 * Service's endpoints, a route) asks {@link Coverage.relevantTo} which of those objects could
 * change *it*, and a Service whose pods may come from a workload the engine does not run says
 * its endpoints are unknown ({@link Coverage.podSourcesFor}) instead of "no endpoints".
 *
 * Kinds are classified by API group and kind in {@link KIND_COVERAGE}; a module that starts
 * simulating a kind (a Gateway route kind, NetworkPolicy) registers it with {@link registerKind}.
 */
import type { ManifestObject } from '../manifest/objects';
import { SCHEMAS } from '../manifest/schemas';
import { matchesMap } from './controllers/label-selector';
import { isL7Object } from './l7/parse';
import { isPolicyObject } from './policy/parse';
import type { AnswerScope, CoverageItem, CoverageStatus, CoverageView, PodInfo } from './model';

export type { AnswerScope, CoverageItem, CoverageStatus, CoverageView } from './model';

/** How one kind is classified, and which answers an unsimulated object of that kind can change. */
export interface KindCoverage {
  readonly status: CoverageStatus;
  /** Why (shown next to answers and in `validate`). */
  readonly reason: string;
  /** For `not-simulated` kinds: whether this object could change an answer about `scope`. Absent: it could change any answer about a Service whose pods it selects, else none. */
  readonly affects?: (obj: ManifestObject, scope: AnswerScope) => boolean;
}

/** The JSON `coverage` section of `validate`, `routes` and `trace`. */
export interface CoverageSummary {
  readonly simulated: number;
  readonly notRelevant: number;
  /** Relevant to routing but not simulated: answers that depend on these may be wrong. */
  readonly notSimulated: readonly CoverageItem[];
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

const registry = new Map<string, KindCoverage>();

/** Classify a kind of an API group (`''` for the core group). A later call replaces an earlier one. */
export function registerKind(group: string, kind: string, coverage: KindCoverage): void {
  registry.set(kindKey(group, kind), coverage);
}

/** The classification of a kind, if registered. */
export function kindCoverage(group: string, kind: string): KindCoverage | undefined {
  return registry.get(kindKey(group, kind));
}

/** The labels of the pods an object's pod template would make (`spec.template`, CronJob `spec.jobTemplate.spec.template`). */
export function templatePodLabels(obj: ManifestObject): Readonly<Record<string, string>> | undefined {
  const spec = obj.raw.spec;
  if (!isObj(spec)) return undefined;
  let template = spec.template;
  const jobTemplate = spec.jobTemplate;
  if (!isObj(template) && isObj(jobTemplate) && isObj(jobTemplate.spec)) template = jobTemplate.spec.template;
  if (!isObj(template) || !isObj(template.spec)) return undefined;
  const meta = template.metadata;
  const labels = isObj(meta) && isObj(meta.labels) ? meta.labels : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

function nsOf(obj: ManifestObject): string {
  return obj.ref.namespace ?? 'default';
}

/** A pod-making object changes answers about Services in its namespace that select its template's labels. */
function makesSelectedPods(obj: ManifestObject, scope: AnswerScope): boolean {
  const labels = templatePodLabels(obj);
  const svc = scope.service;
  if (!labels || !svc?.selector || svc.namespace !== nsOf(obj)) return false;
  return Object.keys(svc.selector).length > 0 && matchesMap(svc.selector, labels);
}


/** Istio policies: `spec.selector.matchLabels` in the pod's namespace, or namespace-wide without a selector (root namespace: mesh-wide). */
function istioPolicyAffects(obj: ManifestObject, scope: AnswerScope): boolean {
  const spec = isObj(obj.raw.spec) ? obj.raw.spec : {};
  const ns = nsOf(obj);
  const sel = isObj(spec.selector) && isObj(spec.selector.matchLabels) ? spec.selector.matchLabels as Record<string, string> : undefined;
  const hit = (p: PodInfo | undefined): boolean => p !== undefined && (ns === 'istio-system' || p.namespace === ns) && (!sel || matchesMap(sel, p.labels));
  return (scope.destinationPods ?? []).some(hit) || hit(scope.sourcePod);
}

/** Gateway API routes and listener sets: a parentRef to the Gateway entered or the Service (GAMMA), or a backendRef to the Service. */
function gatewayAttachmentAffects(obj: ManifestObject, scope: AnswerScope): boolean {
  const spec = isObj(obj.raw.spec) ? obj.raw.spec : {};
  const ns = nsOf(obj);
  const refs: Json[] = [];
  if (Array.isArray(spec.parentRefs)) refs.push(...spec.parentRefs.filter(isObj));
  if (isObj(spec.parentRef)) refs.push(spec.parentRef);
  if (Array.isArray(spec.targetRefs)) refs.push(...spec.targetRefs.filter(isObj));
  if (Array.isArray(spec.rules)) {
    for (const r of spec.rules) if (isObj(r) && Array.isArray(r.backendRefs)) refs.push(...r.backendRefs.filter(isObj).map((b) => ({ kind: 'Service', ...b })));
  }
  for (const r of refs) {
    const kind = typeof r.kind === 'string' ? r.kind : 'Gateway';
    const key = `${typeof r.namespace === 'string' ? r.namespace : ns}/${String(r.name)}`;
    if (kind === 'Service' && scope.service && key === `${scope.service.namespace}/${scope.service.name}`) return true;
    if (kind !== 'Service' && (scope.gateways ?? []).includes(key)) return true;
  }
  return false;
}

/** HorizontalPodAutoscaler: changes the replica count of the workload that owns destination pods. */
function scalerAffects(obj: ManifestObject, scope: AnswerScope): boolean {
  const spec = isObj(obj.raw.spec) ? obj.raw.spec : {};
  const target = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  const name = typeof target.name === 'string' ? target.name : undefined;
  if (!name) return false;
  return (scope.destinationPods ?? []).some((p) => p.namespace === nsOf(obj) && p.owner !== undefined &&
    (p.owner.name === name || p.owner.name.startsWith(`${name}-`)));
}

const SIM = (reason: string): KindCoverage => ({ status: 'simulated', reason });
const IRRELEVANT = (reason: string): KindCoverage => ({ status: 'not-relevant', reason });
const UNSIMULATED = (reason: string, affects?: KindCoverage['affects']): KindCoverage => ({ status: 'not-simulated', reason, affects });

// --- the default classification ---
for (const k of ['Service', 'Pod', 'Node', 'Namespace', 'Endpoints']) registerKind('', k, SIM('simulated by the engine'));
registerKind('discovery.k8s.io', 'EndpointSlice', SIM('simulated by the engine'));
for (const k of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) registerKind('apps', k, SIM('workload controller simulated'));
for (const k of ['Ingress', 'IngressClass']) registerKind('networking.k8s.io', k, SIM('L7 routing simulated'));
for (const k of ['Gateway', 'GatewayClass', 'HTTPRoute', 'ReferenceGrant']) registerKind('gateway.networking.k8s.io', k, SIM('L7 routing simulated'));
for (const k of ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry']) registerKind('networking.istio.io', k, SIM('L7 routing simulated'));

for (const k of ['ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'LimitRange', 'ResourceQuota', 'Event']) {
  registerKind('', k, IRRELEVANT('does not take part in routing'));
}
for (const k of ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']) registerKind('rbac.authorization.k8s.io', k, IRRELEVANT('API access control, not traffic'));
registerKind('policy', 'PodDisruptionBudget', IRRELEVANT('limits voluntary evictions only'));
registerKind('storage.k8s.io', 'StorageClass', IRRELEVANT('does not take part in routing'));
registerKind('scheduling.k8s.io', 'PriorityClass', IRRELEVANT('does not take part in routing'));
registerKind('apiextensions.k8s.io', 'CustomResourceDefinition', IRRELEVANT('defines a kind; objects of it are classified on their own'));
for (const k of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
  registerKind('admissionregistration.k8s.io', k, UNSIMULATED('admission webhooks may change or reject objects as they are applied', () => false));
}
registerKind('coordination.k8s.io', 'Lease', IRRELEVANT('does not take part in routing'));
registerKind('cert-manager.io', 'Certificate', IRRELEVANT('issues certificates; TLS routing reads the Secret name only'));
registerKind('cert-manager.io', 'Issuer', IRRELEVANT('issues certificates'));
registerKind('cert-manager.io', 'ClusterIssuer', IRRELEVANT('issues certificates'));
registerKind('monitoring.coreos.com', 'ServiceMonitor', IRRELEVANT('monitoring configuration'));
registerKind('monitoring.coreos.com', 'PodMonitor', IRRELEVANT('monitoring configuration'));

registerKind('networking.k8s.io', 'NetworkPolicy', SIM('reachability simulated (lib/engine/policy)'));
for (const k of ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']) {
  registerKind('policy.networking.k8s.io', k, SIM('reachability simulated (lib/engine/policy)'));
}
registerKind('security.istio.io', 'AuthorizationPolicy', SIM('mesh authorization simulated (lib/engine/policy; `when`, CUSTOM and targetRefs are reported per verdict)'));
for (const k of ['PeerAuthentication', 'RequestAuthentication']) {
  registerKind('security.istio.io', k, UNSIMULATED(`Istio ${k} is not simulated: requests it denies are traced as allowed`, istioPolicyAffects));
}
for (const k of ['Sidecar', 'EnvoyFilter']) registerKind('networking.istio.io', k, UNSIMULATED(`Istio ${k} is not simulated`, istioPolicyAffects));
registerKind('networking.istio.io', 'WorkloadEntry', UNSIMULATED('Istio WorkloadEntry endpoints are not simulated', () => false));
for (const k of ['GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'ListenerSet', 'BackendTLSPolicy']) {
  registerKind('gateway.networking.k8s.io', k, SIM('L7 routing simulated'));
}
registerKind('gateway.networking.k8s.io', 'BackendLBPolicy', UNSIMULATED('Gateway API BackendLBPolicy is not simulated', gatewayAttachmentAffects));
registerKind('gateway.networking.x-k8s.io', 'ListenerSet', SIM('L7 routing simulated (experimental ListenerSet)'));
registerKind('gateway.networking.x-k8s.io', 'XListenerSet', UNSIMULATED('Gateway API XListenerSet is not simulated', gatewayAttachmentAffects));
registerKind('', 'ReplicationController', SIM('replication manager simulated (as the ReplicaSet controller)'));
registerKind('batch', 'Job', SIM('Job simulated as completed: Succeeded pods, no endpoints (pods while running are not simulated)'));
registerKind('batch', 'CronJob', SIM('CronJob simulated as right after apply: no Job and no pods until its schedule fires'));
registerKind('argoproj.io', 'Rollout', SIM('Argo Rollout first revision simulated (pods from its template or workloadRef); steps, trafficRouting and Service switching are not'));
registerKind('autoscaling', 'HorizontalPodAutoscaler', UNSIMULATED('HorizontalPodAutoscaler scaling is not simulated: replica counts are taken as written', scalerAffects));

/** Workload kinds read from the raw object (no loader schema), and the apiVersions the engine reads them in. */
const RAW_WORKLOAD_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  ReplicationController: ['v1'], Job: ['batch/v1'], CronJob: ['batch/v1'], Rollout: ['argoproj.io/v1alpha1'],
};

/** Classify one object. */
export function classify(obj: ManifestObject): CoverageItem {
  const base = { ref: obj.ref, apiVersion: obj.apiVersion, source: obj.source };
  const entry = registry.get(kindKey(groupOf(obj.apiVersion), obj.ref.kind));
  // A simulated kind in an apiVersion (or old group, extensions/v1beta1) the engine does not read is skipped: say so.
  const schema = Object.prototype.hasOwnProperty.call(SCHEMAS, obj.ref.kind) ? SCHEMAS[obj.ref.kind] : undefined;
  if (entry?.status === 'simulated' || (!entry && schema)) {
    const raw = Object.prototype.hasOwnProperty.call(RAW_WORKLOAD_VERSIONS, obj.ref.kind) ? RAW_WORKLOAD_VERSIONS[obj.ref.kind] : undefined;
    const read = schema ? schema.apiVersions.includes(obj.apiVersion) : raw ? raw.includes(obj.apiVersion) : isL7Object(obj) || isPolicyObject(obj);
    if (read && entry) return { ...base, status: 'simulated', reason: entry.reason };
    return { ...base, status: 'not-simulated', reason: `${obj.ref.kind} in apiVersion ${obj.apiVersion} is not read by the engine (it reads ${schema ? schema.apiVersions.join(', ') : 'other versions'}); a current API server does not serve it either` };
  }
  if (entry) return { ...base, status: entry.status, reason: entry.reason };
  if (templatePodLabels(obj)) return { ...base, status: 'not-simulated', reason: `${obj.ref.kind} (${obj.apiVersion}) makes pods the engine does not simulate` };
  return { ...base, status: 'not-simulated', reason: `kind ${obj.ref.kind} (${obj.apiVersion}) is unknown to the engine; whether it changes routing is not checked` };
}

/** The classification of a cluster's objects. */
export class Coverage implements CoverageView {
  /** Every object, classified, in load order. */
  public readonly items: readonly CoverageItem[];
  private readonly unsimulated: readonly { readonly item: CoverageItem; readonly obj: ManifestObject; readonly affects?: KindCoverage['affects'] }[];

  constructor(objects: Iterable<ManifestObject>) {
    const items: CoverageItem[] = [];
    const unsimulated: { item: CoverageItem; obj: ManifestObject; affects?: KindCoverage['affects'] }[] = [];
    for (const obj of objects) {
      const item = classify(obj);
      items.push(item);
      if (item.status !== 'not-simulated') continue;
      const entry = registry.get(kindKey(groupOf(obj.apiVersion), obj.ref.kind));
      unsimulated.push({ item, obj, affects: entry?.status === 'not-simulated' ? entry.affects : undefined });
    }
    this.items = items;
    this.unsimulated = unsimulated;
  }

  /** Objects relevant to routing that the engine does not simulate. */
  public get notSimulated(): readonly CoverageItem[] {
    return this.unsimulated.map((u) => u.item);
  }

  /** Counts and the unsimulated objects, for JSON output. */
  public summary(): CoverageSummary {
    let simulated = 0;
    let notRelevant = 0;
    for (const i of this.items) {
      if (i.status === 'simulated') simulated++;
      else if (i.status === 'not-relevant') notRelevant++;
    }
    return { simulated, notRelevant, notSimulated: this.notSimulated };
  }

  /** The unsimulated objects that could change an answer about `scope`. */
  public relevantTo(scope: AnswerScope): CoverageItem[] {
    const out: CoverageItem[] = [];
    for (const u of this.unsimulated) {
      const hit = u.affects ? u.affects(u.obj, scope) : makesSelectedPods(u.obj, scope);
      if (hit) out.push(u.item);
    }
    return out;
  }

  /**
   * Unsimulated objects whose pods a Service's selector would pick: its endpoints are then
   * unknown, not empty.
   */
  public podSourcesFor(service: { readonly namespace: string; readonly name: string; readonly selector?: Readonly<Record<string, string>> }): CoverageItem[] {
    return this.unsimulated.filter((u) => makesSelectedPods(u.obj, { service })).map((u) => u.item);
  }
}

/** `Kind namespace/name` of a classified object. */
export function describeItem(i: CoverageItem): string {
  return `${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name}`;
}

/** One line per unsimulated object: `Kind ns/name: reason`. */
export function coverageNote(items: readonly CoverageItem[]): string[] {
  return items.map((i) => `not simulated: ${describeItem(i)} (${i.source ? `${i.source.file}:${i.source.line}; ` : ''}${i.reason})`);
}

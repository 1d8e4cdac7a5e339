/**
 * The rule runner's reuse (`netkit diff`'s after side): rules with `scope: 'object'` check only the
 * changed objects and take the previous run's findings for the identical ones. The result must be
 * exactly a full run's: same violations, same order, whatever changed between the sets.
 */
import { Cluster } from '../../lib/engine/cluster';
import { fromObjects, type ManifestObject } from '../../lib/manifest';
import { identicalObjects } from '../../lib/diff/reuse';
import { runRules, type ValidationResult } from '../../lib/rules/runner';
import { RULES } from '../../lib/rules/registry';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function app(name: string, extra: { label?: string; probe?: string | number; hostPort?: number; suppress?: string } = {}): Json[] {
  const labels: Json = { app: name, ...(extra.label !== undefined ? { tier: extra.label } : {}) };
  const container: Json = { name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080, ...(extra.hostPort ? { hostPort: extra.hostPort } : {}) }] };
  if (extra.probe !== undefined) container.readinessProbe = { httpGet: { port: extra.probe, path: '/' } };
  const annotations = extra.suppress ? { [`netkit.io/suppress.${extra.suppress}`]: 'known' } : undefined;
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', ...(annotations ? { annotations } : {}) },
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: { containers: [container] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  ];
}

function route(name: string, path: string, extra: Json = {}): Json {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'shop' },
    spec: { parentRefs: [{ name: 'gw' }], hostnames: [`${name}.example.com`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name, port: 80 }] }], ...extra } };
}

const HEAD: Json[] = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'gc' }, spec: { controllerName: 'example.com/gc' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { gatewayClassName: 'gc', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } },
];

let withSource = true;

/** The objects as loaded; without their file and line when `withSource` is off (the order of findings then rests on the rules' own). */
function load(list: Json[], label: string): ManifestObject[] {
  const r = fromObjects(list, label);
  expect(r.errors).toEqual([]);
  return withSource ? r.objects : r.objects.map((o) => ({ ...o, source: undefined }));
}

function full(objects: readonly ManifestObject[]): ValidationResult {
  return runRules(objects, { cluster: Cluster.build(objects, undefined) });
}

/** Run `before` in full, then `after` with reuse and in full: the two after runs must agree. */
function check(beforeJson: Json[], afterJson: Json[], more: ManifestObject[] = []): ValidationResult {
  const before = load(beforeJson, 'before'); const after = [...load(afterJson, 'after'), ...more];
  const previous = full(before);
  const cluster = Cluster.build(after, undefined);
  const reused = runRules(after, { cluster, reuse: { previous, unchanged: identicalObjects(before, after) } });
  const expected = runRules(after, { cluster });
  expect(reused.violations).toEqual(expected.violations);
  expect(reused.crashes).toEqual(expected.crashes);
  // Suppressed findings are not violations, so the previous run cannot hand them over: not counted.
  expect(reused.suppressed).toBeLessThanOrEqual(expected.suppressed);
  return expected;
}

describe('rule runner reuse', () => {
  it('has object-scoped rules to reuse', () => {
    expect(RULES.filter((r) => r.scope === 'object').map((r) => r.id)).toEqual(expect.arrayContaining(['labels-invalid', 'probe-port-not-declared', 'httproute-invalid', 'service-invalid']));
  });

  it.each([true, false])('equals a full run when per-object findings appear, go, stay and move (objects with a source: %s)', (source) => {
    withSource = source;
    const before = [...HEAD,
      ...app('alpha', { label: 'bad value!' }), ...app('bravo', { probe: 'nope' }), ...app('charlie', { hostPort: 8080 }), ...app('delta'),
      route('alpha', '/'), route('bravo', 'no-slash'), route('charlie', '/')];
    const after = [...HEAD,
      // alpha keeps its finding; bravo's probe is fixed; charlie gets a bad label too; delta gets a probe finding.
      ...app('alpha', { label: 'bad value!' }), ...app('bravo'), ...app('charlie', { hostPort: 8080, label: '-x-' }), ...app('delta', { probe: 9999 }),
      // bravo's route is still invalid, charlie's becomes invalid, a new invalid route.
      route('alpha', '/'), route('bravo', 'no-slash'), route('charlie', 'bad'), route('echo', 'also-bad')];
    const r = check(before, after);
    const ids = new Set(r.violations.map((v) => v.ruleId));
    for (const id of ['labels-invalid', 'probe-port-not-declared', 'pod-host-port', 'httproute-invalid']) expect(ids).toContain(id);
    withSource = true;
  });

  it.each([true, false])('equals a full run when objects are reordered, repeated, suppressed or change apiVersion (objects with a source: %s)', (source) => {
    withSource = source;
    const before = [...HEAD, ...app('alpha', { label: 'bad value!' }), ...app('bravo', { label: 'bad value!', suppress: 'labels-invalid' }), route('alpha', 'x')];
    const twice = app('alpha', { label: 'bad value!' });
    const after = [route('alpha', 'x'), ...HEAD, ...app('bravo', { label: 'bad value!', suppress: 'labels-invalid' }), ...twice];
    const r = check(before, after);
    expect(r.suppressed).toBeGreaterThan(0);
    expect(r.violations.some((v) => v.ruleId === 'labels-invalid' && v.object.name === 'bravo')).toBe(false);
    // The same Deployment twice (a caller may pass any list; the loader would reject it): checked again.
    check(before, after, load([{ ...twice[0], spec: { ...twice[0].spec, replicas: 3, template: { ...twice[0].spec.template, metadata: { labels: { app: 'alpha', tier: '-y-' } } } } }], 'more'));
    // Same content, other apiVersion: not the same object.
    const v1beta1 = after.map((o) => (o.kind === 'HTTPRoute' ? { ...o, apiVersion: 'gateway.networking.k8s.io/v1beta1' } : o));
    check(after, v1beta1);
    // Unchanged objects with several findings each, in another order: taken over in this run's order.
    const many = [...HEAD, ...app('alpha', { label: 'bad value!', probe: 'nope' }), ...app('bravo', { label: '-z-', probe: 'none' })];
    check(many, [...many].reverse());
    withSource = true;
  });

  it('takes over nothing from a run where the rule crashed', () => {
    const before = load([...HEAD, ...app('alpha', { label: 'bad value!' })], 'before');
    const after = load([...HEAD, ...app('alpha', { label: 'bad value!' })], 'after');
    const previous = { violations: full(before).violations, crashes: [{ ruleId: 'labels-invalid', message: 'boom' }] };
    const cluster = Cluster.build(after, undefined);
    const reused = runRules(after, { cluster, reuse: { previous, unchanged: identicalObjects(before, after) } });
    expect(reused.violations).toEqual(runRules(after, { cluster }).violations);
    expect(reused.violations.some((v) => v.ruleId === 'labels-invalid')).toBe(true);
  });
});

import { fromObjects } from '../../lib/manifest';
import { RULES, type Rule, RuleContext, runRules, validateObjects, failing, unknownRuleIds } from '../../lib/rules';

const deployment = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' } } }] } } },
});
const service = (selector: Record<string, string>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { selector, ports: [{ port: 80, targetPort: 'http' }] },
});
const load = (objs: unknown[]) => {
  const r = fromObjects(objs, 'test.yaml');
  expect(r.errors).toEqual([]);
  return r.objects;
};
const ids = (objs: unknown[], opts = {}) => validateObjects(load(objs), opts).map((v) => v.ruleId);

describe('rule registry', () => {
  test('ids are unique kebab-case and every rule is documented', () => {
    const seen = new Set<string>();
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(seen.has(r.id)).toBe(false);
      seen.add(r.id);
      for (const text of [r.summary, r.why, r.fix, r.mirrors]) expect(text.length).toBeGreaterThan(10);
    }
  });
});

describe('runner', () => {
  test('a routing violation carries rule, object, source line, field path, message and fix', () => {
    const [v] = validateObjects(load([deployment({ app: 'web' }), service({ app: 'wbe' })]));
    expect(v).toMatchObject({
      ruleId: 'service-selects-no-pod', severity: 'error', object: { kind: 'Service', namespace: 'shop', name: 'web' },
      source: { file: 'test.yaml', line: 2 }, path: 'spec.selector',
    });
    expect(v.message).toContain('app=wbe');
    expect(v.fix).toMatch(/selector/);
  });

  test('an annotation with a reason suppresses the rule on that object only', () => {
    const objs = [deployment({ app: 'web' }), service({ app: 'wbe' }, { 'netkit.io/suppress.service-selects-no-pod': 'pods come from another repo' })];
    const r = runRules(load(objs));
    expect(r.violations.map((v) => v.ruleId)).toEqual([]);
    expect(r.suppressed).toBe(1);
  });

  test('an empty reason does not suppress and is a violation of its own', () => {
    const objs = [deployment({ app: 'web' }), service({ app: 'wbe' }, { 'netkit.io/suppress.service-selects-no-pod': ' ' })];
    expect(ids(objs).sort()).toEqual(['service-selects-no-pod', 'suppression-invalid']);
  });

  test('a suppression of an unknown rule is reported', () => {
    const objs = [deployment({ app: 'web' }, { 'netkit.io/suppress.no-such-rule': 'typo' }), service({ app: 'web' })];
    const v = validateObjects(load(objs));
    expect(v.map((x) => x.ruleId)).toEqual(['suppression-invalid']);
    expect(v[0].message).toContain('no-such-rule');
  });

  test('config turns a rule off or changes its severity', () => {
    const objs = [deployment({ app: 'web' }), service({ app: 'wbe' })];
    expect(ids(objs, { rules: { 'service-selects-no-pod': 'off' } })).toEqual([]);
    const [v] = validateObjects(load(objs), { rules: { 'service-selects-no-pod': 'info' } });
    expect(v.severity).toBe('info');
    expect(failing([v], 'warning')).toEqual([]);
    expect(failing([v], 'error')).toEqual([]);
    expect(unknownRuleIds({ 'service-selects-no-pod': 'off', 'nope': 'off' })).toEqual(['nope']);
  });

  test('a crashing rule becomes a crash, the other rules still run', () => {
    const boom: Rule = { ...RULES[0], id: 'boom', check: () => { throw new Error('kaput'); } };
    const objs = load([deployment({ app: 'web' }), service({ app: 'wbe' })]);
    const r = runRules(objs, { ruleSet: [boom, ...RULES] });
    expect(r.crashes).toEqual([{ ruleId: 'boom', message: 'kaput' }]);
    expect(r.violations.map((v) => v.ruleId)).toEqual(['service-selects-no-pod']);
    expect(validateObjects(objs, { ruleSet: [boom] }).map((v) => v.ruleId)).toEqual(['internal-error']);
  });

  test('the construct path annotation is carried into the violation', () => {
    const svc = service({ app: 'wbe' }, { 'netkit.io/construct-path': 'shop/web-svc' });
    const [v] = validateObjects(load([deployment({ app: 'web' }), svc]));
    expect(v.constructPath).toBe('shop/web-svc');
  });
});

describe('cluster size', () => {
  test('without a profile, inputs with more pods than 3 nodes hold get enough nodes', () => {
    const big = { ...deployment({ app: 'web' }), spec: { ...deployment({ app: 'web' }).spec, replicas: 1500 } };
    const objs = load([big, service({ app: 'web' })]);
    expect(new RuleContext(objs).cluster.pods.size).toBe(1500);
    expect(new RuleContext(objs).cluster.nodes.size).toBeGreaterThan(3);
    expect(new RuleContext(load([deployment({ app: 'web' })])).cluster.nodes.size).toBe(3);
    expect(runRules(objs).violations.map((v) => v.ruleId)).toEqual([]);
  });
});

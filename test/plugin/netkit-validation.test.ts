import { NetkitValidation, type PluginContext, type PluginViolation } from '../../lib/plugin';
import { NetkitValidation as FromMain } from '../../lib';

/** A stand-in for cdk8s-cli's ValidationContext: documents per path, a report that records calls. */
function fakeContext(files: Record<string, unknown[] | Error>) {
  const violations: PluginViolation[] = [];
  const submits: { status: string; metadata?: Readonly<Record<string, string>> }[] = [];
  const ctx: PluginContext = {
    manifests: Object.keys(files),
    parseManifest: (p) => {
      const docs = files[p];
      if (docs instanceof Error) throw docs;
      return docs;
    },
    report: {
      addViolation: (v) => {
        if (submits.length > 0) throw new Error('report already submitted');
        violations.push(v);
      },
      submit: (status, metadata) => { submits.push({ status, metadata }); },
    },
  };
  return { ctx, violations, submits };
}

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' } } }] } } },
};
const service = (selector: Record<string, string>, type = 'ClusterIP') => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type, selector, ports: [{ port: 80, targetPort: 'http' }] },
});

describe('NetkitValidation (cdk8s plugin)', () => {
  test('is exported from the package main', () => {
    expect(FromMain).toBe(NetkitValidation);
  });

  test('clean manifests: success, no violations, metadata with counts', async () => {
    const f = fakeContext({ 'dist/a.k8s.yaml': [deployment, service({ app: 'web' })] });
    await new NetkitValidation().validate(f.ctx);
    expect(f.violations).toEqual([]);
    expect(f.submits).toHaveLength(1);
    expect(f.submits[0].status).toBe('success');
    expect(f.submits[0].metadata).toMatchObject({ violations: '0', failOn: 'error' });
  });

  test('an error violation fails the report and names the resource, manifest and JSON path', async () => {
    const f = fakeContext({ 'dist/a.k8s.yaml': [deployment, service({ app: 'wbe' })] });
    await new NetkitValidation().validate(f.ctx);
    expect(f.submits.map((s) => s.status)).toEqual(['failure']);
    expect(f.violations).toHaveLength(1);
    expect(f.violations[0]).toMatchObject({
      ruleName: 'service-selects-no-pod [error]',
      violatingResources: [{ resourceName: 'web', manifestPath: 'dist/a.k8s.yaml', locations: ['spec.selector'] }],
    });
    expect(f.violations[0].recommendation).toContain('app=wbe');
  });

  test('warnings are reported but fail only with failOn: warning', async () => {
    const files = { 'a.yaml': [deployment, service({ app: 'web' }, 'NodePort')] };
    const lenient = fakeContext(files);
    await new NetkitValidation().validate(lenient.ctx);
    expect(lenient.violations.map((v) => v.ruleName)).toEqual(['service-exposed-without-source-ranges [warning]']);
    expect(lenient.submits[0].status).toBe('success');
    const strict = fakeContext(files);
    await new NetkitValidation({ failOn: 'warning' }).validate(strict.ctx);
    expect(strict.submits[0].status).toBe('failure');
  });

  test('rules property turns rules off and changes severities', async () => {
    const files = { 'a.yaml': [deployment, service({ app: 'wbe' })] };
    const off = fakeContext(files);
    await new NetkitValidation({ rules: { 'service-selects-no-pod': 'off' } }).validate(off.ctx);
    expect(off.violations).toEqual([]);
    const info = fakeContext(files);
    await new NetkitValidation({ rules: { 'service-selects-no-pod': 'info' } }).validate(info.ctx);
    expect(info.violations.map((v) => v.ruleName)).toEqual(['service-selects-no-pod [info]']);
    expect(info.submits[0].status).toBe('success');
  });

  test('bad properties fail the report instead of throwing', async () => {
    const f = fakeContext({ 'a.yaml': [deployment] });
    const plugin = new NetkitValidation({ failOn: 'fatal' as 'error', rules: { 'no-such-rule': 'off' } });
    await plugin.validate(f.ctx);
    expect(f.submits[0].status).toBe('failure');
    expect(f.violations.map((v) => v.recommendation).join('\n')).toMatch(/failOn.*fatal[\s\S]*no-such-rule/);
  });

  test('an unreadable manifest or invalid document becomes a failed report', async () => {
    const f = fakeContext({ 'bad.yaml': new Error('Nested mappings are not allowed'), 'b.yaml': [{ kind: 'Service' }] });
    await new NetkitValidation().validate(f.ctx);
    expect(f.submits[0].status).toBe('failure');
    expect(f.violations.map((v) => v.ruleName)).toEqual(['manifest-unreadable', 'manifest-invalid', 'manifest-invalid']);
  });

  test('a crash anywhere still submits exactly one failed report', async () => {
    const f = fakeContext({ 'a.yaml': [deployment] });
    const ctx: PluginContext = { ...f.ctx, get manifests(): readonly string[] { throw new Error('boom'); } };
    await expect(new NetkitValidation().validate(ctx)).resolves.toBeUndefined();
    expect(f.submits).toEqual([{ status: 'failure', metadata: { error: 'boom' } }]);
  });
});

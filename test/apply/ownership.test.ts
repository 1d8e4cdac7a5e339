import { applyOrder, applySteps, deleteOrder, pinsAllocation } from '../../lib/apply/order';
import { pruneDecision } from '../../lib/apply/ownership';
import { REDACTED, Redactor } from '../../lib/apply/redact';
import type { KubeObject } from '../../lib/apply/types';

describe('apply order', () => {
  test('namespaces and CRDs first, config before Services before workloads, custom resources then webhooks last; stable within a kind', () => {
    const kinds = ['Deployment', 'Widget', 'ValidatingWebhookConfiguration', 'Service', 'ConfigMap', 'CustomResourceDefinition', 'Namespace', 'Service', 'Ingress', 'ServiceAccount'];
    const items = kinds.map((kind, i) => ({ kind, i }));
    expect(applyOrder(items).map((x) => `${x.kind}${x.i}`)).toEqual([
      'Namespace6', 'CustomResourceDefinition5', 'ServiceAccount9', 'ConfigMap4', 'Service3', 'Service7', 'Deployment0', 'Ingress8', 'Widget1', 'ValidatingWebhookConfiguration2',
    ]);
    expect(deleteOrder(items)[0].kind).toBe('ValidatingWebhookConfiguration');
    expect(deleteOrder(items).at(-1)?.kind).toBe('Namespace');
  });

  test('steps: one per rank in apply order (a kind, or all custom resources), manifest order within', () => {
    const kinds = ['Service', 'Gadget', 'Deployment', 'Widget', 'Service', 'Namespace', 'Deployment'];
    const steps = applySteps(kinds.map((kind, i) => ({ kind, i })));
    expect(steps.map((s) => s.map((x) => `${x.kind}${x.i}`).join(' '))).toEqual(['Namespace5', 'Service0 Service4', 'Deployment2 Deployment6', 'Gadget1 Widget3']);
    expect(applySteps([])).toEqual([]);
  });

  test('Services that ask for a clusterIP or nodePort go one at a time, in file order, ahead of the rest of their kind', () => {
    const svc = (name: string, spec: Record<string, unknown>) => ({ kind: 'Service', name, spec });
    const items = [
      { kind: 'Deployment', name: 'web', spec: {} },
      svc('auto', { ports: [{ port: 80 }] }),
      svc('ip-b', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] }),
      svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      svc('ip-a', { clusterIPs: ['10.96.0.20'], ports: [{ port: 80 }] }),
      svc('hc', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, ports: [{ port: 80 }] }),
    ];
    const steps = applySteps(items, pinsAllocation);
    expect(steps.map((s) => s.map((x) => x.name).join(' '))).toEqual(['ip-b', 'np', 'ip-a', 'hc', 'auto headless', 'web']);
    expect(items.filter(pinsAllocation).map((x) => x.name)).toEqual(['ip-b', 'np', 'ip-a', 'hc']);
    expect(pinsAllocation({ kind: 'Service', spec: { clusterIP: '', ports: [{ port: 80, nodePort: 0 }] } })).toBe(false);
    expect(pinsAllocation({ kind: 'ConfigMap', spec: { clusterIP: '10.96.0.1' } })).toBe(false);
  });
});

describe('ownership', () => {
  const ours = (over: Partial<KubeObject['metadata']> = {}, kind = 'ConfigMap'): KubeObject => ({
    apiVersion: 'v1', kind, metadata: { name: 'old', namespace: 'shop', managedFields: [{ manager: 'netkit', operation: 'Apply' }], ...over },
  });

  test('prune decisions', () => {
    const desired = new Set(['/ConfigMap/shop/kept']);
    expect(pruneDecision(ours(), desired)).toEqual({ prune: true });
    expect(pruneDecision(ours({ name: 'kept' }), desired)).toEqual({ prune: false, why: 'still in the manifests' });
    expect(pruneDecision(ours({ namespace: undefined }, 'Namespace'), desired).prune).toBe(false);
    expect(pruneDecision(ours({ ownerReferences: [{ kind: 'Service', name: 'web', controller: true }] }), desired)).toEqual({ prune: false, why: 'owned by a controller' });
    expect(pruneDecision(ours({ managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] }), desired).prune).toBe(false);
    expect(pruneDecision(ours({ managedFields: [{ manager: 'netkit', operation: 'Update' }] }), desired).prune).toBe(false);
    expect(pruneDecision(ours({ deletionTimestamp: '2025-01-01T00:00:00Z' }), desired).prune).toBe(false);
    // Applied by this run under another identity (e.g. listed under a different version): kept by uid.
    expect(pruneDecision(ours({ uid: 'u1' }), desired, new Set(['u1']))).toEqual({ prune: false, why: 'applied by this run' });
  });
});

describe('Redactor', () => {
  test('masks kubeconfig secrets and token-shaped strings', () => {
    const r = new Redactor(['s3cr3t-token-value', 'abc', undefined]);
    expect(r.redact('401: token s3cr3t-token-value rejected')).toBe(`401: token ${REDACTED} rejected`);
    expect(r.redact('Authorization: Bearer abc.def.ghi-jkl')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.redact('sent bearer 0123456789abcdef')).toBe(`sent Bearer ${REDACTED}`);
    expect(r.redact('{"token": "zzzzzzzzzz", "password":"hunter22"}')).toBe(`{"token": "${REDACTED}", "password":"${REDACTED}"}`);
    expect(r.redact('jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl end')).toBe(`jwt ${REDACTED} end`);
    // Short secrets are masked as whole words only (inside other words they would mask ordinary text).
    expect(r.redact('abc Service web/web created; abcdef')).toBe(`${REDACTED} Service web/web created; abcdef`);
    const lines: string[] = [];
    r.wrap({ write: (t: string) => lines.push(t) }).write('x s3cr3t-token-value');
    expect(lines).toEqual([`x ${REDACTED}`]);
  });
});

describe('Redactor, shapes of credentials', () => {
  const r = new Redactor(['pw']);
  test('user-info in URLs, PEM blocks, short passwords as words, key-value secrets', () => {
    expect(r.redact('Get "https://admin:pw@127.0.0.1:6443/version": dial tcp')).toBe(`Get "https://${REDACTED}@127.0.0.1:6443/version": dial tcp`);
    expect(r.redact('proxy http://u:p%40ss@proxy.local:3128 refused')).toBe(`proxy http://${REDACTED}@proxy.local:3128 refused`);
    expect(r.redact('key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end')).toBe(`key: ${REDACTED} end`);
    expect(r.redact('user admin, password pw, and pwd')).toBe(`user admin, password ${REDACTED}, and pwd`);
    expect(r.redact('id-token=abc123456 client-secret: "s3"')).toBe(`id-token=${REDACTED} client-secret: "${REDACTED}"`);
  });
  test('multi-line secrets are masked whole and line by line', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----';
    const m = new Redactor([pem]);
    expect(m.redact('bad cert line MIIBszCCAVmgAwIBAgIUQ here')).toBe(`bad cert line ${REDACTED} here`);
  });
});

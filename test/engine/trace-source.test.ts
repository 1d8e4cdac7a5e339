/** The text forms of a trace's ends: `--from` specs (workloads, selectors) and `host:port` targets. */
import { parseSourceSpec, parseTraceTarget, resolveSource, TraceSourceSyntaxError, TraceTargetSyntaxError } from '../../lib/engine/trace-source';
import { build, deployment, pod, statefulSet } from './engine-helpers';

const inNs = (o: Record<string, unknown>, namespace: string): Record<string, unknown> => ({ ...o, metadata: { ...(o.metadata as object), namespace } });

// web in shop and in staging (the same name twice), api only in shop, postgres (a StatefulSet) in data, a bare pod in default.
const cluster = build([
  inNs(deployment('web', 3, { app: 'web' }), 'shop'),
  inNs(deployment('web', 1, { app: 'web' }), 'staging'),
  inNs(deployment('api', 2, { app: 'api' }), 'shop'),
  inNs(statefulSet('postgres', 3, 'postgres', { app: 'postgres' }), 'data'),
  inNs(pod('client', { app: 'client' }, []), 'default'),
]);
const podsOf = (ns: string, prefix: string): string[] => [...cluster.pods.keys()].filter((k) => k.startsWith(`${ns}/${prefix}`)).sort();

describe('parseSourceSpec', () => {
  test('kubectl TYPE/NAME forms with resource names and short names', () => {
    for (const t of ['deploy', 'deployment', 'deployments']) expect(parseSourceSpec(`${t}/web`)).toEqual({ workload: { kind: 'Deployment', name: 'web' } });
    for (const t of ['sts', 'statefulset', 'statefulsets']) expect(parseSourceSpec(`${t}/pg`)).toEqual({ workload: { kind: 'StatefulSet', name: 'pg' } });
    for (const t of ['ds', 'daemonset']) expect(parseSourceSpec(`${t}/agent`)).toEqual({ workload: { kind: 'DaemonSet', name: 'agent' } });
    for (const t of ['po', 'pod', 'pods']) expect(parseSourceSpec(`${t}/client`)).toEqual({ workload: { kind: 'Pod', name: 'client' } });
  });

  test('NAMESPACE/NAME, pod:, node:, external: and selectors keep their meaning', () => {
    expect(parseSourceSpec('shop/web-0')).toEqual({ source: { pod: 'shop/web-0' } });
    expect(parseSourceSpec('pod:shop/web-0')).toEqual({ source: { pod: 'shop/web-0' } });
    expect(parseSourceSpec('node:node-1')).toEqual({ source: { node: 'node-1' } });
    expect(parseSourceSpec('external:198.51.100.1')).toEqual({ source: { external: '198.51.100.1' } });
    expect(parseSourceSpec('app=web')).toMatchObject({ selector: { text: 'app=web' } });
  });

  test('a bare name lists every accepted form', () => {
    expect(() => parseSourceSpec('web')).toThrow(TraceSourceSyntaxError);
    expect(() => parseSourceSpec('web')).toThrow('--from web: expected pod:NAMESPACE/NAME, NAMESPACE/NAME, deploy/NAME, sts/NAME, ds/NAME, pod/NAME (with -n), node:NAME, external:IP or pod labels such as app=web');
  });
});

describe('resolveSource', () => {
  test('deploy/NAME with -n: the first ready pod of that Deployment, and says so', () => {
    const r = resolveSource(parseSourceSpec('deploy/web'), cluster, 'shop');
    expect(r).toEqual({ ok: true, source: { pod: podsOf('shop', 'web-')[0] }, chosen: `pod ${podsOf('shop', 'web-')[0]}, the first ready pod of deployment shop/web (3 pods)` });
  });

  test('without -n: default, else the only namespace that has it; two namespaces is an error naming both', () => {
    expect(resolveSource(parseSourceSpec('deploy/api'), cluster)).toMatchObject({ ok: true, source: { pod: podsOf('shop', 'api-')[0] } });
    expect(resolveSource(parseSourceSpec('deploy/web'), cluster)).toEqual({ ok: false, message: 'deployment web is in namespaces shop, staging: pass -n to choose one' });
    expect(resolveSource(parseSourceSpec('pod/client'), cluster)).toEqual({ ok: true, source: { pod: 'default/client' } });
  });

  test('sts/NAME picks the first ordinal; a wrong -n names the namespace that has it', () => {
    expect(resolveSource(parseSourceSpec('sts/postgres'), cluster, 'data')).toMatchObject({ ok: true, source: { pod: 'data/postgres-0' } });
    expect(resolveSource(parseSourceSpec('sts/postgres'), cluster, 'shop')).toEqual({ ok: false, message: 'no statefulset postgres with pods in namespace shop (there is one in namespace data)' });
    expect(resolveSource(parseSourceSpec('deploy/nope'), cluster)).toEqual({ ok: false, message: 'no deployment nope with pods in any namespace' });
    // A Deployment is not a StatefulSet of the same name.
    expect(resolveSource(parseSourceSpec('sts/web'), cluster, 'shop')).toMatchObject({ ok: false });
  });

  test('a selector: the first matching pod, in every namespace or in -n; the note says it was chosen by the selector', () => {
    const all = resolveSource(parseSourceSpec('app=web'), cluster);
    expect(all).toEqual({ ok: true, source: { pod: podsOf('shop', 'web-')[0] }, chosen: `pod ${podsOf('shop', 'web-')[0]}, chosen by the selector app=web: the first of 4 matching pods` });
    const staging = resolveSource(parseSourceSpec('app=web'), cluster, 'staging');
    expect(staging).toEqual({ ok: true, source: { pod: podsOf('staging', 'web-')[0] }, chosen: `pod ${podsOf('staging', 'web-')[0]}, chosen by the selector app=web: the first of 1 matching pod in namespace staging` });
    expect(resolveSource(parseSourceSpec('app=web'), cluster, 'data')).toEqual({ ok: false, message: 'no pod in namespace data has these labels (see `netkit routes` for the pods)' });
  });

  test('a ready pod is preferred over an unready one', () => {
    const first = podsOf('shop', 'web-')[0];
    const c = build([inNs(deployment('web', 3, { app: 'web' }), 'shop')]);
    c.apply({ type: 'setPodReady', pod: first, ready: false });
    const r = resolveSource(parseSourceSpec('deploy/web'), c, 'shop');
    expect(r.ok && r.source).toEqual({ pod: podsOf('shop', 'web-')[1] });
  });
});

describe('parseTraceTarget', () => {
  test('host, host:port, host:port-name, IP:port, bare and bracketed IPv6', () => {
    expect(parseTraceTarget('web')).toEqual({ host: 'web' });
    expect(parseTraceTarget('web:80')).toEqual({ host: 'web', port: 80 });
    expect(parseTraceTarget('web.shop:http')).toEqual({ host: 'web.shop', port: 'http' });
    expect(parseTraceTarget('web.shop.svc.cluster.local:8080')).toEqual({ host: 'web.shop.svc.cluster.local', port: 8080 });
    expect(parseTraceTarget('10.96.0.10:53')).toEqual({ host: '10.96.0.10', port: 53 });
    expect(parseTraceTarget('10.96.0.10')).toEqual({ host: '10.96.0.10' });
    expect(parseTraceTarget('fd00::1')).toEqual({ host: 'fd00::1' });
    expect(parseTraceTarget('[fd00::1]:443')).toEqual({ host: 'fd00::1', port: 443 });
  });

  test('bad ports and unbracketed IPv6 with a port are errors that say the form', () => {
    expect(() => parseTraceTarget('web:0')).toThrow('web:0: port 0 is not 1-65535');
    expect(() => parseTraceTarget('web:65536')).toThrow('not 1-65535');
    expect(() => parseTraceTarget('web:HTTP')).toThrow('"HTTP" is neither a port number nor a port name');
    expect(() => parseTraceTarget('web:a-very-long-port-name')).toThrow(TraceTargetSyntaxError);
    expect(() => parseTraceTarget('fd00::1:80x')).toThrow('expected HOST, HOST:PORT or HOST:PORT-NAME');
    expect(() => parseTraceTarget(':80')).toThrow('no host before the port');
  });
});

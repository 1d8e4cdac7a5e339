/** Builders for L7 tests: plain objects in, a cluster and its L7 model out. */
import { L7Model, type HttpRequest, type L7Options, type L7Trace } from '../../../lib/engine/l7';
import { build, deployment, service } from '../engine-helpers';

type Json = Record<string, unknown>;

/** Cluster + L7 model from plain objects (fails the test on manifest errors). */
export function model(objs: unknown[], options: L7Options = {}): L7Model {
  return L7Model.build(build(objs), options);
}

/** A Deployment `app` with `replicas` pods labelled app=<app> (+ extra labels) serving http on 8080. */
export function app(name: string, replicas = 1, labels: Record<string, string> = {}, namespace?: string): Json {
  const d = deployment(name, replicas, { app: name, ...labels });
  return namespace ? { ...d, metadata: { name, namespace } } : d;
}

/** A ClusterIP Service `name` selecting app=<selectApp> with port 80 named http (-> 8080). */
export function svc(name: string, selectApp = name, opts: { namespace?: string; ports?: Json[]; selector?: Record<string, string> } = {}): Json {
  const meta = opts.namespace ? { namespace: opts.namespace } : {};
  return service(name, { selector: opts.selector ?? { app: selectApp }, ports: opts.ports ?? [{ name: 'http', port: 80, targetPort: 8080 }] }, meta);
}

/** An Ingress. */
export function ingress(name: string, spec: Json, meta: Json = {}): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, ...meta }, spec };
}

/** An Ingress backend to Service `name` port 80 (or a port name). */
export function backend(name: string, port: number | string = 80): Json {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

/** An HTTPRoute. */
export function httpRoute(name: string, spec: Json, meta: Json = {}): Json {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, ...meta }, spec };
}

/** A Gateway with listeners. */
export function gateway(name: string, listeners: Json[], meta: Json = {}, className = 'netkit'): Json {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, ...meta }, spec: { gatewayClassName: className, listeners } };
}

/** The GatewayClass `netkit`. */
export const gatewayClass: Json = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gateway' } };

/** An Istio object. */
export function istio(kind: string, name: string, spec: Json, meta: Json = {}): Json {
  return { apiVersion: 'networking.istio.io/v1', kind, metadata: { name, ...meta }, spec };
}

/** The Services (namespace/name) a trace forwards to with a nonzero share, sorted. */
export function services(t: L7Trace): string[] {
  return t.backends.filter((b) => b.probability > 0 && !b.invalid).map((b) => b.service).sort();
}

/** The single Service a trace reaches, `-` when it fails, `redirect <status> <location>` for redirects. */
export function target(m: L7Model, req: HttpRequest | string): string {
  const t = m.request(typeof req === 'string' ? { url: req } : req);
  if (t.response) return `${t.response.status}${t.response.location ? ` ${t.response.location}` : ''}`;
  if (!t.ok) return `- ${t.failure?.code}`;
  const s = services(t);
  return s.length === 1 ? s[0].replace(/^default\//, '') : s.join(',');
}

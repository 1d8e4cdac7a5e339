/** A shop with HTTP routing: an Ingress (nginx class) and a Gateway API route with a weighted split. */
import type { ManifestObject } from '../../lib/manifest';
import { load } from './support';

function app(name: string, namespace: string, labels: Record<string, string> = {}, replicas = 2): unknown[] {
  const podLabels = { app: name, ...labels };
  return [{
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { tcpSocket: { port: 8080 } } }] } } },
  }];
}

function service(name: string, namespace: string, selector: Record<string, string>): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
}

/** Namespace `shop`: web, cart (Ingress); namespace `api`: api-v1 / api-v2 behind a Gateway HTTPRoute 90/10. */
export function l7Objects(): ManifestObject[] {
  return load([
    ...app('web', 'shop'), service('web', 'shop', { app: 'web' }),
    ...app('cart', 'shop'), service('cart', 'shop', { app: 'cart' }),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'shop.example.com', http: { paths: [
          { path: '/cart', pathType: 'Prefix', backend: { service: { name: 'cart', port: { number: 80 } } } },
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
        ] } }],
      },
    },
    ...app('api', 'api', { version: 'v1' }, 2).map((d) => ({ ...(d as object), metadata: { name: 'api-v1', namespace: 'api' } })),
    ...app('api', 'api', { version: 'v2' }, 1).map((d) => ({ ...(d as object), metadata: { name: 'api-v2', namespace: 'api' } })),
    service('api-v1', 'api', { app: 'api', version: 'v1' }), service('api-v2', 'api', { app: 'api', version: 'v2' }),
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'netkit' }, spec: { controllerName: 'example.com/gateway' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'api' },
      spec: { gatewayClassName: 'netkit', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com' }] },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'api' },
      spec: {
        parentRefs: [{ name: 'public' }], hostnames: ['api.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v1' } }], backendRefs: [{ name: 'api-v1', port: 80, weight: 90 }, { name: 'api-v2', port: 80, weight: 10 }] }],
      },
    },
  ]);
}

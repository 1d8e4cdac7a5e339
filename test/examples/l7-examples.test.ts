import { Testing } from 'cdk8s';
import { BookinfoMeshChart } from '../../examples/bookinfo-mesh';
import { CanaryGatewayChart } from '../../examples/canary-gateway';
import { ShopIngressChart } from '../../examples/shop-ingress';
import { findObject, KubeJson } from '../support/synth';

const kinds = (objects: KubeJson[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('the L7 examples synthesize as their authors meant', () => {
  test('shop-ingress: one TLS host, Prefix and Exact paths, ports by name and number', () => {
    const objects = Testing.synth(new ShopIngressChart(Testing.app(), 'shop-ingress')) as KubeJson[];
    expect(kinds(objects)).toEqual(['Deployment/api', 'Deployment/frontend', 'Ingress/shop', 'IngressClass/nginx', 'Service/api', 'Service/frontend']);
    const backend = (service: string, port: number | string) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });
    expect(findObject(objects, 'Ingress', 'shop').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }],
      rules: [{
        host: 'shop.example.com',
        http: { paths: [
          { path: '/', pathType: 'Prefix', backend: backend('frontend', 'http') },
          { path: '/api', pathType: 'Prefix', backend: backend('api', 'http') },
          { path: '/api/status', pathType: 'Exact', backend: backend('api', 8081) },
          { path: '/healthz', pathType: 'Exact', backend: backend('frontend', 80) },
        ] },
      }],
    });
    expect(findObject(objects, 'IngressClass', 'nginx').metadata.namespace).toBeUndefined();
  });

  test('canary-gateway: two versions behind their own Services, one weighted HTTPRoute', () => {
    const objects = Testing.synth(new CanaryGatewayChart(Testing.app(), 'canary-gateway')) as KubeJson[];
    expect(kinds(objects)).toEqual([
      'Deployment/checkout-v1', 'Deployment/checkout-v2', 'Gateway/public', 'GatewayClass/envoy', 'HTTPRoute/checkout', 'Service/checkout-v1', 'Service/checkout-v2',
    ]);
    expect(findObject(objects, 'Deployment', 'checkout-v1').spec?.replicas).toBe(4);
    expect(findObject(objects, 'HTTPRoute', 'checkout').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }],
      hostnames: ['checkout.example.com'],
      rules: [
        { name: 'testers', matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-canary', value: 'always' }] }], backendRefs: [{ name: 'checkout-v2', port: 80 }] },
        { name: 'split', backendRefs: [{ name: 'checkout-v1', port: 80, weight: 90 }, { name: 'checkout-v2', port: 80, weight: 10 }], timeouts: { request: '10s' } },
      ],
    });
  });

  test('bookinfo-mesh: four services, six versions, subsets and routes', () => {
    const objects = Testing.synth(new BookinfoMeshChart(Testing.app(), 'bookinfo-mesh')) as KubeJson[];
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort())
      .toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(findObject(objects, 'DestinationRule', 'reviews').spec).toEqual({
      host: 'reviews',
      subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
    expect(findObject(objects, 'VirtualService', 'reviews').spec).toEqual({
      hosts: ['reviews'],
      http: [
        { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
        { name: 'default', route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
      ],
    });
    expect(findObject(objects, 'VirtualService', 'bookinfo').spec).toMatchObject({ hosts: ['*'], gateways: ['bookinfo-gateway'] });
    expect(findObject(objects, 'Gateway', 'bookinfo-gateway').spec).toEqual({
      selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    // Every Service port is named for the mesh's protocol detection.
    for (const svc of objects.filter((o) => o.kind === 'Service')) expect(svc.spec?.ports).toEqual([{ port: 9080, name: 'http', targetPort: 'http' }]);
  });
});

/**
 * Objects are identified by API group as well as kind: an Istio Gateway and a Gateway API
 * Gateway with the same namespace/name both load, both reach the cluster, and both serve.
 */
import { fromObjects } from '../../lib/manifest';
import { Cluster } from '../../lib/engine/cluster';
import { L7Model } from '../../lib/engine/l7';

const objects = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'envoy' }, spec: { controllerName: 'example.com/envoy' } },
  {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'edge' },
    spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
  },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'edge' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  },
];

test('an Istio Gateway and a Gateway API Gateway of the same name are two objects with two entry points', () => {
  const loaded = fromObjects(objects);
  expect(loaded.errors).toEqual([]);
  const cluster = Cluster.build(loaded.objects);
  expect([...cluster.objects.keys()].filter((k) => /^Gateway[./]/.test(k)).sort()).toEqual(['Gateway.networking.istio.io/edge/public', 'Gateway/edge/public']);
  const ids = L7Model.build(cluster).entryPoints().map((e) => e.id);
  expect(ids).toEqual(expect.arrayContaining(['gateway:edge/public/http', expect.stringMatching(/^istio-gateway:edge\/public\//)]));
});

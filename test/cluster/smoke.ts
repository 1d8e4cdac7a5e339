/**
 * Smoke check of the local control plane (test/cluster/up): through `@kubernetes/client-node`
 * and the written kubeconfig, create a namespace, a Deployment with 3 replicas and a Service,
 * wait until the EndpointSlice controller publishes 3 ready endpoints, check each endpoint
 * against the cluster profile (IP inside its node's podCIDR, zone of its node), print the slice
 * and the settle time, then delete the namespace and wait until it is gone.
 *
 * This exercises apiserver admission (ServiceAccount), the serviceaccount, deployment,
 * replicaset, endpoints, endpointslice, namespace and garbage-collector controllers, the
 * scheduler and KWOK. Exit 0 when all checks pass, 1 otherwise.
 *
 * Usage: ts-node --transpile-only test/cluster/smoke.ts (KUBECONFIG, default .cluster/kubeconfig)
 */
import * as path from 'path';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import { defaultProfile } from '../../lib/engine/profile';
import { cidrContains, parseIPv4Cidr as parseCIDR, parseIPv4 } from '../../lib/k8s/ip';

const REPLICAS = 3;
const APP = 'smoke';

function inCIDR(ip: string, cidr: string): boolean {
  const net = parseCIDR(cidr);
  const addr = parseIPv4(ip);
  return net !== undefined && addr !== undefined && cidrContains(net, addr);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function readyCount(slices: readonly V1EndpointSlice[]): number {
  return slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length;
}

async function main(): Promise<void> {
  const kc = new KubeConfig();
  const file = process.env.KUBECONFIG ?? path.join(__dirname, '..', '..', '.cluster', 'kubeconfig');
  kc.loadFromFile(file);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const namespace = `netkit-smoke-${Date.now().toString(36)}`;
  const labels = { app: APP };
  const failures: string[] = [];

  const t0 = Date.now();
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  try {
    // The ServiceAccount admission plugin refuses pods until the namespace's default SA exists.
    await waitFor('the default ServiceAccount', 30_000, async () =>
      (await core.listNamespacedServiceAccount({ namespace })).items.some((sa) => sa.metadata?.name === 'default') ? true : undefined);
    const tCreate = Date.now();
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: APP, labels },
        spec: {
          replicas: REPLICAS,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{
                name: 'web',
                image: 'registry.invalid/smoke:1',
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              }],
            },
          },
        },
      },
    });
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: APP }, spec: { selector: labels, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } },
    });
    const slices = await waitFor(`${REPLICAS} ready endpoints in the EndpointSlices of Service ${namespace}/${APP}`, 60_000, async () => {
      const list = await discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${APP}` });
      return readyCount(list.items) === REPLICAS ? list.items : undefined;
    });
    const settleMs = Date.now() - tCreate;

    const nodes = new Map(defaultProfile().nodes.map((n) => [n.name, n]));
    for (const slice of slices) {
      const ports = (slice.ports ?? []).map((p) => `${p.name ?? ''}:${p.port ?? '?'}/${p.protocol ?? 'TCP'}`).join(',');
      console.log(`EndpointSlice ${namespace}/${slice.metadata?.name ?? '?'} addressType=${slice.addressType} ports=${ports}`);
      if (ports !== 'web:8080/TCP') failures.push(`slice ports ${ports}, expected web:8080/TCP (targetPort "http" resolved per pod)`);
      for (const e of slice.endpoints ?? []) {
        const ip = e.addresses[0];
        const node = nodes.get(e.nodeName ?? '');
        console.log(`  ${ip}  node=${e.nodeName ?? '-'} zone=${e.zone ?? '-'} ready=${String(e.conditions?.ready)} pod=${e.targetRef?.name ?? '-'}`);
        if (!node) failures.push(`endpoint ${ip}: node ${e.nodeName ?? '(none)'} is not a profile node`);
        else {
          if (!inCIDR(ip, node.podCIDR)) failures.push(`endpoint ${ip}: not in ${node.name}'s podCIDR ${node.podCIDR}`);
          if (e.zone !== node.zone) failures.push(`endpoint ${ip}: zone ${e.zone ?? '(none)'}, expected ${node.zone}`);
        }
      }
    }
    const endpoints = await core.readNamespacedEndpoints({ namespace, name: APP });
    const addresses = (endpoints.subsets ?? []).flatMap((s) => s.addresses ?? []).length;
    console.log(`Endpoints ${namespace}/${APP}: ${addresses} ready addresses`);
    if (addresses !== REPLICAS) failures.push(`Endpoints has ${addresses} ready addresses, expected ${REPLICAS}`);
    console.log(`settled: ${REPLICAS} ready endpoints ${(settleMs / 1000).toFixed(2)}s after creating the Deployment`);
  } finally {
    const tDelete = Date.now();
    await core.deleteNamespace({ name: namespace });
    await waitFor(`namespace ${namespace} to be deleted`, 120_000, async () => {
      const list = await core.listNamespace({ fieldSelector: `metadata.name=${namespace}` });
      return list.items.length === 0 ? true : undefined;
    });
    console.log(`cleaned up: namespace deleted in ${((Date.now() - tDelete) / 1000).toFixed(2)}s (total ${((Date.now() - t0) / 1000).toFixed(2)}s)`);
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`smoke: FAIL ${f}`);
    process.exit(1);
  }
  console.log('smoke: OK');
}

main().catch((e: unknown) => {
  console.error(`smoke: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

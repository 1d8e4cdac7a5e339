/**
 * VirtualService hosts that nothing routes to them, over the L7 model's parsed objects and its
 * host matching (`suffixHostMatches`):
 * - bound to an Istio Gateway, but no host of the VirtualService is admitted by a server of
 *   that Gateway (istioctl IST0132, `virtualservice/gateways.go`: a VS host must match a server
 *   host, whose optional `ns/` part must admit the VirtualService's namespace);
 * - bound to the mesh, with a cluster-domain host (a short name, or `name.ns.svc.<domain>`)
 *   that is no Service and no ServiceEntry host: it resolves to nothing.
 *
 * The L7 model reports VirtualService gateway bindings as accepted without looking at hosts;
 * when it reports `vs-host-unknown` itself, the rule reads both and drops duplicates.
 */
import type { L7Model } from '../../engine/l7/model';
import { suffixHostMatches } from '../../engine/l7/match';
import type { L7Object } from '../../engine/l7/parse';

/** One unresolvable host or gateway binding. */
export interface VsHostProblem {
  readonly vs: L7Object<'VirtualService'>;
  readonly path: string;
  readonly message: string;
}

/** Expand a host as Istio does (`ConvertHostToFQDN`): no dot and no wildcard means `<name>.<ns>.svc.<domain>`. */
function expand(host: string, namespace: string, domain: string): string {
  const h = host.toLowerCase();
  return h.startsWith('*') || h.includes('.') ? h : `${h}.${namespace}.svc.${domain}`;
}

/** Server host `[ns/]host` admits a VirtualService host from `vsNs` (Istio Gateway `servers[].hosts`). */
function admits(serverHost: string, gatewayNs: string, vsNs: string, host: string): boolean {
  const slash = serverHost.indexOf('/');
  const ns = slash < 0 ? '*' : serverHost.slice(0, slash);
  const h = (slash < 0 ? serverHost : serverHost.slice(slash + 1)).toLowerCase();
  const nsOk = ns === '*' || (ns === '.' ? vsNs === gatewayNs : ns === vsNs);
  return nsOk && (h === '*' || suffixHostMatches(h, host) || suffixHostMatches(host, h));
}

/** Every VirtualService host or gateway binding that no request can reach. */
export function unresolvedVirtualServiceHosts(model: L7Model): VsHostProblem[] {
  const domain = model.state.profile.clusterDomain.replace(/\.$/, '');
  const gateways = new Map(model.parsed.byKind.IstioGateway.map((g) => [`${g.namespace}/${g.name}`, g]));
  const entryHosts = model.parsed.byKind.ServiceEntry.flatMap((se) => se.spec.hosts.map((h) => h.toLowerCase()));
  const out: VsHostProblem[] = [];
  for (const vs of model.parsed.byKind.VirtualService) {
    const hosts = vs.spec.hosts.map((h) => expand(h, vs.namespace, domain));
    const bound = vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : ['mesh'];
    bound.forEach((g, i) => {
      if (g === 'mesh') return;
      const key = g.includes('/') ? g : `${vs.namespace}/${g}`;
      const gw = gateways.get(key);
      // Missing gateways are virtualservice-gateway-missing; Kubernetes Gateways are not judged here.
      if (!gw) return;
      const serverHosts = gw.spec.servers.flatMap((s) => s.hosts);
      if (hosts.some((h) => serverHosts.some((sh) => admits(sh, gw.namespace, vs.namespace, h)))) return;
      out.push({
        vs, path: vs.spec.gateways ? `spec.gateways[${i}]` : 'spec.hosts',
        message: `no host of this VirtualService (${vs.spec.hosts.join(', ')}) is among the hosts Gateway ${key} serves to namespace ${vs.namespace} (${serverHosts.join(', ') || 'none'}): the gateway never hands it a request (IST0132)`,
      });
    });
    if (!bound.includes('mesh')) continue;
    const suffix = `.svc.${domain}`;
    vs.spec.hosts.forEach((raw, i) => {
      const h = hosts[i];
      if (h.startsWith('*') || !h.endsWith(suffix)) return;
      const [name, namespace, ...rest] = h.slice(0, -suffix.length).split('.');
      if (rest.length > 0 || !namespace) return;
      if (model.state.services.has(`${namespace}/${name}`)) return;
      if (entryHosts.some((e) => suffixHostMatches(e, h))) return;
      out.push({
        vs, path: `spec.hosts[${i}]`,
        message: `host ${raw}${raw !== h ? ` (${h})` : ''} is no Service${raw.includes('.') ? '' : ` in namespace ${vs.namespace} (short names are read in the VirtualService's namespace)`} and no ServiceEntry host: it resolves to nothing, so the sidecars never apply these routes`,
      });
    });
  }
  return out;
}

/**
 * Text for policy verdicts (NetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy), shared by
 * `netkit trace`, `netkit reach --explain` and the testing matchers' failure messages.
 */
import { policyLabel, type DirectionVerdict, type PolicyVerdict } from '../engine/policy';

function side(name: string, d: DirectionVerdict): string {
  const hit = d.rule ? `${policyLabel(d.rule.policy)} ${d.rule.path}${d.rule.action ? ` ${d.rule.action}` : ''}` : '';
  const passed = d.passed?.length ? ` (passed by ${d.passed.map((p) => `${policyLabel(p.policy)} ${p.path}`).join(', ')})` : '';
  const miss = !d.allowed && d.nearMiss ? `; nearest miss: ${policyLabel(d.nearMiss.policy)} ${d.nearMiss.path}: ${d.nearMiss.reason}` : '';
  return `${name} ${d.allowed ? 'allow' : 'DENY'}: ${d.decidedBy === 'networkpolicy' && d.allowed && hit ? `${hit} admits it` : d.reason}${passed}${miss}`;
}

/** Lines (without prefix) explaining one verdict: egress, ingress, mesh. */
export function explainVerdict(v: PolicyVerdict): string[] {
  const out = [side('egress ', v.egress), side('ingress', v.ingress)];
  if (v.mesh) out.push(`mesh    ${v.mesh.allowed ? 'allow' : 'DENY'}: ${v.mesh.reason}`);
  return out;
}

/** Policy lines of a trace: the DNS lookup's verdict and each destination's. */
export function formatTraceReachability(t: { readonly dnsReachability?: PolicyVerdict; readonly destinations: readonly { readonly pod?: string; readonly ip: string; readonly reachability?: PolicyVerdict }[] }): string[] {
  const out: string[] = [];
  if (t.dnsReachability) out.push(`policy DNS lookup (UDP to cluster DNS): ${t.dnsReachability.allowed ? 'allowed' : 'DENIED'}`);
  for (const d of t.destinations) {
    if (!d.reachability) continue;
    out.push(`policy ${d.pod ?? d.ip}: ${d.reachability.allowed ? 'allowed' : 'DENIED'}`);
    for (const line of explainVerdict(d.reachability)) out.push(`         ${line}`);
  }
  return out;
}

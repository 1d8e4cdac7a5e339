/**
 * Reachability checks: does policy (NetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy)
 * let a source connect to a target? They trace the connection (DNS, kube-proxy, then the policy
 * verdict on each destination pod) and report the deciding rule in their message.
 */
import { policyLabel } from '../engine/policy';
import type { Trace } from '../engine/trace';
import { formatTrace } from '../report/trace-format';
import type { CheckResult } from './result';
import type { Simulation, SimulationSource } from './simulate';

/** Options of {@link checkDenies}. */
export interface DenyExpectation {
  /** The policy that must be the reason (its name, or `namespace/name`): an isolating NetworkPolicy or the deciding rule's policy. */
  readonly by?: string;
}

function deciding(trace: Trace): string[] {
  const names = new Set<string>();
  const add = (ref: { namespace?: string; name: string }): void => {
    names.add(ref.name);
    if (ref.namespace) names.add(`${ref.namespace}/${ref.name}`);
  };
  for (const v of [trace.dnsReachability, ...trace.destinations.map((d) => d.reachability)]) {
    if (!v || v.allowed) continue;
    for (const side of [v.egress, v.ingress]) {
      if (side.allowed) continue;
      if (side.rule) add(side.rule.policy);
      side.isolatedBy.forEach(add);
    }
    if (v.mesh?.rule && !v.mesh.allowed) add(v.mesh.rule.policy);
  }
  return [...names];
}

/** `from` can open a connection to `target` (`host:port`) and policy admits it on every destination pod. */
export function checkAllows(sim: Simulation, from: SimulationSource, target: string): CheckResult {
  const trace = sim.connect(target, from);
  const denied = trace.destinations.filter((d) => d.reachability && !d.reachability.allowed);
  const ok = trace.ok && denied.length === 0;
  const rules = trace.destinations.map((d) => d.reachability?.ingress.rule).filter((r) => r !== undefined).map((r) => `${policyLabel(r.policy)} ${r.path}`);
  const message = ok
    ? `expected policy to deny ${String(from)} -> ${target}, but it is allowed${rules.length ? ` (${[...new Set(rules)].join(', ')})` : ''}`
    : `expected policy to allow ${String(from)} -> ${target}, but ${trace.failure ? `it fails (${trace.failure.code}): ${trace.failure.message}` : `${denied.length} destination pod(s) deny it`}`;
  return { pass: ok, message: `${message}\n\n${formatTrace(trace)}` };
}

/**
 * Policy denies `from` -> `target` (the trace fails with `policy-denied`), by the named policy
 * when `by` is given. A trace that fails for another reason (no such Service, no endpoints) is
 * not a policy denial and fails this check.
 */
export function checkDenies(sim: Simulation, from: SimulationSource, target: string, expectation: DenyExpectation = {}): CheckResult {
  const trace = sim.connect(target, from);
  const policyDenied = !trace.ok && trace.failure?.code === 'policy-denied';
  const names = deciding(trace);
  const byOk = expectation.by === undefined || names.includes(expectation.by);
  const pass = policyDenied && byOk;
  let message: string;
  if (pass) message = `expected policy to allow ${String(from)} -> ${target}, but it is denied: ${trace.failure?.message}`;
  else if (!policyDenied) message = trace.ok ? `expected policy to deny ${String(from)} -> ${target}, but it is allowed` : `expected policy to deny ${String(from)} -> ${target}, but it fails for another reason (${trace.failure?.code}): ${trace.failure?.message}`;
  else message = `expected ${String(from)} -> ${target} to be denied by ${expectation.by}, but the deciding policies are ${names.join(', ') || 'none'}`;
  return { pass, message: `${message}\n\n${formatTrace(trace)}` };
}

import type { Finding, Rule } from '../types';

/**
 * Coverage (lib/engine/coverage.ts): objects relevant to routing that the engine does not
 * simulate, once per kind. `routes`, `trace` and the testing API name them next to each answer
 * they could change; this rule lists them once for the whole input.
 */
export const objectNotSimulated: Rule = {
  id: 'object-not-simulated',
  family: 'validator',
  severity: 'info',
  summary: 'Objects that can change routing but that the simulation does not model (reported once per kind).',
  why: 'The simulated answers (endpoints, traces, reachability) leave these objects out: a NetworkPolicy may block a flow traced as allowed, pods of an unsimulated workload kind are missing from endpoints.',
  fix: 'Read the answers that name these objects as unconfirmed, or check them on a cluster (`netkit apply` + `netkit verify --live`).',
  mirrors: 'netkit coverage (no upstream equivalent)',
  check(ctx) {
    const items = ctx.cluster.coverage.items;
    const byKind = new Map<string, { first: (typeof items)[number]; names: string[]; reason: string }>();
    items.forEach((item) => {
      if (item.status !== 'not-simulated') return;
      const kind = `${item.ref.kind} (${item.apiVersion})`;
      const entry = byKind.get(kind) ?? { first: item, names: [], reason: item.reason };
      entry.names.push(item.ref.namespace ? `${item.ref.namespace}/${item.ref.name}` : item.ref.name);
      byKind.set(kind, entry);
    });
    const out: Finding[] = [];
    for (const [kind, e] of byKind) {
      const object = ctx.objects.find((o) => o.ref === e.first.ref);
      if (!object) continue;
      const shown = e.names.slice(0, 5).join(', ') + (e.names.length > 5 ? `, +${e.names.length - 5} more` : '');
      out.push({ object, path: '', message: `${e.names.length} ${kind} not simulated (${shown}): ${e.reason}` });
    }
    return out;
  },
};

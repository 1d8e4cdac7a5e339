import { suppressionsOf } from '../suppress';
import type { Finding, Rule } from '../types';

/** Our own: suppressions must say why, and name a rule that exists. */
export const suppressionInvalid: Rule = {
  id: 'suppression-invalid',
  family: 'validator',
  severity: 'warning',
  summary: 'A `netkit.io/suppress.<rule-id>` annotation with an empty reason or an unknown rule id.',
  why: 'A suppression without a reason cannot be reviewed, so it does not suppress; one for an unknown rule suppresses nothing (often a typo).',
  fix: 'Write the reason as the annotation value, e.g. `netkit.io/suppress.pod-host-network: "CNI agent needs the node network"`, and use a rule id from docs/rules.md.',
  mirrors: 'kube-linter ignore annotations (`ignore-check.kube-linter.io/<check>`), with a required reason',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.objects) {
      for (const s of suppressionsOf(o)) {
        const path = `metadata.annotations["${s.key}"]`;
        if (ctx.knownRuleIds.size > 0 && !ctx.knownRuleIds.has(s.ruleId)) {
          out.push({ object: o, path, message: `unknown rule "${s.ruleId}": this suppression has no effect` });
        } else if (s.reason === '') {
          out.push({ object: o, path, message: `the suppression of "${s.ruleId}" has no reason, so it is ignored` });
        }
      }
    }
    return out;
  },
};

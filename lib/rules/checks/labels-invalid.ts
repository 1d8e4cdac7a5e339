import { validateLabels } from '../../k8s/pod-validation';
import { asStringMap, dig } from '../json';
import { podTemplateOf } from '../context';
import type { Finding, Rule } from '../types';

/** Per-object wrapper of `validateLabels` (lib/k8s) over object and pod template labels. */
export const labelsInvalid: Rule = {
  id: 'labels-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Label keys or values the API server rejects, on objects and on pod templates.',
  why: 'The object is rejected; selectors written against such a label can never match.',
  fix: 'Use label keys like `app.kubernetes.io/name` and values of at most 63 letters, digits, `-`, `_` or `.`.',
  mirrors: 'kubernetes apimachinery ValidateLabels (IsQualifiedName, IsValidLabelValue)',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.objects) {
      for (const p of validateLabels(asStringMap(dig(o.raw, 'metadata', 'labels')), 'metadata.labels')) {
        out.push({ object: o, path: p.field, message: p.message, fix: p.fix });
      }
      const t = podTemplateOf(o);
      if (t && t.at !== 'spec') {
        const at = `${t.at.replace(/\.spec$/, '')}.metadata.labels`;
        for (const p of validateLabels(t.labels, at)) out.push({ object: o, path: p.field, message: p.message, fix: p.fix });
      }
    }
    return out;
  },
};

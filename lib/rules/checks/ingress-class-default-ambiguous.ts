import { DEFAULT_INGRESS_CLASS_ANNOTATION } from '../../k8s/ingress-validation';
import type { Finding, Rule } from '../types';
import { objectOf } from '../l7/problems';

/** More than one IngressClass marked default (reads the L7 model's parsed IngressClasses). */
export const ingressClassDefaultAmbiguous: Rule = {
  id: 'ingress-class-default-ambiguous',
  family: 'routing',
  severity: 'warning',
  summary: `More than one IngressClass has the annotation \`${DEFAULT_INGRESS_CLASS_ANNOTATION}: "true"\`.`,
  why: 'With several default classes the DefaultIngressClass admission plugin cannot pick one and rejects every new Ingress that has no `ingressClassName`.',
  fix: 'Keep the default annotation on one IngressClass and give Ingresses an explicit `ingressClassName`.',
  mirrors: 'kubernetes plugin/pkg/admission/network/defaultingressclass (admission.go: "too many default classes"); k8s.io/api networking/v1 well_known_annotations.go',
  check(ctx) {
    const defaults = ctx.l7.parsed.byKind.IngressClass.filter((c) => c.annotations[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
    if (defaults.length < 2) return [];
    const classless = ctx.l7.parsed.byKind.Ingress.filter((i) => !i.spec.ingressClassName && i.annotations['kubernetes.io/ingress.class'] === undefined);
    const names = defaults.map((d) => d.name).join(', ');
    const effect = classless.length > 0
      ? `the API server rejects the ${classless.length} Ingress(es) without a class here (${classless.map((i) => `${i.namespace}/${i.name}`).join(', ')})`
      : 'the API server rejects any new Ingress without ingressClassName';
    const out: Finding[] = [];
    for (const d of defaults) {
      const object = objectOf(ctx, d.ref);
      if (object) out.push({ object, path: `metadata.annotations.${DEFAULT_INGRESS_CLASS_ANNOTATION}`, message: `${defaults.length} IngressClasses are marked default (${names}): ${effect}` });
    }
    return out;
  },
};

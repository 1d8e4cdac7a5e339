/**
 * What the API server (OpenAPI schema and CEL of the CRDs) or Istio's validating webhook rejects
 * in L7 objects. The checks themselves are the pure functions the constructs use at synth
 * (lib/k8s/{ingress,gateway,istio}-validation.ts); this module runs them over loaded manifests, and turns
 * objects the L7 model could not read at all (its `invalid-object` problems) into findings too.
 */
import type { FieldProblem } from '../../k8s/problems';
import { L7_SCHEMAS } from '../../engine/l7/schemas';
import type { L7Kind } from '../../engine/l7/kinds';
import type { ManifestObject } from '../../manifest/objects';
import type { RuleContext } from '../context';
import type { Finding } from '../types';
import { objectOf, withoutSubject } from './problems';

/** One admission check: an L7 view key and the function that validates its raw manifest. */
export interface AdmissionCheck {
  readonly key: L7Kind;
  /** Receives the manifest as written (the caller has checked that the L7 model could read it). */
  readonly validate: (raw: never) => FieldProblem[];
}

/** The L7 view key of a loaded object (`IstioGateway` for Istio's Gateway), if it is an L7 object. */
export function l7KeyOf(o: ManifestObject): L7Kind | undefined {
  return L7_SCHEMAS.find((e) => e.kind === o.ref.kind && e.apiVersions.includes(o.apiVersion))?.key;
}

/** Findings of `checks` over every object of their kinds. */
export function admissionFindings(ctx: RuleContext, checks: readonly AdmissionCheck[]): Finding[] {
  const out: Finding[] = [];
  const unreadable = new Map<ManifestObject, Finding[]>();
  for (const p of ctx.l7.problems()) {
    if (p.code !== 'invalid-object' || !p.object) continue;
    const object = objectOf(ctx, p.object);
    if (!object) continue;
    const list = unreadable.get(object) ?? [];
    list.push({ object, path: p.path ?? '', message: withoutSubject(p.message, p.object), fix: 'Give the field the type the API defines (see the message); the L7 model skips the object until then.' });
    unreadable.set(object, list);
  }
  const byKey = new Map(checks.map((c) => [c.key, c]));
  for (const o of ctx.objects) {
    const key = l7KeyOf(o);
    const check = key && byKey.get(key);
    if (!check) continue;
    let problems: FieldProblem[];
    try {
      problems = check.validate(o.raw as never);
    } catch (e) {
      // A field has a type the check did not expect; the L7 model's reading says which.
      problems = [];
      if (!unreadable.has(o)) out.push({ object: o, path: '', message: `the object could not be checked: ${e instanceof Error ? e.message : String(e)}`, fix: 'Check the field types against the API reference.' });
    }
    for (const p of problems) out.push({ object: o, path: p.field, message: p.message, fix: p.fix });
    // What the L7 model could not read, when the checks found nothing more specific.
    if (problems.length === 0) out.push(...(unreadable.get(o) ?? []));
  }
  return out;
}

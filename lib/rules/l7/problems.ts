/**
 * The L7 rules read the L7 model's problems (dangling references, routes not Accepted, subsets
 * selecting no pod, ...): the model finds them while it compiles the routes, so a rule is a
 * filter over them plus the way back from the model's object refs to the loaded objects.
 */
import type { L7ObjectRef, L7Problem, L7ProblemCode } from '../../engine/l7/types';
import type { ManifestObject } from '../../manifest/objects';
import type { RuleContext } from '../context';
import type { Finding } from '../types';

/**
 * The loaded object an L7 ref names. Kind, namespace and name are not enough: an Istio Gateway
 * and a Gateway API Gateway may share them, so the apiVersion decides when the ref has one.
 */
export function objectOf(ctx: RuleContext, ref: { readonly kind: string; readonly namespace?: string; readonly name: string; readonly apiVersion?: string }): ManifestObject | undefined {
  let fallback: ManifestObject | undefined;
  for (const o of ctx.ofKind(ref.kind)) {
    if (o.ref.name !== ref.name || (o.ref.namespace ?? '') !== (ref.namespace ?? '')) continue;
    if (ref.apiVersion === undefined || o.apiVersion === ref.apiVersion) return o;
    fallback ??= o;
  }
  return fallback;
}

/** Options of {@link problemFindings}. */
export interface ProblemFilter {
  /** Keep only problems whose path matches. */
  readonly path?: RegExp;
  /** Keep only problems on these kinds. */
  readonly kinds?: readonly string[];
  /** Keep only problems of these severities. */
  readonly severities?: readonly L7Problem['severity'][];
  /** A fix specific to the problem (the rule's generic fix otherwise). */
  readonly fix?: (p: L7Problem) => string | undefined;
}

/** The model's problems with these codes, as findings on the objects they concern. */
export function problemFindings(ctx: RuleContext, codes: readonly L7ProblemCode[], filter: ProblemFilter = {}): Finding[] {
  const wanted = new Set<L7ProblemCode>(codes);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of ctx.l7.problems()) {
    if (!wanted.has(p.code) || !p.object) continue;
    if (filter.kinds && !filter.kinds.includes(p.object.kind)) continue;
    if (filter.severities && !filter.severities.includes(p.severity)) continue;
    const path = p.path ?? '';
    if (filter.path && !filter.path.test(path)) continue;
    const object = objectOf(ctx, p.object);
    if (!object) continue;
    const message = withoutPath(withoutSubject(p.message, p.object), path);
    const key = `${object.ref.kind}/${object.ref.namespace ?? ''}/${object.ref.name}|${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const fix = filter.fix?.(p);
    out.push(fix === undefined ? { object, path, message } : { object, path, message, fix });
  }
  return out;
}

/**
 * The model words its messages for a flat list (`HTTPRoute shop/cart spec.rules[0]: ...`); a
 * violation already names the object and the field, so the leading subject is dropped.
 */
export function withoutSubject(message: string, ref: L7ObjectRef): string {
  const subject = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  if (message.startsWith(`${subject}: `)) return message.slice(subject.length + 2);
  if (message.startsWith(`${subject} `)) {
    // `HTTPRoute ns/name spec.rules[0]...: text` -> `spec.rules[0]...: text`
    return message.slice(subject.length + 1);
  }
  return message;
}

/**
 * `spec.rules[0].backendRefs[0]: Service ... does not exist` -> `Service ... does not exist` when
 * the leading field is (a prefix of) the finding's own path, which the violation shows anyway.
 */
export function withoutPath(message: string, path: string): string {
  const m = /^([A-Za-z0-9_.[\]-]+): /.exec(message);
  return m && path.startsWith(m[1]) && m[1].includes('.') ? message.slice(m[0].length) : message;
}

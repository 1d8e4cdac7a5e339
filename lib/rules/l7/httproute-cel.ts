/**
 * HTTPRoute filter CEL rules of the Gateway API v1.6.1 CRD
 * (`gateway.networking.k8s.io_httproutes.yaml`, `x-kubernetes-validations` under
 * `filters[].requestRedirect.path`, `filters[].urlRewrite.path`, `filters[].requestMirror` and
 * `filters[].cors`) that lib/constructs/gateway-validation.ts does not check yet; the
 * `httproute-invalid` rule runs both. Rule filters and backendRef filters alike.
 */
import type { FieldProblem } from '../../k8s/problems';
import { asArray, asNumber, asObject, asString } from '../json';

/** Problems of these CEL rules in one HTTPRoute manifest. */
export function httpRouteFilterCelProblems(raw: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  asArray(asObject(asObject(raw)?.spec)?.rules).forEach((rule, i) => {
    const r = asObject(rule);
    asArray(r?.filters).forEach((f, j) => filterProblems(f, `spec.rules[${i}].filters[${j}]`, out));
    asArray(r?.backendRefs).forEach((b, k) => asArray(asObject(b)?.filters).forEach((f, j) => filterProblems(f, `spec.rules[${i}].backendRefs[${k}].filters[${j}]`, out)));
  });
  return out;
}

function filterProblems(filter: unknown, at: string, out: FieldProblem[]): void {
  const f = asObject(filter);
  if (!f) return;
  for (const kind of ['requestRedirect', 'urlRewrite'] as const) {
    const path = asObject(asObject(f[kind])?.path);
    if (path) pathModifierProblems(path, `${at}.${kind}.path`, out);
  }
  const mirror = asObject(f.requestMirror);
  if (mirror) {
    if (mirror.percent !== undefined && mirror.fraction !== undefined) {
      out.push({ field: `${at}.requestMirror`, message: 'Invalid value: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter', fix: 'keep either `percent` or `fraction`' });
    }
    const fraction = asObject(mirror.fraction);
    const numerator = asNumber(fraction?.numerator);
    const denominator = asNumber(fraction?.denominator) ?? 100;
    if (numerator !== undefined && numerator > denominator) {
      out.push({ field: `${at}.requestMirror.fraction`, message: `Invalid value: numerator must be less than or equal to denominator (${numerator} > ${denominator})`, fix: 'mirror at most all requests: numerator <= denominator' });
    }
    const ref = asObject(mirror.backendRef);
    if (ref && (asString(ref.group) ?? '') === '' && (asString(ref.kind) ?? 'Service') === 'Service' && ref.port === undefined) {
      out.push({ field: `${at}.requestMirror.backendRef`, message: 'Invalid value: Must have port for Service reference', fix: 'set the Service port number of the mirror backend' });
    }
  }
  const cors = asObject(f.cors);
  if (cors) {
    for (const [field, what] of [['allowOrigins', 'other origins'], ['allowMethods', 'other methods'], ['allowHeaders', 'other methods']] as const) {
      const list = asArray(cors[field]);
      if (list.includes('*') && list.length > 1) {
        const name = field.charAt(0).toUpperCase() + field.slice(1);
        out.push({ field: `${at}.cors.${field}`, message: `Invalid value: ${name} cannot contain '*' alongside ${what}`, fix: `use "*" alone, or list the values without "*"` });
      }
    }
  }
}

/** `HTTPPathModifier`: the type names the one field that is set. */
function pathModifierProblems(path: Readonly<Record<string, unknown>>, at: string, out: FieldProblem[]): void {
  const type = asString(path.type);
  const pairs = [['ReplaceFullPath', 'replaceFullPath'], ['ReplacePrefixMatch', 'replacePrefixMatch']] as const;
  for (const [t, field] of pairs) {
    if (type === t && path[field] === undefined) {
      out.push({ field: at, message: `Invalid value: ${field} must be specified when type is set to '${t}'`, fix: `set \`${field}\`` });
    }
    if (path[field] !== undefined && type !== t) {
      out.push({ field: at, message: `Invalid value: type must be '${t}' when ${field} is set`, fix: `set \`type: ${t}\`, or remove \`${field}\`` });
    }
  }
}

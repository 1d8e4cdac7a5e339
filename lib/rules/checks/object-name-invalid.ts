import { dns1123LabelProblems, dns1123SubdomainProblems } from '../../k8s/names';
import { isClusterScoped } from '../../manifest/objects';
import { asString, dig } from '../json';
import type { Finding, Rule } from '../types';

/** Kinds whose names must be DNS-1123 labels (the rest are subdomains). Services: see `service-invalid`. */
const LABEL_NAMED = new Set(['Namespace', 'StatefulSet']);

/** Object names and namespaces as the API server's `ValidateObjectMeta` name functions check them. */
export const objectNameInvalid: Rule = {
  id: 'object-name-invalid',
  family: 'api-server',
  severity: 'error',
  summary: 'Object names and namespaces that are not valid DNS names (Services are covered by service-invalid).',
  why: 'The API server rejects the object. cdk8s turns construct ids into names, so `_` or `.` in an id becomes an invalid name.',
  fix: 'Use lowercase letters, digits and `-` (set `metadata.name`, or a construct id without `_`).',
  mirrors: 'kubernetes apimachinery ValidateObjectMeta (NameIsDNSSubdomain, NameIsDNSLabel; ValidateStatefulSetName)',
  scope: 'object',
  check(ctx) {
    const out: Finding[] = [];
    for (const o of ctx.objects) {
      if (o.ref.kind === 'Service') continue;
      const name = o.ref.name;
      const problems = LABEL_NAMED.has(o.ref.kind) ? dns1123LabelProblems(name) : dns1123SubdomainProblems(name);
      for (const msg of problems) out.push({ object: o, path: 'metadata.name', message: `Invalid value: "${name}": ${msg}` });
      const ns = asString(dig(o.raw, 'metadata', 'namespace'));
      if (ns !== undefined && !isClusterScoped(o.ref.kind)) {
        for (const msg of dns1123LabelProblems(ns)) out.push({ object: o, path: 'metadata.namespace', message: `Invalid value: "${ns}": ${msg}`, fix: 'use a namespace name such as "shop"' });
      }
    }
    return out;
  },
};

/**
 * Ingress and IngressClass checks as the API server applies them before storing the object
 * (`ValidateIngressCreate`, `ValidateIngressSpec`, `validateHTTPIngressPath`,
 * `validateIngressBackend`, `validateIngressTLS` and `ValidateIngressClass` in
 * kubernetes `pkg/apis/networking/validation/validation.go`). Pure functions over the manifest
 * as JSON, so constructs and validator rules can share them; an empty list means valid.
 */
import { dns1035LabelProblems, dns1123LabelProblems, dns1123SubdomainProblems, ianaSvcNameProblems } from './names';
import { isIpAddress } from './ip';
import { FieldProblem } from './problems';

/** `spec.rules[].http.paths[].backend` / `spec.defaultBackend` as written in a manifest. */
export interface IngressBackendWire {
  readonly service?: { readonly name?: string; readonly port?: { readonly name?: string; readonly number?: number } };
  readonly resource?: { readonly apiGroup?: string; readonly kind?: string; readonly name?: string };
}

/** `spec.rules[].http.paths[]` as written in a manifest. */
export interface IngressPathWire {
  readonly path?: string;
  readonly pathType?: string;
  readonly backend?: IngressBackendWire;
}

/** An Ingress as written in a manifest (the fields the checks read). */
export interface IngressWire {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly defaultBackend?: IngressBackendWire;
    readonly rules?: readonly { readonly host?: string; readonly http?: { readonly paths?: readonly IngressPathWire[] } }[];
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
  };
}

/** An IngressClass as written in a manifest. */
export interface IngressClassWire {
  readonly metadata: { readonly name: string };
  readonly spec?: {
    readonly controller?: string;
    readonly parameters?: { readonly apiGroup?: string; readonly kind?: string; readonly name?: string; readonly scope?: string; readonly namespace?: string };
  };
}

/** The deprecated class annotation, which must agree with `ingressClassName` when both are set. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** `ingressclass.kubernetes.io/is-default-class`: Ingresses without a class get this one. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
/** `invalidPathSequences` and `invalidPathSuffixes` of validation.go (Exact and Prefix paths). */
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD_DNS1123_SUBDOMAIN = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Host checks of an Ingress rule (a DNS subdomain, or `*.` and one; not an IP) or, with
 * `allowIp`, of a TLS entry (where the API server checks the DNS syntax only).
 */
export function ingressHostProblems(host: string, allowIp = false): string[] {
  const problems: string[] = [];
  if (!allowIp && isIpAddress(host)) problems.push('must be a DNS name, not an IP address');
  if (host.includes('*')) {
    if (host.length > 253) problems.push('must be no more than 253 characters');
    if (!WILDCARD_DNS1123_SUBDOMAIN.test(host)) {
      problems.push("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of " +
        "lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character");
    }
  } else {
    problems.push(...dns1123SubdomainProblems(host));
  }
  return problems;
}

/** Path checks by pathType (`validateHTTPIngressPath`). */
export function ingressPathProblems(path: string, pathType: string): string[] {
  if (pathType === 'ImplementationSpecific') return path.length > 0 && !path.startsWith('/') ? ['must be an absolute path'] : [];
  const problems: string[] = [];
  if (!path.startsWith('/')) problems.push('must be an absolute path');
  for (const seq of INVALID_PATH_SEQUENCES) if (path.includes(seq)) problems.push(`must not contain '${seq}'`);
  for (const suffix of INVALID_PATH_SUFFIXES) if (path.endsWith(suffix)) problems.push(`cannot end with '${suffix}'`);
  return problems;
}

/** Checks an Ingress the way the API server does on create. */
export function validateIngress(ingress: IngressWire): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  const spec = ingress.spec ?? {};
  const rules = spec.rules ?? [];

  for (const msg of dns1123SubdomainProblems(ingress.metadata.name)) {
    add('metadata.name', `Invalid value: "${ingress.metadata.name}": ${msg}`, 'use lowercase letters, digits, "-" and "." (set `metadata.name`, or a construct id without "_")');
  }
  if (rules.length === 0 && spec.defaultBackend === undefined) {
    add('spec', 'Invalid value: either `defaultBackend` or `rules` must be specified', 'add a rule with `addRule()` / `addHostRule()`, or a `defaultBackend`');
  }
  if (spec.defaultBackend !== undefined) problems.push(...backendProblems(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host !== undefined && rule.host !== '') {
      for (const msg of ingressHostProblems(rule.host)) {
        add(`${at}.host`, `Invalid value: "${rule.host}": ${msg}`, 'use a DNS name such as "shop.example.com" or "*.example.com" (the wildcard covers exactly one label; no IPs, ports or "*" alone)');
      }
    }
    if (rule.http === undefined) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) add(`${at}.http.paths`, 'Required value', 'give the rule at least one path');
    paths.forEach((p, j) => {
      const pathAt = `${at}.http.paths[${j}]`;
      if (p.pathType === undefined) {
        add(`${pathAt}.pathType`, 'Required value: pathType must be specified', 'set `pathType` to Exact, Prefix or ImplementationSpecific');
      } else if (!PATH_TYPES.includes(p.pathType)) {
        add(`${pathAt}.pathType`, `Unsupported value: "${p.pathType}": supported values: "Exact", "ImplementationSpecific", "Prefix"`, 'use an IngressPathType value');
      } else {
        const path = p.path ?? '';
        for (const msg of ingressPathProblems(path, p.pathType)) {
          add(`${pathAt}.path`, `Invalid value: "${path}": ${msg}`, 'write the path as it appears in the URL, starting with "/" (e.g. "/api"), without "//", "." or ".." segments or encoded slashes');
        }
      }
      problems.push(...backendProblems(p.backend ?? {}, `${pathAt}.backend`));
    });
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((host, j) => {
      for (const msg of ingressHostProblems(host, true)) {
        add(`spec.tls[${i}].hosts[${j}]`, `Invalid value: "${host}": ${msg}`, 'list the DNS names the certificate covers, as in the rules\' `host`');
      }
    });
    if (tls.secretName !== undefined && tls.secretName !== '') {
      for (const msg of dns1123SubdomainProblems(tls.secretName)) {
        add(`spec.tls[${i}].secretName`, `Invalid value: "${tls.secretName}": ${msg}`, 'name a Secret of type kubernetes.io/tls in the Ingress namespace');
      }
    }
  });
  if (spec.ingressClassName !== undefined) {
    for (const msg of dns1123SubdomainProblems(spec.ingressClassName)) {
      add('spec.ingressClassName', `Invalid value: "${spec.ingressClassName}": ${msg}`, 'name an IngressClass, e.g. "nginx"');
    }
  }
  const annotated = ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotated !== undefined && spec.ingressClassName !== undefined && annotated !== spec.ingressClassName) {
    add(`metadata.annotations.${INGRESS_CLASS_ANNOTATION}`, `Invalid value: "${annotated}": must match \`ingressClassName\` when both are specified`,
      `remove the deprecated ${INGRESS_CLASS_ANNOTATION} annotation and keep \`ingressClassName\``);
  }
  return problems;
}

function backendProblems(backend: IngressBackendWire, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  if (backend.resource !== undefined && backend.service !== undefined) {
    add(at, 'Invalid value: cannot set both resource and service backends', 'use `IngressBackend.fromService()` or `IngressBackend.fromResource()`, not both');
    return problems;
  }
  if (backend.resource !== undefined) {
    const r = backend.resource;
    if (!r.kind) add(`${at}.resource.kind`, 'Required value: kind is required', 'set the resource kind');
    if (!r.name) add(`${at}.resource.name`, 'Required value: name is required', 'set the resource name');
    if (r.apiGroup !== undefined) {
      for (const msg of dns1123SubdomainProblems(r.apiGroup)) add(`${at}.resource.apiGroup`, `Invalid value: "${r.apiGroup}": ${msg}`, 'use an API group such as "k8s.example.com"');
    }
    return problems;
  }
  if (backend.service === undefined) {
    add(at, 'Invalid value: resource or service backend is required', 'use `IngressBackend.fromService(service, port)`');
    return problems;
  }
  const service = backend.service;
  if (!service.name) {
    add(`${at}.service.name`, 'Required value', 'name the Service');
  } else {
    for (const msg of dns1035LabelProblems(service.name)) add(`${at}.service.name`, `Invalid value: "${service.name}": ${msg}`, 'name an existing Service');
  }
  const name = service.port?.name ?? '';
  const number = service.port?.number ?? 0;
  if (name !== '' && number !== 0) {
    add(at, 'Invalid value: cannot set both port name & port number', 'reference the Service port by its name or by its number, not both');
  } else if (name !== '') {
    for (const msg of ianaSvcNameProblems(name)) add(`${at}.service.port.name`, `Invalid value: "${name}": ${msg}`, 'use the name of a Service port');
  } else if (number !== 0) {
    if (!Number.isInteger(number) || number < 1 || number > 65535) {
      add(`${at}.service.port.number`, `Invalid value: ${number}: must be between 1 and 65535, inclusive`, 'use the number of a Service port');
    }
  } else {
    add(at, 'Required value: port name or number is required', 'pass the Service port: `IngressBackend.fromService(service, \'http\')` or a port number');
  }
  return problems;
}

/** Checks an IngressClass the way the API server does (`ValidateIngressClass`). */
export function validateIngressClass(ingressClass: IngressClassWire): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string, fix: string) => problems.push({ field, message, fix });
  for (const msg of dns1123SubdomainProblems(ingressClass.metadata.name)) {
    add('metadata.name', `Invalid value: "${ingressClass.metadata.name}": ${msg}`, 'use a class name such as "nginx" (set `metadata.name`)');
  }
  const controller = ingressClass.spec?.controller ?? '';
  if (controller.length > 250) add('spec.controller', 'Too long: may not be more than 250 bytes', 'use a shorter controller name');
  for (const msg of domainPrefixedPathProblems(controller)) {
    add('spec.controller', `Invalid value: "${controller}": ${msg}`, 'use the controller name the Ingress controller documents, e.g. "k8s.io/ingress-nginx"');
  }
  const params = ingressClass.spec?.parameters;
  if (params !== undefined) {
    if (!params.kind) add('spec.parameters.kind', 'Required value: kind is required', 'set the parameters kind');
    if (!params.name) add('spec.parameters.name', 'Required value: name is required', 'set the parameters name');
    if (params.apiGroup !== undefined) {
      for (const msg of dns1123SubdomainProblems(params.apiGroup)) add('spec.parameters.apiGroup', `Invalid value: "${params.apiGroup}": ${msg}`, 'use an API group such as "k8s.example.com"');
    }
    const scope = params.scope ?? 'Cluster';
    if (scope !== 'Cluster' && scope !== 'Namespace') {
      add('spec.parameters.scope', `Unsupported value: "${scope}": supported values: "Cluster", "Namespace"`, 'use Cluster or Namespace');
    } else if (scope === 'Namespace') {
      if (params.namespace === undefined) {
        add('spec.parameters.namespace', "Required value: `parameters.scope` is set to 'Namespace'", 'set the namespace of the parameters object');
      } else {
        for (const msg of dns1123LabelProblems(params.namespace)) add('spec.parameters.namespace', `Invalid value: "${params.namespace}": ${msg}`, 'use a namespace name');
      }
    } else if (params.namespace !== undefined) {
      add('spec.parameters.namespace', "Forbidden: `parameters.scope` is set to 'Cluster'", 'remove the namespace, or set the scope to Namespace');
    }
  }
  return problems;
}

/** `IsDomainPrefixedPath` of apimachinery: `<DNS subdomain>/<path>`. */
export function domainPrefixedPathProblems(value: string): string[] {
  const slash = value.indexOf('/');
  if (slash <= 0) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const problems = dns1123SubdomainProblems(value.slice(0, slash));
  const path = value.slice(slash + 1);
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path)) problems.push('Invalid path');
  return problems;
}

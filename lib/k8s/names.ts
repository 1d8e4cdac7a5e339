/**
 * Name and label checks as the API server applies them. Each returns the list of problems
 * (empty when valid), worded like `k8s.io/apimachinery/pkg/util/validation/validation.go`,
 * which these follow.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** RFC 1123 label: Namespaces, StatefulSets, port names of Services. */
export function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    problems.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
      'and must start and end with an alphanumeric character');
  }
  return problems;
}

/** RFC 1123 subdomain: most object names (Deployments, Pods), ExternalName targets. */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 253) problems.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
      'and must start and end with an alphanumeric character');
  }
  return problems;
}

/** RFC 1035 label: Service names (they become DNS labels, which may not start with a digit). */
export function dns1035LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) {
    problems.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', " +
      'start with an alphabetic character, and end with an alphanumeric character');
  }
  return problems;
}

/** IANA_SVC_NAME (RFC 6335): container port names and named `targetPort`s. */
export function ianaSvcNameProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[a-z0-9-]*$/.test(value)) problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) problems.push('must contain at least one letter (a-z)');
  if (value.includes('--')) problems.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

/** Qualified name (`prefix/name`): label keys and `appProtocol`. */
export function qualifiedNameProblems(value: string): string[] {
  // The common case, a valid key without prefix ("app", "tier"): no split, no problem list to build.
  if (value.length > 0 && value.length <= 63 && !value.includes('/') && QUALIFIED_NAME_PART.test(value)) return [];
  const parts = value.split('/');
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"];
  }
  const [prefix, name] = parts.length === 2 ? [parts[0], parts[1]] : [undefined, parts[0]];
  const problems: string[] = [];
  if (prefix !== undefined) {
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...dns1123SubdomainProblems(prefix).map((p) => `prefix part ${p}`));
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    problems.push("name part must consist of alphanumeric characters, '-', '_' or '.', " +
      'and must start and end with an alphanumeric character');
  }
  return problems;
}

/** Label values: empty, or up to 63 alphanumerics, '-', '_' and '.' starting and ending alphanumeric. */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    problems.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
      'and must start and end with an alphanumeric character');
  }
  return problems;
}

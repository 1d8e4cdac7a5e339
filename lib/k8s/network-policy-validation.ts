/**
 * What the API server rejects in a NetworkPolicy (networking.k8s.io/v1), read from the object as
 * written (NetworkPolicies have no loader schema, so shapes are checked here too):
 * - JSON types: a value of the wrong type fails decoding before validation (kubectl: "cannot
 *   unmarshal object into Go struct field ... of type []v1.LabelSelectorRequirement");
 * - kubernetes `pkg/apis/networking/validation` `ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`,
 *   `ValidateNetworkPolicyPeer`, `ValidateIPBlock`;
 * - apimachinery `pkg/apis/meta/v1/validation` `ValidateLabelSelector` for every selector.
 */
import { ianaSvcNameProblems, labelValueProblems, qualifiedNameProblems } from './names';
import { parseIpBlock } from './ip';
import type { FieldProblem } from './problems';

type Json = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const POLICY_TYPES = ['Ingress', 'Egress'];

class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string, fix: string): void {
    this.list.push({ field, message, fix });
  }
  /** A wrong JSON type: the API server cannot decode the object at all. */
  type(field: string, want: string, got: unknown): void {
    this.add(field, `Invalid type: expected ${want}, got ${typeName(got)} (the API server cannot decode the object)`, `write \`${field}\` as ${want}`);
  }
  /** True when `v` is absent or null (both mean "not set" to the API server). */
  unset(v: unknown): boolean {
    return v === undefined || v === null;
  }
  /** Checks `v` is an array (or unset) and returns its items. */
  array(v: unknown, field: string): readonly unknown[] {
    if (this.unset(v)) return [];
    if (!Array.isArray(v)) {
      this.type(field, 'an array', v);
      return [];
    }
    return v;
  }
  /** Checks `v` is an object (or unset) and returns it. */
  object(v: unknown, field: string): Json | undefined {
    if (this.unset(v)) return undefined;
    if (!isObject(v)) {
      this.type(field, 'an object', v);
      return undefined;
    }
    return v;
  }
}

/**
 * Problems of a `metav1.LabelSelector` at `at` (e.g. `spec.podSelector`): wrong types, then
 * `ValidateLabelSelector` (label keys and values, operators and their values).
 */
export function labelSelectorProblems(selector: unknown, at: string): FieldProblem[] {
  const p = new Problems();
  checkSelector(selector, at, p);
  return p.list;
}

function checkSelector(selector: unknown, at: string, p: Problems): void {
  const s = p.object(selector, at);
  if (!s) return;
  const labels = p.object(s.matchLabels, `${at}.matchLabels`);
  for (const [key, value] of Object.entries(labels ?? {})) {
    const field = `${at}.matchLabels.${key}`;
    for (const m of qualifiedNameProblems(key)) p.add(field, `Invalid value: "${key}": ${m}`, 'use a valid label key (an optional DNS prefix and a name of letters, digits, -, _ and .)');
    if (typeof value !== 'string') p.type(field, 'a string', value);
    else for (const m of labelValueProblems(value)) p.add(field, `Invalid value: "${value}": ${m}`, 'use a valid label value (at most 63 letters, digits, -, _ and ., starting and ending alphanumeric)');
  }
  const expressions = p.array(s.matchExpressions, `${at}.matchExpressions`);
  expressions.forEach((e, i) => {
    const field = `${at}.matchExpressions[${i}]`;
    const r = p.object(e, field);
    if (!r) {
      if (p.unset(e)) p.type(field, 'an object', e);
      return;
    }
    const values = p.array(r.values, `${field}.values`);
    const operator = r.operator;
    if (typeof operator !== 'string') {
      p.type(`${field}.operator`, 'a string', operator);
    } else if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) p.add(`${field}.values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'", 'list at least one value');
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) p.add(`${field}.values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", 'remove `values`');
    } else {
      p.add(`${field}.operator`, `Invalid value: "${operator}": not a valid selector operator`, `use one of ${OPERATORS.join(', ')}`);
    }
    if (typeof r.key !== 'string') p.type(`${field}.key`, 'a string', r.key);
    else for (const m of qualifiedNameProblems(r.key)) p.add(`${field}.key`, `Invalid value: "${r.key}": ${m}`, 'use a valid label key');
    values.forEach((v, j) => {
      if (typeof v !== 'string') p.type(`${field}.values[${j}]`, 'a string', v);
      else for (const m of labelValueProblems(v)) p.add(`${field}.values[${j}]`, `Invalid value: "${v}": ${m}`, 'use a valid label value');
    });
  });
}

/** `ValidateNetworkPolicyPort`. */
function checkPort(v: unknown, at: string, p: Problems): void {
  const port = p.object(v, at);
  if (!port) {
    if (p.unset(v)) p.type(at, 'an object', v);
    return;
  }
  if (!p.unset(port.protocol)) {
    if (typeof port.protocol !== 'string') p.type(`${at}.protocol`, 'a string', port.protocol);
    else if (!PROTOCOLS.includes(port.protocol)) p.add(`${at}.protocol`, `Unsupported value: "${port.protocol}": supported values: "TCP", "UDP", "SCTP"`, 'use TCP, UDP or SCTP');
  }
  const endPort = port.endPort;
  const hasEnd = !p.unset(endPort);
  if (hasEnd && (typeof endPort !== 'number' || !Number.isInteger(endPort))) {
    p.type(`${at}.endPort`, 'an integer', endPort);
    return;
  }
  const value = port.port;
  if (p.unset(value)) {
    if (hasEnd) p.add(`${at}.endPort`, `Invalid value: ${String(endPort)}: may not be specified when \`port\` is not specified`, 'set `port` too, or remove `endPort`');
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value < 1 || value > 65535) p.add(`${at}.port`, `Invalid value: ${value}: must be between 1 and 65535, inclusive`, 'use a port number from 1 to 65535');
    if (hasEnd) {
      const end = endPort as number;
      if (end < value) p.add(`${at}.endPort`, `Invalid value: ${value}: must be greater than or equal to \`port\``, 'make `endPort` at least `port`');
      if (end < 1 || end > 65535) p.add(`${at}.endPort`, `Invalid value: ${end}: must be between 1 and 65535, inclusive`, 'use a port number from 1 to 65535');
    }
  } else if (typeof value === 'string') {
    if (hasEnd) p.add(`${at}.endPort`, `Invalid value: ${String(endPort)}: may not be specified when \`port\` is non-numeric`, 'use a numeric `port` for a range, or remove `endPort`');
    for (const m of ianaSvcNameProblems(value)) p.add(`${at}.port`, `Invalid value: "${value}": ${m}`, 'use a port number, or the name of a container port');
  } else {
    p.type(`${at}.port`, 'an integer or a string', value);
  }
}

/** `ValidateNetworkPolicyPeer` and `ValidateIPBlock`. */
function checkPeer(v: unknown, at: string, p: Problems): void {
  const peer = p.object(v, at);
  if (!peer) {
    if (p.unset(v)) p.type(at, 'an object', v);
    return;
  }
  let count = 0;
  if (!p.unset(peer.podSelector)) {
    count++;
    checkSelector(peer.podSelector, `${at}.podSelector`, p);
  }
  if (!p.unset(peer.namespaceSelector)) {
    count++;
    checkSelector(peer.namespaceSelector, `${at}.namespaceSelector`, p);
  }
  const hasBlock = !p.unset(peer.ipBlock);
  if (hasBlock) {
    count++;
    checkIpBlock(peer.ipBlock, `${at}.ipBlock`, p);
  }
  if (count === 0) p.add(at, 'Required value: must specify a peer', 'set podSelector, namespaceSelector (or both), or ipBlock');
  else if (count > 1 && hasBlock) p.add(at, 'Forbidden: may not specify both ipBlock and another peer', 'put the ipBlock in a peer of its own');
}

function checkIpBlock(v: unknown, at: string, p: Problems): void {
  const block = p.object(v, at);
  if (!block) return;
  const cidr = block.cidr;
  if (p.unset(cidr) || cidr === '') {
    p.add(`${at}.cidr`, 'Required value', 'set `cidr`, e.g. 10.0.0.0/16');
    return;
  }
  if (typeof cidr !== 'string') {
    p.type(`${at}.cidr`, 'a string', cidr);
    return;
  }
  const outer = parseIpBlock(cidr);
  if (!outer) p.add(`${at}.cidr`, `Invalid value: "${cidr}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`, 'write a CIDR such as 10.0.0.0/16');
  p.array(block.except, `${at}.except`).forEach((e, i) => {
    const field = `${at}.except[${i}]`;
    if (typeof e !== 'string') {
      p.type(field, 'a string', e);
      return;
    }
    const inner = parseIpBlock(e);
    if (!inner) {
      p.add(field, `Invalid value: "${e}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`, 'write a CIDR such as 10.0.1.0/24');
      return;
    }
    if (!outer) return;
    const contained = inner.family === outer.family && inner.base >= outer.base && inner.base < outer.base + outer.size;
    if (!contained || outer.prefix >= inner.prefix) p.add(field, `Invalid value: "${e}": must be a strict subset of \`cidr\``, `use a block inside ${cidr} with a longer prefix`);
  });
}

/**
 * Problems the API server reports for a NetworkPolicy's spec (`raw` is the whole object as
 * written); empty when it would be admitted.
 */
export function validateNetworkPolicy(raw: Json): FieldProblem[] {
  const p = new Problems();
  const spec = p.object(raw.spec, 'spec');
  if (!spec) return p.list;
  checkSelector(spec.podSelector, 'spec.podSelector', p);
  for (const [key, peerKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    p.array(spec[key], `spec.${key}`).forEach((r, i) => {
      const at = `spec.${key}[${i}]`;
      const rule = p.object(r, at);
      if (!rule) return;
      p.array(rule.ports, `${at}.ports`).forEach((port, j) => checkPort(port, `${at}.ports[${j}]`, p));
      p.array(rule[peerKey], `${at}.${peerKey}`).forEach((peer, j) => checkPeer(peer, `${at}.${peerKey}[${j}]`, p));
    });
  }
  const types = p.array(spec.policyTypes, 'spec.policyTypes');
  if (types.length > POLICY_TYPES.length) {
    p.add('spec.policyTypes', 'Invalid value: may not specify more than two policyTypes', 'list Ingress, Egress or both');
    return p.list;
  }
  types.forEach((t, i) => {
    if (typeof t !== 'string') p.type(`spec.policyTypes[${i}]`, 'a string', t);
    else if (!POLICY_TYPES.includes(t)) p.add(`spec.policyTypes[${i}]`, `Unsupported value: "${t}": supported values: "Ingress", "Egress"`, 'use Ingress or Egress');
  });
  return p.list;
}

/**
 * The API server's checks of a networking.k8s.io/v1 NetworkPolicy spec, as
 * `pkg/apis/networking/validation/validation.go` does them (ValidateNetworkPolicySpec,
 * ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock). Messages are worded
 * as upstream's field errors. Pure: a plain object in, problems out.
 */
import { ianaSvcNameProblems } from './names';
import { parseIpBlock } from './ip';
import type { FieldProblem } from './problems';

/** A label selector on the wire. */
export interface LabelSelectorWire {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** `NetworkPolicyPort` on the wire. */
export interface NetworkPolicyPortWire {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** `NetworkPolicyPeer` on the wire. */
export interface NetworkPolicyPeerWire {
  readonly podSelector?: LabelSelectorWire;
  readonly namespaceSelector?: LabelSelectorWire;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** `NetworkPolicySpec` on the wire. */
export interface NetworkPolicySpecWire {
  readonly podSelector: LabelSelectorWire;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly { readonly from?: readonly NetworkPolicyPeerWire[]; readonly ports?: readonly NetworkPolicyPortWire[] }[];
  readonly egress?: readonly { readonly to?: readonly NetworkPolicyPeerWire[]; readonly ports?: readonly NetworkPolicyPortWire[] }[];
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function portProblems(p: NetworkPolicyPortWire, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
    out.push({ field: `${at}.protocol`, message: `Unsupported value: "${p.protocol}": supported values: "SCTP", "TCP", "UDP"`, fix: 'use TCP, UDP or SCTP' });
  }
  if (typeof p.port === 'number') {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) out.push({ field: `${at}.port`, message: `Invalid value: ${p.port}: must be between 1 and 65535, inclusive`, fix: 'use a port number from 1 to 65535' });
    if (p.endPort !== undefined) {
      if (!Number.isInteger(p.endPort) || p.endPort < 1 || p.endPort > 65535) out.push({ field: `${at}.endPort`, message: `Invalid value: ${p.endPort}: must be between 1 and 65535, inclusive`, fix: 'use a port number from 1 to 65535' });
      else if (p.endPort < p.port) out.push({ field: `${at}.endPort`, message: `Invalid value: ${p.endPort}: must be greater than or equal to \`port\``, fix: `make the range start at ${p.endPort} or end at ${p.port} or later` });
    }
  } else if (typeof p.port === 'string') {
    for (const m of ianaSvcNameProblems(p.port)) out.push({ field: `${at}.port`, message: `Invalid value: "${p.port}": ${m}`, fix: 'name a container port (an IANA service name) or give a number' });
    if (p.endPort !== undefined) out.push({ field: `${at}.endPort`, message: 'Invalid value: may not be specified when `port` is non-numeric', fix: 'give `port` as a number to use a range' });
  } else if (p.endPort !== undefined) {
    out.push({ field: `${at}.endPort`, message: 'Required value: may not be specified when `port` is not specified', fix: 'give the first port of the range as `port`' });
  }
  return out;
}

function peerProblems(peer: NetworkPolicyPeerWire, at: string): FieldProblem[] {
  const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (!selectors && peer.ipBlock === undefined) return [{ field: at, message: 'Required value: must specify a peer', fix: 'give pods, namespaces or an ipBlock' }];
  if (selectors && peer.ipBlock !== undefined) return [{ field: at, message: 'Forbidden: may not specify more than 1 peer type', fix: 'put the ipBlock in a peer of its own' }];
  if (peer.ipBlock === undefined) return [];
  const out: FieldProblem[] = [];
  const block = parseIpBlock(peer.ipBlock.cidr);
  if (!block) out.push({ field: `${at}.ipBlock.cidr`, message: `Invalid value: "${peer.ipBlock.cidr}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`, fix: 'give the range as address/prefix' });
  (peer.ipBlock.except ?? []).forEach((e, i) => {
    const ex = parseIpBlock(e);
    if (!ex) {
      out.push({ field: `${at}.ipBlock.except[${i}]`, message: `Invalid value: "${e}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`, fix: 'give the range as address/prefix' });
    } else if (block && (ex.family !== block.family || ex.prefix <= block.prefix || ex.base < block.base || ex.base >= block.base + block.size)) {
      out.push({ field: `${at}.ipBlock.except[${i}]`, message: `Invalid value: "${e}": must be a strict subset of \`cidr\``, fix: `except only ranges inside ${peer.ipBlock?.cidr}` });
    }
  });
  return out;
}

/** What the API server would reject in this NetworkPolicy spec, each at its field path. */
export function validateNetworkPolicySpec(spec: NetworkPolicySpecWire): FieldProblem[] {
  const out: FieldProblem[] = [];
  const types = spec.policyTypes ?? [];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') out.push({ field: `spec.policyTypes[${i}]`, message: `Unsupported value: "${t}": supported values: "Egress", "Ingress"`, fix: 'use Ingress and/or Egress' });
  });
  if (types.length > 2) out.push({ field: 'spec.policyTypes', message: `Invalid value: ${JSON.stringify(types)}: may not have more than 2 entries`, fix: 'list Ingress and Egress at most once each' });
  (spec.ingress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => out.push(...portProblems(p, `spec.ingress[${i}].ports[${j}]`)));
    (r.from ?? []).forEach((p, j) => out.push(...peerProblems(p, `spec.ingress[${i}].from[${j}]`)));
  });
  (spec.egress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => out.push(...portProblems(p, `spec.egress[${i}].ports[${j}]`)));
    (r.to ?? []).forEach((p, j) => out.push(...peerProblems(p, `spec.egress[${i}].to[${j}]`)));
  });
  return out;
}

/**
 * Differential DNS: every name the engine's DNS model (lib/engine/dns.ts) answers for a
 * scenario's namespace, asked of real CoreDNS (the `kubernetes` plugin against the local API
 * server), answers compared exactly (rcode, names, types, addresses, SRV fields; TTLs aside).
 *
 * - Direct queries go through `dig` (Debian dnsutils), one batch per namespace.
 * - Search-path expansion goes through glibc's own resolver: `getent ahostsv4` with a
 *   resolv.conf as kubelet writes it for a pod of the namespace (search list, ndots:5),
 *   bind-mounted over /etc/resolv.conf in a private mount namespace (`unshare -m`, the way
 *   `ip netns exec` does it), so the host's resolver settings are never touched.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DnsAnswer, DnsModel, DnsQueryType } from '../../lib/engine/dns';
import type { ClusterStateView } from '../../lib/engine/model';

/** One query of the check. */
export interface DnsQuery {
  readonly name: string;
  readonly type: DnsQueryType;
}

/** One name resolved the way a pod of `namespace` resolves it. */
export interface SearchQuery {
  readonly namespace: string;
  readonly name: string;
}

/** A record as compared: `TYPE name value` (SRV: `SRV name priority weight port target`). */
export type RecordText = string;

/** An answer as compared: rcode (NOERROR/NXDOMAIN/…) and the sorted records. */
export interface ComparableAnswer {
  readonly rcode: string;
  readonly records: readonly RecordText[];
}

/** Every name the engine answers for the Services, endpoints and pods of `namespace`. */
export function namesFor(state: ClusterStateView, namespace: string, domain: string): DnsQuery[] {
  const out: DnsQuery[] = [];
  const add = (name: string, ...types: DnsQueryType[]): void => { for (const type of types) out.push({ name, type }); };
  for (const svc of [...state.services.values()].filter((s) => s.namespace === namespace).sort((a, b) => a.name.localeCompare(b.name))) {
    const fqdn = `${svc.name}.${namespace}.svc.${domain}`;
    add(fqdn, 'A', 'AAAA', 'SRV');
    for (const p of svc.ports) if (p.name) add(`_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, 'SRV');
    // Endpoint names: every address of the Service's slices, ready or not (the unready ones must be NXDOMAIN).
    const hosts = new Set<string>();
    for (const slice of state.endpointSlices.get(`${namespace}/${svc.name}`) ?? []) {
      for (const ep of slice.endpoints) {
        const ip = ep.addresses[0];
        if (ip !== undefined) hosts.add(ep.hostname ?? ip.replace(/[.:]/g, '-'));
      }
    }
    for (const h of [...hosts].sort()) add(`${h}.${fqdn}`, 'A');
  }
  for (const pod of [...state.pods.values()].filter((p) => p.namespace === namespace).sort((a, b) => a.name.localeCompare(b.name))) {
    add(`${pod.ip.replace(/\./g, '-')}.${namespace}.pod.${domain}`, 'A');
    // StatefulSet pods (hostname + subdomain): the per-pod name under the governing Service.
    if (pod.hostname && pod.subdomain) add(`${pod.hostname}.${pod.subdomain}.${namespace}.svc.${domain}`, 'A');
  }
  add(`nosuch.${namespace}.svc.${domain}`, 'A');
  add(`${namespace}.svc.${domain}`, 'A');
  return dedupe(out);
}

/** Short names a pod of `namespace` would use, resolved through the search list. */
export function searchNamesFor(state: ClusterStateView, namespace: string): SearchQuery[] {
  const out: SearchQuery[] = [];
  for (const svc of [...state.services.values()].filter((s) => s.namespace === namespace).sort((a, b) => a.name.localeCompare(b.name))) {
    for (const name of [svc.name, `${svc.name}.${namespace}`, `${svc.name}.${namespace}.svc`]) out.push({ namespace, name });
  }
  out.push({ namespace, name: 'nosuch' });
  return out;
}

function dedupe(list: DnsQuery[]): DnsQuery[] {
  const seen = new Set<string>();
  return list.filter((q) => (seen.has(`${q.name} ${q.type}`) ? false : (seen.add(`${q.name} ${q.type}`), true)));
}

function strip(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The engine's answer in the compared form. FORWARDED has no CoreDNS counterpart here (no forward plugin). */
export function engineAnswer(a: DnsAnswer): ComparableAnswer {
  const rcode = a.rcode === 'NODATA' ? 'NOERROR' : a.rcode;
  const records = a.records.map((r) => (r.type === 'SRV' ? `SRV ${r.name} ${r.priority ?? 0} ${r.weight ?? 0} ${r.port ?? 0} ${strip(r.value)}` : `${r.type} ${r.name} ${strip(r.value)}`));
  return { rcode, records: records.sort() };
}

/**
 * Parse `dig +noall +comments +question +answer` output of a batch: one answer per query, in
 * order. Each begins with the `->>HEADER<<-` line; the question line names the query.
 */
export function parseDig(text: string): { name: string; type: string; answer: ComparableAnswer }[] {
  const out: { name: string; type: string; answer: ComparableAnswer }[] = [];
  let cur: { name: string; type: string; rcode: string; records: string[] } | undefined;
  const flush = (): void => { if (cur) out.push({ name: cur.name, type: cur.type, answer: { rcode: cur.rcode, records: cur.records.sort() } }); };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /->>HEADER<<-.*status: ([A-Z]+)/.exec(line);
    if (header) { flush(); cur = { name: '', type: '', rcode: header[1], records: [] }; continue; }
    if (!cur || line === '') continue;
    if (line.startsWith(';')) {
      // The question line: `;name.  IN  TYPE` (comments start with `;;` or `; WORD:`).
      const q = line.startsWith(';;') ? [] : line.slice(1).split(/\s+/);
      if (q.length === 3 && q[1] === 'IN') { cur.name = strip(q[0]); cur.type = q[2]; }
      continue;
    }
    const f = line.split(/\s+/);
    // name TTL class type rdata...
    if (f.length < 5) continue;
    const [name, , , type, ...rdata] = f;
    if (type === 'SRV') cur.records.push(`SRV ${strip(name)} ${rdata[0]} ${rdata[1]} ${rdata[2]} ${strip(rdata[3])}`);
    else cur.records.push(`${type} ${strip(name)} ${strip(rdata.join(' '))}`);
  }
  flush();
  return out;
}

/** Ask CoreDNS every query (one dig process, bounded per query by +time/+tries). */
export function digAll(server: string, queries: readonly DnsQuery[]): Map<string, ComparableAnswer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nkdns-')), 'queries');
  try {
    fs.writeFileSync(file, queries.map((q) => `${q.name}. ${q.type}\n`).join(''));
    const text = execFileSync('dig', [`@${server}`, '-p', '53', '+noall', '+comments', '+question', '+answer', '+time=2', '+tries=1', '-f', file],
      { encoding: 'utf8', timeout: 30_000 + queries.length * 3000, maxBuffer: 64 * 1024 * 1024 });
    const out = new Map<string, ComparableAnswer>();
    for (const r of parseDig(text)) out.set(`${r.name} ${r.type}`, r.answer);
    return out;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** The resolv.conf kubelet writes for a ClusterFirst pod of `namespace` (pkg/kubelet/network/dns). */
export function podResolvConf(server: string, namespace: string, domain: string, ndots: number): string {
  return `nameserver ${server}\nsearch ${namespace}.svc.${domain} svc.${domain} ${domain}\noptions ndots:${ndots} attempts:1 timeout:2\n`;
}

/** What glibc resolved: the addresses and the canonical name, or nothing. */
export interface Resolved {
  readonly ips: readonly string[];
  readonly canonical?: string;
}

/** Parse `getent ahostsv4` output: `IP STREAM canonical` on the first line, then more lines per address and socket type. */
export function parseGetent(text: string): Resolved {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const ips = [...new Set(lines.map((l) => l.split(/\s+/)[0]))].sort();
  const first = lines[0]?.split(/\s+/);
  return { ips, canonical: first && first.length >= 3 ? strip(first[2]) : undefined };
}

/** Resolve names through glibc with a pod's resolv.conf, one private mount namespace per namespace. */
export function getentAll(server: string, namespace: string, names: readonly string[], domain: string, ndots: number): Map<string, Resolved> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkres-'));
  try {
    const conf = path.join(dir, 'resolv.conf');
    fs.writeFileSync(conf, podResolvConf(server, namespace, domain, ndots));
    const script = 'mount --bind "$1" /etc/resolv.conf || exit 90; shift; for n in "$@"; do echo "### $n"; getent ahostsv4 "$n"; echo "### rc=$?"; done';
    const text = execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', conf, ...names],
      { encoding: 'utf8', timeout: 30_000 + names.length * 5000 });
    const out = new Map<string, Resolved>();
    let name = '';
    let body = '';
    for (const line of text.split('\n')) {
      const rc = /^### rc=(\d+)$/.exec(line);
      if (rc) { out.set(name, rc[1] === '0' ? parseGetent(body) : { ips: [] }); body = ''; continue; }
      const start = /^### (.+)$/.exec(line);
      if (start) { name = start[1]; body = ''; continue; }
      body += `${line}\n`;
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine's resolution from a pod of `namespace`, in the form getent gives. */
export function engineResolved(dns: DnsModel, namespace: string, name: string): Resolved {
  const r = dns.resolveFromPod(namespace, name, 'A');
  const a = r.answer;
  const ips = a.records.filter((x) => x.type === 'A').map((x) => x.value).sort();
  if (ips.length === 0) return { ips: [] };
  const cname = a.records.filter((x) => x.type === 'CNAME').pop();
  return { ips, canonical: strip(cname ? cname.value : a.name) };
}

/** Differences between two compared answers, as one line, or undefined when equal. */
export function answerDifference(label: string, engine: ComparableAnswer, real: ComparableAnswer | undefined): string | undefined {
  if (!real) return `${label}: no answer from CoreDNS`;
  if (engine.rcode === real.rcode && engine.records.join('|') === real.records.join('|')) return undefined;
  return `${label}: engine ${engine.rcode} [${engine.records.join('; ')}], CoreDNS ${real.rcode} [${real.records.join('; ')}]`;
}

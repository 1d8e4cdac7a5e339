/**
 * IPv4 text on plain numbers for the engine's hot paths (a ClusterIP or pod CIDR per Service and
 * node at build time): the same answers as `parseIPv4`, `parseIPv4Cidr` and `ipFamilyOf` of
 * `lib/k8s/ip`, without ipaddr.js objects or bigints for the IPv4 case. Anything that is not a
 * strict dotted quad falls through to `lib/k8s/ip`, so IPv6 stays exactly as it parses there.
 */
import { IPv4CIDR, IpFamily, ipFamilyOf } from '../k8s/ip';

/**
 * A strict dotted-quad IPv4 address (four decimal parts of 0-255, no leading zeros, nothing
 * else: ipaddr.js's `isValidFourPartDecimal`) as an unsigned 32-bit number; -1 when it is not one.
 */
export function ipv4Number(s: string, from = 0, to = s.length): number {
  let n = 0;
  let parts = 0;
  let i = from;
  while (i < to) {
    const start = i;
    let part = 0;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      part = part * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    // One to three digits, no leading zero, at most 255.
    if (len === 0 || len > 3 || (len > 1 && s.charCodeAt(start) === 48) || part > 255) return -1;
    n = n * 256 + part;
    parts++;
    if (i === to) break;
    if (parts === 4 || s.charCodeAt(i) !== 46) return -1;
    i++;
    if (i === to) return -1; // trailing dot
  }
  return parts === 4 ? n : -1;
}

/** `parseIPv4` of `lib/k8s/ip` without ipaddr.js: the address as a number, undefined when not a strict IPv4. */
export function parseIPv4Fast(s: string): number | undefined {
  const n = ipv4Number(s);
  return n < 0 ? undefined : n;
}

/** `ipFamilyOf` of `lib/k8s/ip`, answering IPv4 addresses without ipaddr.js. */
export function familyOf(s: string): IpFamily | undefined {
  return ipv4Number(s) >= 0 ? 'IPv4' : ipFamilyOf(s);
}

/**
 * `parseIPv4Cidr` of `lib/k8s/ip` on numbers: `a.b.c.d/n` (a prefix of one to three digits, at
 * most 32) with host bits masked off; undefined when malformed or not IPv4.
 */
export function parseIPv4CidrFast(s: string): IPv4CIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const plen = s.length - slash - 1;
  if (plen < 1 || plen > 3) return undefined;
  let prefix = 0;
  for (let i = slash + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    prefix = prefix * 10 + (c - 48);
  }
  if (prefix > 32) return undefined;
  const ip = ipv4Number(s, 0, slash);
  if (ip < 0) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix, size };
}

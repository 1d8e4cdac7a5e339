/**
 * IP addresses and CIDR blocks, IPv4 and IPv6, on ipaddr.js: the one implementation the
 * validator, the engine (allocators, kube-proxy source ranges) and the graph share. Addresses
 * are strict as the API server parses them (`k8s.io/utils/net`): dotted-quad IPv4 (no short or
 * hex forms, no leading zeros) or IPv6.
 *
 * Two representations: a family-tagged {@link IpBlock} with bigint offsets (any family, for
 * dual-stack), and the IPv4 fast path on plain numbers ({@link parseIPv4}, {@link IPv4CIDR}) that
 * the allocators use for thousands of pods per build.
 */
import * as ipaddr from 'ipaddr.js';

/** Address family, with the wire values of `Service.spec.ipFamilies`. */
export type IpFamily = 'IPv4' | 'IPv6';

/** A strictly formed IPv4 (dotted quad) or IPv6 address. */
export function parseIp(value: string): IpAddress | undefined {
  return parseAddress(value);
}

/**
 * A parsed address, as {@link parseIp} returns it: the part of ipaddr.js's classes callers use,
 * named here so the public declarations do not need ipaddr.js's types.
 */
export interface IpAddress {
  kind(): 'ipv4' | 'ipv6';
  toByteArray(): number[];
  /** ipaddr.js's range name (`unspecified`, `loopback`, `linkLocal`, `multicast`, ...). */
  range(): string;
  toString(): string;
}

function parseAddress(value: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (ipaddr.IPv6.isValid(value)) return ipaddr.IPv6.parse(value);
  return undefined;
}

/** True for a dotted-quad IPv4 or an IPv6 address. */
export function isIpAddress(value: string): boolean {
  return parseIp(value) !== undefined;
}

/** The family of a strictly formed address; undefined when it is none. */
export function ipFamilyOf(value: string): IpFamily | undefined {
  const ip = parseIp(value);
  return ip === undefined ? undefined : ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
}

/** A CIDR block of either family; offsets are bigints so IPv6 /64s fit. */
export interface IpBlock {
  readonly family: IpFamily;
  /** Network address (host bits cleared) as an unsigned integer. */
  readonly base: bigint;
  readonly prefix: number;
  /** Number of addresses in the block. */
  readonly size: bigint;
}

function toBigInt(ip: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of ip.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

/** `a.b.c.d/n` or an IPv6 CIDR -> block (host bits masked off); undefined when malformed. */
export function parseIpBlock(value: string): IpBlock | undefined {
  const [address, prefixText, ...rest] = value.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const ip = parseAddress(address);
  if (!ip) return undefined;
  const bits = ip.kind() === 'ipv4' ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const size = 1n << BigInt(bits - prefix);
  const n = toBigInt(ip);
  return { family: ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6', base: n - (n % size), prefix, size };
}

/** True for `a.b.c.d/n` or an IPv6 CIDR. */
export function isCidr(value: string): boolean {
  return parseIpBlock(value) !== undefined;
}

/** The address at `offset` from the start of `block`, in its canonical text form. */
export function addressInBlock(block: IpBlock, offset: bigint): string {
  const bytes: number[] = [];
  let n = block.base + offset;
  for (let i = block.family === 'IPv4' ? 4 : 16; i > 0; i--) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** True when the address `ip` (either family) lies in `block`. */
export function blockContains(block: IpBlock, ip: string): boolean {
  const addr = parseAddress(ip);
  if (!addr || (addr.kind() === 'ipv4') !== (block.family === 'IPv4')) return false;
  const n = toBigInt(addr);
  return n >= block.base && n < block.base + block.size;
}

/** A parsed source range, with its IPv4 bounds as numbers (the common case stays off bigint). */
interface CachedRange {
  readonly block: IpBlock;
  readonly v4?: IPv4CIDR;
}

const rangeCache = new Map<string, CachedRange | null>();

function cachedRange(cidr: string): CachedRange | null {
  let r = rangeCache.get(cidr);
  if (r === undefined) {
    const block = parseIpBlock(cidr.trim());
    r = block ? { block, v4: block.family === 'IPv4' ? { base: Number(block.base), prefix: block.prefix, size: Number(block.size) } : undefined } : null;
    rangeCache.set(cidr, r);
  }
  return r;
}

/**
 * True when `ip` lies in one of `cidrs` (`loadBalancerSourceRanges`, kube-proxy). Ranges of the
 * other family and unparseable ranges never match (the validator reports the latter).
 */
export function inAnyRange(ip: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return false;
  const v4 = parseIPv4(ip);
  let v6: bigint | undefined;
  if (v4 === undefined) {
    if (!ipaddr.IPv6.isValid(ip)) return false;
    v6 = toBigInt(ipaddr.IPv6.parse(ip));
  }
  for (const cidr of cidrs) {
    const r = cachedRange(cidr);
    if (!r) continue;
    if (v4 !== undefined) {
      if (r.v4 && cidrContains(r.v4, v4)) return true;
    } else if (r.block.family === 'IPv6' && v6! >= r.block.base && v6! < r.block.base + r.block.size) {
      return true;
    }
  }
  return false;
}

/**
 * Problems with an address used as an endpoint or external IP, as `ValidateEndpointIP` in
 * `pkg/apis/core/validation/validation.go` checks them.
 */
export function endpointIpProblems(value: string): string[] {
  const ip = parseIp(value);
  if (!ip) return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  const range = ip.range();
  if (range === 'unspecified') return [`may not be unspecified (${value})`];
  if (range === 'loopback') return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if (range === 'linkLocal') return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  return [];
}

// --- IPv4 on plain numbers: the allocators' fast path ---

/** `10.1.2.3` -> unsigned 32-bit number, or undefined when not a strict dotted-quad IPv4 address. */
export function parseIPv4(s: string): number | undefined {
  // ipaddr.js decides what is valid; the value of four validated decimal parts is then plain arithmetic.
  if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  const p = s.split('.');
  return ((Number(p[0]) * 256 + Number(p[1])) * 256 + Number(p[2])) * 256 + Number(p[3]);
}

/** Unsigned 32-bit number -> `10.1.2.3`. Plain arithmetic: it runs once per allocated address. */
export function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** An IPv4 CIDR block on numbers. */
export interface IPv4CIDR {
  /** Network address. */
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses, including network and broadcast. */
  readonly size: number;
}

/** `10.96.0.0/12` -> IPv4 block (host bits masked off), or undefined when invalid or IPv6. */
export function parseIPv4Cidr(s: string): IPv4CIDR | undefined {
  const block = parseIpBlock(s);
  if (!block || block.family !== 'IPv4') return undefined;
  return { base: Number(block.base), prefix: block.prefix, size: Number(block.size) };
}

/** True when the IPv4 number `ip` lies in `cidr`. */
export function cidrContains(cidr: IPv4CIDR, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

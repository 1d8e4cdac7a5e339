/**
 * ClusterIP allocation, following kubernetes `pkg/registry/core/service/ipallocator`:
 * - the network and broadcast addresses of the service CIDR are never allocated;
 * - the first usable address (e.g. 10.96.0.1) belongs to the `default/kubernetes` Service
 *   (reserved here; that Service itself is not simulated);
 * - KEP-3070 bands: the lower `min(max(16, size/16), 256)` addresses are the static band,
 *   preferred by nobody but explicit `clusterIP`s; dynamic allocation tries the upper band first,
 *   then the lower band.
 * Upstream picks a random start; we start at a hash of `namespace/name` and probe linearly, so
 * the same Service gets the same IP whatever else is in the input.
 */
import { fnv1a32 } from '../hash';
import { IPv4CIDR, IpBlock, addressInBlock, formatIPv4, parseIp } from '../../k8s/ip';
import { parseIPv4Fast as parseIPv4 } from '../ipv4';

/** Result of reserving an explicit address. */
export type ReserveResult = 'ok' | 'invalid' | 'out-of-range' | 'conflict';

/** `calculateRangeOffset`: size of the static band for a range of `size` addresses. */
export function ipRangeOffset(size: number): number {
  const min = 16;
  const max = 256;
  const step = 16;
  if (size < min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

/** Allocates ClusterIPs from one IPv4 service CIDR. */
export class ClusterIPAllocator {
  private readonly owner = new Map<number, string>();
  /** First and last allocatable address. */
  private readonly first: number;
  private readonly last: number;
  private readonly offset: number;

  /** `reserveKubernetes`: false when IPv4 is the secondary family (the `kubernetes` Service is single-stack, primary family). */
  constructor(cidr: IPv4CIDR, reserveKubernetes = true) {
    this.first = cidr.base + 1;
    this.last = cidr.base + cidr.size - 2;
    this.offset = ipRangeOffset(Math.max(0, this.last - this.first + 1));
    if (reserveKubernetes && this.first <= this.last) this.owner.set(this.first, 'default/kubernetes');
  }

  /** The owner (`namespace/name`) of an allocated address. */
  public ownerOf(ip: string): string | undefined {
    const n = parseIPv4(ip);
    return n === undefined ? undefined : this.owner.get(n);
  }

  /** Reserve an explicit `clusterIP` for `key`. */
  public reserve(ip: string, key: string): ReserveResult {
    const n = parseIPv4(ip);
    if (n === undefined) return 'invalid';
    if (n < this.first || n > this.last) return 'out-of-range';
    const cur = this.owner.get(n);
    if (cur !== undefined && cur !== key) return 'conflict';
    this.owner.set(n, key);
    return 'ok';
  }

  /** Allocate a free address for `key`: upper band first, then the static band. */
  public allocate(key: string): string | undefined {
    const lowStart = this.first;
    const upStart = this.first + this.offset;
    const upSize = this.last - upStart + 1;
    const seed = fnv1a32(key);
    if (upSize > 0) {
      const found = this.probe(upStart, upSize, seed % upSize, key);
      if (found !== undefined) return found;
    }
    return this.offset > 0 ? this.probe(lowStart, this.offset, seed % this.offset, key) : undefined;
  }

  /** Free an address. */
  public release(ip: string, key: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined && this.owner.get(n) === key) this.owner.delete(n);
  }

  private probe(start: number, size: number, from: number, key: string): string | undefined {
    for (let i = 0; i < size; i++) {
      const n = start + ((from + i) % size);
      if (!this.owner.has(n)) {
        this.owner.set(n, key);
        return formatIPv4(n);
      }
    }
    return undefined;
  }
}

/**
 * ClusterIPs from an IPv6 service CIDR, with the same bands and probing as
 * {@link ClusterIPAllocator} on bigints. Upstream differences for IPv6 (`ipallocator.go`
 * NewIPAllocatorFromSlice / hostsPerNetwork): only the network address is excluded (the last
 * address is usable), the size counted for the band is capped at 2^64 - 1, and the range must be
 * a /64 or longer (the profile checks that).
 */
export class ClusterIPv6Allocator {
  private readonly owner = new Map<bigint, string>();
  private readonly first: bigint;
  private readonly last: bigint;
  private readonly offset: bigint;

  constructor(private readonly block: IpBlock, reserveKubernetes = true) {
    this.first = 1n;
    this.last = block.size - 1n;
    const hosts = block.size - 1n;
    this.offset = BigInt(ipRangeOffset(hosts > 1n << 32n ? 2 ** 32 : Number(hosts)));
    if (reserveKubernetes && this.first <= this.last) this.owner.set(this.first, 'default/kubernetes');
  }

  /** The owner (`namespace/name`) of an allocated address. */
  public ownerOf(ip: string): string | undefined {
    const o = this.offsetOf(ip);
    return o === undefined ? undefined : this.owner.get(o);
  }

  /** Reserve an explicit IPv6 `clusterIP` for `key`. */
  public reserve(ip: string, key: string): ReserveResult {
    const addr = parseIp(ip);
    if (!addr || addr.kind() !== 'ipv6') return 'invalid';
    const o = this.offsetOf(ip);
    if (o === undefined || o < this.first || o > this.last) return 'out-of-range';
    const cur = this.owner.get(o);
    if (cur !== undefined && cur !== key) return 'conflict';
    this.owner.set(o, key);
    return 'ok';
  }

  /** Allocate a free address for `key`: upper band first, then the static band. */
  public allocate(key: string): string | undefined {
    const upStart = this.first + this.offset;
    const upSize = this.last - upStart + 1n;
    const seed = BigInt(fnv1a32(key));
    if (upSize > 0n) {
      const found = this.probe(upStart, upSize, seed % upSize, key);
      if (found !== undefined) return found;
    }
    return this.offset > 0n ? this.probe(this.first, this.offset, seed % this.offset, key) : undefined;
  }

  /** Free an address. */
  public release(ip: string, key: string): void {
    const o = this.offsetOf(ip);
    if (o !== undefined && this.owner.get(o) === key) this.owner.delete(o);
  }

  private offsetOf(ip: string): bigint | undefined {
    const addr = parseIp(ip);
    if (!addr || addr.kind() !== 'ipv6') return undefined;
    let n = 0n;
    for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
    const o = n - this.block.base;
    return o >= 0n && o < this.block.size ? o : undefined;
  }

  private probe(start: bigint, size: bigint, from: bigint, key: string): string | undefined {
    // Bounded: a service range holds far fewer Services than addresses, so this stops early.
    const limit = size < 1n << 20n ? size : 1n << 20n;
    for (let i = 0n; i < limit; i++) {
      const o = start + ((from + i) % size);
      if (!this.owner.has(o)) {
        this.owner.set(o, key);
        return addressInBlock(this.block, o);
      }
    }
    return undefined;
  }
}

/**
 * Pod IPs from each node's podCIDR, as host-local IPAM with the bridge plugin does (CNI
 * `plugins/ipam/host-local`): the first address (.1) is the bridge gateway, so pods get .2, .3, ...
 * Simplification: a released IP is reused lowest-first (host-local continues round-robin).
 */
import { IpBlock, IpFamily, addressInBlock, formatIPv4, parseIp, parseIpBlock } from '../../k8s/ip';
import { familyOf as ipFamilyOf, parseIPv4CidrFast as parseCIDR, parseIPv4Fast as parseIPv4 } from '../ipv4';
import { NodeInfo } from '../model';

interface NodePool {
  readonly base: number;
  readonly used: Uint8Array;
  next: number;
  /** The first three octets (`a.b.c.`) of the last address handed out, and their number (`ip >>> 8`). */
  prefix: string;
  prefixOf: number;
}

/** Allocates pod IPs per node. */
export class PodIPAllocator {
  private readonly pools = new Map<string, NodePool>();

  /** Register a node's pod CIDR; false when the CIDR is invalid. */
  public addNode(node: NodeInfo): boolean {
    if (this.pools.has(node.name)) return true;
    const cidr = parseCIDR(node.podCIDR);
    if (!cidr) return false;
    const size = Math.min(cidr.size, 65536);
    this.pools.set(node.name, { base: cidr.base, used: new Uint8Array(size), next: 2, prefix: '', prefixOf: -1 });
    return true;
  }

  /** Next free IP on `node`, or undefined when the CIDR is exhausted. */
  public allocate(node: string): string | undefined {
    const pool = this.pools.get(node);
    if (!pool) return undefined;
    const last = pool.used.length - 2; // the broadcast address is not usable
    for (let o = pool.next; o <= last; o++) {
      if (!pool.used[o]) {
        pool.used[o] = 1;
        pool.next = o + 1;
        return formatPooled(pool, pool.base + o);
      }
    }
    return undefined;
  }

  /** Mark an explicit IP as used (bare Pods with status.podIP). */
  public reserve(node: string, ip: string): void {
    const pool = this.pools.get(node);
    const n = parseIPv4(ip);
    if (!pool || n === undefined) return;
    const o = n - pool.base;
    if (o >= 0 && o < pool.used.length) pool.used[o] = 1;
  }

  /** Return an IP to its node's pool. */
  public release(node: string, ip: string): void {
    const pool = this.pools.get(node);
    const n = parseIPv4(ip);
    if (!pool || n === undefined) return;
    const o = n - pool.base;
    if (o >= 0 && o < pool.used.length) {
      pool.used[o] = 0;
      if (o < pool.next) pool.next = o;
    }
  }
}

/** `formatIPv4(ip)`, reusing the pool's `a.b.c.` prefix string: one string per pod IP, not seven. */
function formatPooled(pool: NodePool, ip: number): string {
  const hi = Math.floor(ip / 256);
  if (hi !== pool.prefixOf) {
    const full = formatIPv4(ip);
    pool.prefix = full.slice(0, full.lastIndexOf('.') + 1);
    pool.prefixOf = hi;
    return full;
  }
  return pool.prefix + String(ip % 256);
}

/**
 * IPv6 pod IPs per node, host-local style as {@link PodIPAllocator}: `::1` is the bridge
 * gateway, pods get `::2`, `::3`, ... of the node's IPv6 pod CIDR. Offsets are kept in a set
 * (a /64 has far more addresses than a node has pods).
 */
export class PodIPv6Allocator {
  private readonly pools = new Map<string, { readonly block: IpBlock; readonly used: Set<bigint>; next: bigint }>();

  /** Register a node's IPv6 pod CIDR; false when it is not one. */
  public addNode(node: NodeInfo): boolean {
    if (this.pools.has(node.name)) return true;
    const block = node.podCIDRv6 === undefined ? undefined : parseIpBlock(node.podCIDRv6);
    if (!block || block.family !== 'IPv6') return false;
    this.pools.set(node.name, { block, used: new Set(), next: 2n });
    return true;
  }

  /** Next free IPv6 address on `node`. */
  public allocate(node: string): string | undefined {
    const pool = this.pools.get(node);
    if (!pool) return undefined;
    for (let o = pool.next; o < pool.block.size; o++) {
      if (!pool.used.has(o)) {
        pool.used.add(o);
        pool.next = o + 1n;
        return addressInBlock(pool.block, o);
      }
    }
    return undefined;
  }

  /** Mark an explicit IPv6 address as used. */
  public reserve(node: string, ip: string): void {
    const pool = this.pools.get(node);
    const o = pool ? offsetIn(pool.block, ip) : undefined;
    if (pool && o !== undefined) pool.used.add(o);
  }

  /** Return an address to its node's pool. */
  public release(node: string, ip: string): void {
    const pool = this.pools.get(node);
    const o = pool ? offsetIn(pool.block, ip) : undefined;
    if (!pool || o === undefined) return;
    pool.used.delete(o);
    if (o < pool.next) pool.next = o;
  }
}

function offsetIn(block: IpBlock, ip: string): bigint | undefined {
  const addr = parseIp(ip);
  if (!addr || addr.kind() !== 'ipv6') return undefined;
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  const o = n - block.base;
  return o >= 0n && o < block.size ? o : undefined;
}

/**
 * Pod IPs of every cluster family (`status.podIPs`, primary first), for clusters that are not
 * IPv4 single-stack: one address from each of the node's pod CIDRs, as a dual-stack CNI does.
 */
export class FamilyPodIPs {
  constructor(private readonly families: readonly IpFamily[], private readonly v4: PodIPAllocator, private readonly v6: PodIPv6Allocator) {}

  /** Register a node; the families whose pod CIDR is missing or malformed come back. */
  public addNode(node: NodeInfo): IpFamily[] {
    const bad: IpFamily[] = [];
    for (const f of this.families) if (!(f === 'IPv4' ? this.v4.addNode(node) : this.v6.addNode(node))) bad.push(f);
    return bad;
  }

  /**
   * One IP per family on `node`; explicit ones (a bare Pod's `status.podIPs`) are reserved and
   * kept. Undefined (nothing held) when a family's range is full.
   */
  public allocate(node: string, explicit: readonly string[]): string[] | undefined {
    const out: string[] = [];
    for (const f of this.families) {
      const given = explicit.find((ip) => ipFamilyOf(ip) === f);
      if (given !== undefined) {
        if (f === 'IPv4') this.v4.reserve(node, given); else this.v6.reserve(node, given);
        out.push(given);
        continue;
      }
      const ip = f === 'IPv4' ? this.v4.allocate(node) : this.v6.allocate(node);
      if (ip === undefined) {
        this.release(node, out);
        return undefined;
      }
      out.push(ip);
    }
    return out;
  }

  /** Return a pod's IPs to their pools. */
  public release(node: string, ips: readonly string[]): void {
    for (const ip of ips) {
      if (ipFamilyOf(ip) === 'IPv6') this.v6.release(node, ip); else this.v4.release(node, ip);
    }
  }
}

/**
 * Pod IPs from each node's podCIDR, as host-local IPAM with the bridge plugin does (CNI
 * `plugins/ipam/host-local`): the first address (.1) is the bridge gateway, so pods get .2, .3, ...
 * Simplification: a released IP is reused lowest-first (host-local continues round-robin).
 */
import { formatIPv4, parseIPv4Cidr as parseCIDR, parseIPv4 } from '../../k8s/ip';
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

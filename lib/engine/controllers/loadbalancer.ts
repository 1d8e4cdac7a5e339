/**
 * A stand-in for a cloud load-balancer controller (the service controller in
 * `staging/src/k8s.io/cloud-provider/controllers/service`, or MetalLB): each LoadBalancer Service
 * gets one ingress IP from a pool, in the order Services are allocated. The default pool is
 * 192.0.2.0/24 (RFC 5737 TEST-NET-1, never routable), starting at .1. `spec.loadBalancerIP`
 * (deprecated upstream) is honoured when set.
 */
import { IPv4CIDR, formatIPv4, parseIPv4 } from '../../k8s/ip';

/** Hands out LoadBalancer ingress IPs. */
export class LoadBalancerPool {
  private readonly owner = new Map<number, string>();

  constructor(private readonly cidr: IPv4CIDR) {}

  /** The IP for `key`: `requested` when given and free, else the lowest free pool address. */
  public allocate(key: string, requested?: string): string | undefined {
    if (requested) {
      const n = parseIPv4(requested);
      if (n !== undefined && (this.owner.get(n) ?? key) === key) {
        this.owner.set(n, key);
        return requested;
      }
      return undefined;
    }
    for (let n = this.cidr.base + 1; n < this.cidr.base + this.cidr.size - 1; n++) {
      if (!this.owner.has(n)) {
        this.owner.set(n, key);
        return formatIPv4(n);
      }
    }
    return undefined;
  }

  /** Free every address of `key`. */
  public release(key: string): void {
    for (const [n, k] of this.owner) if (k === key) this.owner.delete(n);
  }
}

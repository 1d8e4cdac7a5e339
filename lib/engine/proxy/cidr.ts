/** CIDR membership for `loadBalancerSourceRanges`, via ipaddr.js. */
import * as ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cache = new Map<string, Range | null>();

function parseRange(cidr: string): Range | null {
  let r = cache.get(cidr);
  if (r === undefined) {
    try {
      r = ipaddr.parseCIDR(cidr.trim());
    } catch {
      r = null;
    }
    cache.set(cidr, r);
  }
  return r;
}

/** True when `ip` lies in one of `cidrs`. Unparseable ranges never match (the validator reports them). */
export function inAnyRange(ip: string, cidrs: readonly string[]): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  for (const cidr of cidrs) {
    const range = parseRange(cidr);
    if (range && range[0].kind() === addr.kind() && addr.match(range)) return true;
  }
  return false;
}

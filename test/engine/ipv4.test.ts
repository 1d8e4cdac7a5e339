/**
 * lib/engine/ipv4.ts answers exactly as lib/k8s/ip (ipaddr.js underneath) for every string: the
 * engine reads ClusterIPs, pod CIDRs and pod IPs through it at build time.
 */
import { ipFamilyOf, parseIPv4, parseIPv4Cidr } from '../../lib/k8s/ip';
import { familyOf, parseIPv4CidrFast, parseIPv4Fast } from '../../lib/engine/ipv4';

const ADDRESSES = [
  '10.0.0.1', '0.0.0.0', '255.255.255.255', '10.96.0.10', '192.168.1.255', '99.99.99.99',
  '256.1.1.1', '1.2.3.256', '01.2.3.4', '1.2.3.04', '0.0.0.00', '1000.1.1.1', '1.2.3', '1.2.3.4.5',
  '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4\n', '1.2.3.-4', '1.2.3.+4',
  '0x1.2.3.4', '1e2.1.1.1', 'a.b.c.d', '', '1.2.3.4/24', '\uff11.2.3.4',
  '::1', '2001:db8::1', '::ffff:1.2.3.4', 'fd00:10:96::a', '2001:db8::g',
];

const CIDRS = [
  '10.0.0.0/8', '10.1.2.3/24', '10.1.2.3/0', '10.1.2.3/32', '10.1.2.3/33', '10.1.2.3/', '10.1.2.3/024',
  '10.1.2.3/0024', '10.1.2.3', '/24', '10.1.2.3/24/1', '10.1.2.3/ 2', '10.244.5.0/24', '1.2.3.4/-1',
  '1.2.3.4/2a', '255.255.255.255/31', '01.2.3.4/8', '256.0.0.0/8', 'fd00::/64', '2001:db8::/112',
];

describe('engine IPv4 on numbers', () => {
  it.each(ADDRESSES)('address %j: same number and family as lib/k8s/ip', (s) => {
    expect(parseIPv4Fast(s)).toBe(parseIPv4(s));
    expect(familyOf(s)).toBe(ipFamilyOf(s));
  });

  it.each(CIDRS)('CIDR %j: same block as lib/k8s/ip', (s) => {
    expect(parseIPv4CidrFast(s)).toEqual(parseIPv4Cidr(s));
  });

  it('agrees with lib/k8s/ip on generated dotted strings (leading zeros, out of range, 3 or 4 parts, prefixes)', () => {
    let x = 1;
    const differ: string[] = [];
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const parts = [x & 511, (x >> 9) & 511, (x >> 18) & 255, (x >> 3) & 300].map((p, j) => ((x >> (20 + j)) & 1 && p < 10 ? `0${p}` : String(p)));
      const s = parts.slice(0, 3 + ((x >> 28) & 1)).join('.') + ((x >> 29) & 1 ? `/${x % 40}` : '');
      if (parseIPv4Fast(s) !== parseIPv4(s) || JSON.stringify(parseIPv4CidrFast(s)) !== JSON.stringify(parseIPv4Cidr(s))) differ.push(s);
    }
    expect(differ).toEqual([]);
  });
});

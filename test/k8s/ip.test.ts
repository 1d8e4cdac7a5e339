import {
  addressInBlock, blockContains, cidrContains, formatIPv4, inAnyRange, ipFamilyOf, isCidr, parseIPv4, parseIPv4Cidr, parseIpBlock,
} from '../../lib/k8s/ip';

describe('one IP implementation for IPv4 and IPv6 (k8s/ip)', () => {
  test('addresses are strict as the API server parses them', () => {
    expect(parseIPv4('10.96.0.10')).toBe(((10 * 256 + 96) * 256 + 0) * 256 + 10);
    expect(parseIPv4('255.255.255.255')).toBe(2 ** 32 - 1);
    for (const bad of ['10.96.0', '10.96.0.256', '0x0a.0.0.1', '10.0.0.1/8', 'fd00::1', '', 'a.b.c.d']) expect(parseIPv4(bad)).toBeUndefined();
    expect(formatIPv4(parseIPv4('192.0.2.255')!)).toBe('192.0.2.255');
    expect(ipFamilyOf('10.0.0.1')).toBe('IPv4');
    expect(ipFamilyOf('fd00:10:96::a')).toBe('IPv6');
    expect(ipFamilyOf('10.0.0')).toBeUndefined();
  });

  test('blocks of both families, host bits masked', () => {
    expect(parseIpBlock('10.96.0.1/12')).toEqual({ family: 'IPv4', base: BigInt(parseIPv4('10.96.0.0')!), prefix: 12, size: 2n ** 20n });
    const v6 = parseIpBlock('fd00:10:96::1/108')!;
    expect(v6).toMatchObject({ family: 'IPv6', prefix: 108, size: 2n ** 20n });
    expect(addressInBlock(v6, 0n)).toBe('fd00:10:96::');
    expect(addressInBlock(v6, 10n)).toBe('fd00:10:96::a');
    expect(addressInBlock(parseIpBlock('10.244.1.0/24')!, 255n)).toBe('10.244.1.255');
    expect(blockContains(v6, 'fd00:10:96::f:ffff')).toBe(true);
    expect(blockContains(v6, 'fd00:10:96::10:0')).toBe(false);
    expect(blockContains(v6, '10.96.0.1')).toBe(false);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0', '10.0.0.0/8/1', '10.0.0.0/-1']) expect(isCidr(bad)).toBe(false);
  });

  test('the IPv4 number view agrees with the generic block', () => {
    const c = parseIPv4Cidr('10.96.0.0/12')!;
    expect(c).toEqual({ base: parseIPv4('10.96.0.0'), prefix: 12, size: 2 ** 20 });
    expect(cidrContains(c, parseIPv4('10.111.255.255')!)).toBe(true);
    expect(cidrContains(c, parseIPv4('10.112.0.0')!)).toBe(false);
    expect(parseIPv4Cidr('fd00::/64')).toBeUndefined();
  });

  test('source ranges match within their family only; malformed ranges never match', () => {
    expect(inAnyRange('203.0.113.9', ['198.51.100.0/24', '203.0.113.0/28'])).toBe(true);
    expect(inAnyRange('203.0.113.99', ['203.0.113.0/28'])).toBe(false);
    expect(inAnyRange('2001:db8::5', ['2001:db8::/64'])).toBe(true);
    expect(inAnyRange('2001:db8:1::5', ['2001:db8::/64', '0.0.0.0/0'])).toBe(false);
    expect(inAnyRange('10.0.0.1', ['not-a-cidr', ' 10.0.0.0/8 '])).toBe(true);
    expect(inAnyRange('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });
});

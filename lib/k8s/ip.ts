import * as ipaddr from 'ipaddr.js';

/** A strictly formed IPv4 (dotted quad) or IPv6 address. */
export function parseIp(value: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (ipaddr.IPv6.isValid(value)) return ipaddr.IPv6.parse(value);
  return undefined;
}

/** True for a dotted-quad IPv4 or an IPv6 address. */
export function isIpAddress(value: string): boolean {
  return parseIp(value) !== undefined;
}

/** True for `a.b.c.d/n` or an IPv6 CIDR. */
export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const ip = parseIp(address);
  if (!ip) return false;
  return Number(prefix) <= (ip.kind() === 'ipv4' ? 32 : 128);
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

/** Minimal IPv4 arithmetic on unsigned 32-bit numbers (the engine simulates IPv4 single-stack). */

/** `10.1.2.3` -> number, or undefined when not a dotted-quad IPv4 address. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** number -> `10.1.2.3`. */
export function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** An IPv4 CIDR block. */
export interface IPv4CIDR {
  /** Network address. */
  readonly base: number;
  readonly prefix: number;
  /** Number of addresses, including network and broadcast. */
  readonly size: number;
}

/** `10.96.0.0/12` -> block (host bits are masked off), or undefined when invalid. */
export function parseCIDR(s: string): IPv4CIDR | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const ip = parseIPv4(m[1]);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix, size };
}

/** True when `ip` lies in `cidr`. */
export function cidrContains(cidr: IPv4CIDR, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

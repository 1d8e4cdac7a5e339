/** Deterministic stand-ins for the random parts of Kubernetes (names, hashes). */

/** FNV-1a's offset basis: the hash of the empty string. */
export const FNV1A32_OFFSET = 0x811c9dc5;

/** 32-bit FNV-1a of a string (upstream hashes pod templates with FNV-32a too). */
export function fnv1a32(s: string): number {
  return fnv1a32Update(FNV1A32_OFFSET, s);
}

/** Continue an FNV-1a hash `h` with the characters of `s` (so hashing `a + b` needs no `a + b` string). */
export function fnv1a32Update(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Continue an FNV-1a hash `h` with the decimal digits of a non-negative integer (as `String(n)` would be hashed). */
export function fnv1a32UpdateInt(h: number, n: number): number {
  let div = 1;
  while (div * 10 <= n) div *= 10;
  for (; div >= 1; div /= 10) {
    h ^= 48 + (Math.floor(n / div) % 10);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The alphabet of `k8s.io/apimachinery/pkg/util/rand` (no vowels, no confusable characters),
 * used for generateName suffixes and pod-template-hash values.
 */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Encode a number in the apimachinery alphabet, at least `minLen` characters. */
export function safeEncode(n: number, minLen: number): string {
  let out = '';
  let v = n >>> 0;
  while (out.length < minLen || v > 0) {
    out += ALPHANUMS[v % ALPHANUMS.length];
    v = Math.floor(v / ALPHANUMS.length);
    if (out.length >= 10) break;
  }
  return out;
}

/** A deterministic 5-character generateName suffix for `seed`. */
export function nameSuffix(seed: string): string {
  return suffixOfHash(fnv1a32(seed));
}

const ALPHANUM_CODES = [...ALPHANUMS].map((c) => c.charCodeAt(0));

/**
 * The suffix {@link nameSuffix} makes of a hash: the first 5 characters of `safeEncode(h, 5)`
 * (its five lowest base-27 digits), built as one string.
 */
export function suffixOfHash(h: number): string {
  const n = ALPHANUMS.length;
  const v = h >>> 0;
  return String.fromCharCode(
    ALPHANUM_CODES[v % n], ALPHANUM_CODES[Math.floor(v / n) % n], ALPHANUM_CODES[Math.floor(v / (n * n)) % n],
    ALPHANUM_CODES[Math.floor(v / (n * n * n)) % n], ALPHANUM_CODES[Math.floor(v / (n * n * n * n)) % n],
  );
}

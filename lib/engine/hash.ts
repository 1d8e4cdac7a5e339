/** Deterministic stand-ins for the random parts of Kubernetes (names, hashes). */

/** 32-bit FNV-1a of a string (upstream hashes pod templates with FNV-32a too). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
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
  return safeEncode(fnv1a32(seed), 5).slice(0, 5);
}

/**
 * Bytes of a manifest file -> text. Like kubectl (its YAML reader, `go-yaml`'s
 * `yaml_parser_determine_encoding`, and `k8s.io/apimachinery/pkg/util/yaml`), UTF-8 is the
 * default, a byte order mark selects UTF-16 or UTF-32, and invalid UTF-8 is an error with the
 * line it is on rather than replacement characters in names.
 */

/** The text, or what is wrong with the bytes and on which 1-based line. */
export type Decoded = { readonly text: string } | { readonly error: string; readonly line: number };

/** Decode `bytes` as described in the module comment. */
export function decodeManifestBytes(bytes: Uint8Array): Decoded {
  const b = bytes;
  // UTF-32 first: its little-endian mark starts with the UTF-16 LE one.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return utf32(b.subarray(4), true);
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return utf32(b.subarray(4), false);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return utf16(b.subarray(2), true);
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), false);
  const body = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    const at = firstInvalidUtf8(body);
    return { error: `invalid UTF-8 (byte 0x${body[at].toString(16).padStart(2, '0')} at offset ${at})`, line: lineAt(body, at) };
  }
}

function utf16(b: Uint8Array, little: boolean): Decoded {
  if (b.length % 2 !== 0) return { error: 'UTF-16 text with an odd number of bytes', line: 0 };
  const swapped = little ? b : swapPairs(b);
  try {
    return { text: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(swapped) };
  } catch {
    return { error: `invalid UTF-16${little ? 'LE' : 'BE'} (an unpaired surrogate)`, line: 0 };
  }
}

function swapPairs(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1];
    out[i + 1] = b[i];
  }
  return out;
}

function utf32(b: Uint8Array, little: boolean): Decoded {
  if (b.length % 4 !== 0) return { error: 'UTF-32 text whose length is not a multiple of 4 bytes', line: 0 };
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  let line = 1;
  for (let i = 0; i < b.length; i += 4) {
    const cp = view.getUint32(i, little);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { error: `invalid UTF-32 code point 0x${cp.toString(16)}`, line };
    if (cp === 10) line++;
    chunk.push(cp);
    // Bounded argument lists: String.fromCodePoint with a huge spread overflows the stack.
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return { text: parts.join('') };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let min: number;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; } else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; } else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; } else return i;
    if (i + n > b.length - 1) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

function lineAt(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (b[i] === 10) line++;
  return line;
}

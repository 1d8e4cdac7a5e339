/**
 * Keeps credentials out of what `apply` and `verify` print. Every message goes through a
 * {@link Redactor}: the secrets read from the kubeconfig (tokens, passwords, key and certificate
 * data) are replaced wherever they appear, and anything shaped like a bearer token or an
 * `Authorization` header is masked even when it did not come from the kubeconfig (an exec plugin's
 * output, a proxy's error page).
 */

/** What replaces a secret. */
export const REDACTED = '<redacted>';

/** Secrets shorter than this are not searched for (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: readonly [RegExp, string][] = [
  [/(authorization\s*[:=]\s*)(bearer|basic)\s+[^\s"',]+/gi, `$1$2 ${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${REDACTED}`],
  [/\b(token|password|client-key-data|client-certificate-data)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1$2${REDACTED}`],
  // Service-account JWTs and similar: three base64url parts.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, REDACTED],
];

/** Replaces known secrets and secret-shaped strings in text. */
export class Redactor {
  private readonly secrets: string[];

  /** @param secrets values to mask wherever they occur (empty and very short ones are ignored). */
  constructor(secrets: Iterable<string | undefined> = []) {
    const set = new Set<string>();
    for (const s of secrets) if (s && s.length >= MIN_SECRET_LENGTH) set.add(s);
    // Longest first, so a secret containing another is masked whole.
    this.secrets = [...set].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret masked. */
  public redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    for (const [re, by] of PATTERNS) out = out.replace(re, by);
    return out;
  }

  /** A writer that redacts everything passed to `write`. */
  public wrap(w: { write(text: string): unknown }): { write(text: string): unknown } {
    return { write: (text: string) => w.write(this.redact(text)) };
  }
}

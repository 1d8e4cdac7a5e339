/**
 * Keeps credentials out of what `apply` and `verify` print. Every message goes through a
 * {@link Redactor}: the secrets read from the kubeconfig (tokens, passwords, key and certificate
 * data, auth-provider config, exec-plugin args and env, passwords in server URLs) are replaced
 * wherever they appear, and anything shaped like a credential is masked even when it did not come
 * from the kubeconfig (an exec plugin's output, a proxy's error page, a URL with user-info, a PEM
 * block, a `token: ...` line).
 */

/** What replaces a secret. */
export const REDACTED = '<redacted>';

/** Secrets at least this long are masked wherever they occur; shorter ones only as whole words. */
const MIN_SECRET_LENGTH = 6;

/** Characters that continue a token (a short secret inside a longer word is left alone). */
const TOKEN_CHAR = 'A-Za-z0-9_\\-.~+/=';

const PATTERNS: readonly [RegExp, string][] = [
  // PEM blocks: private keys and certificates (client-key-data decoded, a key file echoed).
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g, REDACTED],
  // User-info in URLs: https://user:password@host, proxy URLs.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, `$1${REDACTED}@`],
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[^\s"',]+/gi, `$1$2 ${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${REDACTED}`],
  [/\b(token|password|passwd|secret|client-key-data|client-certificate-data|id-token|refresh-token|client-secret|access-token|api-key|apikey)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1$2${REDACTED}`],
  // Service-account JWTs and similar: three base64url parts.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, REDACTED],
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces known secrets and secret-shaped strings in text. */
export class Redactor {
  private readonly secrets: string[];
  private readonly shortSecrets: RegExp | undefined;

  /** @param secrets values to mask wherever they occur (empty ones are ignored; short ones are masked as whole words only). */
  constructor(secrets: Iterable<string | undefined> = []) {
    const long = new Set<string>();
    const short = new Set<string>();
    for (const s of secrets) {
      if (!s) continue;
      const t = s.trim();
      if (t.length >= MIN_SECRET_LENGTH) long.add(t);
      else if (t.length >= 2) short.add(t);
      // Multi-line values (PEM data) are also masked line by line.
      if (t.includes('\n')) for (const line of t.split('\n')) if (line.trim().length >= MIN_SECRET_LENGTH) long.add(line.trim());
    }
    // Longest first, so a secret containing another is masked whole.
    this.secrets = [...long].sort((a, b) => b.length - a.length);
    this.shortSecrets = short.size > 0
      ? new RegExp(`(?<![${TOKEN_CHAR}])(?:${[...short].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![${TOKEN_CHAR}])`, 'g')
      : undefined;
  }

  /** `text` with every secret masked. */
  public redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    if (this.shortSecrets) out = out.replace(this.shortSecrets, REDACTED);
    for (const [re, by] of PATTERNS) out = out.replace(re, by);
    return out;
  }

  /** A writer that redacts everything passed to `write`. */
  public wrap(w: { write(text: string): unknown }): { write(text: string): unknown } {
    return { write: (text: string) => w.write(this.redact(text)) };
  }
}

/** `https://user:pw@host:6443/x` -> `https://host:6443/x` (for showing a server URL). */
export function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** The user-info parts of a URL (user name and password, decoded), to add to a redactor's secrets. */
export function userInfoOf(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
  if (!m) return [];
  const out: string[] = [];
  for (const part of m[1].split(':')) {
    out.push(part);
    try {
      out.push(decodeURIComponent(part));
    } catch {
      // not percent-encoded
    }
  }
  out.push(m[1]);
  return out;
}

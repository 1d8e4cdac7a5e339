/**
 * Terminal-safe text: every user-supplied string printed in text mode (names, labels, hosts,
 * paths, messages that quote them) goes through {@link escapeText}, so a manifest cannot forge
 * output lines (`name: "web\nerror: injected"`) or send escape sequences to the terminal.
 */

/**
 * C0 controls (newline, tab, ESC, ...), DEL, C1 controls, the Unicode line and paragraph
 * separators, and the bidirectional overrides and isolates that can reorder what a terminal
 * shows ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escape control characters visibly (`\n`, `\u001b`, `\u202e`); other text is unchanged. */
export function escapeText(s: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    // `\u001b` rather than `\x1b`: the same escape is valid inside JSON strings.
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Escape control characters except line breaks: for whole blocks of text output whose own
 * newlines separate lines (values inside were escaped with {@link escapeText} where they were
 * put in), as a second guard that no escape sequence reaches the terminal.
 */
export function escapeTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.split('\n').map(escapeText).join('\n');
}

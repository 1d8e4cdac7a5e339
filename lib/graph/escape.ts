/**
 * Escaping for the graph page. Names, labels and messages come from user manifests, so every
 * string that reaches the HTML goes through one of these (the page script itself only ever sets
 * `textContent` and attributes, never markup).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`-style
 * escapes (so `</script>` and `<!--` cannot end or confuse the element), and U+2028/U+2029 are
 * escaped too. `JSON.parse` of the element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

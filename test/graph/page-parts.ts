/** Pieces of a rendered graph page, for the tests. */

/** The text of the JSON data block. */
export function dataBlock(html: string): string {
  const m = /<script type="application\/json" id="netkit-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return m[1];
}

/** The text of the executable inline script. */
export function inlineScript(html: string): string {
  const m = /<script>([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no inline script');
  return m[1];
}

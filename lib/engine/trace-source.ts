/**
 * The text form of a {@link TraceSource}, shared by `netkit trace --from` and the testing
 * helpers' `from` option so both accept the same spellings.
 */
import type { TraceSource } from './trace';

/** A `from` string that names no source; the message says which forms are accepted. */
export class TraceSourceSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceSourceSyntaxError';
  }
}

/**
 * Parse a source: `pod:NS/NAME` (or just `NS/NAME`), `node:NAME`, `external:IP`.
 * @throws TraceSourceSyntaxError when `value` is none of these forms
 */
export function parseTraceSource(value: string): TraceSource {
  const m = /^(pod|node|external)[:=](.+)$/.exec(value.trim());
  if (m) {
    const [, kind, rest] = m;
    if (kind === 'pod') {
      if (!rest.includes('/')) throw new TraceSourceSyntaxError(`--from pod:${rest}: give the pod as namespace/name, e.g. pod:default/client`);
      return { pod: rest };
    }
    return kind === 'node' ? { node: rest } : { external: rest };
  }
  if (/^[^/:\s]+\/[^/:\s]+$/.test(value)) return { pod: value };
  throw new TraceSourceSyntaxError(`--from ${value}: expected pod:NAMESPACE/NAME, node:NAME or external:IP`);
}

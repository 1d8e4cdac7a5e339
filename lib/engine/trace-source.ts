/**
 * The text form of a {@link TraceSource}, shared by `netkit trace --from` and the testing
 * helpers' `from` option so both accept the same spellings, pod labels included.
 */
import type { TraceSource } from './trace';
import type { ClusterStateView } from './model';
import { looksLikeSelector, matchesLabelSelector, parseSelector, SelectorSyntaxError, type LabelSelector } from '../k8s/selector';

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

/** A `from` as written: a source, or pod labels to pick the source pod by once the cluster is known. */
export type SourceSpec = { readonly source: TraceSource } | { readonly selector: LabelSelector };

/**
 * Parse a `from` that may also be pod labels: `pod:`/`node:`/`external:` forms and `NS/NAME` as
 * {@link parseTraceSource}; anything with a selector operator (`app=web`, `tier in (a,b)`,
 * `!canary`) as a label selector (see lib/k8s/selector).
 * @throws TraceSourceSyntaxError when it is neither
 */
export function parseSourceSpec(value: string): SourceSpec {
  if (!hasSourceKind(value) && looksLikeSelector(value)) {
    try {
      return { selector: parseSelector(value) };
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw new TraceSourceSyntaxError(`--from ${value}: ${e.problem}`);
      throw e;
    }
  }
  return { source: parseTraceSource(value) };
}

/** The source a spec names in `state`: the first pod (by `namespace/name`) the selector matches; undefined when none does. */
export function resolveSourceSpec(spec: SourceSpec, state: ClusterStateView): TraceSource | undefined {
  if ('source' in spec) return spec.source;
  let best: string | undefined;
  for (const [key, pod] of state.pods) {
    if ((best === undefined || key < best) && matchesLabelSelector(spec.selector, pod.labels)) best = key;
  }
  return best === undefined ? undefined : { pod: best };
}

/** True when `value` names the source's kind explicitly (`pod:`, `node=`, ...), so it is not read as labels. */
function hasSourceKind(value: string): boolean {
  return /^(pod|node|external)[:=]/.test(value.trim());
}

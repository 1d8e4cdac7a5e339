/**
 * Per-object suppression: the annotation `netkit.io/suppress.<rule-id>: "<reason>"` hides that
 * rule's violations on that object. The reason is required; an empty one is reported by the
 * `suppression-invalid` rule and does not suppress.
 */
import type { ManifestObject } from '../manifest/objects';
import { asStringMap, dig } from './json';

/** Annotation prefix; the rule id follows the dot. */
export const SUPPRESS_PREFIX = 'netkit.io/suppress.';

/** Annotation naming the cdk8s construct path of an object (read into violations). */
export const CONSTRUCT_PATH_ANNOTATION = 'netkit.io/construct-path';

/** A suppression annotation as written on an object. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Annotation key, for field paths. */
  readonly key: string;
}

/** The suppression annotations of an object. */
export function suppressionsOf(o: ManifestObject): Suppression[] {
  const annotations = asStringMap(dig(o.raw, 'metadata', 'annotations'));
  const out: Suppression[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(SUPPRESS_PREFIX)) out.push({ ruleId: key.slice(SUPPRESS_PREFIX.length), reason: value.trim(), key });
  }
  return out;
}

/** Rule ids suppressed on this object with a non-empty reason. */
export function suppressedRules(o: ManifestObject): Set<string> {
  return new Set(suppressionsOf(o).filter((s) => s.reason !== '').map((s) => s.ruleId));
}

/** The object's construct path annotation, if any. */
export function constructPathOf(o: ManifestObject): string | undefined {
  return asStringMap(dig(o.raw, 'metadata', 'annotations'))[CONSTRUCT_PATH_ANNOTATION];
}

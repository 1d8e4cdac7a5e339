/** Plain manifests as test input: loaded as `netkit` loads them, and found by kind and name for edits. */
import { fromObjects, type ManifestObject } from '../../lib/manifest';

/** A manifest as a test writes it. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The objects loaded (`fromObjects`, sources labelled `label`); throws on a load error, as test input must load. */
export function loadJson(list: readonly Json[], label: string): ManifestObject[] {
  const r = fromObjects(list, label);
  if (r.errors.length) throw new Error(r.errors.map(String).join('\n'));
  return r.objects;
}

/** The object of this kind and name in `list` (to edit in place); throws when there is none. */
export function findJson(list: readonly Json[], kind: string, name: string): Json {
  const o = list.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

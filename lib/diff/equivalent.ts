/**
 * Equivalence for migrations (`netkit diff --equivalent`): every witness request of either side
 * (lib/diff/witness.ts) must route the same way on both: the same Services, ports and shares,
 * the same status, redirect location and rewrites, over http and https. What the engine does
 * not simulate on the source side (ingress-nginx annotations outside the modelled set) cannot be
 * compared and is listed, so "equivalent" is never claimed over behaviour nobody looked at.
 */
import { asObject, asStringMap } from '../core/json';
import type { ManifestObject } from '../manifest';
import { Cluster } from '../engine/cluster';
import type { ClusterProfileInfo } from '../engine/model';
import type { SimulationBudget } from '../engine/budget';
import type { L7Options } from '../engine/l7/types';
import { sharedProfile } from './diff';
import { compareWitnesses, WitnessSide, type WitnessDifference } from './witness';

/** The result of {@link checkEquivalence}. */
export interface EquivalenceResult {
  /** True when no witness request routes differently. Read {@link notCompared} with it. */
  readonly equivalent: boolean;
  readonly witnesses: number;
  /** Every witness request that routes differently. */
  readonly differences: readonly { readonly request: string; readonly before: string; readonly after: string }[];
  /** Source features the comparison could not see (not simulated), one line each. */
  readonly notCompared: readonly string[];
  /** Rows covered only in part, and outcomes the manifests leave open. */
  readonly notes: readonly string[];
}

/** Options of {@link checkEquivalence}. */
export interface EquivalenceOptions {
  readonly profile?: ClusterProfileInfo;
  readonly budget?: SimulationBudget;
  readonly l7?: L7Options;
}

const NGINX = 'nginx.ingress.kubernetes.io/';

/**
 * ingress-nginx annotations the L7 model simulates (lib/engine/l7/ingress.ts); any other one
 * changes behaviour the witness requests cannot see.
 */
const SIMULATED_NGINX = new Set(['canary', 'canary-by-header', 'canary-by-header-value', 'canary-by-header-pattern', 'canary-by-cookie', 'canary-weight',
  'canary-weight-total', 'use-regex', 'rewrite-target', 'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'ssl-redirect', 'force-ssl-redirect']);

/** Source features of `objects` the engine does not simulate, as `Ingress ns/name: <annotation>: why`. */
export function unsimulatedFeatures(objects: readonly ManifestObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (o.ref.kind !== 'Ingress') continue;
    const annotations = asStringMap(asObject(o.raw.metadata)?.annotations);
    for (const k of Object.keys(annotations).sort()) {
      if (k.startsWith(NGINX) && !SIMULATED_NGINX.has(k.slice(NGINX.length))) {
        const where = o.source ? ` (${o.source.file}:${o.source.line})` : '';
        out.push(`Ingress ${o.ref.namespace ?? ''}/${o.ref.name}${where}: annotation ${k} is not simulated; what it does is not compared`);
      }
    }
  }
  return out;
}

/** Route every witness request of both sides on both sides; equivalent when none differs. */
export function checkEquivalence(source: readonly ManifestObject[], target: readonly ManifestObject[], options: EquivalenceOptions = {}): EquivalenceResult {
  const profile = options.profile ?? sharedProfile(source, target);
  const build = (objects: readonly ManifestObject[]) => Cluster.build(objects, profile, { budget: options.budget });
  const cmp = compareWitnesses(new WitnessSide(build(source), options.l7), new WitnessSide(build(target), options.l7));
  const notes = [...cmp.notes];
  for (const d of cmp.ambiguous) notes.push(`${d.request}: the outcome depends on something the manifests leave open: ${[...new Set([...d.before.ambiguities, ...d.after.ambiguities])].join('; ')}`);
  const differences = cmp.differences.map((d: WitnessDifference) => ({ request: d.request, before: d.before.text, after: d.after.text }));
  return { equivalent: differences.length === 0, witnesses: cmp.witnesses, differences, notCompared: unsimulatedFeatures([...source, ...target]), notes };
}

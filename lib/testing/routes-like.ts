/**
 * "This refactor changes no routing": two charts (or apps, or simulations) compared by behaviour
 * with `netkit diff`'s engine (lib/diff): Services, exposure, endpoints per workload, and every
 * L7 witness request. Validator findings are left out unless asked for: a refactor may well fix
 * a warning without changing where traffic goes.
 */
import { App, Chart } from 'cdk8s';
import { diffManifests, type DiffImpact } from '../diff/diff';
import { formatDiffText } from '../diff/render';
import type { ManifestObject } from '../manifest';
import type { CheckResult } from './result';
import { Simulation, synthesizeObjects } from './simulate';

/** Options of {@link checkRoutesLike}. */
export interface RoutesLikeOptions {
  /**
   * Kinds of change that count. `finding` (validator findings introduced or fixed) is off by default.
   * @default ['exposure', 'routing', 'endpoints']
   */
  readonly compare?: readonly DiffImpact[];
}

/** What can be compared: a chart or app (synthesized here) or a simulation (its manifests, not later changes). */
export type RoutingSubject = Chart | App | Simulation;

function objectsOf(s: RoutingSubject): readonly ManifestObject[] {
  if (s instanceof Simulation) return [...s.cluster.objects.values()];
  return synthesizeObjects(s);
}

/**
 * Pass when `after` behaves like `before`: no change of the compared kinds. The message lists
 * every change (the same lines as `netkit diff`), and how many witness requests were compared.
 */
export function checkRoutesLike(after: RoutingSubject, before: RoutingSubject, options: RoutesLikeOptions = {}): CheckResult {
  const compare = new Set(options.compare ?? ['exposure', 'routing', 'endpoints']);
  const result = diffManifests(objectsOf(before), objectsOf(after));
  const changes = result.changes.filter((c) => compare.has(c.impact));
  const shown = { ...result, changes };
  if (changes.length === 0) {
    return { pass: true, message: `expected a routing change, but the two route alike (${result.witnesses} witness requests compared${result.notes.length ? `; not compared or open: ${result.notes.join('; ')}` : ''})` };
  }
  return { pass: false, message: `expected the same routing, but:\n${formatDiffText(shown)}` };
}

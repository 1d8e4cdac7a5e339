/**
 * Pod label requirements in the checks' arguments (`to: 'version=v2'`, `pods: 'tier in (a,b)'`,
 * split groups): parsed with the one label-selector parser (lib/k8s/selector), matched against
 * the simulated pods.
 */
import { looksLikeSelector, matchesLabelSelector, parseSelector, type LabelSelector } from '../k8s/selector';
import type { Simulation } from './simulate';

export { looksLikeSelector };

/** Parse each requirement string (throws a SelectorSyntaxError naming the bad one). */
export function parseSelectors(texts: readonly string[]): LabelSelector[] {
  return texts.map(parseSelector);
}

/** True when the pod `key` exists in the simulation and its labels satisfy every selector. */
export function podMatches(sim: Simulation, key: string, selectors: readonly LabelSelector[]): boolean {
  const pod = sim.cluster.pods.get(key);
  return pod !== undefined && selectors.every((s) => matchesLabelSelector(s, pod.labels));
}

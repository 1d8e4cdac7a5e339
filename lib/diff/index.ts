/** Behaviour diff of two manifest sets, equivalence for migrations, Ingress conversion (see docs/diff.md). */
export { diffManifests, type DiffChange, type DiffImpact, type DiffOptions, type DiffResult } from './diff';
export { formatDiffMarkdown, formatDiffText, formatEquivalenceMarkdown, formatEquivalenceText, headline } from './render';
export { checkEquivalence, unsimulatedFeatures, type EquivalenceOptions, type EquivalenceResult } from './equivalent';
export { convertIngresses, nameFromHost, type ConvertedObject, type ConvertNote, type ConvertOptions, type ConvertResult } from './convert';
export { compareWitnesses, collectWitnesses, describeWitness, RowMemo, WitnessSide, type Witness, type WitnessComparison, type WitnessDifference, type WitnessOutcome } from './witness';

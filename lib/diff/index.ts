/** Behaviour diff of two manifest sets (see docs/diff.md). */
export { diffManifests, type DiffChange, type DiffImpact, type DiffOptions, type DiffResult } from './diff';
export { formatDiffMarkdown, formatDiffText, headline } from './render';

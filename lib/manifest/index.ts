/** Manifest loading: YAML/JSON files, directories and in-memory objects, zod-typed, with sources. */
export { ManifestError, ManifestErrorCode, formatPath } from './errors';
export { JsonObject, LoadResult, ManifestObject, fromObjects, isClusterScoped, refKey } from './objects';
export { parseManifestText } from './parse';
export { loadManifests, skippedSummary, type LoadManifestsOptions, type LoadManifestsResult, type SkippedPath, type SkipReason } from './load';
export type * from './types';

/**
 * Load manifests and a profile and build the simulated cluster, turning every input problem
 * into one human line (`file:line path: message (fix: hint)`) instead of an exception.
 */
import { loadManifests, type ManifestObject } from '../manifest';
import { Cluster } from '../engine/cluster';
import { loadProfile } from '../engine/profile';
import type { ClusterProfileInfo } from '../engine/model';

/** Manifests and an optional profile read from disk, with every input problem as one line. */
export interface LoadedInputs {
  readonly objects: readonly ManifestObject[];
  /** The `--profile` file's profile; undefined for the default profile or when it is invalid. */
  readonly profile?: ClusterProfileInfo;
  /** Empty when the inputs are usable. */
  readonly problems: readonly string[];
}

/** Load `paths` (files or directories) and an optional profile file; never throws. */
export function loadInputs(paths: readonly string[], profileFile?: string): LoadedInputs {
  const problems: string[] = [];
  let profile: ClusterProfileInfo | undefined;
  if (profileFile) {
    const p = loadProfile(profileFile);
    problems.push(...p.errors.map((e) => e.toString()));
    profile = p.profile;
  }
  const loaded = loadManifests(paths);
  problems.push(...loaded.errors.map((e) => e.toString()));
  if (problems.length === 0 && loaded.objects.length === 0) {
    problems.push(`${paths.join(', ')}: no Kubernetes objects found (fix: pass the directory cdk8s synth writes, e.g. dist/)`);
  }
  return { objects: loaded.objects, profile, problems };
}

/** A built cluster, or the problems that prevented building it. */
export type LoadedCluster =
  | { readonly ok: true; readonly cluster: Cluster; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Load `paths` (files or directories) and an optional profile file, then build the cluster. */
export function loadCluster(paths: readonly string[], profileFile?: string): LoadedCluster {
  const inputs = loadInputs(paths, profileFile);
  if (inputs.problems.length > 0) return { ok: false, problems: inputs.problems };
  const cluster = Cluster.build(inputs.objects, inputs.profile);
  const warnings = cluster.diagnostics.map((d) => {
    const where = d.source ? `${d.source.file}:${d.source.line}${d.path ? ` ${d.path}` : ''}: ` : '';
    return `${d.severity}: ${where}${d.message}${d.hint ? ` (fix: ${d.hint})` : ''}`;
  });
  return { ok: true, cluster, warnings };
}

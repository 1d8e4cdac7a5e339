/**
 * The `yaml` package (72 modules, the larger of the two YAML readers) on first use. The fast
 * path reads manifests with js-yaml; `yaml`'s document model is needed only for a file js-yaml
 * rejects, for the field lines of a finding, for `-o yaml` and for a cdk8s.yaml: a run that
 * needs none of them (e.g. `netkit validate` on clean manifests) does not load it (issue 21).
 */
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/** The `yaml` module, loaded on the first call. */
export function yamlModule(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  return (loaded ??= require('yaml') as typeof Yaml);
}

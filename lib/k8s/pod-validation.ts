import { dns1123LabelProblems, ianaSvcNameProblems, labelValueProblems, qualifiedNameProblems } from './names';
import { FieldProblem } from './problems';

/** A container as it appears in a manifest (the fields these checks read). */
export interface ContainerWire {
  readonly name?: string;
  readonly ports?: readonly { readonly containerPort?: number; readonly name?: string; readonly protocol?: string }[];
  readonly volumeMounts?: readonly { readonly name?: string }[];
}

/** A pod spec as it appears in a manifest (the fields these checks read). */
export interface PodSpecWire {
  readonly containers?: readonly ContainerWire[];
  readonly initContainers?: readonly ContainerWire[];
  readonly volumes?: readonly { readonly name?: string }[];
}

/**
 * Checks the networking-relevant parts of a pod spec as `ValidatePodSpec` in
 * `pkg/apis/core/validation/validation.go` does: container port numbers and IANA_SVC_NAME
 * names, unique port names per pod, and volume mounts that name a volume.
 * @param at JSON path of the pod spec, e.g. `spec.template.spec`
 * @param extraVolumes volume names provided elsewhere (StatefulSet `volumeClaimTemplates`)
 */
export function validatePodSpec(spec: PodSpecWire, at: string, extraVolumes: readonly string[] = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const portNames = new Set<string>();
  // Volume names, collected when the first mount needs them (most templates mount nothing).
  let volumes: Set<string> | undefined;
  const check = (group: string, containers: readonly ContainerWire[]): void => {
    // Index loops, and field paths built only for a problem: this runs for every pod template.
    for (let c = 0; c < containers.length; c++) {
      const container = containers[c];
      const cAt = (): string => `${at}.${group}[${c}]`;
      for (const msg of dns1123LabelProblems(container.name ?? '')) {
        problems.push({ field: `${cAt()}.name`, message: `Invalid value: "${container.name ?? ''}": ${msg}`, fix: 'give the container a name such as "web"' });
      }
      const ports = container.ports ?? [];
      for (let p = 0; p < ports.length; p++) {
        const port = ports[p];
        const number = port.containerPort;
        if (number === undefined || !Number.isInteger(number) || number < 1 || number > 65535) {
          problems.push({ field: `${cAt()}.ports[${p}].containerPort`, message: `Invalid value: ${number ?? 0}: must be between 1 and 65535, inclusive`, fix: 'use a port number from 1 to 65535' });
        }
        if (port.name !== undefined) {
          for (const msg of ianaSvcNameProblems(port.name)) {
            problems.push({ field: `${cAt()}.ports[${p}].name`, message: `Invalid value: "${port.name}": ${msg}`,
              fix: 'container port names are IANA service names: at most 15 lowercase letters, digits and single hyphens, e.g. "http" or "peer"' });
          }
          if (portNames.has(port.name)) {
            problems.push({ field: `${cAt()}.ports[${p}].name`, message: `Duplicate value: "${port.name}"`, fix: 'give each container port in the pod a different name' });
          }
          portNames.add(port.name);
        }
      }
      const mounts = container.volumeMounts ?? [];
      for (let m = 0; m < mounts.length; m++) {
        const name = mounts[m].name ?? '';
        volumes ??= new Set([...(spec.volumes ?? []).map((v) => v.name ?? ''), ...extraVolumes]);
        if (!volumes.has(name)) {
          problems.push({ field: `${cAt()}.volumeMounts[${m}].name`, message: `Not found: "${name}"`,
            fix: `add a volume named "${name}" to the pod (or a volumeClaimTemplate to the StatefulSet), or fix the mount's name` });
        }
      }
    }
  };
  check('containers', spec.containers ?? []);
  check('initContainers', spec.initContainers ?? []);
  return problems;
}

/** Label keys and values, as `ValidateLabels` checks them. */
export function validateLabels(labels: Readonly<Record<string, string>>, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = Object.keys(labels);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = labels[key];
    for (const msg of qualifiedNameProblems(key)) problems.push({ field: at, message: `Invalid value: "${key}": ${msg}`, fix: 'use a label key such as "app.kubernetes.io/name"' });
    for (const msg of labelValueProblems(value)) problems.push({ field: `${at}.${key}`, message: `Invalid value: "${value}": ${msg}`, fix: 'use a label value of at most 63 letters, digits, "-", "_" or "."' });
  }
  return problems;
}

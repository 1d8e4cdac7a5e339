/**
 * DaemonSet controller (kubernetes `pkg/controller/daemon/daemon_controller.go`): one pod per
 * node whose labels match `spec.template.spec.nodeSelector` (node affinity and taints are not
 * simulated; DaemonSet pods tolerate not-ready nodes, so failed nodes keep theirs). Names are
 * `<ds>-` + a deterministic 5-character suffix derived from the node.
 */
import { ManifestObject } from '../../manifest/objects';
import type { DaemonSetManifest } from '../../manifest/types';
import { DiagnosticSink } from '../diagnostics';
import { nameSuffix } from '../hash';
import { matchesMap } from './label-selector';
import { containerPortsOf, dnsSettingsOf, PodSeed, schedulingOf } from './pod-template';
import { checkSelector, Workload } from './workload';

/** A DaemonSet manifest as a workload (replicas are ignored: one pod per matching node). */
export function daemonSetWorkload(obj: ManifestObject, ds: DaemonSetManifest, diags: DiagnosticSink): Workload | undefined {
  const labels = ds.spec?.template?.metadata?.labels ?? {};
  if (!checkSelector(obj, ds.spec?.selector, labels, diags)) return undefined;
  const namespace = obj.ref.namespace ?? 'default';
  const name = obj.ref.name;
  const spec = ds.spec?.template?.spec;
  const ports = containerPortsOf(spec);
  const scheduling = schedulingOf(spec);
  const dns = dnsSettingsOf(spec);
  const nodeSelector = spec?.nodeSelector ?? {};
  return {
    ref: obj.ref,
    source: obj.source,
    replicas: 1,
    desiredPods: (_replicas, nodes) => {
      const owner = { kind: 'DaemonSet', namespace, name };
      const out: PodSeed[] = [];
      for (const node of nodes) {
        if (!matchesMap(nodeSelector, node.labels ?? {})) continue;
        out.push({
          namespace, name: `${name}-${nameSuffix(`${namespace}/${name}/${node.name}`)}`,
          labels, containerPorts: ports, hostname: spec?.hostname, subdomain: spec?.subdomain,
          nodeName: node.name, owner, source: obj.source, scheduling, dns,
        });
      }
      return out;
    },
  };
}

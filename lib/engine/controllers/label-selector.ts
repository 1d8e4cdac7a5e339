/**
 * `metav1.LabelSelector` matching (`staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go`
 * LabelSelectorAsSelector): matchLabels AND every matchExpression. Service selectors are plain
 * maps and use {@link matchesMap}.
 */
import type { LabelSelectorManifest } from '../../manifest/types';

type Labels = Readonly<Record<string, string>>;

/** Every key/value of `selector` is present in `labels`. */
export function matchesMap(selector: Labels, labels: Labels): boolean {
  for (const k in selector) {
    if (labels[k] !== selector[k]) return false;
  }
  return true;
}

/** Full LabelSelector semantics. An empty selector matches everything (as upstream). */
export function matchesSelector(selector: LabelSelectorManifest, labels: Labels): boolean {
  if (selector.matchLabels && !matchesMap(selector.matchLabels, labels)) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(labels[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

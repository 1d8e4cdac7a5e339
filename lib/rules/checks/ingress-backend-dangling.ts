import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/**
 * Ingress backends resolved by the L7 model (`ingress-backend-missing` / `ingress-backend-port`):
 * the Service in the Ingress namespace, and its port by name or number, as controllers look
 * them up (ingress-nginx `getBackendServers`: a missing Service or port becomes 503).
 */
export const ingressBackendDangling: Rule = {
  id: 'ingress-backend-dangling',
  family: 'routing',
  severity: 'error',
  summary: 'An Ingress path or defaultBackend names a Service that does not exist in the Ingress namespace, or a port name or number that Service does not have.',
  why: 'The API server accepts the Ingress, but the controller has nowhere to send the path\'s requests: ingress-nginx answers 503, other controllers 404 or 502.',
  fix: 'Name an existing Service in the same namespace and one of its ports: `port.number` is the Service `port` (not the targetPort), `port.name` the Service port\'s name.',
  mirrors: 'kube-linter dangling-ingress; kube-score ingress-targets-service; ingress-nginx controller.go getBackendServers',
  check(ctx) {
    return problemFindings(ctx, ['ingress-backend-missing', 'ingress-backend-port'], { path: /(^|\.)(defaultBackend|backend)\.service\.(name|port)$/ });
  },
};

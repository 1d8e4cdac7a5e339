import { problemFindings } from '../l7/problems';
import type { Finding, Rule } from '../types';
import { objectOf } from '../l7/problems';

/**
 * Ingress TLS entries that cannot work as written: a host no rule serves (the L7 model's
 * `ingress-tls-host`), or no `secretName` (read from the model's parsed Ingresses).
 */
export const ingressTlsIncomplete: Rule = {
  id: 'ingress-tls-incomplete',
  family: 'routing',
  severity: 'warning',
  summary: 'An Ingress TLS entry without `secretName`, or with a host that none of the Ingress\'s rules serves.',
  why: 'TLS is terminated per rule host: a TLS host without a matching `spec.rules[].host` gets no HTTPS server, and an entry without a Secret makes the controller present its default (usually self-signed) certificate, which clients reject.',
  fix: 'Name the `kubernetes.io/tls` Secret in `secretName`, and list in `hosts` exactly the rule hosts the certificate covers.',
  mirrors: 'k8s.io/api networking/v1 IngressTLS; Kubernetes docs Ingress "TLS" ("hosts in the tls section need to explicitly match the host in the rules section"); ingress-nginx default SSL certificate',
  check(ctx) {
    const out: Finding[] = problemFindings(ctx, ['ingress-tls-host']);
    for (const ing of ctx.l7.parsed.byKind.Ingress) {
      (ing.spec.tls ?? []).forEach((tls, i) => {
        if (tls.secretName) return;
        const object = objectOf(ctx, ing.ref);
        const hosts = (tls.hosts ?? []).join(', ') || 'the default host';
        if (object) {
          out.push({
            object, path: `spec.tls[${i}]`,
            message: `TLS for ${hosts} names no secretName: the controller serves its default certificate there`,
            fix: 'Set `secretName` to a Secret of type kubernetes.io/tls in the Ingress namespace (cert-manager creates one from an annotation).',
          });
        }
      });
    }
    return out;
  },
};

import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/** Listener certificateRefs to Secrets the manifests do not contain (`listener-certificate-ref` warnings). */
export const gatewayCertificateNotFound: Rule = {
  id: 'gateway-certificate-not-found',
  family: 'routing',
  severity: 'warning',
  summary: 'A Gateway or ListenerSet HTTPS/TLS-terminating listener whose `certificateRefs` Secret is not among the manifests.',
  why: 'A listener whose certificate Secret does not exist gets `ResolvedRefs: False` (InvalidCertificateRef) and is not programmed: HTTPS clients fail the handshake. Secrets are often created outside the manifests (cert-manager, sealed or external secrets), so this is a warning, not an error.',
  fix: 'Add the `kubernetes.io/tls` Secret to the manifests, or make sure something creates it (a cert-manager Certificate with that secretName) before the Gateway serves traffic.',
  mirrors: 'gateway-api gateway_types.go GatewayTLSConfig.CertificateRefs; conformance GatewaySecretMissingReferencedSecret (InvalidCertificateRef)',
  check(ctx) {
    return problemFindings(ctx, ['listener-certificate-ref'], { severities: ['warning'] });
  },
};

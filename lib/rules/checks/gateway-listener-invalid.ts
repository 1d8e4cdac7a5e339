import { problemFindings } from '../l7/problems';
import type { Rule } from '../types';

/**
 * Listeners that would not be programmed: ListenerSets their Gateway does not accept or whose
 * listeners conflict (`listenerset-not-accepted`), and TLS certificateRefs that are not Secrets
 * or cross namespaces without a ReferenceGrant (`listener-certificate-ref`, errors only), listeners
 * with a protocol no route kind uses or allowedRoutes kinds they cannot carry (`listener-invalid`),
 * and a Gateway `infrastructure.parametersRef` to an object the manifests lack (warning).
 */
export const gatewayListenerInvalid: Rule = {
  id: 'gateway-listener-invalid',
  family: 'routing',
  severity: 'error',
  summary: 'A Gateway or ListenerSet listener that would not be programmed: a ListenerSet its parent Gateway does not allow (`allowedListeners`, none by default) or whose listener conflicts with an existing port+hostname, or a TLS `certificateRefs` entry that is not a Secret or is in another namespace without a ReferenceGrant, a listener protocol no route kind uses (UnsupportedProtocol), `allowedRoutes.kinds` the protocol cannot carry (InvalidRouteKinds), or an `infrastructure.parametersRef` the manifests lack (InvalidParameters).',
  why: 'The implementation marks the ListenerSet `Accepted: False` (NotAllowed) or the listener Conflicted, or sets `ResolvedRefs: False` (InvalidCertificateRef, RefNotPermitted) on the listener: routes attached to it serve nothing, and clients get no listener (connection refused or 404).',
  fix: 'Allow ListenerSets on the Gateway (`spec.allowedListeners.namespaces.from: Same|All|Selector`), give each listener a port+hostname no other listener uses, and reference core Secrets (with a ReferenceGrant in the Secret\'s namespace when it is elsewhere).',
  mirrors: 'gateway-api GEP-1713 (ListenerSet), gateway_types.go AllowedListeners and GatewayTLSConfig.CertificateRefs; conformance ListenerSet*, GatewayInvalidTLSConfiguration, GatewaySecretMissingReferenceGrant, GatewayListenerUnsupportedProtocol, GatewayInvalidRouteKind, GatewayInvalidParametersRef',
  check(ctx) {
    return [
      ...problemFindings(ctx, ['listenerset-not-accepted', 'listener-certificate-ref', 'listener-invalid'], { severities: ['error'] }),
      ...problemFindings(ctx, ['gateway-invalid-parameters']),
    ];
  },
};

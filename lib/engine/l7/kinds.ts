/**
 * The plain (zod-free) types of the L7 views: what other modules and the published
 * declarations use. The schemas themselves stay in `schemas.ts`.
 */
import type {
  DestinationRuleManifestL7, GatewayClassManifestL7, GatewayManifestL7, HttpRouteManifestL7, IngressClassManifestL7,
  IngressManifestL7, IstioGatewayManifestL7, ReferenceGrantManifestL7, ServiceEntryManifestL7, VirtualServiceManifestL7,
} from './wire';

export type * from './wire';

/** Every L7 kind by a key that keeps the two `Gateway` kinds apart. */
export interface L7KindMap {
  Ingress: IngressManifestL7;
  IngressClass: IngressClassManifestL7;
  GatewayClass: GatewayClassManifestL7;
  Gateway: GatewayManifestL7;
  HTTPRoute: HttpRouteManifestL7;
  ReferenceGrant: ReferenceGrantManifestL7;
  VirtualService: VirtualServiceManifestL7;
  DestinationRule: DestinationRuleManifestL7;
  IstioGateway: IstioGatewayManifestL7;
  ServiceEntry: ServiceEntryManifestL7;
}

/** Key of {@link L7KindMap}. */
export type L7Kind = keyof L7KindMap;

/**
 * The generated Gateway API and Istio L1 classes (lib/imports, about 750 kB of JavaScript) are
 * loaded when the first construct of that API is made, not with the package: a chart of
 * Deployments and Services never loads them (start-up time, issue 21). The constructs import
 * the L1 modules for their types only and get the classes from here.
 */
import type * as GatewayApi from '../imports/gateway-api-gateway.networking.k8s.io';
import type * as IstioApi from '../imports/istio-networking.istio.io';

let gateway: typeof GatewayApi | undefined;
let istio: typeof IstioApi | undefined;

/** The Gateway API L1 module (`gateway.networking.k8s.io`), loaded on first call. */
export function gatewayApi(): typeof GatewayApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  return (gateway ??= require('../imports/gateway-api-gateway.networking.k8s.io') as typeof GatewayApi);
}

/** The Istio networking L1 module (`networking.istio.io`), loaded on first call. */
export function istioApi(): typeof IstioApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start-up time)
  return (istio ??= require('../imports/istio-networking.istio.io') as typeof IstioApi);
}

/** L7 (HTTP) routing: Ingress, Gateway API and Istio over the simulated cluster. */
export { L7Model } from './model';
export type { L7ClusterInput } from './model';
export { ingressProfileFor, INGRESS_NGINX_CONTROLLER } from './ingress';
export { parseL7Objects, isL7Object, compareAge } from './parse';
export type { L7Object, L7Objects } from './parse';
export * from './types';
export { concreteHost, landsOn, matchWitnesses, NEUTRAL_METHOD, PROBE } from './sample';
export type { SampleParts } from './sample';
export type * from './kinds';

/**
 * `cdk8s-netkit/testing`: replay a chart in memory and assert how it routes. For jest, also
 * `import 'cdk8s-netkit/testing/jest'` to register the matchers.
 */
export { simulate, synthesizeObjects, Simulation, parseTarget } from './simulate';
export type { ServiceView, SimulationSource, ParsedTarget, HttpRequestOptions } from './simulate';
export { checkHttpRoute, checkHttpSplit, isHttpUrl } from './http';
export type { HttpRouteExpectation, HttpSplitOptions } from './http';
export { checkRoute, checkFailsToRoute, checkSplit, checkResolves, checkReadyEndpoints, checkValid, checkViolates } from './assertions';
export type { CheckResult, ResolveOptions, RouteExpectation, SplitOptions, ValidOptions } from './assertions';
export { checkAllows, checkDenies } from './reach';
export { checkRoutesLike } from './routes-like';
export type { RoutesLikeOptions, RoutingSubject } from './routes-like';
export type { DenyExpectation } from './reach';

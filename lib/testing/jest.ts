/**
 * jest matchers over the runtime. Register them with one import in a test file (or in
 * `setupFilesAfterEach`): `import 'cdk8s-netkit/testing/jest';`
 *
 * @example
 * const sim = simulate(chart);
 * expect(sim).toRouteTcp('postgres-rw.data:5432', { to: 'app=postgres' });
 * expect(sim).toRoute('http://shop.example.com/cart', { to: 'cart' });
 * expect(sim).toSplit('http://reviews.bookinfo:9080/', { v1: 90, v2: 10 }, { from: 'app=productpage' });
 * expect(sim).toSplit('web.web:80', { 'version=v1': 75, 'version=v2': 25 });
 * expect(sim.service('data/postgres')).toHaveReadyEndpoints(3);
 * expect(chart).toBeValid();
 * expect(refactoredChart).toRouteLike(originalChart);
 */
import type { TraceFailureCode } from '../engine/trace';
import { App, Chart } from 'cdk8s';
import { checkFailsToRoute, checkReadyEndpoints, checkResolves, checkRoute, checkSplit, checkValid, checkViolates, CheckResult, ResolveOptions, RouteExpectation, SplitOptions, ValidOptions } from './assertions';
import { checkHttpRoute, HttpRouteExpectation } from './http';
import { checkAllows, checkDenies, DenyExpectation } from './reach';
import { ServiceView, Simulation, SimulationSource } from './simulate';
import { checkRoutesLike, type RoutesLikeOptions, type RoutingSubject } from './routes-like';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- jest's matcher types live in this global namespace
  namespace jest {
    interface Matchers<R> {
      /** The connection to `host:port` routes (to the expected pods, when given). */
      toRouteTcp(target: string, expectation?: RouteExpectation): R;
      /**
       * The HTTP request (`http(s)://host/path`) is routed through the L7 model without errors,
       * to the expected Services (`to`), subset, pods or status, when given.
       */
      toRoute(url: string, expectation?: HttpRouteExpectation): R;
      /** The connection to `host:port` fails (for the given reason, when given). */
      toFailToRoute(target: string, code?: TraceFailureCode, from?: SimulationSource): R;
      /**
       * New connections split as given, in percent per pod key or label (`version=v2`); for an
       * `http(s)://` URL, HTTP requests split per Service, subset or pod label.
       */
      toSplit(target: string, weights: Readonly<Record<string, number>>, options?: SplitOptions): R;
      /** A pod resolves the name: to addresses (exactly `ips`, when given) or to a CNAME (an ExternalName; its target `cname`, when given). */
      toResolve(name: string, options?: ResolveOptions): R;
      /** The Service (from `sim.service(...)`) has this many ready endpoints. */
      toHaveReadyEndpoints(count: number): R;
      /** The chart or app passes the bundled validator (nothing at or above `failOn`, default warning). */
      toBeValid(options?: ValidOptions): R;
      /** Policy lets `from` (a pod selector such as `app=web`, or `namespace/name`) connect to `host:port`. */
      toAllow(from: SimulationSource, target: string): R;
      /** Policy denies `from` -> `host:port` (by the named policy, when `by` is given). */
      toDeny(from: SimulationSource, target: string, expectation?: DenyExpectation): R;
      /** The bundled validator reports this rule id for the chart or app. */
      toViolate(ruleId: string): R;
      /**
       * The chart, app or simulation routes like `before`: the same Services, exposure,
       * endpoints per workload and L7 witness requests (`netkit diff` finds no change).
       */
      toRouteLike(before: RoutingSubject, options?: RoutesLikeOptions): R;
    }
  }
}

/** The global `expect` as far as registering matchers needs it (jest provides it at run time). */
declare const expect: { extend(matchers: Record<string, (received: unknown, ...args: never[]) => { pass: boolean; message: () => string }>): void };

function asSimulation(received: unknown): Simulation {
  if (received instanceof Simulation) return received;
  throw new Error('expected a Simulation from simulate(chart) as the value passed to expect()');
}

function asServiceView(received: unknown): ServiceView {
  const view = received as Partial<ServiceView> | undefined;
  if (view && view.info && Array.isArray(view.readyPods)) return view as ServiceView;
  throw new Error('expected a Service from sim.service("namespace/name") as the value passed to expect()');
}

function asScope(received: unknown): Chart | App {
  if (received instanceof Chart || received instanceof App) return received;
  throw new Error('expected a cdk8s Chart or App as the value passed to expect()');
}

function asSubject(received: unknown): RoutingSubject {
  if (received instanceof Simulation || received instanceof Chart || received instanceof App) return received;
  throw new Error('expected a cdk8s Chart or App, or a Simulation, as the value passed to expect()');
}

function result(check: CheckResult): { pass: boolean; message: () => string } {
  return { pass: check.pass, message: () => check.message };
}

expect.extend({
  toRouteTcp: (received: unknown, target: string, expectation?: RouteExpectation) => result(checkRoute(asSimulation(received), target, expectation)),
  toRoute: (received: unknown, url: string, expectation?: HttpRouteExpectation) => result(checkHttpRoute(asSimulation(received), url, expectation)),
  toAllow: (received: unknown, from: SimulationSource, target: string) => result(checkAllows(asSimulation(received), from, target)),
  toDeny: (received: unknown, from: SimulationSource, target: string, expectation?: DenyExpectation) => result(checkDenies(asSimulation(received), from, target, expectation)),
  toFailToRoute: (received: unknown, target: string, code?: TraceFailureCode, from?: SimulationSource) =>
    result(checkFailsToRoute(asSimulation(received), target, code, from)),
  toSplit: (received: unknown, target: string, weights: Readonly<Record<string, number>>, options?: SplitOptions) =>
    result(checkSplit(asSimulation(received), target, weights, options)),
  toResolve: (received: unknown, name: string, options?: ResolveOptions) =>
    result(checkResolves(asSimulation(received), name, options)),
  toHaveReadyEndpoints: (received: unknown, count: number) => result(checkReadyEndpoints(asServiceView(received), count)),
  toBeValid: (received: unknown, options?: ValidOptions) => result(checkValid(asScope(received), options)),
  toViolate: (received: unknown, ruleId: string) => result(checkViolates(asScope(received), ruleId)),
  toRouteLike: (received: unknown, before: RoutingSubject, options?: RoutesLikeOptions) => result(checkRoutesLike(asSubject(received), before, options)),
});

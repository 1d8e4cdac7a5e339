/**
 * Framework-agnostic checks over a {@link Simulation}: each returns whether it passed and a
 * message that explains the outcome with the trace, for any test runner. The jest matchers in
 * `./jest` are thin wrappers around these.
 */
import { formatTrace } from '../report/trace-format';
import type { Trace, TraceFailureCode } from '../engine/trace';
import type { App, Chart } from 'cdk8s';
import { validateObjects } from '../rules/runner';
import type { Violation } from '../rules/types';
import { checkHttpSplit, isHttpUrl } from './http';
import { looksLikeSelector, parseSelectors, podMatches } from './selectors';
import { ServiceView, Simulation, SimulationSource, synthesizeObjects } from './simulate';

import type { CheckResult } from './result';
export type { CheckResult };

/** What a route should reach. */
export interface RouteExpectation {
  /** Where the connection starts. @default the simulation's default source (first pod in `default`) */
  readonly from?: SimulationSource;
  /**
   * The pods it may end at: pod keys (`namespace/name`, the exact set), or label selectors
   * (`app=web`, `version!=v1`, `tier in (a,b)`: every destination satisfies each). @default - any pod
   */
  readonly to?: string | readonly string[];
  /**
   * Pass even when loaded objects the engine does not simulate (a NetworkPolicy selecting the
   * destination, pods from an unsimulated workload kind) could change the answer. By default
   * such an answer fails, naming those objects: the simulation cannot confirm it.
   * @default false
   */
  readonly allowNotSimulated?: boolean;
}

/** Options of {@link checkSplit}. */
export interface SplitOptions {
  readonly from?: SimulationSource;
  /** Pass even when unsimulated objects could change the answer (see {@link RouteExpectation.allowNotSimulated}). @default false */
  readonly allowNotSimulated?: boolean;
  /** Allowed difference, in percentage points. @default 0.5 */
  readonly tolerance?: number;
  /** HTTP targets only: the request method. @default 'GET' */
  readonly method?: string;
  /** HTTP targets only: request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP targets only: force an entry point by id. */
  readonly via?: string;
}

/** Checks that `target` (`host:port`) routes, and to the expected pods. */
export function checkRoute(sim: Simulation, target: string, expectation: RouteExpectation = {}): CheckResult {
  const trace = sim.connect(target, expectation.from);
  if (!trace.ok) return fail(`expected ${target} to route, but it fails: ${trace.failure?.message ?? 'unknown'}`, trace);
  const unconfirmed = notSimulatedFailure(target, trace, expectation.allowNotSimulated);
  if (unconfirmed) return unconfirmed;
  const pods = destinationPods(trace);
  const wanted = expectation.to === undefined ? [] : typeof expectation.to === 'string' ? [expectation.to] : [...expectation.to];
  if (wanted.length === 0) return pass(`expected ${target} not to route, but it reaches ${pods.join(', ')}`, trace);
  const labelRules = wanted.filter(looksLikeSelector);
  if (labelRules.length > 0) {
    const selectors = parseSelectors(labelRules);
    const strays = pods.filter((key) => !podMatches(sim, key, selectors));
    const ok = pods.length > 0 && strays.length === 0;
    const message = ok
      ? `expected ${target} not to reach only pods with ${labelRules.join(', ')}, but it does (${pods.join(', ')})`
      : `expected ${target} to reach only pods with ${labelRules.join(', ')}, but it reaches ${strays.length ? strays.join(', ') : 'no pod'}`;
    return { pass: ok, message: `${message}\n\n${formatTrace(trace)}` };
  }
  const expected = [...new Set(wanted)].sort();
  const ok = expected.length === pods.length && expected.every((p, i) => p === pods[i]);
  const message = ok
    ? `expected ${target} not to reach exactly ${expected.join(', ')}, but it does`
    : `expected ${target} to reach exactly ${expected.join(', ')}\n  but it reaches ${pods.join(', ') || 'no pod'}`;
  return { pass: ok, message: `${message}\n\n${formatTrace(trace)}` };
}

/** A failing result when unsimulated objects could change the traced answer (unless allowed). */
function notSimulatedFailure(target: string, trace: Trace, allow: boolean | undefined): CheckResult | undefined {
  const items = trace.notSimulated ?? [];
  if (allow || items.length === 0) return undefined;
  const names = items.map((i) => `${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name} (${i.reason})`);
  return fail(`cannot confirm how ${target} routes: objects the engine does not simulate could change the answer:\n  ${names.join('\n  ')}\n(pass allowNotSimulated: true to accept the simulated answer)`, trace);
}

/** Checks that `target` does not route, optionally failing for a given reason. */
export function checkFailsToRoute(sim: Simulation, target: string, code?: TraceFailureCode, from?: SimulationSource): CheckResult {
  const trace = sim.connect(target, from);
  if (trace.ok) return fail(`expected ${target} to fail${code ? ` with ${code}` : ''}, but it routes to ${destinationPods(trace).join(', ')}`, trace);
  if (code && trace.failure?.code !== code) return fail(`expected ${target} to fail with ${code}, but it fails with ${trace.failure?.code}: ${trace.failure?.message}`, trace);
  return pass(`expected ${target} to route, but it fails with ${trace.failure?.code}: ${trace.failure?.message}`, trace);
}

/**
 * Checks how new connections to `target` are split, in percent per group; a group is a pod key
 * or a label selector (`version=v1`, `version!=v1`). For an `http(s)://` URL the HTTP request is split by
 * the L7 routes instead ({@link checkHttpSplit}): groups are Services, subsets or pod labels.
 */
export function checkSplit(sim: Simulation, target: string, weights: Readonly<Record<string, number>>, options: SplitOptions = {}): CheckResult {
  if (isHttpUrl(target)) return checkHttpSplit(sim, target, weights, options);
  const trace = sim.connect(target, options.from);
  if (!trace.ok) return fail(`expected ${target} to split traffic, but it fails: ${trace.failure?.message ?? 'unknown'}`, trace);
  const unconfirmed = notSimulatedFailure(target, trace, options.allowNotSimulated);
  if (unconfirmed) return unconfirmed;
  const tolerance = options.tolerance ?? 0.5;
  const actual: Record<string, number> = {};
  for (const group of Object.keys(weights)) actual[group] = 0;
  for (const d of trace.destinations) {
    for (const group of Object.keys(weights)) {
      if (d.pod && matchesGroup(sim, d.pod, group)) actual[group] += d.probability * 100;
    }
  }
  const off = Object.keys(weights).filter((g) => Math.abs(actual[g] - weights[g]) > tolerance);
  const shown = Object.keys(weights).map((g) => `${g}: ${round(actual[g])}% (expected ${weights[g]}%)`).join(', ');
  return off.length === 0
    ? pass(`expected ${target} not to split as ${shown}`, trace)
    : fail(`expected ${target} to split ${shown}`, trace);
}

/** What {@link checkResolves} (and `toResolve`) may additionally require of the answer. */
export interface ResolveOptions {
  /** The pod (`namespace/name`) whose resolver asks; default: the first pod of the simulation. */
  readonly fromPod?: string;
  /** Exactly these A/AAAA addresses (in any order). */
  readonly ips?: readonly string[];
  /** The name is an alias (an ExternalName Service answers with a CNAME) whose chain reaches this target. */
  readonly cname?: string;
}

/**
 * Checks that a pod resolves a name: to addresses, or to a CNAME (an ExternalName Service, whose
 * target outside the cluster domain CoreDNS leaves to the upstream resolver, so it has no
 * addresses here). `ips` and `cname` narrow what the answer must hold.
 */
export function checkResolves(sim: Simulation, name: string, options: ResolveOptions = {}): CheckResult {
  const resolution = sim.resolve(name, options.fromPod);
  const answer = resolution.answer;
  const ips = answer.records.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.value).sort();
  const cnames = answer.records.filter((r) => r.type === 'CNAME').map((r) => r.value);
  const tried = resolution.queries.map((q) => `${q.name} ${q.rcode}`).join('; ');
  // What the name resolves to, for messages: `CNAME a -> b`, then the addresses.
  const got = [cnames.length > 0 ? `CNAME ${cnames.join(' -> ')}` : '', ips.join(', ')].filter((x) => x !== '').join(', ');
  if (resolution.notClusterDns) {
    return { pass: false, message: `expected ${name} to resolve, but the answer is not known here: ${resolution.notClusterDns}` };
  }
  if (answer.rcode !== 'NOERROR' || (ips.length === 0 && cnames.length === 0)) {
    return { pass: false, message: `expected ${name} to resolve, but it does not (${tried})` };
  }
  if (options.cname !== undefined) {
    const want = normalizeName(options.cname);
    if (!cnames.some((c) => normalizeName(c) === want)) {
      return {
        pass: false,
        message: cnames.length > 0
          ? `expected ${name} to be a CNAME to ${options.cname}, but it is a CNAME ${cnames.join(' -> ')} (${answer.name})`
          : `expected ${name} to be a CNAME to ${options.cname}, but it resolves to addresses ${ips.join(', ')} (${answer.name}); only an ExternalName Service answers with a CNAME`,
      };
    }
  }
  if (options.ips) {
    const expected = [...options.ips].sort();
    const same = expected.length === ips.length && expected.every((ip, i) => ip === ips[i]);
    return {
      pass: same,
      message: same
        ? `expected ${name} not to resolve to ${expected.join(', ')}, but it does`
        : `expected ${name} to resolve to ${expected.join(', ')}, but it resolves to ${got}${ips.length === 0 ? ' (an external target has no addresses in the simulation)' : ''} (${tried})`,
    };
  }
  const what = options.cname !== undefined ? `be a CNAME to ${options.cname}` : 'resolve';
  return { pass: true, message: `expected ${name} not to ${what}, but it resolves to ${got} (${answer.name})` };
}

/** DNS names compare case-insensitively, with or without the root dot. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Checks the number of pods behind a Service whose endpoints are ready. */
export function checkReadyEndpoints(service: ServiceView, count: number): CheckResult {
  const key = `${service.info.namespace}/${service.info.name}`;
  const ready = service.readyPods.length;
  if (service.unknownPodSources.length > 0) {
    const names = service.unknownPodSources.map((i) => `${i.ref.kind} ${i.ref.namespace}/${i.ref.name}`).join(', ');
    return { pass: false, message: `${key}'s ready endpoints are unknown: its selector matches the pods of ${names}, which the engine does not simulate (simulated ready pods: ${ready})` };
  }
  return {
    pass: ready === count,
    message: ready === count
      ? `expected ${key} not to have ${count} ready endpoints, but it has`
      : `expected ${key} to have ${count} ready endpoints, but it has ${ready} (${service.readyPods.join(', ') || 'none'}; ${service.pods.length} in its EndpointSlices)`,
  };
}

function destinationPods(trace: Trace): string[] {
  return [...new Set(trace.destinations.map((d) => d.pod ?? d.ip))].sort();
}

function matchesGroup(sim: Simulation, pod: string, group: string): boolean {
  if (!looksLikeSelector(group)) return pod === group;
  return podMatches(sim, pod, parseSelectors([group]));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function pass(negatedMessage: string, trace: Trace): CheckResult {
  return { pass: true, message: `${negatedMessage}\n\n${formatTrace(trace)}` };
}

function fail(message: string, trace: Trace): CheckResult {
  return { pass: false, message: `${message}\n\n${formatTrace(trace)}` };
}

/** Options of {@link checkValid}. */
export interface ValidOptions {
  /** The lowest severity that makes the chart invalid. @default 'warning' */
  readonly failOn?: 'error' | 'warning' | 'info';
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

/** Checks that the bundled validator finds nothing at or above `failOn` in a chart or app. */
export function checkValid(scope: Chart | App, options: ValidOptions = {}): CheckResult {
  const threshold = SEVERITY_RANK[options.failOn ?? 'warning'];
  const found = validateObjects(synthesizeObjects(scope)).filter((v) => SEVERITY_RANK[v.severity] >= threshold);
  return {
    pass: found.length === 0,
    message: found.length === 0
      ? 'expected the validator to find problems, but it found none'
      : `expected no findings, but the validator reports:\n${found.map(describeViolation).join('\n')}`,
  };
}

/** Checks that the bundled validator reports rule `ruleId` for a chart or app. */
export function checkViolates(scope: Chart | App, ruleId: string): CheckResult {
  const all = validateObjects(synthesizeObjects(scope));
  const hits = all.filter((v) => v.ruleId === ruleId);
  return {
    pass: hits.length > 0,
    message: hits.length > 0
      ? `expected no ${ruleId} finding, but:\n${hits.map(describeViolation).join('\n')}`
      : `expected a ${ruleId} finding, but there is none (findings: ${all.map((v) => v.ruleId).join(', ') || 'none'})`,
  };
}

function describeViolation(v: Violation): string {
  const where = `${v.object.kind} ${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}${v.path ? ` ${v.path}` : ''}`;
  return `  [${v.severity}] ${v.ruleId}: ${where}: ${v.message} (fix: ${v.fix})`;
}

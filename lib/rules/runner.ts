/**
 * Runs the rules over loaded objects: builds the simulated cluster once, applies per-rule
 * settings and per-object suppressions, and never lets a crashing rule take the others down.
 */
import type { SimulationBudget } from '../engine/budget';
import { Coverage, type CoverageSummary } from '../engine/coverage';
import type { ClusterProfileInfo } from '../engine/model';
import type { Cluster } from '../engine/cluster';
import type { L7Model } from '../engine/l7/model';
import type { PolicyModel } from '../engine/policy/evaluate';
import type { ManifestObject } from '../manifest/objects';
import { refKey } from '../manifest/objects';
import { fieldPathSegments } from '../manifest/locate';
import { RuleContext } from './context';
import type { ShadowProbes } from './l7/shadow';
import { RULES } from './registry';
import { constructPathOf, suppressedRules } from './suppress';
import { type Finding, type Rule, type RuleSeverity, type RulesConfig, SEVERITY_RANK, type Violation, type ViolationSource } from './types';

/** Options of {@link runRules} and {@link validateObjects}. */
export interface ValidateOptions {
  /** Per-rule settings: `'off'` or a severity. Unknown ids are reported by {@link unknownRuleIds}. */
  readonly rules?: RulesConfig;
  /** The cluster profile to simulate. @default the engine's default profile (3 nodes) */
  readonly profile?: ClusterProfileInfo;
  /** The rule set. @default {@link RULES} */
  readonly ruleSet?: readonly Rule[];
  /** Simulation limits. @default DEFAULT_BUDGET of lib/engine/budget.ts */
  readonly budget?: SimulationBudget;
  /** A cluster (and L7 model, `l4: false`) already simulated from the same objects and profile: reused, not rebuilt. */
  readonly cluster?: Cluster;
  readonly l7?: L7Model;
  /** The reachability model over that cluster (`PolicyModel.build` of its state and objects): reused, not rebuilt. */
  readonly policy?: PolicyModel;
  /** Findings of a run over another set to take over for the objects both sets share (see {@link RuleReuse}). */
  readonly reuse?: RuleReuse;
  /** Shadowing probes kept across runs (see {@link ShadowProbes}); used only with a given `l7` model. */
  readonly shadowProbes?: ShadowProbes;
}

/**
 * A run over another set of objects with the same options (rules config, profile, rule set),
 * whose findings a `scope: 'object'` rule takes over for the objects that did not change, so it
 * checks only the changed ones (`netkit diff`'s after side). A rule that crashed there runs in full.
 * The violations are a full run's; `suppressed` counts only the suppressed findings of the objects
 * checked (suppressed findings are not violations, so the previous run cannot hand them over).
 */
export interface RuleReuse {
  /** That run's result. */
  readonly previous: Pick<ValidationResult, 'violations' | 'crashes'>;
  /**
   * Objects of this run identical to one of that run: same kind, namespace, name (each once in
   * both sets), apiVersion and content. Their findings are that run's, on this run's object.
   */
  readonly unchanged: ReadonlySet<ManifestObject>;
}

/** A rule that threw. */
export interface RuleCrash {
  readonly ruleId: string;
  readonly message: string;
}

/** Everything one run produced. */
export interface ValidationResult {
  /** Violations, sorted by file, line, rule id and path. */
  readonly violations: Violation[];
  /** Rules that threw (their other findings are lost; the run is not trustworthy). */
  readonly crashes: RuleCrash[];
  /** How many rules ran (not `off`). */
  readonly rulesRun: number;
  /** How many violations annotations suppressed. */
  readonly suppressed: number;
  /** What of the input the simulation covers (counts, and the relevant objects it does not simulate). */
  readonly coverage: CoverageSummary;
}

/** Run every enabled rule over `objects`. Never throws for a rule's sake. */
export function runRules(objects: readonly ManifestObject[], options: ValidateOptions = {}): ValidationResult {
  const ruleSet = options.ruleSet ?? RULES;
  const config = options.rules ?? {};
  const ctx = new RuleContext(objects, { profile: options.profile, budget: options.budget, cluster: options.cluster, l7: options.l7, policy: options.policy, shadowProbes: options.shadowProbes, knownRuleIds: new Set(ruleSet.map((r) => r.id)) });
  const suppressions = new Map<string, Set<string>>();
  const suppressedOn = (o: ManifestObject): Set<string> => {
    const key = refKey(o.ref);
    let s = suppressions.get(key);
    if (!s) { s = suppressedRules(o); suppressions.set(key, s); }
    return s;
  };
  const violations: Violation[] = [];
  const crashes: RuleCrash[] = [];
  let rulesRun = 0;
  let suppressed = 0;
  const reuse = options.reuse && reusedFindings(objects, options.reuse);
  for (const rule of ruleSet) {
    const setting = config[rule.id];
    if (setting === 'off') continue;
    rulesRun++;
    const severity: RuleSeverity = setting ?? rule.severity;
    let findings;
    try {
      findings = reuse?.(rule, ctx) ?? rule.check(ctx);
    } catch (e) {
      crashes.push({ ruleId: rule.id, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    for (const f of findings) {
      if (suppressedOn(f.object).has(rule.id)) { suppressed++; continue; }
      const constructPath = constructPathOf(f.object);
      violations.push({
        ruleId: rule.id, severity, summary: rule.summary, why: rule.why, fix: f.fix ?? rule.fix,
        object: f.object.ref, source: sourceOf(f.object, f.path), path: f.path, message: f.message,
        ...(constructPath !== undefined ? { constructPath } : {}),
      });
    }
  }
  violations.sort(compareViolations);
  // Classified on first read: most callers (netkit diff, the testing matchers) never look, and
  // classifying every object again costs as much as some rules.
  let coverage: CoverageSummary | undefined;
  return {
    violations, crashes, rulesRun, suppressed,
    get coverage(): CoverageSummary { return (coverage ??= new Coverage(objects).summary()); },
  };
}

/**
 * Per `scope: 'object'` rule that did not crash in the previous run: a check that runs the rule on
 * the changed objects only (a context over them, same options) and adds the previous run's
 * findings on the unchanged ones, on this run's objects. In input order of the objects, as the
 * rule's own iteration gives them, so the result is what a full run returns.
 */
function reusedFindings(objects: readonly ManifestObject[], reuse: RuleReuse): (rule: Rule, ctx: RuleContext) => Finding[] | undefined {
  const crashed = new Set(reuse.previous.crashes.map((c) => c.ruleId));
  const unchangedByKey = new Map<string, ManifestObject>();
  const changed: ManifestObject[] = [];
  for (const o of objects) {
    if (reuse.unchanged.has(o)) unchangedByKey.set(refKey(o.ref), o);
    else changed.push(o);
  }
  let order: Map<ManifestObject, number> | undefined;
  const previous = new Map<string, Finding[]>();
  for (const v of reuse.previous.violations) {
    const o = unchangedByKey.get(refKey(v.object));
    if (!o) continue;
    const list = previous.get(v.ruleId) ?? [];
    // The violation's fix is the finding's own or the rule's: the same text either way.
    list.push({ object: o, path: v.path, message: v.message, fix: v.fix });
    previous.set(v.ruleId, list);
  }
  let sub: RuleContext | undefined;
  return (rule, ctx) => {
    if (rule.scope !== 'object' || crashed.has(rule.id)) return undefined;
    sub ??= ctx.over(changed);
    const fresh = rule.check(sub); const taken = previous.get(rule.id) ?? [];
    if (taken.length === 0) return fresh;
    // In input order of this run's objects (the previous run's may differ); stable, so the
    // findings of one object keep their order (they all come from one of the two runs).
    const at = (order ??= new Map(objects.map((o, i) => [o, i])));
    return [...fresh, ...taken].map((f, i) => ({ f, i }))
      .sort((x, y) => (at.get(x.f.object) ?? 0) - (at.get(y.f.object) ?? 0) || x.i - y.i)
      .map((x) => x.f);
  };
}

/** The line and column of `path` in the object's file; the object's own source without a locator. */
function sourceOf(o: ManifestObject, path: string): ViolationSource | undefined {
  if (!o.source || !o.locator) return o.source;
  const at = o.locator.locate(fieldPathSegments(path, o.raw));
  return { file: o.source.file, line: at.line, column: at.column };
}

/**
 * The violations of {@link runRules}. A crashing rule becomes an `internal-error` violation on
 * nothing in particular, so callers that only look at violations still fail.
 */
export function validateObjects(objects: readonly ManifestObject[], options: ValidateOptions = {}): Violation[] {
  const r = runRules(objects, options);
  return [...r.violations, ...r.crashes.map(crashViolation)];
}

/** A crash as a violation (rule id `internal-error`). */
export function crashViolation(c: RuleCrash): Violation {
  return {
    ruleId: 'internal-error', severity: 'error', summary: 'A rule crashed.', why: 'Its findings are missing from this report.',
    fix: 'Report it with the manifests that trigger it; disable the rule in config meanwhile.',
    object: { kind: 'Rule', name: c.ruleId }, path: '', message: `rule ${c.ruleId} crashed: ${c.message}`,
  };
}

/** Ids in a rules config that name no rule. */
export function unknownRuleIds(config: RulesConfig, ruleSet: readonly Rule[] = RULES): string[] {
  const known = new Set(ruleSet.map((r) => r.id));
  return Object.keys(config).filter((id) => !known.has(id));
}

/** Violations at or above `failOn`. */
export function failing(violations: readonly Violation[], failOn: RuleSeverity = 'error'): Violation[] {
  return violations.filter((v) => SEVERITY_RANK[v.severity] >= SEVERITY_RANK[failOn]);
}

function compareViolations(a: Violation, b: Violation): number {
  const fa = a.source?.file ?? '';
  const fb = b.source?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.source?.line ?? 0;
  const lb = b.source?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.source?.column ?? 0;
  const cb = b.source?.column ?? 0;
  if (ca !== cb) return ca - cb;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

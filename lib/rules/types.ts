/**
 * The validator's data contract: a rule (id, severity, docs, check) and the violations it
 * reports. Rules are queries over loaded manifests and the simulated cluster built from them.
 */
import type { ManifestObject } from '../manifest/objects';
import type { ObjectRef, SourceLocation } from '../engine/model';
import type { RuleContext } from './context';

/** How bad a violation is. `error` fails `netkit validate` and the cdk8s plugin by default. */
export type RuleSeverity = 'error' | 'warning' | 'info';

/** Rule families, in the order the docs list them. */
export type RuleFamily = 'api-server' | 'routing' | 'exposure' | 'validator';

/** What a rule's check returns: one problem at one field of one object. */
export interface Finding {
  /** The object the problem is on (its ref and source are copied into the violation). */
  readonly object: ManifestObject;
  /** JSON path inside the object, e.g. `spec.ports[0].targetPort`. */
  readonly path: string;
  /** What is wrong with this object, specifically. */
  readonly message: string;
  /** A fix specific to this finding; the rule's generic fix is used when left out. */
  readonly fix?: string;
}

/** A validation rule. One rule per file under `lib/rules/checks/`. */
export interface Rule {
  /** Stable kebab-case id, used in config, suppression annotations and docs. */
  readonly id: string;
  readonly family: RuleFamily;
  /** Default severity (config may change it). */
  readonly severity: RuleSeverity;
  /** One line: what the rule flags. */
  readonly summary: string;
  /** Why it matters: what the API server or the cluster does with such an object. */
  readonly why: string;
  /** The generic fix. */
  readonly fix: string;
  /** The upstream check or API server function the rule mirrors, for the docs. */
  readonly mirrors: string;
  /**
   * `'object'`: the findings on an object depend on that object alone (its fields, the profile
   * and the rule ids), never on other objects or the simulation, and the rule iterates the
   * objects in input order. A run over a changed set may then take over the findings of an
   * identical object from a run over the other set (`netkit diff`, `RuleReuse` in runner.ts).
   * Left out: the rule may relate objects (selectors, routes to Services), so it always runs.
   */
  readonly scope?: 'object';
  /** Run the check. May throw; the runner turns a crash into an `internal-error` violation. */
  check(ctx: RuleContext): Finding[];
}

/**
 * Where a violation is written. For objects read from files, the line and column of the field
 * the violation's `path` points at (its deepest existing ancestor when the field is missing);
 * for in-memory objects, the object's label and index.
 */
export interface ViolationSource extends SourceLocation {
  /** 1-based column of the field; left out when unknown (in-memory objects). */
  readonly column?: number;
}

/** One reported problem. */
export interface Violation {
  readonly ruleId: string;
  readonly severity: RuleSeverity;
  /** The rule's one-line summary. */
  readonly summary: string;
  /** The rule's why. */
  readonly why: string;
  /** The finding's fix, else the rule's. */
  readonly fix: string;
  readonly object: ObjectRef;
  /** The field's file, line and column (see {@link ViolationSource}). */
  readonly source?: ViolationSource;
  /** JSON path inside the object. */
  readonly path: string;
  /** What is wrong with this object. */
  readonly message: string;
  /** cdk8s construct path, from the object's `netkit.io/construct-path` annotation when present. */
  readonly constructPath?: string;
}

/** Per-rule setting: turn it off or change its severity. */
export type RuleSetting = 'off' | RuleSeverity;

/** Per-rule settings keyed by rule id. */
export type RulesConfig = Readonly<Record<string, RuleSetting>>;

/** Numeric order of severities (higher is worse). */
export const SEVERITY_RANK: Readonly<Record<RuleSeverity, number>> = { info: 0, warning: 1, error: 2 };

/**
 * The cdk8s validation plugin: `cdk8s synth` runs the netkit rules over the synthesized
 * manifests. Configure it in cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-netkit
 *     version: 0.1.0
 *     class: NetkitValidation
 *     properties: { failOn: error, rules: { pod-host-network: off } }
 * ```
 */
import { fromObjects } from '../manifest/objects';
import type { ManifestObject } from '../manifest/objects';
import { RULES } from '../rules/registry';
import { failing, runRules, unknownRuleIds } from '../rules/runner';
import type { RuleSetting, Violation } from '../rules/types';
import type { PluginContext, PluginValidation, PluginViolation } from './contract';

/** Properties of {@link NetkitValidation} (the `properties` of its cdk8s.yaml entry). */
export interface NetkitValidationProps {
  /**
   * The lowest severity that makes the report (and `cdk8s synth`, exit 2) fail.
   * @default 'error'
   */
  readonly failOn?: 'error' | 'warning';
  /** Per-rule settings by rule id: `off`, or the severity to report it with. @default each rule's own severity */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
}

const SETTINGS = new Set(['off', 'error', 'warning', 'info']);

/**
 * The netkit rules as a cdk8s-cli validation plugin. Never throws from `validate`: a crashing
 * rule, unreadable manifest or bad property becomes a failed report.
 */
export class NetkitValidation implements PluginValidation {
  private readonly configProblems: string[] = [];
  private readonly failOn: 'error' | 'warning';
  private readonly rules: Record<string, RuleSetting> = {};

  constructor(props: NetkitValidationProps = {}) {
    const failOn: unknown = props.failOn ?? 'error';
    if (failOn === 'error' || failOn === 'warning') this.failOn = failOn;
    else {
      this.failOn = 'error';
      this.configProblems.push(`properties.failOn: "${String(failOn)}" is not one of error, warning`);
    }
    for (const [id, setting] of Object.entries(props.rules ?? {})) {
      if (!SETTINGS.has(setting)) this.configProblems.push(`properties.rules.${id}: "${String(setting)}" is not one of off, error, warning, info`);
      else this.rules[id] = setting;
    }
    for (const id of unknownRuleIds(this.rules, RULES)) this.configProblems.push(`properties.rules.${id}: no rule has this id (see docs/rules.md)`);
  }

  /** Run the rules over `context.manifests` and submit the report. */
  public async validate(context: PluginContext): Promise<void> {
    let submitted = false;
    try {
      const violations: PluginViolation[] = [];
      let failed = false;
      for (const problem of this.configProblems) {
        violations.push({ ruleName: 'netkit-config', recommendation: problem, fix: 'fix the plugin properties in cdk8s.yaml', violatingResources: [] });
        failed = true;
      }
      const objects: ManifestObject[] = [];
      for (const manifestPath of context.manifests) {
        let docs: unknown[];
        try {
          docs = context.parseManifest(manifestPath).filter((d) => d !== null && d !== undefined);
        } catch (e) {
          violations.push({ ruleName: 'manifest-unreadable', recommendation: `${manifestPath}: ${(e as Error).message}`, fix: 'check the synthesized YAML', violatingResources: [] });
          failed = true;
          continue;
        }
        const loaded = fromObjects(docs, manifestPath);
        objects.push(...loaded.objects);
        for (const err of loaded.errors) {
          violations.push({ ruleName: 'manifest-invalid', recommendation: `${err.path ? `${err.path}: ` : ''}${err.message}`, fix: err.hint,
            violatingResources: [{ resourceName: `document ${err.line}`, locations: err.path ? [err.path] : [], manifestPath }] });
          failed = true;
        }
      }
      const result = runRules(objects, { rules: this.rules });
      for (const v of result.violations) violations.push(toPluginViolation(v));
      for (const c of result.crashes) {
        violations.push({ ruleName: `${c.ruleId} [crashed]`, recommendation: `the rule threw: ${c.message}`, fix: `report it; meanwhile set rules.${c.ruleId}: off`, violatingResources: [] });
        failed = true;
      }
      if (failing(result.violations, this.failOn).length > 0) failed = true;
      for (const v of violations) context.report.addViolation(v);
      submitted = true;
      context.report.submit(failed ? 'failure' : 'success', {
        rulesRun: String(result.rulesRun), violations: String(result.violations.length),
        suppressed: String(result.suppressed), failOn: this.failOn,
      });
    } catch (e) {
      if (submitted) return;
      try {
        context.report.addViolation({ ruleName: 'netkit-internal-error', recommendation: `the validator crashed: ${(e as Error).message ?? String(e)}`, fix: 'report it with the manifests', violatingResources: [] });
      } catch {
        // the report may refuse additions; the failed status below still reaches cdk8s
      }
      context.report.submit('failure', { error: (e as Error).message ?? String(e) });
    }
  }
}

/** One violation as a cdk8s report entry: rule and severity, the specific message, the object. */
export function toPluginViolation(v: Violation): PluginViolation {
  return {
    ruleName: `${v.ruleId} [${v.severity}]`,
    recommendation: `${v.object.kind} ${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}: ${v.message}. ${v.why}`,
    fix: v.fix,
    violatingResources: [{ resourceName: v.object.name, locations: v.path ? [v.path] : [], manifestPath: v.source?.file ?? '' }],
  };
}

/** The validator: rules over manifests and the simulated cluster. */
export * from './types';
export { RuleContext, podTemplateOf } from './context';
export type { PodTemplateRef, ContextOptions } from './context';
export { RULES, findRule } from './registry';
export { runRules, validateObjects, failing, unknownRuleIds, crashViolation } from './runner';
export type { ValidateOptions, ValidationResult, RuleCrash, RuleReuse } from './runner';
export { SUPPRESS_PREFIX, CONSTRUCT_PATH_ANNOTATION, suppressionsOf } from './suppress';
export type { Suppression } from './suppress';

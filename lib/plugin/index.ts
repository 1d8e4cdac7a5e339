/** The cdk8s validation plugin adapter. */
export { NetkitValidation, toPluginViolation } from './netkit-validation';
export type { NetkitValidationProps } from './netkit-validation';
export type { PluginContext, PluginReport, PluginValidation, PluginViolation, PluginViolatingResource } from './contract';

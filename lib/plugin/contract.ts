/**
 * The cdk8s-cli validation plugin contract, declared structurally (a copy of the shapes in
 * `cdk8s-cli/lib/plugins/validation.d.ts`, 2.207.x), so the package needs no cdk8s-cli at runtime
 * and compiles under `moduleResolution: node`.
 */

/** One object a violation points at. */
export interface PluginViolatingResource {
  /** `metadata.name`; cdk8s looks the construct path up by it in construct-metadata.json. */
  readonly resourceName: string;
  /** JSON paths inside the object. */
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** One violation as cdk8s prints it. */
export interface PluginViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly PluginViolatingResource[];
}

/** The report a plugin fills and must submit exactly once. */
export interface PluginReport {
  addViolation(violation: PluginViolation): void;
  submit(status: 'success' | 'failure', metadata?: Readonly<Record<string, string>>): void;
}

/** What cdk8s passes to `validate`. */
export interface PluginContext {
  /** Manifest paths, relative to the working directory. */
  readonly manifests: readonly string[];
  readonly report: PluginReport;
  /** All documents of one manifest file, as JSON values. */
  parseManifest(manifestPath: string): unknown[];
}

/** A cdk8s validation plugin. */
export interface PluginValidation {
  validate(context: PluginContext): Promise<void>;
}

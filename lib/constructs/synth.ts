import { App } from 'cdk8s';

/** Where {@link synthApp} reports validation failures. */
export interface SynthAppOptions {
  /** @default process.stderr */
  readonly stderr?: { write(text: string): unknown };
  /**
   * Called with exit code 1 after a validation failure was reported.
   * @default - sets `process.exitCode = 1` (the program ends normally, without a stack trace)
   */
  readonly onFailure?: (exitCode: number) => void;
}

/**
 * `app.synth()` for the last line of a cdk8s program. When constructs fail validation (a
 * Service port name, a StatefulSet without a headless Service, ...), their messages are written
 * one per line, each with its construct path, and the exit code is set to 1, instead of an
 * uncaught error whose stack trace hides the messages. Validation is run the way cdk8s's
 * `App.synth` runs it (`node.validate()` of every construct, app.ts `validate`), before it.
 * @returns true when the app was synthesized
 */
export function synthApp(app: App, options: SynthAppOptions = {}): boolean {
  const errors: string[] = [];
  for (const construct of app.node.findAll()) {
    for (const message of construct.node.validate()) errors.push(`[${construct.node.path}] ${message}`);
  }
  if (errors.length > 0) {
    const stderr = options.stderr ?? process.stderr;
    stderr.write(`cdk8s synth: ${errors.length} validation error${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e}\n`).join('')}`);
    if (options.onFailure) options.onFailure(1);
    else process.exitCode = 1;
    return false;
  }
  app.synth();
  return true;
}

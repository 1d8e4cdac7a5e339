/** The result type every check of lib/testing returns (its own module so http.ts and assertions.ts share it without a cycle). */

/** The outcome of a check; `message` reads well both when it passed and when it failed. */
export interface CheckResult {
  readonly pass: boolean;
  readonly message: string;
}

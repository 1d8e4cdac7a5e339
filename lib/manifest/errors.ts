import type { SourceLocation } from '../core/refs';

/** What went wrong with a manifest document. */
export type ManifestErrorCode =
  | 'io'
  | 'yaml-syntax'
  | 'not-an-object'
  | 'missing-kind'
  | 'missing-name'
  | 'invalid-field'
  | 'duplicate';

/**
 * A problem in user input: where it is (file, line, JSON field path), what is wrong and how to
 * fix it. Loader functions return these instead of throwing.
 */
export class ManifestError {
  /** `file:line` plus the field path when known, e.g. `app.yaml:12 spec.ports[0].port`. */
  public get location(): string {
    const where = this.line > 0 ? `${this.file}:${this.line}` : this.file;
    return this.path ? `${where} ${this.path}` : where;
  }

  constructor(
    public readonly code: ManifestErrorCode,
    public readonly file: string,
    /** 1-based line; 0 when unknown (e.g. in-memory objects without a source). */
    public readonly line: number,
    /** JSON field path such as `spec.ports[0].port`; empty for whole-document problems. */
    public readonly path: string,
    public readonly message: string,
    public readonly hint: string,
  ) {}

  /** The source location of the error. */
  public get source(): SourceLocation {
    return { file: this.file, line: this.line };
  }

  /** One line for terminals: `file:line path: message (fix: hint)`. */
  public toString(): string {
    return `${this.location}: ${this.message}${this.hint ? ` (fix: ${this.hint})` : ''}`;
  }
}

/** `spec.ports[0].port` from a zod/yaml path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Stable codes of {@link InfraError}. */
export type InfraErrorCode = 'INVALID_CONTEXT' | 'BUNDLE_MISSING' | 'TABLE_DEFINITION';

/** Base class of every error the infrastructure code throws at synth; `code` is stable. */
export class InfraError extends Error {
  /** What went wrong, stable across versions. */
  readonly code: InfraErrorCode;

  constructor(code: InfraErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A CDK context value (`-c key=value`) is malformed; the message names the key. */
export class InvalidContextError extends InfraError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_CONTEXT', message, options);
  }
}

/** The Lambda bundle is not where the stack looks for it; the message says how to make it. */
export class BundleMissingError extends InfraError {
  constructor(message: string, options?: ErrorOptions) {
    super('BUNDLE_MISSING', message, options);
  }
}

/** The codec's `tableDefinition` lacks a key the table needs. */
export class TableDefinitionError extends InfraError {
  constructor(message: string, options?: ErrorOptions) {
    super('TABLE_DEFINITION', message, options);
  }
}

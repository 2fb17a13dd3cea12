/** Stable codes of {@link InfraError}. */
export type InfraErrorCode =
  | 'INVALID_CONTEXT'
  | 'INVALID_SETTING'
  | 'CONSUMER_CONFIG'
  | 'BUNDLE_MISSING'
  | 'TABLE_DEFINITION';

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

/**
 * A stack setting is outside what AWS accepts or what keeps data recoverable (e.g. a maximum record age not
 * safely below the stream's retention). `setting` is the prop, which is also its context key.
 */
export class InvalidSettingError extends InfraError {
  /** The offending setting, e.g. `maximumRecordAgeSeconds`; the same name as its context key. */
  readonly setting: string;

  constructor(setting: string, message: string, options?: ErrorOptions) {
    super('INVALID_SETTING', message, options);
    this.setting = setting;
  }
}

/**
 * The function's final environment would make the consumer's `loadConfig` throw on every invocation.
 * `variable` is the environment variable, `setting` the stack setting (context key) that produced it;
 * `cause` is the consumer's `ConfigError`.
 */
export class ConsumerConfigError extends InfraError {
  /** The environment variable the consumer rejects, e.g. `WINDOW_SECONDS`. */
  readonly variable: string;
  /** The setting or context key that set it, e.g. `windowSeconds`, or `environment.RANGE_G`. */
  readonly setting: string;

  constructor(variable: string, setting: string, message: string, options?: ErrorOptions) {
    super('CONSUMER_CONFIG', message, options);
    this.variable = variable;
    this.setting = setting;
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

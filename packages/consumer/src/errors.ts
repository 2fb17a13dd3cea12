/** Stable machine-readable codes carried by every {@link ConsumerError}. */
export type ConsumerErrorCode =
  /** An environment variable is missing or malformed. */
  | 'CONFIG_INVALID'
  /** The record bytes are not base64, or not valid gzip/JSON/Avro/KPL. */
  | 'UNDECODABLE'
  /** The record's bytes match none of the known formats. */
  | 'UNKNOWN_FORMAT'
  /** The record decodes but its fields have the wrong shape or type. */
  | 'INVALID_SHAPE'
  /** The record names no usable device id. */
  | 'NO_DEVICE_ID'
  /** A sample is malformed (not finite, fractional time, bad timestamp). */
  | 'INVALID_SAMPLE'
  /** A sample value lies outside the configured range. */
  | 'OUT_OF_RANGE'
  /** The record holds more samples than `MAX_SAMPLES_PER_RECORD`. */
  | 'TOO_MANY_SAMPLES'
  /** The record (or its decompressed payload) exceeds `MAX_RECORD_BYTES`. */
  | 'TOO_LARGE'
  /**
   * The record's device id differs from its Kinesis partition key, which the IoT topic rule set to the
   * publishing device's identity (with `REQUIRE_PARTITION_KEY_MATCH=on`): a device wrote another's data.
   */
  | 'IDENTITY_MISMATCH'
  /** Writing a bad record or row to the quarantine failed. */
  | 'QUARANTINE_FAILED'
  /** An option, CLI flag or message given to the consumer's API is invalid. */
  | 'INVALID_OPTION'
  /** Records to replay are no longer in the stream (past its retention). */
  | 'RECORDS_TRIMMED'
  /** Reading records back from Kinesis for a replay failed. */
  | 'REPLAY_FAILED';

/**
 * Base class of every error the consumer throws or reports. Check `code`, not
 * the message: codes are stable, messages are for people.
 */
export class ConsumerError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: ConsumerErrorCode;

  constructor(code: ConsumerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsumerError';
    this.code = code;
  }
}

/** The Lambda's environment is misconfigured (`CONFIG_INVALID`); `variable` names the culprit. */
export class ConfigError extends ConsumerError {
  /** Name of the offending environment variable, e.g. `TABLE_NAME`. */
  readonly variable: string;

  constructor(variable: string, message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Codes a bad record can be rejected with. */
export type RecordErrorCode = Exclude<
  ConsumerErrorCode,
  'CONFIG_INVALID' | 'QUARANTINE_FAILED' | 'INVALID_OPTION' | 'RECORDS_TRIMMED' | 'REPLAY_FAILED'
>;

/**
 * One Kinesis (user) record is bad and will be quarantined rather than stored.
 * `index` and `field` name the offending sample when the fault is in one.
 */
export class RecordError extends ConsumerError {
  declare readonly code: RecordErrorCode;
  /** Index of the offending sample in the record, when the fault is in a sample. */
  readonly index: number | undefined;
  /** Offending field (`t`, `x`, `y`, `z`, `ts`, `sample`, or a record field name), when known. */
  readonly field: string | undefined;

  constructor(
    code: RecordErrorCode,
    message: string,
    options?: { cause?: unknown; index?: number; field?: string },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RecordError';
    this.index = options?.index;
    this.field = options?.field;
  }
}

/** A bad record could not be written to the quarantine (`QUARANTINE_FAILED`); the original error is in `cause`. */
export class QuarantineError extends ConsumerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('QUARANTINE_FAILED', message, options);
    this.name = 'QuarantineError';
  }
}

/** An option, CLI flag or input given to the consumer is invalid (`INVALID_OPTION`); `option` names it. */
export class OptionError extends ConsumerError {
  /** Name of the offending option or flag, e.g. `maxRawBytes` or `--table`. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options);
    this.name = 'OptionError';
    this.option = option;
  }
}

/**
 * A replay could not read its records back from Kinesis: `RECORDS_TRIMMED` when they are past the
 * stream's retention, `REPLAY_FAILED` for any other Kinesis error (kept in `cause`).
 */
export class ReplayError extends ConsumerError {
  declare readonly code: 'RECORDS_TRIMMED' | 'REPLAY_FAILED';

  constructor(code: 'RECORDS_TRIMMED' | 'REPLAY_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ReplayError';
  }
}

const NAMES = new Set([
  'ConsumerError',
  'ConfigError',
  'RecordError',
  'QuarantineError',
  'OptionError',
  'ReplayError',
]);

/**
 * True when `error` is a {@link ConsumerError}. Checks the name and code rather
 * than `instanceof`, so it holds across duplicate installs of the package.
 */
export function isConsumerError(error: unknown): error is ConsumerError {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && NAMES.has(error.name)
  );
}

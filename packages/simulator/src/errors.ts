/** Stable machine-readable codes carried by every {@link SimulatorError}. */
export type SimulatorErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_CSV'
  | 'PUT_RECORDS_FAILED'
  | 'SETUP_FAILED'
  | 'VERIFY_FAILED';

/**
 * Base class of every error the simulator throws. Check `code`, not the message:
 * codes are stable, messages are for people.
 */
export class SimulatorError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulatorError';
    this.code = code;
  }
}

/** An option of the simulator or the demo is out of its allowed range (`INVALID_OPTION`). */
export class InvalidSimulatorOptionError extends SimulatorError {
  /** Name of the offending option. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options);
    this.name = 'InvalidSimulatorOptionError';
    this.option = option;
  }
}

/** A CSV recording is not in the `t_ms,x,y,z` format (`INVALID_CSV`); `line` is 1-based. */
export class CsvFormatError extends SimulatorError {
  /** 1-based line number of the offending line. */
  readonly line: number;

  constructor(line: number, message: string, options?: { cause?: unknown }) {
    super('INVALID_CSV', message, options);
    this.name = 'CsvFormatError';
    this.line = line;
  }
}

/**
 * PutRecords kept failing for some records after every retry (`PUT_RECORDS_FAILED`).
 * The phone keeps those records queued; this error only surfaces when a run must end.
 */
export class PutRecordsError extends SimulatorError {
  /** How many records were still unsent. */
  readonly records: number;

  constructor(records: number, message: string, options?: { cause?: unknown }) {
    super('PUT_RECORDS_FAILED', message, options);
    this.name = 'PutRecordsError';
    this.records = records;
  }
}

/**
 * True when `error` is a {@link SimulatorError}. Checks the name and code rather than
 * `instanceof`, so it holds across duplicate installs of the package.
 */
export function isSimulatorError(error: unknown): error is SimulatorError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    ['SimulatorError', 'InvalidSimulatorOptionError', 'CsvFormatError', 'PutRecordsError'].includes(
      error.name,
    )
  );
}

/** Stable machine-readable codes carried by every {@link BenchError}. */
export type BenchErrorCode = 'INVALID_ARGUMENT' | 'INVALID_DATA' | 'DYNAMODB_ERROR' | 'ROUND_TRIP_FAILED';

/**
 * Base class of every error the bench throws. Check `code`, not the message:
 * the CLI maps codes to exit statuses, messages are for people.
 */
export class BenchError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}

/** A command-line flag is unknown, malformed or out of range (`INVALID_ARGUMENT`). */
export class ArgumentError extends BenchError {
  /** The offending flag, without dashes. */
  readonly flag: string;

  constructor(flag: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'ArgumentError';
    this.flag = flag;
  }
}

/** A recording cannot be read as `t_ms,x,y,z` CSV (`INVALID_DATA`); `file` and `line` point at it. */
export class DataError extends BenchError {
  /** Path of the offending file. */
  readonly file: string;
  /** 1-based line number, or 0 when the whole file is at fault. */
  readonly line: number;

  constructor(file: string, line: number, message: string, options?: { cause?: unknown }) {
    super('INVALID_DATA', message, options);
    this.name = 'DataError';
    this.file = file;
    this.line = line;
  }
}

/** True when `error` is a {@link BenchError}; checks the name so it holds across duplicate module copies. */
export function isBenchError(error: unknown): error is BenchError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    ['BenchError', 'ArgumentError', 'DataError'].includes(error.name)
  );
}

/**
 * Stable codes of every {@link CliError}. The `secondrow` command exits with status 2 for
 * `INVALID_ARGUMENT` and `NO_LOCAL_DATA` (nothing was read) and 1 for the others.
 */
export type CliErrorCode = 'INVALID_ARGUMENT' | 'NO_LOCAL_DATA' | 'READ_FAILED' | 'WRITE_FAILED';

/** Base class of every error of `@secondrow/cli`. Check `code`, not the message. */
export class CliError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

/** A command-line flag is unknown, missing, malformed or out of range (`INVALID_ARGUMENT`). */
export class ArgumentError extends CliError {
  /** The offending flag with its dashes (`--from`), or `''` when no single flag is at fault. */
  readonly flag: string;

  constructor(flag: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'ArgumentError';
    this.flag = flag;
  }
}

/** `--local DIR` holds no data kept by `pnpm demo --keep` (`NO_LOCAL_DATA`). */
export class NoLocalDataError extends CliError {
  /** The directory looked in. */
  readonly dir: string;

  constructor(dir: string, message: string, options?: { cause?: unknown }) {
    super('NO_LOCAL_DATA', message, options);
    this.name = 'NoLocalDataError';
    this.dir = dir;
  }
}

/** Reading the table failed (`READ_FAILED`); `cause` keeps the store's or the SDK's error. */
export class ReadFailedError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('READ_FAILED', message, options);
    this.name = 'ReadFailedError';
  }
}

/** Writing the output (file or stdout) failed (`WRITE_FAILED`). */
export class WriteFailedError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WRITE_FAILED', message, options);
    this.name = 'WriteFailedError';
  }
}

/** True for any error of `@secondrow/cli`. */
export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError;
}

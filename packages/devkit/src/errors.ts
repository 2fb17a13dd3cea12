/** Stable codes of {@link DevkitError}. */
export type DevkitErrorCode =
  | 'RECORDING_FORMAT'
  | 'RECORDING_NOT_FOUND'
  | 'INVALID_FLAG'
  | 'CHROMIUM_MISSING'
  | 'INVALID_USAGE';

/** Base class of every error the devkit throws; `code` is stable, the message is for people. */
export class DevkitError extends Error {
  /** What went wrong, stable across versions. */
  readonly code: DevkitErrorCode;

  constructor(code: DevkitErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A `t_ms,x,y,z` recording holds a line that is not a sample; names the file and the 1-based line. */
export class RecordingFormatError extends DevkitError {
  /** File name (or label) of the recording. */
  readonly file: string;
  /** 1-based line number; 0 when the problem is the whole file (e.g. no samples). */
  readonly line: number;

  constructor(file: string, line: number, reason: string, options?: ErrorOptions) {
    super('RECORDING_FORMAT', line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`, options);
    this.file = file;
    this.line = line;
  }
}

/** A recording file or folder does not exist or holds no `.csv` file. */
export class RecordingNotFoundError extends DevkitError {
  /** The path that was asked for. */
  readonly path: string;

  constructor(path: string, reason: string, options?: ErrorOptions) {
    super('RECORDING_NOT_FOUND', `${path}: ${reason}`, options);
    this.path = path;
  }
}

/** A command-line flag has a value that is empty, not a number, or out of range; names the flag. */
export class FlagError extends DevkitError {
  /** The flag as typed, e.g. `--devices`. */
  readonly flag: string;

  constructor(flag: string, reason: string, options?: ErrorOptions) {
    super('INVALID_FLAG', `${flag} ${reason}`, options);
    this.flag = flag;
  }
}

/** A usage figure given to a cost estimate is negative or not a finite number; names the figure. */
export class UsageError extends DevkitError {
  /** The figure's name, e.g. `payloadBytes`. */
  readonly field: string;

  constructor(field: string, value: unknown, reason: string, options?: ErrorOptions) {
    super('INVALID_USAGE', `${field} ${reason}, got ${String(value)}`, options);
    this.field = field;
  }
}

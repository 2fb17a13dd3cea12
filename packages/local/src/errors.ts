/** Stable codes of {@link LocalError}: what went wrong, for callers that branch on it. */
export type LocalErrorCode =
  | 'INVALID_OPTION'
  | 'SERVER_START'
  | 'STREAM_NOT_ACTIVE'
  | 'INVALID_RECORD'
  | 'INVALID_HANDLER_RESPONSE'
  | 'HANDLER_TIMEOUT'
  | 'PUT_RECORDS_FAILED'
  | 'PROXY_NOT_LISTENING'
  | 'USAGE';

/** Base class of every error the local tools throw; `code` is stable, the message is for people. */
export class LocalError extends Error {
  /** What went wrong, stable across versions. */
  readonly code: LocalErrorCode;

  constructor(code: LocalErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option (of the runner, a server or a stream) is out of range or inconsistent; thrown when given. */
export class LocalOptionError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_OPTION', message, options);
  }
}

/**
 * An option of a fault-injecting proxy (`DynamoFaultProxy`, `KinesisLimitsProxy`, their `faults`) is
 * missing, out of range or of the wrong kind; thrown by the constructor or `setFaults` (`INVALID_OPTION`).
 */
export class InvalidProxyOptionError extends LocalOptionError {
  /** Name of the offending option, e.g. `faults.throttle`. */
  readonly option: string;

  constructor(option: string, message: string, options?: ErrorOptions) {
    super(`${option}: ${message}`, options);
    this.option = option;
  }
}

/** A proxy was asked for its endpoint before `start()` resolved, or after `close()` (`PROXY_NOT_LISTENING`). */
export class ProxyNotListeningError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('PROXY_NOT_LISTENING', message, options);
  }
}

/** dynalite or kinesalite could not listen on 127.0.0.1, or their worker thread did not start. */
export class ServerStartError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('SERVER_START', message, options);
  }
}

/** A Kinesis stream did not become ACTIVE in time. */
export class StreamNotActiveError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('STREAM_NOT_ACTIVE', message, options);
  }
}

/** A Kinesis record lacks a field a Lambda event record needs. */
export class InvalidRecordError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_RECORD', message, options);
  }
}

/** A handler returned a `batchItemFailures` the event source mapping would reject. */
export class HandlerResponseError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_HANDLER_RESPONSE', message, options);
  }
}

/** A handler ran longer than the function's timeout (the message matches Lambda's own). */
export class HandlerTimeoutError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('HANDLER_TIMEOUT', message, options);
  }
}

/** A command-line mistake; the CLI prints it with the usage and exits with status 2. */
export class UsageError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('USAGE', message, options);
  }
}

/** Kinesis rejected records the local tools put (kinesalite has no throughput limits, so this is a fault). */
export class PutRecordsFailedError extends LocalError {
  constructor(message: string, options?: ErrorOptions) {
    super('PUT_RECORDS_FAILED', message, options);
  }
}

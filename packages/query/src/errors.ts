/**
 * Stable machine-readable codes carried by every {@link QueryError}; the HTTP API puts them in the
 * `code` field of its error bodies. Messages are for people and may change; codes do not.
 *
 * Rejected requests (nothing is read from the source), with their HTTP status:
 * - `NOT_FOUND` (404): no route for the path. `METHOD_NOT_ALLOWED` (405): the route exists, only for GET.
 * - `UNKNOWN_DEVICE` (404): the registry does not know the device (the one check that asks the source).
 * - `MISSING_PARAMETER` (400): `from` or `to` absent. `INVALID_TIME` (400): `from`/`to` neither integer epoch
 *   ms nor ISO-8601 with a time zone. `EMPTY_RANGE` (400): `from >= to`.
 * - `INVALID_MAX_POINTS` (400): `maxPoints` not an integer in [1, {@link MAX_POINTS_LIMIT}].
 * - `INVALID_MODE` (400): `mode` not `auto`, `raw` or `envelope`. `INVALID_PARAMETER` (400): another
 *   parameter is malformed (`consistent`, the device id) or repeated, or unknown.
 * - `RANGE_TOO_LARGE_FOR_RAW` (400): `mode=raw` over more than {@link RAW_MAX_RANGE_MS}.
 * - `INVALID_CURSOR` (400): `cursor` is not one this API issued for this device and range.
 * - `INVALID_STEP` (400): the quality route's `step` or the samples route's `qualityStep` is not whole seconds in [1, 86,400], or gives more
 *   than `MAX_QUALITY_STEPS` steps over the range.
 *
 * Failures (5xx, the body carries only the code and the request id):
 * - `SOURCE_UNAVAILABLE` (503): the source failed with an error marked `retryable` (throttling, 5xx).
 * - `SOURCE_FAILED` (500): the source failed otherwise, or returned samples out of order or out of range.
 * - `INTERNAL` (500): a defect in this package.
 *
 * Configuration: `INVALID_OPTION` when an option of a factory is invalid (thrown at construction);
 * `CONFIG_INVALID` when the Lambda's environment is (thrown at cold start and on every invocation).
 */
export type QueryErrorCode =
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNKNOWN_DEVICE'
  | 'MISSING_PARAMETER'
  | 'INVALID_TIME'
  | 'EMPTY_RANGE'
  | 'INVALID_MAX_POINTS'
  | 'INVALID_MODE'
  | 'INVALID_PARAMETER'
  | 'RANGE_TOO_LARGE_FOR_RAW'
  | 'INVALID_CURSOR'
  | 'INVALID_STEP'
  | 'SOURCE_UNAVAILABLE'
  | 'SOURCE_FAILED'
  | 'INTERNAL'
  | 'INVALID_OPTION'
  | 'CONFIG_INVALID';

/**
 * Base class of every error `@secondrow/query` throws. Check `code`, not the message.
 */
export class QueryError extends Error {
  /** Stable code naming the kind of failure. */
  readonly code: QueryErrorCode;

  constructor(code: QueryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryError';
    this.code = code;
  }
}

/** HTTP statuses of rejected requests. */
export type RequestErrorStatus = 400 | 404 | 405;

/**
 * A request the API refuses before reading any sample: a bad parameter (400), an unknown route or device
 * (404), a method other than GET (405). `parameter` names the offending query parameter or path part.
 */
export class RequestError extends QueryError {
  /** HTTP status the API answers with. */
  readonly status: RequestErrorStatus;
  /** The query parameter (`from`, `to`, `maxPoints`, `mode`, `cursor`, `consistent`, `step`) or path part at fault, if any. */
  readonly parameter: string | undefined;

  constructor(
    code: QueryErrorCode,
    status: RequestErrorStatus,
    message: string,
    options?: { parameter?: string; cause?: unknown },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RequestError';
    this.status = status;
    this.parameter = options?.parameter;
  }
}

/**
 * The sample source failed (`SOURCE_FAILED`, `SOURCE_UNAVAILABLE` when its error says `retryable: true`),
 * or broke its contract (samples out of order or outside the requested range). The source's error is `cause`.
 */
export class SourceError extends QueryError {
  constructor(code: 'SOURCE_FAILED' | 'SOURCE_UNAVAILABLE', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'SourceError';
  }
}

/** An option given to a factory of this package is invalid (`INVALID_OPTION`); `option` names it. */
export class InvalidOptionError extends QueryError {
  /** Name of the invalid option. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', message);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** The query Lambda's environment is misconfigured (`CONFIG_INVALID`); `variable` names the culprit. */
export class ConfigError extends QueryError {
  /** Name of the offending environment variable, e.g. `TABLE_NAME`. */
  readonly variable: string;

  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/**
 * Wraps whatever a source threw. A retryable error (`retryable: true`, as the codec's StoreError) and a read
 * aborted at the deadline (`TimeoutError`, `AbortError`) give `SOURCE_UNAVAILABLE` (503): trying again, or a
 * shorter range, can succeed.
 */
export function sourceFailure(cause: unknown): SourceError {
  if (cause instanceof SourceError) return cause;
  const name = (cause as { name?: unknown } | null)?.name;
  const retryable =
    (cause as { retryable?: unknown } | null)?.retryable === true ||
    name === 'TimeoutError' ||
    name === 'AbortError';
  return new SourceError(
    retryable ? 'SOURCE_UNAVAILABLE' : 'SOURCE_FAILED',
    `The sample source failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

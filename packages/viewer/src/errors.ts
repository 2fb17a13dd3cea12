/**
 * Stable codes of the viewer's errors: `USAGE` (a bad flag), `API` (a failed API request; the API's own code
 * is {@link ApiError.apiCode}), `BUILD_FAILED` (Vite), `FLEET_WRITE_FAILED` (the local fleet's rows), `KEPT_TABLE` (a
 * table `pnpm demo --keep` left that cannot be opened), `SIGN_IN` (the page's sign-in failed; the step at fault is
 * {@link SignInError.reason}).
 */
export type ViewerErrorCode =
  | 'USAGE'
  | 'API'
  | 'BUILD_FAILED'
  | 'FLEET_WRITE_FAILED'
  | 'KEPT_TABLE'
  | 'SIGN_IN';

/** Base class of the viewer's errors: a stable `code`, the cause kept. */
export class ViewerError extends Error {
  /** Stable code, for programs. */
  readonly code: ViewerErrorCode;

  constructor(code: ViewerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad command-line flag of `pnpm viewer`, raised before any work starts. */
export class ViewerUsageError extends ViewerError {
  /** The flag at fault, as typed (e.g. `--port`). */
  readonly flag: string;

  constructor(flag: string, message: string) {
    super('USAGE', `${flag}: ${message}`);
    this.flag = flag;
  }
}

/** The page could not be built with Vite. */
export class PageBuildError extends ViewerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BUILD_FAILED', message, options);
  }
}

/**
 * A query API request that failed: `apiCode` is the API's stable error code (`UNKNOWN_DEVICE`,
 * `INVALID_TIME`, …), or `NETWORK` (no answer), `HTTP_<status>` (an answer without an error body), or
 * `UNSUPPORTED_VERSION` (a body version this page does not read).
 */
export class ApiError extends ViewerError {
  /** HTTP status, 0 when no answer came. */
  readonly status: number;
  /** The API's error code, or one of the page's own listed above. */
  readonly apiCode: string;
  /** The API's request id, when it sent one. */
  readonly requestId: string | undefined;

  constructor(
    status: number,
    apiCode: string,
    message: string,
    options?: { cause?: unknown; requestId?: string | undefined },
  ) {
    super('API', message, options);
    this.status = status;
    this.apiCode = apiCode;
    this.requestId = options?.requestId;
  }
}

/**
 * Why the page's sign-in failed: `CONFIG` (`config.json` has an `auth` the page cannot use),
 * `STATE_MISMATCH` (the sign-in answer's `state` is not the one this tab sent), `DENIED` (the managed login
 * answered with an OAuth `error`), `TOKEN_EXCHANGE` (the token endpoint refused the code or the refresh token).
 */
export type SignInReason = 'CONFIG' | 'STATE_MISMATCH' | 'DENIED' | 'TOKEN_EXCHANGE';

/** The page's sign-in failed; {@link SignInError.reason} says at which step. */
export class SignInError extends ViewerError {
  /** The step at fault. */
  readonly reason: SignInReason;

  constructor(reason: SignInReason, message: string, options?: { cause?: unknown }) {
    super('SIGN_IN', message, options);
    this.reason = reason;
  }
}

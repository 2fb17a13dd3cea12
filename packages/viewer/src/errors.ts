/**
 * Stable codes of the viewer's errors: `USAGE` (a bad flag), `API` (a failed API request; the API's own code
 * is {@link ApiError.apiCode}), `BUILD_FAILED` (Vite), `FLEET_WRITE_FAILED` (the local fleet's rows), `KEPT_TABLE` (a
 * table `pnpm demo --keep` left that cannot be opened).
 */
export type ViewerErrorCode = 'USAGE' | 'API' | 'BUILD_FAILED' | 'FLEET_WRITE_FAILED' | 'KEPT_TABLE';

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

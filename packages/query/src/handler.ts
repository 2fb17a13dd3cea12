import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyStructuredResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { samplesCacheControl } from './cache-control.js';
import { InvalidOptionError, QueryError, RequestError, sourceFailure } from './errors.js';
import { parseQualityRequest } from './quality-request.js';
import { queryQuality } from './quality-steps.js';
import { checkQueryOptions, type QuerySamplesOptions, querySamples } from './query-samples.js';
import { BODY_VERSION, type DevicesBody, type ErrorBody, qualityBody, samplesBody } from './response-body.js';
import { parseSamplesRequest } from './samples-request.js';
import type { SampleSource } from './source.js';

/** What the handler answers: a Function URL (payload 2.0) structured result with a JSON body. */
export type QueryResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** What the handler uses of the Lambda context: the time left, to stop reading before the function times out. */
export type QueryContext = Pick<Context, 'getRemainingTimeInMillis'>;

/**
 * A Lambda Function URL handler (payload format 2.0). With a `context`, reads stop
 * {@link DEADLINE_MARGIN_MS} before the function's timeout and the request gets a 503.
 */
export type QueryHandler = (event: LambdaFunctionURLEvent, context?: QueryContext) => Promise<QueryResult>;

/** Time kept before the Lambda timeout to answer a 503 instead of being killed, ms. */
export const DEADLINE_MARGIN_MS = 1000;

/** Options of {@link createQueryHandler}. */
export interface QueryHandlerOptions {
  /** Where samples and devices come from. */
  source: SampleSource;
  /** Current time, epoch ms, for caching headers. Default `Date.now`. */
  now?: () => number;
  /**
   * Called with every 5xx failure and its request id, to log it (the response body carries only the
   * code and request id). Default: one JSON line on stderr.
   */
  onError?: (error: unknown, requestId: string) => void;
  /** Passed to {@link querySamples}: `intervalMs`, `windowSeconds`, `rawPageSamples`. */
  query?: Omit<QuerySamplesOptions, 'signal'>;
}

/**
 * Bodies at least this large (bytes) are gzipped for clients that accept it: numbers in JSON shrink about
 * tenfold (a 1,600-point day envelope: 87 KB to 9 KB), and a Function URL does not compress by itself.
 */
export const GZIP_MIN_BYTES = 1024;

const DEVICE_ROUTE = /^\/api\/devices\/([^/]+)\/(samples|quality)$/;

const logError = (error: unknown, requestId: string): void => {
  const code = error instanceof QueryError ? error.code : 'INTERNAL';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  console.error(
    JSON.stringify({
      level: 'ERROR',
      requestId,
      code,
      message: error instanceof Error ? error.message : String(error),
      cause,
    }),
  );
};

/**
 * The HTTP API as a Function URL handler; thin glue over `parseSamplesRequest` → `querySamples` →
 * `samplesBody`:
 * - `GET /api/devices` → {@link DevicesBody}.
 * - `GET /api/devices/{deviceId}/samples?from=&to=&maxPoints=&mode=&cursor=&consistent=` → `SamplesBody`.
 * - `GET /api/devices/{deviceId}/quality?from=&to=&step=&consistent=` → `QualityBody` (per-step coverage,
 *   gaps and row delays).
 *
 * A rejected request reads nothing from the source, except the device lookup that makes an unknown
 * device a 404. Errors are JSON {@link ErrorBody} with a stable `code`: 400/404/405 from
 * {@link RequestError}; 503 `SOURCE_UNAVAILABLE` or 500 `SOURCE_FAILED` / `INTERNAL` with the request id
 * only, details go to `onError`. Every response carries `x-request-id`; bodies of {@link GZIP_MIN_BYTES} or
 * more are gzipped (base64, `isBase64Encoded`) when the request's `accept-encoding` allows gzip.
 *
 * @throws {InvalidOptionError} when `source` is not a source or an option is invalid (at creation).
 */
export function createQueryHandler(options: QueryHandlerOptions): QueryHandler {
  const { source } = options;
  if (
    typeof source?.columns !== 'function' ||
    typeof source.devices !== 'function' ||
    typeof source.device !== 'function'
  ) {
    throw new InvalidOptionError('source', 'source must have columns(), devices() and device()');
  }
  const now = options.now ?? Date.now;
  const onError = options.onError ?? logError;
  if (typeof now !== 'function')
    throw new InvalidOptionError('now', 'now must be a function returning epoch ms');
  if (typeof onError !== 'function') throw new InvalidOptionError('onError', 'onError must be a function');
  const queryOptions = options.query ?? {};
  try {
    checkQueryOptions(queryOptions);
  } catch (error) {
    const option = error instanceof InvalidOptionError ? error.option : 'query';
    throw new InvalidOptionError(`query.${option}`, (error as Error).message);
  }

  const route = async (
    event: LambdaFunctionURLEvent,
    signal: AbortSignal | undefined,
  ): Promise<QueryResult> => {
    const path = event.rawPath;
    const method = event.requestContext.http.method;
    const match = DEVICE_ROUTE.exec(path);
    if (path !== '/api/devices' && match === null) {
      throw new RequestError('NOT_FOUND', 404, `no route for ${path.slice(0, 128)}`);
    }
    if (method !== 'GET') {
      throw new RequestError(
        'METHOD_NOT_ALLOWED',
        405,
        `${method.slice(0, 16)} is not allowed here; use GET`,
      );
    }
    const params = new URLSearchParams(event.rawQueryString ?? '');
    if (match === null) {
      if ([...params.keys()].length > 0) {
        throw new RequestError('INVALID_PARAMETER', 400, '/api/devices takes no parameters');
      }
      const devices = await source.devices().catch((error: unknown) => {
        throw sourceFailure(error);
      });
      const body: DevicesBody = { version: BODY_VERSION, devices };
      return json(200, body, { 'cache-control': 'no-store' });
    }
    let deviceId: string;
    try {
      deviceId = decodeURIComponent(match[1] as string);
    } catch (cause) {
      throw new RequestError('INVALID_PARAMETER', 400, 'deviceId is not valid percent-encoding', {
        parameter: 'deviceId',
        cause,
      });
    }
    const quality = match[2] === 'quality';
    const query = quality ? parseQualityRequest(deviceId, params) : parseSamplesRequest(deviceId, params);
    const device = await source.device(deviceId).catch((error: unknown) => {
      throw sourceFailure(error);
    });
    if (device === undefined) {
      throw new RequestError('UNKNOWN_DEVICE', 404, `no device ${JSON.stringify(deviceId)}`, {
        parameter: 'deviceId',
      });
    }
    const cacheControl = {
      'cache-control': samplesCacheControl(query.toMs, now(), query.consistentRead),
    };
    if ('stepMs' in query) {
      const { intervalMs, windowSeconds } = queryOptions;
      const result = await queryQuality(source, query, {
        ...(intervalMs === undefined ? {} : { intervalMs }),
        ...(windowSeconds === undefined ? {} : { windowSeconds }),
        ...(signal === undefined ? {} : { signal }),
      });
      return json(200, qualityBody(result), cacheControl);
    }
    const result = await querySamples(source, query, {
      ...queryOptions,
      ...(signal === undefined ? {} : { signal }),
    });
    return json(200, samplesBody(query, result), cacheControl);
  };

  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const remainingMs = context?.getRemainingTimeInMillis();
    const signal =
      remainingMs === undefined
        ? undefined
        : AbortSignal.timeout(Math.max(0, remainingMs - DEADLINE_MARGIN_MS));
    let result: QueryResult;
    try {
      result = await route(event, signal);
    } catch (error) {
      result = errorResult(error, requestId, onError);
    }
    result.headers['x-request-id'] = requestId;
    result.headers.vary = 'accept-encoding';
    return acceptsGzip(event) ? gzipped(result) : result;
  };
}

function errorResult(
  error: unknown,
  requestId: string,
  onError: (error: unknown, requestId: string) => void,
): QueryResult {
  if (error instanceof RequestError) {
    const body: ErrorBody = {
      code: error.code,
      message: error.message,
      ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
      requestId,
    };
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (error.status === 405) headers.allow = 'GET';
    return json(error.status, body, headers);
  }
  onError(error, requestId);
  const code = error instanceof QueryError ? error.code : 'INTERNAL';
  const status = code === 'SOURCE_UNAVAILABLE' ? 503 : 500;
  const message =
    code === 'SOURCE_UNAVAILABLE'
      ? 'The sample store is busy or unavailable; try again shortly.'
      : 'The request failed on the server; quote the request id when reporting it.';
  const body: ErrorBody = {
    code: code === 'SOURCE_UNAVAILABLE' || code === 'SOURCE_FAILED' ? code : 'INTERNAL',
    message,
    requestId,
  };
  return json(status, body, { 'cache-control': 'no-store' });
}

function acceptsGzip(event: LambdaFunctionURLEvent): boolean {
  const accept = event.headers?.['accept-encoding'];
  return accept !== undefined && /(^|,)\s*gzip\s*(;\s*q=(1(\.0*)?|0?\.\d*[1-9]\d*))?\s*(,|$)/i.test(accept);
}

function gzipped(result: QueryResult): QueryResult {
  if (Buffer.byteLength(result.body) < GZIP_MIN_BYTES) return result;
  result.headers['content-encoding'] = 'gzip';
  return { ...result, body: gzipSync(result.body).toString('base64'), isBase64Encoded: true };
}

function json(statusCode: number, body: unknown, headers: Record<string, string>): QueryResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

import type { DeviceInfo, DevicesBody, ErrorBody, SamplesBody } from '@secondrow/query';
import { ApiError } from '../errors.js';

/** The body version this page reads (`BODY_VERSION` of `@secondrow/query`); any other is refused. */
export const READ_BODY_VERSION = 2;

import type { TimeRange } from './time-range.js';

/** The fetch the client uses; the page passes `window.fetch`. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Largest `maxPoints` the API takes. */
export const MAX_POINTS_LIMIT = 11_000;

/**
 * The samples URL of a range, relative to `base` (the page's origin, e.g. `''`): `mode=auto`, so the API
 * answers raw samples when they fit `maxPoints` and an envelope otherwise. `maxPoints` is clamped to
 * `[1, MAX_POINTS_LIMIT]` and rounded: it is the pane's width in CSS pixels. With `qualityStepSeconds` the
 * body also holds the range's per-step quality in steps of that many seconds (`qualityStep`), from the
 * same read.
 */
export function samplesUrl(
  base: string,
  deviceId: string,
  range: TimeRange,
  maxPoints: number,
  qualityStepSeconds?: number,
): string {
  const points = Math.max(1, Math.min(MAX_POINTS_LIMIT, Math.round(maxPoints) || 1));
  const query = new URLSearchParams({
    from: String(range.fromMs),
    to: String(range.toMs),
    maxPoints: String(points),
    mode: 'auto',
    ...(qualityStepSeconds === undefined ? {} : { qualityStep: String(qualityStepSeconds) }),
  });
  return `${base}/api/devices/${encodeURIComponent(deviceId)}/samples?${query}`;
}

/** A client of the query API over `fetch`: JSON in, typed bodies or {@link ApiError} out. */
export class ApiClient {
  constructor(
    private readonly fetchFn: Fetch,
    private readonly base = '',
  ) {}

  /**
   * Every device with its first/last data time.
   *
   * @throws {ApiError} when the request fails or the body is not a version-2 devices body.
   */
  async devices(signal?: AbortSignal): Promise<DeviceInfo[]> {
    const body = await this.get<DevicesBody>(`${this.base}/api/devices`, signal);
    if (!Array.isArray(body.devices))
      throw new ApiError(200, 'UNSUPPORTED_VERSION', 'no device list in the answer');
    return body.devices;
  }

  /**
   * The samples body of a range (see {@link samplesUrl}), with its per-step quality when
   * `qualityStepSeconds` is given.
   *
   * @throws {ApiError} with the API's `code` and message when it refuses or fails; `UNSUPPORTED_VERSION`
   *   for a body version other than {@link READ_BODY_VERSION}.
   * @throws the signal's reason (an `AbortError`) when `signal` aborts first.
   */
  samples(
    deviceId: string,
    range: TimeRange,
    maxPoints: number,
    signal?: AbortSignal,
    qualityStepSeconds?: number,
  ): Promise<SamplesBody> {
    return this.get<SamplesBody>(
      samplesUrl(this.base, deviceId, range, maxPoints, qualityStepSeconds),
      signal,
    );
  }

  private async get<T extends { version: number }>(url: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchFn(url, signal === undefined ? {} : { signal });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ApiError(0, 'NETWORK', `the query API did not answer: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new ApiError(
        response.status,
        `HTTP_${response.status}`,
        `the query API answered ${response.status} without JSON`,
        { cause },
      );
    }
    if (!response.ok) throw apiErrorOf(response.status, body);
    if ((body as { version?: unknown }).version !== READ_BODY_VERSION) {
      throw new ApiError(
        response.status,
        'UNSUPPORTED_VERSION',
        `the query API answered body version ${String((body as { version?: unknown }).version)}; this page reads version ${READ_BODY_VERSION}: reload it, or match the viewer to the API`,
      );
    }
    return body as T;
  }
}

function apiErrorOf(status: number, body: unknown): ApiError {
  const error = body as Partial<ErrorBody> | null;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message, { requestId: error.requestId });
  }
  return new ApiError(status, `HTTP_${status}`, `the query API answered ${status}`);
}

import { decodeCursor } from './cursor.js';
import { RequestError } from './errors.js';
import { DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT, RAW_MAX_RANGE_MS } from './limits.js';
import type { QueryMode, SamplesQuery } from './query-samples.js';
import { parseStepParam } from './step-param.js';
import { parseTimeParam } from './time-param.js';

/** Query parameters `GET /api/devices/{deviceId}/samples` accepts; any other is refused. */
export const SAMPLES_PARAMETERS = [
  'from',
  'to',
  'maxPoints',
  'mode',
  'cursor',
  'consistent',
  'qualityStep',
] as const;

/** Longest device id accepted, characters (the store's partition key allows more; no device needs it). */
const MAX_DEVICE_ID_LENGTH = 256;

const MODES: readonly QueryMode[] = ['auto', 'raw', 'envelope'];

/** @throws {RequestError} `INVALID_PARAMETER` (400) when the device id is empty or too long. */
export function checkDeviceId(deviceId: string): void {
  if (deviceId.length === 0 || deviceId.length > MAX_DEVICE_ID_LENGTH) {
    throw new RequestError(
      'INVALID_PARAMETER',
      400,
      `deviceId must have 1 to ${MAX_DEVICE_ID_LENGTH} characters`,
      { parameter: 'deviceId' },
    );
  }
}

/** @throws {RequestError} `INVALID_PARAMETER` (400) for a parameter not in `accepted`, or one given twice. */
export function checkParameterNames(params: URLSearchParams, accepted: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!accepted.includes(name)) {
      throw new RequestError(
        'INVALID_PARAMETER',
        400,
        `unknown parameter ${JSON.stringify(name.slice(0, 64))}; accepted: ${accepted.join(', ')}`,
        { parameter: name.slice(0, 64) },
      );
    }
    if (seen.has(name)) {
      throw new RequestError('INVALID_PARAMETER', 400, `parameter ${name} is given more than once`, {
        parameter: name,
      });
    }
    seen.add(name);
  }
}

/** `consistent` (`true`/`false`, default false). @throws {RequestError} `INVALID_PARAMETER` (400) otherwise. */
export function parseConsistent(params: URLSearchParams): boolean {
  const text = params.get('consistent') ?? 'false';
  if (text !== 'true' && text !== 'false') {
    throw new RequestError('INVALID_PARAMETER', 400, 'consistent must be true or false', {
      parameter: 'consistent',
    });
  }
  return text === 'true';
}

/**
 * Validates a samples request without reading anything: the device id, `from`/`to` (epoch ms or
 * ISO-8601, `from < to`), `maxPoints` (integer in [1, 11,000], default 1,600), `mode` (`auto` default,
 * `raw`, `envelope`), `consistent` (`true`/`false`, default false: eventually consistent reads), and
 * `cursor` (continues a cut raw response: it implies `mode=raw` and carries the range, so `from`/`to`
 * may be left out, and must match it when given), and `qualityStep` (whole seconds as the quality route's
 * `step`, not with `mode=raw`: the body then also holds the range's per-step quality, from the same read).
 *
 * @param deviceId - the path segment, already percent-decoded.
 * @param params - the query string, each parameter at most once.
 * @throws {RequestError} with `status` 400 and a code naming the fault (see `QueryErrorCode`).
 */
export function parseSamplesRequest(deviceId: string, params: URLSearchParams): SamplesQuery {
  checkDeviceId(deviceId);
  checkParameterNames(params, SAMPLES_PARAMETERS);
  const get = (name: string): string | undefined => params.get(name) ?? undefined;

  const cursorText = get('cursor');
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText, deviceId);
  const time = (name: 'from' | 'to', fromCursor: number | undefined): number => {
    const text = get(name);
    if (text === undefined) {
      if (fromCursor !== undefined) return fromCursor;
      throw new RequestError('MISSING_PARAMETER', 400, `${name} is required (epoch ms or ISO-8601)`, {
        parameter: name,
      });
    }
    const ms = parseTimeParam(name, text);
    if (fromCursor !== undefined && ms !== fromCursor) {
      throw new RequestError('INVALID_CURSOR', 400, `cursor was issued for another ${name}`, {
        parameter: 'cursor',
      });
    }
    return ms;
  };
  const fromMs = time('from', cursor?.fromMs);
  const toMs = time('to', cursor?.toMs);
  if (fromMs >= toMs) {
    throw new RequestError('EMPTY_RANGE', 400, `from (${fromMs}) must be before to (${toMs})`, {
      parameter: 'from',
    });
  }

  const maxPointsText = get('maxPoints');
  let maxPoints = DEFAULT_MAX_POINTS;
  if (maxPointsText !== undefined) {
    maxPoints = /^\d{1,6}$/.test(maxPointsText) ? Number(maxPointsText) : Number.NaN;
    if (!(maxPoints >= 1 && maxPoints <= MAX_POINTS_LIMIT)) {
      throw new RequestError(
        'INVALID_MAX_POINTS',
        400,
        `maxPoints must be an integer in [1, ${MAX_POINTS_LIMIT}], got ${JSON.stringify(maxPointsText.slice(0, 32))}`,
        { parameter: 'maxPoints' },
      );
    }
  }

  const modeText = get('mode') ?? (cursor === undefined ? 'auto' : 'raw');
  if (!(MODES as readonly string[]).includes(modeText)) {
    throw new RequestError(
      'INVALID_MODE',
      400,
      `mode must be auto, raw or envelope, got ${JSON.stringify(modeText.slice(0, 32))}`,
      {
        parameter: 'mode',
      },
    );
  }
  const mode = modeText as QueryMode;
  if (cursor !== undefined && mode !== 'raw') {
    throw new RequestError(
      'INVALID_CURSOR',
      400,
      'a cursor continues a raw response: mode must be raw or absent',
      {
        parameter: 'cursor',
      },
    );
  }
  if (mode === 'raw' && toMs - fromMs > RAW_MAX_RANGE_MS) {
    throw new RequestError(
      'RANGE_TOO_LARGE_FOR_RAW',
      400,
      `mode=raw covers at most ${RAW_MAX_RANGE_MS} ms (10 minutes), got ${toMs - fromMs} ms: use mode=envelope or auto`,
      { parameter: 'mode' },
    );
  }

  const qualityStepText = get('qualityStep');
  let qualityStepMs: number | undefined;
  if (qualityStepText !== undefined) {
    if (mode === 'raw') {
      throw new RequestError(
        'INVALID_PARAMETER',
        400,
        'qualityStep comes with mode=auto or envelope: a raw response may be cut',
        { parameter: 'qualityStep' },
      );
    }
    qualityStepMs = parseStepParam('qualityStep', qualityStepText, fromMs, toMs);
  }

  return {
    deviceId,
    fromMs,
    toMs,
    maxPoints,
    mode,
    consistentRead: parseConsistent(params),
    ...(cursor === undefined ? {} : { resumeMs: cursor.resumeMs }),
    ...(qualityStepMs === undefined ? {} : { qualityStepMs }),
  };
}

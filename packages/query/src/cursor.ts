import { RequestError } from './errors.js';

/** What a cursor carries: where a cut raw response continues. */
export interface CursorState {
  /** Device the cursor was issued for. */
  deviceId: string;
  /** Requested range start, epoch ms. */
  fromMs: number;
  /** Requested range end, epoch ms (exclusive). */
  toMs: number;
  /** Time of the first sample not yet returned, epoch ms, in `(fromMs, toMs)`. */
  resumeMs: number;
}

/** Version of the cursor format; a cursor of another version is refused. */
const CURSOR_VERSION = 1;
/** Longest cursor accepted, characters: ours are about 120. */
const MAX_CURSOR_LENGTH = 512;

/** Encodes a cursor: base64url of `{"v":1,"d":…,"f":…,"t":…,"r":…}`. Opaque to clients. */
export function encodeCursor(state: CursorState): string {
  const json = JSON.stringify({
    v: CURSOR_VERSION,
    d: state.deviceId,
    f: state.fromMs,
    t: state.toMs,
    r: state.resumeMs,
  });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * Decodes and checks a cursor against the request it came with.
 *
 * @param deviceId - the device of the request path: a cursor of another device is refused.
 * @throws {RequestError} `INVALID_CURSOR` when the text is not a cursor of this version, or its range or
 *   resume time is inconsistent.
 */
export function decodeCursor(text: string, deviceId: string): CursorState {
  const invalid = (why: string): RequestError =>
    new RequestError('INVALID_CURSOR', 400, `cursor is not valid: ${why}`, { parameter: 'cursor' });
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw invalid('not a base64url string of at most 512 characters');
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new RequestError('INVALID_CURSOR', 400, 'cursor is not valid: not encoded JSON', {
      parameter: 'cursor',
      cause,
    });
  }
  if (typeof value !== 'object' || value === null) throw invalid('not an object');
  const { v, d, f, t, r } = value as Record<string, unknown>;
  if (v !== CURSOR_VERSION) throw invalid(`unsupported version ${JSON.stringify(v)}`);
  if (typeof d !== 'string' || d !== deviceId) throw invalid('issued for another device');
  if (!isTime(f) || !isTime(t) || !isTime(r) || !(f < r && r < t)) throw invalid('inconsistent range');
  return { deviceId: d, fromMs: f, toMs: t, resumeMs: r };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_POINTS,
  decodeCursor,
  encodeCursor,
  parseSamplesRequest,
  parseTimeParam,
  RequestError,
} from '../../src/index.js';

const parse = (query: string, deviceId = 'dev') => parseSamplesRequest(deviceId, new URLSearchParams(query));
const rejects = (query: string, code: string, parameter?: string) => {
  expect(() => parse(query)).toThrow(RequestError);
  expect(() => parse(query)).toThrow(
    expect.objectContaining({ code, status: 400, ...(parameter === undefined ? {} : { parameter }) }),
  );
};

describe('parseTimeParam', () => {
  it('reads epoch ms and ISO-8601 with a zone', () => {
    expect(parseTimeParam('from', '1733270400000')).toBe(1_733_270_400_000);
    expect(parseTimeParam('from', '2026-12-04')).toBe(Date.UTC(2026, 11, 4));
    expect(parseTimeParam('from', '2026-12-04T10:00:00.250Z')).toBe(Date.UTC(2026, 11, 4, 10, 0, 0, 250));
    expect(parseTimeParam('from', '2026-12-04T11:00+01:00')).toBe(Date.UTC(2026, 11, 4, 10));
    expect(parseTimeParam('from', '2026-12-04T10:00:00.123456789Z')).toBe(
      Date.UTC(2026, 11, 4, 10, 0, 0, 123),
    );
  });

  it.each([
    ['', 'empty'],
    ['-5', 'negative'],
    ['1.5', 'fractional'],
    ['2026-12-04T10:00:00', 'without a zone'],
    ['2026-02-30T00:00Z', 'no such day'],
    ['2026-12-04T24:00Z', 'no such hour'],
    ['99999999999999999', 'beyond Date'],
    ['yesterday', 'words'],
  ])('refuses %j (%s)', (value) => {
    expect(() => parseTimeParam('to', value)).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME', parameter: 'to' }),
    );
  });
});

describe('parseSamplesRequest', () => {
  it('applies defaults: auto, 1,600 points, eventually consistent', () => {
    expect(parse('from=0&to=1000')).toEqual({
      deviceId: 'dev',
      fromMs: 0,
      toMs: 1000,
      maxPoints: DEFAULT_MAX_POINTS,
      mode: 'auto',
      consistentRead: false,
    });
    expect(parse('from=0&to=1000&maxPoints=11000&mode=envelope&consistent=true')).toMatchObject({
      maxPoints: 11_000,
      mode: 'envelope',
      consistentRead: true,
    });
  });

  it('gives every bad parameter its own code', () => {
    rejects('to=1000', 'MISSING_PARAMETER', 'from');
    rejects('from=0', 'MISSING_PARAMETER', 'to');
    rejects('from=abc&to=1000', 'INVALID_TIME', 'from');
    rejects('from=1000&to=1000', 'EMPTY_RANGE');
    rejects('from=2000&to=1000', 'EMPTY_RANGE');
    rejects('from=0&to=1000&maxPoints=0', 'INVALID_MAX_POINTS', 'maxPoints');
    rejects('from=0&to=1000&maxPoints=11001', 'INVALID_MAX_POINTS', 'maxPoints');
    rejects('from=0&to=1000&maxPoints=1e3', 'INVALID_MAX_POINTS', 'maxPoints');
    rejects('from=0&to=1000&mode=fast', 'INVALID_MODE', 'mode');
    rejects('from=0&to=600001&mode=raw', 'RANGE_TOO_LARGE_FOR_RAW', 'mode');
    rejects('from=0&to=1000&consistent=yes', 'INVALID_PARAMETER', 'consistent');
    rejects('from=0&to=1000&maxpoints=5', 'INVALID_PARAMETER', 'maxpoints');
    rejects('from=0&from=5&to=1000', 'INVALID_PARAMETER', 'from');
    rejects('from=0&to=1000&cursor=%%%', 'INVALID_CURSOR', 'cursor');
    expect(() => parse('from=0&to=10', '')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(parse('from=0&to=600000&mode=raw').mode).toBe('raw');
  });

  it('takes the range from a cursor, and refuses one for another device, range or mode', () => {
    const cursor = encodeCursor({ deviceId: 'dev', fromMs: 0, toMs: 1000, resumeMs: 400 });
    expect(parse(`cursor=${cursor}`)).toMatchObject({ fromMs: 0, toMs: 1000, resumeMs: 400, mode: 'raw' });
    expect(parse(`cursor=${cursor}&from=0&to=1000&mode=raw`)).toMatchObject({ resumeMs: 400 });
    rejects(`cursor=${cursor}&from=1`, 'INVALID_CURSOR');
    rejects(`cursor=${cursor}&mode=envelope`, 'INVALID_CURSOR');
    expect(() => parse(`cursor=${cursor}`, 'other')).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });
});

describe('cursors', () => {
  it('round-trip, and refuse other versions and inconsistent ranges', () => {
    const state = { deviceId: 'dev/1 ü', fromMs: 0, toMs: 1000, resumeMs: 1 };
    expect(decodeCursor(encodeCursor(state), state.deviceId)).toEqual(state);
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bad = [
      forge({ v: 2, d: 'dev', f: 0, t: 1000, r: 5 }),
      forge({ v: 1, d: 'dev', f: 0, t: 1000, r: 0 }),
      forge({ v: 1, d: 'dev', f: 0, t: 1000, r: 1000 }),
      forge({ v: 1, d: 'dev', f: 0.5, t: 1000, r: 5 }),
      forge([1]),
      forge(null),
      Buffer.from('not json').toString('base64url'),
      'a'.repeat(513),
    ];
    for (const text of bad) {
      expect(() => decodeCursor(text, 'dev')).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    }
  });
});

import { parseRecord, type RejectedPart } from '@secondrow/consumer';
import { legacy2015, makeSamples } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { parseLegacyTimestamp } from '../../src/formats/legacy-2015.js';

const meta = { sequenceNumber: '1', partitionKey: '6f430920-1789-43e1-a3b9-21aa8f79218e' };
const T0 = Date.UTC(2015, 9, 16, 4, 10, 46, 409);

function rejected(value: unknown): RejectedPart {
  const part = parseRecord(Buffer.from(JSON.stringify(value)), meta).parts[0];
  if (part === undefined || part.ok) throw new Error('expected a rejected part');
  return part;
}

describe('parseLegacyTimestamp()', () => {
  it.each([
    ['2015-10-15T21:10:46.409-07:00', T0],
    ['2015-10-15T21:10:46.409-0700', T0],
    ['2015-10-16T04:10:46.409Z', T0],
    ['2015-10-16T04:10:46.409+00:00', T0],
    ['2015-10-16T09:40:46.409+05:30', T0],
    ['2016-02-29T00:00:00.000Z', Date.UTC(2016, 1, 29)],
  ])('reads %s', (text, expected) => {
    expect(parseLegacyTimestamp(text)).toBe(expected);
  });

  it.each([
    '2015-10-15T21:10:46-07:00', // no milliseconds
    '2015-10-15T21:10:46.40-07:00', // two fraction digits
    '2015-10-15T21:10:46.4091-07:00', // microseconds
    '2015-10-15T21:10:46.409', // no offset
    '2015-10-15 21:10:46.409Z', // space separator
    '2015-02-29T00:00:00.000Z', // not a leap year
    '2015-04-31T00:00:00.000Z',
    '2015-13-01T00:00:00.000Z',
    '2015-10-15T24:00:00.000Z',
    '2015-10-15T23:60:00.000Z',
    '2015-10-15T23:59:60.000Z',
    '2015-10-15T21:10:46.409+15:00',
    '1969-12-31T23:59:59.999Z',
    ' 2015-10-15T21:10:46.409Z',
    '',
  ])('rejects %j', (text) => {
    expect(parseLegacyTimestamp(text)).toBeUndefined();
  });
});

describe('parseRecord() with the 2015 app JSON', () => {
  it('uses userId as the device and converts ts to epoch ms', () => {
    // Prepare
    const samples = makeSamples(T0, 4);
    // Act
    const part = parseRecord(Buffer.from(legacy2015('cognito-user-1', samples)), meta).parts[0];
    // Assess
    expect(part).toMatchObject({ ok: true, format: 'legacy-2015', deviceId: 'cognito-user-1', samples });
    expect(part?.ok && part.sentAt).toBe(samples[3]!.t + 200);
  });

  it('accepts a missing id and processDate', () => {
    const part = parseRecord(Buffer.from(JSON.stringify({ userId: 'u', data: [] })), meta).parts[0];
    expect(part).toMatchObject({ ok: true, batchId: undefined, sentAt: undefined, samples: [] });
  });

  it.each([
    ['missing userId', { data: [] }, 'NO_DEVICE_ID'],
    ['numeric userId', { userId: 1, data: [] }, 'NO_DEVICE_ID'],
    ['data not an array', { userId: 'u', data: 'x' }, 'INVALID_SHAPE'],
    ['missing data', { userId: 'u' }, 'INVALID_SHAPE'],
    ['bad processDate', { userId: 'u', processDate: 'yesterday', data: [] }, 'INVALID_SHAPE'],
    ['numeric id', { userId: 'u', id: 5, data: [] }, 'INVALID_SHAPE'],
  ])('rejects a record with %s', (_name, value, code) => {
    expect(rejected(value).error.code).toBe(code);
  });

  it.each([
    ['an entry that is not an object', [1], 0, 'sample', 'INVALID_SAMPLE'],
    ['a ts without offset', [{ ts: '2015-10-15T21:10:46.409', x: 0, y: 0, z: 0 }], 0, 'ts', 'INVALID_SAMPLE'],
    ['a numeric ts', [{ ts: T0, x: 0, y: 0, z: 0 }], 0, 'ts', 'INVALID_SAMPLE'],
    ['a missing axis', [{ ts: '2015-10-16T04:10:46.409Z', x: 0, y: 0 }], 0, 'z', 'INVALID_SAMPLE'],
    [
      'a value out of range',
      [{ ts: '2015-10-16T04:10:46.409Z', x: 0, y: -16.5, z: 0 }],
      0,
      'y',
      'OUT_OF_RANGE',
    ],
  ])('rejects %s, naming index and field', (_name, data, index, field, code) => {
    expect(rejected({ userId: 'u', data }).error).toMatchObject({ code, index, field });
  });

  it('rejects more samples than maxSamplesPerRecord', () => {
    const payload = Buffer.from(legacy2015('u', makeSamples(T0, 3)));
    const part = parseRecord(payload, meta, { maxSamplesPerRecord: 2 }).parts[0];
    expect(part?.ok === false && part.error.code).toBe('TOO_MANY_SAMPLES');
  });
});

import { type ParsedRecord, parseRecord, type RejectedPart } from '@secondrow/consumer';
import { jsonV1, makeSamples } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';

const meta = { sequenceNumber: '1', partitionKey: 'pk' };
const T0 = 1_700_000_000_000;

function parse(payload: string | Uint8Array, options = {}): ParsedRecord {
  return parseRecord(typeof payload === 'string' ? Buffer.from(payload) : payload, meta, options);
}

function rejected(payload: string | Uint8Array, options = {}): RejectedPart {
  const part = parse(payload, options).parts[0];
  if (part === undefined || part.ok) throw new Error('expected a rejected part');
  return part;
}

describe('parseRecord() with JSON v1', () => {
  it('reads device, batch metadata and samples in record order', () => {
    // Prepare
    const samples = makeSamples(T0, 5);
    // Act
    const parsed = parse(
      jsonV1('watch-1', samples, { batchId: 'b-7', sentAt: T0 + 500, instrumentation: { a: 1 } }),
    );
    // Assess
    expect(parsed.aggregated).toBe(false);
    expect(parsed.parts).toEqual([
      {
        ok: true,
        format: 'json-v1',
        subSequenceNumber: undefined,
        compressed: false,
        deviceId: 'watch-1',
        batchId: 'b-7',
        sentAt: T0 + 500,
        samples,
      },
    ]);
  });

  it('accepts a numeric batchId and missing optional fields', () => {
    const part = parse(JSON.stringify({ deviceId: 'w', batchId: 12, samples: [[T0, 0, 0, 1]] })).parts[0];
    expect(part).toMatchObject({ ok: true, batchId: '12', sentAt: undefined });
    const bare = parse(JSON.stringify({ deviceId: 'w', samples: [] })).parts[0];
    expect(bare).toMatchObject({ ok: true, batchId: undefined, samples: [] });
  });

  it('accepts leading whitespace', () => {
    expect(parse(`  \n${jsonV1('w', makeSamples(T0, 2))}`).parts[0]?.ok).toBe(true);
  });

  it.each([
    ['missing deviceId', { samples: [] }, 'NO_DEVICE_ID'],
    ['empty deviceId', { deviceId: ' ', samples: [] }, 'NO_DEVICE_ID'],
    ['numeric deviceId', { deviceId: 7, samples: [] }, 'NO_DEVICE_ID'],
    ['reserved deviceId', { deviceId: 'quarantine#x', samples: [] }, 'NO_DEVICE_ID'],
    ['overlong deviceId', { deviceId: 'd'.repeat(257), samples: [] }, 'NO_DEVICE_ID'],
    ['samples not an array', { deviceId: 'w', samples: {} }, 'INVALID_SHAPE'],
    ['missing samples', { deviceId: 'w' }, 'INVALID_SHAPE'],
    ['sentAt a string', { deviceId: 'w', sentAt: 'now', samples: [] }, 'INVALID_SHAPE'],
    ['batchId an object', { deviceId: 'w', batchId: {}, samples: [] }, 'INVALID_SHAPE'],
    ['instrumentation an array', { deviceId: 'w', instrumentation: [], samples: [] }, 'INVALID_SHAPE'],
  ])('rejects a record with %s', (_name, value, code) => {
    expect(rejected(JSON.stringify(value)).error.code).toBe(code);
  });

  it.each([
    ['a sample that is not an array', [[T0, 0, 0, 0], { t: T0 }], 1, 'sample', 'INVALID_SAMPLE'],
    ['a sample with three values', [[T0, 0, 0]], 0, 'sample', 'INVALID_SAMPLE'],
    [
      'a fractional time',
      [
        [T0, 0, 0, 0],
        [T0 + 0.5, 0, 0, 0],
      ],
      1,
      't',
      'INVALID_SAMPLE',
    ],
    ['a negative time', [[-1, 0, 0, 0]], 0, 't', 'INVALID_SAMPLE'],
    ['a string value', [[T0, 0, '1', 0]], 0, 'y', 'INVALID_SAMPLE'],
    ['a null value', [[T0, 0, 0, null]], 0, 'z', 'INVALID_SAMPLE'],
    [
      'a value out of range',
      [
        [T0, 0, 0, 0],
        [T0 + 20, 0, 0, 0],
        [T0 + 40, 17, 0, 0],
      ],
      2,
      'x',
      'OUT_OF_RANGE',
    ],
  ])('rejects %s, naming index and field', (_name, samples, index, field, code) => {
    const { error } = rejected(JSON.stringify({ deviceId: 'w', samples }));
    expect(error).toMatchObject({ name: 'RecordError', code, index, field });
  });

  it('rejects more samples than maxSamplesPerRecord', () => {
    const payload = jsonV1('w', makeSamples(T0, 11));
    expect(rejected(payload, { maxSamplesPerRecord: 10 }).error.code).toBe('TOO_MANY_SAMPLES');
    expect(parse(payload, { maxSamplesPerRecord: 11 }).parts[0]?.ok).toBe(true);
  });

  it('honours the configured range', () => {
    const payload = JSON.stringify({ deviceId: 'w', samples: [[T0, 3, 0, 0]] });
    expect(rejected(payload, { range: 2 }).error.code).toBe('OUT_OF_RANGE');
    expect(parse(payload).parts[0]?.ok).toBe(true);
  });

  it.each([
    ['truncated JSON', '{"deviceId": "w", "samples": [', 'UNDECODABLE'],
    ['a JSON array', '[1, 2]', 'UNKNOWN_FORMAT'],
    ['JSON of another shape', '{"hello": "world"}', 'UNKNOWN_FORMAT'],
    ['plain text', 'hello', 'UNKNOWN_FORMAT'],
    ['an empty payload', '', 'UNKNOWN_FORMAT'],
  ])('rejects %s', (_name, payload, code) => {
    expect(rejected(payload).error.code).toBe(code);
  });

  it('rejects invalid UTF-8 and keeps the raw bytes', () => {
    const bytes = Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const part = rejected(bytes);
    expect(part.error.code).toBe('UNDECODABLE');
    expect(part.raw).toEqual(bytes);
  });

  it('rejects a payload larger than maxRecordBytes', () => {
    expect(rejected(jsonV1('w', makeSamples(T0, 50)), { maxRecordBytes: 100 }).error.code).toBe('TOO_LARGE');
  });
});

import { decodeBatch } from '@secondrow/codec';
import {
  encodeProducerRecord,
  isCognitoStyleId,
  isoWithOffset,
  Prng,
  type WatchBatch,
} from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/memory-sink.js';

const id = 'us-east-1:0b1c2d3e-4f50-4617-8899-aabbccddeeff';
const batch: WatchBatch = {
  deviceId: id,
  seq: 7,
  samples: [
    { t: 1_444_968_646_409, x: 0.184, y: -0.085, z: 0.979 },
    { t: 1_444_968_646_429, x: 0.188, y: -0.103, z: 1.008 },
  ],
  handedAtMs: 1_444_968_646_429,
};
const ctx = () => ({ batchId: '7', sentAt: 1_444_968_650_000, utcOffsetMinutes: -420, prng: new Prng('k') });

describe('encodeProducerRecord()', () => {
  it('writes JSON v1 keyed by device id', () => {
    const entry = encodeProducerRecord('json-v1', batch, ctx());
    expect(entry.partitionKey).toBe(id);
    expect(jsonOf(entry)).toMatchObject({
      deviceId: id,
      batchId: '7',
      sentAt: 1_444_968_650_000,
      samples: [
        [1_444_968_646_409, 0.184, -0.085, 0.979],
        [1_444_968_646_429, 0.188, -0.103, 1.008],
      ],
      instrumentation: { watchBatchSeq: 7, samples: 2 },
    });
  });

  it('writes the codec Avro batch keyed by device id', () => {
    const entry = encodeProducerRecord('avro', batch, ctx());
    expect(entry.partitionKey).toBe(id);
    const decoded = decodeBatch(entry.data);
    expect(decoded).toMatchObject({ deviceId: id, batchId: '7', sentAt: 1_444_968_650_000 });
    expect(decoded.samples.map((x) => x.t)).toEqual(batch.samples.map((x) => x.t));
    expect(decoded.samples[0]?.x).toBeCloseTo(0.184, 6);
  });

  it("writes the 2015 app's JSON with local ISO times and a random partition key", () => {
    const entry = encodeProducerRecord('json-2015', batch, ctx());
    expect(isCognitoStyleId(`us-east-1:${entry.partitionKey}`)).toBe(true);
    expect(jsonOf(entry)).toEqual({
      userId: id,
      id: '7',
      processDate: '2015-10-15T21:10:50.000-07:00',
      data: [
        { ts: '2015-10-15T21:10:46.409-07:00', x: 0.184, y: -0.085, z: 0.979, id: 7000 },
        { ts: '2015-10-15T21:10:46.429-07:00', x: 0.188, y: -0.103, z: 1.008, id: 7001 },
      ],
    });
    expect(encodeProducerRecord('json-2015', batch, ctx()).partitionKey).toBe(entry.partitionKey);
  });
});

describe('isoWithOffset()', () => {
  it('writes local time with milliseconds and the offset', () => {
    expect(isoWithOffset(Date.UTC(2015, 9, 16, 4, 10, 46, 409), -420)).toBe('2015-10-15T21:10:46.409-07:00');
    expect(isoWithOffset(Date.UTC(2015, 9, 16, 4, 10, 46, 409), 330)).toBe('2015-10-16T09:40:46.409+05:30');
    expect(isoWithOffset(0, 0)).toBe('1970-01-01T00:00:00.000+00:00');
  });
});

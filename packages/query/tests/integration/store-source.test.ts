import { SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryHandler, type EnvelopeBody, type RawBody } from '../../src/index.js';
import { urlEvent } from '../helpers/events.js';
import { StoreSource } from '../helpers/store-source.js';

let aws: LocalAws;
let store: SampleStore;

const T0 = Date.UTC(2026, 11, 4, 10);
/** 20 s at 50 Hz with seconds 5-7 missing; values on the 1 mg grid. */
const samples = Array.from({ length: 1000 }, (_, i) => ({
  t: T0 + i * 20,
  x: Math.round(Math.sin(i / 25) * 1000) / 1000,
  y: Math.round(Math.cos(i / 25) * 1000) / 1000,
  z: 0.981,
})).filter((s) => s.t < T0 + 5000 || s.t >= T0 + 8000);

beforeAll(async () => {
  aws = await startLocalAws({ kinesis: false });
  const tableName = await createRowTable(aws.dynamodb);
  store = new SampleStore({ client: aws.dynamodb, tableName });
  const report = await store.write('watch-1', samples);
  expect(report.failed).toEqual([]);
});

afterAll(async () => {
  await aws?.close();
});

describe('the API over SampleStore rows in dynalite', () => {
  it('returns exactly the stored samples raw, with the hole as a gap and read units counted', async () => {
    const handler = createQueryHandler({
      source: new StoreSource(store, ['watch-1']),
      now: () => T0 + 86_400_000,
    });
    const result = await handler(
      urlEvent('GET', '/api/devices/watch-1/samples', `from=${T0}&to=${T0 + 20_000}&mode=raw`),
    );
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as RawBody;
    expect(body.t).toEqual(samples.map((s) => s.t));
    expect(body.x).toEqual(samples.map((s) => s.x));
    expect(body.z).toEqual(samples.map((s) => s.z));
    expect(body.gaps).toEqual([[T0 + 5000, T0 + 8000]]);
    expect(body.quality).toMatchObject({ rows: 17, secondsWithData: 17, missingSeconds: 3, samples: 850 });
    expect(body.consumedReadUnits).toBeGreaterThan(0);
  });

  it('draws an envelope containing every stored sample, and lists the device', async () => {
    const handler = createQueryHandler({
      source: new StoreSource(store, ['watch-1']),
      now: () => T0 + 86_400_000,
    });
    const result = await handler(
      urlEvent('GET', '/api/devices/watch-1/samples', `from=${T0}&to=${T0 + 20_000}&maxPoints=20`),
    );
    const body = JSON.parse(result.body) as EnvelopeBody;
    expect(body.mode).toBe('envelope');
    expect(body.count).toEqual([50, 50, 50, 50, 50, 0, 0, 0, ...Array(12).fill(50)]);
    samples.forEach((s) => {
      const b = Math.floor((s.t - T0) / 1000);
      expect(s.x).toBeGreaterThanOrEqual(body.xMin[b]!);
      expect(s.x).toBeLessThanOrEqual(body.xMax[b]!);
    });
    expect(body.zMin.slice(0, 5)).toEqual([0.981, 0.981, 0.981, 0.981, 0.981]);
    const devices = await handler(urlEvent('GET', '/api/devices'));
    expect(JSON.parse(devices.body)).toEqual({
      version: 1,
      devices: [{ deviceId: 'watch-1', firstMs: T0, lastMs: T0 + 999 * 20 }],
    });
  });
});

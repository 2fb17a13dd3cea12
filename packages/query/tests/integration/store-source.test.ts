import type { Sample } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueryHandler,
  createStoreSource,
  type DevicesBody,
  type EnvelopeBody,
  type QualityBody,
  type QueryHandler,
  type RawBody,
  SourceError,
} from '../../src/index.js';
import { urlEvent } from '../helpers/events.js';

let aws: LocalAws;
let store: SampleStore;
let handler: QueryHandler;
let tableName: string;

const T0 = Date.UTC(2026, 11, 4, 10);
const wave = (i: number, phase: number) => Math.round(Math.sin(i / 25 + phase) * 1000) / 1000;
/** 20 s at 50 Hz with seconds 5-7 missing; values on the 1 mg grid. */
const samples: Sample[] = Array.from({ length: 1000 }, (_, i) => ({
  t: T0 + i * 20,
  x: wave(i, 0),
  y: wave(i, 1),
  z: 0.981,
})).filter((s) => s.t < T0 + 5000 || s.t >= T0 + 8000);
/** Other devices, each with its own span. */
const others = Array.from({ length: 5 }, (_, d) => ({
  deviceId: `watch-${d + 2}`,
  samples: Array.from({ length: 50 * (d + 1) }, (_, i) => ({
    t: T0 + d * 7_000 + i * 20 + d,
    x: 0,
    y: wave(i, d),
    z: 1,
  })),
}));
let arrivalMs: number;

beforeAll(async () => {
  aws = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(aws.dynamodb);
  store = new SampleStore({ client: aws.dynamodb, tableName });
  arrivalMs = Date.now() - 250;
  const report = await store.writeMany([{ deviceId: 'watch-1', samples, arrivalMs }, ...others]);
  expect(report.failed).toEqual([]);
  // As the consumer does after its writes; intervalMs 0 keeps lastMs exact.
  const registry = new DeviceRegistry({ client: aws.dynamodb, tableName, intervalMs: 0 });
  const noted = await registry.noteMany(
    [{ deviceId: 'watch-1', samples }, ...others].map(({ deviceId, samples: s }) => ({
      deviceId,
      firstMs: s[0]!.t,
      lastMs: s.at(-1)!.t,
    })),
  );
  expect(noted.failed).toEqual([]);
  // Pages of 4 rows (and of 2 registry items) so every read crosses page boundaries.
  handler = createQueryHandler({
    source: createStoreSource({ client: aws.dynamodb, tableName, pageSize: 4, registryPageSize: 2 }),
    now: () => T0 + 86_400_000,
  });
}, 60_000);

afterAll(async () => {
  await aws?.close();
});

async function readAll(deviceId: string, fromMs: number, toMs: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of store.read(deviceId, fromMs, toMs, { consistentRead: true })) out.push(s);
  return out;
}

describe('createStoreSource over SampleStore rows and the registry in dynalite', () => {
  it('lists every device written with its exact first and last time', async () => {
    const result = await handler(urlEvent('GET', '/api/devices'));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as DevicesBody;
    const expected = [{ deviceId: 'watch-1', samples }, ...others]
      .map(({ deviceId, samples: s }) => ({ deviceId, firstMs: s[0]!.t, lastMs: s.at(-1)!.t }))
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    expect(body).toEqual({ version: 2, devices: expected });
  });

  it('returns raw exactly what SampleStore.read returns, for ranges cutting rows anywhere', async () => {
    for (const [from, to] of [
      [T0, T0 + 20_000],
      [T0 + 10, T0 + 4_990],
      [T0 + 4_321, T0 + 9_001],
      [T0 + 19_990, T0 + 25_000],
    ] as const) {
      const result = await handler(
        urlEvent('GET', '/api/devices/watch-1/samples', `from=${from}&to=${to}&mode=raw`),
      );
      expect(result.statusCode).toBe(200);
      const body = JSON.parse(result.body) as RawBody;
      const stored = await readAll('watch-1', from, to);
      expect(body.t).toEqual(stored.map((s) => s.t));
      expect(body.x).toEqual(stored.map((s) => s.x));
      expect(body.y).toEqual(stored.map((s) => s.y));
      expect(body.z).toEqual(stored.map((s) => s.z));
      expect(body.consumedReadUnits).toBeGreaterThan(0);
    }
  });

  it('reports gaps, counts and the rows’ lateness with the raw samples', async () => {
    const result = await handler(
      urlEvent(
        'GET',
        '/api/devices/watch-1/samples',
        `from=${T0}&to=${T0 + 20_000}&mode=raw&consistent=true`,
      ),
    );
    const body = JSON.parse(result.body) as RawBody;
    expect(body.gaps).toEqual([[T0 + 5000, T0 + 8000]]);
    expect(body.quality).toMatchObject({
      rows: 17,
      secondsWithData: 17,
      missingSeconds: 3,
      samples: 850,
      duplicates: null,
      conflicts: null,
    });
    const { latenessMs, arrivalToWriteMs } = body.quality;
    expect(latenessMs?.rows).toBe(17);
    // Written now, hours after the samples' times.
    expect(latenessMs!.p50).toBeGreaterThan(Date.now() - T0 - 3_600_000);
    expect(latenessMs!.p50).toBeLessThanOrEqual(latenessMs!.p95);
    expect(latenessMs!.p95).toBeLessThanOrEqual(latenessMs!.max);
    expect(arrivalToWriteMs?.rows).toBe(17);
    expect(arrivalToWriteMs!.p50).toBeGreaterThanOrEqual(0);
  });

  it('draws an envelope containing every stored sample', async () => {
    const result = await handler(
      urlEvent('GET', '/api/devices/watch-1/samples', `from=${T0}&to=${T0 + 20_000}&maxPoints=20`),
    );
    const body = JSON.parse(result.body) as EnvelopeBody;
    expect(body.mode).toBe('envelope');
    expect(body.count).toEqual([50, 50, 50, 50, 50, 0, 0, 0, ...Array(12).fill(50)]);
    for (const s of samples) {
      const b = Math.floor((s.t - body.from) / body.bucketMs);
      expect(s.x).toBeGreaterThanOrEqual(body.xMin[b]!);
      expect(s.x).toBeLessThanOrEqual(body.xMax[b]!);
      expect(s.y).toBeGreaterThanOrEqual(body.yMin[b]!);
      expect(s.y).toBeLessThanOrEqual(body.yMax[b]!);
    }
    expect(body.zMin.slice(0, 5)).toEqual([0.981, 0.981, 0.981, 0.981, 0.981]);
  });

  it('answers the same with and without reading ahead, and rejects a bad prefetch at creation', async () => {
    const without = createQueryHandler({
      source: createStoreSource({ client: aws.dynamodb, tableName, pageSize: 4, prefetch: false }),
      now: () => T0 + 86_400_000,
    });
    for (const query of [
      `from=${T0}&to=${T0 + 20_000}&maxPoints=20`,
      `from=${T0 + 10}&to=${T0 + 9_001}&mode=raw`,
    ]) {
      const event = urlEvent('GET', '/api/devices/watch-1/samples', query);
      const [ahead, plain] = [await handler(event), await without(event)];
      expect(ahead.statusCode).toBe(200);
      expect(ahead.body).toBe(plain.body);
    }
    expect(() => createStoreSource({ client: aws.dynamodb, tableName, prefetch: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'prefetch' }),
    );
  });

  it('serves per-step quality from the rows', async () => {
    const result = await handler(
      urlEvent('GET', '/api/devices/watch-1/quality', `from=${T0}&to=${T0 + 20_000}&step=10`),
    );
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as QualityBody;
    expect(body.steps.map((s) => [s.coverage, s.rows, s.samples, s.gaps])).toEqual([
      [0.7, 7, 350, { count: 1, totalMs: 3000, longestMs: 3000 }],
      [1, 10, 500, { count: 0, totalMs: 0, longestMs: 0 }],
    ]);
    expect(body.steps[0]!.latenessMs?.rows).toBe(7);
    expect(body.total.arrivalToWriteMs?.rows).toBe(17);
  });

  it('answers 404 for a device the registry does not know, and 503 when DynamoDB is unreachable', async () => {
    const unknown = await handler(
      urlEvent('GET', '/api/devices/nobody/samples', `from=${T0}&to=${T0 + 1000}`),
    );
    expect(unknown.statusCode).toBe(404);
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const dead = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const source = createStoreSource({ client: dead, tableName });
    const errors: unknown[] = [];
    const down = createQueryHandler({ source, onError: (e) => errors.push(e) });
    expect((await down(urlEvent('GET', '/api/devices'))).statusCode).toBe(503);
    expect(errors[0]).toBeInstanceOf(SourceError);
    dead.destroy();
  });
});

// The built package (dist/ through its exports map, ESM and CJS), as users install it: the `published`
// project has no alias to src, so a build bug shows here.
import { createRequire } from 'node:module';
import type { Sample } from '@secondrow/codec';
import * as dynamodb from '@secondrow/codec/dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import * as query from '@secondrow/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runNodeScript } from './helpers/node-process.js';

const require = createRequire(import.meta.url);
type Query = typeof query;
type DynamoDb = typeof dynamodb;

const T0 = 1_733_300_000_000;
const samples: Sample[] = Array.from({ length: 500 }, (_, i) => ({ t: T0 + i * 20, x: 0.5, y: -0.25, z: 1 }));

describe.each([
  ['ESM import', query, dynamodb],
  [
    'CommonJS require',
    require('@secondrow/query') as Query,
    require('@secondrow/codec/dynamodb') as DynamoDb,
  ],
])('@secondrow/query through %s, over SampleStore rows in dynalite', (_loader, api, store) => {
  let local: LocalAws;
  let tableName: string;
  beforeAll(async () => {
    local = await startLocalAws({ kinesis: false });
    tableName = await createRowTable(local.dynamodb);
    await new store.SampleStore({ client: local.dynamodb, tableName }).write('watch-1', samples);
    await new store.DeviceRegistry({ client: local.dynamodb, tableName, intervalMs: 0 }).note(
      'watch-1',
      T0,
      samples.at(-1)!.t,
    );
  });
  afterAll(() => local.close());

  it('lists the device and serves its samples raw with createStoreSource', async () => {
    const handler = api.createQueryHandler({
      source: api.createStoreSource({ client: local.dynamodb, tableName }),
      now: () => T0 + 86_400_000,
    });
    const event = (rawPath: string, rawQueryString = '') =>
      ({
        version: '2.0',
        rawPath,
        rawQueryString,
        headers: {},
        requestContext: { requestId: 'published', http: { method: 'GET' } },
        isBase64Encoded: false,
      }) as never;
    const devices = JSON.parse((await handler(event('/api/devices'))).body);
    expect(devices.devices).toEqual([{ deviceId: 'watch-1', firstMs: T0, lastMs: T0 + 499 * 20 }]);
    const raw = JSON.parse(
      (await handler(event('/api/devices/watch-1/samples', `from=${T0}&to=${T0 + 10_000}&mode=raw`))).body,
    );
    expect(raw.t).toEqual(samples.map((s) => s.t));
    expect(raw.quality.latenessMs.rows).toBe(10);
  });
});

describe.each([
  ['ESM', 'query.mjs'],
  ['CommonJS', 'query.cjs'],
])('@secondrow/query in a Node process (%s)', (_loader, script) => {
  it('serves one request', async () => {
    const out = (await runNodeScript(fixture(script))) as {
      statusCode: number;
      version: number;
      body: { mode: string; count: number[]; gaps: number[][] };
    };
    expect(out.statusCode).toBe(200);
    expect(out.body.mode).toBe('envelope');
    expect(out.body.count).toEqual([50, 50, 50, 50, 0, 0, 50, 50, 50, 50]);
    expect(out.body.gaps).toEqual([[T0 + 4000, T0 + 6000]]);
    expect(out.version).toBe(2);
  });
});

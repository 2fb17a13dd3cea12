// The built package (dist/ through its exports map, ESM and CJS), as users install it: the `published`
// project has no alias to src, so a build bug shows here.
import { createRequire } from 'node:module';
import type { Sample } from '@secondrow/codec';
import * as dynamodb from '@secondrow/codec/dynamodb';
import * as consumer from '@secondrow/consumer';
import {
  avroBatch,
  gzip,
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  kplAggregate,
  legacy2015,
  makeSamples,
  sampleKeys,
} from '@secondrow/devkit';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runNodeScript } from './helpers/node-process.js';

const require = createRequire(import.meta.url);
type Consumer = typeof consumer;
type DynamoDb = typeof dynamodb;

const T0 = 1_700_000_000_000;
const samples = makeSamples(T0, 100);

interface ExpectedPart {
  format: consumer.RecordFormat;
  deviceId: string;
  compressed: boolean;
}

/** One record of each format the consumer reads, and the parts it must parse into. */
async function records(): Promise<Record<string, { bytes: Uint8Array; parts: ExpectedPart[] }>> {
  const bytes = (text: string): Uint8Array => Buffer.from(text);
  return {
    'JSON v1': {
      bytes: bytes(jsonV1('watch-1', samples)),
      parts: [{ format: 'json-v1', deviceId: 'watch-1', compressed: false }],
    },
    '2015 app JSON': {
      bytes: bytes(legacy2015('user-2015', samples)),
      parts: [{ format: 'legacy-2015', deviceId: 'user-2015', compressed: false }],
    },
    'Avro batch': {
      bytes: avroBatch('watch-avro', samples),
      parts: [{ format: 'avro-batch', deviceId: 'watch-avro', compressed: false }],
    },
    'gzip JSON v1': {
      bytes: gzip(jsonV1('watch-gz', samples)),
      parts: [{ format: 'json-v1', deviceId: 'watch-gz', compressed: true }],
    },
    'KPL aggregate': {
      bytes: await kplAggregate([jsonV1('watch-kpl', samples), avroBatch('watch-kpl-avro', samples)]),
      parts: [
        { format: 'json-v1', deviceId: 'watch-kpl', compressed: false },
        { format: 'avro-batch', deviceId: 'watch-kpl-avro', compressed: false },
      ],
    },
  };
}

const cases = await records();

describe.each([
  ['ESM import', consumer, dynamodb],
  [
    'CommonJS require',
    require('@secondrow/consumer') as Consumer,
    require('@secondrow/codec/dynamodb') as DynamoDb,
  ],
])('@secondrow/consumer through %s', (_loader, api, store) => {
  it.each(Object.keys(cases))('parses %s', (name) => {
    const { bytes, parts } = cases[name] as { bytes: Uint8Array; parts: ExpectedPart[] };
    const parsed = api.parseRecord(bytes, { sequenceNumber: '1' });
    expect(parsed.parts.map((part) => (part.ok ? part : part.error))).toMatchObject(parts);
    for (const part of parsed.parts) expect(part.ok && sampleKeys(part.samples)).toEqual(sampleKeys(samples));
  });

  describe('createHandler with a SampleStore on dynalite', () => {
    let local: LocalAws;
    let tableName: string;
    beforeAll(async () => {
      local = await startLocalAws({ kinesis: false });
      tableName = await createRowTable(local.dynamodb);
    });
    afterAll(() => local.close());

    it('writes the records of a Kinesis event and the rows read back', async () => {
      const sampleStore = new store.SampleStore({ client: local.dynamodb, tableName });
      const silent = { info: () => {}, warn: () => {}, error: () => {} };
      const handler = api.createHandler({ store: sampleStore, logger: silent, metrics: false });
      const other = makeSamples(T0 + 5_000, 30);
      const event = kinesisEvent(
        [jsonV1('watch-1', samples), gzip(jsonV1('watch-2', other))].map((data) => kinesisRecord(data)),
      );

      const response = await handler(event as never);

      expect(response).toEqual({ batchItemFailures: [] });
      const read = async (deviceId: string): Promise<Sample[]> => {
        const out: Sample[] = [];
        for await (const sample of sampleStore.read(deviceId, T0, T0 + 60_000)) out.push(sample);
        return out;
      };
      expect(sampleKeys(await read('watch-1'))).toEqual(sampleKeys(samples));
      expect(sampleKeys(await read('watch-2'))).toEqual(sampleKeys(other));
    });
  });
});

describe.each([
  ['ESM', 'consumer.mjs'],
  ['CommonJS', 'consumer.cjs'],
])('@secondrow/consumer in a Node process (%s)', (_loader, script) => {
  it('parses every format', async () => {
    const env = {
      RECORDS: JSON.stringify(
        Object.fromEntries(
          Object.entries(cases).map(([name, c]) => [name, Buffer.from(c.bytes).toString('base64')]),
        ),
      ),
    };
    const out = (await runNodeScript(fixture(script), { env })) as Record<
      string,
      { parts: (ExpectedPart & { samples: Sample[] })[] }
    >;
    for (const [name, { parts }] of Object.entries(cases)) {
      expect(out[name], name).toMatchObject({ parts });
      for (const part of out[name]?.parts ?? [])
        expect(sampleKeys(part.samples), name).toEqual(sampleKeys(samples));
    }
  });
});

import { IOT_CORE_PRICES } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  invocationsPerShardSecond,
  LINE_ITEM_KEYS,
  type MeasuredInputs,
  pipelineCost,
  shardsFor,
} from '../../src/pipeline-cost.js';
import { costConfigurations, DEFAULT_PIPELINE_ASSUMPTIONS } from '../../src/pipeline-run.js';
import { DEFAULT_PIPELINE_PRICES } from '../../src/price-file.js';

/** Measured inputs as a run reports them (round numbers, so the hand arithmetic below stays readable). */
const JSON_V1_ROWS: MeasuredInputs = {
  format: 'json-v1',
  layout: 'per-second-avro',
  windowSeconds: 1,
  recordsPerDeviceSecond: 0.25,
  meanRecordBytes: 8500,
  putPayloadUnitsPerRecord: 1,
  onDemandBilledBytesPerRecord: 9216,
  handlerCpuMsPerRecord: 0.2,
  itemWritesPerDeviceSecond: 1.05,
  wruPerDeviceSecond: 1.1,
  writePathRruPerDeviceSecond: 0.15,
  rruPerDeviceHour: 104,
  storageBytesPerDeviceDay: 27_000_000,
  writeConcurrency: 16,
};

const USAGE = { ...DEFAULT_PIPELINE_ASSUMPTIONS, fleet: 1000 };

describe('pipelineCost() reproduced by hand', () => {
  it('prices json-v1 with 1 s rows on a provisioned stream, straight to Kinesis, line by line', () => {
    // Prepare: the price sheet's numbers written out (us-east-1, checked 2026-12-04 / 2026-11-26).
    const seconds = 730 * 3600; // a device streaming 24 h a day for a 730-hour month
    const records = 0.25 * seconds; // 657,000 records per device-month
    // 1,000 devices: 250 records/s (0.25 shard) and 2.125 MB/s = 2,125,000 / 1,048,576 = 2.03 shards -> 3.
    const shards = 3;
    const shardHours = (shards * 730 * 0.015) / 1000;
    const putUnits = (records * 1 * 0.014) / 1e6;
    const retention = (shards * 730 * 0.02) / 1000; // 168 h kept: extended retention on every shard
    // Lambda: 250 records/s over 3 shards = 83.3 records/s per shard; the 1 s window fires first (< 500).
    const perShard = 250 / 3;
    const invocations = (1 * 3 * seconds) / 1000; // 1 invocation per shard-second, shared by the fleet
    const writesPerInvocation = perShard * (1.05 / 0.25); // 350 row writes
    const billedMs = Math.ceil(perShard * 0.2 + Math.ceil(writesPerInvocation / 16) * 10); // 17 + 22 x 10
    const lambdaRequests = (invocations * 0.2) / 1e6;
    const lambdaDuration = invocations * (billedMs / 1000) * (256 / 1024) * 0.0000133334;
    const writes = (1.1 * seconds * 0.625) / 1e6;
    const reads = ((104 * 1 * 730 + 0.15 * seconds) * 0.125) / 1e6;
    const storage = ((27_000_000 * 365) / 1024 ** 3) * 0.25;
    const sqs = (invocations * 1e-4 * 3 * 0.4) / 1e6;
    const total =
      shardHours + putUnits + retention + lambdaRequests + lambdaDuration + writes + reads + storage + sqs;
    // Act
    const cost = pipelineCost(
      { format: 'json-v1', layout: 'per-second-avro', stream: 'provisioned', ingest: 'kinesis' },
      JSON_V1_ROWS,
      USAGE,
      DEFAULT_PIPELINE_PRICES,
    );
    // Assess
    expect(billedMs).toBe(237);
    expect(cost.quantities.shards).toBe(shards);
    expect(cost.quantities.bindingLimit).toBe('MB/s');
    expect(cost.quantities.billedMsPerInvocation).toBe(billedMs);
    const u = cost.usdPerDeviceMonth;
    expect(u.kinesisShardHours).toBeCloseTo(shardHours, 12);
    expect(u.kinesisPutUnits).toBeCloseTo(putUnits, 12);
    expect(u.kinesisRetention).toBeCloseTo(retention, 12);
    expect(u.kinesisStreamHours + u.kinesisDataIn + u.kinesisDataOut + u.iotCore).toBe(0);
    expect(u.lambdaRequests).toBeCloseTo(lambdaRequests, 12);
    expect(u.lambdaDuration).toBeCloseTo(lambdaDuration, 12);
    expect(u.dynamodbWrites).toBeCloseTo(writes, 12);
    expect(u.dynamodbReads).toBeCloseTo(reads, 12);
    expect(u.dynamodbStorage).toBeCloseTo(storage, 12);
    expect(u.sqsOnFailure).toBeCloseTo(sqs, 15);
    expect(cost.totalUsdPerDeviceMonth).toBeCloseTo(total, 10);
    expect(cost.totalUsdPerFleetMonth).toBeCloseTo(total * 1000, 7);
  });

  it('prices the same records on an on-demand stream through IoT Basic Ingest', () => {
    // Prepare
    const seconds = 730 * 3600;
    const records = 0.25 * seconds;
    const gb = (records * 9216) / 1024 ** 3;
    const streamHours = (730 * 0.04) / 1000;
    const dataIn = gb * 0.08;
    const dataOut = gb * 0.04;
    const retention = (gb / 730) * (168 - 24) * 0.1;
    // 8,500 B payload + the topic: two 5 KB units per message, for the rule and its Kinesis action.
    const topic = DEFAULT_PIPELINE_ASSUMPTIONS.iotTopicBytes;
    expect(Math.ceil((8500 + topic) / 5120)).toBe(2);
    const iot = (730 * 60 * 0.08) / 1e6 + (records * 2 * 0.15) / 1e6 + (records * 2 * 0.15) / 1e6;
    // Act
    const cost = pipelineCost(
      { format: 'json-v1', layout: 'per-second-avro', stream: 'on-demand', ingest: 'iot-basic-ingest' },
      JSON_V1_ROWS,
      USAGE,
      { ...DEFAULT_PIPELINE_PRICES, iot: IOT_CORE_PRICES },
    );
    // Assess
    const u = cost.usdPerDeviceMonth;
    expect(u.kinesisShardHours + u.kinesisPutUnits).toBe(0);
    expect(u.kinesisStreamHours).toBeCloseTo(streamHours, 12);
    expect(u.kinesisDataIn).toBeCloseTo(dataIn, 12);
    expect(u.kinesisDataOut).toBeCloseTo(dataOut, 12);
    expect(u.kinesisRetention).toBeCloseTo(retention, 12);
    expect(u.iotCore).toBeCloseTo(iot, 12);
    // On-demand: Lambda polls at least the stream's 4 initial shards, 62.5 records/s each.
    expect(cost.quantities.shardsPolled).toBe(4);
    expect(cost.quantities.invocationsPerDeviceMonth).toBeCloseTo((4 * seconds) / 1000, 6);
  });
});

describe('pipelineCost() laws', () => {
  const inputs = fc.record({
    recordsPerDeviceSecond: fc.double({ min: 0.001, max: 50, noNaN: true }),
    meanRecordBytes: fc.double({ min: 10, max: 1_000_000, noNaN: true }),
    fleet: fc.integer({ min: 1, max: 1_000_000 }),
  });

  it('has a total that is the sum of its line items, none negative', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom('provisioned', 'on-demand'),
        fc.constantFrom('kinesis', 'iot-basic-ingest'),
        (i, stream, ingest) => {
          const cost = pipelineCost(
            { format: 'json-v1', layout: 'per-second-avro', stream, ingest },
            { ...JSON_V1_ROWS, ...i },
            { ...USAGE, fleet: i.fleet },
            DEFAULT_PIPELINE_PRICES,
          );
          const sum = LINE_ITEM_KEYS.reduce((n, k) => n + cost.usdPerDeviceMonth[k], 0);
          expect(LINE_ITEM_KEYS.every((k) => cost.usdPerDeviceMonth[k] >= 0)).toBe(true);
          expect(cost.totalUsdPerDeviceMonth).toBeCloseTo(sum, 9);
        },
      ),
    );
  });

  it('sizes the fewest shards that carry both the records and the bytes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (records, bytes) => {
          const { shards } = shardsFor(records, bytes, DEFAULT_PIPELINE_PRICES.kinesis);
          const fits = (n: number) =>
            records <= n * 1000 * (1 + 1e-9) && bytes <= n * 1024 * 1024 * (1 + 1e-9);
          expect(fits(shards)).toBe(true);
          if (shards > 1) expect(fits(shards - 1)).toBe(false);
        },
      ),
    );
  });

  it('invokes Lambda no more often than records arrive and no less than full batches need', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e5, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 300 }),
        (rate, batchSize, window) => {
          const n = invocationsPerShardSecond(rate, batchSize, window);
          expect(n).toBeLessThanOrEqual(rate * (1 + 1e-12));
          expect(n).toBeGreaterThanOrEqual(Math.min(rate, rate / batchSize) * (1 - 1e-12));
        },
      ),
    );
  });
});

describe('costConfigurations()', () => {
  it('names the cheapest configuration and its saving over the default deployment', () => {
    // Prepare: the 2015 items cost far more per device-second than the rows.
    const perSample: MeasuredInputs = {
      ...JSON_V1_ROWS,
      format: 'json-2015',
      layout: 'per-sample',
      windowSeconds: undefined,
      meanRecordBytes: 23_000,
      itemWritesPerDeviceSecond: 50,
      wruPerDeviceSecond: 50,
      writePathRruPerDeviceSecond: 0,
      writeConcurrency: 8,
    };
    const avroLong: MeasuredInputs = {
      ...JSON_V1_ROWS,
      format: 'avro',
      layout: 'window-avro-60',
      windowSeconds: 60,
      meanRecordBytes: 2500,
      wruPerDeviceSecond: 0.2,
      storageBytesPerDeviceDay: 10_000_000,
    };
    // Act
    const result = costConfigurations([perSample, JSON_V1_ROWS, avroLong], USAGE, DEFAULT_PIPELINE_PRICES);
    // Assess
    expect(result.configurations).toHaveLength(12);
    expect(result.cheapest.config).toEqual({
      format: 'avro',
      layout: 'window-avro-60',
      stream: 'provisioned',
      ingest: 'kinesis',
    });
    const min = Math.min(...result.configurations.map((c) => c.totalUsdPerDeviceMonth));
    expect(result.cheapest.totalUsdPerDeviceMonth).toBe(min);
    expect(result.cheapestSaving.vsDefault.usdPerDeviceMonth).toBeCloseTo(
      result.defaultDeployment.totalUsdPerDeviceMonth - min,
      12,
    );
    expect(result.pipeline2015.totalUsdPerDeviceMonth).toBeGreaterThan(
      result.defaultDeployment.totalUsdPerDeviceMonth,
    );
    for (const c of result.nearCheapest) expect(c.totalUsdPerDeviceMonth).toBeLessThanOrEqual(min * 1.01);
    expect(result.sweep.fleets).toContain(1000);
    expect(result.sweep.provisioned).toHaveLength(result.sweep.fleets.length);
  });
});

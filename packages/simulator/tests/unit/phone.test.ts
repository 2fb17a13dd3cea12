import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { decodeBatch } from '@secondrow/codec';
import {
  chunkEntries,
  type Delivery,
  KinesisRecordSink,
  noInjectedFaults,
  Phone,
  type PhoneOptions,
  Prng,
  type RecordEntry,
  VirtualClock,
  type WatchBatch,
} from '@secondrow/simulator';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, MemorySink } from '../helpers/memory-sink.js';

const START = 1_700_000_000_000;
const clock = (): VirtualClock => new VirtualClock({ startMs: START, speed: Number.POSITIVE_INFINITY });

function batch(seq: number, n = 200): WatchBatch {
  const samples = Array.from({ length: n }, (_, i) => ({
    t: START + (seq * n + i) * 20,
    x: 0.001,
    y: -0.5,
    z: 0.98,
  }));
  return { deviceId: 'dev', seq, samples, handedAtMs: samples[n - 1]?.t ?? START };
}

function phone(sink: PhoneOptions['sink'], extra: Partial<PhoneOptions> = {}): Phone {
  return new Phone({
    deviceId: 'dev',
    format: 'json-v1',
    sink,
    clock: clock(),
    prng: new Prng('p'),
    ...extra,
  });
}

describe('Phone', () => {
  it('with maxRecordBytes, splits an Avro batch into records within the budget that decode to it', async () => {
    const sink = new MemorySink();
    const p = phone(sink, { format: 'avro', maxRecordBytes: 1_000 });
    p.receive(batch(0));
    await p.flush(START + 30_000);
    const entries = sink.calls[0]?.entries ?? [];
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(e.data.byteLength).toBeLessThanOrEqual(1_000);
    const decoded = entries.map((e) => decodeBatch(e.data));
    expect(decoded.map((d) => d.batchId)).toEqual(entries.map((_, i) => `0.${i + 1}`));
    expect(decoded.flatMap((d) => d.samples.map((s) => s.t))).toEqual(batch(0).samples.map((s) => s.t));
    expect(entries.every((e) => e.partitionKey === 'dev')).toBe(true);
    expect(() => phone(sink, { format: 'json-v1', maxRecordBytes: 1_000 })).toThrow(/need the avro format/);
  });

  it('sends nothing until it flushes, then everything queued in one PutRecords call', async () => {
    // Prepare
    const sink = new MemorySink();
    const p = phone(sink);
    p.receive(batch(0));
    p.receive(batch(1));
    expect(sink.calls).toHaveLength(0);
    // Act
    const outcome = await p.flush(START + 30_000);
    // Assess
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]?.entries.map((e) => jsonOf(e).batchId)).toEqual(['0', '1']);
    expect(outcome).toMatchObject({ calls: 1, accepted: 2, remaining: 0 });
    expect(p.backlog).toBe(0);
  });

  it('retries only the records that failed, until they succeed', async () => {
    const sink = new MemorySink((entry, call) => call < 2 && jsonOf(entry).batchId === '1');
    const p = phone(sink);
    for (let i = 0; i < 3; i++) p.receive(batch(i));
    const outcome = await p.flush(START);
    expect(sink.calls.map((c) => c.entries.map((e) => jsonOf(e).batchId))).toEqual([
      ['0', '1', '2'],
      ['1'],
      ['1'],
    ]);
    expect(outcome).toMatchObject({ calls: 3, accepted: 3, failedRecords: 2, remaining: 0 });
  });

  it('keeps records that fail every attempt for the next flush (at-least-once)', async () => {
    let down = true;
    const sink = new MemorySink(() => down);
    const p = phone(sink, { maxAttempts: 2 });
    p.receive(batch(0));
    const first = await p.flush(START);
    expect(first).toMatchObject({ calls: 2, accepted: 0, remaining: 1 });
    down = false;
    p.receive(batch(1));
    const second = await p.flush(START + 30_000);
    expect(second).toMatchObject({ accepted: 2, remaining: 0 });
    expect(sink.accepted.map((e) => jsonOf(e).batchId)).toEqual(['0', '1']);
  });

  it('retries a call that failed as a whole', async () => {
    let fail = 1;
    const inner = new MemorySink();
    const sink = {
      putRecords: async (entries: readonly RecordEntry[]) => {
        if (fail-- > 0) throw new Error('socket hang up');
        return inner.putRecords(entries);
      },
    };
    const p = phone(sink);
    p.receive(batch(0));
    expect(await p.flush(START)).toMatchObject({ calls: 2, failedCalls: 1, accepted: 1, remaining: 0 });
  });

  it('resends a record whose reply was lost, byte for byte, in the next flush', async () => {
    const sink = new MemorySink();
    const injected = noInjectedFaults();
    const deliveries: Delivery[] = [];
    const p = phone(sink, { duplicateRate: 1, injected, onDelivered: (d: Delivery) => deliveries.push(d) });
    p.receive(batch(0));
    await p.flush(START);
    expect(p.backlog).toBe(1);
    await p.flush(START + 30_000);
    expect(p.backlog).toBe(0);
    expect(sink.accepted).toHaveLength(2);
    expect(sink.accepted[1]?.data).toEqual(sink.accepted[0]?.data);
    expect(injected).toMatchObject({ duplicatedRecords: 1, duplicatedSamples: 200 });
    expect(deliveries.map((d) => d.resend)).toEqual([false, true]);
  });

  it('swaps records within a flush with the reorder fault', async () => {
    const sink = new MemorySink();
    const injected = noInjectedFaults();
    const p = phone(sink, { reorderRate: 1, injected });
    for (let i = 0; i < 4; i++) p.receive(batch(i));
    await p.flush(START);
    expect(sink.calls[0]?.entries.map((e) => jsonOf(e).batchId)).toEqual(['1', '0', '3', '2']);
    expect(injected.reorderedRecords).toBe(2);
  });

  it('splits a large backlog into calls of at most 500 records', async () => {
    const sink = new MemorySink();
    const p = phone(sink);
    for (let i = 0; i < 1201; i++) p.receive(batch(i, 2));
    await p.flush(START);
    expect(sink.calls.map((c) => c.entries.length)).toEqual([500, 500, 201]);
  });
});

describe('chunkEntries()', () => {
  it('keeps each call under the byte limit and the order intact', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({
      data: new Uint8Array(300),
      partitionKey: `k${i}`,
    }));
    const chunks = chunkEntries(entries, 500, 1000);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
    expect(chunks.flat()).toEqual(entries);
  });
});

describe('KinesisRecordSink with a partial PutRecords failure', () => {
  const kinesis = mockClient(KinesisClient);
  afterEach(() => kinesis.reset());

  it('reports per-record error codes, and the phone resends only the failed record', async () => {
    // Prepare: the first call fails record 1 (FailedRecordCount 1), the retry succeeds.
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: '1', ShardId: 'shardId-0' },
          { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' },
        ],
      })
      .resolvesOnce({ FailedRecordCount: 0, Records: [{ SequenceNumber: '2', ShardId: 'shardId-0' }] });
    const sink = new KinesisRecordSink(new KinesisClient({ region: 'us-east-1' }), 'stream');
    const p = phone(sink);
    p.receive(batch(0));
    p.receive(batch(1));
    // Act
    const outcome = await p.flush(START);
    // Assess
    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.Records).toHaveLength(2);
    const retried = calls[1]?.args[0].input.Records ?? [];
    expect(retried).toHaveLength(1);
    expect(JSON.parse(new TextDecoder().decode(retried[0]?.Data)).batchId).toBe('1');
    expect(outcome).toMatchObject({ calls: 2, accepted: 2, failedRecords: 1, remaining: 0 });
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createTable, SampleStore } from '@secondrow/codec/dynamodb';
import {
  createHandler,
  type KinesisBatchInfo,
  parseFailureMessage,
  Quarantine,
  replayFailedBatch,
} from '@secondrow/consumer';
import { jsonV1, makeSamples, sampleKeys } from '@secondrow/devkit';
import { createStream, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/replay-cli.js';
import { memoryLogger } from '../helpers/quiet.js';
import { scanTable } from '../helpers/table.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

let aws: LocalAws;
let dir: string;
let streams = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  dir = await mkdtemp(join(tmpdir(), 'replay-'));
});
afterAll(async () => {
  await aws?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The message Lambda sends to the on-failure destination for a Kinesis batch (Lambda developer guide). */
function failureMessage(info: KinesisBatchInfo) {
  return {
    requestContext: {
      requestId: 'c9b8fa9f-5a7f-4b1e-af9c-0c604cde93a5',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:secondrow-consumer',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2025-01-01T12:00:06.021Z',
    KinesisBatchInfo: {
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber,
      approximateArrivalOfFirstRecord: '2025-01-01T12:00:04.835Z',
      approximateArrivalOfLastRecord: '2025-01-01T12:00:05.580Z',
      batchSize: info.batchSize,
      streamArn: info.streamArn,
    },
  };
}

/** A stream holding `payloads` in one shard, a table, and the batch info covering `[from, to]` of them. */
async function setUp(payloads: string[], from = 0, to = payloads.length - 1) {
  const name = `replay-${++streams}`;
  const streamArn = await createStream(aws.kinesis, name, 1);
  const tableName = `samples-${streams}`;
  await createTable(aws.dynamodb, tableName);
  const put = await aws.kinesis.send(
    new PutRecordsCommand({
      StreamName: name,
      Records: payloads.map((p, i) => ({ Data: Buffer.from(p), PartitionKey: `pk-${i}` })),
    }),
  );
  const sequences = (put.Records ?? []).map((r) => r.SequenceNumber as string);
  const info: KinesisBatchInfo = {
    shardId: put.Records?.[0]?.ShardId as string,
    startSequenceNumber: sequences[from] as string,
    endSequenceNumber: sequences[to] as string,
    batchSize: to - from + 1,
    streamArn,
  };
  const handler = createHandler({
    store: new SampleStore({ client: aws.dynamodb, tableName }),
    quarantine: new Quarantine({ client: aws.dynamodb, tableName }),
    logger: memoryLogger(),
    metrics: false,
  });
  return { info, tableName, handler, sequences };
}

describe('parseFailureMessage()', () => {
  it('reads KinesisBatchInfo from the message, an SQS message body or an SNS notification', () => {
    const info: KinesisBatchInfo = {
      shardId: 'shardId-000000000001',
      startSequenceNumber: '49601189658422359378836298521827638475320189012309704722',
      endSequenceNumber: '49601189658422359378836298522902373528957594348623495186',
      batchSize: 500,
      streamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/mystream',
    };
    const message = failureMessage(info);
    const expected = {
      ...info,
      approximateArrivalOfFirstRecord: '2025-01-01T12:00:04.835Z',
      approximateArrivalOfLastRecord: '2025-01-01T12:00:05.580Z',
    };
    expect(parseFailureMessage(message)).toEqual(expected);
    expect(parseFailureMessage(JSON.stringify(message))).toEqual(expected);
    expect(parseFailureMessage({ MessageId: 'm', Body: JSON.stringify(message) })).toEqual(expected);
    expect(parseFailureMessage({ Type: 'Notification', Message: JSON.stringify(message) })).toEqual(expected);
    expect(parseFailureMessage({ Sns: { Message: JSON.stringify(message) } })).toEqual(expected);
  });

  it.each([
    ['no KinesisBatchInfo', { requestContext: {} }],
    ['a bad sequence number', { KinesisBatchInfo: { shardId: 's', startSequenceNumber: 'x' } }],
    [
      'a batch that ends before it starts',
      {
        KinesisBatchInfo: {
          shardId: 's',
          startSequenceNumber: '9',
          endSequenceNumber: '1',
          batchSize: 1,
          streamArn: 'arn:aws:kinesis:us-east-1:1:stream/s',
        },
      },
    ],
    ['text that is not JSON', '{not json'],
  ])('rejects a message with %s as INVALID_OPTION', (_name, message) => {
    expect(() => parseFailureMessage(message)).toThrow(
      expect.objectContaining({ name: 'OptionError', code: 'INVALID_OPTION', option: 'message' }),
    );
  });
});

describe('replayFailedBatch() against kinesalite and dynalite', () => {
  it('stores the batch from the stream, only its records, and converges when replayed again', async () => {
    // Prepare: five records; the failed batch is records 1..3.
    const samples = [0, 1, 2, 3, 4].map((i) => makeSamples(T0 + i * 1000, 50, 50, i + 1));
    const payloads = samples.map((s) => jsonV1('watch', s));
    const { info, tableName, handler } = await setUp(payloads, 1, 3);
    // Act
    const first = await replayFailedBatch(info, { kinesis: aws.kinesis, handler });
    const afterFirst = await scanTable(aws.dynamodb, tableName);
    const second = await replayFailedBatch(info, { kinesis: aws.kinesis, handler });
    // Assess
    expect(first).toMatchObject({ records: 3, trimmed: false, incomplete: false, batchItemFailures: [] });
    expect(second).toMatchObject({ records: 3, batchItemFailures: [] });
    expect(sampleKeys(afterFirst.samples.get('watch') ?? [])).toEqual(sampleKeys(samples.slice(1, 4).flat()));
    expect(await scanTable(aws.dynamodb, tableName)).toEqual(afterFirst);
  });

  it('quarantines bad records of the batch like the handler does', async () => {
    const { info, tableName, handler } = await setUp([jsonV1('w', makeSamples(T0, 10)), 'not json']);
    const result = await replayFailedBatch(info, { kinesis: aws.kinesis, handler });
    expect(result).toMatchObject({ records: 2, batchItemFailures: [] });
    const table = await scanTable(aws.dynamodb, tableName);
    expect(table.quarantine).toHaveLength(1);
    expect(table.samples.get('w')).toHaveLength(10);
  });
});

describe('replayFailedBatch() when records are gone', () => {
  const info: KinesisBatchInfo = {
    shardId: 'shardId-000000000000',
    startSequenceNumber: '100',
    endSequenceNumber: '300',
    batchSize: 3,
    streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
  };
  const record = (sequence: string) => ({
    SequenceNumber: sequence,
    PartitionKey: 'p',
    Data: Buffer.from(jsonV1('w', makeSamples(T0, 3))),
    ApproximateArrivalTimestamp: new Date(T0),
  });

  it('says trimmed when the first record read back comes after the batch start', async () => {
    // A shard past its retention: the iterator starts at the trim horizon, after the batch's first record.
    const kinesis = {
      send: async (command: { constructor: { name: string } }) =>
        command.constructor.name === 'GetShardIteratorCommand'
          ? { ShardIterator: 'it' }
          : { Records: [record('200'), record('300'), record('400')], NextShardIterator: 'next' },
    } as unknown as KinesisClient;
    const seen: string[] = [];
    const result = await replayFailedBatch(info, {
      kinesis,
      handler: async (event) => {
        seen.push(...event.Records.map((r) => r.kinesis.sequenceNumber));
        return { batchItemFailures: [] };
      },
    });
    expect(result).toMatchObject({ trimmed: true, incomplete: false, records: 2 });
    expect(seen).toEqual(['200', '300']);
  });

  it.each(['TrimmedDataAccessException', 'ExpiredIteratorException'])(
    'throws RECORDS_TRIMMED on %s',
    async (name) => {
      const kinesis = {
        send: async () => {
          throw Object.assign(new Error('gone'), { name });
        },
      } as unknown as KinesisClient;
      await expect(
        replayFailedBatch(info, { kinesis, handler: async () => ({ batchItemFailures: [] }) }),
      ).rejects.toMatchObject({ name: 'ReplayError', code: 'RECORDS_TRIMMED' });
    },
  );
});

describe('secondrow-replay', () => {
  it('replays the batches of a file of SQS messages, one per line', async () => {
    const samples = makeSamples(T0, 40);
    const { info, tableName } = await setUp([jsonV1('cli', samples)]);
    const file = join(dir, 'messages.jsonl');
    await writeFile(file, `${JSON.stringify({ Body: JSON.stringify(failureMessage(info)) })}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(['--table', tableName, '--region', 'us-east-1', file], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      stdin: async () => '',
      env: {
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
        AWS_ENDPOINT_URL_KINESIS: aws.kinesisEndpoint,
      },
    });
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(JSON.parse(out[0] as string)).toMatchObject({ records: 1, trimmed: false, failed: [] });
    const table = await scanTable(aws.dynamodb, tableName);
    expect(sampleKeys(table.samples.get('cli') ?? [])).toEqual(sampleKeys(samples));
  });

  it.each([
    [['--bogus'], '--bogus'],
    [['--table'], '--table'],
    [['--table', 'samples', '--region', 'nowhere'], '--region'],
    [['--table', 'samples', '--endpoint', 'ftp://x'], '--endpoint'],
    [['--region', 'us-east-1'], '--table'],
  ])('rejects %j before any work with exit status 2', async (argv, flag) => {
    const err: string[] = [];
    let read = false;
    const status = await main(argv, {
      out: () => {},
      err: (line) => err.push(line),
      stdin: async () => {
        read = true;
        return '';
      },
      env: {},
    });
    expect(status).toBe(2);
    expect(read).toBe(false);
    expect(err[0]).toContain(flag);
  });

  it('rejects a file with an invalid message, naming its line, before replaying any', async () => {
    const err: string[] = [];
    const status = await main(['--table', 'samples'], {
      out: () => {},
      err: (line) => err.push(line),
      stdin: async () =>
        `${JSON.stringify(failureMessage({ shardId: 's', startSequenceNumber: '1', endSequenceNumber: '2', batchSize: 2, streamArn: 'arn:aws:kinesis:us-east-1:1:stream/s' }))}\n{"nope": 1}\n`,
      env: {},
    });
    expect(status).toBe(2);
    expect(err[0]).toMatch(/line 2: .*KinesisBatchInfo/);
  });
});

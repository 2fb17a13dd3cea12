import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateScan } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { fromItem } from '@secondrow/codec';
import { parseFailureMessage } from '@secondrow/consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRowTable, createStream, type LocalAws, startLocalAws } from '../../src/index.js';
import { main } from '../../src/runner-cli.js';

let aws: LocalAws;
let dir: string;

beforeAll(async () => {
  aws = await startLocalAws({ dynamodb: false });
  dir = await mkdtemp(join(tmpdir(), 'runner-cli-'));
});

afterAll(async () => {
  await aws?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('secondrow-runner', () => {
  it('creates the stream, runs a handler module against it and prints the stats', async () => {
    // Prepare: a plain ESM handler that fails the record "bad" every time.
    const handlerPath = join(dir, 'handler.mjs');
    await writeFile(
      handlerPath,
      `export async function process(event) {
  globalThis.runnerCliSeen = (globalThis.runnerCliSeen ?? 0) + event.Records.length;
  const bad = event.Records.find((r) => Buffer.from(r.kinesis.data, 'base64').toString() === 'bad');
  return { batchItemFailures: bad ? [{ itemIdentifier: bad.kinesis.sequenceNumber }] : [] };
}
`,
    );
    const endpoint = aws.kinesisEndpoint!;
    const discardFile = join(dir, 'discarded.jsonl');
    const out: string[] = [];
    const err: string[] = [];
    const common = ['--stream', 'cli-stream', '--endpoint', endpoint, '--handler', `${handlerPath}#process`];

    // Act: the first run only creates the (empty) stream.
    const first = await main([...common, '--create-stream', '2', '--idle-ms', '100', '--quiet'], {
      out: () => {},
      err: () => {},
    });
    await aws.kinesis.send(
      new PutRecordsCommand({
        StreamName: 'cli-stream',
        Records: ['a', 'bad', 'c'].map((text) => ({
          Data: new TextEncoder().encode(text),
          PartitionKey: 'one',
        })),
      }),
    );
    const status = await main(
      [
        ...common,
        '--idle-ms',
        '300',
        '--max-retries',
        '1',
        '--retry-base-delay-ms',
        '10',
        '--discard-file',
        discardFile,
        '--env',
        'RUNNER_CLI=1',
      ],
      { out: (line) => out.push(line), err: (line) => err.push(line) },
    );

    // Assess
    expect(first).toBe(0);
    expect(status).toBe(0);
    expect(process.env.RUNNER_CLI).toBe('1');
    const stats = JSON.parse(out[0]!);
    expect(stats).toMatchObject({ shards: 2, records: 1, discarded: 2, retries: 1, stoppedBy: 'idle' });
    expect(stats.durationMs.max).toEqual(expect.any(Number));
    expect(err.some((line) => line.includes('discarded 2 record(s)'))).toBe(true);
    const discarded = (await readFile(discardFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(discarded).toHaveLength(1);
    // The on-failure record Lambda sends: metadata only, readable by the consumer's replay tooling.
    expect(discarded[0].records).toBeUndefined();
    expect(discarded[0].requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(parseFailureMessage(discarded[0])).toMatchObject({
      batchSize: 2,
      streamArn: expect.stringContaining('cli-stream'),
    });
  });

  it('exits with 2 when the handler export is missing', async () => {
    const handlerPath = join(dir, 'empty.mjs');
    await writeFile(handlerPath, 'export const nothing = 1;\n');
    const err: string[] = [];
    const status = await main(
      [
        '--stream',
        'cli-stream',
        '--endpoint',
        aws.kinesisEndpoint!,
        '--handler',
        handlerPath,
        '--idle-ms',
        '50',
      ],
      { out: () => {}, err: (line) => err.push(line) },
    );
    expect(status).toBe(2);
    expect(err[0]).toMatch(/no function export named handler/);
  });

  it("runs the consumer's own handler, from @secondrow/consumer's public exports, when --handler is omitted", async () => {
    // Prepare: a row table on a separate dynalite, and one JSON v1 record of 50 samples.
    const db = await startLocalAws({ kinesis: false });
    const saved = { ...process.env };
    try {
      const tableName = await createRowTable(db.dynamodb);
      await createStream(aws.kinesis, 'consumer-stream', 1);
      const samples = Array.from({ length: 50 }, (_, i) => [1_700_000_000_000 + i * 20, 0.001 * i, 0, 1]);
      await aws.kinesis.send(
        new PutRecordsCommand({
          StreamName: 'consumer-stream',
          Records: [
            {
              Data: new TextEncoder().encode(
                JSON.stringify({ deviceId: 'dev-1', batchId: 1, sentAt: 1_700_000_001_000, samples }),
              ),
              PartitionKey: 'dev-1',
            },
          ],
        }),
      );
      // Act
      const status = await main(
        [
          ...[
            '--stream',
            'consumer-stream',
            '--endpoint',
            aws.kinesisEndpoint!,
            '--idle-ms',
            '300',
            '--quiet',
          ],
          ...[
            '--env',
            `TABLE_NAME=${tableName}`,
            '--env',
            `AWS_ENDPOINT_URL_DYNAMODB=${db.dynamodbEndpoint}`,
          ],
          ...['--env', 'AWS_REGION=us-east-1', '--env', 'AWS_ACCESS_KEY_ID=local'],
          ...[
            '--env',
            'AWS_SECRET_ACCESS_KEY=local',
            '--env',
            'POWERTOOLS_METRICS_DISABLED=true',
            '--env',
            'POWERTOOLS_LOG_LEVEL=SILENT',
          ],
        ],
        { out: () => {}, err: () => {} },
      );
      // Assess: every sample is in the table.
      const stored: number[] = [];
      for await (const page of paginateScan({ client: db.dynamodb }, { TableName: tableName })) {
        for (const item of page.Items ?? []) {
          if (item.d?.S === '#registry') continue; // the consumer's device registry, not a row
          stored.push(...fromItem(item).row.samples.map((s) => s.t));
        }
      }
      expect(status).toBe(0);
      expect(stored.sort((a, b) => a - b)).toEqual(samples.map(([t]) => t));
    } finally {
      process.env = saved;
      await db.close();
    }
  });
});

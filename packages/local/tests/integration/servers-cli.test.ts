import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { readRecording, recordingsDir } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { dynamoDbClientFor, kinesisClientFor } from '../../src/local-aws.js';
import { main, parseServersArgs } from '../../src/servers-cli.js';

describe('parseServersArgs()', () => {
  it('defaults to the usual local ports and one shard', () => {
    expect(parseServersArgs([])).toEqual({
      help: false,
      dynamodbPort: 8000,
      kinesisPort: 4567,
      table: undefined,
      stream: undefined,
      shards: 1,
      records: undefined,
    });
  });

  it.each([
    [['--dynamodb-port', '70000'], /--dynamodb-port must be an integer in \[0, 65535\]/],
    [['--shards', '2x'], /--shards must be an integer/],
    [['--records', 'a.csv'], /--records needs --stream/],
    [['--port', '1'], /port/],
  ])('rejects %j with a UsageError', (argv, message) => {
    expect(() => parseServersArgs(argv)).toThrow(UsageError);
    expect(() => parseServersArgs(argv)).toThrow(message);
  });
});

describe('servers CLI main()', () => {
  it('creates the table and stream, puts the recording as JSON v1 records and stops on the signal', async () => {
    // Prepare
    const file = join(recordingsDir(), 'applewatch_sit_20hz.csv');
    const lines: string[] = [];
    const controller = new AbortController();
    let ready!: (line: string) => void;
    const printed = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const output = {
      out: (line: string) => {
        lines.push(line);
        ready(line);
      },
      err: () => {},
    };
    // Act
    const run = main(
      ['--dynamodb-port', '0', '--kinesis-port', '0', '--table', 'rows', '--stream', 's', '--records', file],
      output,
      controller.signal,
    );
    const started = JSON.parse(await printed) as Record<string, string | number>;
    const dynamodb = dynamoDbClientFor(String(started.dynamodbEndpoint));
    const kinesis = kinesisClientFor(String(started.kinesisEndpoint));
    try {
      const table = await dynamodb.send(new DescribeTableCommand({ TableName: 'rows' }));
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 's' }));
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: 's',
          ShardId: Shards![0]!.ShardId!,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      // Assess
      const samples = readRecording(file).samples;
      expect(table.Table?.TableStatus).toBe('ACTIVE');
      expect(started.records).toBe(Math.ceil(samples.length / 50));
      expect(Records).toHaveLength(Number(started.records));
      const first = JSON.parse(new TextDecoder().decode(Records![0]!.Data)) as { samples: number[][] };
      expect(first.samples[0]).toEqual([samples[0]!.t, samples[0]!.x, samples[0]!.y, samples[0]!.z]);
    } finally {
      dynamodb.destroy();
      kinesis.destroy();
      controller.abort();
    }
    expect(await run).toBe(0);
  });
});

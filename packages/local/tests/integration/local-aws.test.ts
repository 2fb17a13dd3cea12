import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import {
  createRowTable,
  createStream,
  kinesisClientFor,
  LocalOptionError,
  startLocalAws,
  uniqueTableName,
} from '../../src/index.js';

describe('startLocalAws()', () => {
  it('starts dynalite and kinesalite on loopback and returns working clients', async () => {
    // Prepare
    const aws = await startLocalAws();
    try {
      // Act
      await aws.dynamodb.send(
        new CreateTableCommand({
          TableName: 'rows',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'd', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'd', KeyType: 'HASH' }],
        }),
      );
      await aws.dynamodb.send(new PutItemCommand({ TableName: 'rows', Item: { d: { S: 'dev' } } }));
      const item = await aws.dynamodb.send(
        new GetItemCommand({ TableName: 'rows', Key: { d: { S: 'dev' } } }),
      );
      const arn = await createStream(aws.kinesis, 's', 2);
      const put = await aws.kinesis.send(
        new PutRecordCommand({ StreamName: 's', PartitionKey: 'p', Data: new Uint8Array([1]) }),
      );

      // Assess
      expect(aws.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(aws.kinesisEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(item.Item).toEqual({ d: { S: 'dev' } });
      expect(arn).toMatch(/:stream\/s$/);
      expect(put.ShardId).toMatch(/^shardId-/);
    } finally {
      await aws.close();
    }
  });

  it('runs two instances side by side with separate data', async () => {
    const [a, b] = await Promise.all([
      startLocalAws({ dynamodb: false }),
      startLocalAws({ dynamodb: false }),
    ]);
    try {
      await createStream(a.kinesis, 'only-in-a', 1);
      expect(a.kinesisEndpoint).not.toBe(b.kinesisEndpoint);
      await expect(
        b.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'only-in-a' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('starts only what is asked for, and close() is idempotent', async () => {
    const aws = await startLocalAws({ dynamodb: false });
    expect(aws.dynamodbEndpoint).toBeUndefined();
    expect(aws.kinesisEndpoint).toBeDefined();
    await aws.close();
    await aws.close();
  });

  it('accepts an existing stream in createStream()', async () => {
    const aws = await startLocalAws({ dynamodb: false });
    try {
      const first = await createStream(aws.kinesis, 'twice', 1);
      expect(await createStream(aws.kinesis, 'twice', 1)).toBe(first);
      await expect(createStream(aws.kinesis, 'bad', 0)).rejects.toThrow(LocalOptionError);
    } finally {
      await aws.close();
    }
  });
});

describe('kinesisClientFor()', () => {
  it('uses HTTP/1.1, fake credentials and us-east-1 for an http:// endpoint', async () => {
    const aws = await startLocalAws({ dynamodb: false });
    const client = kinesisClientFor(aws.kinesisEndpoint);
    try {
      expect(await client.config.region()).toBe('us-east-1');
      expect(await createStream(client, 'via-helper', 1)).toMatch(/via-helper$/);
    } finally {
      client.destroy();
      await aws.close();
    }
  });
});

describe('startLocalAws() options', () => {
  it('rejects a shard limit that is not a positive integer when given', async () => {
    await expect(startLocalAws({ shardLimit: 0 })).rejects.toThrow(LocalOptionError);
    await expect(startLocalAws({ shardLimit: 1.5 })).rejects.toThrow(/shardLimit/);
  });

  it('makes further DynamoDB clients for the same server and creates row tables', async () => {
    // Prepare
    const aws = await startLocalAws({ kinesis: false });
    try {
      const other = aws.newDynamoDbClient({ maxAttempts: 1 });
      // Act
      const tableName = await createRowTable(aws.dynamodb, uniqueTableName('rows'));
      const tables = await other.send(new ListTablesCommand({}));
      // Assess
      expect(aws.kinesisEndpoint).toBeUndefined();
      expect(tables.TableNames).toContain(tableName);
      expect(await other.config.maxAttempts()).toBe(1);
    } finally {
      await aws.close();
    }
  });

  it('serves the same API when asked to run the servers on a worker thread', async () => {
    // Prepare
    const aws = await startLocalAws({ thread: true });
    try {
      // Act
      const arn = await createStream(aws.kinesis, 'threaded', 1);
      const tableName = await createRowTable(aws.dynamodb);
      const tables = await aws.dynamodb.send(new ListTablesCommand({}));
      // Assess: the mode says where they ended up; either way the clients work.
      expect(['thread', 'inline']).toContain(aws.mode);
      expect(arn).toMatch(/:stream\/threaded$/);
      expect(tables.TableNames).toEqual([tableName]);
    } finally {
      await aws.close();
    }
  });
});

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTable } from '../../src/dynamodb.js';
import { tableDefinition } from '../../src/index.js';

// dynalite does not implement UpdateTimeToLive, so the TTL step is checked against a mock.
const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

beforeEach(() => {
  ddb.reset();
  ddb.on(DescribeTableCommand).resolves({ Table: { TableName: 'rows', TableStatus: 'ACTIVE' } });
});

afterAll(() => {
  ddb.restore();
});

describe('createTable()', () => {
  it('creates the table from tableDefinition and enables TTL on x when asked', async () => {
    ddb.on(CreateTableCommand).resolves({});
    ddb.on(UpdateTimeToLiveCommand).resolves({});

    await createTable(client, 'rows', { ttl: true });

    expect(ddb.commandCalls(CreateTableCommand)[0]?.args[0].input).toEqual(tableDefinition('rows'));
    expect(ddb.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input).toEqual({
      TableName: 'rows',
      TimeToLiveSpecification: { AttributeName: 'x', Enabled: true },
    });
  });

  it('leaves TTL alone by default', async () => {
    ddb.on(CreateTableCommand).resolves({});

    await createTable(client, 'rows');

    expect(ddb.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('throws a StoreError with the SDK error as cause', async () => {
    const cause = new ResourceInUseException({ message: 'Table already exists', $metadata: {} });
    ddb.on(CreateTableCommand).rejects(cause);

    await expect(createTable(client, 'rows')).rejects.toMatchObject({
      name: 'StoreError',
      code: 'DYNAMODB_ERROR',
      cause,
    });
  });
});

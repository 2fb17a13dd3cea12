import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SampleStore } from '../../src/dynamodb.js';
import { itemSize, packRows, readUnits, toItem } from '../../src/index.js';
import { regularSamples } from '../helpers/factories.js';
import { collect } from '../helpers/store-fixtures.js';

// What a local server does not show: the request the store sends, and a server that reports no capacity.

const T0 = 1_700_000_000_000;
const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const store = new SampleStore({ client, tableName: 'rows' });
const items = packRows(regularSamples(T0, 50, 150)).map(
  (row) => toItem('watch-1', row) as Record<string, AttributeValue>,
);
const bytes = items.reduce((n, item) => n + itemSize(item as Parameters<typeof itemSize>[0]), 0);

beforeEach(() => {
  ddb.reset();
});

afterAll(() => {
  ddb.restore();
});

describe('SampleStore reads', () => {
  it('query eventually consistent by default and ask for the consumed capacity', async () => {
    ddb
      .on(QueryCommand)
      .resolves({ Items: items, ConsumedCapacity: { TableName: 'rows', CapacityUnits: 0.5 } });

    await collect(store.read('watch-1', T0, T0 + 3000));
    await collect(store.readRows('watch-1', T0, T0 + 3000));
    const [page] = await collect(store.readColumns('watch-1', T0, T0 + 3000));
    await collect(store.readColumns('watch-1', T0, T0 + 3000, { consistentRead: true }));

    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs.map((i) => i.ConsistentRead)).toEqual([false, false, false, true]);
    expect(inputs.every((i) => i.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(page).toMatchObject({ readUnits: 0.5, readUnitsEstimated: false, itemBytes: bytes });
  });

  it('estimate a page’s read units from its item sizes when the server reports none', async () => {
    ddb.on(QueryCommand).resolves({ Items: items });

    const [eventual] = await collect(store.readColumns('watch-1', T0, T0 + 3000));
    const [strong] = await collect(store.readColumns('watch-1', T0, T0 + 3000, { consistentRead: true }));

    expect(eventual).toMatchObject({ readUnits: readUnits(bytes, false), readUnitsEstimated: true });
    expect(strong).toMatchObject({ readUnits: readUnits(bytes, true), readUnitsEstimated: true });
    expect(eventual?.columns.length).toBe(150);
  });
});

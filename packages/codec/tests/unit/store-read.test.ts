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

describe('SampleStore reads one page ahead with prefetch', () => {
  const half = 1; // of 3 one-second rows
  const firstPage = { Items: items.slice(0, half), LastEvaluatedKey: { d: { S: 'watch-1' }, s: { N: '1' } } };
  const secondPage = { Items: items.slice(half) };

  it('asks for the next page before the caller has the current one, and yields the same pages', async () => {
    ddb.on(QueryCommand).resolvesOnce(firstPage).resolvesOnce(secondPage);
    const pages = store.readColumns('watch-1', T0, T0 + 3000, { prefetch: true });
    const first = await pages.next();
    // The request for the second page left before the first page reached the caller.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(
      firstPage.LastEvaluatedKey,
    );
    const rest = await collect(pages);
    expect(first.done === false && first.value.columns.length + rest[0]!.columns.length).toBe(150);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);

    ddb.reset();
    ddb.on(QueryCommand).resolvesOnce(firstPage).resolvesOnce(secondPage);
    const plain = store.readColumns('watch-1', T0, T0 + 3000);
    await plain.next();
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    await plain.return(undefined);
  });

  it('reports a failed page ahead when the caller asks for it, after the good page before it', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce(firstPage)
      .rejectsOnce(Object.assign(new Error('boom'), { name: 'InternalServerError', $fault: 'server' }));
    const pages = store.readColumns('watch-1', T0, T0 + 3000, { prefetch: true });
    const first = await pages.next();
    expect(first.done === false && first.value.columns.length).toBe(50);
    await expect(pages.next()).rejects.toMatchObject({ name: 'StoreError', code: 'UNAVAILABLE' });
  });

  it('drops the page ahead, failed or not, when the caller stops early', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce(firstPage)
      .rejectsOnce(Object.assign(new Error('boom'), { name: 'InternalServerError', $fault: 'server' }));
    // Vitest fails the run on an unhandled rejection: the abandoned request's failure must not be one.
    for await (const page of store.readColumns('watch-1', T0, T0 + 3000, { prefetch: true })) {
      expect(page.columns.length).toBe(50);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('rejects a prefetch that is not a boolean when the read is started', () => {
    expect(() => store.readColumns('watch-1', T0, T0 + 3000, { prefetch: 1 as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'prefetch' }),
    );
  });
});

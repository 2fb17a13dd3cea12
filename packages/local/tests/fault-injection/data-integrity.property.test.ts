import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFaultProxy, type LocalAws, startLocalAws } from '../../src/index.js';
import { createTable, dynamoClient } from './one-attempt-clients.js';

let aws: LocalAws;
let upstream: string;
let direct: DynamoDBClient;
let proxy: DynamoFaultProxy;
let client: DynamoDBClient;
let tableCount = 0;

beforeAll(async () => {
  aws = await startLocalAws({ kinesis: false });
  upstream = aws.dynamodbEndpoint ?? '';
  direct = dynamoClient(upstream);
  proxy = new DynamoFaultProxy({ upstream, seed: 11, sleep: async () => {} });
  client = dynamoClient(await proxy.start());
});

afterAll(async () => {
  client.destroy();
  direct.destroy();
  await proxy.close();
  await aws.close();
});

/** Fault rates summing to at most 0.8, so a retried write gets through. */
const faultRates = fc
  .tuple(fc.nat(100), fc.nat(100), fc.nat(100), fc.nat(100), fc.nat(100))
  .map(([throttle, serverError, before, after, none]) => {
    const scale = 0.8 / Math.max(1, throttle + serverError + before + after + none);
    return {
      throttle: throttle * scale,
      serverError: serverError * scale,
      resetBeforeUpstream: before * scale,
      resetAfterUpstream: after * scale,
      latencyMs: 1,
    };
  });

const writes = fc.array(fc.record({ pk: fc.constantFrom('a', 'b', 'c'), ver: fc.nat(20) }), {
  minLength: 1,
  maxLength: 12,
});

/** Sends a conditional "newer version wins" put until DynamoDB accepts or refuses it. */
async function putUntilDecided(table: string, pk: string, ver: number): Promise<'written' | 'refused'> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: pk }, ver: { N: String(ver) }, payload: { S: `${pk}@${ver}` } },
          ConditionExpression: 'attribute_not_exists(pk) OR ver < :ver',
          ExpressionAttributeValues: { ':ver': { N: String(ver) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // The item that beat this write, possibly this write itself applied before a reset.
        expect(Number(error.Item?.ver?.N)).toBeGreaterThanOrEqual(ver);
        return 'refused';
      }
      // Throttle, 5xx or reset: retry, as a client with a retry strategy would.
    }
  }
  throw new Error(`put ${pk}@${ver} still undecided after 1000 attempts`);
}

describe('DynamoFaultProxy data integrity', () => {
  it('leaves the table as a fault-free run would, for any fault rates and any retried conditional puts', async () => {
    await fc.assert(
      fc.asyncProperty(faultRates, writes, async (faults, plan) => {
        const table = `integrity-${++tableCount}`;
        await createTable(direct, table);
        proxy.setFaults(faults);
        for (const { pk, ver } of plan) await putUntilDecided(table, pk, ver);
        const expected = new Map<string, number>();
        for (const { pk, ver } of plan) expected.set(pk, Math.max(ver, expected.get(pk) ?? -1));
        const { Items = [] } = await direct.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
        const actual = Object.fromEntries(Items.map((item) => [item.pk?.S, item]));
        expect(actual).toEqual(
          Object.fromEntries(
            [...expected].map(([pk, ver]) => [
              pk,
              { pk: { S: pk }, ver: { N: String(ver) }, payload: { S: `${pk}@${ver}` } },
            ]),
          ),
        );
      }),
      { numRuns: 60 },
    );
    // The run must really have gone through faults, or it proves nothing.
    const { byKind } = proxy.counts();
    for (const kind of [
      'throttle',
      'serverError',
      'resetBeforeUpstream',
      'resetAfterUpstream',
      'oldItemReturned',
    ] as const) {
      expect(byKind[kind] ?? 0, kind).toBeGreaterThan(0);
    }
  });
});

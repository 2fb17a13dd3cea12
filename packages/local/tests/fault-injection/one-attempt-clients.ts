import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/index.js';

// The servers come from startLocalAws; these clients make one attempt, so every injected fault reaches the test.

/** A DynamoDB client for `endpoint` that makes one attempt. */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** A Kinesis client for `endpoint` over HTTP/1.1 (kinesalite rejects HTTP/2) that makes one attempt. */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
}

/** Creates an on-demand table with a string partition key `pk` and, when asked, a number sort key `sk`. */
export async function createTable(client: DynamoDBClient, name: string, withSortKey = false): Promise<void> {
  const KeySchema: KeySchemaElement[] = [{ AttributeName: 'pk', KeyType: 'HASH' }];
  const AttributeDefinitions: AttributeDefinition[] = [{ AttributeName: 'pk', AttributeType: 'S' }];
  if (withSortKey) {
    KeySchema.push({ AttributeName: 'sk', KeyType: 'RANGE' });
    AttributeDefinitions.push({ AttributeName: 'sk', AttributeType: 'N' });
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema,
      AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

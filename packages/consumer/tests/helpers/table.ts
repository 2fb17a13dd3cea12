import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { fromItem, type Sample } from '@secondrow/codec';

/** Everything in a table: decoded samples per device (with row count) and quarantine items. */
export async function scanTable(client: DynamoDBClient, tableName: string) {
  const samples = new Map<string, Sample[]>();
  const quarantine: Record<string, unknown>[] = [];
  let rows = 0;
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      if (item.d?.S?.startsWith('quarantine#')) {
        quarantine.push(item);
        continue;
      }
      const { deviceId, row } = fromItem(item);
      rows++;
      samples.set(deviceId, [...(samples.get(deviceId) ?? []), ...row.samples]);
    }
  }
  return { samples, quarantine, rows };
}

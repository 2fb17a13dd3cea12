import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { fromItem, type Sample } from '@secondrow/codec';
import { REGISTRY_PARTITION } from '@secondrow/codec/dynamodb';

/**
 * Everything in a table: decoded samples per device (with row count), quarantine entries (the
 * attributes of an entry's head and body items merged into one object per entry) and device registry items.
 */
export async function scanTable(client: DynamoDBClient, tableName: string) {
  const samples = new Map<string, Sample[]>();
  const entries = new Map<string, Record<string, unknown>>();
  const registry: Record<string, unknown>[] = [];
  let rows = 0;
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      const key = item.d?.S;
      if (key?.startsWith('quarantine#')) {
        entries.set(key, { ...entries.get(key), ...item });
        continue;
      }
      if (key === REGISTRY_PARTITION) {
        registry.push(item);
        continue;
      }
      const { deviceId, row } = fromItem(item);
      rows++;
      samples.set(deviceId, [...(samples.get(deviceId) ?? []), ...row.samples]);
    }
  }
  return { samples, quarantine: [...entries.values()], registry, rows };
}

import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeviceRegistry } from '@secondrow/codec/dynamodb';
import { SimulatorError } from './errors.js';

/** The table `pnpm demo --keep` leaves behind, and what is in it. */
export interface KeptTable {
  /** The data directory (`startLocalAws({ dataDir })`). */
  dir: string;
  tableName: string;
  /** Devices stored, sorted. */
  devices: string[];
  /** Start of the earliest stored window, epoch ms. */
  fromMs: number;
  /** End of the latest stored window (exclusive), epoch ms. */
  toMs: number;
}

/**
 * What a kept table holds, for the instructions `pnpm demo --keep` prints. The devices come from the table's
 * `DeviceRegistry`, which the demo's consumer fills as it writes (as the deployed one does), so nothing is
 * written here. The range is exact: from the earliest first time the registry noted (floored to its row
 * window) to the end of the latest stored row, found with one key `Query` per device (newest row first,
 * limit 1), since the registry's `lastMs` is an upper bound with up to an hour of headroom.
 *
 * @param windowSeconds - the row window the demo wrote with, s.
 * @throws {SimulatorError} `SETUP_FAILED` when the registry or the table cannot be read.
 */
export async function readKeptTable(
  client: DynamoDBClient,
  dir: string,
  tableName: string,
  windowSeconds: number,
): Promise<KeptTable> {
  const windowMs = windowSeconds * 1000;
  const devices: string[] = [];
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  try {
    const registry = new DeviceRegistry({ client, tableName });
    let cursor: string | undefined;
    do {
      const page = await registry.list({ consistentRead: true, ...(cursor === undefined ? {} : { cursor }) });
      for (const device of page.devices) {
        devices.push(device.deviceId);
        fromMs = Math.min(fromMs, Math.floor(device.firstMs / windowMs) * windowMs);
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    for (const deviceId of devices) {
      const last = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#d = :d',
          ExpressionAttributeNames: { '#d': 'd', '#s': 's' },
          ExpressionAttributeValues: { ':d': { S: deviceId } },
          ProjectionExpression: '#s',
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const startMs = Number(last.Items?.[0]?.s?.N) * 1000;
      if (Number.isSafeInteger(startMs)) toMs = Math.max(toMs, startMs + windowMs);
    }
  } catch (error) {
    throw new SimulatorError(
      'SETUP_FAILED',
      `could not read the devices of the kept table ${tableName}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  return { dir, tableName, devices: devices.sort(), fromMs, toMs };
}

/**
 * What `pnpm demo --keep` prints (on stderr) after the report: where the table is and the commands that
 * read it, with a real device and range.
 */
export function keptTableText(kept: KeptTable, defaultDir: string): string {
  const local = kept.dir === defaultDir ? '' : ` --local ${kept.dir}`;
  const range = `--from ${new Date(kept.fromMs).toISOString()} --to ${new Date(kept.toMs).toISOString()}`;
  const device = kept.devices[0];
  return [
    `kept table ${kept.tableName} (${kept.devices.length} devices) in ${kept.dir}; read it with:`,
    `  pnpm secondrow audit${local} ${range}`,
    ...(device === undefined
      ? []
      : [
          `  pnpm secondrow export${local} --device ${device} ${range} --format parquet --out ${device.replace(/[^\w.-]/g, '_')}.parquet`,
        ]),
    '',
  ].join('\n');
}

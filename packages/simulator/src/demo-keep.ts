import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { DeviceRegistry, REGISTRY_PARTITION } from '@secondrow/codec/dynamodb';
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
 * Notes every device of a kept table in its `DeviceRegistry` (the demo's handler runs without one), with the
 * exact range of its stored windows, so `secondrow audit` finds the fleet. One `Scan` of the keys: the
 * table is local and holds one demo run.
 *
 * @throws {SimulatorError} `SETUP_FAILED` when the table cannot be scanned or a device cannot be noted.
 */
export async function registerKeptDevices(
  client: DynamoDBClient,
  dir: string,
  tableName: string,
  windowSeconds: number,
): Promise<KeptTable> {
  const ranges = new Map<string, { firstMs: number; lastMs: number }>();
  try {
    const pages = paginateScan(
      { client },
      {
        TableName: tableName,
        ProjectionExpression: '#d, #s',
        ExpressionAttributeNames: { '#d': 'd', '#s': 's' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const deviceId = item.d?.S;
        const startMs = Number(item.s?.N) * 1000;
        if (deviceId === undefined || deviceId === REGISTRY_PARTITION || !Number.isSafeInteger(startMs))
          continue;
        const lastMs = startMs + windowSeconds * 1000 - 1;
        const range = ranges.get(deviceId);
        if (range === undefined) ranges.set(deviceId, { firstMs: startMs, lastMs });
        else {
          range.firstMs = Math.min(range.firstMs, startMs);
          range.lastMs = Math.max(range.lastMs, lastMs);
        }
      }
    }
    // intervalMs 0: the kept ranges are exact, not widened by the registry's usual hour of headroom.
    const registry = new DeviceRegistry({ client, tableName, intervalMs: 0 });
    const report = await registry.noteMany([...ranges].map(([deviceId, range]) => ({ deviceId, ...range })));
    if (report.failed.length > 0) throw report.failed[0]?.error;
  } catch (error) {
    throw new SimulatorError(
      'SETUP_FAILED',
      `could not register the devices of the kept table ${tableName}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  const all = [...ranges.values()];
  return {
    dir,
    tableName,
    devices: [...ranges.keys()].sort(),
    fromMs: Math.min(...all.map((r) => r.firstMs)),
    toMs: Math.max(...all.map((r) => r.lastMs)) + 1,
  };
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

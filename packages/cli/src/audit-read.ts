import { DeviceRegistry, isStoreError, SampleStore } from '@secondrow/codec/dynamodb';
import { DeviceAuditor, type FleetAudit, fleetAudit } from './audit.js';
import { ReadFailedError } from './errors.js';
import type { OpenTable } from './table-source.js';

/** What {@link auditTable} audits. */
export interface AuditRequest {
  /** One device, or `undefined` for every device of the registry whose range overlaps the range. */
  device: string | undefined;
  fromMs: number;
  toMs: number;
}

/**
 * Reads each device's rows over the range with `SampleStore.readRows` (one device at a time) and audits
 * them; devices come from `--device` or the table's `DeviceRegistry`.
 *
 * @param onDevice - Called before each device with its index and the number of devices, for progress.
 * @throws {ReadFailedError} when the registry or the rows cannot be read (`cause` keeps the `StoreError`).
 */
export async function auditTable(
  table: OpenTable,
  request: AuditRequest,
  onDevice?: (index: number, count: number, deviceId: string) => void,
): Promise<FleetAudit> {
  const { fromMs, toMs } = request;
  try {
    const devices =
      request.device === undefined ? await registeredDevices(table, fromMs, toMs) : [request.device];
    const store = new SampleStore({ client: table.client, tableName: table.tableName });
    const audited = [];
    for (const [index, deviceId] of devices.entries()) {
      onDevice?.(index, devices.length, deviceId);
      const auditor = new DeviceAuditor(deviceId, fromMs, toMs);
      for await (const row of store.readRows(deviceId, fromMs, toMs)) auditor.add(row);
      audited.push({ audit: auditor.finish(), lateness: auditor.latenessValues() });
    }
    const fleet = fleetAudit(fromMs, toMs, audited);
    if (request.device === undefined && devices.length === 0) {
      fleet.notes.unshift(
        `No device of the table's registry has data in the range: nothing audited (pick one with --device).`,
      );
    }
    return fleet;
  } catch (error) {
    if (isStoreError(error)) {
      throw new ReadFailedError(`auditing ${table.tableName} failed: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Ids of the registered devices whose range overlaps `[fromMs, toMs)`, sorted. */
async function registeredDevices(table: OpenTable, fromMs: number, toMs: number): Promise<string[]> {
  const registry = new DeviceRegistry({ client: table.client, tableName: table.tableName });
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await registry.list(cursor === undefined ? {} : { cursor });
    for (const { deviceId, firstMs, lastMs } of page.devices) {
      if (firstMs < toMs && lastMs >= fromMs) ids.push(deviceId);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return ids.sort();
}

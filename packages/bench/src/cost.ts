import { BYTES_PER_GB, HOURS_PER_MONTH, type Prices } from '@secondrow/devkit';
import type { UsdPerDeviceMonth } from './results.js';

/** How a device is used and read: the assumptions behind every dollar figure (printed with them). */
export interface UsageAssumptions {
  /** Hours per day a device streams. */
  activeHoursPerDay: number;
  /** Days a row stays in the table (TTL); storage is the steady state of that many days. */
  retentionDays: number;
  /** Times each device-hour is read with one Query over its life. */
  readsPerDeviceHour: number;
  /** Devices sharing the table, for provisioned capacity. */
  fleet: number;
  /** Provisioned capacity is sized so the mean write rate uses this fraction of it (auto scaling's usual 70%). */
  provisionedTargetUtilization: number;
}

/** Device-hours a device records in a billing month. */
export function deviceHoursPerMonth(usage: Pick<UsageAssumptions, 'activeHoursPerDay'>): number {
  return (usage.activeHoursPerDay * HOURS_PER_MONTH) / 24;
}

/**
 * On-demand dollars per device-month.
 * @param wruPerDeviceSecond Write units per device-second.
 * @param rruPerDeviceHour Read units to Query one device-hour.
 * @param storageBytesPerDeviceDay Stored bytes per device-day, per-item overhead included.
 */
export function usdPerDeviceMonth(
  wruPerDeviceSecond: number,
  rruPerDeviceHour: number,
  storageBytesPerDeviceDay: number,
  usage: UsageAssumptions,
  prices: Prices,
): UsdPerDeviceMonth {
  const hours = deviceHoursPerMonth(usage);
  const writes = (wruPerDeviceSecond * 3600 * hours * prices.onDemandWriteUsdPerMillion) / 1e6;
  const reads =
    (rruPerDeviceHour * usage.readsPerDeviceHour * hours * prices.onDemandReadUsdPerMillion) / 1e6;
  const storage =
    ((storageBytesPerDeviceDay * usage.retentionDays) / BYTES_PER_GB) * prices.storageUsdPerGbMonth;
  return { writes, reads, storage, total: writes + reads + storage };
}

/**
 * Provisioned WCU for the fleet streaming at once, and its cost per device-month.
 * @returns `wcu` = ceil(fleet × WRU per device-second ÷ target utilization).
 */
export function provisionedWrites(
  wruPerDeviceSecond: number,
  usage: UsageAssumptions,
  prices: Prices,
): { fleet: number; wcu: number; usdPerDeviceMonth: number } {
  const wcu = Math.ceil((usage.fleet * wruPerDeviceSecond) / usage.provisionedTargetUtilization);
  const usd = (wcu * prices.provisionedWcuUsdPerHour * HOURS_PER_MONTH) / Math.max(1, usage.fleet);
  return { fleet: usage.fleet, wcu, usdPerDeviceMonth: usd };
}

/**
 * Time ranges the picker offers: fixed-length presets ending at the device's latest data, and the device's
 * whole range. Pure: the current time comes in as an argument.
 */

/** A half-open time range `[fromMs, toMs)`, epoch ms. */
export interface TimeRange {
  /** Inclusive start, epoch ms. */
  fromMs: number;
  /** Exclusive end, epoch ms. */
  toMs: number;
}

/** What the picker knows of a device: its first and last sample time, epoch ms (as `/api/devices` gives). */
export interface DeviceSpan {
  /** First sample time, epoch ms. */
  firstMs: number;
  /** Last sample time (or an upper bound of it), epoch ms. */
  lastMs: number;
}

/** A preset of the range picker. */
export interface RangePreset {
  /** Stable key, used in the page's buttons. */
  id: 'last-15m' | 'last-1h' | 'last-6h' | 'last-24h' | 'all';
  /** Button label. */
  label: string;
  /** Length, ms; `undefined` for the device's whole range. */
  lengthMs: number | undefined;
}

/** The presets, shortest first. */
export const RANGE_PRESETS: readonly RangePreset[] = [
  { id: 'last-15m', label: '15 min', lengthMs: 15 * 60_000 },
  { id: 'last-1h', label: '1 h', lengthMs: 3_600_000 },
  { id: 'last-6h', label: '6 h', lengthMs: 6 * 3_600_000 },
  { id: 'last-24h', label: '24 h', lengthMs: 24 * 3_600_000 },
  { id: 'all', label: 'all data', lengthMs: undefined },
];

/**
 * End of the device's data as a range end: one ms past its last sample, but never past `nowMs` (the
 * registry's `lastMs` is an upper bound that may lie ahead of the data while the device streams).
 */
export function dataEndMs(device: DeviceSpan, nowMs: number): number {
  return Math.max(device.firstMs + 1, Math.min(device.lastMs + 1, Math.ceil(nowMs)));
}

/**
 * The range of a preset for a device: the preset's length ending at {@link dataEndMs} (so "last 15 min"
 * of a device that stopped yesterday shows its last 15 minutes, not an empty range), or the whole range.
 */
export function presetRange(preset: RangePreset, device: DeviceSpan, nowMs: number): TimeRange {
  const toMs = dataEndMs(device, nowMs);
  if (preset.lengthMs === undefined) return { fromMs: Math.min(device.firstMs, toMs - 1), toMs };
  return { fromMs: toMs - preset.lengthMs, toMs };
}

/** Shortest range a zoom may select, ms: below a few samples a chart says nothing. */
export const MIN_ZOOM_MS = 200;

/**
 * The range a drag-selection over `[aMs, bMs]` asks for: ordered, whole ms, at least {@link MIN_ZOOM_MS}
 * long (widened around its middle), or `undefined` for a click without a drag.
 */
export function zoomRange(aMs: number, bMs: number): TimeRange | undefined {
  if (!Number.isFinite(aMs) || !Number.isFinite(bMs) || aMs === bMs) return undefined;
  let fromMs = Math.floor(Math.min(aMs, bMs));
  let toMs = Math.ceil(Math.max(aMs, bMs));
  if (toMs - fromMs < MIN_ZOOM_MS) {
    const middle = Math.round((fromMs + toMs) / 2);
    fromMs = middle - MIN_ZOOM_MS / 2;
    toMs = middle + MIN_ZOOM_MS / 2;
  }
  return { fromMs, toMs };
}

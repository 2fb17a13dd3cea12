import { countMissing, gapRanges, medianIntervalMs, writeUnits } from '@secondrow/codec';
import { type Percentiles, percentiles } from '@secondrow/devkit';

/** What the audit reads of one stored row (a `StoredRow` of `SampleStore.readRows` fits). */
export interface AuditedRow {
  /** The whole row: its window and its samples in time order (the part outside the range is ignored). */
  row: { startMs: number; samples: readonly { t: number }[] };
  /** Size of the DynamoDB item, bytes (DynamoDB's rules). */
  itemBytes: number;
  /** When the row was first written, epoch ms; absent on rows written before the store kept it. */
  firstWrittenMs?: number;
  /** When its samples last changed, epoch ms. */
  lastMergedMs?: number;
  /** Earliest stream arrival of the writes that added samples, epoch ms. */
  arrivalMs?: number;
}

/** Gaps by the codec's rule (`gapRanges`: more than 3 nominal intervals without a sample). */
export interface GapSummary {
  count: number;
  /** Sum of the gaps' lengths, ms. */
  totalMs: number;
  /** Longest gap, ms (0 without gaps). */
  longestMs: number;
}

/** Lateness distributions, ms, nearest-rank percentiles over rows; `null` when no row recorded the times. */
export interface Lateness {
  /** Per row: first written − its earliest sample's time in the row: how old data was when it became durable. */
  sampleToFirstWrite: Percentiles | null;
  /** Per row: first written − the earliest stream arrival of its samples: the consumer's delay. */
  arrivalToFirstWrite: Percentiles | null;
}

/** The audit of one device (or, in {@link FleetAudit.total}, of all of them) over `[fromMs, toMs)`. */
export interface DeviceAudit {
  deviceId: string;
  /** Samples with `fromMs <= t < toMs`. */
  samples: number;
  /** Nominal sampling interval, ms (the codec's `medianIntervalMs`); `null` with fewer than 2 samples. */
  intervalMs: number | null;
  /** Samples missing from the range against the nominal interval (the codec's `countMissing`). */
  missing: number;
  /** `samples / (samples + missing)` in [0, 1]; 0 without samples. */
  coverage: number;
  gaps: GapSummary;
  /** Stored rows overlapping the range (rows at its edges count whole). */
  rows: number;
  /** Their item bytes (DynamoDB's rules). */
  itemBytes: number;
  /** Write units to put each row once at its stored size (the codec's `writeUnits`); merges cost more and are not recorded. */
  writeUnits: number;
  lateness: Lateness;
  /** Rows whose samples changed after their first write (`lastMergedMs > firstWrittenMs`). */
  lateRows: number;
  /** Rows without audit times (written before the store kept them): left out of lateness and late rows. */
  rowsWithoutTimes: number;
  /** Covered fraction of each of {@link TIMELINE_BUCKETS} equal slices of the range, for charts. */
  timeline: number[];
}

/** The audit of a fleet: each device, and the totals. */
export interface FleetAudit {
  fromMs: number;
  toMs: number;
  devices: DeviceAudit[];
  /** All devices together: sums, longest gap, coverage of all samples, lateness over all rows. */
  total: DeviceAudit;
  /** What the stored rows cannot say, stated rather than estimated. */
  notes: string[];
}

/** Slices of the range in {@link DeviceAudit.timeline}. */
export const TIMELINE_BUCKETS = 120;

/** Said in every audit: what the table does not keep. */
export const AUDIT_NOTES = [
  'Duplicates dropped and conflicting samples resolved while merging are not stored per row: the table cannot say how many there were.',
  'Write units are those of one put of each row at its stored size; rewrites by merges cost more and are not recorded.',
];

/**
 * Accumulates one device's rows, in time order, into a {@link DeviceAudit}. Holds the device's sample times
 * (8 bytes per sample) and two numbers per row until {@link DeviceAuditor.finish}: the codec's gap rule
 * needs the whole series' median interval.
 */
export class DeviceAuditor {
  readonly #deviceId: string;
  readonly #fromMs: number;
  readonly #toMs: number;
  #times = new Float64Array(4096);
  #samples = 0;
  #rows = 0;
  #itemBytes = 0;
  #writeUnits = 0;
  #lateRows = 0;
  #rowsWithoutTimes = 0;
  readonly #sampleLateness: number[] = [];
  readonly #arrivalLateness: number[] = [];

  /**
   * @param deviceId - The device.
   * @param fromMs - Inclusive start of the range, epoch ms.
   * @param toMs - Exclusive end, epoch ms, > `fromMs`.
   */
  constructor(deviceId: string, fromMs: number, toMs: number) {
    this.#deviceId = deviceId;
    this.#fromMs = fromMs;
    this.#toMs = toMs;
  }

  /** Adds the next row (rows must come in time order, as `readRows` yields them). */
  add(stored: AuditedRow): void {
    this.#rows++;
    this.#itemBytes += stored.itemBytes;
    this.#writeUnits += writeUnitsOfBytes(stored.itemBytes);
    let earliest = Number.NaN;
    for (const { t } of stored.row.samples) {
      if (t < this.#fromMs || t >= this.#toMs) continue;
      if (Number.isNaN(earliest)) earliest = t;
      if (this.#samples === this.#times.length) {
        const grown = new Float64Array(this.#times.length * 2);
        grown.set(this.#times);
        this.#times = grown;
      }
      this.#times[this.#samples++] = t;
    }
    const { firstWrittenMs, lastMergedMs, arrivalMs } = stored;
    if (firstWrittenMs === undefined) {
      this.#rowsWithoutTimes++;
      return;
    }
    if (!Number.isNaN(earliest)) this.#sampleLateness.push(firstWrittenMs - earliest);
    if (arrivalMs !== undefined) this.#arrivalLateness.push(firstWrittenMs - arrivalMs);
    if (lastMergedMs !== undefined && lastMergedMs > firstWrittenMs) this.#lateRows++;
  }

  /** The device's audit. Call once, after the last row. */
  finish(): DeviceAudit {
    const times = this.#times.subarray(0, this.#samples);
    const intervalMs = medianIntervalMs(times);
    const range = { fromMs: this.#fromMs, toMs: this.#toMs };
    const missing =
      intervalMs === undefined
        ? 0
        : countMissing(times, { startMs: range.fromMs, endMs: range.toMs, intervalMs });
    const holes =
      intervalMs === undefined && times.length > 0
        ? []
        : gapRanges(times, { ...range, ...(intervalMs === undefined ? {} : { intervalMs }) });
    const audit: DeviceAudit = {
      deviceId: this.#deviceId,
      samples: this.#samples,
      intervalMs: intervalMs ?? null,
      missing,
      coverage: this.#samples === 0 ? 0 : this.#samples / (this.#samples + missing),
      gaps: summarizeGaps(holes),
      rows: this.#rows,
      itemBytes: this.#itemBytes,
      writeUnits: this.#writeUnits,
      lateness: {
        sampleToFirstWrite: percentiles(this.#sampleLateness.slice()),
        arrivalToFirstWrite: percentiles(this.#arrivalLateness.slice()),
      },
      lateRows: this.#lateRows,
      rowsWithoutTimes: this.#rowsWithoutTimes,
      timeline: timeline(times, range.fromMs, range.toMs, intervalMs),
    };
    this.#times = new Float64Array(0);
    return audit;
  }

  /** Lateness values of the rows added, ms, for the fleet's percentiles. */
  latenessValues(): { sampleToFirstWrite: readonly number[]; arrivalToFirstWrite: readonly number[] } {
    return { sampleToFirstWrite: this.#sampleLateness, arrivalToFirstWrite: this.#arrivalLateness };
  }
}

/**
 * The fleet's totals from its devices' audits and their lateness values.
 *
 * @param fromMs - Start of the range, epoch ms.
 * @param toMs - End of the range, epoch ms.
 * @param devices - Each device's audit with its {@link DeviceAuditor.latenessValues}.
 */
export function fleetAudit(
  fromMs: number,
  toMs: number,
  devices: readonly { audit: DeviceAudit; lateness: ReturnType<DeviceAuditor['latenessValues']> }[],
): FleetAudit {
  const audits = devices.map((d) => d.audit);
  const sum = (pick: (a: DeviceAudit) => number): number => audits.reduce((s, a) => s + pick(a), 0);
  const samples = sum((a) => a.samples);
  const missing = sum((a) => a.missing);
  const intervals = audits.flatMap((a) => (a.intervalMs === null ? [] : [a.intervalMs]));
  const total: DeviceAudit = {
    deviceId: 'fleet',
    samples,
    intervalMs: intervals.length === 0 ? null : (medianIntervalOfDevices(intervals) ?? null),
    missing,
    coverage: samples === 0 ? 0 : samples / (samples + missing),
    gaps: {
      count: sum((a) => a.gaps.count),
      totalMs: sum((a) => a.gaps.totalMs),
      longestMs: audits.reduce((m, a) => Math.max(m, a.gaps.longestMs), 0),
    },
    rows: sum((a) => a.rows),
    itemBytes: sum((a) => a.itemBytes),
    writeUnits: sum((a) => a.writeUnits),
    lateness: {
      sampleToFirstWrite: percentiles(devices.flatMap((d) => d.lateness.sampleToFirstWrite)),
      arrivalToFirstWrite: percentiles(devices.flatMap((d) => d.lateness.arrivalToFirstWrite)),
    },
    lateRows: sum((a) => a.lateRows),
    rowsWithoutTimes: sum((a) => a.rowsWithoutTimes),
    timeline: Array.from({ length: TIMELINE_BUCKETS }, (_, i) =>
      audits.length === 0 ? 0 : audits.reduce((s, a) => s + (a.timeline[i] ?? 0), 0) / audits.length,
    ),
  };
  return { fromMs, toMs, devices: audits, total, notes: [...AUDIT_NOTES] };
}

/** The median of the devices' intervals (the middle device's rate), ms. */
function medianIntervalOfDevices(intervals: number[]): number | undefined {
  const sorted = intervals.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summarizeGaps(holes: readonly [number, number][]): GapSummary {
  let totalMs = 0;
  let longestMs = 0;
  for (const [start, end] of holes) {
    totalMs += end - start;
    longestMs = Math.max(longestMs, end - start);
  }
  return { count: holes.length, totalMs, longestMs };
}

/** Covered fraction of each slice of the range: its samples over the slots the nominal interval gives it. */
function timeline(
  times: Float64Array,
  fromMs: number,
  toMs: number,
  intervalMs: number | undefined,
): number[] {
  const counts = new Array<number>(TIMELINE_BUCKETS).fill(0);
  if (intervalMs === undefined) return counts;
  const width = (toMs - fromMs) / TIMELINE_BUCKETS;
  for (const t of times) {
    const bucket = Math.min(TIMELINE_BUCKETS - 1, Math.floor((t - fromMs) / width));
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  return counts.map((n) => Math.min(1, n / (width / intervalMs)));
}

// writeUnits() sizes an item; the audit knows only each item's size, so it passes an item of exactly that
// many bytes: attribute name `b` (1 byte) + a binary value of `bytes - 1` bytes (a view, nothing copied).
const SIZED = new Uint8Array(400 * 1024);

/** Write units of one put of an item of `bytes` bytes, by the codec's `writeUnits`. */
export function writeUnitsOfBytes(bytes: number): number {
  return writeUnits({ b: { B: SIZED.subarray(0, Math.max(0, Math.min(SIZED.length, bytes - 1))) } });
}

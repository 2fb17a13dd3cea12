/** Text of the hover readout: times in UTC and local time, values in g. Pure formatting. */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-12-04 10:00:05.120 UTC` for an epoch ms. */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`;
}

/**
 * `2026-12-04 11:00:05.120 UTC+01:00` for an epoch ms, in the zone whose offset `offsetMinutes` gives
 * (default the runtime's local zone; the offset is minutes east of UTC, the sign opposite to
 * `Date.getTimezoneOffset`).
 */
export function formatLocal(ms: number, offsetMinutes = -new Date(ms).getTimezoneOffset()): string {
  const shifted = formatUtc(ms + offsetMinutes * 60_000).slice(0, -4);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${shifted} UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A value in g with 3 decimals (the store's 1 mg grid), or `no data` for a missing one. */
export function formatG(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'no data'
    : `${value.toFixed(3)} g`;
}

/** An envelope bucket's `min … max` in g, or a raw value, for one pane's line of the readout. */
export function formatPaneValue(values: ReadonlyArray<number | null | undefined>): string {
  if (values.length >= 2) {
    const [lo, hi] = values;
    if (lo === null || lo === undefined || hi === null || hi === undefined) return 'no data';
    return `${formatG(lo)} … ${formatG(hi)}`;
  }
  return formatG(values[0]);
}

/** A span length as `15 min`, `2 h 5 min`, `1.5 s`, `120 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

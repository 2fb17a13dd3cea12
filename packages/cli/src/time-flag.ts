import { ArgumentError } from './errors.js';

/** Latest time accepted, epoch ms: the end of year 9999 UTC, what ISO-8601 with a 4-digit year can say. */
export const MAX_TIME_MS = Date.UTC(10_000, 0, 1);

const EPOCH_MS = /^\d{1,16}$/;
// `now`, or now minus or plus a whole number of s, m, h or d: `now-15m`, `now+1h`.
const RELATIVE = /^now(?:([+-])(\d{1,9})([smhd]))?$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// A date, or a date and time with an explicit zone (Z or ±hh:mm), so a time never depends on the machine's zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a time flag: epoch milliseconds (`1733300000000`), ISO-8601 with a zone (`2024-12-04T08:00:00Z`,
 * `2024-12-04T09:00+01:00`), a date alone (`2024-12-04`, midnight UTC), or `now` / `now-<n><s|m|h|d>` / `now+<n><s|m|h|d>`.
 *
 * @param flag - The flag, e.g. `--from`, named in the error.
 * @param raw - Its text.
 * @param nowMs - What `now` means, epoch ms. Default `Date.now()`.
 * @returns Epoch ms, an integer in [0, {@link MAX_TIME_MS}].
 * @throws {ArgumentError} naming the flag for any other text, a local time without a zone, an impossible
 *   date (`2024-02-30`) or a time out of range.
 */
export function parseTimeFlag(flag: string, raw: string, nowMs: number = Date.now()): number {
  const text = raw.trim();
  const relative = RELATIVE.exec(text);
  let ms: number;
  if (relative !== null) {
    const [, sign, count, unit] = relative;
    const offset = count === undefined ? 0 : Number(count) * (UNIT_MS[unit as string] as number);
    ms = sign === '+' ? nowMs + offset : nowMs - offset;
  } else if (EPOCH_MS.test(text)) ms = Number(text);
  else if (ISO_8601.test(text)) {
    ms = realDate(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
  } else ms = Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_TIME_MS) {
    throw new ArgumentError(
      flag,
      `${flag} must be epoch ms, an ISO-8601 time with a zone (e.g. 2024-12-04T08:00:00Z) or now[±<n>s|m|h|d], got ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}

/** False for an impossible calendar date such as 2024-02-30, which `Date.parse` would roll over to March. */
function realDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Formats epoch ms as ISO-8601 UTC with milliseconds, e.g. `2024-12-04T08:00:00.020Z`.
 *
 * @param ms - Epoch ms.
 */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

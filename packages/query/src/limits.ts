/** Default number of envelope buckets (a chart's width in pixels), and the raw/envelope threshold of `mode=auto`. */
export const DEFAULT_MAX_POINTS = 1600;

/** Largest accepted `maxPoints`: Prometheus caps a series at 11,000 points for the same reason, a chart cannot show more. */
export const MAX_POINTS_LIMIT = 11_000;

/**
 * Longest range `mode=raw` accepts, in ms (10 minutes: 30,000 samples at 50 Hz, 60,000 at 100 Hz). Longer
 * ranges are refused before reading, with `RANGE_TOO_LARGE_FOR_RAW`: ask for an envelope instead.
 */
export const RAW_MAX_RANGE_MS = 10 * 60 * 1000;

/**
 * Most samples one raw response carries (about 35 bytes each in JSON, so about 700 KB, well under a
 * Function URL's 6 MB response limit). The rest of the range follows with `nextCursor`.
 */
export const RAW_PAGE_SAMPLES = 20_000;

/** Most gaps one response lists; past it `gapsTruncated` is true (a series with more holes than pixels). */
export const MAX_GAPS = 10_000;

/** Sample times the nominal interval is estimated from (the codec's median over the first 1,024 intervals). */
export const INTERVAL_ESTIMATE_SAMPLES = 1025;

/** Default step of `GET /api/devices/{deviceId}/quality`, ms (one minute). */
export const DEFAULT_QUALITY_STEP_MS = 60_000;

/** Most steps one quality response holds (a day of one-minute steps); longer ranges need a longer `step`. */
export const MAX_QUALITY_STEPS = 1440;

/**
 * Rows per DynamoDB `Query` page `createStoreSource` reads by default: about 200 KB of one-second 50 Hz rows.
 * DynamoDB's own 1 MB pages hold about 4,800 such rows, whose decoded items all live until the page is
 * done: a day's envelope peaked at 71 MB above baseline with them, 33 MB with 1,000-row pages (read bench).
 */
export const STORE_PAGE_ROWS = 1000;

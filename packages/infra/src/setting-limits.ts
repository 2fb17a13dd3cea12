/** An inclusive integer range; `also` lists single values accepted outside it (e.g. -1 for "no limit"). */
export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
  readonly also?: readonly number[];
}

/**
 * The values each numeric stack setting accepts: what AWS accepts for the stream, the event source mapping
 * and the function. `windowSeconds` and `ttlSeconds` only need to be integers here: the consumer's own
 * `loadConfig` decides the rest when the stack checks the function's environment.
 */
export const NUMERIC_SETTINGS = {
  /** Shards (provisioned); the top is the account's shard quota, not a fixed number. */
  shardCount: { min: 1 },
  /** Kinesis retention, hours. */
  streamRetentionHours: { min: 24, max: 8_760 },
  /** Records per invocation. */
  batchSize: { min: 1, max: 10_000 },
  /** Batching window, seconds. */
  batchingWindowSeconds: { min: 0, max: 300 },
  /** Retries of a failed batch; -1: no limit. */
  maximumRetryAttempts: { min: 0, max: 10_000, also: [-1] },
  /** Record age before the on-failure destination, seconds; -1 (no limit) is refused by the retention check. */
  maximumRecordAgeSeconds: { min: 60, max: 604_800, also: [-1] },
  /** Concurrent batches per shard. */
  parallelizationFactor: { min: 1, max: 10 },
  /** Function memory, MB. */
  memorySize: { min: 128, max: 10_240 },
  /** Function timeout, seconds. */
  timeoutSeconds: { min: 1, max: 900 },
  /** `WINDOW_SECONDS`; the consumer accepts only the codec's window lengths. */
  windowSeconds: { min: 0 },
  /** `TTL_SECONDS`; the consumer requires at least 1. */
  ttlSeconds: { min: 0 },
  /** Iterator-age alarm threshold, ms. */
  iteratorAgeAlarmMs: { min: 1 },
} as const satisfies Record<string, IntegerRange>;

/** Name of a numeric setting; also its CDK context key. */
export type NumericSetting = keyof typeof NUMERIC_SETTINGS;

/** Every numeric setting, in the order {@link NUMERIC_SETTINGS} lists them (the context reader and `Ingest` check each). */
export const NUMERIC_SETTING_NAMES = Object.keys(NUMERIC_SETTINGS) as readonly NumericSetting[];

/**
 * The least time, in seconds, between a batch reaching its maximum record age (when Lambda gives it to the
 * on-failure queue) and the stream trimming its records: the time left to replay it with `secondrow-replay`.
 * Twelve hours covers a night before the records are gone.
 */
export const MIN_REPLAY_MARGIN_SECONDS = 12 * 3_600;

/**
 * Why `value` is not accepted for `setting`, or `undefined` when it is.
 *
 * @returns A sentence naming the setting, the accepted range and the value.
 */
export function integerSettingProblem(setting: NumericSetting, value: number): string | undefined {
  const range: IntegerRange = NUMERIC_SETTINGS[setting];
  if (range.also?.includes(value)) return undefined;
  const inRange = value >= range.min && (range.max === undefined || value <= range.max);
  if (Number.isSafeInteger(value) && inRange) return undefined;
  return `${setting} must be ${describeRange(range)}, got ${value}`;
}

/** The range in words, e.g. `an integer in 0..10000 (or -1)`. */
export function describeRange(range: IntegerRange): string {
  const span = range.max === undefined ? `>= ${range.min}` : `in ${range.min}..${range.max}`;
  const also = range.also === undefined ? '' : ` (or ${range.also.join(', ')})`;
  return `an integer ${span}${also}`;
}

/**
 * Why a maximum record age does not leave time to replay a failed batch before the stream trims it, or
 * `undefined` when it does: it must be a limit (not -1) at least {@link MIN_REPLAY_MARGIN_SECONDS} below
 * the retention.
 *
 * @param maximumRecordAgeSeconds - The mapping's maximum record age, seconds.
 * @param streamRetentionHours - The stream's retention, hours.
 */
export function recordAgeProblem(
  maximumRecordAgeSeconds: number,
  streamRetentionHours: number,
): string | undefined {
  const retentionSeconds = streamRetentionHours * 3_600;
  const limit = retentionSeconds - MIN_REPLAY_MARGIN_SECONDS;
  if (maximumRecordAgeSeconds !== -1 && maximumRecordAgeSeconds <= limit) return undefined;
  const age = maximumRecordAgeSeconds === -1 ? '-1 (no limit)' : String(maximumRecordAgeSeconds);
  return (
    `maximumRecordAgeSeconds (${age}) must be at most streamRetentionHours (${streamRetentionHours}) ` +
    `minus ${MIN_REPLAY_MARGIN_SECONDS / 3_600} h, i.e. <= ${limit}: otherwise the stream trims records ` +
    'Lambda is still retrying, and they are lost without an on-failure message to replay them from'
  );
}

/**
 * The Kinesis event source mapping settings this consumer is built for. The CDK stack deploys them and the
 * local event-source runner uses them by default, so what is tested locally is what runs on AWS.
 *
 * The failure policy they serve: the handler acknowledges records whose samples are stored or quarantined
 * and reports every other record in `batchItemFailures`. What it reports is recoverable (throttling, 5xx,
 * resets, the deadline), so retries must not run out while the records are still in the stream: Lambda
 * retries for ever (`maximumRetryAttempts: -1`) and gives a batch to the on-failure destination only when
 * its records are older than `maximumRecordAgeSeconds`, a day before the stream's retention would trim them,
 * which leaves a day to replay them from the failure record (`secondrow-replay`).
 */
export interface EventSourceMappingSettings {
  /** Records per invocation (1..10,000). */
  readonly batchSize: number;
  /** Seconds Lambda gathers records before invoking (0..300). */
  readonly batchingWindowSeconds: number;
  /** Split a batch whose invocation failed in two before retrying; a split does not use a retry. */
  readonly bisectBatchOnFunctionError: boolean;
  /** Retries of a failed batch before it goes to the on-failure destination; -1: no limit. */
  readonly maximumRetryAttempts: number;
  /** Records older than this many seconds go to the on-failure destination (60..604,800; -1: no limit). */
  readonly maximumRecordAgeSeconds: number;
  /** Stream retention in hours (24..8,760). */
  readonly streamRetentionHours: number;
  /** Concurrent batches per shard (1..10); 1 keeps each shard's records in order. */
  readonly parallelizationFactor: number;
}

/** Seconds in a day. */
const DAY_SECONDS = 86_400;

/**
 * Defaults of the stack and the local runner: batches of up to 500 records gathered for up to 1 s, bisect on
 * error, unlimited retries, records kept 7 days in the stream and given up after 6 (a day to replay them).
 */
export const EVENT_SOURCE_MAPPING: EventSourceMappingSettings = Object.freeze({
  batchSize: 500,
  batchingWindowSeconds: 1,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: 6 * DAY_SECONDS,
  streamRetentionHours: 7 * 24,
  parallelizationFactor: 1,
});

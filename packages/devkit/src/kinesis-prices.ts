/**
 * Amazon Kinesis Data Streams prices and limits for dollar estimates, in USD for one region. Prices change:
 * every figure built on them should say which {@link KinesisPrices.checked} date it used, and let users pass
 * their own.
 */
export interface KinesisPrices {
  /** Region the prices apply to. */
  region: string;
  /** When the prices were last checked (ISO date). */
  checked: string;
  /** Where they were checked, and what could not be confirmed. */
  source: string;
  /** Provisioned: USD per shard-hour. */
  shardHourUsd: number;
  /** Provisioned: USD per million PUT payload units ({@link KinesisPrices.putPayloadUnitBytes} chunks of a record). */
  putPayloadUnitsUsdPerMillion: number;
  /** Provisioned: USD per shard-hour of extended retention (retention beyond 24 h, up to 7 days). */
  extendedRetentionShardHourUsd: number;
  /** On-demand: USD per stream-hour. */
  onDemandStreamHourUsd: number;
  /** On-demand: USD per GB written (each record rounded up to {@link KinesisPrices.onDemandRecordRoundingBytes}). */
  onDemandIngestUsdPerGb: number;
  /** On-demand: USD per GB read by consumers (shared-throughput reads, such as Lambda's). */
  onDemandRetrievalUsdPerGb: number;
  /** On-demand: USD per GB-month stored beyond 24 h (extended retention, up to 7 days). */
  onDemandExtendedRetentionUsdPerGbMonth: number;
  /** Size of one PUT payload unit, bytes (25 KB). */
  putPayloadUnitBytes: number;
  /** On-demand metering rounds each record up to this many bytes (1 KB). */
  onDemandRecordRoundingBytes: number;
  /** Write limit of one provisioned shard, records per second. */
  shardRecordsPerSecond: number;
  /** Write limit of one provisioned shard, bytes per second (1 MB). */
  shardBytesPerSecond: number;
  /** Shards an on-demand stream starts with (4 MB/s of writes), which Lambda polls in parallel. */
  onDemandInitialShards: number;
}

/**
 * Kinesis Data Streams list prices in us-east-1, checked 2026-12-04: provisioned $0.015 per shard-hour,
 * $0.014 per million 25 KB PUT payload units, $0.020 per shard-hour of extended retention; on-demand
 * $0.04 per stream-hour, $0.08 per GB in (records rounded up to 1 KB), $0.04 per GB out, $0.10 per GB-month
 * of extended retention. A shard takes 1,000 records/s or 1 MB/s of writes.
 */
export const KINESIS_PRICES: Readonly<KinesisPrices> = Object.freeze({
  region: 'us-east-1',
  checked: '2026-12-04',
  source:
    'aws.amazon.com/kinesis/data-streams/pricing: confirmed the billing rules (25 KB PUT payload units, on-demand ' +
    'data in billed per GB with each record rounded up to 1 KB, extended retention beyond 24 h, a shard takes ' +
    '1,000 records/s or 1 MB/s); the dollar rates are the long-standing us-east-1 list prices, not re-read from ' +
    'an AWS page in this check (the stored copy of the page did not show them)',
  shardHourUsd: 0.015,
  putPayloadUnitsUsdPerMillion: 0.014,
  extendedRetentionShardHourUsd: 0.02,
  onDemandStreamHourUsd: 0.04,
  onDemandIngestUsdPerGb: 0.08,
  onDemandRetrievalUsdPerGb: 0.04,
  onDemandExtendedRetentionUsdPerGbMonth: 0.1,
  putPayloadUnitBytes: 25 * 1024,
  onDemandRecordRoundingBytes: 1024,
  shardRecordsPerSecond: 1000,
  shardBytesPerSecond: 1024 * 1024,
  onDemandInitialShards: 4,
});

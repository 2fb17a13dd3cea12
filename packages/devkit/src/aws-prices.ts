import type { itemSize } from '@secondrow/codec';

/**
 * DynamoDB prices for dollar estimates, in USD, for one region and the Standard table class. Prices change:
 * every figure built on them should say which {@link Prices.checked} date it used, and let users pass their own.
 */
export interface Prices {
  /** Region the prices apply to. */
  region: string;
  /** When the prices were last checked against AWS (ISO date). */
  checked: string;
  /** Where they were checked. */
  source: string;
  /** On-demand: USD per million write request units. */
  onDemandWriteUsdPerMillion: number;
  /** On-demand: USD per million read request units. */
  onDemandReadUsdPerMillion: number;
  /** Storage: USD per GB-month (beyond the 25 GB free tier, which is ignored). */
  storageUsdPerGbMonth: number;
  /** Provisioned: USD per WCU-hour. */
  provisionedWcuUsdPerHour: number;
  /** Provisioned: USD per RCU-hour. */
  provisionedRcuUsdPerHour: number;
}

/**
 * DynamoDB list prices in us-east-1 (Standard table class), checked 2026-11-26. On-demand throughput was halved on 2024-11-01 (to $0.625 per million
 * WRU and $0.125 per million RRU); storage $0.25 per GB-month; provisioned $0.00065 per WCU-hour and
 * $0.00013 per RCU-hour (unchanged by the 2024 cut).
 */
export const DYNAMODB_PRICES: Readonly<Prices> = Object.freeze({
  region: 'us-east-1',
  checked: '2026-11-26',
  source:
    'aws.amazon.com/dynamodb/pricing (storage $0.25/GB-month); on-demand after the 2024-11-01 50% cut as quoted by ' +
    'airbyte.com/data-engineering-resources/dynamodb-pricing and jusdb.com; provisioned rates are the long-standing ' +
    'us-east-1 list prices (not re-read from an AWS page in this check)',
  onDemandWriteUsdPerMillion: 0.625,
  onDemandReadUsdPerMillion: 0.125,
  storageUsdPerGbMonth: 0.25,
  provisionedWcuUsdPerHour: 0.00065,
  provisionedRcuUsdPerHour: 0.00013,
});

/** Hours in the month AWS uses for monthly estimates (730 = 8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Bytes in the GB DynamoDB bills storage by (a GiB). */
export const BYTES_PER_GB = 1024 ** 3;

/** DynamoDB's storage overhead per item, bytes: indexing metadata billed with every item on top of {@link itemSize}. */
export const ITEM_STORAGE_OVERHEAD_BYTES = 100;

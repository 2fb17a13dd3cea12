/**
 * Amazon SQS prices for dollar estimates (the consumer's on-failure queue), in USD for one region.
 * Prices change: every figure built on them should say which {@link SqsPrices.checked} date it used.
 */
export interface SqsPrices {
  /** Region the prices apply to. */
  region: string;
  /** When the prices were last checked (ISO date). */
  checked: string;
  /** Where they were checked, and what could not be confirmed. */
  source: string;
  /** Standard queue: USD per million requests (first 100 billion a month; free tier ignored). */
  standardRequestsUsdPerMillion: number;
  /** Each request is billed per chunk of this many bytes of payload (64 KB). */
  requestChunkBytes: number;
}

/**
 * SQS list prices in us-east-1, checked 2026-12-04: standard queues $0.40 per million requests, each 64 KB
 * chunk of a payload a request.
 */
export const SQS_PRICES: Readonly<SqsPrices> = Object.freeze({
  region: 'us-east-1',
  checked: '2026-12-04',
  source:
    'aws.amazon.com/sqs/pricing; the rate $0.40/M standard requests and the 64 KB chunk rule as quoted by ' +
    'cloudburn.io/blog/amazon-sqs-pricing (us-east-1, March 2026) and factualminds.com, not read from an AWS ' +
    'page in this check',
  standardRequestsUsdPerMillion: 0.4,
  requestChunkBytes: 64 * 1024,
});

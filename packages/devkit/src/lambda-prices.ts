/**
 * AWS Lambda prices for dollar estimates, in USD for one region and one architecture. Prices change: every
 * figure built on them should say which {@link LambdaPrices.checked} date it used, and let users pass their own.
 */
export interface LambdaPrices {
  /** Region the prices apply to. */
  region: string;
  /** When the prices were last checked (ISO date). */
  checked: string;
  /** Where they were checked, and what could not be confirmed. */
  source: string;
  /** Architecture the duration price is for (`arm64`, as the stack deploys the consumer). */
  architecture: string;
  /** USD per million requests (invocations). */
  requestsUsdPerMillion: number;
  /** USD per GB-second of duration (first tier; memory in GB × billed seconds, rounded up to 1 ms). */
  gbSecondUsd: number;
}

/**
 * Lambda list prices in us-east-1 for arm64, checked 2026-12-04: $0.20 per million requests and
 * $0.0000133334 per GB-second (the first 7.5 billion GB-seconds a month); free tier ignored.
 */
export const LAMBDA_PRICES: Readonly<LambdaPrices> = Object.freeze({
  region: 'us-east-1',
  checked: '2026-12-04',
  source:
    'aws.amazon.com/lambda/pricing (request and 1 ms duration billing); the rates $0.20/M requests and ' +
    '$0.0000133334/GB-s for arm64 as quoted by cloudchipr.com/blog/aws-lambda-pricing (us-east-1 tiers) and ' +
    'other third-party pages, not read from an AWS page in this check',
  architecture: 'arm64',
  requestsUsdPerMillion: 0.2,
  gbSecondUsd: 0.0000133334,
});

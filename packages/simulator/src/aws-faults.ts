import type { LocalFaultOptions } from '@secondrow/local';
import { InvalidSimulatorOptionError } from './errors.js';

/**
 * What the demo's local AWS does wrong on purpose, so the pipeline meets AWS's failure modes before AWS does:
 * DynamoDB throttling, 5xx and connection resets (before and after the write was applied) plus latency on the
 * consumer's requests, and Kinesis's per-shard write limits. The rates are per request, exclusive outcomes of
 * one draw (their sum is at most 1).
 */
export interface AwsFaults {
  /** Probability a DynamoDB request is throttled (`ProvisionedThroughputExceededException`). */
  throttle: number;
  /** Probability the connection is reset before DynamoDB sees the request (nothing applied). */
  resetBefore: number;
  /** Probability the connection is reset after DynamoDB applied the request (the answer is lost). */
  resetAfter: number;
  /** Probability of a 500 / 503. */
  serverError: number;
  /** Latency added to every DynamoDB request, ms. */
  latencyMs: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs) per request, ms. */
  latencyJitterMs: number;
  /** Enforce Kinesis's per-shard 1 MiB/s and 1,000 records/s write limits and its record and request sizes. */
  kinesisLimits: boolean;
}

/** The demo's defaults: 5 % throttling, 2 % resets before and 2 % after the write, 2 ms plus up to 3 ms, Kinesis limits on. */
export const DEFAULT_AWS_FAULTS: Readonly<AwsFaults> = Object.freeze({
  throttle: 0.05,
  resetBefore: 0.02,
  resetAfter: 0.02,
  serverError: 0,
  latencyMs: 2,
  latencyJitterMs: 3,
  kinesisLimits: true,
});

/** Every AWS fault off (the base that rate flags add to after `--faults off`). */
export const NO_AWS_FAULTS: Readonly<AwsFaults> = Object.freeze({
  throttle: 0,
  resetBefore: 0,
  resetAfter: 0,
  serverError: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  kinesisLimits: false,
});

/**
 * The DynamoDB operations of the consumer's store; the faults hit only these, so table set-up and the
 * demo's read-back (Query) see a healthy table and verify what was stored, not the faults.
 */
export const CONSUMER_OPERATIONS: readonly string[] = ['PutItem', 'GetItem'];

/**
 * Checks AWS fault settings.
 *
 * @throws {InvalidSimulatorOptionError} naming the field for a rate outside [0, 1], rates summing above 1,
 *   or a negative or non-finite latency.
 */
export function checkAwsFaults(faults: AwsFaults): void {
  let sum = 0;
  for (const name of ['throttle', 'resetBefore', 'resetAfter', 'serverError'] as const) {
    const rate = faults[name];
    if (!(rate >= 0 && rate <= 1)) {
      throw new InvalidSimulatorOptionError(name, `${name} must be a probability in [0, 1], got ${rate}`);
    }
    sum += rate;
  }
  if (sum > 1 + 1e-9) {
    throw new InvalidSimulatorOptionError(
      'awsFaults',
      `throttle, resets and server errors are exclusive outcomes of a request and must sum to at most 1, got ${sum}`,
    );
  }
  for (const name of ['latencyMs', 'latencyJitterMs'] as const) {
    const value = faults[name];
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new InvalidSimulatorOptionError(name, `${name} must be a finite number of ms >= 0, got ${value}`);
    }
  }
}

/**
 * The `startLocalAws` proxy settings for `faults`: DynamoDB faults on the consumer's operations, Kinesis
 * limits when asked (else a Kinesis proxy with no limit AWS would not have hit anyway: no proxy at all).
 *
 * @param seed - Seed of the proxies' fault draws, so a run replays (as far as request order allows).
 */
export function toLocalFaultOptions(faults: AwsFaults, seed: number): LocalFaultOptions {
  return {
    dynamodb: {
      seed,
      faults: {
        throttle: faults.throttle,
        resetBeforeUpstream: faults.resetBefore,
        resetAfterUpstream: faults.resetAfter,
        serverError: faults.serverError,
        latencyMs: faults.latencyMs,
        latencyJitterMs: faults.latencyJitterMs,
        operations: CONSUMER_OPERATIONS,
      },
    },
    kinesis: faults.kinesisLimits ? { seed } : false,
  };
}

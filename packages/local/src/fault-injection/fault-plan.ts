import { InvalidProxyOptionError } from '../errors.js';
import type { RandomSource } from './random.js';

/**
 * Per-request fault rates and latency of a proxy. Each rate is the probability, in [0, 1], that one
 * request gets that fault; the four rates are exclusive outcomes of one draw, so their sum must be ≤ 1.
 */
export interface FaultOptions {
  /** Answer 400 with the service's throttling error instead of forwarding. Default 0. */
  throttle?: number;
  /** Answer 500 or 503 (half each) with the service's JSON error shape instead of forwarding. Default 0. */
  serverError?: number;
  /** Destroy the client's socket before anything reaches the upstream: nothing is applied. Default 0. */
  resetBeforeUpstream?: number;
  /**
   * Forward the request, let the upstream apply it, then discard the answer and destroy the client's
   * socket: the client sees a reset although the write happened. Default 0.
   */
  resetAfterUpstream?: number;
  /** Delay added before every request of a matching operation, in ms. Default 0. */
  latencyMs?: number;
  /** Extra delay drawn uniformly from [0, latencyJitterMs) per request, in ms. Default 0. */
  latencyJitterMs?: number;
  /**
   * Operation names (the part of `X-Amz-Target` after the dot, e.g. `PutItem`) that get faults and
   * latency; other operations pass untouched. Default: every operation.
   */
  operations?: readonly string[];
}

/** The fault chosen for one request; `latencyMs` applies whatever the kind. */
export interface FaultDecision {
  /** The exclusive fault, or `undefined` to forward normally. */
  readonly kind: 'throttle' | 'serverError' | 'resetBeforeUpstream' | 'resetAfterUpstream' | undefined;
  /** HTTP status of a `serverError`: 500 or 503. */
  readonly serverStatus: 500 | 503;
  /** Delay before handling the request, in ms. */
  readonly latencyMs: number;
}

const RATE_NAMES = ['throttle', 'serverError', 'resetBeforeUpstream', 'resetAfterUpstream'] as const;

/**
 * Checks fault options and returns them with defaults filled in.
 *
 * @param options - The options to check.
 * @param prefix - Option path used in error messages, e.g. `faults`.
 * @returns Complete options.
 * @throws InvalidProxyOptionError when a rate is not in [0, 1], the rates sum above 1, a latency is
 *   negative or not finite, or `operations` holds something other than non-empty strings.
 */
export function validateFaultOptions(options: FaultOptions, prefix = 'faults'): Required<FaultOptions> {
  let sum = 0;
  for (const name of RATE_NAMES) {
    const rate = options[name] ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new InvalidProxyOptionError(
        `${prefix}.${name}`,
        `must be a probability in [0, 1], got ${String(rate)}`,
      );
    }
    sum += rate;
  }
  if (sum > 1 + 1e-9) {
    throw new InvalidProxyOptionError(
      prefix,
      `fault rates are exclusive outcomes and must sum to at most 1, got ${sum}`,
    );
  }
  for (const name of ['latencyMs', 'latencyJitterMs'] as const) {
    const value = options[name] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidProxyOptionError(
        `${prefix}.${name}`,
        `must be a finite number of ms ≥ 0, got ${String(value)}`,
      );
    }
  }
  const operations = options.operations ?? [];
  if (!Array.isArray(operations) || operations.some((op) => typeof op !== 'string' || op === '')) {
    throw new InvalidProxyOptionError(`${prefix}.operations`, 'must be a list of non-empty operation names');
  }
  return {
    throttle: options.throttle ?? 0,
    serverError: options.serverError ?? 0,
    resetBeforeUpstream: options.resetBeforeUpstream ?? 0,
    resetAfterUpstream: options.resetAfterUpstream ?? 0,
    latencyMs: options.latencyMs ?? 0,
    latencyJitterMs: options.latencyJitterMs ?? 0,
    operations: [...operations],
  };
}

const NO_FAULT: FaultDecision = { kind: undefined, serverStatus: 500, latencyMs: 0 };

/**
 * Draws the fault of one request. Pure apart from `random`: the same options and the same random
 * sequence give the same decisions, so a seeded run replays exactly.
 *
 * @param options - Validated options (see {@link validateFaultOptions}).
 * @param operation - Operation name of the request.
 * @param random - Uniform source in [0, 1); drawn once for the kind, once more for a server error's
 *   status and once more when there is jitter. Not drawn at all for an operation outside the filter.
 */
export function drawFault(
  options: Required<FaultOptions>,
  operation: string,
  random: RandomSource,
): FaultDecision {
  if (options.operations.length > 0 && !options.operations.includes(operation)) return NO_FAULT;
  const u = random();
  let kind: FaultDecision['kind'];
  let edge = 0;
  for (const name of RATE_NAMES) {
    edge += options[name];
    if (u < edge) {
      kind = name;
      break;
    }
  }
  const serverStatus = kind === 'serverError' && random() >= 0.5 ? 503 : 500;
  const jitter = options.latencyJitterMs > 0 ? random() * options.latencyJitterMs : 0;
  return { kind, serverStatus, latencyMs: options.latencyMs + jitter };
}

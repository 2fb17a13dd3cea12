import { DEFAULT_CONFIG } from './config.js';

/** Largest delay `AbortSignal.timeout` (a Node timer) accepts without firing at once, ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The write deadline of an invocation, epoch ms (an integer): `startedAt + remaining - margin`, where the
 * margin is at most half the remaining time (a margin larger than the time left would fail every row at
 * once and retry the batch forever).
 *
 * @param startedAt - When the invocation started, epoch ms.
 * @param remaining - Lambda's remaining time, ms (`getRemainingTimeInMillis()`); not finite means none.
 * @param marginMs - Time kept back for answering Lambda, ms. Default 1000.
 * @returns The deadline, or `undefined` when there is no remaining time to go by.
 */
export function writeDeadline(
  startedAt: number,
  remaining: number | undefined,
  marginMs: number = DEFAULT_CONFIG.deadlineMarginMs,
): number | undefined {
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return undefined;
  const left = Math.max(0, Math.floor(remaining));
  return Math.floor(startedAt) + left - Math.min(Math.max(0, Math.floor(marginMs)), Math.floor(left / 2));
}

/**
 * An abort signal that fires at `deadline`, for requests that must not outlive the invocation.
 * `AbortSignal.timeout` takes a whole number of ms up to a timer's limit; the delay is clamped to
 * [1, 2^31 - 1] ms.
 *
 * @param deadline - Epoch ms, or `undefined` for no deadline (then no signal).
 * @param now - Clock, epoch ms.
 */
export function abortAt(deadline: number | undefined, now: () => number): AbortSignal | undefined {
  if (deadline === undefined) return undefined;
  const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(deadline - now())));
  return AbortSignal.timeout(delay);
}

import { RequestError } from './errors.js';
import { MAX_QUALITY_STEPS } from './limits.js';

/**
 * Parses a quality step parameter (the quality route's `step`, the samples route's `qualityStep`): whole
 * seconds in [1, 86,400] giving at most {@link MAX_QUALITY_STEPS} steps over `[fromMs, toMs)`.
 *
 * @param name - the parameter's name, for the error.
 * @returns the step, ms.
 * @throws {RequestError} `INVALID_STEP` (400) naming the parameter: malformed, out of range, or too many steps.
 */
export function parseStepParam(name: string, text: string, fromMs: number, toMs: number): number {
  const seconds = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 1 && seconds <= 86_400)) {
    throw new RequestError(
      'INVALID_STEP',
      400,
      `${name} must be whole seconds in [1, 86400], got ${JSON.stringify(text.slice(0, 32))}`,
      { parameter: name },
    );
  }
  const stepMs = seconds * 1000;
  const steps = Math.ceil((toMs - fromMs) / stepMs);
  if (steps > MAX_QUALITY_STEPS) {
    throw new RequestError(
      'INVALID_STEP',
      400,
      `${steps} steps of ${seconds} s; at most ${MAX_QUALITY_STEPS}: use a ${name} of at least ${Math.ceil((toMs - fromMs) / MAX_QUALITY_STEPS / 1000)} s`,
      { parameter: name },
    );
  }
  return stepMs;
}

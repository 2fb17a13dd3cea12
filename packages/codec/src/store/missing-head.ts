import { medianIntervalMs } from '../gaps.js';
import type { Row } from '../types.js';

/**
 * True when the row's samples start noticeably after its window start (more than 1.5 nominal intervals):
 * the typical shape of the second half of a second that was split across two batches, whose first half is
 * probably stored already. Used only to choose which request to try first, never for correctness.
 */
export function isMissingHead(row: Row): boolean {
  const first = row.samples[0];
  if (first === undefined) return false;
  const intervalMs = medianIntervalMs(row.samples.map((s) => s.t));
  return intervalMs !== undefined && first.t - row.startMs > 1.5 * intervalMs;
}

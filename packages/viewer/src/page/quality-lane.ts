import type { QualityStepBody, QualitySummary } from '@secondrow/query';
import type { Gap } from './gap-shading.js';
import type { TimeRange } from './time-range.js';

/**
 * The whole UTC seconds of `[fromMs, toMs)` that lie inside a gap, merged into `[startMs, endMs)` runs:
 * the quality lane's "missing" marks. A second counts when the gap covers all of it that the range
 * touches, so at the range's edges a partly shown second still counts.
 */
export function missingSeconds(gaps: readonly Gap[], fromMs: number, toMs: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const [gapStart, gapEnd] of gaps) {
    const a = Math.max(gapStart, fromMs);
    const b = Math.min(gapEnd, toMs);
    if (b <= a) continue;
    // First second whose shown part starts inside the gap; last one whose shown part ends inside it.
    const first = a === fromMs ? Math.floor(a / 1000) * 1000 : Math.ceil(a / 1000) * 1000;
    const last = b === toMs ? Math.ceil(b / 1000) * 1000 : Math.floor(b / 1000) * 1000;
    if (last <= first) continue;
    const previous = runs.at(-1);
    if (previous !== undefined && previous[1] >= first) previous[1] = Math.max(previous[1], last);
    else runs.push([first, last]);
  }
  return runs;
}

/** Seconds in the runs of {@link missingSeconds}. */
export function countSeconds(runs: ReadonlyArray<readonly [number, number]>): number {
  let total = 0;
  for (const [a, b] of runs) total += (b - a) / 1000;
  return total;
}

/**
 * What the lane's legend says of late and duplicate samples. Duplicates and conflicts are never measured
 * by the API (the table does not keep them: `null`, never zero); lateness (sample time → first written, per
 * row) is shown as its percentiles in ms when the rows record their write times, else said to be unmeasured.
 */
export function lateDuplicateNote(quality: QualitySummary): string {
  const late = quality.latenessMs;
  const lateness =
    late === null
      ? 'lateness: not measured'
      : `lateness p50 ${delayText(late.p50)}, p95 ${delayText(late.p95)}, max ${delayText(late.max)} (${late.rows} rows)`;
  return `${lateness}; duplicates: not measured by this API`;
}

/** A delay in ms as a short text: ms below 1 s, then s, min or h with one decimal. */
export function delayText(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Most quality steps the API answers for one range (the query's `MAX_QUALITY_STEPS`). */
export const QUALITY_MAX_STEPS = 1440;

/**
 * A quality step counts as late when its slowest row was first written more than this long after its
 * earliest sample time, ms (the step's `latenessMs.max`): well past the consumer's batching delay.
 */
export const LATE_AFTER_MS = 10_000;

/**
 * The samples request's `qualityStep` for a range, whole seconds (1 to 86,400): about one step per lane pixel
 * (`widthPx`), and never more than {@link QUALITY_MAX_STEPS} steps.
 */
export function qualityStepSeconds(range: TimeRange, widthPx: number): number {
  const steps = Math.max(1, Math.min(QUALITY_MAX_STEPS, Math.floor(widthPx) || 1));
  return Math.min(86_400, Math.max(1, Math.ceil((range.toMs - range.fromMs) / steps / 1000)));
}

/**
 * The quality lane's "late" marks: the `[from, to)` spans (epoch ms) of the quality steps whose
 * `latenessMs.max` exceeds `afterMs`, adjacent ones merged. Steps with unmeasured lateness are not late.
 */
export function lateRuns(
  steps: ReadonlyArray<Pick<QualityStepBody, 'from' | 'to' | 'latenessMs'>>,
  afterMs: number = LATE_AFTER_MS,
): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const step of steps) {
    if (step.latenessMs === null || !(step.latenessMs.max > afterMs)) continue;
    const previous = runs.at(-1);
    if (previous !== undefined && previous[1] >= step.from) previous[1] = Math.max(previous[1], step.to);
    else runs.push([step.from, step.to]);
  }
  return runs;
}
